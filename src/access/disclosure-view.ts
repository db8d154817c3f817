import type { Selectable } from 'kysely';
import type { DisclosureDetail, DisclosureSummary } from '../api/disclosures.ts';
import type { Db } from '../db/database.ts';
import type { DisclosuresTable } from '../db/tables/disclosures.ts';
import type { AttributeGroup } from '../identity/attributes.ts';
import type { SubjectService } from '../identity/subject-service.ts';
import type { Keyring } from '../keyring.ts';
import type { LegalBasisKind } from '../policy/disclosure-rules.ts';

/** Whom a disclosure is about, as the authority named it. */
export type Target = { world: string; handle: string } | { subject: string };

/** A disclosure row with the number of times its attributes were read. */
export type DisclosureRow = Selectable<DisclosuresTable> & { reads: number };

export type { DisclosureDetail, DisclosureSummary, Identity } from '../api/disclosures.ts';

/** Seals and opens a disclosure's texts under the key its `seal_key` names. */
export interface DisclosureSealer {
  seal(field: string, value: unknown): Buffer;
  open(field: string, sealed: Buffer): unknown;
}

export async function disclosureSealer(
  deps: { subjects: SubjectService; keyring: Keyring },
  row: { id: string; subject_id: string | null; seal_key: 'subject' | 'operator' },
  db?: Db,
): Promise<DisclosureSealer> {
  const context = (field: string) => `disclosure|${row.id}|${field}`;
  if (row.seal_key === 'subject') {
    const sealer = await deps.subjects.sealer(row.subject_id!, db);
    return {
      seal: (field, value) => sealer.seal(context(field), value),
      open: (field, sealed) => sealer.open(context(field), sealed),
    };
  }
  return {
    seal: (field, value) => deps.keyring.sealSecret(context(field), JSON.stringify(value)),
    open: (field, sealed) => JSON.parse(deps.keyring.openSecret(context(field), sealed)),
  };
}

export function isOverdue(row: Selectable<DisclosuresTable>, now: Date): boolean {
  return row.review_due_at !== null && row.reviewed_at === null && row.review_due_at <= now.toISOString();
}

export function summarise(row: DisclosureRow, now: Date): DisclosureSummary {
  return {
    id: row.id,
    status: row.status,
    authority: row.authority_id,
    jurisdiction: row.jurisdiction,
    emergency: row.basis_kind === 'emergency',
    legalBasis: { kind: row.basis_kind as LegalBasisKind, expiresAt: row.basis_expires_at },
    offence: row.offence,
    scope: JSON.parse(row.scope) as AttributeGroup[],
    createdAt: row.created_at,
    decidedAt: row.decided_at ?? undefined,
    decidedBy: row.decided_by ?? undefined,
    reviewDueAt: row.review_due_at ?? undefined,
    reviewedAt: row.reviewed_at ?? undefined,
    reviewedBy: row.reviewed_by ?? undefined,
    overdue: isOverdue(row, now),
    gagUntil: row.gag_until,
    reads: row.reads,
    withCase: row.case_id !== null,
  };
}

/** The summary with the request's texts opened. */
export function detail(row: DisclosureRow, sealer: DisclosureSealer, now: Date): DisclosureDetail {
  const summary = summarise(row, now);
  const basis = sealer.open('basis', row.sealed_basis) as { reference: string; issuedBy: string };
  return {
    ...summary,
    legalBasis: { ...summary.legalBasis, ...basis },
    target: sealer.open('target', row.sealed_target) as Target,
    purpose: sealer.open('purpose', row.sealed_purpose) as string,
    oversightReason:
      row.sealed_oversight_reason === null
        ? undefined
        : (sealer.open('oversight-reason', row.sealed_oversight_reason) as string),
    case: row.case_id ?? undefined,
  };
}

/** Selects disclosures with their read counts. */
export function selectDisclosures(db: Db) {
  return db
    .selectFrom('disclosures')
    .selectAll('disclosures')
    .select((eb) =>
      eb
        .selectFrom('disclosure_reads')
        .select(eb.fn.countAll().as('n'))
        .whereRef('disclosure_reads.disclosure_id', '=', 'disclosures.id')
        .as('reads'),
    );
}

/** A selected row with its count as a number (PostgreSQL counts in bigint, sent as text). */
export function withReads<T extends { reads: unknown }>(row: T): Omit<T, 'reads'> & { reads: number } {
  return { ...row, reads: Number(row.reads ?? 0) };
}
