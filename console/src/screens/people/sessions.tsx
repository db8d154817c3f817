import { del, get, post } from '../../api.ts';
import { DataTable } from '../../components/data-table.tsx';
import { ErrorBox } from '../../components/error-box.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useSubmit } from '../../components/use-submit.ts';
import { when } from '../../format.ts';
import type { SessionSummary } from '../../types.ts';

/**
 * The person's sessions (each passkey sign-in, on any device): when each began and was last used;
 * end one that is not this browser's, or all the others at once (a lost phone, a shared computer).
 */
export function Sessions() {
  const list = useLoad(() => get<{ items: SessionSummary[] }>('/v1/sessions'), []);
  const end = useSubmit(async (id: string) => {
    await del(`/v1/sessions/${encodeURIComponent(id)}`);
    list.reload();
  });
  const endOthers = useSubmit(async () => {
    await post('/v1/session/end-all?keep=current', {});
    list.reload();
  });
  // This browser's first, then the others newest first, as listed.
  const items = [...(list.data?.items ?? [])].sort((a, b) => Number(b.current) - Number(a.current));
  const others = items.filter((s) => !s.current);
  return (
    <section>
      <h1>My sessions</h1>
      <p class="muted">
        Each time you sign in with a passkey, mdis keeps a session for that browser until you sign out, stay
        away for a while, or its lifetime ends. End any you do not recognise; signing in again needs your
        passkey.
      </p>
      {list.loading && list.data === undefined && <p class="loading">Loading your sessions…</p>}
      <ErrorBox error={list.error ?? end.error ?? endOthers.error} />
      {list.data !== undefined && (
        <DataTable
          caption="My sessions"
          columns={[
            { label: 'Signed in', cell: (s) => when(s.createdAt) },
            { label: 'Last used', cell: (s) => when(s.lastSeenAt) },
            { label: 'Ends at the latest', cell: (s) => when(s.expiresAt) },
            {
              label: 'Session',
              cell: (s) =>
                s.current ? (
                  <strong>this browser</strong>
                ) : (
                  <button
                    type="button"
                    disabled={end.busy}
                    aria-label={`End session signed in ${when(s.createdAt)}`}
                    onClick={() => void end.run(s.id)}
                  >
                    End session
                  </button>
                ),
            },
          ]}
          rows={items}
          rowKey={(s) => s.id}
          empty="You have no passkey session: you signed in with a token."
        />
      )}
      {others.length > 0 && (
        <p>
          <button type="button" disabled={endOthers.busy} onClick={() => void endOthers.run()}>
            {endOthers.busy ? 'Ending…' : `End all other sessions (${others.length})`}
          </button>
        </p>
      )}
    </section>
  );
}
