import { useState } from 'preact/hooks';
import { get, getText, query } from '../../api.ts';
import { ErrorBox } from '../../components/error-box.tsx';
import { useLoad } from '../../components/use-load.ts';
import { when } from '../../format.ts';
import type { Role } from '../../types.ts';
import { EntryActor, EntryFields } from './entry-fields.tsx';

const pageSize = 20;

interface Entry {
  idx: number;
  /** An entry from before the switch to commitments: only its leaf hash is public. */
  withheld?: boolean;
  at: string;
  kind: string;
  actor: string;
  refs?: Record<string, unknown>;
  commitments?: Record<string, string>;
}

/**
 * The entries of a page ending at `end` (exclusive) of a log of `size`: the newest page first;
 * the oldest page holds what is left (fewer than a page), so that no page is empty.
 */
export function pageOf(size: number, end: number | undefined) {
  const last = Math.min(size, end ?? size);
  const start = Math.max(0, last - pageSize);
  return { start, last, newer: last < size, older: start > 0 };
}

/**
 * Anyone reads the entries themselves, newest first, a page at a time; each in words, its actor
 * named as far as the viewer's role may know it.
 */
export function EntryBrowser(props: { viewer: Role }) {
  const size = useLoad(async () => Number((await getText('/v1/log/checkpoint')).split('\n')[1]), []);
  const [end, setEnd] = useState<number>();
  const bounds = size.data === undefined ? undefined : pageOf(size.data, end);
  const page = useLoad(
    () =>
      bounds === undefined || bounds.last === 0
        ? Promise.resolve([])
        : get<{ entries: { index: number; entry?: string }[] }>(
            `/v1/log/entries${query({ start: bounds.start, end: bounds.last })}`,
          ).then((r) =>
            r.entries
              .map((e) =>
                e.entry === undefined
                  ? ({ idx: e.index, withheld: true, at: '', kind: '', actor: '' } as Entry)
                  : (JSON.parse(e.entry) as Entry),
              )
              .reverse(),
          ),
    [bounds?.start, bounds?.last],
  );
  return (
    <section class="panel">
      <h2>Entries</h2>
      <ErrorBox error={size.error ?? page.error} />
      {page.data !== undefined && bounds !== undefined && (
        <>
          <p class="muted" data-testid="entry-range">
            {bounds.last === 0
              ? 'The log has no entries yet.'
              : `Entries #${bounds.last - 1} down to #${bounds.start} (${bounds.last - bounds.start} of ${size.data}), newest first.`}
          </p>
          <ol class="entries">
            {page.data.map((e) => (
              <li key={e.idx}>
                <code>#{e.idx}</code>{' '}
                {e.withheld === true && (
                  <span class="muted">
                    kept before the log committed to people: withheld, only its leaf hash is public
                  </span>
                )}
                {e.withheld !== true && (
                  <>
                    <code>{e.kind}</code> by{' '}
                    <EntryActor actor={e.actor} kind={e.kind} refs={e.refs} viewer={props.viewer} />,{' '}
                    {when(e.at)}
                    <EntryFields refs={e.refs} commitments={e.commitments} viewer={props.viewer} />
                  </>
                )}
              </li>
            ))}
          </ol>
          {(bounds.newer || bounds.older) && (
            <nav class="pager" aria-label="Entry pages">
              {bounds.newer && (
                <button
                  type="button"
                  onClick={() => setEnd(Math.min(size.data ?? 0, bounds.last + pageSize))}
                >
                  ← Newer
                </button>
              )}
              {bounds.older && (
                <button type="button" onClick={() => setEnd(bounds.start)}>
                  Older →
                </button>
              )}
            </nav>
          )}
        </>
      )}
    </section>
  );
}
