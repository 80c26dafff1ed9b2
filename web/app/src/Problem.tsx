// An error said for people: what happened and what to do, with the button
// that does it when there is one.
import { describe, ApiError } from './api';
import { endpoints } from './session';

export function Problem({ error, retry, onSignIn }: { error: unknown; retry?: () => void; onSignIn?: () => void }) {
  const { title, action } = describe(error);
  const kind = error instanceof ApiError ? error.kind : 'server';
  return (
    <div class="problem" role="alert">
      <p>
        <strong>{title}</strong> {action}
      </p>
      {kind === 'reauth' && (
        <a class="button" href={(error as ApiError).loginUrl || endpoints.google}>
          Reconnect Google
        </a>
      )}
      {kind === 'signedOut' && onSignIn && (
        <button type="button" onClick={onSignIn}>
          Sign in
        </button>
      )}
      {retry && kind !== 'signedOut' && kind !== 'reauth' && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}
