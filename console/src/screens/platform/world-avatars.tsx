import { get, type Page, query } from '../../api.ts';
import { type Column, DataTable } from '../../components/data-table.tsx';
import { ErrorBox } from '../../components/error-box.tsx';
import { Pager, usePaged } from '../../components/paged.tsx';
import { when } from '../../format.ts';
import type { ScreenProps } from '../../screen-props.ts';
import type { SanctionHere, WorldAvatar } from '../../types.ts';
import { NoWorld } from './no-world.tsx';

/** A sanction in a few words: its kind and when it ends. */
export function sanctionWords(s: SanctionHere): string {
  const scope = s.actions === undefined ? '' : ` of ${s.actions.join(', ')}`;
  return `${s.kind}${scope} ${s.endsAt === undefined ? 'until lifted' : `until ${when(s.endsAt)}`}`;
}

const columns: Column<WorldAvatar>[] = [
  { label: 'Avatar', cell: (a) => <strong>{a.handle}</strong> },
  { label: 'Standing', cell: (a) => <span class={`status status-${a.standing}`}>{a.standing}</span> },
  { label: 'Grade', cell: (a) => a.grade ?? '—' },
  {
    label: 'Sanctions in force here',
    cell: (a) =>
      a.sanctions.length === 0 ? (
        <span class="muted">none</span>
      ) : (
        <ul class="plain">
          {a.sanctions.map((s) => (
            <li key={s.id}>{sanctionWords(s)}</li>
          ))}
        </ul>
      ),
  },
  { label: 'Pseudonym', cell: (a) => <code class="id">{a.pseudonym}</code> },
  { label: 'Bound', cell: (a) => when(a.boundAt) },
];

/** The platform's home: its world's avatars by handle, with their standing there. */
export function WorldAvatars(props: ScreenProps) {
  const world = props.me.world;
  const avatars = usePaged(
    (cursor) =>
      world === undefined
        ? Promise.resolve({ items: [] })
        : get<Page<WorldAvatar>>(`/v1/worlds/${world}/avatars${query({ cursor, limit: 25 })}`),
    [world],
  );
  if (world === undefined) return <NoWorld />;
  return (
    <section>
      <h1>Avatars in {world}</h1>
      <p class="muted">
        Each avatar's standing here: the person's grade and the sanctions in force in this world (a ban holds
        in every world). mdis never tells a world who is behind an avatar.
      </p>
      <ErrorBox error={avatars.error} />
      {avatars.data === undefined ? (
        avatars.loading && <p class="loading">Loading avatars…</p>
      ) : (
        <DataTable
          caption={`Avatars in ${world}`}
          columns={columns}
          rows={avatars.data.items}
          rowKey={(a) => a.handle}
          empty="No avatar is bound in this world yet."
        />
      )}
      <Pager pager={avatars.pager} label="Avatars" />
    </section>
  );
}
