import { useEffect, useState } from 'preact/hooks';
import { ApiError, onAuthError, request, resetSubscriptions } from './api';
import { MeQuery } from './queries';
import type { MeQuery as Me } from './gql/graphql';
import { session } from './session';
import { SignIn } from './SignIn';
import { Shell } from './Shell';
import { Problem } from './Problem';

type State = { phase: 'checking' } | { phase: 'out'; why?: ApiError } | { phase: 'in'; me: Me['me'] } | { phase: 'failed'; error: unknown };

export function App() {
  const [state, setState] = useState<State>({ phase: 'checking' });

  const check = () => {
    request(MeQuery).then(
      (d) => setState({ phase: 'in', me: d.me }),
      (e) => setState(e instanceof ApiError && e.kind === 'signedOut' ? { phase: 'out' } : { phase: 'failed', error: e }),
    );
  };
  useEffect(check, []);
  useEffect(
    () =>
      onAuthError((e) => {
        if (e.kind === 'signedOut') {
          resetSubscriptions();
          setState({ phase: 'out', why: e });
        } else setState((s) => (s.phase === 'in' ? { ...s, me: { ...s.me, needsReauth: true } } : s));
      }),
    [],
  );

  switch (state.phase) {
    case 'checking':
      return <p class="loading" role="status">Loading…</p>;
    case 'failed':
      return (
        <main class="center">
          <Problem error={state.error} retry={check} />
        </main>
      );
    case 'out':
      return <SignIn expired={!!state.why} onIn={check} />;
    case 'in':
      return (
        <Shell
          me={state.me}
          onSignOut={async () => {
            await session.signOut();
            resetSubscriptions();
            setState({ phase: 'out' });
          }}
        />
      );
  }
}
