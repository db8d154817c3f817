import type { Selectable } from 'kysely';
import type { CaseDetail, DecisionPreview } from '../api/cases.ts';
import type { AppealStore } from '../appeals/appeal-store.ts';
import type { CreditService } from '../credit/credit-service.ts';
import type { Db } from '../db/database.ts';
import type { CasesTable } from '../db/tables/cases.ts';
import { inTransaction, type Tx } from '../db/transaction.ts';
import type { SanctionService } from '../enforcement/sanction-service.ts';
import type { StrikeService } from '../enforcement/strike-service.ts';
import {
  AlreadyAppealedError,
  AppealWindowClosedError,
  CaseNotOpenError,
  ForbiddenError,
  NoPendingAppealError,
  NotAppealableError,
  OwnDecisionError,
  ValidationError,
} from '../errors.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import type { Notifier } from '../notify/notifier.ts';
import { type Policy, type SanctionKind, worldScopedKinds } from '../policy/policy.ts';
import { dayMs } from '../util/time.ts';
import type { CaseService } from './case-service.ts';

/** A sanction a decision imposes; world-scoped kinds default to the case's world. */
export interface SanctionRequest {
  kind: SanctionKind;
  world?: string;
  actions?: string[];
  /** How long it holds; absent, until lifted. */
  days?: number;
  reason?: string;
}

export interface Decision {
  outcome: 'upheld' | 'dismissed';
  severity?: number;
  rationale: string;
  sanctions?: SanctionRequest[];
}

/**
 * Decides cases and appeals. A decision, its strikes, the ladder's sanction and the sanctions it
 * imposes are one transaction: any failure leaves none of them.
 */
export class DecisionService {
  readonly #db: Db;
  readonly #ledger: LedgerService;
  readonly #policy: Policy;
  readonly #cases: CaseService;
  readonly #sanctions: SanctionService;
  readonly #strikes: StrikeService;
  readonly #notifier: Notifier;
  readonly #credit: CreditService;
  readonly #appeals: AppealStore;
  readonly #now: () => Date;

  constructor(options: {
    db: Db;
    ledger: LedgerService;
    policy: Policy;
    cases: CaseService;
    sanctions: SanctionService;
    strikes: StrikeService;
    notifier: Notifier;
    credit: CreditService;
    appeals: AppealStore;
    now: () => Date;
  }) {
    this.#db = options.db;
    this.#ledger = options.ledger;
    this.#policy = options.policy;
    this.#cases = options.cases;
    this.#sanctions = options.sanctions;
    this.#strikes = options.strikes;
    this.#notifier = options.notifier;
    this.#credit = options.credit;
    this.#appeals = options.appeals;
    this.#now = options.now;
  }

  async decide(caseId: string, decision: Decision, actor: string): Promise<CaseDetail> {
    await inTransaction(this.#db, async (trx) => {
      const row = await this.#cases.row(caseId, trx);
      if (row.status !== 'open') throw new CaseNotOpenError(caseId, row.status);
      this.#checkDecision(row, decision);
      const now = this.#now();
      await this.#cases.recordDecision(trx, row, decision, { actor, at: now.toISOString() });
      await this.#ledger.append(trx, {
        kind: 'case.decided',
        actor,
        refs: {
          case: caseId,
          subject: row.subject_id,
          outcome: decision.outcome,
          severity: decision.severity,
        },
        details: { rationale: decision.rationale },
      });
      if (decision.outcome === 'upheld') await this.#enforce(trx, row, decision, actor, now);
      await this.#notifier.enqueue(trx, {
        type: 'case.decided',
        subject: row.subject_id,
        world: row.world_id,
        occurredAt: now.toISOString(),
        data: {
          case: {
            id: caseId,
            category: row.category,
            outcome: decision.outcome,
            severity: decision.severity,
          },
        },
      });
    });
    return this.#cases.get(caseId);
  }

  /**
   * What upholding an open case would do (strikes, the ladder's sanction, points), computed from
   * the policy and the subject's active strikes as they are now; nothing is written. Without a
   * severity, only the category's range.
   */
  async preview(caseId: string, severity?: number): Promise<DecisionPreview> {
    const row = await this.#cases.row(caseId);
    const category = this.#policy.category(row.category);
    const max = category?.maxSeverity ?? 1;
    const preview: DecisionPreview = { category: row.category, severity: { min: 1, max } };
    if (severity === undefined) return preview;
    if (severity > max) throw new ValidationError('severity', `is from 1 to ${max} for ${row.category}`);
    const strikes = this.#policy.strikesFor(severity);
    const before = await this.#strikes.activeTotal(row.subject_id);
    const step = this.#policy.ladderStepCrossed(before, before + strikes);
    const { sanctionPoints } = this.#policy.document.credit;
    return {
      ...preview,
      effects: {
        severity,
        strikes,
        activeStrikes: { before, after: before + strikes },
        ladderSanction:
          step === undefined
            ? undefined
            : { kind: step.sanction, days: step.days, points: sanctionPoints[step.sanction] },
        points: category?.points[severity - 1] ?? 0,
      },
    };
  }

  /**
   * The subject appeals an upheld decision about itself: once, within the policy's window. The
   * case route's answer to a late appeal stays `appeal_window_closed`; `POST /v1/appeals` answers
   * `appeal_window_expired` (see docs/appeals.md).
   */
  async appeal(caseId: string, reason: string, subject: string, actor: string): Promise<CaseDetail> {
    await inTransaction(this.#db, async (trx) => {
      const row = await this.appealable(caseId, subject, trx);
      const windowDays = this.#policy.document.appeals.windowDays;
      if (this.#now().getTime() > Date.parse(row.decided_at!) + windowDays * dayMs) {
        throw new AppealWindowClosedError(windowDays);
      }
      await this.appealWithin(trx, row, reason, actor);
    });
    return this.#cases.get(caseId);
  }

  /** A case the subject may appeal, but for its window: about it, upheld, not yet appealed. */
  async appealable(caseId: string, subject: string, db: Db): Promise<Selectable<CasesTable>> {
    const row = await this.#cases.row(caseId, db);
    if (row.subject_id !== subject)
      throw new ForbiddenError('a subject may appeal only decisions about itself');
    if (row.appeal_status !== null) throw new AlreadyAppealedError(caseId);
    if (row.status !== 'decided' || row.outcome !== 'upheld') throw new NotAppealableError(caseId);
    return row;
  }

  /** Records a case's appeal, in the case and in the appeals' queue, with its log entry. */
  async appealWithin(trx: Tx, row: Selectable<CasesTable>, reason: string, actor: string): Promise<string> {
    const at = this.#now().toISOString();
    await this.#cases.recordAppeal(trx, row, reason, at);
    const appealId = await this.#appeals.insert(trx, {
      kind: 'case',
      target: row.id,
      subject: row.subject_id,
      queue: 'moderator',
      reason,
      decisionBy: row.decided_by!,
      actor,
      at,
    });
    await this.#ledger.append(trx, {
      kind: 'case.appealed',
      actor,
      refs: { case: row.id, subject: row.subject_id, appeal: appealId },
      details: { reason },
    });
    return appealId;
  }

  /** Decides a pending appeal; overturning lifts the case's sanctions and strikes. */
  async decideAppeal(
    caseId: string,
    input: { outcome: 'upheld' | 'overturned'; rationale: string },
    actor: string,
  ): Promise<CaseDetail> {
    await inTransaction(this.#db, async (trx) => {
      const row = await this.#cases.row(caseId, trx);
      await this.decideAppealWithin(trx, row, input, actor);
    });
    return this.#cases.get(caseId);
  }

  /**
   * Decides a case's pending appeal inside the caller's transaction: never by the moderator who
   * made the decision; overturned, the case's strikes, sanctions and points are undone.
   */
  async decideAppealWithin(
    trx: Tx,
    row: Selectable<CasesTable>,
    input: { outcome: 'upheld' | 'overturned'; rationale: string },
    actor: string,
  ): Promise<void> {
    const caseId = row.id;
    if (row.appeal_status !== 'pending') throw new NoPendingAppealError(caseId);
    if (row.decided_by === actor) throw new OwnDecisionError(caseId);
    const now = this.#now().toISOString();
    await this.#cases.recordAppealDecision(trx, row, input, { actor, at: now });
    // Cases appealed before the appeals table existed have no row there.
    const appeal = await this.#appeals.find('case', caseId, trx);
    if (appeal !== undefined) await this.#appeals.decide(trx, appeal, input, { actor, at: now });
    await this.#ledger.append(trx, {
      kind: 'appeal.decided',
      actor,
      refs: { case: caseId, subject: row.subject_id, outcome: input.outcome, appeal: appeal?.id },
      details: { rationale: input.rationale },
    });
    if (input.outcome === 'overturned') {
      await this.#sanctions.liftForCase(
        trx,
        caseId,
        `appeal overturned the decision: ${input.rationale}`,
        actor,
      );
      await this.#strikes.liftForCase(trx, caseId);
      await this.#credit.removeCase(trx, row.subject_id, caseId, `appeal:${caseId}`);
    }
    await this.#notifier.enqueue(trx, {
      type: 'case.decided',
      subject: row.subject_id,
      world: row.world_id,
      occurredAt: now,
      data: { case: { id: caseId, category: row.category, outcome: row.outcome, appeal: input.outcome } },
    });
  }

  #checkDecision(row: Selectable<CasesTable>, decision: Decision): void {
    if (decision.outcome === 'dismissed') {
      if (decision.severity !== undefined)
        throw new ValidationError('severity', 'applies to an upheld decision only');
      if (decision.sanctions?.length) throw new ValidationError('sanctions', 'a dismissed case imposes none');
      return;
    }
    const maxSeverity = this.#policy.category(row.category)?.maxSeverity ?? 1;
    if (decision.severity === undefined || decision.severity > maxSeverity) {
      throw new ValidationError('severity', `is required, from 1 to ${maxSeverity} for ${row.category}`);
    }
  }

  // Strikes, the sanction of the ladder step they reach, then the sanctions the moderator chose.
  async #enforce(trx: Tx, row: Selectable<CasesTable>, decision: Decision, actor: string, now: Date) {
    const subject = row.subject_id;
    const decided = {
      causeKind: 'case' as const,
      causeId: row.id,
      caseId: row.id,
      code: row.category,
      severity: decision.severity!,
      occurredAt: now.toISOString(),
    };
    await this.#credit.record(trx, subject, [decided], `case:${row.id}`);
    const { before, after } = await this.#strikes.add(trx, {
      subject,
      caseId: row.id,
      severity: decision.severity!,
    });
    const step = this.#policy.ladderStepCrossed(before, after);
    if (step !== undefined) {
      await this.#sanctions.imposeIn(
        trx,
        {
          subject,
          kind: step.sanction,
          world: step.sanction === 'suspension' ? row.world_id : undefined,
          days: step.days,
          reason: `strike ladder: ${after} active strikes`,
          caseId: row.id,
          source: 'ladder',
        },
        actor,
      );
    }
    for (const [i, request] of (decision.sanctions ?? []).entries()) {
      const scoped = worldScopedKinds.includes(request.kind);
      try {
        await this.#sanctions.imposeIn(
          trx,
          {
            subject,
            kind: request.kind,
            world: request.world ?? (scoped ? row.world_id : undefined),
            actions: request.actions,
            days: request.days,
            reason: request.reason ?? decision.rationale,
            caseId: row.id,
            source: 'decision',
          },
          actor,
        );
      } catch (error) {
        throw error instanceof ValidationError ? error.within(`sanctions.${i}`) : error;
      }
    }
  }
}
