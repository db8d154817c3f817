import { words } from '../../format.ts';
import { type LegalBasisKind, legalBasisKinds } from '../../types.ts';

/** The legal basis a request cites, as the form holds it (`expiresAt` as the date input gives it). */
export interface LegalBasis {
  kind: LegalBasisKind;
  reference: string;
  issuedBy: string;
  expiresAt: string;
}

/** The legal basis as the API takes it: the local date and time of expiry as an instant. */
export function legalBasisOf(basis: LegalBasis) {
  const expires = new Date(basis.expiresAt);
  return { ...basis, expiresAt: Number.isNaN(expires.getTime()) ? basis.expiresAt : expires.toISOString() };
}

export function LegalBasisFields(props: { value: LegalBasis; onChange: (basis: LegalBasis) => void }) {
  const basis = props.value;
  const set = (name: keyof LegalBasis) => (event: { currentTarget: { value: string } }) =>
    props.onChange({ ...basis, [name]: event.currentTarget.value });
  return (
    <fieldset>
      <legend>Legal basis</legend>
      <label>
        Kind
        <select name="basis" value={basis.kind} onChange={set('kind')}>
          {legalBasisKinds.map((kind) => (
            <option key={kind} value={kind}>
              {words(kind)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Reference
        <input name="reference" required maxLength={200} value={basis.reference} onInput={set('reference')} />
      </label>
      <label>
        Issued by
        <input name="issuedBy" required maxLength={200} value={basis.issuedBy} onInput={set('issuedBy')} />
      </label>
      <label>
        Valid until
        <input
          name="expiresAt"
          type="datetime-local"
          required
          value={basis.expiresAt}
          onInput={set('expiresAt')}
        />
      </label>
    </fieldset>
  );
}
