import { SearchQuery } from './queries';
import type { SearchQuery as Result } from './gql/graphql';
import { useQuery } from './useQuery';
import { fileKind, person, when } from './format';
import { go, href } from './route';
import { Problem } from './Problem';

type Source = Result['search']['filters']['sources'][number];

const fieldName: Record<string, string> = {
  services: 'In',
  from: 'From',
  to: 'To',
  attendees: 'With',
  labels: 'Label',
  mimeTypes: 'Type',
  after: 'After',
  before: 'Before',
  hasAttachment: 'Attachment',
  unread: 'Unread',
};

const legName: Record<string, string> = { FULLTEXT: 'words', VECTOR: 'meaning', FILTERED: 'filters', IDENTIFIER: 'name or id' };

/** without removes the words that made a filter from the query (the server gives byte offsets). */
export function without(q: string, s: Source): string {
  const b = new TextEncoder().encode(q);
  const dec = new TextDecoder();
  return (dec.decode(b.slice(0, s.start)) + ' ' + dec.decode(b.slice(s.end))).replace(/\s+/g, ' ').trim();
}

/** Search runs the hybrid search and shows the filters it read from the words as removable chips. */
export function Search({ q }: { q: string }) {
  const { data, error, loading, reload } = useQuery(SearchQuery, { query: q, first: 30 }, !q);
  const s = data?.search;
  return (
    <div class="search">
      <h1>Search</h1>
      <p class="muted">
        Results for <q>{q}</q>
      </p>
      {s && s.filters.sources.length > 0 && (
        <div class="chips" role="group" aria-label="Filters read from your words">
          {s.filters.sources.map((src) => (
            <span class="chip" key={`${src.field}-${src.start}`}>
              <span>
                <span class="field-name">{fieldName[src.field] ?? src.field}</span> {src.words}
              </span>
              <button
                type="button"
                aria-label={`Remove filter ${fieldName[src.field] ?? src.field}: ${src.words}`}
                onClick={() => {
                  const rest = without(q, src);
                  if (rest) go({ view: 'search', q: rest });
                }}
              >
                ×
              </button>
            </span>
          ))}
        </div>
      )}
      {error ? <Problem error={error} retry={reload} /> : null}
      {loading && <p role="status">Searching…</p>}
      {s && !s.hits.length && <p>Nothing found. Try fewer words or remove a filter.</p>}
      <ol class="items" aria-label="Search results">
        {s?.hits.map((h, i) => {
          const it = h.item;
          if (!it) return null;
          let title = '';
          let meta = '';
          let snippet = '';
          let kind = '';
          if (it.__typename === 'Email') {
            [kind, title, meta, snippet] = ['Email', it.subject || '(no subject)', `${person(it.from)} · ${when(it.receivedAt)}`, it.snippet];
          } else if (it.__typename === 'Event') {
            [kind, title, meta, snippet] = ['Event', it.title, when(it.start), it.location];
          } else if (it.__typename === 'File') {
            [kind, title, meta, snippet] = [fileKind(it.mimeType), it.name, when(it.modifiedAt), it.preview];
          }
          return (
            <li key={i}>
              <a href={href({ view: 'item', id: (it as { id: string }).id })}>
                <span class="title">
                  <span class="badge">{kind}</span> {title}
                </span>
                <span class="meta muted small">
                  {meta} · matched by {h.legs.map((l) => legName[l.leg] ?? l.leg).join(', ')}
                </span>
                {snippet && <span class="snippet small">{snippet}</span>}
              </a>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
