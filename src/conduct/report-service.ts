import type { FiledReport, NewReport } from '../api/reports.ts';
import type { Db } from '../db/database.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { GroupCommit } from '../db/group-commit.ts';
import type { Tx } from '../db/transaction.ts';
import { AvatarNotFoundError, ReporterNotBoundError, SelfReportError, ValidationError } from '../errors.ts';
import type { AvatarService } from '../identity/avatar-service.ts';
import type { SubjectService } from '../identity/subject-service.ts';
import type { Keyring } from '../keyring.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import type { Policy } from '../policy/policy.ts';
import { newId } from '../util/ids.ts';
import { minuteMs } from '../util/time.ts';
import type { CaseService } from './case-service.ts';

/** Reports may be a little ahead of our clock, not more. */
export const clockSkewMs = 5 * minuteMs;

/** A report to file: who it is about, who sent it (the principal), and when. */
export interface Filing {
  input: NewReport;
  subject: string;
  actor: string;
  now: string;
  automated?: boolean;
}

/** Takes reports from worlds and files each in the open case of its avatar and category. */
export class ReportService {
  readonly #ledger: LedgerService;
  readonly #policy: Policy;
  readonly #keyring: Keyring;
  readonly #avatars: AvatarService;
  readonly #subjects: SubjectService;
  readonly #cases: CaseService;
  readonly #now: () => Date;
  /** Reports that arrive together are written in one transaction: one wait for the disk. */
  readonly #group: GroupCommit;

  constructor(options: {
    db: Db;
    ledger: LedgerService;
    policy: Policy;
    keyring: Keyring;
    avatars: AvatarService;
    subjects: SubjectService;
    cases: CaseService;
    now: () => Date;
  }) {
    this.#ledger = options.ledger;
    this.#policy = options.policy;
    this.#keyring = options.keyring;
    this.#avatars = options.avatars;
    this.#subjects = options.subjects;
    this.#cases = options.cases;
    this.#now = options.now;
    this.#group = new GroupCommit(options.db);
  }

  async file(input: NewReport, actor: string): Promise<FiledReport> {
    const now = this.#now();
    this.#checkCategory(input.category);
    if (Date.parse(input.occurredAt) > now.getTime() + clockSkewMs) {
      throw new ValidationError('occurredAt', 'is in the future');
    }
    const subject = await this.#avatars.subjectOf(input.world, input.handle);
    if (subject === undefined) {
      throw new AvatarNotFoundError(input.world, input.handle);
    }
    await this.#checkReporter(input);
    const filing = { input, subject, actor, now: now.toISOString() };
    const fileIt = () => this.#group.run((trx) => this.#fileIn(trx, filing));
    try {
      return await fileIt();
    } catch (error) {
      // Another instance opened the case first: file again, into that case.
      if (!isUniqueViolation(error)) throw error;
      return fileIt();
    }
  }

  /** A report comes from someone: a bound avatar of the same world, other than the one reported. */
  async #checkReporter(input: NewReport): Promise<void> {
    if (input.reporter === input.handle) {
      throw new SelfReportError(input.handle);
    }
    if ((await this.#avatars.subjectOf(input.world, input.reporter)) === undefined) {
      throw new ReporterNotBoundError(input.world, input.reporter);
    }
  }

  /**
   * Files a report inside the caller's transaction: a negative conduct event files one, with the
   * event as its reporter, in a case it marks automated when it opens it.
   */
  fileWithin(trx: Tx, filing: Filing): Promise<FiledReport> {
    return this.#fileIn(trx, filing);
  }

  async #fileIn(trx: Tx, { input, subject, actor, now, automated }: Filing): Promise<FiledReport> {
    const caseId = await this.#cases.openFor(trx, { ...input, subject, automated }, now);
    const reporterHash = this.#keyring.keyedHash(`reporter|${input.world}|${input.reporter}`);
    const existing = await trx
      .selectFrom('reports')
      .select('id')
      .where('case_id', '=', caseId)
      .where('reporter_hash', '=', reporterHash)
      .executeTakeFirst();
    if (existing !== undefined) return { reportId: existing.id, caseId, duplicate: true };

    const reportId = newId('rpt');
    const sealer = await this.#subjects.sealer(subject, trx);
    const sealed = sealer.seal(`report|${reportId}`, {
      reporter: input.reporter,
      description: input.description,
      evidence: input.evidence,
    });
    await trx
      .insertInto('reports')
      .values({
        id: reportId,
        case_id: caseId,
        world_id: input.world,
        reporter_hash: reporterHash,
        sealed,
        occurred_at: input.occurredAt,
        received_at: now,
        received_by: actor,
      })
      .execute();
    await this.#cases.countReport(trx, caseId, now);
    await this.#ledger.append(trx, {
      kind: 'report.filed',
      actor,
      refs: { report: reportId, case: caseId, world: input.world, subject, category: input.category },
      details: { reporter: input.reporter, description: input.description, evidence: input.evidence },
    });
    return { reportId, caseId, duplicate: false };
  }

  #checkCategory(name: string): void {
    const category = this.#policy.category(name);
    if (category === undefined) {
      throw new ValidationError('category', `"${name}" is not a conduct category in the policy`);
    }
    if (category.polarity !== 'negative') {
      throw new ValidationError(
        'category',
        `"${name}" is positive conduct: send it as an event, not a report`,
      );
    }
  }
}
