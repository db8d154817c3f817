import { post } from '../api.ts';
import type { Appeal } from '../types.ts';
import { ReasonForm } from './reason-form.tsx';

/** One appeal, through the one pipeline (POST /v1/appeals); the reason field starts empty. */
export function AppealForm(props: {
  target: { kind: Appeal['kind']; id: string };
  what: string;
  /** The opening button's accessible name where several appeals share a page. */
  label?: string;
  onAppealed: () => void;
}) {
  return (
    <ReasonForm
      open={{ text: `Appeal this ${props.what}`, label: props.label }}
      field={{
        label: `Why the ${props.what} is wrong (you may appeal once)`,
        name: 'appeal-reason',
        maxLength: 4000,
        lines: 3,
      }}
      submit={{ text: 'Send the appeal', busyText: 'Sending…', primary: true }}
      layout="panel"
      leaves
      send={async (reason) => {
        await post('/v1/appeals', { target: props.target, reason });
        props.onAppealed();
      }}
    />
  );
}
