// How the app proves who the person is. A browser session is an HttpOnly
// cookie the server sets at sign-in (Google or the demo user), refreshed at
// /auth/refresh; an operator may instead paste a token minted by
// `orchestrator token`, kept for this tab only.
const tokenKey = 'orchestrator.token';

/** The server's sign-in endpoints. */
export const endpoints = {
  google: '/auth/google/login',
  demo: '/auth/demo',
  refresh: '/auth/refresh',
  logout: '/auth/logout',
};

/** demoUser is the address the server offers a one-click demo entry as; empty when not in demo mode. */
export function demoUser(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="orchestrator-demo-user"]')?.content ?? '';
}

async function renew(): Promise<boolean> {
  try {
    const res = await fetch(endpoints.refresh, { method: 'POST', credentials: 'same-origin' });
    return res.ok;
  } catch {
    return false;
  }
}

class Session {
  private token = sessionStorage.getItem(tokenKey) ?? '';

  headers(): Record<string, string> {
    return this.token ? { Authorization: `Bearer ${this.token}` } : {};
  }

  useToken(token: string) {
    this.token = token.trim().replace(/^Bearer\s+/i, '');
    sessionStorage.setItem(tokenKey, this.token);
  }

  private refreshing: Promise<boolean> | null = null;

  /**
   * refresh renews a cookie session; false when there is none to renew.
   * Refresh tokens are single-use and the server revokes the whole session
   * when one is presented twice, so every caller shares one refresh at a
   * time, and tabs take turns (Web Locks) so each sends the newest cookie.
   */
  refresh(): Promise<boolean> {
    if (this.token) return Promise.resolve(false);
    this.refreshing ??= (navigator.locks ? navigator.locks.request('orchestrator-refresh', renew) : renew()).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** enterDemo signs in as the demo user; the error says why not. */
  async enterDemo(): Promise<void> {
    let res: Response;
    try {
      res = await fetch(endpoints.demo, { method: 'POST', credentials: 'same-origin' });
    } catch {
      throw new Error('You are offline: check your connection and try again.');
    }
    if (!res.ok) {
      if (res.status === 404) throw new Error('Demo mode is off on this server.');
      const body = await res.json().catch(() => ({}));
      const msg: string = body?.errors?.[0]?.message ?? body?.error?.message ?? body?.message ?? '';
      throw new Error(msg ? `Demo sign-in failed: ${msg}` : `Demo sign-in failed (HTTP ${res.status}); try again.`);
    }
    this.forget();
  }

  async signOut(): Promise<void> {
    const hadToken = !!this.token;
    this.forget();
    if (!hadToken) {
      await fetch(endpoints.logout, { method: 'POST', credentials: 'same-origin' }).catch(() => undefined);
    }
  }

  private forget() {
    this.token = '';
    sessionStorage.removeItem(tokenKey);
  }
}

export const session = new Session();
