/** One read of a granted disclosure's attributes by its authority. */
export interface DisclosureReadsTable {
  id: string;
  disclosure_id: string;
  at: string;
  principal_id: string;
}
