import type { Page } from '../../../../src/api/common.ts';
import type { MyLogEntry } from '../../../../src/api/log.ts';
import { get, query } from '../../api.ts';
import { ErrorBox } from '../../components/error-box.tsx';
import { Pager, usePaged } from '../../components/paged.tsx';
import { when } from '../../format.ts';
import { opensInBrowser } from '../../ledger/commitments.ts';

interface Checked {
  item: MyLogEntry;
  kind: string;
  at: string;
  opened: boolean;
}

/**
 * The public entries about the signed-in person: the log shows them only as commitments; the
 * salts come from mdis, and each is checked here against the entry as the public log holds it.
 */
export function MyEntries() {
  const page = usePaged(async (cursor): Promise<Page<Checked>> => {
    const read = await get<Page<MyLogEntry>>(`/v1/me/log${query({ cursor, limit: 20 })}`);
    const items = await Promise.all(
      read.items.map(async (item): Promise<Checked> => {
        const parsed = JSON.parse(item.entry) as { kind: string; at: string };
        const opens = await Promise.all(item.openings.map((o) => opensInBrowser(item.entry, o)));
        return { item, kind: parsed.kind, at: parsed.at, opened: opens.every(Boolean) };
      }),
    );
    return { items, cursor: read.cursor };
  }, []);
  return (
    <section class="panel">
      <h2>Entries about you</h2>
      <p class="muted">
        The public log names you in these only through salted commitments; no one without the salts can link
        them to you or to each other. Each is opened here with its salts.
      </p>
      <ErrorBox error={page.error} />
      {page.data !== undefined && page.data.items.length === 0 && <p>No entries yet.</p>}
      {page.data !== undefined && (
        <ol class="entries">
          {page.data.items.map((c) => (
            <li key={c.item.index}>
              <code>#{c.item.index}</code> {c.kind}, {when(c.at)}: {c.opened ? '✓' : '✗'}{' '}
              {c.item.openings.map((o) => o.ref).join(', ')}
              {c.opened ? ' open to you' : ' do not match the entry'}
            </li>
          ))}
        </ol>
      )}
      <Pager pager={page.pager} label="Your entries" />
    </section>
  );
}
