import { useState } from 'preact/hooks';
import { ApiError, post } from '../../api.ts';
import { ErrorBox } from '../../components/error-box.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { navigate } from '../../router.tsx';
import type { ScreenProps } from '../../screen-props.ts';
import type { AttributeGroup } from '../../types.ts';
import { type LegalBasis, LegalBasisFields, legalBasisOf } from './legal-basis-fields.tsx';
import { OffenceField } from './offence-field.tsx';
import { ScopeFields } from './scope-fields.tsx';
import { type Target, TargetFields, targetOf } from './target-fields.tsx';

/** An authority asks for the identity behind an avatar or a subject, under a legal basis. */
export function NewDisclosure(_props: ScreenProps) {
  const [target, setTarget] = useState<Target>({ kind: 'avatar', world: '', handle: '', subject: '' });
  const [scope, setScope] = useState<AttributeGroup[]>(['natural']);
  const [basis, setBasis] = useState<LegalBasis>({
    kind: 'warrant',
    reference: '',
    issuedBy: '',
    expiresAt: '',
  });
  const [offence, setOffence] = useState('');
  const [purpose, setPurpose] = useState('');
  const [caseId, setCaseId] = useState('');
  const { busy, error, onSubmit } = useSubmit(
    async () => {
      const created = await post<{ id: string; status: string }>('/v1/disclosures', {
        target: targetOf(target),
        scope,
        legalBasis: legalBasisOf(basis),
        offence,
        purpose,
        // Left out when empty: the policy may let the offence's category go without a case.
        ...(caseId.trim() === '' ? {} : { case: caseId.trim() }),
      });
      navigate(`/disclosures/${created.id}`);
    },
    { leaves: true },
  );

  const caseError = caseRefusal(error);
  return (
    <section>
      <h1>New disclosure request</h1>
      <p>
        The request, its legal basis and every read of the answer are recorded in the transparency log. Where
        the policy requires it, oversight approves it before anything is disclosed. A request rests on a case
        about its target for the same offence; without one (where the policy allows that) only a warrant or
        court order suffices, and oversight always decides.
      </p>
      <form class="panel" onSubmit={onSubmit}>
        <TargetFields value={target} onChange={setTarget} />
        <ScopeFields value={scope} onChange={setScope} />
        <OffenceField value={offence} onChange={setOffence} />
        <label>
          Case (a case about this avatar or subject, of that category)
          <input
            name="case"
            maxLength={21}
            placeholder="case_…; leave empty only where the policy needs no case"
            value={caseId}
            aria-invalid={caseError === undefined ? undefined : true}
            aria-describedby={caseError === undefined ? undefined : 'new-disclosure-case-error'}
            onInput={(event) => setCaseId(event.currentTarget.value)}
          />
        </label>
        {/* Beside the label, not in it: the field's name stays "Case", the sentence describes it. */}
        {caseError !== undefined && (
          <p id="new-disclosure-case-error" class="field-error">
            {caseError}
          </p>
        )}
        <LegalBasisFields value={basis} onChange={setBasis} />
        <label>
          Purpose
          <textarea
            name="purpose"
            required
            maxLength={2000}
            rows={3}
            value={purpose}
            onInput={(event) => setPurpose(event.currentTarget.value)}
          />
        </label>
        {caseError === undefined && <ErrorBox error={error} />}
        <button type="submit" class="primary" disabled={busy || scope.length === 0}>
          {busy ? 'Filing…' : 'File the request'}
        </button>
      </form>
    </section>
  );
}

/**
 * A refusal about the case (none named where one is required, or one not about the target or
 * its offence): the API's sentence, shown at the Case field instead of in the box below.
 */
function caseRefusal(error: unknown): string | undefined {
  if (!(error instanceof ApiError) || error.field !== 'case') return undefined;
  const sentence = error.message.charAt(0).toUpperCase() + error.message.slice(1);
  return sentence.endsWith('.') ? sentence : `${sentence}.`;
}
