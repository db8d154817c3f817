import { useState } from 'preact/hooks';
import { get } from '../../api.ts';
import { ErrorBox } from '../../components/error-box.tsx';
import { PrincipalName } from '../../components/principal-name.tsx';
import { RecordId } from '../../components/record-id.tsx';
import { useLoad } from '../../components/use-load.ts';
import { when, words } from '../../format.ts';
import { Link } from '../../router.tsx';
import type { ScreenProps } from '../../screen-props.ts';
import type { CaseDetail } from '../../types.ts';
import { AppealDecisionForm } from './appeal-decision-form.tsx';
import { DecisionForm } from './decision-form.tsx';

/** A case with its reports and evidence; a moderator decides it, or its appeal, here. */
export function CaseDetailScreen(props: ScreenProps) {
  const id = props.params.id!;
  const loaded = useLoad(() => get<CaseDetail>(`/v1/cases/${encodeURIComponent(id)}`), [id]);
  // A decision answers with the updated case: show it without asking again.
  const [updated, setUpdated] = useState<CaseDetail>();
  const found = updated?.id === id ? updated : loaded.data;
  const moderator = props.me.role === 'moderator';
  return (
    <section>
      <p class="crumbs">
        <Link href="/cases">← Cases</Link>
      </p>
      <h1>Case {id}</h1>
      <ErrorBox error={loaded.error} />
      {found === undefined ? (
        loaded.loading && <p class="loading">Loading the case…</p>
      ) : (
        <>
          <CaseFacts found={found} />
          <Reports found={found} />
          {moderator && found.status === 'open' && <DecisionForm found={found} onDecided={setUpdated} />}
          {moderator && found.status === 'appealed' && (
            <AppealDecisionForm found={found} onDecided={setUpdated} />
          )}
        </>
      )}
    </section>
  );
}

function CaseFacts(props: { found: CaseDetail }) {
  const c = props.found;
  return (
    <dl class="facts">
      <dt>Status</dt>
      <dd>
        <span class={`status status-${c.status}`}>{c.status}</span>
      </dd>
      <dt>Avatar</dt>
      <dd>
        {c.handle} in {c.world}
      </dd>
      <dt>Subject</dt>
      <dd>
        <RecordId id={c.subject} /> · <Link href={`/sanctions?subject=${c.subject}`}>sanctions</Link>
      </dd>
      <dt>Category</dt>
      <dd>{words(c.category)}</dd>
      <dt>Opened</dt>
      <dd>{when(c.openedAt)}</dd>
      {c.decision !== undefined && (
        <>
          <dt>Decision</dt>
          <dd>
            <strong>{c.decision.outcome}</strong>
            {c.decision.severity !== undefined && ` at severity ${c.decision.severity}`},{' '}
            {when(c.decision.decidedAt)} by <PrincipalName id={c.decision.decidedBy} />
            {c.rationale !== undefined && <blockquote>{c.rationale}</blockquote>}
          </dd>
        </>
      )}
      {c.appeal !== undefined && (
        <>
          <dt>Appeal</dt>
          <dd>
            <strong>{c.appeal.status}</strong>, filed {when(c.appeal.appealedAt)}
            {c.appealReason !== undefined && <blockquote>{c.appealReason}</blockquote>}
            {c.appealRationale !== undefined && (
              <p>
                Decided {when(c.appeal.decidedAt)}
                {c.appeal.decidedBy !== undefined && (
                  <>
                    {' '}
                    by <PrincipalName id={c.appeal.decidedBy} />
                  </>
                )}
                : {c.appealRationale}
              </p>
            )}
          </dd>
        </>
      )}
    </dl>
  );
}

function Reports(props: { found: CaseDetail }) {
  const { reports } = props.found;
  return (
    <>
      <h2>Reports ({reports.length})</h2>
      <ol class="cards">
        {reports.map((r) => (
          <li key={r.id} class="card">
            <p>
              <strong>{r.reporter}</strong> saw it {when(r.occurredAt)}
            </p>
            <p>{r.description}</p>
            {r.evidence.length > 0 && (
              <ul class="evidence">
                {r.evidence.map((e) => (
                  <li key={e.sha256}>
                    <a href={e.uri} rel="noopener noreferrer" target="_blank">
                      {e.uri}
                    </a>{' '}
                    <span class="hash" title="SHA-256 of the evidence">
                      sha256 {e.sha256.slice(0, 16)}…
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
    </>
  );
}
