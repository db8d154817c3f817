/** Lengths of time in milliseconds, named once (policies count in days and hours). */
export const minuteMs = 60_000;
export const hourMs = 60 * minuteMs;
export const dayMs = 24 * hourMs;

/** The instant `ms` milliseconds after `from`, as ISO-8601 UTC text (the stores' time format). */
export function isoAfter(from: Date, ms: number): string {
  return new Date(from.getTime() + ms).toISOString();
}
