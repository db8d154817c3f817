/** One version of one attribute group of a subject, encrypted under the subject's data key. */
export interface SubjectAttributesTable {
  subject_id: string;
  grp: string;
  version: number;
  ciphertext: Buffer;
  created_at: string;
  created_by: string;
}
