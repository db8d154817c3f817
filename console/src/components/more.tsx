import { useState } from 'preact/hooks';

/**
 * A long list folded: the first `step` rows, and a button for the next `step` while any are
 * left (a score's history holds up to 200 changes: too long a page on a phone).
 */
export function useFolded<T>(rows: readonly T[], step = 10) {
  const [count, setCount] = useState(step);
  return {
    shown: rows.slice(0, count),
    total: rows.length,
    more: rows.length > count ? () => setCount(count + step) : undefined,
  };
}

export function MoreButton(props: {
  folded: { shown: unknown[]; total: number; more?: () => void };
  what: string;
}) {
  const { shown, total, more } = props.folded;
  if (more === undefined) return null;
  return (
    <p class="pager">
      <button type="button" onClick={more}>
        More {props.what}
      </button>
      <span>
        {shown.length} of {total} shown
      </span>
    </p>
  );
}
