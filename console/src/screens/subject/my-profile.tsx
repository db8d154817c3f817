import { useState } from 'preact/hooks';
import { get, type Page, post, query } from '../../api.ts';
import { DataTable } from '../../components/data-table.tsx';
import { ErrorBox } from '../../components/error-box.tsx';
import { Pager, usePaged } from '../../components/paged.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useSubmit } from '../../components/use-submit.ts';
import { when } from '../../format.ts';
import type { ScreenProps } from '../../screen-props.ts';
import type { AttributeVersion, MyCorrection, SubjectProfile } from '../../types.ts';
import { fieldLabel, shownValue } from '../registrar/attribute-labels.ts';
import { AttributeGroupView, AttributeHistory } from '../staff/profile-view.tsx';

/** The groups a person may correct; signs are captured by the registry and the worlds. */
const correctable = ['natural', 'social'] as const;

/**
 * The person's own attributes, decrypted (current and every version), a form to propose a
 * correction of each field with a reason, and the corrections proposed with their outcome. The
 * fields and the versions read as a registrar reads them (the same components, in words).
 */
export function MyProfile(props: ScreenProps) {
  const profile = useLoad(() => get<SubjectProfile>('/v1/me/profile'), []);
  const corrections = usePaged(
    (cursor) => get<Page<MyCorrection>>(`/v1/me/corrections${query({ cursor, limit: 20 })}`),
    [profile.data?.updatedAt],
  );
  const proposed = () => corrections.reload();
  return (
    <section>
      <h1>My profile</h1>
      <p class="muted">
        What the registry holds about you. If something is wrong, propose a correction with your reason: a
        registrar decides it, and you see the outcome below.
      </p>
      <ErrorBox error={profile.error} />
      {profile.data !== undefined && (
        <>
          {correctable.map((group) => (
            <AttributeGroupView
              key={group}
              group={group}
              value={profile.data![group]}
              version={profile.data!.versions[group]}
              action={(key, value) => (
                <CorrectionForm field={`${group}.${key}`} current={value} onProposed={proposed} />
              )}
            />
          ))}
          <AttributeGroupView
            group="signs"
            value={profile.data.signs}
            version={profile.data.versions.signs}
          />
          <p class="muted">
            Devices, avatar fingerprints and biometric digests are captured by the registry and the worlds;
            ask a registrar to change them.
          </p>
          <AttributeHistory
            caption="Every version"
            versions={profile.data.history ?? []}
            by={(v: AttributeVersion) => (v.createdBy === props.me.id ? 'you' : 'the registry')}
          />
        </>
      )}
      <h2>My corrections</h2>
      <ErrorBox error={corrections.error} />
      {corrections.data !== undefined && (
        <DataTable
          caption="My corrections"
          columns={[
            { label: 'Proposed', cell: (c) => when(c.createdAt) },
            { label: 'Field', cell: (c) => fieldLabel(c.field) },
            { label: 'New value', cell: (c) => shownValue(c.field, c.value) },
            { label: 'Reason', cell: (c) => c.reason },
            { label: 'Status', cell: (c) => c.status },
            {
              label: 'Outcome',
              cell: (c) =>
                c.status === 'pending'
                  ? '—'
                  : `${when(c.decidedAt)}${c.version === undefined ? '' : ` · version ${c.version}`}${
                      c.refusalReason === undefined ? '' : ` · ${c.refusalReason}`
                    }`,
            },
          ]}
          rows={corrections.data.items}
          rowKey={(c) => c.id}
          empty="You have proposed no correction."
        />
      )}
      <Pager pager={corrections.pager} label="My corrections" />
    </section>
  );
}

/** A field's correction: a text value as typed, any other (a document, accounts) as JSON. */
function CorrectionForm(props: { field: string; current: unknown; onProposed: () => void }) {
  const text = typeof props.current === 'string';
  // A field of several lines (the identity document) is corrected whole: the button says so.
  const nested = props.current !== null && typeof props.current === 'object' && !Array.isArray(props.current);
  const whole = nested ? ` of the ${fieldLabel(props.field).toLowerCase()}` : '';
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState(text ? (props.current as string) : JSON.stringify(props.current));
  const [reason, setReason] = useState('');
  const [done, setDone] = useState(false);
  const { busy, error, onSubmit } = useSubmit(async () => {
    const parsed: unknown = text ? value : JSON.parse(value);
    await post('/v1/me/corrections', { field: props.field, value: parsed, reason });
    setOpen(false);
    setDone(true);
    props.onProposed();
  });
  if (!open) {
    return (
      <button
        type="button"
        class="link"
        onClick={() => setOpen(true)}
        aria-label={`Propose a correction of ${fieldLabel(props.field)}`}
      >
        {done ? 'Correction proposed · propose another' : `Propose a correction${whole}`}
      </button>
    );
  }
  return (
    <form class="panel" onSubmit={onSubmit} aria-label={`Correction of ${fieldLabel(props.field)}`}>
      <label>
        New value{text ? '' : ' (JSON)'}
        <input name="value" required value={value} onInput={(event) => setValue(event.currentTarget.value)} />
      </label>
      <label>
        Why the recorded value is wrong
        <textarea
          name="reason"
          required
          maxLength={2000}
          rows={3}
          value={reason}
          onInput={(event) => setReason(event.currentTarget.value)}
        />
      </label>
      <ErrorBox error={error} />
      <button type="submit" class="primary" disabled={busy}>
        Propose the correction
      </button>{' '}
      <button type="button" class="link" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </form>
  );
}
