import { get, type Page, query } from '../../api.ts';
import { DisclosureTable } from '../../components/disclosure-table.tsx';
import { ErrorBox } from '../../components/error-box.tsx';
import { Pager, usePaged } from '../../components/paged.tsx';
import { Link, navigate } from '../../router.tsx';
import type { ScreenProps } from '../../screen-props.ts';
import type { DisclosureSummary } from '../../types.ts';

const statuses = ['', 'pending', 'granted', 'refused'];

/** Disclosure requests, newest first: an authority's own, or all for oversight and auditors. */
export function DisclosureList(props: ScreenProps) {
  const status = props.query.get('status') ?? '';
  const list = usePaged(
    (cursor) => get<Page<DisclosureSummary>>(`/v1/disclosures${query({ status, cursor, limit: 20 })}`),
    [status],
  );
  const authority = props.me.role === 'authority';
  return (
    <section>
      <h1>{authority ? 'My disclosure requests' : 'Disclosures'}</h1>
      {authority && (
        <p>
          <Link href="/disclosures/new" class="button">
            File a request
          </Link>
        </p>
      )}
      <label class="inline">
        Status
        <select
          value={status}
          onChange={(event) => navigate(`/disclosures${query({ status: event.currentTarget.value })}`)}
        >
          {statuses.map((s) => (
            <option key={s} value={s}>
              {s === '' ? 'any' : s}
            </option>
          ))}
        </select>
      </label>
      <ErrorBox error={list.error} />
      {list.data === undefined ? (
        list.loading && <p class="loading">Loading disclosures…</p>
      ) : (
        <DisclosureTable caption="Disclosures" rows={list.data.items} empty="No disclosure requests." />
      )}
      <Pager pager={list.pager} label="Disclosures" />
    </section>
  );
}
