/** Each policy that has been in force, by the digest of its canonical JSON. */
export interface PoliciesTable {
  digest: string;
  name: string;
  version: number;
  /** When it first came into force. */
  activated_at: string;
  /** Its canonical JSON; null for a policy recorded before the store kept it. */
  document: string | null;
}

/** Each time a policy came into force: the latest row names the policy in force. */
export interface PolicyActivationsTable {
  activated_at: string;
  digest: string;
}
