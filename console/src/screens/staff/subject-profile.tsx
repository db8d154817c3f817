import { useState } from 'preact/hooks';
import { get, query } from '../../api.ts';
import { ErrorBox } from '../../components/error-box.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useSubmit } from '../../components/use-submit.ts';
import { words } from '../../format.ts';
import { Link } from '../../router.tsx';
import type { ScreenProps } from '../../screen-props.ts';
import type { SubjectProfile } from '../../types.ts';
import { AttributeChange } from './attribute-change.tsx';
import { ProfileView } from './profile-view.tsx';

/**
 * A registrar's or admin's read of a subject's decrypted profile, found by digital ID. Each read
 * names a purpose of the policy and is logged; the person sees who read it, when and why. A
 * registrar may then add an attribute version or go on to issue an activation code.
 */
export function SubjectProfileScreen(props: ScreenProps) {
  const purposes = useLoad(() => get<{ purposes: string[] }>('/v1/policy/read-purposes'), []);
  const [id, setId] = useState(props.query.get('id') ?? '');
  const [purpose, setPurpose] = useState('');
  const [history, setHistory] = useState(false);
  const [profile, setProfile] = useState<SubjectProfile>();
  const { error, busy, onSubmit, run } = useSubmit(async () => {
    setProfile(undefined);
    const path = `/v1/subjects/${encodeURIComponent(id.trim())}`;
    setProfile(await get<SubjectProfile>(`${path}${query({ purpose, history: history || undefined })}`));
  });
  const registrar = props.me.role === 'registrar';
  return (
    <section>
      <h1>Find a subject</h1>
      <p class="muted">
        Each read is written to the transparency log with your role and its purpose, and the person sees it
        under “Who looked at my data”. Read only what your purpose needs.
      </p>
      <ErrorBox error={purposes.error} />
      <form class="panel" aria-label="Read a profile" onSubmit={onSubmit}>
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
        <label class="inline check">
          <input
            type="checkbox"
            name="history"
            checked={history}
            onChange={(event) => setHistory(event.currentTarget.checked)}
          />{' '}
          With the attribute history (every version)
        </label>
        <button type="submit" disabled={busy}>
          Read (logged)
        </button>
      </form>
      <ErrorBox error={error} />
      {profile !== undefined && (
        <>
          <ProfileView profile={profile} me={props.me.id} />
          {registrar && (
            <>
              <AttributeChange key={profile.id} profile={profile} onReread={() => run()} />
              <p>
                <Link href={`/activation-codes?id=${encodeURIComponent(profile.id)}`}>
                  Issue a recovery activation code
                </Link>
              </p>
            </>
          )}
        </>
      )}
    </section>
  );
}
