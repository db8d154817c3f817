import { useState } from 'preact/hooks';
import { get, query } from '../../api.ts';
import { BarChart } from '../../components/chart.tsx';
import { DataTable } from '../../components/data-table.tsx';
import { ErrorBox } from '../../components/error-box.tsx';
import { useLoad } from '../../components/use-load.ts';
import { day, words } from '../../format.ts';
import { navigate } from '../../router.tsx';
import type { ScreenProps } from '../../screen-props.ts';
import type { TransparencyReport as Report } from '../../types.ts';

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

function Counts(props: { title: string; counts: Record<string, number>; unit?: string }) {
  const rows = Object.entries(props.counts);
  return (
    <div>
      <h3>{props.title}</h3>
      <DataTable
        caption={props.title}
        columns={[
          { label: 'What', cell: ([name]) => words(name) },
          { label: props.unit ?? 'Requests', cell: ([, n]) => n, numeric: true },
        ]}
        rows={rows}
        rowKey={([name]) => name}
        empty="None."
      />
    </div>
  );
}

/**
 * The public counts of a period's acts of power (disclosure requests, staff reads, break-glass
 * acts, principal changes), with the log's size and root at its end.
 */
export function TransparencyReport(props: ScreenProps) {
  const from = props.query.get('from') ?? '';
  const to = props.query.get('to') ?? '';
  const report = useLoad(() => get<Report>(`/v1/transparency/report${query({ from, to })}`), [from, to]);
  const r = report.data;
  return (
    <section>
      <h1>Transparency report</h1>
      <Period key={`${from}|${to}`} from={from} to={to} />
      <ErrorBox error={report.error} />
      {r === undefined ? (
        report.loading && <p class="loading">Loading the report…</p>
      ) : (
        <>
          <p>
            From {day(r.from)} to {day(r.to)}: <strong>{count(r.requests, 'request')}</strong>, attributes
            read {count(r.reads, 'time')}.
            {r.log !== null && ` The log then held ${r.log.size} entries (root ${r.log.root}).`}
          </p>
          {/* The counts below are h3s: a heading between them and the h1 keeps the outline whole. */}
          <h2>Disclosure requests</h2>
          <BarChart
            title="Outcomes"
            unit="requests"
            labels={Object.keys(r.byOutcome).map(words)}
            values={Object.values(r.byOutcome)}
          />
          <div class="grid">
            <Counts title="By legal basis" counts={r.byLegalBasis} />
            <Counts title="By offence" counts={r.byOffence} />
            <Counts title="By jurisdiction" counts={r.byJurisdiction} />
            <Counts title="Refused by policy, why" counts={r.refusalReasons} />
            <Counts
              title="Emergency disclosures"
              counts={{
                requests: r.emergency.requests,
                reviewed: r.emergency.reviewed,
                'reviewed on time': r.emergency.reviewedOnTime,
                'reviewed late': r.emergency.reviewedLate,
                overdue: r.emergency.overdue,
              }}
            />
            <Counts
              title="With or without a case"
              counts={{ 'with a case': r.byCase.withCase, 'without a case': r.byCase.withoutCase }}
            />
          </div>
          <h2>Every other power</h2>
          <p>
            Staff read {count(r.staffReads.total, 'profile')}; {count(r.breakGlass.total, 'act')} went around
            the two-person rule on the operator’s machine (break-glass).
          </p>
          <div class="grid">
            <Counts title="Staff reads by purpose" counts={r.staffReads.byPurpose} unit="Reads" />
            <Counts title="Break-glass acts" counts={r.breakGlass.byKind} unit="Acts" />
            <Counts title="Principal changes" counts={r.principalChanges} unit="Changes" />
            <Counts
              title="Preservation orders"
              counts={{ ordered: r.preservations.ordered, extended: r.preservations.extended }}
              unit="Orders"
            />
            <Counts
              title="Preservations by legal basis"
              counts={r.preservations.byLegalBasis}
              unit="Orders and extensions"
            />
          </div>
        </>
      )}
    </section>
  );
}

function Period(props: { from: string; to: string }) {
  const [from, setFrom] = useState(props.from);
  const [to, setTo] = useState(props.to);
  return (
    <form
      class="filters"
      onSubmit={(event) => {
        event.preventDefault();
        navigate(`/transparency${query({ from, to })}`);
      }}
    >
      <label>
        From
        <input type="date" name="from" value={from} onInput={(event) => setFrom(event.currentTarget.value)} />
      </label>
      <label>
        To
        <input type="date" name="to" value={to} onInput={(event) => setTo(event.currentTarget.value)} />
      </label>
      <button type="submit">Show</button>
    </form>
  );
}
