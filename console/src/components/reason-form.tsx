import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ErrorBox } from './error-box.tsx';
import { useSubmit } from './use-submit.ts';

/**
 * A button that opens a small form asking for a reason, then sends it: lifting a sanction,
 * appealing a decision. `send` gets the reason as typed; with `leaves`, the form stays busy after
 * a success (the screen reloads around it).
 */
export function ReasonForm(props: {
  /** The button that opens the form, and its accessible name when the text alone is ambiguous. */
  open: { text: string; label?: string };
  /** The field: its label, its name and whether it takes lines (a textarea) or one line. */
  field: { label: string; name: string; maxLength?: number; lines?: number };
  submit: { text: string; busyText?: string; primary?: boolean };
  layout: 'inline' | 'panel';
  leaves?: boolean;
  send: (reason: string) => Promise<void>;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const { busy, error, onSubmit } = useSubmit(() => props.send(reason), { leaves: props.leaves });
  // The button that opened the form is gone: focus moves to the field, or a keyboard user is lost.
  const control = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  // In the commit that shows the field, so that no keystroke lands before the focus does.
  useLayoutEffect(() => {
    if (open) control.current?.focus();
  }, [open]);
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)} aria-label={props.open.label}>
        {props.open.text}
      </button>
    );
  }
  const { field, submit } = props;
  const onInput = (event: { currentTarget: { value: string } }) => setReason(event.currentTarget.value);
  const input =
    field.lines === undefined ? (
      <input
        ref={control}
        name={field.name}
        required
        maxLength={field.maxLength}
        value={reason}
        onInput={onInput}
      />
    ) : (
      <textarea
        ref={control}
        name={field.name}
        required
        maxLength={field.maxLength}
        rows={field.lines}
        value={reason}
        onInput={onInput}
      />
    );
  return (
    <form class={props.layout} onSubmit={onSubmit}>
      {/* biome-ignore lint/a11y/noLabelWithoutControl: the control is an input or a textarea, chosen above */}
      <label>
        {field.label}
        {input}
      </label>
      <ErrorBox error={error} />
      <button type="submit" class={submit.primary === true ? 'primary' : undefined} disabled={busy}>
        {busy && submit.busyText !== undefined ? submit.busyText : submit.text}
      </button>{' '}
      <button type="button" class="link" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </form>
  );
}
