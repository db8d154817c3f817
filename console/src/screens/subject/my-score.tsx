import { get } from '../../api.ts';
import { AppealForm } from '../../components/appeal-form.tsx';
import { StepChart } from '../../components/chart.tsx';
import { DataTable } from '../../components/data-table.tsx';
import { ErrorBox } from '../../components/error-box.tsx';
import { MoreButton, useFolded } from '../../components/more.tsx';
import { useLoad } from '../../components/use-load.ts';
import { day, plural, points, when, words } from '../../format.ts';
import type { ScreenProps } from '../../screen-props.ts';
import type { Contribution, CreditReport, MyRecord } from '../../types.ts';

function causeOf(c: Contribution): string {
  const what =
    c.cause.kind === 'sanction' ? `${c.cause.sanction} (sanction)` : words(c.cause.category ?? c.cause.kind);
  const severity = c.cause.severity === undefined ? '' : `, severity ${c.cause.severity}`;
  const where = c.caseId === undefined ? '' : ` · case ${c.caseId}`;
  return `${what}${severity}${where}`;
}

/** A history cause is `enrolled`, `decay`, or a kind and an id (`case:case_…`, `sanction:snc_…`). */
function historyCause(cause: string): string {
  const [kind, id] = cause.split(/:(.*)/);
  return id === undefined ? words(cause) : `${words(kind!)} ${id}`;
}

/**
 * Said above a history of one row (or none): the score as it stands and why, agreeing with the
 * row below it; the chart needs two points.
 */
function unmoved(credit: CreditReport, only: CreditReport['history'][number] | undefined): string {
  const atBase =
    credit.score === credit.explanation.base && credit.explanation.contributions.length === 0
      ? ` It is the policy’s base score of ${credit.explanation.base}, with no contribution yet.`
      : '';
  if (only === undefined) return `Your score is ${credit.score}; no change of it is recorded yet.${atBase}`;
  return `One entry so far: your score has been ${only.score} since ${when(only.at)} (${historyCause(
    only.cause,
  ).toLowerCase()}).${atBase} A chart appears once it moves.`;
}

/** The subject's score, why it is what it is, what would raise it, and how it moved. */
export function MyScore(_props: ScreenProps) {
  const record = useLoad(() => get<MyRecord>('/v1/me'), []);
  const credit = record.data?.credit;
  return (
    <section>
      <h1>My score</h1>
      <ErrorBox error={record.error} />
      {credit === undefined ? (
        record.loading && <p class="loading">Loading your score…</p>
      ) : (
        <Score credit={credit} onAppealed={record.reload} />
      )}
    </section>
  );
}

function Score(props: { credit: CreditReport; onAppealed: () => void }) {
  const { credit } = props;
  const history = [...credit.history].sort((a, b) => a.at.localeCompare(b.at));
  const contributions = useFolded(credit.explanation.contributions);
  const changes = useFolded(credit.history);
  return (
    <>
      <div class="tiles">
        <div class="tile">
          <span class="tile-label">Score</span>
          <span class="tile-value" data-testid="score">
            {credit.score}
          </span>
          <span class="tile-note">from a base of {credit.explanation.base}</span>
        </div>
        <div class="tile">
          <span class="tile-label">Grade</span>
          <span class="tile-value">{credit.grade}</span>
        </div>
        <div class="tile">
          <span class="tile-label">Rank</span>
          <span class="tile-value">
            {credit.rank} <small>of {credit.of}</small>
          </span>
          <span class="tile-note">
            higher than {Math.round(credit.percentile)}% of {plural(credit.kind)}
          </span>
        </div>
      </div>
      <p class="muted">As of {day(credit.asOf)}.</p>

      <h2>Why: every contribution</h2>
      <DataTable
        caption="Contributions to the score"
        columns={[
          { label: 'Cause', cell: causeOf },
          { label: 'Dimension', cell: (c) => c.dimension },
          { label: 'Points', cell: (c) => points(c.points), numeric: true },
          { label: 'Current points', cell: (c) => points(c.currentPoints), numeric: true },
          { label: 'Expires on', cell: (c) => day(c.expiresOn) },
          {
            label: 'Appeal until',
            cell: (c) => (c.appealDeadline === undefined ? '—' : when(c.appealDeadline)),
          },
        ]}
        rows={contributions.shown}
        rowKey={(c) => c.id}
        empty="Nothing has changed your score: it is the base score."
      />
      <MoreButton folded={contributions} what="contributions" />
      {credit.explanation.contributions
        .filter((c) => c.appealDeadline !== undefined)
        .map((c) => (
          <section key={c.id} class="card" aria-label={`Contribution ${c.id}`}>
            <p>
              {points(c.points)} for {causeOf(c)}, counted on a world’s word without a moderator’s decision:
              you may appeal it until {when(c.appealDeadline!)}.
            </p>
            <AppealForm
              target={{ kind: 'contribution', id: c.id }}
              what="contribution"
              onAppealed={props.onAppealed}
            />
          </section>
        ))}

      <h2>By dimension</h2>
      <DataTable
        caption="Dimensions"
        columns={[
          { label: 'Dimension', cell: (d) => d.name },
          { label: 'What it measures', cell: (d) => d.description },
          { label: 'Points', cell: (d) => points(d.points), numeric: true },
        ]}
        rows={credit.dimensions}
        rowKey={(d) => d.name}
        empty="No dimensions."
      />

      <h2>What would raise it</h2>
      {credit.explanation.toRaise.decaying.length > 0 && (
        <ul>
          {credit.explanation.toRaise.decaying.map((d) => (
            <li key={d.id}>
              {points(d.currentPoints)} in {d.dimension} stops counting on {day(d.expiresOn)}
            </li>
          ))}
        </ul>
      )}
      <ul>
        {credit.explanation.toRaise.positiveConduct.map((p) => (
          <li key={p.category}>
            {words(p.category)}: {p.description} ({p.pointsBySeverity.map(points).join(' / ')} by severity)
          </li>
        ))}
      </ul>

      <h2>History</h2>
      {history.length < 2 ? (
        <p class="empty" data-testid="history-note">
          {unmoved(credit, history[0])}
        </p>
      ) : (
        <StepChart
          title="Score over time"
          unit="score"
          times={history.map((h) => Date.parse(h.at) / 1000)}
          values={history.map((h) => h.score)}
        />
      )}
      <DataTable
        caption="Score history"
        columns={[
          { label: 'When', cell: (h) => when(h.at) },
          { label: 'Score', cell: (h) => h.score, numeric: true },
          { label: 'Grade', cell: (h) => h.grade },
          { label: 'Cause', cell: (h) => historyCause(h.cause) },
        ]}
        rows={changes.shown}
        rowKey={(h) => `${h.at}-${h.score}-${h.cause}`}
        empty="No history yet."
      />
      <MoreButton folded={changes} what="changes" />
    </>
  );
}
