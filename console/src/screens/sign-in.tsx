import { useState } from 'preact/hooks';
import { ErrorBox } from '../components/error-box.tsx';
import { useSubmit } from '../components/use-submit.ts';
import { signIn, signInWithPasskey } from '../session.ts';
import type { Whoami } from '../types.ts';

export function SignIn(props: { onSignedIn: (me: Whoami, notice?: string) => void; notice?: string }) {
  const [token, setToken] = useState('');
  const { busy, error, onSubmit } = useSubmit(async () => props.onSignedIn(await signIn(token)));
  const passkey = useSubmit(async () => {
    const { me, recoveryCodeIssuedAt } = await signInWithPasskey();
    props.onSignedIn(
      me,
      recoveryCodeIssuedAt === undefined
        ? undefined
        : `A registrar issued a recovery code for you on ${recoveryCodeIssuedAt}. If it was not at your request, tell them.`,
    );
  });
  return (
    <main class="sign-in">
      <h1>mdis console</h1>
      <button type="button" class="primary" disabled={passkey.busy} onClick={() => void passkey.run()}>
        Sign in with a passkey
      </button>
      <ErrorBox error={passkey.error} />
      <p>
        New here? Open the activation link your registrar gave you, or{' '}
        <a href="/activate">enter your activation code</a>.
      </p>
      <p>
        Scripts and operators sign in with a bearer token. An operator creates one with{' '}
        <code>mdis admin principal create</code>, which shows it once. The console keeps it in this tab only.
      </p>
      {props.notice !== undefined && <p class="notice">{props.notice}</p>}
      <form onSubmit={onSubmit}>
        <label>
          Token
          <input
            type="password"
            name="token"
            autoComplete="off"
            spellcheck={false}
            required
            value={token}
            onInput={(event) => setToken(event.currentTarget.value)}
          />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <ErrorBox error={error} />
      <p class="muted">
        The API reference is at <a href="/docs">/docs</a>; the public log checkpoint at{' '}
        <a href="/v1/log/checkpoint">/v1/log/checkpoint</a>.
      </p>
    </main>
  );
}

/** A sign-in link opened: whose it is, and a choice, before anything is done as them. */
export function LinkSignIn(props: { me: Whoami; onAccept: () => void; onDecline: () => void }) {
  const { me } = props;
  return (
    <main class="sign-in">
      <h1>Sign in from a link</h1>
      <p>
        This link signs you in as <strong>{me.name}</strong> ({me.role}). Use it only if it was given to you
        for yourself: what you do next is recorded as theirs.
      </p>
      <p>
        <button type="button" class="primary" onClick={props.onAccept}>
          Sign in as {me.name}
        </button>{' '}
        <button type="button" onClick={props.onDecline}>
          Not now
        </button>
      </p>
    </main>
  );
}
