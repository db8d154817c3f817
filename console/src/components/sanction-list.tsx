import { when } from '../format.ts';
import { Link } from '../router.tsx';
import type { Sanction } from '../types.ts';
import { type Column, DataTable } from './data-table.tsx';
import { PrincipalName } from './principal-name.tsx';
import { RecordId } from './record-id.tsx';

/** Where a sanction applies, in words. */
export function scopeOf(s: Sanction): string {
  if (s.kind === 'restriction') return (s.actions ?? []).join(', ');
  if (s.world !== undefined) return `in ${s.world}`;
  return s.kind === 'ban' ? 'everywhere' : '—';
}

/**
 * When a sanction ends: its set end, or for an open-ended one "until lifted" (and when it was,
 * once it has been).
 */
export function until(s: Sanction): string {
  if (s.endsAt !== undefined) return when(s.endsAt);
  return s.status === 'lifted' && s.endedAt !== undefined ? `lifted ${when(s.endedAt)}` : 'until lifted';
}

export function sanctionColumns(options: { links: boolean; subject?: boolean }): Column<Sanction>[] {
  const subject: Column<Sanction>[] = options.subject
    ? [
        {
          label: 'Subject',
          cell: (s) =>
            options.links ? (
              <Link href={`/sanctions?subject=${encodeURIComponent(s.subject)}`}>
                <RecordId id={s.subject} />
              </Link>
            ) : (
              <RecordId id={s.subject} />
            ),
        },
      ]
    : [];
  return [
    ...subject,
    { label: 'Kind', cell: (s) => s.kind },
    { label: 'Applies to', cell: scopeOf },
    { label: 'Status', cell: (s) => <span class={`status status-${s.status}`}>{s.status}</span> },
    { label: 'From', cell: (s) => when(s.startsAt) },
    { label: 'Until', cell: until },
    { label: 'Reason', cell: (s) => s.liftReason ?? s.reason },
    {
      label: 'Case',
      cell: (s) =>
        s.caseId === undefined ? (
          s.source
        ) : options.links ? (
          <Link href={`/cases/${s.caseId}`}>
            <RecordId id={s.caseId} />
          </Link>
        ) : (
          <RecordId id={s.caseId} />
        ),
    },
    ...(options.subject
      ? [{ label: 'Imposed by', cell: (s: Sanction) => <PrincipalName id={s.imposedBy} /> }]
      : []),
  ];
}

export function SanctionList(props: {
  rows: Sanction[];
  links: boolean;
  /** A subject column, for a list of every subject's sanctions. */
  subject?: boolean;
  extra?: Column<Sanction>[];
}) {
  return (
    <DataTable
      caption="Sanctions"
      columns={[...sanctionColumns({ links: props.links, subject: props.subject }), ...(props.extra ?? [])]}
      rows={props.rows}
      rowKey={(s) => s.id}
      empty="No sanctions."
    />
  );
}
