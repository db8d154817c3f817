import { useState } from 'preact/hooks';
import { get, type Page, post, query } from '../../api.ts';
import { type Activation, ActivationLink } from '../../components/activation-link.tsx';
import { DataTable } from '../../components/data-table.tsx';
import { ErrorBox } from '../../components/error-box.tsx';
import { Pager, usePaged } from '../../components/paged.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { when } from '../../format.ts';
import type { ScreenProps } from '../../screen-props.ts';
import { type Principal, type Role, roles } from '../../types.ts';

function scopeOf(p: Principal): string {
  return p.world ?? p.actions?.join(', ') ?? p.jurisdiction ?? p.subject ?? '—';
}

/**
 * Every principal, oldest first; create one (its token, and for a person the activation code as a
 * link and a QR code, shown once) or revoke one.
 */
export function Principals(_props: ScreenProps) {
  const [changes, setChanges] = useState(0);
  const list = usePaged(
    (cursor) => get<Page<Principal>>(`/v1/principals${query({ cursor, limit: 25 })}`),
    [changes],
  );
  return (
    <section>
      <h1>Principals</h1>
      <CreatePrincipal onCreated={() => setChanges(changes + 1)} />
      <ErrorBox error={list.error} />
      {list.data === undefined ? (
        list.loading && <p class="loading">Loading principals…</p>
      ) : (
        <DataTable
          caption="Principals"
          columns={[
            { label: 'Name', cell: (p) => p.name },
            { label: 'Role', cell: (p) => p.role },
            { label: 'Scope', cell: scopeOf },
            { label: 'Created', cell: (p) => when(p.createdAt) },
            {
              label: 'Status',
              cell: (p) =>
                p.revokedAt === undefined ? (
                  <Revoke principal={p} onRevoked={() => setChanges(changes + 1)} />
                ) : (
                  `revoked ${when(p.revokedAt)}`
                ),
            },
          ]}
          rows={list.data.items}
          rowKey={(p) => p.id}
          empty="No principals."
        />
      )}
      <Pager pager={list.pager} label="Principals" />
    </section>
  );
}

const scopeField: Partial<
  Record<Role, { name: 'world' | 'actions' | 'jurisdiction' | 'subject'; label: string }>
> = {
  platform: { name: 'world', label: 'World id' },
  service: { name: 'actions', label: 'Actions (comma separated)' },
  authority: { name: 'jurisdiction', label: 'Jurisdiction (ISO 3166)' },
  subject: { name: 'subject', label: 'Digital ID' },
};

function CreatePrincipal(props: { onCreated: () => void }) {
  const [role, setRole] = useState<Role>('moderator');
  const [name, setName] = useState('');
  const [scope, setScope] = useState('');
  const [created, setCreated] = useState<{
    principal: Principal;
    token: string;
    activation?: Activation;
  }>();
  const field = scopeField[role];
  const { error, onSubmit } = useSubmit(async () => {
    setCreated(undefined);
    const value = scope.trim();
    const scoped =
      field === undefined
        ? {}
        : { [field.name]: field.name === 'actions' ? value.split(/[\s,]+/).filter(Boolean) : value };
    setCreated(await post(`/v1/principals`, { role, name: name.trim() || undefined, ...scoped }));
    props.onCreated();
  });
  return (
    <details class="panel">
      <summary>Create a principal</summary>
      <form onSubmit={onSubmit}>
        <label>
          Role
          <select name="role" value={role} onChange={(event) => setRole(event.currentTarget.value as Role)}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label>
          Name
          <input
            name="name"
            maxLength={100}
            value={name}
            onInput={(event) => setName(event.currentTarget.value)}
          />
        </label>
        {field !== undefined && (
          <label>
            {field.label}
            <input
              name={field.name}
              required
              value={scope}
              onInput={(event) => setScope(event.currentTarget.value)}
            />
          </label>
        )}
        <button type="submit">Create</button>
      </form>
      <ErrorBox error={error} />
      {created !== undefined && (
        <div class="notice" role="status">
          Created {created.principal.role} <code>{created.principal.id}</code>. Its token, shown this once:
          <pre class="token">{created.token}</pre>
          {created.activation !== undefined && <ActivationLink activation={created.activation} />}
        </div>
      )}
    </details>
  );
}

function Revoke(props: { principal: Principal; onRevoked: () => void }) {
  const { error, run } = useSubmit(async () => {
    await post(`/v1/principals/${props.principal.id}/revoke`, {});
    props.onRevoked();
  });
  return (
    <>
      active{' '}
      <button
        type="button"
        class="link"
        onClick={async () => {
          if (
            !window.confirm(
              `Revoke ${props.principal.name} (${props.principal.role})? Its token stops working at once.`,
            )
          )
            return;
          await run();
        }}
      >
        revoke
      </button>
      <ErrorBox error={error} />
    </>
  );
}
