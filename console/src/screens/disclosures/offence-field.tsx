import { ErrorBox } from '../../components/error-box.tsx';
import { usePolicy } from '../../components/use-policy.ts';
import { words } from '../../format.ts';

/**
 * The offence, chosen from the policy's conduct categories that disclosure may follow: their
 * labels shown, their names (`spreading_rumors`) sent. What each allows is said under the choice.
 */
export function OffenceField(props: {
  value: string;
  onChange: (name: string) => void;
  /** Every negative category (a preservation order), not only those disclosure may follow. */
  anyConduct?: boolean;
}) {
  const policy = usePolicy();
  const categories = (policy.data?.categories ?? []).filter((c) =>
    props.anyConduct ? c.polarity === 'negative' : c.disclosure.allowed,
  );
  const chosen = categories.find((c) => c.name === props.value);
  return (
    <>
      <label>
        Offence (a conduct category of the policy)
        <select
          name="offence"
          required
          value={props.value}
          aria-describedby="offence-rule"
          onChange={(event) => props.onChange(event.currentTarget.value)}
        >
          <option value="">{policy.loading ? 'Loading the policy…' : 'Choose an offence'}</option>
          {categories.map((c) => (
            <option key={c.name} value={c.name}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <ErrorBox error={policy.error} title="The policy's categories could not be read." />
      <p class="muted" id="offence-rule">
        {props.anyConduct
          ? chosen?.description
          : chosen === undefined
            ? 'Only the categories the policy lets disclosure follow are listed.'
            : `${chosen.description}. Legal bases: ${(chosen.disclosure.legalBases ?? []).map(words).join(', ')}; oversight ${
                chosen.disclosure.oversight === 'not_required' ? 'not required' : 'decides'
              }; ${chosen.disclosure.requiresCase === false ? 'a case is optional' : 'a case is required'}.`}
      </p>
    </>
  );
}
