import { when } from '../format.ts';
import { Link } from '../router.tsx';
import type { Sanction } from '../types.ts';
import { type Column, DataTable } from './data-table.tsx';

/** Where a sanction applies, in words. */
export function scopeOf(s: Sanction): string {
  if (s.kind === 'restriction') return (s.actions ?? []).join(', ');
  if (s.world !== undefined) return `in ${s.world}`;
  return s.kind === 'ban' ? 'everywhere' : '—';
}

export function sanctionColumns(options: { links: boolean }): Column<Sanction>[] {
  return [
    { label: 'Kind', cell: (s) => s.kind },
    { label: 'Applies to', cell: scopeOf },
    { label: 'Status', cell: (s) => <span class={`status status-${s.status}`}>{s.status}</span> },
    { label: 'From', cell: (s) => when(s.startsAt) },
    { label: 'Until', cell: (s) => (s.endsAt === undefined ? 'lifted' : when(s.endsAt)) },
    { label: 'Reason', cell: (s) => s.liftReason ?? s.reason },
    {
      label: 'Case',
      cell: (s) =>
        s.caseId === undefined ? (
          s.source
        ) : options.links ? (
          <Link href={`/cases/${s.caseId}`}>{s.caseId}</Link>
        ) : (
          s.caseId
        ),
    },
  ];
}

export function SanctionList(props: { rows: Sanction[]; links: boolean; extra?: Column<Sanction>[] }) {
  return (
    <DataTable
      caption="Sanctions"
      columns={[...sanctionColumns({ links: props.links }), ...(props.extra ?? [])]}
      rows={props.rows}
      rowKey={(s) => s.id}
      empty="No sanctions."
    />
  );
}
