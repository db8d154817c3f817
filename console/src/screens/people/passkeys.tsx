import { useState } from 'preact/hooks';
import { del, get, post } from '../../api.ts';
import { ErrorBox } from '../../components/error-box.tsx';
import { useLoad } from '../../components/use-load.ts';
import { when } from '../../format.ts';
import { createPasskey } from '../../webauthn.ts';

interface Passkey {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt?: string;
}

/** The person's passkeys: add one, remove one (never the last). */
export function Passkeys() {
  const list = useLoad(() => get<{ items: Passkey[] }>('/v1/me/passkeys'), []);
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const items = list.data?.items ?? [];
  return (
    <section>
      <h1>My passkeys</h1>
      {list.loading && <p class="loading">Loading your passkeys…</p>}
      <ErrorBox error={list.error ?? error} />
      <ul class="cards">
        {items.map((p) => (
          <li key={p.id} class="panel">
            <strong>{p.name}</strong>
            <div class="muted">
              added {when(p.createdAt)}
              {p.lastUsedAt === undefined ? '' : `, last used ${when(p.lastUsedAt)}`}
            </div>
            <button
              type="button"
              disabled={items.length === 1}
              title={items.length === 1 ? 'Your last passkey stays: add another first' : undefined}
              onClick={async () => {
                setError(undefined);
                try {
                  await del(`/v1/me/passkeys/${encodeURIComponent(p.id)}`);
                  list.reload();
                } catch (failure) {
                  setError(failure);
                }
              }}
            >
              Remove {p.name}
            </button>
          </li>
        ))}
      </ul>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          setError(undefined);
          try {
            const options = await post<Record<string, unknown>>('/v1/me/passkeys/options', {});
            const credential = await createPasskey(options);
            await post('/v1/me/passkeys', { credential, ...(name === '' ? {} : { name }) });
            setName('');
            list.reload();
          } catch (failure) {
            setError(failure);
          } finally {
            setBusy(false);
          }
        }}
      >
        <label>
          Name of the new passkey
          <input
            name="passkey-name"
            maxLength={60}
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Adding…' : 'Add a passkey'}
        </button>
      </form>
    </section>
  );
}
