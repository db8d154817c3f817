import { useEffect, useState } from 'preact/hooks';
import { onUnauthenticated } from './api.ts';
import { explain } from './components/error-box.tsx';
import { Menu } from './components/menu.tsx';
import { readNamesAs } from './components/principal-name.tsx';
import { Link, match, navigate, useLocation } from './router.tsx';
import { Activate } from './screens/people/activate.tsx';
import { Consent } from './screens/people/consent.tsx';
import { LinkSignIn, SignIn } from './screens/sign-in.tsx';
import { homeOf, screens } from './screens.tsx';
import {
  keepToken,
  resumeSession,
  signIn,
  signOut,
  storedToken,
  TokenRefusedError,
  takeLinkToken,
  whoIs,
} from './session.ts';
import type { Whoami } from './types.ts';

type State =
  | { phase: 'checking' }
  | { phase: 'signed-out'; notice?: string }
  | { phase: 'link'; token: string; me: Whoami }
  | { phase: 'signed-in'; me: Whoami };

export function App() {
  const where = useLocation();
  // A world's sign-in (consent) stands on its own: it signs the person in itself if needed.
  const consent = match('/consent/:uid', where.path);
  if (consent !== undefined) return <Consent uid={consent.uid!} />;
  return <Console />;
}

function Console() {
  const [state, setState] = useState<State>({ phase: 'checking' });
  const where = useLocation();

  useEffect(() => {
    const linked = takeLinkToken();
    if (linked !== undefined) {
      // A sign-in link (`mdis serve --demo` prints one per role). Whose it is is shown before it
      // is used, so that no one acts unawares as someone who sent them a link.
      whoIs(linked).then(
        ({ token, me }) => setState({ phase: 'link', token, me }),
        (error: unknown) => setState({ phase: 'signed-out', notice: linkRefused(error) }),
      );
    } else {
      resume(setState);
    }
    return onUnauthenticated(() => {
      signOut();
      setState({ phase: 'signed-out', notice: noLongerAccepted });
    });
  }, []);

  if (state.phase === 'checking') return <p class="loading">Checking your sign-in…</p>;
  if (state.phase === 'signed-out' && where.path === '/activate') {
    return (
      <Activate
        code={where.params.get('code') ?? ''}
        onSignedIn={({ me }) => {
          setState({ phase: 'signed-in', me });
          navigate(homeOf(me.role), { replace: true });
        }}
      />
    );
  }
  if (state.phase === 'link') {
    const { token, me } = state;
    return (
      <LinkSignIn
        me={me}
        onAccept={() => {
          keepToken(token);
          setState({ phase: 'signed-in', me });
          navigate(homeOf(me.role), { replace: true });
        }}
        onDecline={() => {
          setState({ phase: 'checking' });
          resume(setState);
        }}
      />
    );
  }
  if (state.phase === 'signed-out') {
    return (
      <SignIn
        notice={state.notice}
        onSignedIn={(me, notice) => {
          if (notice !== undefined) window.alert(notice);
          setState({ phase: 'signed-in', me });
          navigate(homeOf(me.role), { replace: true });
        }}
      />
    );
  }
  return (
    <Shell
      me={state.me}
      onSignOut={() => {
        signOut();
        setState({ phase: 'signed-out' });
        navigate('/', { replace: true });
      }}
    />
  );
}

/** The sign-in this tab already has: a token kept in it, or a passkey's session cookie. */
function resume(setState: (state: State) => void): void {
  const token = storedToken();
  if (token === undefined) {
    // A passkey sign-in leaves a session cookie: a reload finds it.
    resumeSession().then(
      (me) => setState(me === undefined ? { phase: 'signed-out' } : { phase: 'signed-in', me }),
      (error: unknown) => setState({ phase: 'signed-out', notice: explain(error) }),
    );
    return;
  }
  signIn(token).then(
    (me) => setState({ phase: 'signed-in', me }),
    (error: unknown) => {
      // Only a refused token is forgotten; a server that did not answer is asked again on reload.
      if (!(error instanceof TokenRefusedError)) {
        setState({ phase: 'signed-out', notice: explain(error) });
        return;
      }
      signOut();
      setState({ phase: 'signed-out', notice: noLongerAccepted });
    },
  );
}

const noLongerAccepted = 'The API no longer accepts your token: sign in again.';

function linkRefused(error: unknown): string {
  if (!(error instanceof TokenRefusedError)) return explain(error);
  return 'The token in that sign-in link is not valid. Check that the whole link was copied, or sign in below.';
}

function Shell(props: { me: Whoami; onSignOut: () => void }) {
  const { me } = props;
  readNamesAs(me.role);
  const where = useLocation();
  const mine = screens.filter((screen) => screen.roles.includes(me.role));
  const home = homeOf(me.role);
  useEffect(() => {
    if (where.path === '/') navigate(home, { replace: true });
  }, [where.path, home]);

  const found = mine
    .map((screen) => ({ screen, params: match(screen.path, where.path) }))
    .find((candidate) => candidate.params !== undefined);
  const title = found?.screen.title ?? 'Not found';
  useEffect(() => {
    document.title = `${title} · mdis console`;
  }, [title]);

  return (
    <div class="shell">
      <header class="top">
        <Link href={home} class="brand">
          mdis
        </Link>
        <Menu
          items={mine.flatMap((screen) =>
            screen.nav === undefined ? [] : [{ path: screen.path, nav: screen.nav }],
          )}
          current={found?.screen.path}
        />
        <div class="who">
          <span title={me.id}>
            {me.name} <span class="role">{me.role}</span>
          </span>
          <button type="button" class="link" onClick={props.onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main>
        {found === undefined ? (
          where.path === '/' ? null : (
            <section>
              <h1>Not found</h1>
              <p>
                There is no screen at <code>{where.path}</code> for the {me.role} role.{' '}
                <Link href={home}>Go to your first screen</Link>.
              </p>
            </section>
          )
        ) : (
          // A component of its own (not a call), so that each screen keeps its own hooks.
          <found.screen.view key={found.screen.path} me={me} params={found.params!} query={where.params} />
        )}
      </main>
    </div>
  );
}
