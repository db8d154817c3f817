import { canonicalJson } from '../util/canonical-json.ts';
import {
  type Checkpoint,
  CheckpointError,
  openCheckpoint,
  signatureKeyIds,
  verifierKeyId,
} from './checkpoint.ts';
import { committingFormat, committingProblem } from './commitments.ts';
import { leafHash, MerkleTree } from './merkle.ts';
import {
  type ChainKey,
  claimedSize,
  followRotations,
  keyAt,
  type Rotation,
  rotationOf,
} from './verify-rotations.ts';
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
  /** The checkpoint keys followed, from the trusted one to the one in force. */
  keys: ChainKey[];
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
  /** The key the verifier trusts; later keys are accepted only through the log's key rotations. */
  verifierKey: string;
  /** The first stored checkpoint that covers entry `index`: how a rotation there was signed. */
  handover?: (index: number) => Promise<string | undefined>;
  since?: string;
  /** What the trusted witnesses said, asked before the entries were read, and how many must agree. */
  witnesses?: { views: WitnessView[]; quorum: number };
}): Promise<VerifyReport> {
  const tree = new MerkleTree();
  const problems: string[] = [];
  let firstBadIndex: number | undefined;
  const rotations: Rotation[] = [];
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
    const rotation = rotationOf(index, stored.entry);
    if (rotation !== undefined) rotations.push(rotation);
  }

  const report: VerifyReport = {
    ok: false,
    size: tree.size,
    root: Buffer.from(tree.root()).toString('base64'),
    firstBadIndex,
    problems,
    keys: [{ verifierKey: options.verifierKey.trim(), fromSize: 0 }],
    committingFrom: format.committingFrom,
    withheld,
  };
  if (firstBadIndex === undefined) {
    const followed = await followRotations({
      trusted: options.verifierKey,
      rotations,
      tree,
      handover: options.handover ?? (async () => undefined),
      problems,
    });
    report.keys = followed.chain;
    report.firstBadIndex = followed.badIndex;
    const logKeyAt = (size: number) => keyAt(followed.chain, size)?.verifierKey;
    const latest = checkAgainst(options.checkpoint, 'the latest checkpoint', logKeyAt, tree, problems);
    report.checkpoint = latest?.checkpoint;
    if (options.since !== undefined)
      checkAgainst(options.since, 'the earlier checkpoint', logKeyAt, tree, problems);
    // Every entry's previous root matched, so only the last entry is unchecked by the chain.
    if (latest?.result === 'shorter') report.firstBadIndex = tree.size;
    if (latest?.result === 'different' && latest.checkpoint.size === tree.size)
      report.firstBadIndex = tree.size - 1;
    if (options.witnesses !== undefined) {
      const checked = checkWitnesses({
        latest: options.checkpoint,
        logKey: (size) => logKeyAt(size) ?? options.verifierKey,
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
  keyAt: (size: number) => string | undefined,
  tree: MerkleTree,
  problems: string[],
): { checkpoint: Checkpoint; result: 'matches' | 'shorter' | 'different' } | undefined {
  if (note === undefined) {
    if (tree.size > 0) problems.push(`${name} is missing`);
    return undefined;
  }
  const verifierKey = keyAt(claimedSize(note));
  if (verifierKey === undefined) {
    problems.push(
      `${name} (size ${claimedSize(note)}) is older than the trusted key: give --key the key it was signed with`,
    );
    return undefined;
  }
  let checkpoint: Checkpoint;
  try {
    checkpoint = openCheckpoint(note, verifierKey);
  } catch (error) {
    if (!(error instanceof CheckpointError)) throw error;
    const expected = verifierKeyId(verifierKey);
    const ids = signatureKeyIds(note, verifierKey.split('+')[0]!).filter((id) => id !== expected);
    problems.push(
      ids.length === 0
        ? `${name}: ${error.message}`
        : `${name}: not signed by the log's key ${expected}; it is signed by ${ids.join(', ')}, a key no key rotation in the log announced`,
    );
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
  const verifierKey = options.key ?? (await firstKey(base, get));
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
  const handover = async (index: number) => {
    const response = await fetch(`${base}/v1/log/checkpoint?covering=${index}`);
    return response.ok ? response.text() : undefined;
  };
  return verifyEntries({
    entries: entries(),
    checkpoint,
    verifierKey,
    handover,
    since: options.since,
    witnesses: views && options.witnesses && { views, quorum: options.witnesses.quorum },
  });
}

/**
 * By default the log's first key: every later one is then accepted only through the log. A
 * server from before key rotation has no key list: its one key is the first.
 */
async function firstKey(base: string, get: (path: string) => Promise<Response>): Promise<string> {
  const listed = await fetch(`${base}/v1/log/keys`);
  if (listed.status === 404) {
    // Such a server answered its key as JSON; this one's successors answer it as a line of text.
    const key = await get('/v1/log/key');
    const json = /^application\/json/.test(key.headers.get('content-type') ?? '');
    return json ? ((await key.json()) as { verifierKey: string }).verifierKey : (await key.text()).trim();
  }
  if (!listed.ok) throw new Error(`GET /v1/log/keys: ${listed.status} ${await listed.text()}`);
  return ((await listed.json()) as { keys: { verifierKey: string }[] }).keys[0]!.verifierKey;
}

/** The origin a log's verifier key names (its key name: mdis signs under its origin). */
export function logOrigin(verifierKey: string): string {
  return verifierKey.trim().split('+')[0]!;
}
