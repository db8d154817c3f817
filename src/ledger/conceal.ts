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

/** The subject whose own principal an id is, or null (see PrincipalPeople); at once when known. */
export type SubjectOfPrincipal = (id: string) => string | null | Promise<string | null>;

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
  const openings: OpeningRow[] = [];
  const about = personValue('subject', act.refs.subject);
  // A new object with the visible refs only (deleting keys would slow every later read of it).
  const refs: Record<string, RefValue> = {};
  for (const [ref, value] of Object.entries(act.refs)) {
    if (value === undefined) continue;
    if (isPersonRef(ref)) openings.push(opening(ref, personValue(ref, value), about));
    else if (ref === 'principal' && typeof value === 'string') {
      const found = subjectOf(value);
      const owner = found instanceof Promise ? await found : found;
      if (owner === null) refs[ref] = value;
      else openings.push(opening(ref, value, owner));
    } else refs[ref] = value;
  }
  let actor = act.actor;
  const found = subjectOf(actor);
  const owner = found instanceof Promise ? await found : found;
  if (owner !== null) {
    openings.push(opening('actor', actor, owner));
    actor = personActor;
  }
  if (openings.length === 0) return { actor, refs, commitments: undefined, openings };
  const commitments: Record<string, string> = {};
  for (const o of openings) commitments[o.ref] = commitment(o);
  return { actor, refs, commitments, openings };
}

const isPersonRef = (ref: string) => (personRefs as readonly string[]).includes(ref);

function opening(ref: string, value: string | null, subject: string | null): OpeningRow {
  return { ref, subject, value, salt: pooledRandomBytes(16) };
}

// A person is named by an id or a handle; anything else in such a ref is a caller's mistake.
function personValue(ref: string, value: RefValue): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new TypeError(`the log's ${ref} ref must be a string or null`);
  return value;
}
