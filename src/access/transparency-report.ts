import type { Selectable } from 'kysely';
import type { TransparencyReport } from '../api/disclosures.ts';
import type { Db } from '../db/database.ts';
import type { DisclosuresTable } from '../db/tables/disclosures.ts';
import { ValidationError } from '../errors.ts';
import type { LedgerService, LoggedAct } from '../ledger/ledger-service.ts';
import { type LegalBasisKind, legalBasisKinds } from '../policy/disclosure-rules.ts';
import { dayMs } from '../util/time.ts';

/**
 * A report is served again while the log has not grown (every act it counts is a log entry) for
 * at most this long: the rest of it moves with the clock (the default period's end, overdue
 * reviews).
 */
export const reportMaxAgeMs = 5_000;

/** The kinds of principal changes the report counts, by the name it counts them under. */
const principalKinds = {
  created: 'principal.created',
  revoked: 'principal.revoked',
  proposed: 'principal.proposed',
  approved: 'principal.approved',
  refused: 'principal.refused',
} as const;
/** The log entries the report counts (besides the disclosures' own table rows). */
const counted = {
  kinds: [
    'disclosure.refused',
    'disclosure.unlawful',
    'subject.read',
    ...Object.values(principalKinds),
    'preservation.ordered',
    'preservation.extended',
  ],
  flags: ['breakGlass'],
};
const reportsKept = 64;
const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

/** An instant given as a date (midnight UTC) or a date-time; a 400 naming `field` otherwise. */
export function parseInstant(text: string, field: string): string {
  const ms = Date.parse(dateOnly.test(text) ? `${text}T00:00:00Z` : text);
  if (!/^\d{4}-\d{2}-\d{2}(T.+)?$/.test(text) || Number.isNaN(ms)) {
    throw new ValidationError(field, 'must be a date (YYYY-MM-DD) or an RFC 3339 date-time');
  }
  return new Date(ms).toISOString();
}

/**
 * Counts the acts of power of a period, for the public report and `mdis transparency report`: the
 * disclosure requests (from their rows, and from the log for those the policy refused), and from
 * the log, staff reads of profiles, break-glass acts and changes of principals.
 */
export class TransparencyReporter {
  readonly #db: Db;
  readonly #ledger: LedgerService;
  readonly #now: () => Date;
  /** Reports by the period asked, with the log's head they were made at (or are being made at). */
  readonly #cache = new Map<string, { head: string; at: number; report: Promise<TransparencyReport> }>();

  constructor(options: { db: Db; ledger: LedgerService; now: () => Date }) {
    this.#db = options.db;
    this.#ledger = options.ledger;
    this.#now = options.now;
  }

  /**
   * The report for [from, to), made once and served again until a new log entry or checkpoint
   * (on any instance) or `reportMaxAgeMs`: the public route cannot be made to recount per request.
   * Requests that arrive while it is being made share it.
   */
  async report(period: { from?: string; to?: string } = {}): Promise<TransparencyReport> {
    const key = `${period.from ?? ''}|${period.to ?? ''}`;
    const head = JSON.stringify(await this.#ledger.head());
    const at = this.#now().getTime();
    const cached = this.#cache.get(key);
    if (cached !== undefined && cached.head === head && at - cached.at < reportMaxAgeMs && at >= cached.at) {
      return cached.report;
    }
    const report = this.#make(period);
    this.#cache.delete(key);
    if (this.#cache.size >= reportsKept) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(key, { head, at, report });
    report.catch(() => {
      if (this.#cache.get(key)?.report === report) this.#cache.delete(key);
    });
    return report;
  }

  async #make(period: { from?: string; to?: string }): Promise<TransparencyReport> {
    const now = this.#now();
    const to = period.to === undefined ? now.toISOString() : parseInstant(period.to, 'to');
    const from =
      period.from === undefined
        ? new Date(Date.parse(to) - 365 * dayMs).toISOString()
        : parseInstant(period.from, 'from');
    if (from >= to) throw new ValidationError('from', 'must be before to');
    const [rows, logged, reads, checkpoint] = await Promise.all([
      this.#db
        .selectFrom('disclosures')
        .select([
          'basis_kind',
          'status',
          'offence',
          'jurisdiction',
          'review_due_at',
          'reviewed_at',
          'case_id',
        ])
        .where('created_at', '>=', from)
        .where('created_at', '<', to)
        .execute(),
      this.#ledger.entriesOfInterest(counted, from, to),
      this.#db
        .selectFrom('disclosure_reads')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('at', '>=', from)
        .where('at', '<', to)
        .executeTakeFirstOrThrow(),
      this.#ledger.checkpointAt(to),
    ]);
    const refusals = logged.filter((act) => act.kind === 'disclosure.refused');
    return {
      from,
      to,
      ...tally(rows, refusals, now.toISOString()),
      reads: Number(reads.n),
      declaredUnlawful: logged.filter((act) => act.kind === 'disclosure.unlawful').length,
      log:
        checkpoint === undefined
          ? null
          : {
              size: checkpoint.size,
              root: checkpoint.root.toString('base64'),
              checkpointAt: checkpoint.createdAt,
            },
      byCase: {
        withCase: rows.filter((r) => r.case_id !== null).length + refusals.filter(named).length,
        withoutCase: rows.filter((r) => r.case_id === null).length + refusals.filter((e) => !named(e)).length,
      },
      ...otherPowers(logged),
    };
  }
}

// Refusals logged before requests named cases carry no withCase: they named none.
const named = (refusal: LoggedAct) => refusal.refs.withCase === true;

type OtherPowers = Pick<
  TransparencyReport,
  'staffReads' | 'breakGlass' | 'principalChanges' | 'preservations'
>;

// Counted from the log alone; a break-glass act that changes a principal counts in both.
function otherPowers(logged: LoggedAct[]): OtherPowers {
  const powers: OtherPowers = {
    staffReads: { total: 0, byPurpose: {} },
    breakGlass: { total: 0, byKind: {} },
    principalChanges: { created: 0, revoked: 0, proposed: 0, approved: 0, refused: 0 },
    preservations: { ordered: 0, extended: 0, byLegalBasis: {} },
  };
  const change = Object.entries(principalKinds) as [keyof OtherPowers['principalChanges'], string][];
  for (const act of logged) {
    if (act.kind === 'subject.read') {
      powers.staffReads.total++;
      count(powers.staffReads.byPurpose, String(act.refs.purpose));
    }
    if (act.refs?.breakGlass === true) {
      powers.breakGlass.total++;
      count(powers.breakGlass.byKind, act.kind);
    }
    const name = change.find(([, kind]) => kind === act.kind)?.[0];
    if (name !== undefined) powers.principalChanges[name]++;
    if (act.kind === 'preservation.ordered' || act.kind === 'preservation.extended') {
      powers.preservations[act.kind === 'preservation.ordered' ? 'ordered' : 'extended']++;
      count(powers.preservations.byLegalBasis, String(act.refs.basis));
    }
  }
  return powers;
}

type Counted = Omit<
  TransparencyReport,
  'from' | 'to' | 'reads' | 'log' | 'declaredUnlawful' | 'byCase' | keyof OtherPowers
>;

// Requests refused by policy left only their log entry: they count by what its refs say.
function tally(rows: RequestRow[], refusals: LoggedAct[], now: string): Counted {
  const counted: Counted = {
    requests: rows.length + refusals.length,
    byLegalBasis: Object.fromEntries(legalBasisKinds.map((kind) => [kind, 0])) as Record<
      LegalBasisKind,
      number
    >,
    byOutcome: { granted: 0, refused: 0, refused_by_policy: refusals.length, pending: 0 },
    byOffence: {},
    byJurisdiction: {},
    refusalReasons: {},
    emergency: { requests: 0, reviewed: 0, reviewedOnTime: 0, reviewedLate: 0, overdue: 0 },
  };
  const asked = [
    ...rows.map((r) => [r.basis_kind, r.offence, r.jurisdiction]),
    ...refusals.map((e) => [e.refs.basis, e.refs.offence, e.refs.jurisdiction].map(String)),
  ];
  for (const [basis, offence, jurisdiction] of asked) {
    count(counted.byLegalBasis, basis!);
    count(counted.byOffence, offence!);
    count(counted.byJurisdiction, jurisdiction!);
  }
  for (const refusal of refusals) count(counted.refusalReasons, String(refusal.refs.reason));
  const { emergency } = counted;
  for (const row of rows) {
    counted.byOutcome[row.status]++;
    if (row.review_due_at === null) continue;
    emergency.requests++;
    if (row.reviewed_at !== null) {
      emergency.reviewed++;
      if (row.reviewed_at > row.review_due_at) emergency.reviewedLate++;
      else emergency.reviewedOnTime++;
    } else if (row.review_due_at <= now) {
      emergency.overdue++;
    }
  }
  return counted;
}

type RequestRow = Pick<
  Selectable<DisclosuresTable>,
  'basis_kind' | 'status' | 'offence' | 'jurisdiction' | 'review_due_at' | 'reviewed_at' | 'case_id'
>;

function count(into: Record<string, number>, key: string): void {
  into[key] = (into[key] ?? 0) + 1;
}
