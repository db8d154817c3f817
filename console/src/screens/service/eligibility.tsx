import type { ScreenProps } from '../../screen-props.ts';
import { BatchCheck } from './batch-check.tsx';
import { CheckOne } from './check-one.tsx';

/** The service's home: may this person take this action? One at a time, or a file of them. */
export function Eligibility(props: ScreenProps) {
  const actions = props.me.actions ?? [];
  return (
    <section>
      <h1>Eligibility</h1>
      <p class="muted">
        Ask before you serve someone: mdis answers allowed or denied, with the reason (a sanction or the
        person's grade) and nothing else about them. Your actions: {actions.join(', ') || 'none'}.
      </p>
      <CheckOne actions={actions} />
      <BatchCheck actions={actions} />
    </section>
  );
}
