import { useEffect, useState } from 'preact/hooks';
import { request, subscribe } from './api';
import { SyncNowMutation, SyncProgressSubscription, SyncStatusQuery } from './queries';
import type { MeQuery, Service, SyncStatusesQuery } from './gql/graphql';
import { endpoints } from './session';
import { ago, serviceName } from './format';
import { Problem } from './Problem';

type Status = SyncStatusesQuery['syncStatus'][number];

const stateText: Record<Status['state'], string> = {
  IDLE: 'Up to date',
  RUNNING: 'Syncing…',
  FAILED: 'Sync failed',
  RATE_LIMITED: 'Google asked to wait',
  REAUTH_REQUIRED: 'Needs reconnecting',
  NEVER_SYNCED: 'Not synced yet',
};

/** SyncPanel shows each connected service's sync, live, with "Sync now". */
export function SyncPanel({ me, onReauth }: { me: MeQuery['me']; onReauth: (needed: boolean) => void }) {
  const [statuses, setStatuses] = useState<Status[]>([]);
  const [error, setError] = useState<unknown>();
  const [n, setN] = useState(0);

  useEffect(() => {
    const put = (s: Status) => setStatuses((all) => (all.some((x) => x.service === s.service) ? all.map((x) => (x.service === s.service ? s : x)) : [...all, s]));
    request(SyncStatusQuery).then((d) => setStatuses(d.syncStatus), setError);
    // syncProgress sends every status at once, then each change.
    return subscribe(SyncProgressSubscription, {}, (d) => put(d.syncProgress), (e) => e && setError(e));
  }, [n]);

  // Whether Google needs reconnecting follows the statuses both ways: once a
  // new grant lets a sync run, the warning goes.
  const reauth = statuses.some((s) => s.state === 'REAUTH_REQUIRED');
  useEffect(() => {
    onReauth(reauth);
  }, [reauth]);

  const syncNow = (service: Service) => {
    setError(undefined);
    request(SyncNowMutation, { service }).then(
      (d) => setStatuses((all) => all.map((x) => (x.service === service ? d.syncNow : x))),
      setError,
    );
  };

  return (
    <section class="sync" aria-labelledby="sync-h">
      <h2 id="sync-h">Connected services</h2>
      <p class="small muted account">
        {me.googleConnected ? (
          <>
            Google account <strong>{me.email}</strong> connected{me.scopes.length ? ` (${granted(me.scopes)})` : ''}.
          </>
        ) : (
          <>
            Google is not connected.{' '}
            <a class="button small" href={endpoints.google}>
              Connect Google
            </a>
          </>
        )}
      </p>
      {error ? <Problem error={error} retry={() => { setError(undefined); setN(n + 1); }} /> : null}
      <ul>
        {statuses.map((s) => (
          <li key={s.service} class={`sync-${s.state.toLowerCase()}`} aria-label={`${serviceName[s.service]}: ${stateText[s.state]}`}>
            <div class="sync-line">
              <strong>{serviceName[s.service]}</strong>
              <span class="badge">{stateText[s.state]}</span>
            </div>
            {s.state === 'RUNNING' && <progress aria-label={`${serviceName[s.service]} sync in progress`} />}
            <div class="muted small" aria-live="polite">
              {s.itemCount.toLocaleString()} items · synced {ago(s.lastSyncAt)}
            </div>
            {s.state === 'FAILED' && (
              <details class="small error-text">
                <summary>It is retried by itself.</summary>
                {s.error}
              </details>
            )}
            <button
              type="button"
              class="small"
              disabled={s.state === 'RUNNING' || s.state === 'REAUTH_REQUIRED'}
              onClick={() => syncNow(s.service)}
            >
              Sync now<span class="sr"> {serviceName[s.service]}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** granted names the services the OAuth scopes reach. */
function granted(scopes: string[]): string {
  const names = [
    ['gmail', 'Gmail'],
    ['calendar', 'Calendar'],
    ['drive', 'Drive'],
  ].filter(([k]) => scopes.some((s) => s.includes(k)));
  return names.map(([, n]) => n).join(', ') || 'no services';
}
