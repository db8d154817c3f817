import { useState } from 'preact/hooks';
import { post } from '../../api.ts';
import { ErrorBox } from '../../components/error-box.tsx';
import { when } from '../../format.ts';
import type { LockState } from '../../types.ts';
import { usePasskey } from '../../webauthn.ts';

/**
 * The person locks the use of its identity, and unlocks it with a passkey: what the lock stops
 * and, as plainly, what it never stops (docs/rights.md#lock).
 */
export function IdentityLock(props: { locked: string | null; onChange: () => void }) {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      props.onChange();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const lock = () => act(() => post<LockState>('/v1/me/lock', {}));
  const unlock = () =>
    act(async () => {
      const options = await post<Record<string, unknown>>('/v1/me/unlock/options', {});
      const credential = await usePasskey(options);
      await post<LockState>('/v1/me/unlock', { credential });
    });
  return (
    <section class="panel" aria-labelledby="identity-lock-title">
      <h2 id="identity-lock-title">{props.locked === null ? 'Lock my identity' : 'My identity is locked'}</h2>
      {props.locked !== null && (
        <p class="notice" role="status">
          Locked since {when(props.locked)}.
        </p>
      )}
      <p>
        While your identity is locked, nobody can sign in as you at a world or service, bind a new avatar to
        you, or have a credential issued in your name. Unlocking needs one of your passkeys.
      </p>
      <p class="muted">
        A lock does not hide you: sanctions, eligibility checks, reports and cases about you, lawful
        disclosures to authorities and staff reads go on as before, and the avatars already bound to you keep
        working. Lost every passkey? A registrar can give you a recovery code to register a new one.
      </p>
      <ErrorBox error={error} />
      {props.locked === null ? (
        <button type="button" disabled={busy} onClick={lock}>
          {busy ? 'Locking…' : 'Lock my identity'}
        </button>
      ) : (
        <button type="button" class="primary" disabled={busy} onClick={unlock}>
          {busy ? 'Unlocking…' : 'Unlock with a passkey'}
        </button>
      )}
    </section>
  );
}
