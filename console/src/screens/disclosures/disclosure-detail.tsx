import { useState } from 'preact/hooks';
import { get, post } from '../../api.ts';
import { AttributeFields } from '../../components/attribute-fields.tsx';
import { standing } from '../../components/disclosure-table.tsx';
import { ErrorBox } from '../../components/error-box.tsx';
import { PrincipalName } from '../../components/principal-name.tsx';
import { caseReaders, RecordId } from '../../components/record-id.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useSubmit } from '../../components/use-submit.ts';
import { when, words } from '../../format.ts';
import { Link } from '../../router.tsx';
import type { ScreenProps } from '../../screen-props.ts';
import type { DisclosureDetail as Detail, Role } from '../../types.ts';

/** A disclosure: its status and request; the identity to the authority once granted; oversight decides here. */
export function DisclosureDetail(props: ScreenProps) {
  const id = props.params.id!;
  const loaded = useLoad(() => get<Detail>(`/v1/disclosures/${encodeURIComponent(id)}`), [id]);
  const [updated, setUpdated] = useState<Detail>();
  const d = updated?.id === id ? updated : loaded.data;
  const oversight = props.me.role === 'oversight';
  const decidable =
    d !== undefined && (d.status === 'pending' || (d.emergency && d.reviewedAt === undefined));
  return (
    <section>
      <p class="crumbs">
        <Link href={oversight ? '/oversight' : '/disclosures'}>← Disclosures</Link>
      </p>
      <h1>Disclosure {id}</h1>
      {props.me.role === 'authority' && (
        <p class="muted">
          Reading a granted disclosure here is recorded in the transparency log, as every read is.
        </p>
      )}
      <ErrorBox error={loaded.error} />
      {d === undefined ? (
        loaded.loading && <p class="loading">Loading the disclosure…</p>
      ) : (
        <>
          <Facts d={d} role={props.me.role} />
          {d.identity !== undefined && <Identity identity={d.identity} />}
          {oversight && decidable && <Verdict d={d} onDecided={setUpdated} />}
        </>
      )}
    </section>
  );
}

/** The case a request names: a link for whom it opens to; for others its id, saying who keeps it. */
function CaseRef(props: { id: string; role: Role }) {
  if (caseReaders.includes(props.role)) {
    return (
      <Link href={`/cases/${props.id}`}>
        <RecordId id={props.id} />
      </Link>
    );
  }
  return (
    <>
      <RecordId id={props.id} /> <span class="muted">(a moderators’ case: its details are theirs)</span>
    </>
  );
}

function Facts(props: { d: Detail; role: Role }) {
  const { d } = props;
  const target =
    d.target === undefined ? undefined : (d.target.subject ?? `${d.target.handle} in ${d.target.world}`);
  return (
    <dl class="facts">
      <dt>Status</dt>
      <dd>
        <span class={`status status-${d.overdue ? 'overdue' : d.status}`}>{standing(d)}</span>
        {d.decidedAt !== undefined && (
          <>
            {' '}
            — decided {when(d.decidedAt)} by{' '}
            {d.decidedBy === undefined ? '—' : <PrincipalName id={d.decidedBy} />}
          </>
        )}
      </dd>
      {target !== undefined && (
        <>
          <dt>About</dt>
          <dd>{target}</dd>
        </>
      )}
      <dt>Offence</dt>
      <dd>{words(d.offence)}</dd>
      <dt>Case</dt>
      <dd>
        {d.case === undefined ? (
          d.withCase ? (
            'named'
          ) : (
            'none: the policy lets this offence go without one'
          )
        ) : (
          <CaseRef id={d.case} role={props.role} />
        )}
      </dd>
      <dt>Scope</dt>
      <dd>{d.scope.join(', ')}</dd>
      <dt>Legal basis</dt>
      <dd>
        {words(d.legalBasis.kind)}
        {d.legalBasis.reference !== undefined && ` ${d.legalBasis.reference}`}
        {d.legalBasis.issuedBy !== undefined && `, issued by ${d.legalBasis.issuedBy}`}, valid until{' '}
        {when(d.legalBasis.expiresAt)}
      </dd>
      {d.purpose !== undefined && (
        <>
          <dt>Purpose</dt>
          <dd>{d.purpose}</dd>
        </>
      )}
      <dt>Asked</dt>
      <dd>
        {when(d.createdAt)} by <PrincipalName id={d.authority} /> ({d.jurisdiction})
      </dd>
      {d.reviewDueAt !== undefined && (
        <>
          <dt>Review</dt>
          <dd>
            {d.reviewedAt === undefined ? (
              `due ${when(d.reviewDueAt)}`
            ) : (
              <>
                done {when(d.reviewedAt)} by{' '}
                {d.reviewedBy === undefined ? '—' : <PrincipalName id={d.reviewedBy} />}
              </>
            )}
          </dd>
        </>
      )}
      {d.oversightReason !== undefined && (
        <>
          <dt>Oversight's reason</dt>
          <dd>{d.oversightReason}</dd>
        </>
      )}
      <dt>Subject told from</dt>
      <dd>{when(d.gagUntil)}</dd>
      <dt>Reads</dt>
      <dd>{d.reads}</dd>
    </dl>
  );
}

const groupNames = {
  natural: 'Natural identity',
  social: 'Social characteristics',
  signs: 'Identifiable signs',
} as const;

function Identity(props: { identity: NonNullable<Detail['identity']> }) {
  const { identity } = props;
  if (!identity.found)
    return <p class="notice">No one is behind this target: there is nothing to disclose.</p>;
  return (
    <div class="panel">
      <h2>Identity disclosed</h2>
      <dl class="facts">
        <dt>Digital ID</dt>
        <dd>
          <code>{identity.subject}</code>
        </dd>
        <dt>Kind</dt>
        <dd>{identity.kind}</dd>
      </dl>
      {(['natural', 'social', 'signs'] as const).map((group) =>
        identity[group] === undefined ? null : (
          <section key={group} aria-label={groupNames[group]}>
            <h3>{groupNames[group]}</h3>
            <AttributeFields value={identity[group] as Record<string, unknown>} />
          </section>
        ),
      )}
    </div>
  );
}

function Verdict(props: { d: Detail; onDecided: (d: Detail) => void }) {
  const [reason, setReason] = useState('');
  const review = props.d.status !== 'pending';
  const {
    busy,
    error,
    run: decide,
  } = useSubmit(async (verdict: 'approve' | 'refuse') =>
    props.onDecided(await post<Detail>(`/v1/disclosures/${props.d.id}/${verdict}`, { reason })),
  );
  return (
    <form class="panel" onSubmit={(event) => event.preventDefault()}>
      <h2>{review ? 'Review this emergency disclosure' : 'Decide this request'}</h2>
      <label>
        Reason (recorded, and shown to the authority)
        <textarea
          name="reason"
          required
          maxLength={2000}
          rows={3}
          value={reason}
          onInput={(event) => setReason(event.currentTarget.value)}
        />
      </label>
      <ErrorBox error={error} />
      <div class="actions">
        <button
          type="button"
          class="primary"
          disabled={busy || reason.trim() === ''}
          onClick={() => decide('approve')}
        >
          {review ? 'Confirm it' : 'Approve'}
        </button>
        <button
          type="button"
          class="danger"
          disabled={busy || reason.trim() === ''}
          onClick={() => decide('refuse')}
        >
          {review ? 'Revoke it' : 'Refuse'}
        </button>
      </div>
    </form>
  );
}
