import { useState } from 'preact/hooks';
import { get, type Page, post, query } from '../../api.ts';
import { type Activation, ActivationLink } from '../../components/activation-link.tsx';
import { DataTable } from '../../components/data-table.tsx';
import { ErrorBox } from '../../components/error-box.tsx';
import { Pager, usePaged } from '../../components/paged.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { when } from '../../format.ts';
import type { ScreenProps } from '../../screen-props.ts';
import { type Principal, type PrincipalProposal, type Role, roles } from '../../types.ts';
import { PendingProposals, ProposedNotice } from './principal-proposals.tsx';

function scopeOf(p: Principal): string {
  return p.world ?? p.actions?.join(', ') ?? p.jurisdiction ?? p.subject ?? '—';
}

/**
 * Every principal, oldest first; create one (its token, and for a person the activation code as a
 * link and a QR code, shown once) or revoke one. An admin, oversight or auditor principal is
 * proposed instead, and waits among the pending proposals for another admin.
 */
export function Principals(props: ScreenProps) {
  const [changes, setChanges] = useState(0);
  const list = usePaged(
    (cursor) => get<Page<Principal>>(`/v1/principals${query({ cursor, limit: 25 })}`),
    [changes],
  );
  return (
    <section>
      <h1>Principals</h1>
      <CreatePrincipal onCreated={() => setChanges(changes + 1)} />
      <PendingProposals me={props.me} changes={changes} onDecided={() => setChanges(changes + 1)} />
      <ErrorBox error={list.error} />
      {list.data === undefined ? (
        list.loading && <p class="loading">Loading principals…</p>
      ) : (
        <DataTable
          caption="Principals"
          columns={[
            { label: 'Name', cell: (p) => p.name },
            { label: 'Role', cell: (p) => p.role },
            { label: 'Organisation', cell: (p) => p.organisation ?? '—' },
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

/** The roles that take two admins to create or revoke (src/principals/roles.ts). */
const overseeing: readonly Role[] = ['admin', 'oversight', 'auditor'];

function CreatePrincipal(props: { onCreated: () => void }) {
  const [role, setRole] = useState<Role>('moderator');
  const [name, setName] = useState('');
  const [scope, setScope] = useState('');
  const [organisation, setOrganisation] = useState('');
  const [created, setCreated] = useState<
    { principal: Principal; token: string; activation?: Activation } | { proposal: PrincipalProposal }
  >();
  const field = scopeField[role];
  const { error, onSubmit } = useSubmit(async () => {
    setCreated(undefined);
    const value = scope.trim();
    const scoped =
      field === undefined
        ? {}
        : { [field.name]: field.name === 'actions' ? value.split(/[\s,]+/).filter(Boolean) : value };
    const acting = role === 'subject' ? {} : { organisation: organisation.trim() || undefined };
    setCreated(await post(`/v1/principals`, { role, name: name.trim() || undefined, ...acting, ...scoped }));
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
        {role !== 'subject' && (
          <label>
            Organisation
            <input
              name="organisation"
              maxLength={100}
              value={organisation}
              onInput={(event) => setOrganisation(event.currentTarget.value)}
            />
          </label>
        )}
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
        {overseeing.includes(role) && (
          <p class="muted">This role takes two admins: this proposes it, and another admin approves.</p>
        )}
        <button type="submit">{overseeing.includes(role) ? 'Propose' : 'Create'}</button>
      </form>
      <ErrorBox error={error} />
      {created !== undefined && 'proposal' in created && <ProposedNotice proposal={created.proposal} />}
      {created !== undefined && 'principal' in created && (
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
  const [proposed, setProposed] = useState<PrincipalProposal>();
  const { error, run } = useSubmit(async () => {
    const answer = await post<Principal | { proposal: PrincipalProposal }>(
      `/v1/principals/${props.principal.id}/revoke`,
      {},
    );
    if ('proposal' in answer) setProposed(answer.proposal);
    props.onRevoked();
  });
  if (proposed !== undefined) return <>active; revocation proposed, waiting for another admin</>;
  return (
    <>
      active{' '}
      <button
        type="button"
        class="link"
        onClick={async () => {
          if (
            !window.confirm(
              `Revoke ${props.principal.name} (${props.principal.role})? ${
                overseeing.includes(props.principal.role)
                  ? 'It takes a second admin: this proposes it.'
                  : 'Its token stops working at once.'
              }`,
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
