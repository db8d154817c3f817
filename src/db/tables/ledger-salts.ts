/** The salt of an entry's detail digest: kept apart from the log, erasable. */
export interface LedgerSaltsTable {
  idx: number;
  salt: Buffer;
}
