import { get } from '../../api.ts';
import { AppealForm } from '../../components/appeal-form.tsx';
import { DataTable } from '../../components/data-table.tsx';
import { ErrorBox } from '../../components/error-box.tsx';
import { SanctionList } from '../../components/sanction-list.tsx';
import { useLoad } from '../../components/use-load.ts';
import { day, when, words } from '../../format.ts';
import { Link } from '../../router.tsx';
import type { ScreenProps } from '../../screen-props.ts';
import type { Appeal, MyCase, MySanction, MyRecord as Record } from '../../types.ts';

/** The subject's own record: cases and their decisions, sanctions, strikes; the appeals it may file. */
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
          {me.locked !== null && (
            <p class="notice" role="status">
              You locked the use of your identity on {when(me.locked)}:{' '}
              <Link href="/me/data">unlock it under My data</Link>.
            </p>
          )}
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
          {me.sanctions
            .filter((s) => s.appealDeadline !== undefined)
            .map((s) => (
              <SanctionAppeal key={s.id} sanction={s} onAppealed={record.reload} />
            ))}
          {me.appeals.length > 0 && <AppealsSummary appeals={me.appeals} />}
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
          <p class="muted">
            Who looked at your data is under <Link href="/me/access">Access history</Link>; a copy of your
            data, the lock and erasure under <Link href="/me/data">My data</Link>.
          </p>
        </>
      )}
    </section>
  );
}

function AppealsSummary(props: { appeals: Appeal[] }) {
  const filed = props.appeals.length;
  const pending = props.appeals.filter((a) => a.status === 'pending').length;
  return (
    <p>
      You have filed {filed === 1 ? 'one appeal' : `${filed} appeals`}
      {pending === 0 ? ', all heard' : `, ${pending} still to be heard`}:{' '}
      <Link href="/me/appeals">see them and their outcome</Link>.
    </p>
  );
}

function CaseCard(props: { found: MyCase; onAppealed: () => void }) {
  const c = props.found;
  return (
    <li class="card" aria-label={`Case ${c.id}`}>
      <p>
        <strong>{words(c.category)}</strong> as {c.handle} in {c.world}{' '}
        <span class={`status status-${c.status}`}>{c.status}</span>
        {c.automated && <span class="muted"> · opened by the world’s automated report</span>}
      </p>
      <p class="muted">
        Case <code>{c.id}</code>, opened {when(c.openedAt)} on {c.reportCount}{' '}
        {c.reportCount === 1 ? 'report' : 'reports'}
      </p>
      <ol class="reports" aria-label="Reports">
        {c.reports.map((r) => (
          <li key={`${r.receivedAt}|${r.description}`}>
            <p>
              {words(r.category)}, {when(r.occurredAt)}
            </p>
            <blockquote>{r.description}</blockquote>
            {r.evidence.length > 0 && (
              <ul aria-label="Evidence">
                {r.evidence.map((e) => (
                  <li key={e.sha256}>
                    <a href={e.uri} rel="noreferrer noopener" target="_blank">
                      {e.uri}
                    </a>{' '}
                    <code class="muted">sha256 {e.sha256.slice(0, 12)}…</code>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
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
      {c.appealDeadline !== undefined && (
        <>
          <p>You may appeal this decision until {when(c.appealDeadline)}.</p>
          <AppealForm target={{ kind: 'case', id: c.id }} what="decision" onAppealed={props.onAppealed} />
        </>
      )}
    </li>
  );
}

function SanctionAppeal(props: { sanction: MySanction; onAppealed: () => void }) {
  const s = props.sanction;
  return (
    <section class="card" aria-label={`Sanction ${s.id}`}>
      <p>
        {words(s.kind)} <code>{s.id}</code>, imposed directly on {when(s.createdAt)}: you may appeal it until{' '}
        {when(s.appealDeadline!)}.
      </p>
      <AppealForm target={{ kind: 'sanction', id: s.id }} what="sanction" onAppealed={props.onAppealed} />
    </section>
  );
}
