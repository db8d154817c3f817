import { useState } from 'preact/hooks';
import { get, type Page, query } from '../../api.ts';
import { type Column, DataTable } from '../../components/data-table.tsx';
import { ErrorBox } from '../../components/error-box.tsx';
import { Pager, usePaged } from '../../components/paged.tsx';
import { RecordId } from '../../components/record-id.tsx';
import { usePolicy } from '../../components/use-policy.ts';
import { when, words } from '../../format.ts';
import { Link, navigate } from '../../router.tsx';
import type { ScreenProps } from '../../screen-props.ts';
import type { CaseSummary } from '../../types.ts';

const statuses = ['open', 'appealed', 'decided', 'closed'] as const;

const columns: Column<CaseSummary>[] = [
  {
    label: 'Case',
    cell: (c) => (
      <Link href={`/cases/${c.id}`}>
        <RecordId id={c.id} />
      </Link>
    ),
  },
  { label: 'Avatar', cell: (c) => `${c.handle} @ ${c.world}` },
  { label: 'Category', cell: (c) => words(c.category) },
  { label: 'Status', cell: (c) => <span class={`status status-${c.status}`}>{c.status}</span> },
  { label: 'Reports', cell: (c) => c.reportCount, numeric: true },
  { label: 'Opened', cell: (c) => when(c.openedAt) },
];

/** The moderators' queue, oldest first, filtered by status, category and world. */
export function CaseQueue(props: ScreenProps) {
  const filters = {
    status: props.query.get('status') ?? 'open',
    category: props.query.get('category') ?? '',
    world: props.query.get('world') ?? '',
  };
  const cases = usePaged(
    (cursor) => get<Page<CaseSummary>>(`/v1/cases${query({ ...filters, cursor, limit: 20 })}`),
    [filters.status, filters.category, filters.world],
  );
  return (
    <section>
      <h1>Cases</h1>
      <Filters key={JSON.stringify(filters)} initial={filters} />
      <ErrorBox error={cases.error} />
      {cases.data === undefined ? (
        cases.loading && <p class="loading">Loading cases…</p>
      ) : (
        <DataTable
          caption="Cases"
          columns={columns}
          rows={cases.data.items}
          rowKey={(c) => c.id}
          empty="No case matches these filters."
        />
      )}
      <Pager pager={cases.pager} label="Cases" />
    </section>
  );
}

function Filters(props: { initial: { status: string; category: string; world: string } }) {
  const [status, setStatus] = useState(props.initial.status);
  const [category, setCategory] = useState(props.initial.category);
  const [world, setWorld] = useState(props.initial.world);
  // Cases are of negative conduct only: the policy's categories, by label.
  const categories = (usePolicy().data?.categories ?? []).filter((c) => c.polarity === 'negative');
  return (
    <form
      class="filters"
      onSubmit={(event) => {
        event.preventDefault();
        navigate(`/cases${query({ status, category, world: world.trim() })}`);
      }}
    >
      <label>
        Status
        <select name="status" value={status} onChange={(event) => setStatus(event.currentTarget.value)}>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Category
        <select
          // Drawn again once the policy's categories arrive, so that the filter in force shows.
          key={categories.length}
          name="category"
          value={category}
          onChange={(event) => setCategory(event.currentTarget.value)}
        >
          <option value="">any</option>
          {categories.map((c) => (
            <option key={c.name} value={c.name}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        World
        <input
          name="world"
          value={world}
          placeholder="any, e.g. plaza"
          onInput={(event) => setWorld(event.currentTarget.value)}
        />
      </label>
      <button type="submit">Filter</button>
    </form>
  );
}
