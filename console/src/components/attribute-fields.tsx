import { Fragment } from 'preact';

/** A subject's attributes as labelled fields: nested groups as nested lists, never raw JSON. */

// The attribute names whose words a machine would get wrong; the rest are split at capitals.
const names: Record<string, string> = {
  deviceIds: 'Device IDs',
  avatarFingerprints: 'Avatar fingerprints',
  legalName: 'Legal name',
  issuingCountry: 'Issuing country',
  expiresOn: 'Expires on',
  foundedOn: 'Founded on',
  registrationNumber: 'Registration number',
};

/** `birthDate` → "Birth date", `document` → "Document". */
export function fieldLabel(name: string): string {
  const known = names[name];
  if (known !== undefined) return known;
  const spoken = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replaceAll('_', ' ')
    .toLowerCase();
  return spoken.charAt(0).toUpperCase() + spoken.slice(1);
}

function Value(props: { value: unknown }) {
  const { value } = props;
  if (value === null || value === undefined || value === '') return <span class="muted">—</span>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span class="muted">none</span>;
    if (value.every((v) => typeof v !== 'object' || v === null)) return <>{value.map(String).join(', ')}</>;
    return (
      <ol class="attribute-list">
        {value.map((item, i) => (
          <li key={i}>
            <Value value={item} />
          </li>
        ))}
      </ol>
    );
  }
  if (typeof value === 'object') return <AttributeFields value={value as Record<string, unknown>} />;
  return <>{String(value)}</>;
}

export function AttributeFields(props: { value: Record<string, unknown> }) {
  return (
    <dl class="facts attributes">
      {Object.entries(props.value).map(([name, value]) => (
        <Fragment key={name}>
          <dt>{fieldLabel(name)}</dt>
          <dd>
            <Value value={value} />
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}
