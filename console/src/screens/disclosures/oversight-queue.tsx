import { get, type Page, query } from '../../api.ts';
import { DisclosureTable } from '../../components/disclosure-table.tsx';
import { ErrorBox } from '../../components/error-box.tsx';
import { Pager, usePaged } from '../../components/paged.tsx';
import type { ScreenProps } from '../../screen-props.ts';
import type { DisclosureSummary } from '../../types.ts';

function Queue(props: {
  title: string;
  filter: Record<string, string | boolean>;
  empty: string;
  only?: (d: DisclosureSummary) => boolean;
}) {
  const list = usePaged(
    (cursor) =>
      get<Page<DisclosureSummary>>(`/v1/disclosures${query({ ...props.filter, cursor, limit: 20 })}`),
    [JSON.stringify(props.filter)],
  );
  const rows = list.data?.items.filter(props.only ?? (() => true));
  return (
    <>
      <h2>{props.title}</h2>
      <ErrorBox error={list.error} />
      {rows === undefined ? (
        list.loading && <p class="loading">Loading…</p>
      ) : (
        <DisclosureTable caption={props.title} rows={rows} empty={props.empty} />
      )}
      <Pager pager={list.pager} label={props.title} />
    </>
  );
}

/** What oversight has to do: overdue emergency reviews, pending requests, emergencies to review. */
export function OversightQueue(_props: ScreenProps) {
  return (
    <section>
      <h1>Disclosures to review</h1>
      <Queue title="Overdue emergency reviews" filter={{ overdue: true }} empty="No review is overdue." />
      <Queue
        title="Pending requests"
        filter={{ status: 'pending' }}
        empty="No request waits for a decision."
      />
      <Queue
        title="Emergency disclosures to review"
        filter={{ emergency: true }}
        only={(d) => d.reviewedAt === undefined && !d.overdue}
        empty="No emergency disclosure waits for review."
      />
    </section>
  );
}
