import type { Selectable } from 'kysely';
import type { Sanction } from '../api/sanctions.ts';
import type { SanctionsTable } from '../db/tables/sanctions.ts';
import type { SanctionKind } from '../policy/policy.ts';
import { isWorldAction } from './eligibility-index.ts';

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

/**
 * Which worlds hear of a sanction and what they hear, or undefined when none may: a ban is heard in
 * every world of the person, a restriction in every world of the person naming only its world
 * actions, and not at all if it names none (a world does not learn that the person may not fly or
 * borrow), the rest in their own world.
 */
export function worldNotice(row: SanctionRow) {
  const sanction = publicFields(row);
  if (row.kind === 'ban') return { world: null, sanction };
  if (row.kind !== 'restriction') return { world: row.world_id, sanction };
  const actions = sanction.actions?.filter(isWorldAction) ?? [];
  return actions.length === 0 ? undefined : { world: row.world_id, sanction: { ...sanction, actions } };
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
