import { get, query } from '../../api.ts';
import { BarChart, Histogram } from '../../components/chart.tsx';
import { DataTable } from '../../components/data-table.tsx';
import { ErrorBox } from '../../components/error-box.tsx';
import { useLoad } from '../../components/use-load.ts';
import { plural } from '../../format.ts';
import { navigate } from '../../router.tsx';
import type { ScreenProps } from '../../screen-props.ts';
import type { Distribution } from '../../types.ts';

const kinds = ['person', 'organisation', 'agency'] as const;

/** The operator's view of scores: how many subjects in each grade and each score band. */
export function Dashboard(props: ScreenProps) {
  const kind = props.query.get('kind') ?? 'person';
  const loaded = useLoad(() => get<Distribution>(`/v1/credit/distribution${query({ kind })}`), [kind]);
  const d = loaded.data;
  return (
    <section>
      <h1>Dashboard</h1>
      <label class="inline">
        Subjects who are
        <select
          value={kind}
          onChange={(event) => navigate(`/dashboard${query({ kind: event.currentTarget.value })}`)}
        >
          {kinds.map((k) => (
            <option key={k} value={k}>
              {plural(k)}
            </option>
          ))}
        </select>
      </label>
      <ErrorBox error={loaded.error} />
      {d === undefined ? (
        loaded.loading && <p class="loading">Loading the distribution…</p>
      ) : (
        <>
          <div class="tiles">
            <div class="tile">
              <span class="tile-label">Subjects</span>
              <span class="tile-value">{d.total}</span>
            </div>
          </div>
          <div class="charts">
            <BarChart
              title="Grade distribution"
              unit="subjects"
              labels={d.grades.map((g) => g.grade)}
              values={d.grades.map((g) => g.count)}
            />
            <Histogram title="Score histogram" unit="subjects" axis="score" bands={d.bands} />
          </div>
          <DataTable
            caption="Grades"
            columns={[
              { label: 'Grade', cell: (g) => g.grade },
              { label: 'Scores', cell: (g) => `${g.min}–${g.max}` },
              { label: 'Subjects', cell: (g) => g.count, numeric: true },
            ]}
            rows={d.grades}
            rowKey={(g) => g.grade}
            empty="No grades."
          />
        </>
      )}
    </section>
  );
}
