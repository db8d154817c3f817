/** A subject whose identity is locked by the person: no sign-in at worlds, no new bindings or credentials. */
export interface IdentityLocksTable {
  subject_id: string;
  locked_at: string;
  /** The principal (the person's own) that locked it. */
  locked_by: string;
}
