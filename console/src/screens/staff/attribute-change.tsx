import { useState } from 'preact/hooks';
import { patch } from '../../api.ts';
import { ErrorBox } from '../../components/error-box.tsx';
import { FormField } from '../../components/form-field.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import type { AttributesChanged, SubjectProfile } from '../../types.ts';
import { fieldLabel, groupLabels, refusalAt } from '../registrar/attribute-labels.ts';
import { type EnrolKind, naturalFields, socialFields, valueFor } from '../registrar/enrol-fields.ts';

/**
 * A registrar adds an attribute version: one field's new value (or its removal). The old version
 * is kept. A field inside another (the document's number) is sent with its siblings, since the
 * API replaces a group's fields whole.
 */
export function AttributeChange(props: { profile: SubjectProfile; onReread: () => void }) {
  const { profile } = props;
  const fields = [...naturalFields[profile.kind as EnrolKind], ...socialFields].filter(
    (spec) => spec.control !== 'lines',
  );
  const [path, setPath] = useState('');
  const [value, setValue] = useState('');
  const [remove, setRemove] = useState(false);
  const [changed, setChanged] = useState<AttributesChanged>();
  const spec = fields.find((f) => f.path === path);
  const submit = useSubmit(async () => {
    setChanged(undefined);
    if (spec === undefined) return;
    const body = patchOf(profile, path, remove ? undefined : valueFor(spec, value));
    setChanged(
      await patch<AttributesChanged>(`/v1/subjects/${encodeURIComponent(profile.id)}/attributes`, body),
    );
  });
  // Any field the API names belongs to the one value sent (a document's number, say).
  const refusal = refusalAt(submit.error, path === '' ? [] : [path.split('.').slice(0, 2).join('.')]);
  return (
    <form class="panel" aria-label="Add an attribute version" onSubmit={submit.onSubmit}>
      <h2>Add an attribute version</h2>
      <div class="field">
        <label for="change-field">Attribute</label>
        <select
          id="change-field"
          name="field"
          value={path}
          onChange={(event) => {
            setPath(event.currentTarget.value);
            setValue('');
          }}
        >
          <option value="">Choose…</option>
          {fields.map((f) => (
            <option key={f.path} value={f.path}>
              {fieldLabel(f.path)}
            </option>
          ))}
        </select>
      </div>
      {spec !== undefined && !remove && (
        <FormField
          form="change"
          spec={{ ...spec, label: 'New value', required: true }}
          value={value}
          error={refusal?.message}
          onInput={setValue}
        />
      )}
      {spec !== undefined && !spec.required && (
        <label class="inline check">
          <input
            type="checkbox"
            checked={remove}
            onChange={(event) => setRemove(event.currentTarget.checked)}
          />
          Remove it instead
        </label>
      )}
      <button type="submit" disabled={submit.busy || spec === undefined}>
        Add the version
      </button>
      {refusal === undefined && <ErrorBox error={submit.error} />}
      {changed !== undefined && (
        <p role="status">
          Saved:{' '}
          {changed.changed.map((g) => `${groupLabels[g]} is now version ${changed.versions[g]}`).join(', ')}
          {changed.changed.length === 0 ? 'nothing changed' : ''}.{' '}
          <button type="button" class="link" onClick={props.onReread}>
            Read the profile again (logged)
          </button>
        </p>
      )}
    </form>
  );
}

/** The PATCH body setting `path` to `value` (undefined: removing it) in the current profile. */
function patchOf(profile: SubjectProfile, path: string, value: unknown): Record<string, unknown> {
  const [group, top, ...rest] = path.split('.') as [keyof SubjectProfile, string, ...string[]];
  if (rest.length === 0) return { [group]: { [top]: value === undefined ? null : value } };
  const current = (profile[group] as Record<string, unknown>)[top];
  const whole = structuredClone((current ?? {}) as Record<string, unknown>);
  let at = whole;
  for (const part of rest.slice(0, -1)) {
    at[part] ??= {};
    at = at[part] as Record<string, unknown>;
  }
  if (value === undefined) delete at[rest.at(-1)!];
  else at[rest.at(-1)!] = value;
  return { [group]: { [top]: whole } };
}
