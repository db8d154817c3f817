import { type AttributeGroup, attributeGroups } from '../../types.ts';

const groupNames: Record<AttributeGroup, string> = {
  natural: 'natural (name, birth date, document…)',
  social: 'social (occupation, contacts, accounts…)',
  signs: 'signs (devices, avatar fingerprints…)',
};

/** The attribute groups a request asks for. */
export function ScopeFields(props: { value: AttributeGroup[]; onChange: (scope: AttributeGroup[]) => void }) {
  const scope = props.value;
  return (
    <fieldset class="choices">
      <legend>Attributes asked for</legend>
      {attributeGroups.map((group) => (
        <label key={group}>
          <input
            type="checkbox"
            name="scope"
            value={group}
            checked={scope.includes(group)}
            onChange={(event) =>
              props.onChange(
                event.currentTarget.checked ? [...scope, group] : scope.filter((g) => g !== group),
              )
            }
          />
          {groupNames[group]}
        </label>
      ))}
    </fieldset>
  );
}
