import { get, query } from '../../api.ts';
import { DataTable } from '../../components/data-table.tsx';
import { ErrorBox } from '../../components/error-box.tsx';
import { Pager, usePaged } from '../../components/paged.tsx';
import { day, when, words } from '../../format.ts';
import type { MyAccess as Access, CheckCount, Page, ProfileRead } from '../../types.ts';
import { MyDisclosures } from './my-disclosures.tsx';

const page = (list: 'reads' | 'checks', cursor: string | undefined) =>
  get<Access>(`/v1/me/access${query({ list, cursor, limit: 20 })}`);

/** The access history screen: who looked at the subject's data (staff reads, services' checks, authorities' disclosures). */
export function MyAccess() {
  const reads = usePaged(
    async (cursor): Promise<Page<ProfileRead>> => (await page('reads', cursor)).reads ?? { items: [] },
    [],
  );
  const checks = usePaged(
    async (cursor): Promise<Page<CheckCount>> => (await page('checks', cursor)).checks ?? { items: [] },
    [],
  );
  return (
    <section>
      <h1>Who looked at my data</h1>
      <h2>Reads of my profile</h2>
      <p class="muted">
        Every time staff of the registry read your attributes: when, in what role and organisation, and why.
        Each read is also an entry of the transparency log.
      </p>
      <ErrorBox error={reads.error} />
      {reads.data !== undefined && (
        <DataTable
          caption="Reads of my profile"
          columns={[
            { label: 'When', cell: (r) => when(r.at) },
            { label: 'Role', cell: (r) => r.role },
            { label: 'Organisation', cell: (r) => r.organisation ?? '—' },
            { label: 'Purpose', cell: (r) => words(r.purpose) },
            { label: 'Log entry', cell: (r) => r.logIndex, numeric: true },
          ]}
          rows={reads.data.items}
          rowKey={(r) => r.id}
          empty="No one has read your profile."
        />
      )}
      <Pager pager={reads.pager} label="Reads of my profile" />
      <h2>Checks by services</h2>
      <p class="muted">
        How many times each service or world asked whether you may do something, per day (counted, not logged
        one by one; the last few seconds may not show yet).
      </p>
      <ErrorBox error={checks.error} />
      {checks.data !== undefined && (
        <DataTable
          caption="Checks by services"
          columns={[
            { label: 'Day', cell: (c) => day(c.day) },
            { label: 'Who', cell: (c) => `${c.checker.name} (${c.checker.role})` },
            { label: 'Action', cell: (c) => c.action },
            { label: 'Checks', cell: (c) => c.count, numeric: true },
          ]}
          rows={checks.data.items}
          rowKey={(c) => `${c.day} ${c.checker.id} ${c.action}`}
          empty="No service has checked you."
        />
      )}
      <Pager pager={checks.pager} label="Checks by services" />
      <MyDisclosures />
    </section>
  );
}
