import { get, type Page, query } from '../../api.ts';
import { type Column, DataTable } from '../../components/data-table.tsx';
import { ErrorBox } from '../../components/error-box.tsx';
import { Pager, usePaged } from '../../components/paged.tsx';
import { when } from '../../format.ts';
import { Link } from '../../router.tsx';
import type { ScreenProps } from '../../screen-props.ts';
import type { Subscription } from '../../types.ts';
import { NoWorld } from './no-world.tsx';

const columns: Column<Subscription>[] = [
  { label: 'URL', cell: (s) => <code class="id">{s.url}</code> },
  { label: 'Events', cell: (s) => s.events.join(', ') },
  { label: 'Created', cell: (s) => when(s.createdAt) },
  {
    label: 'State',
    cell: (s) =>
      s.revokedAt === undefined ? (
        <span class="status status-active">active</span>
      ) : (
        <span class="status status-revoked">revoked {when(s.revokedAt)}</span>
      ),
  },
  {
    label: 'Deliveries',
    cell: (s) => <Link href={`/world/webhooks/${s.id}`}>Deliveries to {s.url}</Link>,
  },
];

/** The world's webhook subscriptions, oldest first; each leads to its recent deliveries. */
export function Webhooks(props: ScreenProps) {
  const world = props.me.world;
  const subscriptions = usePaged(
    (cursor) =>
      world === undefined
        ? Promise.resolve({ items: [] })
        : get<Page<Subscription>>(`/v1/worlds/${world}/subscriptions${query({ cursor, limit: 25 })}`),
    [world],
  );
  if (world === undefined) return <NoWorld />;
  return (
    <section>
      <h1>Webhooks of {world}</h1>
      <p class="muted">
        mdis posts each event you subscribed to, signed, and retries a failed delivery with a growing delay.
        Subscribe and revoke over the API (see <a href="/docs">/docs</a>).
      </p>
      <ErrorBox error={subscriptions.error} />
      {subscriptions.data === undefined ? (
        subscriptions.loading && <p class="loading">Loading subscriptions…</p>
      ) : (
        <DataTable
          caption={`Webhook subscriptions of ${world}`}
          columns={columns}
          rows={subscriptions.data.items}
          rowKey={(s) => s.id}
          empty="This world has no webhook subscription."
        />
      )}
      <Pager pager={subscriptions.pager} label="Subscriptions" />
    </section>
  );
}
