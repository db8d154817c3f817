import { createHash } from 'node:crypto';
import { canonicalJson } from '../util/canonical-json.ts';

/**
 * The refs that name a person: a digital ID, an avatar's per-world pseudonym, its handle. From
 * log format 2 on, an entry carries none of them in the clear, only a commitment to each.
 */
export const personRefs = ['subject', 'pseudonym', 'handle'] as const;

/** Refs that name a principal: committed when that principal is a person's own (role subject). */
export const principalRefs = ['principal'] as const;

/** The log format that commits to people; entries before its `log.format` entry are format 1. */
export const committingFormat = 2;

/** What an opening reveals: the ref's name, its value (null when the act named no one) and the salt. */
export interface Opening {
  ref: string;
  value: string | null;
  salt: Uint8Array;
}

/** A commitment: base64url(SHA-256(salt ‖ canonical JSON of {ref, value})), 43 characters. */
export function commitment(opening: Opening): string {
  return createHash('sha256')
    .update(opening.salt)
    .update(canonicalJson({ ref: opening.ref, value: opening.value }))
    .digest('base64url');
}

const commitmentPattern = /^[A-Za-z0-9_-]{43}$/;

/** Whether `text` has the form of a commitment (it says nothing of what it commits to). */
export function isCommitment(text: unknown): boolean {
  return typeof text === 'string' && commitmentPattern.test(text);
}

/**
 * Whether `opening` opens a commitment of the stored entry `entry` (canonical JSON of format 2):
 * the person's or an auditor's check that the public entry is about the value they were given.
 */
export function opensEntry(entry: string, opening: Opening): boolean {
  let parsed: { commitments?: Record<string, unknown> };
  try {
    parsed = JSON.parse(entry);
  } catch {
    return false;
  }
  const committed = parsed.commitments?.[opening.ref];
  return typeof committed === 'string' && committed === commitment(opening);
}

/**
 * What makes an entry of format 2 public without linking anyone: no person ref among its visible
 * refs, and commitments of the right form. Undefined when it holds; else what is wrong.
 */
export function committingProblem(parsed: { refs?: unknown; commitments?: unknown }): string | undefined {
  const refs = (parsed.refs ?? {}) as Record<string, unknown>;
  const named = personRefs.find((ref) => ref in refs);
  if (named !== undefined) return `names a person in the clear (refs.${named})`;
  if (parsed.commitments === undefined) return undefined;
  if (typeof parsed.commitments !== 'object' || parsed.commitments === null) return 'malformed commitments';
  for (const [ref, value] of Object.entries(parsed.commitments)) {
    if (!isCommitment(value)) return `malformed commitment (commitments.${ref})`;
  }
  return undefined;
}
