import { controlId, type FieldSpec } from './field-spec.ts';

/**
 * One labelled control of a form whose server names the field it refuses: the hint and the
 * refusal are tied to the control (aria-describedby), and the control says it is invalid.
 */
export function FormField(props: {
  form: string;
  spec: FieldSpec;
  value: string;
  error?: string;
  onInput: (value: string) => void;
}) {
  const { spec, form } = props;
  const id = controlId(form, spec.path);
  const described = [spec.hint && `${id}-hint`, props.error && `${id}-error`].filter(Boolean).join(' ');
  const common = {
    id,
    name: spec.path,
    'aria-invalid': props.error === undefined ? undefined : ('true' as const),
    'aria-describedby': described || undefined,
    'aria-required': spec.required ? ('true' as const) : undefined,
  };
  const update = (event: { currentTarget: { value: string } }) => props.onInput(event.currentTarget.value);
  return (
    <div class={props.error === undefined ? 'field' : 'field invalid'}>
      <label for={id}>
        {spec.label}
        {spec.required ? '' : <span class="muted"> (optional)</span>}
      </label>
      {spec.control === 'select' ? (
        <select {...common} value={props.value} onChange={update}>
          <option value="">Choose…</option>
          {(spec.options ?? []).map(([value, words]) => (
            <option key={value} value={value}>
              {words}
            </option>
          ))}
        </select>
      ) : spec.control === 'lines' ? (
        <textarea {...common} rows={2} value={props.value} onInput={update} />
      ) : (
        <input
          {...common}
          value={props.value}
          onInput={update}
          inputMode={spec.inputMode}
          autoComplete={spec.autoComplete ?? 'off'}
        />
      )}
      {spec.hint !== undefined && (
        <span id={`${id}-hint`} class="hint">
          {spec.hint}
        </span>
      )}
      {props.error !== undefined && (
        <span id={`${id}-error`} class="field-error">
          {props.error}
        </span>
      )}
    </div>
  );
}
