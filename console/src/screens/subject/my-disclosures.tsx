import { get, type Page, query } from '../../api.ts';
import { AppealForm } from '../../components/appeal-form.tsx';
import { DataTable } from '../../components/data-table.tsx';
import { ErrorBox } from '../../components/error-box.tsx';
import { Pager, usePaged } from '../../components/paged.tsx';
import { when, words } from '../../format.ts';
import type { DisclosureNotice } from '../../types.ts';

/**
 * Who asked for the subject's identity, once each request's gag period has ended; a granted one
 * may be appealed to oversight until its deadline.
 */
export function MyDisclosures() {
  const list = usePaged(
    (cursor) => get<Page<DisclosureNotice>>(`/v1/me/disclosures${query({ cursor, limit: 20 })}`),
    [],
  );
  return (
    <>
      <h2>Who asked who I am</h2>
      <p class="muted">
        Requests by authorities to identify you, shown once the period in which you may not be told has ended.
      </p>
      <ErrorBox error={list.error} />
      {list.data !== undefined && (
        <DataTable
          caption="Disclosures of my identity"
          columns={[
            { label: 'Asked', cell: (n) => when(n.requestedAt) },
            { label: 'Authority in', cell: (n) => n.jurisdiction },
            { label: 'Offence', cell: (n) => words(n.offence) },
            { label: 'Legal basis', cell: (n) => words(n.legalBasis) },
            { label: 'Attributes', cell: (n) => n.scope.join(', ') },
            { label: 'Status', cell: (n) => n.status },
            { label: 'Reads', cell: (n) => n.reads, numeric: true },
            {
              label: 'Appeal until',
              cell: (n) => (n.appealDeadline === undefined ? '—' : when(n.appealDeadline)),
            },
          ]}
          rows={list.data.items}
          rowKey={(n) => n.id}
          empty="No disclosure of your identity to tell you about."
        />
      )}
      {list.data?.items
        .filter((n) => n.appealDeadline !== undefined)
        .map((n) => (
          <section key={n.id} class="card" aria-label={`Disclosure ${n.id}`}>
            <p>
              Disclosure <code>{n.id}</code> to an authority in {n.jurisdiction}, told to you on{' '}
              {when(n.noticeAt)}: you may appeal it to oversight until {when(n.appealDeadline!)}.
            </p>
            <AppealForm
              target={{ kind: 'disclosure', id: n.id }}
              what="disclosure"
              onAppealed={list.reload}
            />
          </section>
        ))}
      <Pager pager={list.pager} label="Disclosures of my identity" />
    </>
  );
}
