import { useEffect, useMemo, useState } from 'preact/hooks';
import { post } from '../../api.ts';
import { type Column, DataTable } from '../../components/data-table.tsx';
import { ErrorBox } from '../../components/error-box.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { words } from '../../format.ts';
import { reasonWords } from './check-one.tsx';
import { type BatchResult, type BatchRow, maxRows, readBatch, resultsCsv } from './csv.ts';

/** POST /v1/eligibility takes this many checks at most: larger files go in several requests. */
const maxBatch = 1000;
/** The table shows this many rows; the download has them all. */
const shown = 500;

interface ItemAnswer {
  index: number;
  allowed?: boolean;
  reason?: string;
  sanctionIds?: string[];
  error?: string;
  message?: string;
}

const columns: Column<BatchResult>[] = [
  { label: 'Row', cell: (r) => r.row, numeric: true },
  { label: 'Digital ID or pseudonym', cell: (r) => <code class="id">{r.who || '—'}</code> },
  { label: 'Action', cell: (r) => r.action || '—' },
  {
    label: 'Result',
    cell: (r) =>
      r.error !== undefined ? (
        <span class="status status-failed">error</span>
      ) : (
        <span class={`status status-${r.allowed ? 'allowed' : 'banned'}`}>
          {r.allowed ? 'allowed' : `denied: ${reasonWords(r.reason ?? '')}`}
        </span>
      ),
  },
  { label: 'Details', cell: (r) => r.error ?? (r.sanctionIds?.length ? r.sanctionIds.join(', ') : '—') },
];

/** Sends the rows that can be sent, in chunks the API takes, and answers every row of the file. */
async function checkAll(rows: BatchRow[]): Promise<BatchResult[]> {
  const results = rows.map(({ row, who, action, ...rest }): BatchResult => {
    return 'error' in rest ? { row, who, action, error: rest.error } : { row, who, action };
  });
  const toSend = rows.flatMap((r, i) => ('check' in r ? [{ i, check: r.check }] : []));
  for (let start = 0; start < toSend.length; start += maxBatch) {
    const chunk = toSend.slice(start, start + maxBatch);
    const answer = await post<{ results: ItemAnswer[] }>('/v1/eligibility', {
      checks: chunk.map((c) => c.check),
    });
    for (const item of answer.results) {
      const target = results[chunk[item.index]!.i]!;
      if (item.error !== undefined) target.error = `${words(item.error)}: ${item.message ?? ''}`;
      else
        Object.assign(target, { allowed: item.allowed, reason: item.reason, sanctionIds: item.sanctionIds });
    }
  }
  return results;
}

/** The file picked, read into rows; or why it cannot be checked (empty, too long). */
function useBatchFile(actions: readonly string[], onPick: () => void) {
  const [file, setFile] = useState<{ name: string; rows: BatchRow[] }>();
  const [readError, setReadError] = useState<string>();
  const pick = async (input: HTMLInputElement) => {
    onPick();
    setReadError(undefined);
    setFile(undefined);
    const picked = input.files?.[0];
    if (picked === undefined) return;
    const rows = readBatch(await picked.text(), actions);
    if (rows.length === 0) setReadError(`${picked.name} has no rows to check.`);
    else if (rows.length > maxRows)
      setReadError(`${picked.name} has ${rows.length} rows; at most ${maxRows} are checked here.`);
    else setFile({ name: picked.name, rows });
  };
  return { file, readError, pick };
}

/** A file of checks: picked, read in the browser, sent in chunks; the results shown and saved. */
export function BatchCheck(props: { actions: readonly string[] }) {
  const [results, setResults] = useState<BatchResult[]>();
  const { file, readError, pick } = useBatchFile(props.actions, () => setResults(undefined));
  const send = useSubmit(async () => {
    if (file !== undefined) setResults(await checkAll(file.rows));
  });
  const download = useMemo(
    () => results && URL.createObjectURL(new Blob([resultsCsv(results)], { type: 'text/csv;charset=utf-8' })),
    [results],
  );
  useEffect(() => () => download && URL.revokeObjectURL(download), [download]);

  const bad = file?.rows.filter((r): r is BatchRow & { error: string } => 'error' in r) ?? [];
  const good = (file?.rows.length ?? 0) - bad.length;
  return (
    <section aria-labelledby="batch-title">
      <h2 id="batch-title">Check a file</h2>
      <p id="batch-format" class="muted">
        A CSV file with one person and one action per row: a digital ID (MD…) or your pseudonym for them
        (SV…), then the action. A first row naming the columns (<code>subject,action</code>) is optional.
      </p>
      <form class="filters" onSubmit={send.onSubmit}>
        <label>
          CSV file
          <input
            type="file"
            name="file"
            accept=".csv,text/csv,text/plain"
            aria-describedby="batch-format"
            onChange={(event) => void pick(event.currentTarget)}
          />
        </label>
        <button type="submit" disabled={send.busy || good === 0}>
          {send.busy ? 'Checking…' : `Check ${good} row${good === 1 ? '' : 's'}`}
        </button>
      </form>
      {readError !== undefined && (
        <p class="error" role="alert">
          {readError}
        </p>
      )}
      {file !== undefined && (
        <p role="status">
          {file.name}: {file.rows.length} rows, {good} to check
          {bad.length > 0 && `, ${bad.length} that cannot be sent`}.
        </p>
      )}
      <RowErrors bad={bad} />
      <ErrorBox error={send.error} />
      {results !== undefined && <Results results={results} download={download} name={file?.name} />}
    </section>
  );
}

/** The rows the file got wrong, each by its number: they are not sent, and stay in the results. */
function RowErrors(props: { bad: (BatchRow & { error: string })[] }) {
  const { bad } = props;
  if (bad.length === 0) return null;
  return (
    <div class="error" role="alert">
      <strong>Rows with errors (not sent):</strong>
      <ul>
        {bad.slice(0, 50).map((r) => (
          <li key={r.row}>
            Row {r.row}: {r.error}
          </li>
        ))}
      </ul>
      {bad.length > 50 && <p>…and {bad.length - 50} more, all in the results file.</p>}
    </div>
  );
}

function Results(props: { results: BatchResult[]; download: string | undefined; name: string | undefined }) {
  const { results } = props;
  return (
    <>
      <p>
        <a
          href={props.download}
          download={`eligibility-${props.name?.replace(/\.[^.]*$/, '') ?? 'results'}.csv`}
        >
          Download the results (CSV)
        </a>
      </p>
      <DataTable
        caption="Results of the file's checks"
        columns={columns}
        rows={results.slice(0, shown)}
        rowKey={(r) => String(r.row)}
        empty="No rows."
      />
      {results.length > shown && (
        <p class="muted">
          The first {shown} of {results.length} rows; the download has them all.
        </p>
      )}
    </>
  );
}
