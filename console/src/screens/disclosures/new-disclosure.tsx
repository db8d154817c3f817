import { useState } from 'preact/hooks';
import { post } from '../../api.ts';
import { ErrorBox } from '../../components/error-box.tsx';
import { words } from '../../format.ts';
import { navigate } from '../../router.tsx';
import type { ScreenProps } from '../../screen-props.ts';
import { attributeGroups, legalBasisKinds } from '../../types.ts';

const groupNames: Record<string, string> = {
  natural: 'natural (name, birth date, document…)',
  social: 'social (occupation, contacts, accounts…)',
  signs: 'signs (devices, avatar fingerprints…)',
};

/** An authority asks for the identity behind an avatar or a subject, under a legal basis. */
export function NewDisclosure(_props: ScreenProps) {
  const [targetKind, setTargetKind] = useState<'avatar' | 'subject'>('avatar');
  const [fields, setFields] = useState({
    world: '',
    handle: '',
    subject: '',
    basis: 'warrant',
    reference: '',
    issuedBy: '',
    expiresAt: '',
    offence: '',
    purpose: '',
  });
  const [scope, setScope] = useState<string[]>(['natural']);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const set = (name: keyof typeof fields) => (event: { currentTarget: { value: string } }) =>
    setFields({ ...fields, [name]: event.currentTarget.value });

  return (
    <section>
      <h1>New disclosure request</h1>
      <p>
        The request, its legal basis and every read of the answer are recorded in the transparency log. Where
        the policy requires it, oversight approves it before anything is disclosed.
      </p>
      <form
        class="panel"
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          setError(undefined);
          const expires = new Date(fields.expiresAt);
          try {
            const created = await post<{ id: string; status: string }>('/v1/disclosures', {
              target:
                targetKind === 'avatar'
                  ? { world: fields.world.trim(), handle: fields.handle.trim() }
                  : { subject: fields.subject.trim() },
              scope,
              legalBasis: {
                kind: fields.basis,
                reference: fields.reference,
                issuedBy: fields.issuedBy,
                expiresAt: Number.isNaN(expires.getTime()) ? fields.expiresAt : expires.toISOString(),
              },
              offence: fields.offence.trim(),
              purpose: fields.purpose,
            });
            navigate(`/disclosures/${created.id}`);
          } catch (failure) {
            setError(failure);
            setBusy(false);
          }
        }}
      >
        <fieldset class="choices">
          <legend>Whom it is about</legend>
          <label>
            <input
              type="radio"
              name="target-kind"
              checked={targetKind === 'avatar'}
              onChange={() => setTargetKind('avatar')}
            />
            An avatar
          </label>
          <label>
            <input
              type="radio"
              name="target-kind"
              checked={targetKind === 'subject'}
              onChange={() => setTargetKind('subject')}
            />
            A digital ID
          </label>
        </fieldset>
        {targetKind === 'avatar' ? (
          <div class="row">
            <label>
              World
              <input name="world" required value={fields.world} onInput={set('world')} />
            </label>
            <label>
              Handle
              <input name="handle" required value={fields.handle} onInput={set('handle')} />
            </label>
          </div>
        ) : (
          <label>
            Digital ID
            <input
              name="subject"
              required
              spellcheck={false}
              value={fields.subject}
              onInput={set('subject')}
            />
          </label>
        )}
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
                  setScope(event.currentTarget.checked ? [...scope, group] : scope.filter((g) => g !== group))
                }
              />
              {groupNames[group]}
            </label>
          ))}
        </fieldset>
        <label>
          Offence (a conduct category of the policy)
          <input
            name="offence"
            required
            maxLength={40}
            placeholder="e.g. fraud"
            value={fields.offence}
            onInput={set('offence')}
          />
        </label>
        <fieldset>
          <legend>Legal basis</legend>
          <label>
            Kind
            <select name="basis" value={fields.basis} onChange={set('basis')}>
              {legalBasisKinds.map((kind) => (
                <option key={kind} value={kind}>
                  {words(kind)}
                </option>
              ))}
            </select>
          </label>
          <label>
            Reference
            <input
              name="reference"
              required
              maxLength={200}
              value={fields.reference}
              onInput={set('reference')}
            />
          </label>
          <label>
            Issued by
            <input
              name="issuedBy"
              required
              maxLength={200}
              value={fields.issuedBy}
              onInput={set('issuedBy')}
            />
          </label>
          <label>
            Valid until
            <input
              name="expiresAt"
              type="datetime-local"
              required
              value={fields.expiresAt}
              onInput={set('expiresAt')}
            />
          </label>
        </fieldset>
        <label>
          Purpose
          <textarea
            name="purpose"
            required
            maxLength={2000}
            rows={3}
            value={fields.purpose}
            onInput={set('purpose')}
          />
        </label>
        <ErrorBox error={error} />
        <button type="submit" class="primary" disabled={busy || scope.length === 0}>
          {busy ? 'Filing…' : 'File the request'}
        </button>
      </form>
    </section>
  );
}
