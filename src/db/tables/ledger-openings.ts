/**
 * The opening of one commitment of a log entry (format 2): the person it concerns, the value it
 * commits to and its salt. Kept apart from the public log, erasable with the person.
 */
export interface LedgerOpeningsTable {
  /** The entry's position in the log. */
  idx: number;
  /** Which commitment of the entry: `subject`, `pseudonym`, `handle`, `principal` or `actor`. */
  ref: string;
  /** The person it concerns; null when the act named no one (a disclosure of an unknown avatar). */
  subject_id: string | null;
  /** The committed value: a digital ID, pseudonym, handle or principal id; null when none. */
  value: string | null;
  /** 16 random bytes, fresh for each entry and ref. */
  salt: Buffer;
}
