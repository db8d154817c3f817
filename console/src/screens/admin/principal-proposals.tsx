import { useState } from 'preact/hooks';
import { get, type Page, post, query } from '../../api.ts';
import { type Activation, ActivationLink } from '../../components/activation-link.tsx';
import { DataTable } from '../../components/data-table.tsx';
import { ErrorBox } from '../../components/error-box.tsx';
import { PrincipalName } from '../../components/principal-name.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useSubmit } from '../../components/use-submit.ts';
import { when } from '../../format.ts';
import type { Principal, PrincipalProposal, Whoami } from '../../types.ts';

/** What approving answers: the proposal, and for a creation the new principal's token and code, once. */
type Approved = {
  proposal: PrincipalProposal;
  principal?: Principal;
  token?: string;
  activation?: Activation;
};

function whatOf(p: PrincipalProposal): string {
  const who = p.name ?? p.principal ?? 'a new principal';
  return p.change === 'create' ? `create ${p.role} “${who}”` : `revoke ${p.role} “${who}”`;
}

/**
 * The pending proposals to create or revoke an admin, oversight or auditor principal: another
 * admin approves or refuses each; its proposer sees it waiting. Approving a creation shows the
 * new principal's token and activation code to the approver, this once.
 */
export function PendingProposals(props: { me: Whoami; changes: number; onDecided: () => void }) {
  const [decided, setDecided] = useState(0);
  const [approved, setApproved] = useState<Approved>();
  const list = useLoad(
    () => get<Page<PrincipalProposal>>(`/v1/principal-proposals${query({ status: 'pending', limit: 100 })}`),
    [props.changes, decided],
  );
  const after = (answer?: Approved) => {
    setApproved(answer);
    setDecided(decided + 1);
    props.onDecided();
  };
  return (
    <section class="panel" aria-labelledby="proposals-title">
      <h2 id="proposals-title">Pending proposals</h2>
      <p class="muted">
        Creating or revoking an admin, oversight or auditor principal takes two admins: one proposes, another
        approves.
      </p>
      <ErrorBox error={list.error} />
      {approved !== undefined && <ApprovedNotice approved={approved} />}
      {list.data === undefined ? (
        list.loading && <p class="loading">Loading proposals…</p>
      ) : (
        <DataTable
          caption="Pending proposals"
          columns={[
            { label: 'Change', cell: whatOf },
            {
              label: 'Proposed by',
              cell: (p) => (p.proposedBy === props.me.id ? 'you' : <PrincipalName id={p.proposedBy} />),
            },
            { label: 'Proposed', cell: (p) => when(p.proposedAt) },
            { label: 'Expires', cell: (p) => when(p.expiresAt) },
            {
              label: 'Decision',
              cell: (p) =>
                p.proposedBy === props.me.id ? (
                  'pending: waiting for another admin'
                ) : (
                  <Decide proposal={p} onDecided={after} />
                ),
            },
          ]}
          rows={list.data.items}
          rowKey={(p) => p.id}
          empty="No proposals are waiting."
        />
      )}
    </section>
  );
}

function Decide(props: { proposal: PrincipalProposal; onDecided: (answer?: Approved) => void }) {
  const what = whatOf(props.proposal);
  const approve = useSubmit(async () => {
    props.onDecided(await post<Approved>(`/v1/principal-proposals/${props.proposal.id}/approve`, {}));
  });
  const refuse = useSubmit(async () => {
    await post(`/v1/principal-proposals/${props.proposal.id}/refuse`, {});
    props.onDecided();
  });
  return (
    <>
      <button
        type="button"
        aria-label={`Approve: ${what}`}
        disabled={approve.busy || refuse.busy}
        onClick={() => void approve.run()}
      >
        Approve
      </button>{' '}
      <button
        type="button"
        class="link"
        aria-label={`Refuse: ${what}`}
        disabled={approve.busy || refuse.busy}
        onClick={() => void refuse.run()}
      >
        Refuse
      </button>
      <ErrorBox error={approve.error ?? refuse.error} />
    </>
  );
}

function ApprovedNotice(props: { approved: Approved }) {
  const { proposal, principal, token, activation } = props.approved;
  return (
    <div class="notice" role="status">
      Approved: {whatOf(proposal)}.
      {token !== undefined && principal !== undefined && (
        <>
          {' '}
          Created {principal.role} <code>{principal.id}</code>. Its token, shown this once:
          <pre class="token">{token}</pre>
        </>
      )}
      {activation !== undefined && <ActivationLink activation={activation} />}
    </div>
  );
}

/** The notice a proposer sees once its change waits for another admin. */
export function ProposedNotice(props: { proposal: PrincipalProposal }) {
  return (
    <div class="notice" role="status">
      Proposed: {whatOf(props.proposal)}. Another admin must approve it before{' '}
      {when(props.proposal.expiresAt)}.
    </div>
  );
}
