/**
 * The batch eligibility check's files: a CSV of one person (digital ID or the service's own
 * pseudonym) and one action per row, header optional, read in the browser; the results written
 * back as CSV. Pure, so that what a row becomes depends on the file alone.
 */

/** One check to send, or why its row cannot be sent. */
export type BatchRow =
  | {
      row: number;
      who: string;
      action: string;
      check: { subject?: string; pseudonym?: string; action: string };
    }
  | { row: number; who: string; action: string; error: string };

/** What a row came to: the API's answer, or an error (the file's or the API's). */
export interface BatchResult {
  row: number;
  who: string;
  action: string;
  allowed?: boolean;
  reason?: string;
  sanctionIds?: string[];
  error?: string;
}

/** More rows than this is a file for the API directly, not for a browser tab. */
export const maxRows = 10_000;

const digitalId = /^MD[0-9A-HJKMNP-TV-Z]{21}$/i;
const pseudonym = /^SV[0-9A-HJKMNP-TV-Z]{24}$/;
const whoHeaders = new Set(['subject', 'pseudonym', 'id', 'digital id', 'digital_id', 'who']);

/** RFC 4180 fields: commas or semicolons, quoted fields with doubled quotes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  const source = text.replace(/^\uFEFF/, '');
  const separator = detectSeparator(source);
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (quoted) {
      if (c === '"' && source[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === separator) {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && source[i + 1] === '\n') i++;
      records.push([...record, field]);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  return records;
}

// Spreadsheets in comma-decimal locales save with semicolons.
function detectSeparator(text: string): string {
  const firstLine = text.slice(0, text.search(/\r|\n|$/));
  return firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
}

/**
 * The checks a file asks for, row by row (rows numbered as a spreadsheet shows them). A first
 * row naming its columns (`subject`/`pseudonym`, `action`) is a header, and may put them in
 * either order; without one the person comes first. Blank rows are skipped.
 */
export function readBatch(text: string, actions: readonly string[] | undefined): BatchRow[] {
  const records = parseCsv(text);
  let who = 0;
  let action = 1;
  let start = 0;
  const header = records[0]?.map((cell) => cell.trim().toLowerCase());
  if (header?.includes('action')) {
    action = header.indexOf('action');
    who = header.findIndex((cell) => whoHeaders.has(cell));
    if (who < 0) who = action === 0 ? 1 : 0;
    start = 1;
  }
  const rows: BatchRow[] = [];
  for (let i = start; i < records.length; i++) {
    const cells = records[i]!;
    if (cells.every((cell) => cell.trim() === '')) continue;
    rows.push(readRow(i + 1, cells[who]?.trim() ?? '', cells[action]?.trim() ?? '', actions));
  }
  return rows;
}

function readRow(row: number, who: string, action: string, actions: readonly string[] | undefined): BatchRow {
  const base = { row, who, action };
  if (who === '') return { ...base, error: 'no digital ID or pseudonym' };
  if (action === '') return { ...base, error: 'no action' };
  if (actions !== undefined && !actions.includes(action)) {
    return { ...base, error: `“${action}” is not one of your actions (${actions.join(', ')})` };
  }
  if (digitalId.test(who)) return { ...base, check: { subject: who, action } };
  if (pseudonym.test(who)) return { ...base, check: { pseudonym: who, action } };
  return {
    ...base,
    error: `“${who}” is neither a digital ID (MD…, 23 characters) nor a pseudonym (SV…, 26)`,
  };
}

/** The results as CSV, one row per row of the file, in its order. */
export function resultsCsv(results: readonly BatchResult[]): string {
  const lines = [['row', 'subject or pseudonym', 'action', 'allowed', 'reason', 'sanction ids', 'error']];
  for (const r of results) {
    lines.push([
      String(r.row),
      r.who,
      r.action,
      r.allowed === undefined ? '' : String(r.allowed),
      r.reason ?? '',
      (r.sanctionIds ?? []).join(' '),
      r.error ?? '',
    ]);
  }
  return `${lines.map((cells) => cells.map(csvField).join(',')).join('\r\n')}\r\n`;
}

// Quoted when needed; a cell a spreadsheet would run as a formula is prefixed with a quote mark,
// since a file's cells come back as they were typed.
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
