/** Each policy that has been in force, by the digest of its canonical JSON. */
export interface PoliciesTable {
  digest: string;
  name: string;
  version: number;
  activated_at: string;
}
