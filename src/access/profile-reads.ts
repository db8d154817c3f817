import type { ProfileRead } from '../api/me.ts';
import type { Db } from '../db/database.ts';
import { GroupCommit } from '../db/group-commit.ts';
import { keysetPage } from '../db/keyset.ts';
import { preparedQuery } from '../db/prepared.ts';
import type { Tx } from '../db/transaction.ts';
import { PurposeRequiredError, UnknownPurposeError } from '../errors.ts';
import type { SubjectProfile, SubjectService } from '../identity/subject-service.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import type { Policy } from '../policy/policy.ts';
import type { Principal } from '../principals/roles.ts';
import type { Page } from '../util/cursor.ts';
import { newSortableId } from '../util/ids.ts';

/**
 * Staff reads of decrypted profiles, each one an act in the log: a read names a purpose of the
 * policy, and is a `subject.read` entry and a `subject_reads` row (what the subject is shown) in
 * one transaction; the profile is returned only once that has committed. No log, no data.
 */
export class ProfileReadService {
  readonly #db: Db;
  readonly #ledger: LedgerService;
  readonly #subjects: SubjectService;
  readonly #policy: Policy;
  readonly #now: () => Date;
  /** Reads arriving together share one commit: the disk is waited on once per group. */
  readonly #group: GroupCommit;
  // id, subject, principal, role, organisation, purpose, log index, at
  readonly #insertRead;

  constructor(options: {
    db: Db;
    ledger: LedgerService;
    subjects: SubjectService;
    policy: Policy;
    now: () => Date;
  }) {
    this.#db = options.db;
    this.#ledger = options.ledger;
    this.#subjects = options.subjects;
    this.#policy = options.policy;
    this.#now = options.now;
    this.#group = new GroupCommit(options.db);
    this.#insertRead = preparedQuery(
      options.db.insertInto('subject_reads').values({
        id: '',
        subject_id: '',
        principal_id: '',
        role: '',
        organisation: '',
        purpose: '',
        log_index: 0,
        at: '',
      }),
    );
  }

  /** How the reads' commits were shared (benchmarks). */
  get commitStats(): { readonly commits: number; readonly units: number } {
    return this.#group.stats;
  }

  /** The purposes a read may name, from the policy in force. */
  get purposes(): readonly string[] {
    return this.#policy.readPurposes;
  }

  /**
   * A subject's profile, decrypted, for `reader`, logged with its purpose. A missing or unlisted
   * purpose is a 400 and an unknown subject a 404, both before anything is written.
   */
  async read(
    reader: Principal,
    subject: string,
    options: { purpose?: string; history?: boolean },
  ): Promise<SubjectProfile> {
    const purpose = this.#checkPurpose(options.purpose);
    // Decrypted before the commit (it needs no lock), returned only after it.
    const profile = await this.#subjects.get(subject, { history: options.history ?? false });
    await this.#group.run((tx) => this.#record(tx, reader, subject, purpose));
    return profile;
  }

  /** The reads of `subject`'s profile, newest first. */
  async readsOf(subject: string, page: { cursor?: string; limit: number }): Promise<Page<ProfileRead>> {
    const query = this.#db.selectFrom('subject_reads').selectAll().where('subject_id', '=', subject);
    return keysetPage(query, page, newestReadFirst, (rows) =>
      rows.map((row) => ({
        id: row.id,
        at: row.at,
        role: row.role,
        organisation: row.organisation,
        principal: row.principal_id,
        purpose: row.purpose,
        logIndex: Number(row.log_index),
      })),
    );
  }

  #checkPurpose(purpose: string | undefined): string {
    if (purpose === undefined || purpose === '') throw new PurposeRequiredError(this.purposes);
    if (!this.purposes.includes(purpose)) throw new UnknownPurposeError(this.purposes);
    return purpose;
  }

  // May run twice (a group that failed is retried unit by unit): writes only through `tx`.
  async #record(tx: Tx, reader: Principal, subject: string, purpose: string): Promise<void> {
    const organisation = organisationOf(reader);
    const logIndex = await this.#ledger.append(tx, {
      kind: 'subject.read',
      actor: reader.id,
      refs: { subject, role: reader.role, organisation, purpose },
    });
    const at = this.#now().toISOString();
    await this.#insertRead(tx, [
      newSortableId('srd'),
      subject,
      reader.id,
      reader.role,
      organisation,
      purpose,
      logIndex,
      at,
    ]);
  }
}

/** The organisation a principal reads for, as it was created with (null when none was given). */
function organisationOf(reader: Principal): string | null {
  return reader.organisation ?? null;
}

const newestReadFirst = [
  { column: 'at', type: 'string', order: 'desc' },
  { column: 'id', type: 'string', order: 'desc' },
] as const;
