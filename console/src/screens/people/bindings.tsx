import { useState } from 'preact/hooks';
import { del, get, type Page } from '../../api.ts';
import { ErrorBox } from '../../components/error-box.tsx';
import { useLoad } from '../../components/use-load.ts';
import { when } from '../../format.ts';

interface Binding {
  world: string;
  worldName: string;
  handle: string;
  pseudonym: string;
  boundAt: string;
}

/** The person's avatars, world by world; ending one tells the world. */
export function Bindings() {
  const list = useLoad(() => get<Page<Binding>>('/v1/me/bindings'), []);
  const [error, setError] = useState<unknown>();
  return (
    <section>
      <h1>My avatars</h1>
      <p>
        Each avatar was bound when you signed in to its world through mdis and consented. Ending a binding
        tells the world, which then no longer knows the avatar as yours.
      </p>
      {list.loading && <p class="loading">Loading your avatars…</p>}
      <ErrorBox error={list.error ?? error} />
      {list.data?.items.length === 0 && <p class="muted">No avatar is bound to you.</p>}
      <ul class="cards">
        {list.data?.items.map((b) => (
          <li key={`${b.world}/${b.handle}`} class="panel">
            <strong>{b.handle}</strong> in {b.worldName}
            <div class="muted">
              known there as <code>{b.pseudonym}</code> since {when(b.boundAt)}
            </div>
            <button
              type="button"
              onClick={async () => {
                if (!window.confirm(`End the binding of ${b.handle} in ${b.worldName}?`)) return;
                setError(undefined);
                try {
                  await del(`/v1/me/bindings/${b.world}/${b.handle}`);
                  list.reload();
                } catch (failure) {
                  setError(failure);
                }
              }}
            >
              End binding of {b.handle}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
