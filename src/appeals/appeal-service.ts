import type { DisclosureService } from '../access/disclosure-service.ts';
import type { Appeal, AppealDecision, AppealKind, NewAppeal } from '../api/appeals.ts';
import type { CaseService } from '../conduct/case-service.ts';
import type { DecisionService } from '../conduct/decision-service.ts';
import { type CreditService, toContribution } from '../credit/credit-service.ts';
import type { Db } from '../db/database.ts';
import { inTransaction, type Tx } from '../db/transaction.ts';
import type { SanctionService } from '../enforcement/sanction-service.ts';
import {
  AppealWindowExpiredError,
  ContributionNotFoundError,
  DisclosureNotFoundError,
  ForbiddenError,
  NotAppealableError,
  OwnDecisionError,
  SanctionNotFoundError,
} from '../errors.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import type { Policy } from '../policy/policy.ts';
import type { Principal } from '../principals/roles.ts';
import type { Page } from '../util/cursor.ts';
import { dayMs } from '../util/time.ts';
import type { AppealRow, AppealStore } from './appeal-store.ts';
import { type AppealDeadlines, appealDeadlines } from './deadlines.ts';

/** Where an appeal stands before it is filed: who decided, since when the window runs. */
interface Appealable {
  queue: 'moderator' | 'oversight';
  decisionBy: string;
  since: string;
  windowDays: number;
}

/**
 * One appeal pipeline for every adverse decision about a subject: a case's decision (moderators),
 * a sanction a moderator imposed directly (moderators), a disclosure once its notice is given
 * (oversight), a credit contribution counted without a decision (moderators). Each is appealed once, within the policy's window for its kind; no one decides the
 * appeal of their own decision; an overturned appeal undoes every effect in one transaction with
 * its log entries, and eligibility is told of each change through its one call.
 */
export class AppealService {
  readonly #db: Db;
  readonly #ledger: LedgerService;
  readonly #policy: Policy;
  readonly #store: AppealStore;
  readonly #cases: CaseService;
  readonly #decisions: DecisionService;
  readonly #sanctions: SanctionService;
  readonly #credit: CreditService;
  readonly #disclosures: DisclosureService;
  readonly #now: () => Date;

  constructor(options: {
    db: Db;
    ledger: LedgerService;
    policy: Policy;
    store: AppealStore;
    cases: CaseService;
    decisions: DecisionService;
    sanctions: SanctionService;
    credit: CreditService;
    disclosures: DisclosureService;
    now: () => Date;
  }) {
    this.#db = options.db;
    this.#ledger = options.ledger;
    this.#policy = options.policy;
    this.#store = options.store;
    this.#cases = options.cases;
    this.#decisions = options.decisions;
    this.#sanctions = options.sanctions;
    this.#credit = options.credit;
    this.#disclosures = options.disclosures;
    this.#now = options.now;
  }

  /** Files the subject's appeal of one adverse decision about it. */
  async file(input: NewAppeal, subject: string, actor: string): Promise<Appeal> {
    const { kind, id: target } = input.target;
    const appealId = await inTransaction(this.#db, async (trx) => {
      if (kind === 'case') {
        const row = await this.#decisions.appealable(target, subject, trx);
        this.#checkWindow({ since: row.decided_at!, windowDays: this.#policy.document.appeals.windowDays });
        return this.#decisions.appealWithin(trx, row, input.reason, actor);
      }
      const appealable = await this.#appealable(trx, kind, target, subject);
      this.#checkWindow(appealable);
      const at = this.#now().toISOString();
      const id = await this.#store.insert(trx, {
        kind,
        target,
        subject,
        queue: appealable.queue,
        reason: input.reason,
        decisionBy: appealable.decisionBy,
        actor,
        at,
      });
      await this.#ledger.append(trx, {
        kind: 'appeal.filed',
        actor,
        refs: { appeal: id, kind, [kind]: target, subject },
        details: { reason: input.reason },
      });
      return id;
    });
    return this.#store.view(await this.#store.row(appealId));
  }

  /** Decides a pending appeal: its queue's role only, never the one who made the decision. */
  async decide(appealId: string, input: AppealDecision, decider: Principal): Promise<Appeal> {
    await inTransaction(this.#db, async (trx) => {
      const row = await this.#store.row(appealId, trx);
      if (row.queue !== decider.role) {
        throw new ForbiddenError(
          `this appeal is heard by ${row.queue === 'oversight' ? 'oversight' : 'moderators'}`,
        );
      }
      if (row.kind === 'case') {
        await this.#decisions.decideAppealWithin(
          trx,
          await this.#cases.row(row.target_id, trx),
          input,
          decider.id,
        );
        return;
      }
      if (row.decision_by === decider.id) throw new OwnDecisionError(row.target_id);
      const at = this.#now().toISOString();
      await this.#store.decide(trx, row, input, { actor: decider.id, at });
      await this.#ledger.append(trx, {
        kind: 'appeal.decided',
        actor: decider.id,
        refs: {
          appeal: row.id,
          kind: row.kind,
          [row.kind]: row.target_id,
          subject: row.subject_id,
          outcome: input.outcome,
        },
        details: { rationale: input.rationale },
      });
      if (input.outcome === 'overturned') await this.#undo(trx, row, input.rationale, decider.id);
    });
    return this.#store.view(await this.#store.row(appealId));
  }

  async get(appealId: string): Promise<Appeal> {
    return this.#store.view(await this.#store.row(appealId));
  }

  /** The pending appeals a role hears, oldest first, a page at a time. */
  queue(role: 'moderator' | 'oversight', page: { cursor?: string; limit: number }): Promise<Page<Appeal>> {
    return this.#store.pending(role, page);
  }

  /** Until when each adverse decision shown to a subject may still be appealed (see deadlines.ts). */
  deadlines(appeals: Appeal[]): AppealDeadlines {
    return appealDeadlines(this.#policy.document.appeals, this.#now(), appeals);
  }

  ofSubject(subject: string): Promise<Appeal[]> {
    return this.#store.ofSubject(subject);
  }

  async #undo(trx: Tx, row: AppealRow, rationale: string, actor: string): Promise<void> {
    if (row.kind === 'contribution') {
      const contribution = await this.#credit.contribution(row.target_id, trx);
      await this.#credit.removeCause(
        trx,
        row.subject_id,
        { causeKind: contribution.cause_kind, causeId: contribution.cause_id },
        `appeal:${row.id}`,
      );
      return;
    }
    if (row.kind === 'sanction') {
      const sanction = await trx
        .selectFrom('sanctions')
        .select('status')
        .where('id', '=', row.target_id)
        .executeTakeFirstOrThrow();
      if (sanction.status === 'active') {
        await this.#sanctions.liftWithin(
          trx,
          row.target_id,
          `appeal overturned the sanction: ${rationale}`,
          actor,
        );
      }
      await this.#credit.removeCause(
        trx,
        row.subject_id,
        { causeKind: 'sanction', causeId: row.target_id },
        `appeal:${row.id}`,
      );
      return;
    }
    // A disclosure cannot be taken back; it is declared unlawful, in the log and in the report.
    await this.#ledger.append(trx, {
      kind: 'disclosure.unlawful',
      actor,
      refs: { disclosure: row.target_id, appeal: row.id, subject: row.subject_id },
      details: { rationale },
    });
  }

  async #appealable(
    trx: Tx,
    kind: Exclude<AppealKind, 'case'>,
    target: string,
    subject: string,
  ): Promise<Appealable> {
    const windows = this.#policy.document.appeals;
    if (kind === 'contribution') return this.#appealableContribution(trx, target, subject);
    if (kind === 'sanction') {
      const sanction = await trx
        .selectFrom('sanctions')
        .selectAll()
        .where('id', '=', target)
        .executeTakeFirst();
      if (sanction === undefined || sanction.subject_id !== subject) throw new SanctionNotFoundError(target);
      if (sanction.source !== 'manual') {
        throw new NotAppealableError(
          target,
          `imposed by the decision of case ${sanction.case_id}: appeal the case`,
        );
      }
      if (sanction.status === 'lifted') throw new NotAppealableError(target, 'this sanction was lifted');
      return {
        queue: 'moderator',
        decisionBy: sanction.created_by,
        since: sanction.created_at,
        windowDays: windows.sanctionWindowDays ?? windows.windowDays,
      };
    }
    const disclosure = await this.#disclosures.row(target, trx).catch((error: unknown) => {
      if (error instanceof DisclosureNotFoundError) return undefined;
      throw error;
    });
    // Before its notice the subject is not to know of it: as if there were none.
    if (
      disclosure === undefined ||
      disclosure.subject_id !== subject ||
      disclosure.gag_until > this.#now().toISOString()
    ) {
      throw new DisclosureNotFoundError(target);
    }
    if (disclosure.status !== 'granted')
      throw new NotAppealableError(target, 'only a granted disclosure can be appealed');
    return {
      queue: 'oversight',
      decisionBy: disclosure.decided_by ?? disclosure.authority_id,
      since: disclosure.gag_until,
      windowDays: windows.disclosureWindowDays ?? windows.windowDays,
    };
  }

  // Only points counted without a decision: a case's and a sanction's are appealed through them.
  async #appealableContribution(trx: Tx, target: string, subject: string): Promise<Appealable> {
    const row = await this.#credit.contribution(target, trx);
    if (row.subject_id !== subject) throw new ContributionNotFoundError(target);
    if (row.status !== 'active') throw new NotAppealableError(target, 'this contribution was removed');
    if (row.case_id !== null) {
      throw new NotAppealableError(target, `counted by the decision of case ${row.case_id}: appeal the case`);
    }
    if (row.cause_kind === 'sanction') {
      throw new NotAppealableError(target, `the points of sanction ${row.cause_id}: appeal the sanction`);
    }
    if (!this.#credit.model.isDirect(toContribution(row))) {
      throw new NotAppealableError(target, 'only points counted against the subject without a decision');
    }
    const windows = this.#policy.document.appeals;
    return {
      queue: 'moderator',
      // No one decided: the world's event did. Any moderator hears it.
      decisionBy: `event:${row.cause_id}`,
      since: row.recorded_at ?? row.occurred_at,
      windowDays: windows.contributionWindowDays ?? windows.windowDays,
    };
  }

  #checkWindow({ since, windowDays }: { since: string; windowDays: number }): void {
    if (this.#now().getTime() > Date.parse(since) + windowDays * dayMs) {
      throw new AppealWindowExpiredError(windowDays, since);
    }
  }
}
