import type { ColumnType } from 'kysely';

/**
 * Who made the store: one row, written when `mdis serve` first opens a new store. Demonstrations
 * (a clock offset, say) are allowed on a store the demo made, never on an operator's.
 */
export interface StoreOriginTable {
  /** Always 1: the table holds one row. */
  id: ColumnType<number, number, never>;
  made_by: 'demo' | 'operator';
  made_at: string;
}
