import type { CaseService } from '../conduct/case-service.ts';
import type { Db } from '../db/database.ts';
import { keysetPage, newestFirst } from '../db/keyset.ts';
import type { DisclosureStatus } from '../db/tables/disclosures.ts';
import { inTransaction, type Tx } from '../db/transaction.ts';
import {
  CaseCategoryMismatchError,
  CaseNotAboutTargetError,
  CaseNotFoundError,
  DisclosureNotFoundError,
  NotFoundError,
} from '../errors.ts';
import type { AttributeGroup } from '../identity/attributes.ts';
import type { AvatarService } from '../identity/avatar-service.ts';
import type { SubjectService } from '../identity/subject-service.ts';
import type { Keyring } from '../keyring.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import type { LegalBasisKind } from '../policy/disclosure-rules.ts';
import type { Policy } from '../policy/policy.ts';
import type { Principal } from '../principals/roles.ts';
import type { Page } from '../util/cursor.ts';
import { newId } from '../util/ids.ts';
import { type Assessment, assessRequest, DisclosureRefusedError } from './disclosure-policy.ts';
import {
  type DisclosureRow,
  type DisclosureSummary,
  disclosureSealer,
  selectDisclosures,
  summarise,
  type Target,
  withReads,
} from './disclosure-view.ts';

export interface DisclosureRequest {
  target: Target;
  scope: AttributeGroup[];
  legalBasis: { kind: LegalBasisKind; reference: string; issuedBy: string; expiresAt: string };
  offence: string;
  purpose: string;
  /** The case the request concerns: about the target, of the offence's category (issue 13). */
  case?: string;
}

export interface DisclosureDeps {
  db: Db;
  ledger: LedgerService;
  policy: Policy;
  keyring: Keyring;
  subjects: SubjectService;
  avatars: AvatarService;
  now: () => Date;
}

/**
 * Disclosure requests, and the lists of them. The policy decides a request before its target is even
 * looked up, and the answer is the same whether the target exists: ids cannot be probed with it.
 */
export class DisclosureService {
  readonly #db: Db;
  readonly #ledger: LedgerService;
  readonly #policy: Policy;
  /** What opens and seals a disclosure's texts. */
  readonly #sealing: { subjects: SubjectService; keyring: Keyring };
  readonly #subjects: SubjectService;
  readonly #avatars: AvatarService;
  readonly #cases: CaseService;
  readonly #now: () => Date;

  constructor(deps: DisclosureDeps & { cases: CaseService }) {
    this.#db = deps.db;
    this.#ledger = deps.ledger;
    this.#policy = deps.policy;
    this.#sealing = { subjects: deps.subjects, keyring: deps.keyring };
    this.#subjects = deps.subjects;
    this.#avatars = deps.avatars;
    this.#cases = deps.cases;
    this.#now = deps.now;
  }

  /**
   * Records a request the policy accepts; one it refuses is logged (and only logged) and thrown
   * as a DisclosureRefusedError. A request without the case its category requires, or naming a
   * case that is not about its target or not of its offence, writes nothing at all.
   */
  async request(
    input: DisclosureRequest,
    authority: Principal,
  ): Promise<{ id: string; status: DisclosureStatus }> {
    const db = this.#db;
    const ledger = this.#ledger;
    const policy = this.#policy;
    const now = this.#now();
    const basis = input.legalBasis;
    const withCase = input.case !== undefined;
    const ask = {
      offence: input.offence,
      scope: input.scope,
      basisKind: basis.kind,
      basisExpiresAt: basis.expiresAt,
      withCase,
    };
    const refs = {
      jurisdiction: authority.jurisdiction,
      basis: basis.kind,
      offence: input.offence,
      scope: input.scope.join(','),
      target: 'subject' in input.target ? 'subject' : 'avatar',
      withCase,
    };
    // The case id only in the salted digest: a visible one would link the entries about one person.
    const details = { target: input.target, legalBasis: basis, purpose: input.purpose, case: input.case };
    let assessment: Assessment;
    try {
      assessment = assessRequest(policy, ask, now);
    } catch (error) {
      if (!(error instanceof DisclosureRefusedError)) throw error;
      await inTransaction(db, (trx) =>
        ledger.append(trx, {
          kind: 'disclosure.refused',
          actor: authority.id,
          refs: { ...refs, reason: String(error.details.reason) },
          details,
        }),
      );
      throw error;
    }
    const id = newId('dsc');
    await inTransaction(db, (trx) =>
      this.#record(trx, { id, at: now.toISOString(), input, authority, assessment, refs, details }),
    );
    return { id, status: assessment.grant === 'oversight' ? 'pending' : 'granted' };
  }

  async #record(
    trx: Tx,
    r: {
      id: string;
      at: string;
      input: DisclosureRequest;
      authority: Principal;
      assessment: Assessment;
      refs: Record<string, string | boolean | undefined>;
      details: unknown;
    },
  ): Promise<void> {
    const { id, at, input, authority, assessment } = r;
    if (input.case !== undefined) await this.#checkCase(trx, input.case, input);
    const basis = input.legalBasis;
    const granted = assessment.grant !== 'oversight';
    const subject = (await this.resolve(input.target, trx)) ?? null;
    const sealKey = subject === null ? ('operator' as const) : ('subject' as const);
    const sealer = await disclosureSealer(this.#sealing, { id, subject_id: subject, seal_key: sealKey }, trx);
    await trx
      .insertInto('disclosures')
      .values({
        id,
        authority_id: authority.id,
        jurisdiction: authority.jurisdiction!,
        target_kind: 'subject' in input.target ? 'subject' : 'avatar',
        sealed_target: sealer.seal('target', input.target),
        subject_id: subject,
        seal_key: sealKey,
        scope: JSON.stringify(input.scope),
        basis_kind: basis.kind,
        sealed_basis: sealer.seal('basis', { reference: basis.reference, issuedBy: basis.issuedBy }),
        basis_expires_at: basis.expiresAt,
        offence: input.offence,
        sealed_purpose: sealer.seal('purpose', input.purpose),
        status: granted ? 'granted' : 'pending',
        review_due_at: assessment.reviewDueAt ?? null,
        reviewed_at: null,
        reviewed_by: null,
        sealed_oversight_reason: null,
        gag_until: assessment.gagUntil,
        created_at: at,
        decided_at: granted ? at : null,
        decided_by: granted ? 'policy' : null,
        case_id: input.case ?? null,
        overdue_logged_at: null,
      })
      .execute();
    // The same entries whether or not the target exists: the log's size tells nothing either.
    const ledger = this.#ledger;
    const refs = { disclosure: id, subject, ...r.refs };
    await ledger.append(trx, { kind: 'disclosure.requested', actor: authority.id, refs, details: r.details });
    if (granted) {
      await ledger.append(trx, {
        kind: 'disclosure.fulfilled',
        actor: 'policy',
        refs: { disclosure: id, subject, grant: assessment.grant, reviewDueAt: assessment.reviewDueAt },
      });
    }
  }

  // The case must be about the target as named (the avatar, or the subject), so the check needs
  // no lookup of the target: it tells no more about whether the target exists than the case does.
  async #checkCase(trx: Tx, caseId: string, input: DisclosureRequest): Promise<void> {
    let row: Awaited<ReturnType<CaseService['row']>>;
    try {
      row = await this.#cases.row(caseId, trx);
    } catch (error) {
      if (error instanceof CaseNotFoundError) throw new CaseNotAboutTargetError(caseId);
      throw error;
    }
    const target = input.target;
    const about =
      'subject' in target
        ? row.subject_id === target.subject
        : row.world_id === target.world && row.handle === target.handle;
    if (!about) throw new CaseNotAboutTargetError(caseId);
    if (row.category !== input.offence) throw new CaseCategoryMismatchError(caseId, input.offence);
  }

  /** Disclosures, newest first: an authority's own, or (oversight, auditors) all. */
  async list(options: {
    caller: Principal;
    status?: DisclosureStatus;
    emergency?: boolean;
    overdue?: boolean;
    cursor?: string;
    limit: number;
  }): Promise<Page<DisclosureSummary>> {
    const now = this.#now();
    let query = selectDisclosures(this.#db);
    if (options.caller.role === 'authority') query = query.where('authority_id', '=', options.caller.id);
    if (options.status !== undefined) query = query.where('status', '=', options.status);
    if (options.emergency !== undefined)
      query = query.where('basis_kind', options.emergency ? '=' : '<>', 'emergency');
    if (options.overdue !== undefined) {
      const at = now.toISOString();
      // Spelled out both ways: NOT over a null review_due_at would be null, not true.
      query = query.where((eb) =>
        options.overdue
          ? eb.and([eb('review_due_at', '<=', at), eb('reviewed_at', 'is', null)])
          : eb.or([
              eb('review_due_at', 'is', null),
              eb('review_due_at', '>', at),
              eb('reviewed_at', 'is not', null),
            ]),
      );
    }
    return keysetPage(query, options, newestFirst, (rows) =>
      rows.map((row) => summarise(withReads(row), now)),
    );
  }

  /** How many emergency disclosures are past their review deadline unreviewed (for the gauge). */
  async overdueCount(): Promise<number> {
    const row = await this.#db
      .selectFrom('disclosures')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('reviewed_at', 'is', null)
      .where('review_due_at', 'is not', null)
      .where('review_due_at', '<=', this.#now().toISOString())
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async row(id: string, db: Db = this.#db): Promise<DisclosureRow> {
    const row = await selectDisclosures(db).where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw new DisclosureNotFoundError(id);
    return withReads(row);
  }

  /** The subject a target names now, if any. */
  async resolve(target: Target, db: Db = this.#db): Promise<string | undefined> {
    if ('world' in target) return this.#avatars.subjectOf(target.world, target.handle, db);
    try {
      await this.#subjects.assertExists(target.subject, db);
      return target.subject;
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }
}
