import { useState } from 'preact/hooks';
import { post } from '../../api.ts';
import { type Activation, ActivationLink } from '../../components/activation-link.tsx';
import { ErrorBox } from '../../components/error-box.tsx';
import { FormField } from '../../components/form-field.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import type { ScreenProps } from '../../screen-props.ts';
import { refusalAt } from './attribute-labels.ts';

/**
 * A recovery activation code for a person who lost their passkeys. Issuing one is logged and the
 * person is told; the code is in this answer only, so it is shown once and never fetched again.
 */
export function ActivationCodes(props: ScreenProps) {
  const [id, setId] = useState(props.query.get('id') ?? '');
  const [checked, setChecked] = useState(false);
  const [issued, setIssued] = useState<{ id: string; activation: Activation }>();
  const submit = useSubmit(async () => {
    setIssued(undefined);
    const subject = id.trim();
    const path = `/v1/subjects/${encodeURIComponent(subject)}/activation-code`;
    setIssued({ id: subject, activation: await post<Activation>(path, {}) });
  });
  const idError = refusalAt(submit.error, ['id'])?.message;
  return (
    <section>
      <h1>Activation codes</h1>
      <p class="muted">
        A person who lost every passkey gets a new activation code here, after you have checked their identity
        document again. The code is shown once; issuing it is logged and the person is told.
      </p>
      <form
        class="panel"
        aria-label="Recovery activation code"
        onSubmit={(event) => (checked ? submit.onSubmit(event) : event.preventDefault())}
      >
        <FormField
          form="activation"
          spec={{ path: 'id', label: 'Digital ID', required: true }}
          value={id}
          error={idError}
          onInput={setId}
        />
        <label class="inline check">
          <input
            type="checkbox"
            name="checked"
            required
            checked={checked}
            onChange={(event) => setChecked(event.currentTarget.checked)}
          />
          I have checked the person’s identity document again
        </label>
        <button type="submit" class="primary" disabled={submit.busy || !checked}>
          Issue a recovery code
        </button>
      </form>
      {idError === undefined && <ErrorBox error={submit.error} />}
      {issued !== undefined && (
        <div class="panel" role="status" aria-label="Issued code">
          <h2>
            Code for <code class="digital-id">{issued.id}</code>
          </h2>
          <p class="muted">Shown only now: give it to the person in hand, not by a channel others read.</p>
          <ActivationLink activation={issued.activation} />
          <button type="button" onClick={() => setIssued(undefined)}>
            Done: hide the code
          </button>
        </div>
      )}
    </section>
  );
}
