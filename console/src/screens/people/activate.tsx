import { useState } from 'preact/hooks';
import { ErrorBox } from '../../components/error-box.tsx';
import { activate, type PasskeySignIn } from '../../session.ts';
import { passkeysSupported } from '../../webauthn.ts';

/** The activation page: the one-time code from the registrar, then a new passkey. */
export function Activate(props: { code: string; onSignedIn: (signedIn: PasskeySignIn) => void }) {
  const [code, setCode] = useState(props.code);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  return (
    <main class="sign-in">
      <h1>Activate your mdis sign-in</h1>
      <p>
        Enter the activation code your registrar gave you, then create a passkey on this device: your
        fingerprint, face or screen lock will sign you in from now on. The code works once, for 7 days.
      </p>
      {!passkeysSupported() && <p class="notice">This browser cannot create passkeys.</p>}
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          setError(undefined);
          try {
            props.onSignedIn(await activate(code));
          } catch (failure) {
            setError(failure);
          } finally {
            setBusy(false);
          }
        }}
      >
        <label>
          Activation code
          <input
            name="code"
            autoComplete="one-time-code"
            spellcheck={false}
            required
            value={code}
            onInput={(event) => setCode(event.currentTarget.value)}
          />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Creating your passkey…' : 'Create a passkey'}
        </button>
      </form>
      <ErrorBox error={error} />
    </main>
  );
}
