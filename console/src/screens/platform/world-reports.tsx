import { get, type Page, query } from '../../api.ts';
import { type Column, DataTable } from '../../components/data-table.tsx';
import { ErrorBox } from '../../components/error-box.tsx';
import { Pager, usePaged } from '../../components/paged.tsx';
import { RecordId } from '../../components/record-id.tsx';
import { when, words } from '../../format.ts';
import type { ScreenProps } from '../../screen-props.ts';
import type { WorldReport } from '../../types.ts';
import { NoWorld } from './no-world.tsx';

/** Where a case stands, as the world learns it: its outcome and any appeal's. */
function outcome(r: WorldReport): string {
  const { outcome, appeal } = r.case;
  if (outcome === undefined) return '—';
  if (appeal === undefined) return outcome;
  return `${outcome}; appeal ${appeal === 'pending' ? 'pending' : appeal}`;
}

const columns: Column<WorldReport>[] = [
  { label: 'Received', cell: (r) => when(r.receivedAt) },
  { label: 'Avatar', cell: (r) => <strong>{r.handle}</strong> },
  { label: 'Category', cell: (r) => words(r.category) },
  { label: 'Case', cell: (r) => <RecordId id={r.case.id} /> },
  {
    label: 'Case status',
    cell: (r) => <span class={`status status-${r.case.status}`}>{r.case.status}</span>,
  },
  { label: 'Outcome', cell: outcome },
  { label: 'Reports in case', cell: (r) => r.case.reportCount, numeric: true },
];

/** The reports the world filed (its conduct events' too), newest first, with their cases. */
export function WorldReports(props: ScreenProps) {
  const world = props.me.world;
  const reports = usePaged(
    (cursor) =>
      world === undefined
        ? Promise.resolve({ items: [] })
        : get<Page<WorldReport>>(`/v1/worlds/${world}/reports${query({ cursor, limit: 25 })}`),
    [world],
  );
  if (world === undefined) return <NoWorld />;
  return (
    <section>
      <h1>Reports from {world}</h1>
      <p class="muted">
        Reports of one avatar for one category gather into one open case; moderators decide it. What you wrote
        in a report is kept sealed and is not shown here.
      </p>
      <ErrorBox error={reports.error} />
      {reports.data === undefined ? (
        reports.loading && <p class="loading">Loading reports…</p>
      ) : (
        <DataTable
          caption={`Reports from ${world}`}
          columns={columns}
          rows={reports.data.items}
          rowKey={(r) => r.id}
          empty="This world has filed no report yet."
        />
      )}
      <Pager pager={reports.pager} label="Reports" />
    </section>
  );
}
