import type { Target } from '../access/disclosure-view.ts';
import type { Preservation, PreservationNotice, PreservationOrder } from '../api/rights.ts';
import type { LegalBasisKind } from '../api/words.ts';
import type { Db } from '../db/database.ts';
import type { PreservationsTable } from '../db/tables/erasures.ts';
import { inTransaction } from '../db/transaction.ts';
import {
  AvatarNotFoundError,
  LegalBasisRequiredError,
  PreservationExtendedError,
  PreservationLapsedError,
  PreservationNotFoundError,
  ValidationError,
} from '../errors.ts';
import type { AvatarService } from '../identity/avatar-service.ts';
import type { SubjectService } from '../identity/subject-service.ts';
import type { Keyring } from '../keyring.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import type { Policy } from '../policy/policy.ts';
import type { Principal } from '../principals/roles.ts';
import { newId } from '../util/ids.ts';
import { dayMs, isoAfter } from '../util/time.ts';

/** The one sealing context of a preservation's basis (the operator's key: it outlives erasure). */
const basisContext = (id: string) => `preservation basis ${id}`;

/**
 * Authorities' orders to preserve a subject's data: each rests on a legal basis, lasts at most 90
 * days and may be extended once by as much; an erasure waits while one is in force. The person
 * learns of one once its gag (the disclosure gag of its offence's category) has ended.
 */
export class PreservationService {
  readonly #db: Db;
  readonly #ledger: LedgerService;
  readonly #keyring: Keyring;
  readonly #policy: Policy;
  readonly #subjects: SubjectService;
  readonly #avatars: AvatarService;
  readonly #now: () => Date;

  constructor(options: {
    db: Db;
    ledger: LedgerService;
    keyring: Keyring;
    policy: Policy;
    subjects: SubjectService;
    avatars: AvatarService;
    now: () => Date;
  }) {
    this.#db = options.db;
    this.#ledger = options.ledger;
    this.#keyring = options.keyring;
    this.#policy = options.policy;
    this.#subjects = options.subjects;
    this.#avatars = options.avatars;
    this.#now = options.now;
  }

  /** Orders a preservation; without a complete legal basis, a LegalBasisRequiredError (422). */
  async order(
    input: Omit<PreservationOrder, 'target'> & { target: Target },
    authority: Principal,
  ): Promise<Preservation> {
    const basis = completeBasis(input.legalBasis);
    if (this.#policy.category(input.offence) === undefined) {
      throw new ValidationError('offence', `"${input.offence}" is not a conduct category of the policy`);
    }
    const subject = await this.#subjectOf(input.target);
    const now = this.#now();
    const id = newId('prs');
    const gagDays = this.#policy.disclosureRule(input.offence)?.gagDays ?? 0;
    const row: PreservationsTable = {
      id,
      authority_id: authority.id,
      subject_id: subject,
      basis_kind: basis.kind,
      sealed_basis: this.#keyring.sealSecret(
        basisContext(id),
        JSON.stringify({ reference: basis.reference, issuedBy: basis.issuedBy }),
      ),
      offence: input.offence,
      created_at: now.toISOString(),
      ends_at: isoAfter(now, input.days * dayMs),
      extended_at: null,
      gag_until: isoAfter(now, gagDays * dayMs),
      lapse_logged_at: null,
    };
    await inTransaction(this.#db, async (tx) => {
      await tx.insertInto('preservations').values(row).execute();
      await this.#ledger.append(tx, {
        kind: 'preservation.ordered',
        actor: authority.id,
        refs: { preservation: id, subject, basis: basis.kind, offence: input.offence, days: input.days },
        details: { reference: basis.reference, issuedBy: basis.issuedBy },
      });
    });
    return this.#view(row);
  }

  /** Extends an order of the authority's own that is still in force, once, by at most 90 days. */
  async extend(id: string, days: number, authority: Principal): Promise<Preservation> {
    const now = this.#now();
    const row = await inTransaction(this.#db, async (tx) => {
      const found = await tx.selectFrom('preservations').selectAll().where('id', '=', id).executeTakeFirst();
      if (found === undefined || found.authority_id !== authority.id) throw new PreservationNotFoundError(id);
      if (found.extended_at !== null) throw new PreservationExtendedError(id);
      if (Date.parse(found.ends_at) <= now.getTime()) throw new PreservationLapsedError(id, found.ends_at);
      const changed = {
        ends_at: isoAfter(new Date(found.ends_at), days * dayMs),
        extended_at: now.toISOString(),
      };
      await tx.updateTable('preservations').set(changed).where('id', '=', id).execute();
      await this.#ledger.append(tx, {
        kind: 'preservation.extended',
        actor: authority.id,
        refs: { preservation: id, subject: found.subject_id, basis: found.basis_kind, days },
      });
      return { ...found, ...changed };
    });
    return this.#view(row);
  }

  /** The orders a reader may see, newest first: an authority its own, oversight and auditors all. */
  async list(reader: Principal, limit = 500): Promise<Preservation[]> {
    let query = this.#db.selectFrom('preservations').selectAll();
    if (reader.role === 'authority') query = query.where('authority_id', '=', reader.id);
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map((row) => this.#view(row));
  }

  /** The orders in force for a subject at `at` (what holds its erasure), latest end first. */
  async inForce(
    subject: string,
    at: Date,
    db: Db = this.#db,
  ): Promise<{ id: string; endsAt: string; gagUntil: string }[]> {
    const rows = await db
      .selectFrom('preservations')
      .select(['id', 'ends_at', 'gag_until'])
      .where('subject_id', '=', subject)
      .where('ends_at', '>', at.toISOString())
      .orderBy('ends_at', 'desc')
      .execute();
    return rows.map((row) => ({ id: row.id, endsAt: row.ends_at, gagUntil: row.gag_until }));
  }

  /** What the person is told: the orders about it whose gag has ended. */
  async noticesFor(subject: string): Promise<PreservationNotice[]> {
    const now = this.#now().toISOString();
    const rows = await this.#db
      .selectFrom('preservations')
      .selectAll()
      .where('subject_id', '=', subject)
      .where('gag_until', '<=', now)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      legalBasisKind: row.basis_kind as LegalBasisKind,
      offence: row.offence,
      orderedAt: row.created_at,
      endsAt: row.ends_at,
      extended: row.extended_at !== null,
      status: row.ends_at > now ? 'active' : 'lapsed',
    }));
  }

  /** Logs `preservation.lapsed` once for each order that has ended (a scheduled pass). */
  async logLapsed(): Promise<number> {
    const now = this.#now().toISOString();
    const due = await this.#db
      .selectFrom('preservations')
      .select(['id', 'subject_id'])
      .where('ends_at', '<=', now)
      .where('lapse_logged_at', 'is', null)
      .limit(1000)
      .execute();
    for (const row of due) {
      await inTransaction(this.#db, async (tx) => {
        const marked = await tx
          .updateTable('preservations')
          .set({ lapse_logged_at: now })
          .where('id', '=', row.id)
          .where('lapse_logged_at', 'is', null)
          .executeTakeFirst();
        // Another instance logged it first.
        if (Number(marked.numUpdatedRows) === 0) return;
        await this.#ledger.append(tx, {
          kind: 'preservation.lapsed',
          actor: 'system',
          refs: { preservation: row.id, subject: row.subject_id },
        });
      });
    }
    return due.length;
  }

  async #subjectOf(target: Target): Promise<string> {
    if ('subject' in target) {
      await this.#subjects.assertExists(target.subject);
      return target.subject;
    }
    const subject = await this.#avatars.subjectOf(target.world, target.handle);
    if (subject === undefined) throw new AvatarNotFoundError(target.world, target.handle);
    return subject;
  }

  #view(row: PreservationsTable): Preservation {
    const basis = JSON.parse(this.#keyring.openSecret(basisContext(row.id), row.sealed_basis)) as {
      reference: string;
      issuedBy: string;
    };
    return {
      id: row.id,
      authority: row.authority_id,
      subject: row.subject_id,
      legalBasis: { kind: row.basis_kind as LegalBasisKind, ...basis },
      offence: row.offence,
      createdAt: row.created_at,
      endsAt: row.ends_at,
      extendedAt: row.extended_at,
      gagUntil: row.gag_until,
      status: row.ends_at > this.#now().toISOString() ? 'active' : 'lapsed',
    };
  }
}

/** The legal basis, each of its parts given and not blank; else a LegalBasisRequiredError. */
function completeBasis(basis: PreservationOrder['legalBasis']): {
  kind: LegalBasisKind;
  reference: string;
  issuedBy: string;
} {
  if (basis === undefined) throw new LegalBasisRequiredError('legalBasis');
  if (basis.kind === undefined) throw new LegalBasisRequiredError('legalBasis.kind');
  for (const field of ['reference', 'issuedBy'] as const) {
    if ((basis[field] ?? '').trim() === '') throw new LegalBasisRequiredError(`legalBasis.${field}`);
  }
  return { kind: basis.kind, reference: basis.reference!.trim(), issuedBy: basis.issuedBy!.trim() };
}
