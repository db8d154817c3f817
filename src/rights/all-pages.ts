import { ExportTooLargeError } from '../errors.ts';
import type { Page } from '../util/cursor.ts';

/** Rows read per page when a list is read whole (the API's largest page). */
export const pageSize = 500;

/** Reads one page of a list: a service's paged read. */
export type PageReader<T> = (page: { cursor?: string; limit: number }) => Promise<Page<T>>;

/**
 * Every item of a paged list, page after page in its own order: for an export, which must hold
 * the whole list. More than `max` items is an ExportTooLargeError naming `list`, raised before
 * the rest is read.
 */
export async function allPages<T>(list: string, max: number, read: PageReader<T>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await read({ cursor, limit: Math.min(pageSize, max + 1 - items.length) });
    items.push(...page.items);
    if (items.length > max) throw new ExportTooLargeError(list, max);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return items;
}
