import { useEffect, useState } from 'preact/hooks';
import type { MeQuery } from './gql/graphql';
import { go, href, useRoute, type Route } from './route';
import { Chat } from './Chat';
import { History } from './History';
import { SyncPanel } from './SyncPanel';
import { Browse } from './Browse';
import { Reader } from './Reader';
import { Search } from './Search';
import { Problem } from './Problem';
import { ApiError } from './api';

const sections: { view: 'chat' | 'mail' | 'calendar' | 'files'; label: string }[] = [
  { view: 'chat', label: 'Ask' },
  { view: 'mail', label: 'Mail' },
  { view: 'calendar', label: 'Calendar' },
  { view: 'files', label: 'Files' },
];

export function Shell({ me, onSignOut }: { me: MeQuery['me']; onSignOut: () => void }) {
  const route = useRoute();
  const [sideOpen, setSideOpen] = useState(false);
  const online = useOnline();
  const [reauth, setReauth] = useState(false);
  // A conversation started in the chat shows up in the history at once.
  const [historyVersion, setHistoryVersion] = useState(0);
  useEffect(() => setSideOpen(false), [route]);
  // "/" jumps to the search box, as on most sites with one.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) return;
      e.preventDefault();
      document.getElementById('q')?.focus();
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);

  return (
    <div class="shell">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <button
          type="button"
          class="menu"
          aria-expanded={sideOpen}
          aria-controls="side"
          onClick={() => setSideOpen(!sideOpen)}
        >
          <span aria-hidden="true">☰</span>
          <span class="sr">History and sync</span>
        </button>
        <a class="brand" href="#/chat">
          Orchestrator
        </a>
        <SearchBox initial={route.view === 'search' ? route.q : ''} />
        <div class="user">
          <span class="who" title={me.email}>
            {me.displayName || me.email}
          </span>
          <button type="button" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <nav class="tabs" aria-label="Sections">
        {sections.map((s) => (
          <a key={s.view} href={href({ view: s.view } as Route)} aria-current={route.view === s.view ? 'page' : undefined}>
            {s.label}
          </a>
        ))}
      </nav>
      {!online && <Problem error={new ApiError('offline', 'offline')} />}
      {(me.needsReauth || reauth) && <Problem error={new ApiError('reauth', 'reauth')} />}
      <div class="body">
        <aside
          id="side"
          class={sideOpen ? 'side open' : 'side'}
          aria-label="History and sync"
          onKeyDown={(e) => e.key === 'Escape' && setSideOpen(false)}
        >
          <button type="button" class="close small" onClick={() => setSideOpen(false)}>
            Close
          </button>
          <History active={route.view === 'chat' ? route.id : undefined} version={historyVersion} />
          <SyncPanel me={me} onReauth={setReauth} />
        </aside>
        <main id="main" tabIndex={-1}>
          <View route={route} onConversation={() => setHistoryVersion((v) => v + 1)} />
        </main>
      </div>
    </div>
  );
}

function View({ route, onConversation }: { route: Route; onConversation: () => void }) {
  switch (route.view) {
    case 'chat':
      return <Chat conversationId={route.id} onConversation={onConversation} />;
    case 'mail':
    case 'calendar':
    case 'files':
      return <Browse key={route.view} kind={route.view} />;
    case 'item':
      return <Reader id={route.id} />;
    case 'search':
      return <Search q={route.q} />;
  }
}

function SearchBox({ initial }: { initial: string }) {
  const [q, setQ] = useState(initial);
  useEffect(() => setQ(initial), [initial]);
  return (
    <form
      role="search"
      class="searchbox"
      onSubmit={(e) => {
        e.preventDefault();
        if (q.trim()) go({ view: 'search', q: q.trim() });
      }}
    >
      <label class="sr" for="q">
        Search mail, events and files
      </label>
      <input id="q" type="search" placeholder="Search mail, events and files" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
      <button type="submit">Search</button>
    </form>
  );
}

function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    addEventListener('online', up);
    addEventListener('offline', down);
    return () => {
      removeEventListener('online', up);
      removeEventListener('offline', down);
    };
  }, []);
  return online;
}
