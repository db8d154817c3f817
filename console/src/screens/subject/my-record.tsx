import { get, post } from '../../api.ts';
import { DataTable } from '../../components/data-table.tsx';
import { ErrorBox } from '../../components/error-box.tsx';
import { ReasonForm } from '../../components/reason-form.tsx';
import { SanctionList } from '../../components/sanction-list.tsx';
import { useLoad } from '../../components/use-load.ts';
import { day, when, words } from '../../format.ts';
import { Link } from '../../router.tsx';
import type { ScreenProps } from '../../screen-props.ts';
import type { CaseSummary, MyRecord as Record } from '../../types.ts';
import { MyDisclosures } from './my-disclosures.tsx';

/** The subject's own record: cases and their decisions, sanctions, strikes; appeals. */
export function MyRecord(_props: ScreenProps) {
  const record = useLoad(() => get<Record>('/v1/me'), []);
  const me = record.data;
  return (
    <section>
      <h1>My record</h1>
      <ErrorBox error={record.error} />
      {me === undefined ? (
        record.loading && <p class="loading">Loading your record…</p>
      ) : (
        <>
          <div class="tiles">
            <Link href="/me/score" class="tile">
              <span class="tile-label">Score</span>
              <span class="tile-value">{me.credit.score}</span>
              <span class="tile-note">grade {me.credit.grade} · see why</span>
            </Link>
            <div class="tile">
              <span class="tile-label">Active strikes</span>
              <span class="tile-value">{me.strikes.active}</span>
            </div>
            <div class="tile">
              <span class="tile-label">Active sanctions</span>
              <span class="tile-value">{me.sanctions.filter((s) => s.status === 'active').length}</span>
            </div>
          </div>
          <p class="muted">
            Digital ID <code>{me.subject}</code>
          </p>
          <h2>Cases about me</h2>
          {me.cases.length === 0 ? (
            <p class="empty">No case has been opened about you.</p>
          ) : (
            <ol class="cards">
              {me.cases.map((c) => (
                <CaseCard key={c.id} found={c} onAppealed={record.reload} />
              ))}
            </ol>
          )}
          <h2>My sanctions</h2>
          <SanctionList rows={me.sanctions} links={false} />
          <h2>My strikes</h2>
          <DataTable
            caption="Strikes"
            columns={[
              { label: 'Case', cell: (s) => s.caseId },
              { label: 'Strikes', cell: (s) => s.strikes, numeric: true },
              { label: 'Severity', cell: (s) => s.severity, numeric: true },
              { label: 'Issued', cell: (s) => day(s.issuedAt) },
              { label: 'Expires', cell: (s) => day(s.expiresAt) },
              { label: 'Status', cell: (s) => s.status },
            ]}
            rows={me.strikes.history}
            rowKey={(s) => s.id}
            empty="No strikes."
          />
          <MyDisclosures />
        </>
      )}
    </section>
  );
}

function CaseCard(props: { found: CaseSummary; onAppealed: () => void }) {
  const c = props.found;
  const appealable = c.status === 'decided' && c.decision?.outcome === 'upheld' && c.appeal === undefined;
  return (
    <li class="card" aria-label={`Case ${c.id}`}>
      <p>
        <strong>{words(c.category)}</strong> as {c.handle} in {c.world}{' '}
        <span class={`status status-${c.status}`}>{c.status}</span>
      </p>
      <p class="muted">
        Case <code>{c.id}</code>, opened {when(c.openedAt)} on {c.reportCount} report(s)
      </p>
      {c.decision !== undefined && (
        <p>
          Decision: <strong>{c.decision.outcome}</strong>
          {c.decision.severity !== undefined && ` at severity ${c.decision.severity}`} on{' '}
          {when(c.decision.decidedAt)}
          {c.rationale !== undefined && <blockquote>{c.rationale}</blockquote>}
        </p>
      )}
      {c.appeal !== undefined && (
        <p>
          Appeal: <strong>{c.appeal.status}</strong> (filed {when(c.appeal.appealedAt)})
          {c.appealRationale !== undefined && <blockquote>{c.appealRationale}</blockquote>}
        </p>
      )}
      {appealable && <AppealForm caseId={c.id} onAppealed={props.onAppealed} />}
    </li>
  );
}

function AppealForm(props: { caseId: string; onAppealed: () => void }) {
  return (
    <ReasonForm
      open={{ text: 'Appeal this decision' }}
      field={{
        label: 'Why the decision is wrong (you may appeal once)',
        name: 'appeal-reason',
        maxLength: 4000,
        lines: 3,
      }}
      submit={{ text: 'Send the appeal', busyText: 'Sending…', primary: true }}
      layout="panel"
      leaves
      send={async (reason) => {
        await post(`/v1/cases/${props.caseId}/appeal`, { reason });
        props.onAppealed();
      }}
    />
  );
}
