/** How the console writes times, numbers and ids. */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function when(iso: string | undefined): string {
  if (iso === undefined) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

/** A calendar day (`2026-12-01`) in the reader's words. */
export function day(iso: string | undefined): string {
  if (iso === undefined) return '—';
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(date.getTime()) ? iso : dateOnly.format(date);
}

export function points(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return rounded > 0 ? `+${rounded}` : String(rounded);
}

export function words(code: string): string {
  return code.replaceAll('_', ' ');
}

const plurals: Record<string, string> = { agency: 'agencies', person: 'persons' };

/** A kind of subject (or any noun) in the plural: "agencies", not "agencys". */
export function plural(noun: string): string {
  return plurals[noun] ?? (/[^aeiou]y$/.test(noun) ? `${noun.slice(0, -1)}ies` : `${noun}s`);
}
