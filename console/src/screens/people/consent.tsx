import { useState } from 'preact/hooks';
import { ApiError, get, post } from '../../api.ts';
import { ErrorBox } from '../../components/error-box.tsx';
import { useLoad } from '../../components/use-load.ts';
import { when } from '../../format.ts';
import { resumeSession, signInWithPasskey } from '../../session.ts';
import type { Whoami } from '../../types.ts';

interface ConsentRequest {
  uid: string;
  /** A world's sign-in; a service's names `service` instead. */
  world?: { id: string; name: string };
  service?: { id: string; name: string };
  /** A wallet asking for credentials: each is one of `claims`; it binds nothing. */
  wallet?: { id: string; name: string };
  claims: { name: string; scope: string; description: string }[];
  avatar?: string;
  lockedSince?: string;
}

/**
 * A world's (or a service's) sign-in through mdis: the person signs in with a passkey if they have
 * not, sees who asks and each claim it asks for, names the avatar to bind in a world, and consents
 * or declines.
 */
export function Consent(props: { uid: string }) {
  const { uid } = props;
  const request = useLoad(() => get<ConsentRequest>(`/oidc/interaction/${uid}/details`), [uid]);
  const session = useLoad(() => resumeSession(), []);
  const [me, setMe] = useState<Whoami | undefined>();
  const [avatar, setAvatar] = useState('');
  const [nationality, setNationality] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const person = me ?? session.data;

  if (request.loading || session.loading) return <p class="loading">Loading the sign-in request…</p>;
  if (request.data === undefined) {
    return (
      <main class="sign-in">
        <h1>Sign-in request</h1>
        <ErrorBox error={request.error} />
      </main>
    );
  }
  // A service binds no avatar and is told of no world: it gets a pseudonym of its own.
  const service = request.data.service;
  // A wallet receives credentials: no avatar, no pseudonym.
  const wallet = request.data.wallet;
  const world = request.data.world ?? service ?? wallet ?? { id: '', name: '' };
  const go = async (action: 'consent' | 'decline') => {
    setBusy(true);
    setError(undefined);
    try {
      const body =
        action === 'consent'
          ? {
              ...(request.data?.avatar === undefined && service === undefined && wallet === undefined
                ? { avatar }
                : {}),
              nationality,
            }
          : {};
      const next = await post<{ redirectTo: string }>(`/oidc/interaction/${uid}/${action}`, body);
      window.location.assign(next.redirectTo);
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <main class="sign-in consent">
      <h1>{wallet === undefined ? `Sign in to ${world.name}` : `A wallet asks for your credentials`}</h1>
      {person === undefined ? (
        <>
          <p>Sign in to mdis with your passkey first.</p>
          <button
            type="button"
            disabled={busy}
            onClick={async () => {
              setError(undefined);
              try {
                setMe((await signInWithPasskey()).me);
                // The request's details say whether this person has locked its identity.
                request.reload();
              } catch (failure) {
                setError(failure);
              }
            }}
          >
            Sign in with a passkey
          </button>
        </>
      ) : person.role !== 'subject' ? (
        <p class="notice">
          You are signed in as {person.role}; only a person’s own sign-in can be used with a world.
        </p>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void go('consent');
          }}
        >
          <p>
            <strong>{world.name}</strong> ({world.id}) asks mdis for:
          </p>
          <ul class="claims">
            {request.data.claims.map((claim) =>
              claim.name === 'nationality' ? (
                <li key={claim.name}>
                  <label class="inline">
                    <input
                      type="checkbox"
                      name="nationality"
                      checked={nationality}
                      onChange={(event) => setNationality(event.currentTarget.checked)}
                    />{' '}
                    {claim.description}
                  </label>
                </li>
              ) : (
                <li key={claim.name}>{claim.description}</li>
              ),
            )}
          </ul>
          {wallet !== undefined ? (
            <p>
              The wallet {wallet.name} receives these credentials, bound to a key only it holds. Nothing is
              bound to you in a world.
            </p>
          ) : service !== undefined ? (
            <p>
              {service.name} learns you under a pseudonym of its own, which no other service or world can link
              to it.
            </p>
          ) : request.data.avatar === undefined ? (
            <label>
              Your avatar in {world.name}
              <input
                name="avatar"
                required
                pattern="[a-z0-9][a-z0-9._\-]{0,63}"
                value={avatar}
                onInput={(event) => setAvatar(event.currentTarget.value)}
              />
            </label>
          ) : (
            <p>
              Your avatar <strong>{request.data.avatar}</strong> will be bound to you in {world.name}.
            </p>
          )}
          {wallet === undefined && (
            <p class="muted">{world.name} never learns your name, documents, contacts or digital ID.</p>
          )}
          {request.data.lockedSince !== undefined && (
            <p class="notice" role="status">
              You locked your identity on {when(request.data.lockedSince)}: {world.name} will be told that
              sign-in was refused, and no avatar is bound. Unlock it on My record first to sign in.
            </p>
          )}
          <div class="actions">
            <button type="submit" disabled={busy}>
              {request.data.lockedSince === undefined ? 'Allow' : `Continue: ${world.name} is refused`}
            </button>
            <button type="button" class="link" disabled={busy} onClick={() => void go('decline')}>
              Decline
            </button>
          </div>
        </form>
      )}
      <ErrorBox error={error ?? (session.error instanceof ApiError ? session.error : undefined)} />
    </main>
  );
}
