import Type, { type Static } from 'typebox';

const Salt = Type.String({ description: '16 random bytes, base64url' });
const Value = Type.Union([Type.String(), Type.Null()], {
  description: 'what the commitment is to: a digital ID, pseudonym, handle or principal id; null when none',
});

/** One opening of a commitment in an entry: SHA-256(salt ‖ canonical JSON of {ref, value}), base64url. */
export const CommitmentOpening = Type.Object({
  ref: Type.String({
    description: 'the commitment it opens: subject, pseudonym, handle, principal or actor',
  }),
  value: Value,
  salt: Salt,
});
export type CommitmentOpening = Static<typeof CommitmentOpening>;

/** An entry of the public log about the person, with the openings of what it commits to about them. */
export const MyLogEntry = Type.Object({
  index: Type.Integer(),
  entry: Type.String({ description: 'the entry exactly as the public log holds it' }),
  openings: Type.Array(CommitmentOpening),
});
export type MyLogEntry = Static<typeof MyLogEntry>;

/** An opening as the auditors hold it: which entry, and whom it concerns. */
export const LogOpening = Type.Object({
  index: Type.Integer(),
  ...CommitmentOpening.properties,
  subject: Type.Union([Type.String(), Type.Null()], { description: 'the person it concerns, if any' }),
});
export type LogOpening = Static<typeof LogOpening>;
