import { get, getText, query } from '../api.ts';
import { equal, fromBase64, toBase64, utf8 } from './bytes.ts';
import { leafHash, verifyConsistency, verifyInclusion } from './merkle.ts';
import { type Checkpoint, openCheckpoint } from './note.ts';

/** One step of a verification, as the log screen lists it. */
export interface Step {
  label: string;
  ok: boolean;
  detail: string;
}

interface InclusionProof {
  index: number;
  size: number;
  leafHash: string;
  root: string;
  hashes: string[];
}

/** A failed step ends the verification: later steps would rest on it. */
export class StepFailed extends Error {}

const seenKey = 'mdis.log.seen';

/**
 * Checks the latest checkpoint's signature against `verifier`, then that entry `index` (the
 * newest when absent) is in the tree it signs, and that the log grew append-only since the
 * checkpoint this browser last verified. Calls `report` after each step.
 */
export async function verifyLog(options: {
  verifier: string;
  index: number | undefined;
  /** Read the entry (the entries are public): the leaf hash is then computed here, not taken from the proof. */
  readEntries: boolean;
  report: (step: Step) => void;
}): Promise<{ checkpoint: Checkpoint; entry?: string }> {
  const { report } = options;
  const fail = (label: string, detail: string): never => {
    report({ label, ok: false, detail });
    throw new StepFailed(`${label}: ${detail}`);
  };

  const note = await getText('/v1/log/checkpoint');
  let checkpoint: Checkpoint;
  try {
    checkpoint = await openCheckpoint(note, options.verifier);
  } catch (error) {
    return fail('Checkpoint signature', (error as Error).message);
  }
  report({
    label: 'Checkpoint signature',
    ok: true,
    detail: `verified: ${checkpoint.origin} signed a tree of ${checkpoint.size} entries with root ${toBase64(checkpoint.root)}`,
  });

  await checkConsistency(checkpoint, report, fail);

  if (checkpoint.size === 0) {
    report({ label: 'Inclusion proof', ok: true, detail: 'the log is empty: there is no entry to prove' });
    return { checkpoint };
  }
  const index = options.index ?? checkpoint.size - 1;
  const label = `Inclusion of entry #${index}`;
  if (!Number.isInteger(index) || index < 0 || index >= checkpoint.size) {
    return fail(label, `the checkpoint holds entries #0 to #${checkpoint.size - 1}`);
  }
  const proof = await get<InclusionProof>(
    `/v1/log/proof/inclusion${query({ index, size: checkpoint.size })}`,
  );
  if (!equal(fromBase64(proof.root), checkpoint.root)) {
    return fail(label, 'the proof is for another root than the signed checkpoint');
  }
  let leaf = fromBase64(proof.leafHash);
  let entry: string | undefined;
  if (options.readEntries) {
    const read = await get<{ entries: { index: number; entry?: string; leafHash?: string }[] }>(
      `/v1/log/entries${query({ start: index, end: index + 1 })}`,
    );
    const served = read.entries[0];
    if (served === undefined) return fail(label, 'the log did not return the entry');
    // An entry from before the switch to commitments names people in the clear: only its leaf
    // hash is public.
    entry = served.entry;
    leaf = entry === undefined ? fromBase64(served.leafHash ?? '') : await leafHash(utf8(entry));
    if (!equal(leaf, fromBase64(proof.leafHash))) {
      return fail(label, "the entry's hash is not the leaf hash the proof is for");
    }
  }
  const verified = await verifyInclusion({
    leaf,
    index,
    size: checkpoint.size,
    proof: proof.hashes.map(fromBase64),
    root: checkpoint.root,
  });
  if (!verified) return fail(label, 'the audit path does not lead to the signed root');
  report({
    label,
    ok: true,
    detail: `verified: ${proof.hashes.length} hashes lead from ${
      entry !== undefined ? 'the hash of the entry itself' : 'its leaf hash'
    } to the signed root`,
  });
  return { checkpoint, entry };
}

/** Compares with the checkpoint this browser verified last time, then remembers this one. */
async function checkConsistency(
  checkpoint: Checkpoint,
  report: (step: Step) => void,
  fail: (label: string, detail: string) => never,
): Promise<void> {
  const label = 'Append-only since your last check';
  let seen: { origin: string; size: number; root: string } | undefined;
  try {
    seen = JSON.parse(localStorage.getItem(seenKey) ?? 'null') ?? undefined;
  } catch {
    seen = undefined;
  }
  if (seen === undefined || seen.origin !== checkpoint.origin) {
    report({
      label,
      ok: true,
      detail: 'first check from this browser: this checkpoint is remembered for the next',
    });
  } else if (seen.size > checkpoint.size) {
    fail(label, `the log shrank from ${seen.size} to ${checkpoint.size} entries`);
  } else {
    const proof = await get<{ hashes: string[] }>(
      `/v1/log/proof/consistency${query({ from: seen.size, to: checkpoint.size })}`,
    );
    const consistent = await verifyConsistency({
      from: seen.size,
      to: checkpoint.size,
      fromRoot: fromBase64(seen.root),
      toRoot: checkpoint.root,
      proof: proof.hashes.map(fromBase64),
    });
    if (!consistent) fail(label, `the tree of ${seen.size} entries you saw is not a prefix of this one`);
    report({
      label,
      ok: true,
      detail: `verified: the ${seen.size} entries seen before are unchanged, ${checkpoint.size - seen.size} added`,
    });
  }
  localStorage.setItem(
    seenKey,
    JSON.stringify({ origin: checkpoint.origin, size: checkpoint.size, root: toBase64(checkpoint.root) }),
  );
}
