import { useEffect, useState } from 'preact/hooks';
import { ApiError, post } from '../../api.ts';
import { type Activation, ActivationLink } from '../../components/activation-link.tsx';
import { ErrorBox } from '../../components/error-box.tsx';
import { controlId, type FieldSpec } from '../../components/field-spec.ts';
import { FormField } from '../../components/form-field.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { Link } from '../../router.tsx';
import type { SubjectProfile } from '../../types.ts';
import { groupLabels, refusalsAt } from './attribute-labels.ts';
import {
  type EnrolKind,
  enrolmentBody,
  kindOptions,
  naturalFields,
  signsFields,
  socialFields,
} from './enrol-fields.ts';

type Enrolled = SubjectProfile & { activation?: Activation };

const form = 'enrol';

/**
 * A registrar enrols a person, an organisation or a government agency. The API judges every
 * field: its refusal names every field it refuses, and the form shows each at its field and moves
 * the focus to the first.
 */
export function Enrol() {
  const [kind, setKind] = useState<EnrolKind>('person');
  const [values, setValues] = useState<Record<string, string>>({});
  const [enrolled, setEnrolled] = useState<Enrolled>();
  const submit = useSubmit(async () => {
    setEnrolled(undefined);
    setEnrolled(await post<Enrolled>('/v1/subjects', enrolmentBody(kind, values)));
  });
  const paths = [...naturalFields[kind], ...socialFields, ...signsFields].map((f) => f.path);
  const refusals = refusalsAt(submit.error, paths);
  const duplicate =
    submit.error instanceof ApiError && submit.error.code === 'duplicate_identity' ? submit.error : undefined;
  // A refusal takes the focus to its (first) field; any other answer is brought into view below a long
  // form, the focus staying where it was.
  useEffect(() => {
    if (refusals[0] !== undefined) document.getElementById(controlId(form, refusals[0].path))?.focus();
    else document.getElementById(`${form}-answer`)?.scrollIntoView({ block: 'nearest' });
  }, [submit.error, enrolled]);
  const group = (legend: string, specs: FieldSpec[]) => (
    <Group
      legend={legend}
      specs={specs}
      values={values}
      refusals={refusals}
      onInput={(path, value) => setValues((before) => ({ ...before, [path]: value }))}
    />
  );
  return (
    <section>
      <h1>Enrol a subject</h1>
      <p class="muted">
        One digital ID per person or organisation: an identity document or registration already enrolled is
        refused, with the ID it has. Fields not marked optional are required.
      </p>
      <form class="panel" aria-label="Enrolment" noValidate onSubmit={submit.onSubmit}>
        <KindSelect kind={kind} onChange={setKind} />
        {group(groupLabels.natural, naturalFields[kind])}
        {group(`${groupLabels.social} (optional)`, socialFields)}
        {group(`${groupLabels.signs} (optional)`, signsFields)}
        <button type="submit" class="primary" disabled={submit.busy}>
          Enrol
        </button>
      </form>
      <div id={`${form}-answer`}>
        {refusals.length === 0 && duplicate === undefined && <ErrorBox error={submit.error} />}
        {duplicate !== undefined && <Duplicate existing={duplicate.details.existingId} />}
        {enrolled !== undefined && (
          <Done
            enrolled={enrolled}
            onAnother={() => {
              setEnrolled(undefined);
              setValues({});
              document.getElementById(controlId(form, 'kind'))?.focus();
            }}
          />
        )}
      </div>
    </section>
  );
}

function KindSelect(props: { kind: EnrolKind; onChange: (kind: EnrolKind) => void }) {
  return (
    <div class="field">
      <label for={controlId(form, 'kind')}>Kind</label>
      <select
        id={controlId(form, 'kind')}
        name="kind"
        value={props.kind}
        onChange={(event) => props.onChange(event.currentTarget.value as EnrolKind)}
      >
        {kindOptions.map(([value, words]) => (
          <option key={value} value={value}>
            {words}
          </option>
        ))}
      </select>
    </div>
  );
}

function Group(props: {
  legend: string;
  specs: FieldSpec[];
  values: Record<string, string>;
  refusals: { path: string; message: string }[];
  onInput: (path: string, value: string) => void;
}) {
  return (
    <fieldset>
      <legend>{props.legend}</legend>
      {props.specs.map((spec) => (
        <FormField
          key={spec.path}
          form={form}
          spec={spec}
          value={props.values[spec.path] ?? ''}
          error={props.refusals.find((r) => r.path === spec.path)?.message}
          onInput={(value) => props.onInput(spec.path, value)}
        />
      ))}
    </fieldset>
  );
}

function Duplicate(props: { existing: unknown }) {
  const id = typeof props.existing === 'string' ? props.existing : undefined;
  return (
    <div class="error" role="alert">
      <strong>Already enrolled.</strong> This identity document or registration already has a digital ID
      {id === undefined ? '.' : ': '}
      {id !== undefined && (
        <>
          <code class="digital-id">{id}</code>.{' '}
          <Link href={`/subjects?id=${encodeURIComponent(id)}`}>Find it</Link>
          {' · '}
          <Link href={`/activation-codes?id=${encodeURIComponent(id)}`}>Issue an activation code</Link>
        </>
      )}
    </div>
  );
}

function Done(props: { enrolled: Enrolled; onAnother: () => void }) {
  const { enrolled } = props;
  const id = encodeURIComponent(enrolled.id);
  return (
    <div class="panel" role="status" aria-label="Enrolled">
      <h2>Enrolled</h2>
      <p>
        Digital ID: <code class="digital-id">{enrolled.id}</code>
      </p>
      {enrolled.activation !== undefined && (
        <>
          <p class="muted">Shown only now: hand the code to the person, who registers a passkey with it.</p>
          <ActivationLink activation={enrolled.activation} />
        </>
      )}
      <p class="actions">
        <Link href={`/subjects?id=${id}`}>Find it</Link>
        <button type="button" onClick={props.onAnother}>
          Enrol another
        </button>
      </p>
    </div>
  );
}
