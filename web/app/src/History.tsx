import { useEffect, useState } from 'preact/hooks';
import { request } from './api';
import { ConversationsQuery } from './queries';
import type { ConversationsQuery as Page } from './gql/graphql';
import { useQuery } from './useQuery';
import { ago } from './format';
import { href } from './route';
import { Problem } from './Problem';

/** History lists the person's conversations, most recent first. */
export function History({ active, version }: { active?: string; version: number }) {
  const { data, error, reload } = useQuery(ConversationsQuery, { first: 30 });
  // Older pages, fetched on "Show older"; dropped when the first page reloads.
  const [more, setMore] = useState<Page['conversations'][]>([]);
  const [moreError, setMoreError] = useState<unknown>();
  useEffect(() => {
    if (version) reload();
  }, [version]);
  useEffect(() => setMore([]), [data]);
  const last = more.at(-1) ?? data?.conversations;
  const edges = [data?.conversations, ...more].flatMap((p) => p?.edges ?? []);
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
      {moreError ? <Problem error={moreError} /> : null}
      {last?.pageInfo.hasNextPage && (
        <button
          type="button"
          class="small"
          onClick={() =>
            request(ConversationsQuery, { first: 30, after: last.pageInfo.endCursor }).then(
              (d) => setMore((m) => [...m, d.conversations]),
              setMoreError,
            )
          }
        >
          Show older
        </button>
      )}
    </section>
  );
}
