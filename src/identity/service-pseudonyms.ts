import type { Db } from '../db/database.ts';
import type { Tx } from '../db/transaction.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import type { AttributeVault } from './attribute-vault.ts';

/** A service pseudonym as the API takes it: `SV` and 24 base32 characters. */
export const servicePseudonymPattern = '^SV[0-9A-HJKMNP-TV-Z]{24}$';

/** Rows read per query when the map is loaded. */
const loadBatch = 50_000;

/**
 * The pseudonyms given out, in memory: per service, pseudonym → subject. Pure, so that the bench
 * measures the lookup a check makes. One map per service: a lookup is a small map's hit and one
 * `Map.get` that yields the subject id itself, with no entry object to read and compare.
 */
export class PseudonymMap {
  readonly #byService = new Map<string, Map<string, string>>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** The subject behind `pseudonym` if it is `service`'s; undefined for another's or an unknown one. */
  subjectFor(service: string, pseudonym: string): string | undefined {
    return this.#byService.get(service)?.get(pseudonym);
  }

  set(pseudonym: string, service: string, subject: string): void {
    let own = this.#byService.get(service);
    if (own === undefined) {
      own = new Map();
      this.#byService.set(service, own);
    }
    if (!own.has(pseudonym)) this.#size++;
    own.set(pseudonym, subject);
  }
}

/**
 * The pseudonyms services know people by: one per (service, person), handed out as the pairwise
 * `sub` when the person signs in to the service through mdis, and kept so that the service can
 * check eligibility by it. Resolving is one lookup in a map in memory; a pseudonym this instance
 * has not seen as the caller's (given out on another instance a moment ago, another service's, or
 * made up) is looked up in the store.
 */
export class ServicePseudonymService {
  readonly #db: Db;
  readonly #ledger: LedgerService;
  readonly #vault: AttributeVault;
  readonly #now: () => Date;
  #known = new PseudonymMap();

  constructor(options: { db: Db; ledger: LedgerService; vault: AttributeVault; now: () => Date }) {
    this.#db = options.db;
    this.#ledger = options.ledger;
    this.#vault = options.vault;
    this.#now = options.now;
  }

  /** The services that know the subject, each under its pseudonym, oldest first (its export). */
  async ofSubject(subject: string): Promise<{ service: string; pseudonym: string; since: string }[]> {
    const rows = await this.#db
      .selectFrom('service_pseudonyms')
      .select(['principal_id', 'pseudonym', 'created_at'])
      .where('subject_id', '=', subject)
      .orderBy('created_at')
      .execute();
    return rows.map((row) => ({
      service: row.principal_id,
      pseudonym: row.pseudonym,
      since: row.created_at,
    }));
  }

  /** The service's pseudonym for the subject; the same as the one `record` keeps. */
  pseudonymOf(service: string, subject: string): string {
    return this.#vault.servicePseudonym(service, subject);
  }

  /**
   * Keeps the service's pseudonym for the subject, the first time the subject consents to the
   * service, and logs it (the person can then be checked by it).
   */
  async record(tx: Tx, input: { service: string; subject: string }, actor: string): Promise<string> {
    const pseudonym = this.pseudonymOf(input.service, input.subject);
    // Two consents at once: the second inserts nothing and logs nothing.
    const inserted = await tx
      .insertInto('service_pseudonyms')
      .values({
        pseudonym,
        principal_id: input.service,
        subject_id: input.subject,
        created_at: this.#now().toISOString(),
      })
      .onConflict((oc) => oc.column('pseudonym').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return pseudonym;
    await this.#ledger.append(tx, {
      kind: 'service.pseudonym_issued',
      actor,
      refs: { service: input.service, subject: input.subject, pseudonym },
      details: {},
    });
    tx.afterCommit(() => this.#known.set(pseudonym, input.service, input.subject));
    return pseudonym;
  }

  /**
   * The subject behind `pseudonym`, if `service` was given it; undefined for another service's
   * pseudonym exactly as for one never given out, so that a service cannot probe.
   */
  async resolve(service: string, pseudonym: string): Promise<string | undefined> {
    const known = this.#known.subjectFor(service, pseudonym);
    if (known !== undefined) return known;
    // Given out on another instance a moment ago, or not this service's, or made up: the store says.
    const row = await this.#db
      .selectFrom('service_pseudonyms')
      .select(['principal_id', 'subject_id'])
      .where('pseudonym', '=', pseudonym)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    this.#known.set(pseudonym, row.principal_id, row.subject_id);
    return row.principal_id === service ? row.subject_id : undefined;
  }

  /** Loads every pseudonym given out (a serving instance, with the eligibility index). */
  async load(): Promise<void> {
    const known = new PseudonymMap();
    let after = '';
    for (;;) {
      const rows = await this.#db
        .selectFrom('service_pseudonyms')
        .select(['pseudonym', 'principal_id', 'subject_id'])
        .where('pseudonym', '>', after)
        .orderBy('pseudonym')
        .limit(loadBatch)
        .execute();
      for (const row of rows) known.set(row.pseudonym, row.principal_id, row.subject_id);
      if (rows.length < loadBatch) break;
      after = rows.at(-1)!.pseudonym;
    }
    this.#known = known;
  }
}
