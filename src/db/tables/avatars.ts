export interface AvatarsTable {
  world_id: string;
  handle: string;
  subject_id: string;
  /** Keyed hash of world and subject: stable in one world, unlinkable across worlds. */
  pseudonym: string;
  bound_at: string;
  bound_by: string;
}
