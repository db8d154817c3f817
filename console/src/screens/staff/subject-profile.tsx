import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { get, query } from '../../api.ts';
import { DataTable } from '../../components/data-table.tsx';
import { ErrorBox } from '../../components/error-box.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useSubmit } from '../../components/use-submit.ts';
import { when, words } from '../../format.ts';
import type { ScreenProps } from '../../screen-props.ts';
import { type AttributeGroup, attributeGroups, type SubjectProfile } from '../../types.ts';

/**
 * A registrar's or admin's read of a subject's decrypted profile. Each read names a purpose of the
 * policy and is logged; the person sees who read it, when and why.
 */
export function SubjectProfileScreen(_props: ScreenProps) {
  const purposes = useLoad(() => get<{ purposes: string[] }>('/v1/policy/read-purposes'), []);
  const [id, setId] = useState('');
  const [purpose, setPurpose] = useState('');
  const [history, setHistory] = useState(false);
  const [profile, setProfile] = useState<SubjectProfile>();
  const { error, busy, onSubmit } = useSubmit(async () => {
    setProfile(undefined);
    const path = `/v1/subjects/${encodeURIComponent(id.trim())}`;
    setProfile(await get<SubjectProfile>(`${path}${query({ purpose, history: history || undefined })}`));
  });
  return (
    <section>
      <h1>Read a subject’s profile</h1>
      <p class="muted">
        Each read is written to the transparency log with your role and its purpose, and the person sees it
        under “Who looked at my data”. Read only what your purpose needs.
      </p>
      <ErrorBox error={purposes.error} />
      <form class="panel" onSubmit={onSubmit}>
        <label>
          Digital ID
          <input name="id" required value={id} onInput={(event) => setId(event.currentTarget.value)} />
        </label>
        <label>
          Purpose
          <select
            name="purpose"
            required
            value={purpose}
            onChange={(event) => setPurpose(event.currentTarget.value)}
          >
            <option value="">Choose why you read it…</option>
            {(purposes.data?.purposes ?? []).map((p) => (
              <option key={p} value={p}>
                {words(p)}
              </option>
            ))}
          </select>
        </label>
        <label class="inline">
          <input
            type="checkbox"
            name="history"
            checked={history}
            onChange={(event) => setHistory(event.currentTarget.checked)}
          />{' '}
          Every version of every attribute
        </label>
        <button type="submit" disabled={busy}>
          Read (logged)
        </button>
      </form>
      <ErrorBox error={error} />
      {profile !== undefined && <Profile profile={profile} />}
    </section>
  );
}

function Profile(props: { profile: SubjectProfile }) {
  const { profile } = props;
  return (
    <>
      <p>
        <code>{profile.id}</code> · {profile.kind} · enrolled {when(profile.createdAt)} · changed{' '}
        {when(profile.updatedAt)}
      </p>
      {attributeGroups.map((group) => (
        <Group key={group} group={group} value={profile[group]} version={profile.versions[group]} />
      ))}
      {profile.history !== undefined && (
        <>
          <h2>Every version</h2>
          <DataTable
            caption="Attribute versions"
            columns={[
              { label: 'Group', cell: (v) => v.group },
              { label: 'Version', cell: (v) => v.version, numeric: true },
              { label: 'Added', cell: (v) => when(v.createdAt) },
              { label: 'By', cell: (v) => <code>{v.createdBy}</code> },
              { label: 'Value', cell: (v) => <code>{JSON.stringify(v.value)}</code> },
            ]}
            rows={profile.history}
            rowKey={(v) => `${v.group}-${v.version}`}
            empty="No versions."
          />
        </>
      )}
    </>
  );
}

function Group(props: { group: AttributeGroup; value: Record<string, unknown>; version: number }) {
  const entries = Object.entries(props.value);
  return (
    <>
      <h2>
        {props.group} <span class="muted">(version {props.version})</span>
      </h2>
      {entries.length === 0 ? (
        <p class="empty">Nothing recorded.</p>
      ) : (
        <dl class="facts">
          {entries.map(([key, value]) => (
            <Fragment key={key}>
              <dt>{words(key)}</dt>
              <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
            </Fragment>
          ))}
        </dl>
      )}
    </>
  );
}
