import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CheckpointError, openCheckpoint } from './checkpoint.ts';
import { cosignCheckpoint, cosignerVerifierKey, splitNote } from './cosignature.ts';
import { emptyRoot, verifyConsistency } from './merkle.ts';
import {
  BadProofError,
  BadSignatureError,
  MalformedCheckpointError,
  OldSizeConflictError,
  UnknownLogError,
} from './witness-errors.ts';

/**
 * A witness in the manner of C2SP tlog-witness: for each log it is told to trust it keeps the
 * last checkpoint it cosigned, and cosigns a new one only when a consistency proof shows the old
 * one is a prefix of it. So a log cannot show two histories, or shrink, and keep its cosignatures.
 */

/** What the witness remembers of one log: its latest cosigned checkpoint. */
interface Witnessed {
  size: number;
  root: string;
  /** The checkpoint with the log's signature and this witness's cosignature. */
  note: string;
}

interface State {
  logs: Record<string, Witnessed>;
}

const keyFile = 'witness-key.pem';
const nameFile = 'witness-name';
const stateFile = 'witness-state.json';
/** C2SP tlog-witness: a client sends at most 63 proof lines. */
const maxProofLines = 63;

export class Witness {
  readonly name: string;
  readonly #dir: string;
  readonly #key: KeyObject;
  /** Each log's verifier keys, by origin: more than one while its key rotates. */
  readonly #logs: Map<string, string[]>;
  readonly #now: () => Date;
  #state: State;
  /**
   * Checking the old size and recording the new checkpoint happen as one step (see `#exclusive`);
   * one process holds the directory (`mdis witness` claims it), so this queue is enough.
   */
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(options: {
    dir: string;
    name: string;
    key: KeyObject;
    logs: Map<string, string[]>;
    state: State;
    now: () => Date;
  }) {
    this.#dir = options.dir;
    this.name = options.name;
    this.#key = options.key;
    this.#logs = options.logs;
    this.#state = options.state;
    this.#now = options.now;
  }

  /**
   * Opens the witness kept in `dir`: its key (made on first start), its name (fixed on first
   * start: the key id depends on it) and what it has cosigned. `logs` are the verifier keys of the
   * logs it witnesses; each key's name is the log's origin. Two keys of one origin: the log rotates
   * its key (`mdis keys rotate --purpose log`), and a checkpoint signed by either is accepted.
   */
  static open(options: { dir: string; name: string; logs: readonly string[]; now?: () => Date }): Witness {
    fs.mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    const name = fixName(options.dir, options.name);
    const logs = new Map<string, string[]>();
    for (const verifier of options.logs) {
      // Checked now, so that a bad key is the operator's error at start and not a 403 later.
      const origin = logOrigin(verifier);
      logs.set(origin, [...(logs.get(origin) ?? []), verifier.trim()]);
    }
    const statePath = path.join(options.dir, stateFile);
    const state = fs.existsSync(statePath)
      ? (JSON.parse(fs.readFileSync(statePath, 'utf8')) as State)
      : { logs: {} };
    return new Witness({
      dir: options.dir,
      name,
      key: loadKey(options.dir),
      logs,
      state,
      now: options.now ?? (() => new Date()),
    });
  }

  get verifierKey(): string {
    return cosignerVerifierKey(this.name, createPublicKey(this.#key));
  }

  /** The latest checkpoint of `origin` this witness cosigned, with both signatures. */
  latest(origin: string): string | undefined {
    return this.#state.logs[origin]?.note;
  }

  /**
   * The tlog-witness add-checkpoint request: `old <size>`, the consistency proof (a base64 hash
   * a line), an empty line, and the signed checkpoint. Returns the cosignature line once the new
   * checkpoint is on disk; throws a WitnessRefusal and records nothing otherwise.
   */
  async addCheckpoint(request: string): Promise<string> {
    const parsed = parseRequest(request);
    const verifiers = this.#logs.get(parsed.origin);
    if (verifiers === undefined) throw new UnknownLogError(parsed.origin);
    if (!verifiers.some((verifier) => signedBy(parsed.note, verifier)))
      throw new BadSignatureError(parsed.origin);
    return this.#exclusive(async () => this.#cosign(parsed));
  }

  #cosign(request: ParsedRequest): string {
    const { origin, old, size, root, proof, body } = request;
    const known = this.#state.logs[origin];
    const knownSize = known?.size ?? 0;
    if (old !== knownSize) throw new OldSizeConflictError(origin, knownSize, old);
    const knownRoot = known === undefined ? emptyRoot : Buffer.from(known.root, 'base64');
    if (old === size) {
      if (!knownRoot.equals(root)) throw new OldSizeConflictError(origin, knownSize, old, 'a different root');
      if (proof.length > 0) throw new BadProofError(origin, 'the proof must be empty for an unchanged size');
    } else if (old === 0) {
      if (proof.length > 0) throw new BadProofError(origin, 'the proof must be empty from size 0');
    } else if (!verifyConsistency(old, size, knownRoot, root, proof)) {
      throw new BadProofError(origin, `the consistency proof from size ${old} to ${size} does not verify`);
    }
    const cosignature = cosignCheckpoint(
      body,
      this.name,
      this.#key,
      Math.floor(this.#now().getTime() / 1000),
    );
    // Keep the log's own signature beside ours: the note proves the log signed what we saw.
    const logSignatures = request.signatures.filter((line) => line.startsWith(`\u2014 ${origin} `));
    const note = `${body}\n${logSignatures.map((line) => `${line}\n`).join('')}${cosignature}`;
    const next: State = {
      logs: { ...this.#state.logs, [origin]: { size, root: root.toString('base64'), note } },
    };
    writeDurably(path.join(this.#dir, stateFile), JSON.stringify(next));
    this.#state = next;
    return cosignature;
  }

  /** Runs `work` after every earlier call has finished (one witness process serialises its writes). */
  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

interface ParsedRequest {
  old: number;
  proof: Buffer[];
  note: string;
  body: string;
  signatures: string[];
  origin: string;
  size: number;
  root: Buffer;
}

const decimal = /^(0|[1-9]\d{0,15})$/;
const hash = /^[A-Za-z0-9+/]{43}=$/;

function parseRequest(request: string): ParsedRequest {
  const lines = request.split('\n');
  const oldLine = /^old (\S+)$/.exec(lines[0] ?? '');
  if (!oldLine || !decimal.test(oldLine[1]!)) {
    throw new MalformedCheckpointError('the first line must be "old <size>" in decimal');
  }
  const blank = lines.indexOf('', 1);
  if (blank < 0) throw new MalformedCheckpointError('no empty line ends the consistency proof');
  const proofLines = lines.slice(1, blank);
  if (proofLines.length > maxProofLines) {
    throw new MalformedCheckpointError(`at most ${maxProofLines} consistency proof lines`);
  }
  if (proofLines.some((line) => !hash.test(line))) {
    throw new MalformedCheckpointError('each consistency proof line must be one base64 SHA-256 hash');
  }
  const note = lines.slice(blank + 1).join('\n');
  const split = splitNote(note);
  const [origin, sizeText, rootText] = split?.body.split('\n') ?? [];
  if (split === undefined || !origin || !decimal.test(sizeText ?? '') || !hash.test(rootText ?? '')) {
    throw new MalformedCheckpointError('the checkpoint must be a signed note: origin, size, root hash');
  }
  const old = Number(oldLine[1]);
  const size = Number(sizeText);
  if (old > size) {
    throw new MalformedCheckpointError(`the old size ${old} is larger than the checkpoint's size ${size}`);
  }
  return {
    old,
    proof: proofLines.map((line) => Buffer.from(line, 'base64')),
    note,
    body: split.body,
    signatures: split.signatures,
    origin,
    size,
    root: Buffer.from(rootText!, 'base64'),
  };
}

function signedBy(note: string, verifier: string): boolean {
  try {
    openCheckpoint(note, verifier);
    return true;
  } catch (error) {
    if (error instanceof CheckpointError) return false;
    throw error;
  }
}

const logKey = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/;

/** The origin a log's verifier key names; throws when it is not an Ed25519 checkpoint key. */
function logOrigin(verifier: string): string {
  const [, origin, , key] = logKey.exec(verifier.trim()) ?? [];
  const raw = Buffer.from(key ?? '', 'base64');
  if (origin === undefined || raw.length !== 33 || raw[0] !== 0x01) {
    throw new CheckpointError(`"${verifier}" is not a log verifier key (<origin>+<key id>+<base64 key>)`);
  }
  return origin;
}

function fixName(dir: string, name: string): string {
  const file = path.join(dir, nameFile);
  if (!fs.existsSync(file)) {
    fs.writeFileSync(file, `${name}\n`, { mode: 0o600 });
    return name;
  }
  const fixed = fs.readFileSync(file, 'utf8').trim();
  if (fixed !== name) {
    throw new CheckpointError(
      `this witness is named "${fixed}" (${file}); its key id depends on the name, so it cannot become "${name}"`,
    );
  }
  return fixed;
}

function loadKey(dir: string): KeyObject {
  const file = path.join(dir, keyFile);
  if (!fs.existsSync(file)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    writeDurably(file, pem, 0o600);
  }
  return createPrivateKey(fs.readFileSync(file, 'utf8'));
}

/** Replaces `file` with `text` so that a crash leaves the old or the new, and the new is on disk. */
function writeDurably(file: string, text: string, mode = 0o600): void {
  const temporary = `${file}.tmp`;
  const fd = fs.openSync(temporary, 'w', mode);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, file);
  const dirFd = fs.openSync(path.dirname(file), 'r');
  try {
    fs.fsyncSync(dirFd);
  } finally {
    fs.closeSync(dirFd);
  }
}
