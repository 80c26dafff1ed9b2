// The one way the app talks to the server: queries and mutations over HTTP
// POST /graphql, subscriptions over a graphql-transport-ws websocket, and
// every failure turned into an ApiError a person can act on.
import { createClient, type Client } from 'graphql-ws';
import type { TypedDocumentString } from './gql/graphql';
import { session } from './session';

/** What went wrong, in the terms the screen acts on. */
export type ErrorKind =
  | 'signedOut' // sign in again
  | 'reauth' // Google must be reconnected
  | 'rateLimited' // wait retryAfter seconds
  | 'offline' // the network is gone; retried when it is back
  | 'notFound'
  | 'input' // the request was wrong: the message says how
  | 'server';

export class ApiError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly retryAfter = 0,
    /** Where to reconnect Google, when the server said (REAUTH_REQUIRED). */
    readonly loginUrl = '',
  ) {
    super(message);
  }
}

type GraphQLError = { message: string; extensions?: { code?: string; retryAfterSeconds?: number; loginUrl?: string } };

/** fromGraphQL classifies the first error of a response by its extensions.code. */
export function fromGraphQL(errors: GraphQLError[]): ApiError {
  const e = errors[0] ?? { message: 'unknown error' };
  const code = e.extensions?.code ?? '';
  const msg = e.message;
  switch (code) {
    case 'UNAUTHENTICATED':
      return new ApiError('signedOut', msg);
    case 'REAUTH_REQUIRED':
      return new ApiError('reauth', msg, 0, e.extensions?.loginUrl ?? '');
    case 'FORBIDDEN':
      return new ApiError(/reauthori|reconnect|authorised again/i.test(msg) ? 'reauth' : 'input', msg);
    case 'RATE_LIMITED':
      return new ApiError('rateLimited', msg, e.extensions?.retryAfterSeconds ?? 0);
    case 'NOT_FOUND':
      return new ApiError('notFound', msg);
    case 'BAD_USER_INPUT':
    case 'INVALID_CURSOR':
    case 'CONFLICT':
    case 'GRAPHQL_VALIDATION_FAILED':
      return new ApiError('input', msg);
  }
  return new ApiError('server', msg);
}

/** describe says what happened and what to do, for people. */
export function describe(err: unknown): { title: string; action: string } {
  if (!(err instanceof ApiError)) {
    return { title: 'Something went wrong.', action: 'Try again.' };
  }
  switch (err.kind) {
    case 'signedOut':
      return { title: 'You are signed out.', action: 'Sign in again to continue.' };
    case 'reauth':
      return { title: 'Google needs reconnecting.', action: 'Reconnect your Google account; nothing synced is lost.' };
    case 'rateLimited':
      return {
        title: 'Too many requests for now.',
        action: err.retryAfter > 0 ? `Try again in ${humanWait(err.retryAfter)}.` : 'Wait a little and try again.',
      };
    case 'offline':
      return { title: 'You are offline.', action: 'Check your connection; the app retries when it is back.' };
    case 'notFound':
      return { title: 'That item is gone.', action: 'It may have been deleted; go back to the list.' };
    case 'input':
      return { title: capitalise(err.message) + (/[.!?]$/.test(err.message) ? '' : '.'), action: 'Change the request and try again.' };
    case 'server':
      return { title: 'The server had a problem.', action: 'Try again in a moment.' };
  }
}

function humanWait(s: number): string {
  if (s < 90) return `${Math.ceil(s)} seconds`;
  return `${Math.ceil(s / 60)} minutes`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const listeners = new Set<(e: ApiError) => void>();

/** onAuthError registers who is told when the session is gone or Google needs reconnecting. */
export function onAuthError(f: (e: ApiError) => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

function report(e: ApiError): ApiError {
  if (e.kind === 'signedOut' || e.kind === 'reauth') listeners.forEach((f) => f(e));
  return e;
}

/** request runs a query or mutation; it retries once after refreshing an expired cookie session. */
export async function request<R, V>(doc: TypedDocumentString<R, V>, variables?: V, retried = false): Promise<R> {
  let res: Response;
  try {
    res = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...session.headers() },
      body: JSON.stringify({ query: doc.toString(), variables: variables ?? {} }),
    });
  } catch {
    throw new ApiError('offline', 'network unreachable');
  }
  let body: { data?: R; errors?: GraphQLError[] } = {};
  try {
    body = await res.json();
  } catch {
    throw report(httpError(res));
  }
  if (body.errors?.length) {
    const err = fromGraphQL(body.errors);
    if (err.kind === 'signedOut' && !retried && (await session.refresh())) {
      return request(doc, variables, true);
    }
    throw report(err);
  }
  if (!res.ok || !body.data) throw report(httpError(res));
  return body.data;
}

function httpError(res: Response): ApiError {
  if (res.status === 401) return new ApiError('signedOut', 'signed out');
  if (res.status === 429) return new ApiError('rateLimited', 'rate limited', Number(res.headers.get('retry-after') ?? 0));
  if (res.status === 502 || res.status === 503 || res.status === 504) return new ApiError('offline', 'server unreachable');
  return new ApiError('server', `HTTP ${res.status}`);
}

let ws: Client | null = null;

function wsClient(): Client {
  if (!ws) {
    const url = new URL('/graphql', location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    ws = createClient({
      url: url.href,
      lazy: true,
      // The token is read at each (re)connection, so a refreshed session is used.
      connectionParams: () => session.headers(),
      retryAttempts: 5,
      shouldRetry: () => true,
      // The server closes a socket when its access token expires: renew the
      // cookie session before reconnecting, then back off.
      retryWait: async (retries) => {
        await session.refresh();
        await new Promise((r) => setTimeout(r, Math.min(1000 * 2 ** retries, 10_000) * (0.5 + Math.random() / 2)));
      },
    });
  }
  return ws;
}

/** resetSubscriptions drops the websocket (on sign-out or a new token). */
export function resetSubscriptions() {
  ws?.dispose();
  ws = null;
}

/**
 * subscribe follows a subscription; next gets each event, done is called
 * once when it ends (with the error that ended it, if any). The returned
 * function stops it.
 */
export function subscribe<R, V>(
  doc: TypedDocumentString<R, V>,
  variables: V,
  next: (data: R) => void,
  done: (err?: ApiError) => void,
): () => void {
  return wsClient().subscribe<R>(
    { query: doc.toString(), variables: variables as Record<string, unknown> },
    {
      next: (v) => {
        if (v.errors?.length) done(report(fromGraphQL(v.errors as GraphQLError[])));
        else if (v.data) next(v.data);
      },
      error: (e) => {
        if (Array.isArray(e)) done(report(fromGraphQL(e as GraphQLError[])));
        else if (e instanceof CloseEvent && e.code === 4403) done(report(new ApiError('signedOut', 'signed out')));
        else done(new ApiError(navigator.onLine ? 'server' : 'offline', 'the live connection was lost'));
      },
      complete: () => done(),
    },
  );
}
