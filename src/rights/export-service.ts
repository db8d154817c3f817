import { createHash, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { type ExportBundle, exportFormat, exportJwsType, type SignedExport } from '../api/export.ts';
import type { Services } from '../context.ts';
import type { Db } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import type { SigningKeys } from '../keys/signing-keys.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import type { Principal } from '../principals/roles.ts';
import { allPages, type PageReader } from './all-pages.ts';
import { type RecordServices, readMyRecord } from './my-record.ts';
import { toldFilter } from './told-acts.ts';

/** Rows at most in one list of an export (a list longer than that is a 413, not a cut bundle). */
export const maxExportRows = 100_000;

export interface ExportDeps extends RecordServices {
  db: Db;
  ledger: LedgerService;
  subjects: Services['subjects'];
  bindings: Services['bindings'];
  disclosureReader: Services['disclosureReader'];
  profileReads: Services['profileReads'];
  checkCounts: Services['checkCounts'];
  corrections: Services['corrections'];
  credentials: Services['credentials'];
  servicePseudonyms: Services['servicePseudonyms'];
  /** The Ed25519 keys of purpose `export`, published at /.well-known/jwks.json. */
  keys: SigningKeys;
  /** mdis's public URL: the `iss` of every export. */
  issuer: () => string;
  now: () => Date;
  maxRows?: number;
}

/**
 * The person's export (issue 15 item 2): one JSON bundle of everything mdis holds about it, read
 * through the services that answer its /v1/me routes, signed as a JWT by mdis's export key so
 * that anyone can check it came from mdis, and recorded in the log (export.downloaded).
 */
export class ExportService {
  readonly #deps: ExportDeps;
  readonly #maxRows: number;

  constructor(deps: ExportDeps) {
    this.#deps = deps;
    this.#maxRows = deps.maxRows ?? maxExportRows;
  }

  /** Reads, signs and logs the export of `principal`'s own subject. */
  async export(principal: Principal): Promise<SignedExport> {
    const subject = principal.subject;
    if (subject === undefined) throw new Error('an export is of a subject principal’s own subject');
    const bundle = await this.bundle(subject);
    const jws = await this.#sign(bundle);
    // No log, no data: the bundle is handed out only once its export is in the log. The entry
    // names the digest of exactly what was signed, so that a bundle can be matched to its entry.
    const logIndex = await inTransaction(this.#deps.db, (tx) =>
      this.#deps.ledger.append(tx, {
        kind: 'export.downloaded',
        actor: principal.id,
        refs: { subject, bundle: createHash('sha256').update(jws).digest('base64url') },
      }),
    );
    return { bundle, jws, logIndex };
  }

  /**
   * The bundle, unsigned. Each part is read as its route reads it, side by side: not in one
   * snapshot of the store, which a long read must not hold against every writer.
   */
  async bundle(subject: string): Promise<ExportBundle> {
    const d = this.#deps;
    const now = d.now();
    const all = <T>(list: string, read: PageReader<T>) => allPages(list, this.#maxRows, read);
    const [profile, avatars, record, history, notices, reads, checks, log, shown, more] = await Promise.all([
      d.subjects.get(subject, { history: true }),
      d.bindings.list(subject),
      readMyRecord(d, subject),
      all('credit history', (page) => d.creditReader.history(subject, page)),
      all('disclosures', (page) => d.disclosureReader.noticesFor(subject, page)),
      all('profile reads', (page) => d.profileReads.readsOf(subject, page)),
      all('eligibility checks', (page) => d.checkCounts.countsOf(subject, page)),
      this.#log(subject),
      toldFilter(d.db, subject, now.toISOString()),
      this.#more(subject),
    ]);
    const deadlines = d.appeals.deadlines(record.appeals);
    return {
      iss: d.issuer(),
      sub: subject,
      iat: Math.floor(now.getTime() / 1000),
      jti: randomUUID(),
      format: exportFormat,
      generatedAt: now.toISOString(),
      profile,
      avatars,
      ...record,
      credit: { ...record.credit, history },
      disclosures: notices.map((n) => ({ ...n, appealDeadline: deadlines.ofDisclosure(n) })),
      access: { reads, checks },
      log: { ...log, entries: log.entries.filter((e) => shown(e.entry)) },
      ...more,
    };
  }

  /** The person's corrections, credentials and the services that know it, whole. */
  async #more(subject: string): Promise<Pick<ExportBundle, 'corrections' | 'credentials' | 'services'>> {
    const d = this.#deps;
    const [corrections, credentials, services] = await Promise.all([
      allPages('corrections', this.#maxRows, (page) => d.corrections.ofSubject(subject, page)),
      d.credentials.listOf(subject),
      d.servicePseudonyms.ofSubject(subject),
    ]);
    return { corrections, credentials, services };
  }

  /**
   * The entries about the subject with the openings of their commitments to it, and a checkpoint
   * that covers them all, each entry with its inclusion proof in that checkpoint's tree.
   */
  async #log(subject: string): Promise<ExportBundle['log']> {
    const { ledger } = this.#deps;
    const entries = await allPages('log entries', this.#maxRows, (page) =>
      ledger.openings.ofSubject(subject, page),
    );
    // Read after the entries: it is signed now if the log grew since the last one, so it covers
    // every entry read. Another instance may have signed a larger one: the tree catches up to it.
    const checkpoint = await ledger.checkpoint();
    await ledger.sync();
    const b64 = (hash: Uint8Array) => Buffer.from(hash).toString('base64');
    return {
      origin: ledger.origin,
      verifierKey: ledger.verifierKey,
      checkpoint: checkpoint.note,
      entries: entries.map((e) => ({
        ...e,
        proof: ledger.tree.inclusionProof(e.index, checkpoint.size).map(b64),
      })),
    };
  }

  async #sign(bundle: ExportBundle): Promise<string> {
    const key = await this.#deps.keys.active();
    // The claims are the bundle itself (iss, sub, iat, jti among them): the payload is the export.
    return new SignJWT(bundle)
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: exportJwsType })
      .sign(key.privateKey);
  }
}
