import { pooledRandomBytes } from '../util/random.ts';
import { commitment, personRefs } from './commitments.ts';

type RefValue = string | number | boolean | null | undefined;

/** One commitment's opening as stored: whom it concerns, what it commits to, its salt. */
export interface OpeningRow {
  ref: string;
  subject: string | null;
  value: string | null;
  salt: Buffer;
}

/** An act as a format 2 entry shows it, and the openings of what it hides. */
export interface Concealed {
  actor: string;
  refs: Record<string, RefValue>;
  commitments: Record<string, string> | undefined;
  openings: OpeningRow[];
}

/** The subject whose own principal an id is, or null (see PrincipalPeople). */
export type SubjectOfPrincipal = (id: string) => Promise<string | null>;

/** The role shown in place of a person's own principal when they act themselves. */
export const personActor = 'subject';

/**
 * Replaces every reference to a person in an act by a commitment with a fresh salt: the
 * subject, pseudonym and handle refs; the principal ref and the actor when they are a person's own
 * principal (the actor then shows as "subject"). Staff principals stay visible: they answer for
 * what they do. No two entries share a commitment, so none links two acts of one person.
 */
export async function conceal(
  act: { actor: string; refs: Record<string, RefValue> },
  subjectOf: SubjectOfPrincipal,
): Promise<Concealed> {
  const refs: Record<string, RefValue> = { ...act.refs };
  const openings: OpeningRow[] = [];
  const about = personValue('subject', refs.subject);
  for (const ref of personRefs) {
    if (refs[ref] === undefined) continue;
    openings.push(opening(ref, personValue(ref, refs[ref]), about));
    delete refs[ref];
  }
  if (typeof refs.principal === 'string') {
    const owner = await subjectOf(refs.principal);
    if (owner !== null) {
      openings.push(opening('principal', refs.principal, owner));
      delete refs.principal;
    }
  }
  let actor = act.actor;
  const owner = await subjectOf(actor);
  if (owner !== null) {
    openings.push(opening('actor', actor, owner));
    actor = personActor;
  }
  if (openings.length === 0) return { actor, refs, commitments: undefined, openings };
  const commitments: Record<string, string> = {};
  for (const o of openings) commitments[o.ref] = commitment(o);
  return { actor, refs, commitments, openings };
}

function opening(ref: string, value: string | null, subject: string | null): OpeningRow {
  return { ref, subject, value, salt: pooledRandomBytes(16) };
}

// A person is named by an id or a handle; anything else in such a ref is a caller's mistake.
function personValue(ref: string, value: RefValue): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new TypeError(`the log's ${ref} ref must be a string or null`);
  return value;
}
