import { canonicalJson } from '../util/canonical-json.ts';
import { type Checkpoint, type CheckpointError, openCheckpoint } from './checkpoint.ts';
import { committingFormat, committingProblem } from './commitments.ts';
import { leafHash, MerkleTree } from './merkle.ts';
import { askWitnesses, checkWitnesses, type TrustedWitness, type WitnessView } from './verify-witnesses.ts';

/** One stored entry as a verifier reads it (from the store, or from the API). */
export interface StoredEntry {
  index: number;
  /** Absent when withheld: the public is not served entries from before the switch to commitments. */
  entry?: string;
  /** The leaf hash stored beside it, when the verifier reads the store itself; alone when withheld. */
  leafHash?: Uint8Array;
}

export interface VerifyReport {
  ok: boolean;
  size: number;
  root: string;
  /** The first entry found altered, removed or out of place. */
  firstBadIndex?: number;
  problems: string[];
  checkpoint?: Checkpoint;
  /** The entry from which on the log commits to people (format 2), if it has switched. */
  committingFrom?: number;
  /** Entries (before the switch) served as their leaf hashes only: checked in the tree, not one by one. */
  withheld: number;
}

/**
 * Recomputes the log from its entries and checks each one: its position, its canonical form, its
 * stored leaf hash, and the root of the log before it that it carries. Then checks the signed
 * checkpoint against the recomputed tree, and an earlier checkpoint (`since`) for consistency.
 */
export async function verifyEntries(options: {
  entries: AsyncIterable<StoredEntry>;
  checkpoint: string | undefined;
  verifierKey: string;
  since?: string;
  /** What the trusted witnesses said, asked before the entries were read, and how many must agree. */
  witnesses?: { views: WitnessView[]; quorum: number };
}): Promise<VerifyReport> {
  const tree = new MerkleTree();
  const problems: string[] = [];
  let firstBadIndex: number | undefined;
  const format = { committingFrom: undefined as number | undefined };
  let withheld = 0;
  const bad = (index: number, problem: string) => {
    firstBadIndex ??= index;
    problems.push(`entry ${index}: ${problem}`);
  };

  for await (const stored of options.entries) {
    const index = tree.size;
    if (stored.index !== index) {
      bad(index, stored.index > index ? 'missing (the log skips to a later index)' : 'out of order');
      break;
    }
    if (stored.entry === undefined) {
      const problem =
        format.committingFrom !== undefined
          ? 'withheld, though after the switch to commitments'
          : stored.leafHash === undefined
            ? 'missing (neither the entry nor its leaf hash)'
            : undefined;
      if (problem !== undefined) {
        bad(index, problem);
        break;
      }
      withheld++;
      tree.append(stored.leafHash!);
      continue;
    }
    const problem =
      checkEntry(stored as Required<StoredEntry>, index, tree) ?? checkFormat(stored.entry, index, format);
    if (problem !== undefined) {
      // An entry whose previous root is wrong was preceded by an entry that changed.
      if (problem.startsWith('previous root')) bad(index - 1, `altered (${problem} in entry ${index})`);
      else bad(index, problem);
      break;
    }
    tree.append(leafHash(Buffer.from(stored.entry)));
  }

  const report: VerifyReport = {
    ok: false,
    size: tree.size,
    root: Buffer.from(tree.root()).toString('base64'),
    firstBadIndex,
    problems,
    committingFrom: format.committingFrom,
    withheld,
  };
  if (firstBadIndex === undefined) {
    const latest = checkAgainst(
      options.checkpoint,
      'the latest checkpoint',
      options.verifierKey,
      tree,
      problems,
    );
    report.checkpoint = latest?.checkpoint;
    if (options.since !== undefined)
      checkAgainst(options.since, 'the earlier checkpoint', options.verifierKey, tree, problems);
    // Every entry's previous root matched, so only the last entry is unchecked by the chain.
    if (latest?.result === 'shorter') report.firstBadIndex = tree.size;
    if (latest?.result === 'different' && latest.checkpoint.size === tree.size)
      report.firstBadIndex = tree.size - 1;
    if (options.witnesses !== undefined) {
      const checked = checkWitnesses({
        latest: options.checkpoint,
        logKey: options.verifierKey,
        tree,
        ...options.witnesses,
      });
      problems.push(...checked.problems);
      report.firstBadIndex ??= checked.removedFrom;
    }
  }
  report.ok = problems.length === 0;
  return report;
}

function checkEntry(
  stored: StoredEntry & { entry: string },
  index: number,
  tree: MerkleTree,
): string | undefined {
  let parsed: { idx?: unknown; prev?: unknown };
  try {
    parsed = JSON.parse(stored.entry);
  } catch {
    return 'altered (not JSON)';
  }
  if (canonicalJson(parsed) !== stored.entry) return 'altered (not in canonical form)';
  if (parsed.idx !== index) return `out of place (it says it is entry ${String(parsed.idx)})`;
  const leaf = leafHash(Buffer.from(stored.entry));
  if (stored.leafHash !== undefined && Buffer.compare(leaf, stored.leafHash) !== 0) {
    return 'altered (its leaf hash does not match it)';
  }
  if (parsed.prev !== Buffer.from(tree.root()).toString('base64')) return 'previous root does not match';
  return undefined;
}

/**
 * Entries are format 1 until a `log.format` entry switches the log to format 2, which it never
 * leaves, and every entry of format 2 names people only through commitments.
 */
function checkFormat(
  entry: string,
  index: number,
  format: { committingFrom: number | undefined },
): string | undefined {
  const parsed = JSON.parse(entry) as { v?: unknown; kind?: unknown; refs?: { version?: unknown } };
  if (parsed.v === 1) {
    if (format.committingFrom === undefined) return undefined;
    return `format 1 after the log switched to format ${committingFormat} at entry ${format.committingFrom}`;
  }
  if (parsed.v !== committingFormat) return `altered (unknown format ${String(parsed.v)})`;
  if (format.committingFrom === undefined) {
    if (parsed.kind !== 'log.format' || parsed.refs?.version !== committingFormat)
      return `format ${committingFormat} before the log switched to it`;
    format.committingFrom = index;
  }
  return committingProblem(parsed);
}

function checkAgainst(
  note: string | undefined,
  name: string,
  verifierKey: string,
  tree: MerkleTree,
  problems: string[],
): { checkpoint: Checkpoint; result: 'matches' | 'shorter' | 'different' } | undefined {
  if (note === undefined) {
    if (tree.size > 0) problems.push(`${name} is missing`);
    return undefined;
  }
  let checkpoint: Checkpoint;
  try {
    checkpoint = openCheckpoint(note, verifierKey);
  } catch (error) {
    problems.push(`${name}: ${(error as CheckpointError).message}`);
    return undefined;
  }
  if (checkpoint.size > tree.size) {
    problems.push(
      `${name} covers ${checkpoint.size} entries but the log has only ${tree.size}: entries were removed`,
    );
    return { checkpoint, result: 'shorter' };
  }
  if (Buffer.compare(Buffer.from(tree.root(checkpoint.size)), checkpoint.root) !== 0) {
    problems.push(`${name} (size ${checkpoint.size}) does not match the entries: the log was rewritten`);
    return { checkpoint, result: 'different' };
  }
  return { checkpoint, result: 'matches' };
}

/** Verifies a running mdis over HTTP: its checkpoint, its key (unless given) and every entry. */
export async function verifyOverHttp(options: {
  url: string;
  token?: string;
  key?: string;
  since?: string;
  witnesses?: { trusted: TrustedWitness[]; quorum: number };
}): Promise<VerifyReport> {
  const base = options.url.replace(/\/$/, '');
  const get = async (path: string, token?: string) => {
    const response = await fetch(`${base}${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return response;
  };
  const verifierKey =
    options.key ?? ((await (await get('/v1/log/key')).json()) as { verifierKey: string }).verifierKey;
  // Asked before the checkpoint is read: what they cosigned then, the log must still hold.
  const views = options.witnesses && (await askWitnesses(options.witnesses.trusted, logOrigin(verifierKey)));
  const checkpoint = await (await get('/v1/log/checkpoint')).text();
  const size = Number(checkpoint.split('\n')[1]);
  // The entries are public; an auditor's token also reads those from before the switch to
  // commitments in full (a server older than the switch serves them all at /v1/log/entries).
  let path = options.token === undefined ? '/v1/log/entries' : '/v1/log/entries/full';
  async function* entries(): AsyncIterable<StoredEntry> {
    for (let start = 0; start < size; start += 1000) {
      const range = `?start=${start}&end=${Math.min(size, start + 1000)}`;
      let page: Response;
      try {
        page = await get(`${path}${range}`, options.token);
      } catch (error) {
        if (path === '/v1/log/entries' || !String(error).includes(': 404 ')) throw error;
        path = '/v1/log/entries';
        page = await get(`${path}${range}`, options.token);
      }
      const read = (await page.json()) as { entries: { index: number; entry?: string; leafHash?: string }[] };
      yield* read.entries.map((e) => ({
        index: e.index,
        entry: e.entry,
        leafHash: e.leafHash === undefined ? undefined : Buffer.from(e.leafHash, 'base64'),
      }));
    }
  }
  return verifyEntries({
    entries: entries(),
    checkpoint,
    verifierKey,
    since: options.since,
    witnesses: views && options.witnesses && { views, quorum: options.witnesses.quorum },
  });
}

/** The origin a log's verifier key names (its key name: mdis signs under its origin). */
export function logOrigin(verifierKey: string): string {
  return verifierKey.trim().split('+')[0]!;
}
