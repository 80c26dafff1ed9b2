import { useEffect } from 'preact/hooks';
import { ConversationsQuery } from './queries';
import { useQuery } from './useQuery';
import { ago } from './format';
import { href } from './route';
import { Problem } from './Problem';

/** History lists the person's conversations, most recent first. */
export function History({ active, version }: { active?: string; version: number }) {
  const { data, error, reload } = useQuery(ConversationsQuery, { first: 30 });
  useEffect(() => {
    if (version) reload();
  }, [version]);
  const edges = data?.conversations.edges ?? [];
  return (
    <section class="history" aria-labelledby="history-h">
      <div class="section-head">
        <h2 id="history-h">Conversations</h2>
        <a class="button small" href="#/chat">
          New chat
        </a>
      </div>
      {error ? <Problem error={error} retry={reload} /> : null}
      {data && !edges.length && <p class="muted">No conversations yet.</p>}
      <ul>
        {edges.map(({ node: c }) => (
          <li key={c.id}>
            <a href={href({ view: 'chat', id: c.id })} aria-current={c.id === active ? 'page' : undefined}>
              <span class="title">{c.title || 'Untitled'}</span>
              <span class="muted small">{ago(c.updatedAt)}</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
