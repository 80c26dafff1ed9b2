import { useState } from 'preact/hooks';
import { demoUser, endpoints, session } from './session';

export function SignIn({ expired, onIn }: { expired: boolean; onIn: () => void }) {
  const demo = demoUser();
  const [error, setError] = useState('');
  const [token, setToken] = useState('');

  return (
    <main class="center signin">
      <h1>Workspace Orchestrator</h1>
      <p class="lede">Ask about your Gmail, Calendar and Drive in plain words, and act on the answers.</p>
      {expired && (
        <p class="problem" role="alert">
          <strong>You are signed out.</strong> Sign in again to continue.
        </p>
      )}
      <a class="button primary" href={endpoints.google}>
        Sign in with Google
      </a>
      {demo && (
        <button
          type="button"
          class="button"
          onClick={() =>
            session.enterDemo().then(onIn, (e: Error) => setError(e.message))
          }
        >
          Enter the demo as {demo}
        </button>
      )}
      {error && (
        <p class="problem" role="alert">
          {error}
        </p>
      )}
      <details>
        <summary>Use an operator token</summary>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            session.useToken(token);
            onIn();
          }}
        >
          <label for="token">
            Token from <code>orchestrator token --email …</code>
          </label>
          <input id="token" name="token" type="password" autocomplete="off" required value={token} onInput={(e) => setToken(e.currentTarget.value)} />
          <button type="submit">Use token</button>
        </form>
      </details>
    </main>
  );
}
