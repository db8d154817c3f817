import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { GroupCommit } from '../db/group-commit.ts';
import { NotFoundError, PolicyRefusedError, ValidationError } from '../errors.ts';
import type { AttributeVault } from '../identity/attribute-vault.ts';
import type { AvatarService } from '../identity/avatar-service.ts';
import type { SubjectService } from '../identity/subject-service.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import type { Policy } from '../policy/policy.ts';
import { newId } from '../util/ids.ts';

export interface NewReport {
  world: string;
  handle: string;
  category: string;
  /** The reporting avatar's handle in the same world. */
  reporter: string;
  description: string;
  evidence: { sha256: string; uri: string }[];
  occurredAt: string;
}

export interface FiledReport {
  reportId: string;
  caseId: string;
  /** This reporter had already reported this in the open case: it counts once. */
  duplicate: boolean;
}

/** Reports may be a little ahead of our clock, not more. */
export const clockSkewMs = 5 * 60_000;

/** Takes reports from worlds and gathers them into cases, one open case per avatar and category. */
export class ReportService {
  readonly #ledger: LedgerService;
  readonly #policy: Policy;
  readonly #vault: AttributeVault;
  readonly #avatars: AvatarService;
  readonly #subjects: SubjectService;
  readonly #now: () => Date;
  /** Reports that arrive together are written in one transaction: one wait for the disk. */
  readonly #group: GroupCommit;

  constructor(options: {
    db: Db;
    ledger: LedgerService;
    policy: Policy;
    vault: AttributeVault;
    avatars: AvatarService;
    subjects: SubjectService;
    now: () => Date;
  }) {
    this.#ledger = options.ledger;
    this.#policy = options.policy;
    this.#vault = options.vault;
    this.#avatars = options.avatars;
    this.#subjects = options.subjects;
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
      throw new NotFoundError('avatar_not_found', `no avatar "${input.handle}" in world "${input.world}"`);
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
      throw new PolicyRefusedError('self_report', `avatar "${input.handle}" cannot report itself`);
    }
    if ((await this.#avatars.subjectOf(input.world, input.reporter)) === undefined) {
      throw new PolicyRefusedError(
        'reporter_not_bound',
        `the reporter "${input.reporter}" is not an avatar bound in world "${input.world}"`,
      );
    }
  }

  async #fileIn(
    trx: Db,
    { input, subject, actor, now }: { input: NewReport; subject: string; actor: string; now: string },
  ): Promise<FiledReport> {
    const caseId = await this.#openCase(trx, input, subject, now);
    const reporterHash = this.#vault.keyedHash(`reporter|${input.world}|${input.reporter}`);
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
        reporter_hash: reporterHash,
        sealed,
        occurred_at: input.occurredAt,
        received_at: now,
        received_by: actor,
      })
      .execute();
    await trx
      .updateTable('cases')
      .set((eb) => ({ report_count: eb('report_count', '+', 1), updated_at: now }))
      .where('id', '=', caseId)
      .execute();
    await this.#ledger.append(trx, {
      kind: 'report.filed',
      actor,
      refs: { report: reportId, case: caseId, world: input.world, subject, category: input.category },
      details: { reporter: input.reporter, description: input.description, evidence: input.evidence },
    });
    return { reportId, caseId, duplicate: false };
  }

  /** The open case for this avatar and category, opened now if there is none. */
  async #openCase(trx: Db, input: NewReport, subject: string, now: string): Promise<string> {
    const open = await trx
      .selectFrom('cases')
      .select('id')
      .where('world_id', '=', input.world)
      .where('handle', '=', input.handle)
      .where('category', '=', input.category)
      // A literal, not a parameter: SQLite can use the partial index (status = 'open') only then.
      .where('status', '=', sql.lit('open'))
      .executeTakeFirst();
    if (open !== undefined) return open.id;
    const id = newId('case');
    await trx
      .insertInto('cases')
      .values({
        id,
        world_id: input.world,
        handle: input.handle,
        subject_id: subject,
        category: input.category,
        status: 'open',
        report_count: 0,
        opened_at: now,
        updated_at: now,
        outcome: null,
        severity: null,
        sealed_rationale: null,
        decided_at: null,
        decided_by: null,
        appeal_status: null,
        sealed_appeal: null,
        appealed_at: null,
        sealed_appeal_rationale: null,
        appeal_decided_at: null,
        appeal_decided_by: null,
      })
      .execute();
    return id;
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
