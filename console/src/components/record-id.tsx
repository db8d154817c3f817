import type { Role } from '../types.ts';

/**
 * An id (a case's, a request's, a digital ID) shown whole: it never breaks inside, and where it is
 * wider than its place (a phone's card) it ends in an ellipsis, its title holding all of it.
 */
export function RecordId(props: { id: string }) {
  return (
    <code class="ref" title={props.id}>
      {props.id}
    </code>
  );
}

/** The roles that open a case (console/src/screens.tsx gives them /cases/:id). */
export const caseReaders: readonly Role[] = ['moderator', 'admin'];
