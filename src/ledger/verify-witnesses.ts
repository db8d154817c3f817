import { CheckpointError, openCheckpoint } from './checkpoint.ts';
import { type Cosigner, cosignatureTime, parseCosigner, splitNote } from './cosignature.ts';
import type { MerkleTree } from './merkle.ts';

/** A witness a verifier trusts: its verifier key, and where to ask it what it cosigned. */
export interface TrustedWitness {
  verifierKey: string;
  url?: string;
}

/** What a witness answered when asked for its latest cosigned checkpoint of the log. */
export interface WitnessView {
  witness: TrustedWitness;
  /** Its checkpoint; undefined when it has cosigned none of this log (or was not asked). */
  note?: string;
  /** Why it could not be asked. */
  error?: string;
}

/**
 * Asks each witness with a URL for the latest checkpoint of `origin` it cosigned. Done before the
 * log is read, so that the log read afterwards is at least as large as anything honestly cosigned.
 */
export async function askWitnesses(
  witnesses: readonly TrustedWitness[],
  origin: string,
  timeoutMs = 10_000,
): Promise<WitnessView[]> {
  return Promise.all(
    witnesses.map(async (witness): Promise<WitnessView> => {
      if (witness.url === undefined) return { witness };
      const url = `${witness.url.replace(/\/$/, '')}/checkpoint?origin=${encodeURIComponent(origin)}`;
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
        if (response.status === 404) return { witness };
        if (!response.ok) return { witness, error: `${response.status} ${await response.text()}` };
        return { witness, note: await response.text() };
      } catch (error) {
        const cause =
          error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : error;
        return { witness, error: String(cause) };
      }
    }),
  );
}

/**
 * Checks the log against its witnesses: the latest checkpoint must carry valid cosignatures of at
 * least `quorum` of them, and no witness may have cosigned a checkpoint the log no longer
 * contains (a larger one: entries were removed; another root: the log was rewritten).
 */
export function checkWitnesses(options: {
  latest: string | undefined;
  /** The log's key in force at a checkpoint size (keys rotate). */
  logKey: (size: number) => string;
  tree: MerkleTree;
  views: readonly WitnessView[];
  quorum: number;
}): { problems: string[]; removedFrom?: number } {
  const problems: string[] = [];
  let removedFrom: number | undefined;
  const cosigners: { view: WitnessView; cosigner: Cosigner }[] = [];
  for (const view of options.views) {
    try {
      cosigners.push({ view, cosigner: parseCosigner(view.witness.verifierKey) });
    } catch (error) {
      problems.push(`witness key: ${(error as CheckpointError).message}`);
    }
  }
  const latest = options.latest === undefined ? undefined : splitNote(options.latest);
  const cosigned = cosigners.filter(
    ({ cosigner }) =>
      latest !== undefined && cosignatureTime(latest.body, latest.signatures, cosigner) !== undefined,
  );
  if (cosigned.length < options.quorum) {
    const missing = cosigners.filter((c) => !cosigned.includes(c)).map((c) => c.cosigner.name);
    problems.push(
      `the latest checkpoint is cosigned by ${cosigned.length} of the ${cosigners.length} witnesses given, fewer than the quorum of ${options.quorum} (no valid cosignature by ${missing.join(', ')})`,
    );
  }
  for (const { view, cosigner } of cosigners) {
    const who = `witness ${cosigner.name}${view.witness.url === undefined ? '' : ` (${view.witness.url})`}`;
    if (view.error !== undefined) problems.push(`${who} could not be asked: ${view.error}`);
    if (view.note === undefined) continue;
    const problem = checkView(view.note, cosigner, options.logKey, options.tree);
    if (problem === undefined) continue;
    problems.push(`${who} ${problem.text}`);
    if (problem.removed) removedFrom = options.tree.size;
  }
  return { problems, removedFrom };
}

function checkView(note: string, cosigner: Cosigner, logKey: (size: number) => string, tree: MerkleTree) {
  const split = splitNote(note);
  if (split === undefined || cosignatureTime(split.body, split.signatures, cosigner) === undefined) {
    return { text: 'answered a checkpoint without its valid cosignature', removed: false };
  }
  let checkpoint: ReturnType<typeof openCheckpoint>;
  try {
    checkpoint = openCheckpoint(note, logKey(Number(note.split('\n')[1])));
  } catch (error) {
    if (!(error instanceof CheckpointError)) throw error;
    return { text: `answered a checkpoint the log key did not sign: ${error.message}`, removed: false };
  }
  if (checkpoint.size > tree.size) {
    return {
      text: `cosigned the log at ${checkpoint.size} entries, but the log has only ${tree.size}: entries were removed`,
      removed: true,
    };
  }
  if (!Buffer.from(tree.root(checkpoint.size)).equals(checkpoint.root)) {
    return {
      text: `cosigned the log at ${checkpoint.size} entries with another root: the log was rewritten`,
      removed: false,
    };
  }
  return undefined;
}
