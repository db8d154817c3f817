import { useState } from 'preact/hooks';
import { del, get, post } from '../../api.ts';
import { DataTable } from '../../components/data-table.tsx';
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

/** The person's passkeys (name, when added, when last used): add one, remove one (never the last). */
export function Passkeys() {
  const list = useLoad(() => get<{ items: Passkey[] }>('/v1/me/passkeys'), []);
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const items = list.data?.items ?? [];
  const remove = async (id: string) => {
    setError(undefined);
    try {
      await del(`/v1/me/passkeys/${encodeURIComponent(id)}`);
      list.reload();
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <section>
      <h1>My passkeys</h1>
      {list.loading && <p class="loading">Loading your passkeys…</p>}
      <ErrorBox error={list.error ?? error} />
      {list.data !== undefined && (
        <DataTable
          caption="My passkeys"
          columns={[
            { label: 'Name', cell: (p) => <strong>{p.name}</strong> },
            { label: 'Added', cell: (p) => when(p.createdAt) },
            { label: 'Last used', cell: (p) => (p.lastUsedAt === undefined ? 'never' : when(p.lastUsedAt)) },
            {
              label: 'Remove',
              cell: (p) => (
                <button
                  type="button"
                  disabled={items.length === 1}
                  title={items.length === 1 ? 'Your last passkey stays: add another first' : undefined}
                  onClick={() => remove(p.id)}
                >
                  Remove {p.name}
                </button>
              ),
            },
          ]}
          rows={items}
          rowKey={(p) => p.id}
          empty="You have no passkey yet: you signed in another way (a link or a token). Add one to sign in with this device next time."
        />
      )}
      <h2>Add a passkey</h2>
      <form
        class="panel"
        aria-label="Add a passkey"
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
