import type { Logger } from 'pino';
import type { WitnessEndpoint } from '../config.ts';
import { type Cosigner, cosignatureTime, parseCosigner, splitNote } from './cosignature.ts';
import type { MerkleTree } from './merkle.ts';

/** How often a checkpoint short of some witness's cosignature asks that witness again. */
const retryMs = 10_000;

/** One witness, as the log talks to it: the size it last cosigned, learnt from its answers. */
class WitnessPeer {
  readonly url: string;
  readonly cosigner: Cosigner;
  /** Unknown until the witness answers; 0 is then a guess it corrects with a 409. */
  knownSize = 0;
  /** One request at a time: checkpoints must reach a witness in the order they grow. */
  queue: Promise<unknown> = Promise.resolve();

  constructor(endpoint: WitnessEndpoint) {
    this.url = endpoint.url.replace(/\/$/, '');
    this.cosigner = parseCosigner(endpoint.verifierKey);
  }
}

/**
 * Gets a new checkpoint cosigned by the log's witnesses (C2SP tlog-witness), each with a
 * consistency proof from the size it last cosigned. A witness that is down, slow or refuses is
 * logged and left out: the checkpoint is published with the cosignatures it got.
 */
export class WitnessClient {
  readonly #peers: WitnessPeer[];
  readonly #timeoutMs: number;
  readonly #logger: Logger;
  #lastRetry = Number.NEGATIVE_INFINITY;

  constructor(options: { witnesses: readonly WitnessEndpoint[]; timeoutMs: number; logger: Logger }) {
    this.#peers = options.witnesses.map((endpoint) => new WitnessPeer(endpoint));
    this.#timeoutMs = options.timeoutMs;
    this.#logger = options.logger;
  }

  /** The valid cosignature lines on `note` (a checkpoint of `size` leaves of `tree`), joined. */
  async cosign(note: string, size: number, tree: MerkleTree): Promise<string> {
    return this.#askAll(this.#peers, note, size, tree);
  }

  /**
   * For a stored checkpoint the log has not outgrown: asks the witnesses whose cosignature it
   * lacks (one was down when it was signed), at most every `retryMs`. Returns all its cosignature
   * lines when some were added, undefined otherwise. Without this a quiet log would keep a
   * checkpoint short of its quorum until its next entry.
   */
  async complete(note: string, cosignatures: string, size: number, tree: MerkleTree) {
    if (performance.now() - this.#lastRetry < retryMs) return undefined;
    const split = splitNote(note + cosignatures);
    const missing = this.#peers.filter(
      (peer) =>
        split === undefined || cosignatureTime(split.body, split.signatures, peer.cosigner) === undefined,
    );
    if (missing.length === 0) return undefined;
    this.#lastRetry = performance.now();
    const added = await this.#askAll(missing, note, size, tree);
    return added === '' ? undefined : cosignatures + added;
  }

  async #askAll(peers: readonly WitnessPeer[], note: string, size: number, tree: MerkleTree) {
    const lines = await Promise.all(
      peers.map((peer) => {
        const run = peer.queue.then(() => this.#ask(peer, note, size, tree));
        peer.queue = run;
        return run;
      }),
    );
    return lines.join('');
  }

  async #ask(peer: WitnessPeer, note: string, size: number, tree: MerkleTree): Promise<string> {
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        if (peer.knownSize > size) {
          // Another instance's later checkpoint got there first: this one is stale, not wrong.
          if (peer.knownSize <= tree.size) return '';
          // The witness saw a larger log than this instance can read: no proof can take it back.
          this.#logger.error(
            { witness: peer.url, witnessed: peer.knownSize, size },
            'a witness cosigned a larger log than this checkpoint: the log lost entries',
          );
          return '';
        }
        const proof = tree.consistencyProof(peer.knownSize, size);
        const body = `old ${peer.knownSize}\n${proof.map((h) => `${Buffer.from(h).toString('base64')}\n`).join('')}\n${note}`;
        const response = await fetch(`${peer.url}/add-checkpoint`, {
          method: 'POST',
          body,
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
        const text = await response.text();
        if (response.status === 409 && /^\d+\n$/.test(text)) {
          peer.knownSize = Number(text);
          continue;
        }
        if (response.status === 422) {
          this.#logger.error(
            { witness: peer.url, witnessed: peer.knownSize, size, reason: text },
            'a witness holds a checkpoint this log is not consistent with: the log was rewritten',
          );
          return '';
        }
        if (!response.ok) {
          this.#logger.warn(
            { witness: peer.url, status: response.status, reason: text },
            'a witness refused',
          );
          return '';
        }
        peer.knownSize = size;
        return this.#valid(peer, note, text);
      }
      // Conflicts each time: the same size with another root (a fork), or instances racing.
      this.#logger.error(
        { witness: peer.url, witnessed: peer.knownSize, size },
        'a witness kept refusing the old size: it may hold another checkpoint of this size',
      );
      return '';
    } catch (error) {
      this.#logger.warn({ witness: peer.url, err: error }, 'a witness could not be reached');
      return '';
    }
  }

  /** How many of the witnesses have no valid cosignature on `note`: for an operator's alert. */
  missingFrom(note: string): number {
    const split = splitNote(note);
    if (split === undefined) return this.#peers.length;
    return this.#peers.filter(
      (peer) => cosignatureTime(split.body, split.signatures, peer.cosigner) === undefined,
    ).length;
  }

  /** Keeps the witness's lines that verify under its key; anything else is dropped and logged. */
  #valid(peer: WitnessPeer, note: string, text: string): string {
    const body = splitNote(note)!.body;
    const lines = text.split('\n').filter(Boolean);
    const valid = lines.filter((line) => cosignatureTime(body, [line], peer.cosigner) !== undefined);
    if (valid.length === 0)
      this.#logger.warn({ witness: peer.url }, 'a witness answered no valid cosignature');
    return valid.map((line) => `${line}\n`).join('');
  }
}
