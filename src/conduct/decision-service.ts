import type { Selectable } from 'kysely';
import type { CaseDetail } from '../api/cases.ts';
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

  /** The subject appeals an upheld decision about itself: once, within the policy's window. */
  async appeal(caseId: string, reason: string, subject: string, actor: string): Promise<CaseDetail> {
    await inTransaction(this.#db, async (trx) => {
      const row = await this.#cases.row(caseId, trx);
      if (row.subject_id !== subject)
        throw new ForbiddenError('a subject may appeal only decisions about itself');
      if (row.appeal_status !== null) throw new AlreadyAppealedError(caseId);
      if (row.status !== 'decided' || row.outcome !== 'upheld') {
        throw new NotAppealableError(caseId);
      }
      const now = this.#now();
      const windowDays = this.#policy.document.appeals.windowDays;
      if (now.getTime() > Date.parse(row.decided_at!) + windowDays * dayMs) {
        throw new AppealWindowClosedError(windowDays);
      }
      await this.#cases.recordAppeal(trx, row, reason, now.toISOString());
      await this.#ledger.append(trx, {
        kind: 'case.appealed',
        actor,
        refs: { case: caseId, subject },
        details: { reason },
      });
    });
    return this.#cases.get(caseId);
  }

  /** Decides a pending appeal; overturning lifts the case's sanctions and strikes. */
  async decideAppeal(
    caseId: string,
    input: { outcome: 'upheld' | 'overturned'; rationale: string },
    actor: string,
  ): Promise<CaseDetail> {
    await inTransaction(this.#db, async (trx) => {
      const row = await this.#cases.row(caseId, trx);
      if (row.appeal_status !== 'pending') throw new NoPendingAppealError(caseId);
      const now = this.#now().toISOString();
      await this.#cases.recordAppealDecision(trx, row, input, { actor, at: now });
      await this.#ledger.append(trx, {
        kind: 'appeal.decided',
        actor,
        refs: { case: caseId, subject: row.subject_id, outcome: input.outcome },
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
    });
    return this.#cases.get(caseId);
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
