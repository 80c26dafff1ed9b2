// Hash routes, so the server serves one page at "/" and a link or reload
// lands where it points: #/chat/ID, #/mail, #/calendar, #/files,
// #/item/ID, #/search?q=...
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { view: 'chat'; id?: string }
  | { view: 'mail' | 'calendar' | 'files' }
  | { view: 'item'; id: string }
  | { view: 'search'; q: string };

export function parse(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#\/?/, '').split('?');
  const [head, ...rest] = path.split('/');
  const id = rest.length ? decodeURIComponent(rest.join('/')) : undefined;
  switch (head) {
    case 'mail':
    case 'calendar':
    case 'files':
      return { view: head };
    case 'item':
      if (id) return { view: 'item', id };
      break;
    case 'search':
      return { view: 'search', q: new URLSearchParams(query).get('q') ?? '' };
    case 'chat':
      return { view: 'chat', id };
  }
  return { view: 'chat' };
}

export function href(r: Route): string {
  switch (r.view) {
    case 'chat':
      return r.id ? `#/chat/${encodeURIComponent(r.id)}` : '#/chat';
    case 'item':
      return `#/item/${encodeURIComponent(r.id)}`;
    case 'search':
      return `#/search?${new URLSearchParams({ q: r.q })}`;
    default:
      return `#/${r.view}`;
  }
}

export function go(r: Route) {
  location.hash = href(r);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parse(location.hash));
  useEffect(() => {
    const on = () => setRoute(parse(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}
