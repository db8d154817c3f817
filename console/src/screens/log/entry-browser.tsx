import { useState } from 'preact/hooks';
import { get, getText, query } from '../../api.ts';
import { ErrorBox } from '../../components/error-box.tsx';
import { useLoad } from '../../components/use-load.ts';
import { when } from '../../format.ts';

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

/** Anyone reads the entries themselves, newest first, a page at a time. */
export function EntryBrowser() {
  const size = useLoad(async () => Number((await getText('/v1/log/checkpoint')).split('\n')[1]), []);
  const [end, setEnd] = useState<number>();
  const last = end ?? size.data;
  const start = last === undefined ? undefined : Math.max(0, last - pageSize);
  const page = useLoad(
    () =>
      last === undefined || start === undefined
        ? Promise.resolve([])
        : get<{ entries: { index: number; entry?: string }[] }>(
            `/v1/log/entries${query({ start, end: last })}`,
          ).then((r) =>
            r.entries
              .map((e) =>
                e.entry === undefined
                  ? ({ idx: e.index, withheld: true, at: '', kind: '', actor: '' } as Entry)
                  : (JSON.parse(e.entry) as Entry),
              )
              .reverse(),
          ),
    [start, last],
  );
  return (
    <section class="panel">
      <h2>Entries</h2>
      <ErrorBox error={size.error ?? page.error} />
      {page.data !== undefined && last !== undefined && start !== undefined && (
        <>
          <p class="muted">
            Entries #{start} to #{Math.max(start, last - 1)} of a checkpoint of {size.data}.
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
                    {e.kind} by <code>{e.actor}</code>, {when(e.at)}
                  </>
                )}
                {e.refs !== undefined && <span class="muted"> {JSON.stringify(e.refs)}</span>}
                {e.commitments !== undefined && (
                  <span class="muted"> commits to {Object.keys(e.commitments).join(', ')}</span>
                )}
              </li>
            ))}
          </ol>
          <nav class="pager" aria-label="Entry pages">
            <button
              type="button"
              disabled={last >= (size.data ?? 0)}
              onClick={() => setEnd(Math.min(size.data ?? 0, last + pageSize))}
            >
              ← Newer
            </button>
            <button type="button" disabled={start === 0} onClick={() => setEnd(start)}>
              Older →
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
