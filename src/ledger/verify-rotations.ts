import { CheckpointError, openCheckpoint, signatureKeyIds, verifierKeyId } from './checkpoint.ts';
import type { MerkleTree } from './merkle.ts';

/** A `log.key_rotated` entry: the verifier key it announces and the one it says it replaces. */
export interface Rotation {
  index: number;
  key: string;
  previous: string;
}

/** One key of the chain a verifier follows: it signs the checkpoints of `fromSize` entries on. */
export interface ChainKey {
  verifierKey: string;
  fromSize: number;
}

export const rotationKind = 'log.key_rotated';

/** The rotation an entry announces, if it is one (a cheap test first: most entries are not). */
export function rotationOf(index: number, entry: string): Rotation | undefined {
  if (!entry.includes(`"kind":"${rotationKind}"`)) return undefined;
  const parsed = JSON.parse(entry) as { kind?: string; refs?: { key?: unknown; previous?: unknown } };
  if (parsed.kind !== rotationKind) return undefined;
  return { index, key: String(parsed.refs?.key ?? ''), previous: String(parsed.refs?.previous ?? '') };
}

/**
 * Follows the log's key rotations from the key the verifier trusts. A rotation is accepted only
 * when the first checkpoint that covers its entry is signed by the key in force before it (the
 * one trusted so far) and by the key it announces, and matches the entries. A trusted key that a
 * rotation announced starts the chain at that rotation: what came before, it cannot vouch for.
 */
export async function followRotations(options: {
  trusted: string;
  rotations: readonly Rotation[];
  tree: MerkleTree;
  /** The first stored checkpoint covering entry `index` (size > index), if any. */
  handover: (index: number) => Promise<string | undefined>;
  problems: string[];
}): Promise<{ chain: ChainKey[]; badIndex?: number }> {
  const { rotations, tree, problems } = options;
  const start = rotations.findLastIndex((r) => r.key === options.trusted.trim());
  const chain: ChainKey[] = [
    { verifierKey: options.trusted.trim(), fromSize: start < 0 ? 0 : rotations[start]!.index + 1 },
  ];
  for (const rotation of rotations.slice(start + 1)) {
    const current = chain.at(-1)!;
    const problem = await checkRotation(rotation, current.verifierKey, tree, options.handover);
    if (problem !== undefined) {
      problems.push(`entry ${rotation.index}: ${problem}`);
      return { chain, badIndex: rotation.index };
    }
    chain.push({ verifierKey: rotation.key, fromSize: rotation.index + 1 });
  }
  return { chain };
}

async function checkRotation(
  rotation: Rotation,
  current: string,
  tree: MerkleTree,
  handover: (index: number) => Promise<string | undefined>,
): Promise<string | undefined> {
  const to = `the key rotation to ${verifierKeyId(rotation.key) ?? `"${rotation.key}"`}`;
  if (rotation.previous !== current) {
    return `${to} says it replaces ${verifierKeyId(rotation.previous) ?? 'no key'}, but the log's key then was ${verifierKeyId(current)}: a forged rotation`;
  }
  const note = await handover(rotation.index);
  if (note === undefined) return `${to} is covered by no checkpoint yet`;
  const origin = current.split('+')[0]!;
  for (const [key, role] of [
    [current, 'the key it replaces'],
    [rotation.key, 'the key it announces'],
  ] as const) {
    try {
      const checkpoint = openCheckpoint(note, key);
      if (checkpoint.size <= rotation.index || checkpoint.size > tree.size) {
        return `${to}: the checkpoint given for it (size ${checkpoint.size}) does not cover it within the log`;
      }
      if (!Buffer.from(tree.root(checkpoint.size)).equals(checkpoint.root)) {
        return `${to}: the checkpoint that covers it does not match the entries`;
      }
    } catch (error) {
      if (!(error instanceof CheckpointError)) throw error;
      const ids = signatureKeyIds(note, origin);
      return `${to} is not signed by ${role} (${verifierKeyId(key) ?? key}): the checkpoint that covers it is signed by ${ids.join(', ') || 'no key of the log'}; a forged rotation`;
    }
  }
  return undefined;
}

/** The key in force for a checkpoint of `size`, or undefined before the trusted key. */
export function keyAt(chain: readonly ChainKey[], size: number): ChainKey | undefined {
  return chain.filter((key) => key.fromSize <= size).at(-1);
}

/** The size a checkpoint note claims, read before its signature is checked (to pick the key). */
export function claimedSize(note: string): number {
  return Number(note.split('\n')[1]);
}
