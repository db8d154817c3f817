import { get, type Page, query } from '../../api.ts';
import { type Column, DataTable } from '../../components/data-table.tsx';
import { ErrorBox } from '../../components/error-box.tsx';
import { Pager, usePaged } from '../../components/paged.tsx';
import { when } from '../../format.ts';
import { Link } from '../../router.tsx';
import type { ScreenProps } from '../../screen-props.ts';
import type { Delivery } from '../../types.ts';
import { NoWorld } from './no-world.tsx';

const columns: Column<Delivery>[] = [
  { label: 'Created', cell: (d) => when(d.createdAt) },
  { label: 'Event', cell: (d) => d.eventType },
  { label: 'Status', cell: (d) => <span class={`status status-${d.status}`}>{d.status}</span> },
  { label: 'Attempts', cell: (d) => d.attempts, numeric: true },
  { label: 'Last error', cell: (d) => d.lastError ?? '—' },
  {
    label: 'Delivered or next try',
    cell: (d) => (d.deliveredAt !== undefined ? when(d.deliveredAt) : when(d.nextAttemptAt)),
  },
  { label: 'Event id', cell: (d) => <code class="id">{d.id}</code> },
];

/** One subscription's notifications, newest first, and how their delivery went. */
export function Deliveries(props: ScreenProps) {
  const world = props.me.world;
  const id = props.params.id ?? '';
  const deliveries = usePaged(
    (cursor) =>
      world === undefined
        ? Promise.resolve({ items: [] })
        : get<Page<Delivery>>(
            `/v1/worlds/${world}/subscriptions/${encodeURIComponent(id)}/deliveries${query({ cursor, limit: 25 })}`,
          ),
    [world, id],
  );
  if (world === undefined) return <NoWorld />;
  return (
    <section>
      <h1>Deliveries</h1>
      <p>
        <Link href="/world/webhooks">← All webhooks</Link>
      </p>
      <p class="muted">
        Subscription <code class="id">{id}</code>: the event id is the <code>mdis-event-id</code> header your
        receiver got.
      </p>
      <ErrorBox error={deliveries.error} />
      {deliveries.data === undefined ? (
        deliveries.loading && <p class="loading">Loading deliveries…</p>
      ) : (
        <DataTable
          caption="Deliveries"
          columns={columns}
          rows={deliveries.data.items}
          rowKey={(d) => d.id}
          empty="Nothing has been sent to this subscription yet."
        />
      )}
      <Pager pager={deliveries.pager} label="Deliveries" />
    </section>
  );
}
