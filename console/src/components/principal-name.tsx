import { useEffect, useRef, useState } from 'preact/hooks';
import { get } from '../api.ts';
import type { PrincipalName as Named, Role } from '../types.ts';

/**
 * Who acted, by name rather than `prn_…`. The ids a screen shows are gathered over one tick and
 * asked for in one request (`GET /v1/principals/names`); the answers are kept for the session.
 * Roles that may not ask (subjects, machines) see the id, as does anyone for a subject principal.
 */
/** The roles `GET /v1/principals/names` answers. */
export const nameReaders: readonly Role[] = [
  'admin',
  'registrar',
  'moderator',
  'authority',
  'oversight',
  'auditor',
];
let reader = false;
let readerRole: Role | undefined;
const known = new Map<string, Named | null>();
const asked = new Set<string>();
let wanted: string[] = [];
/** How many answers have come: a component that rendered before the last one draws again. */
let answers = 0;
const listeners = new Set<() => void>();

/** Set once signed in: whether this role may ask for names. */
export function readNamesAs(role: Role): void {
  // Names learnt under another role's sign-in in this tab are not this one's to see.
  if (role !== readerRole) {
    known.clear();
    asked.clear();
  }
  readerRole = role;
  reader = nameReaders.includes(role);
}

function want(id: string): void {
  if (!reader || asked.has(id) || !/^prn_[a-z0-9]+$/.test(id)) return;
  asked.add(id);
  wanted.push(id);
  if (wanted.length === 1) setTimeout(() => void flush(), 0);
}

async function flush(): Promise<void> {
  const ids = wanted;
  wanted = [];
  for (let i = 0; i < ids.length; i += 100) {
    const chunk = ids.slice(i, i + 100);
    try {
      const { items } = await get<{ items: Named[] }>(`/v1/principals/names?ids=${chunk.join(',')}`);
      for (const id of chunk) known.set(id, items.find((p) => p.id === id) ?? null);
    } catch {
      // The id stays shown: a name is a convenience, never a reason to fail the screen.
      for (const id of chunk) known.set(id, null);
    }
  }
  answers += 1;
  for (const listener of listeners) listener();
}

/** A principal by name (its organisation after it), with its id on hover; the id until known. */
export function PrincipalName(props: { id: string }) {
  const [, redraw] = useState(0);
  const drawnAfter = useRef(answers);
  drawnAfter.current = answers;
  useEffect(() => {
    const listener = () => redraw((n) => n + 1);
    listeners.add(listener);
    // An answer that came between this render and now (effects run after the paint) found no
    // listener here: draw again, or the id would stay shown though its name is known.
    if (answers !== drawnAfter.current) listener();
    want(props.id);
    return () => {
      listeners.delete(listener);
    };
  }, [props.id]);
  const found = known.get(props.id);
  if (found === undefined || found === null) return <code>{props.id}</code>;
  return (
    <span class="principal" title={props.id}>
      {found.name}
      {found.organisation === undefined ? '' : ` (${found.organisation})`}
    </span>
  );
}
