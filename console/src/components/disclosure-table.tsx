import { when, words } from '../format.ts';
import { Link } from '../router.tsx';
import type { DisclosureSummary } from '../types.ts';
import { DataTable } from './data-table.tsx';
import { PrincipalName } from './principal-name.tsx';
import { RecordId } from './record-id.tsx';

/** Where a disclosure stands, in words: its status, and an emergency one's review. */
export function standing(d: DisclosureSummary): string {
  if (!d.emergency) return d.status;
  if (d.reviewedAt !== undefined) return `${d.status}, reviewed`;
  return d.overdue ? `${d.status}, review overdue` : `${d.status}, review due ${when(d.reviewDueAt)}`;
}

export function DisclosureTable(props: { rows: DisclosureSummary[]; caption: string; empty: string }) {
  return (
    <DataTable
      caption={props.caption}
      columns={[
        {
          label: 'Request',
          cell: (d) => (
            <Link href={`/disclosures/${d.id}`}>
              <RecordId id={d.id} />
            </Link>
          ),
        },
        {
          label: 'Status',
          cell: (d) => <span class={`status status-${d.overdue ? 'overdue' : d.status}`}>{standing(d)}</span>,
        },
        { label: 'Offence', cell: (d) => words(d.offence) },
        { label: 'Legal basis', cell: (d) => words(d.legalBasis.kind) },
        { label: 'Scope', cell: (d) => d.scope.join(', ') },
        {
          label: 'Authority',
          cell: (d) => (
            <span>
              <PrincipalName id={d.authority} /> ({d.jurisdiction})
            </span>
          ),
        },
        { label: 'Asked', cell: (d) => when(d.createdAt) },
        { label: 'Reads', cell: (d) => d.reads, numeric: true },
      ]}
      rows={props.rows}
      rowKey={(d) => d.id}
      empty={props.empty}
    />
  );
}
