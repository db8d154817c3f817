/** What made the store, when not an operator: one row, `demo`, on a store `serve --demo` made. */
export interface StoreOriginTable {
  origin: 'demo';
  created_at: string;
}
