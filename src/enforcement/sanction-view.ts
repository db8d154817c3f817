import type { Selectable } from 'kysely';
import type { Sanction } from '../api/sanctions.ts';
import type { SanctionsTable } from '../db/tables/sanctions.ts';
import type { SanctionKind } from '../policy/policy.ts';

// How a sanction reads outside the service: to moderators and the subject (with its reasons),
// and to worlds (public fields only).

export type { Sanction } from '../api/sanctions.ts';

export type SanctionRow = Omit<Selectable<SanctionsTable>, 'sealed_reason' | 'sealed_lift_reason'>;

/** What a world is told of a sanction: no reason text, which may describe the person. */
export function publicFields(row: SanctionRow) {
  return {
    id: row.id,
    kind: row.kind,
    world: row.world_id ?? undefined,
    actions: row.actions === null ? undefined : (JSON.parse(row.actions) as string[]),
    startsAt: row.starts_at,
    endsAt: row.ends_at ?? undefined,
    caseId: row.case_id ?? undefined,
    status: row.status,
  };
}

export function toSanction(row: SanctionRow, reason: string, liftReason: string | undefined): Sanction {
  return {
    ...publicFields(row),
    subject: row.subject_id,
    kind: row.kind as SanctionKind,
    reason,
    source: row.source,
    createdAt: row.created_at,
    endedAt: row.ended_at ?? undefined,
    liftReason,
    imposedBy: row.created_by,
  };
}
