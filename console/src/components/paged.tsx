import { useState } from 'preact/hooks';
import type { Page } from '../api.ts';
import { type Loaded, useLoad } from './use-load.ts';

/**
 * A list paged by the API's opaque cursors. Cursors only go forward, so the ones already
 * followed are kept to go back.
 */
export function usePaged<T>(
  load: (cursor: string | undefined) => Promise<Page<T>>,
  deps: unknown[],
): Loaded<Page<T>> & { pager: PagerState } {
  const key = JSON.stringify(deps);
  const [followed, setFollowed] = useState<{ key: string; trail: (string | undefined)[] }>({
    key,
    trail: [undefined],
  });
  // New filters start again at the first page.
  const trail = followed.key === key ? followed.trail : [undefined];
  const setTrail = (next: (string | undefined)[]) => setFollowed({ key, trail: next });
  const cursor = trail.at(-1);
  const loaded = useLoad(() => load(cursor), [key, cursor]);
  const next = loaded.data?.cursor;
  return {
    ...loaded,
    pager: {
      page: trail.length,
      busy: loaded.loading,
      previous: trail.length > 1 ? () => setTrail(trail.slice(0, -1)) : undefined,
      next: next !== undefined ? () => setTrail([...trail, next]) : undefined,
    },
  };
}

export interface PagerState {
  page: number;
  busy: boolean;
  previous: (() => void) | undefined;
  next: (() => void) | undefined;
}

/** Previous and next, each only where there is such a page: none on the first, none past the last. */
export function Pager(props: { pager: PagerState; label: string }) {
  const { page, busy, previous, next } = props.pager;
  if (previous === undefined && next === undefined) return null;
  return (
    <nav class="pager" aria-label={`${props.label} pages`}>
      {previous !== undefined && (
        <button type="button" onClick={previous} disabled={busy}>
          ← Previous
        </button>
      )}
      <span>Page {page}</span>
      {next !== undefined && (
        <button type="button" onClick={next} disabled={busy}>
          Next →
        </button>
      )}
    </nav>
  );
}
