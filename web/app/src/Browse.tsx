import { useEffect, useRef, useState } from 'preact/hooks';
import { request } from './api';
import { EmailsQuery, EventsQuery, FilesQuery } from './queries';
import type { EmailFilter, EventFilter, FileFilter } from './gql/graphql';
import { fileKind, fileTypes, person, when } from './format';
import { href } from './route';
import { Problem } from './Problem';

type Kind = 'mail' | 'calendar' | 'files';
type Row = { id: string; title: string; meta: string; snippet: string; unread?: boolean };
type Filters = { words: string; from: string; labels: string; attendees: string; owner: string; type: string; after: string; before: string; unread: boolean; attachment: boolean };

const empty: Filters = { words: '', from: '', labels: '', attendees: '', owner: '', type: '', after: '', before: '', unread: false, attachment: false };
const pageSize = 25;

/** initial is what a list starts with: the calendar from today on, the rest everything. */
function initial(kind: Kind): Filters {
  if (kind !== 'calendar') return empty;
  const d = new Date();
  const today = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  return { ...empty, after: today };
}
const titles: Record<Kind, string> = { mail: 'Mail', calendar: 'Calendar', files: 'Files' };

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
const day = (s: string, end = false) => (s ? new Date(`${s}T00:00:00`).getTime() + (end ? 86400000 : 0) : 0);
const iso = (ms: number) => (ms ? new Date(ms).toISOString() : null);

/** page fetches one page of a connection as display rows. */
async function page(kind: Kind, f: Filters, after: string | null): Promise<{ rows: Row[]; next: string | null; total: number }> {
  const common = { after: iso(day(f.after)), before: iso(day(f.before, true)), query: f.words || null };
  if (kind === 'mail') {
    const filter: EmailFilter = { ...common, from: list(f.from).length ? list(f.from) : null, labels: list(f.labels).length ? list(f.labels).map((l) => l.toUpperCase()) : null, unread: f.unread || null, hasAttachment: f.attachment || null };
    const d = (await request(EmailsQuery, { filter, first: pageSize, after })).emails;
    return {
      rows: d.edges.map(({ node: m }) => ({ id: m.id, title: m.subject || '(no subject)', meta: `${person(m.from)} · ${when(m.receivedAt)}`, snippet: m.snippet, unread: m.unread })),
      next: d.pageInfo.hasNextPage ? d.pageInfo.endCursor ?? null : null,
      total: d.totalCount,
    };
  }
  if (kind === 'calendar') {
    const filter: EventFilter = { ...common, attendees: list(f.attendees).length ? list(f.attendees) : null };
    const d = (await request(EventsQuery, { filter, first: pageSize, after })).events;
    return {
      rows: d.edges.map(({ node: e }) => ({ id: e.id, title: e.title || '(no title)', meta: `${when(e.start, e.allDay)}${e.location ? ' · ' + e.location : ''}`, snippet: e.attendees.map((a) => a.name || a.email).join(', ') })),
      next: d.pageInfo.hasNextPage ? d.pageInfo.endCursor ?? null : null,
      total: d.totalCount,
    };
  }
  const filter: FileFilter = { ...common, mimeTypes: f.type ? [f.type] : null, owners: list(f.owner).length ? list(f.owner) : null };
  const d = (await request(FilesQuery, { filter, first: pageSize, after })).files;
  return {
    rows: d.edges.map(({ node: x }) => ({ id: x.id, title: x.name, meta: `${fileKind(x.mimeType)} · ${when(x.modifiedAt)} · ${x.owners.join(', ')}`, snippet: x.preview })),
    next: d.pageInfo.hasNextPage ? d.pageInfo.endCursor ?? null : null,
    total: d.totalCount,
  };
}

/**
 * Browse lists mail, events or files with filters, loading more pages as the
 * end comes into view. Mount it keyed by kind: each list starts afresh.
 */
export function Browse({ kind }: { kind: Kind }) {
  const [filters, setFilters] = useState<Filters>(() => initial(kind));
  const [applied, setApplied] = useState<Filters>(() => initial(kind));
  const [rows, setRows] = useState<Row[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>();
  const sentinel = useRef<HTMLDivElement>(null);
  const gen = useRef(0); // drops pages of an older filter that arrive late

  const load = async (after: string | null) => {
    const g = gen.current;
    setLoading(true);
    setError(undefined);
    try {
      const p = await page(kind, applied, after);
      if (g !== gen.current) return;
      setRows((r) => (after ? [...r, ...p.rows] : p.rows));
      setNext(p.next);
      setTotal(p.total);
    } catch (e) {
      if (g === gen.current) setError(e);
    } finally {
      if (g === gen.current) setLoading(false);
    }
  };

  useEffect(() => {
    gen.current++;
    setRows([]);
    setNext(null);
    setTotal(null);
    load(null);
  }, [kind, applied]);

  useEffect(() => {
    const el = sentinel.current;
    if (!el || !next || loading || error) return;
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && load(next), { rootMargin: '300px' });
    io.observe(el);
    return () => io.disconnect();
  }, [next, loading, error]);

  const set = (k: keyof Filters) => (e: Event) => {
    const t = e.currentTarget as HTMLInputElement;
    setFilters({ ...filters, [k]: t.type === 'checkbox' ? t.checked : t.value });
  };
  const field = (k: keyof Filters, label: string, type: 'text' | 'date' = 'text', placeholder = '') => (
    <label class="field">
      <span>{label}</span>
      {type === 'date' ? (
        <input type="date" name={k} value={filters[k] as string} onInput={set(k)} />
      ) : (
        <input type="text" name={k} value={filters[k] as string} placeholder={placeholder} onInput={set(k)} />
      )}
    </label>
  );

  return (
    <div class="browse">
      <h1>{titles[kind]}</h1>
      <form
        class="filters"
        aria-label={`Filter ${titles[kind].toLowerCase()}`}
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(filters);
        }}
      >
        {field('words', 'Words', 'text', 'Any words')}
        {kind === 'mail' && field('from', 'From', 'text', 'name@example.com')}
        {kind === 'mail' && field('labels', 'Labels', 'text', 'INBOX, IMPORTANT')}
        {kind === 'calendar' && field('attendees', 'Attendees', 'text', 'name@example.com')}
        {kind === 'files' && (
          <label class="field">
            <span>File type</span>
            <select name="type" value={filters.type} onChange={set('type')}>
              {fileTypes.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          </label>
        )}
        {kind === 'files' && field('owner', 'Owner', 'text', 'name@example.com')}
        {field('after', 'From date', 'date')}
        {field('before', 'To date', 'date')}
        {kind === 'mail' && (
          <>
            <label class="check">
              <input type="checkbox" name="unread" checked={filters.unread} onChange={set('unread')} /> Unread
            </label>
            <label class="check">
              <input type="checkbox" name="attachment" checked={filters.attachment} onChange={set('attachment')} /> Has attachment
            </label>
          </>
        )}
        <div class="buttons">
          <button type="submit" class="primary">
            Apply
          </button>
          <button
            type="button"
            onClick={() => {
              setFilters(empty);
              setApplied(empty);
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <p class="muted small" role="status">
        {total === null ? 'Loading…' : `${rows.length} of ${total.toLocaleString()} shown`}
      </p>
      <ul class="items" aria-label={titles[kind]}>
        {rows.map((r) => (
          <li key={r.id} class={r.unread ? 'unread' : undefined}>
            <a href={href({ view: 'item', id: r.id })}>
              <span class="title">{r.title}</span>
              <span class="meta muted small">{r.meta}</span>
              {r.snippet && <span class="snippet small">{r.snippet}</span>}
            </a>
          </li>
        ))}
      </ul>
      {error ? <Problem error={error} retry={() => load(next)} /> : null}
      <div ref={sentinel} class="sentinel">
        {next && !error && (
          <button type="button" disabled={loading} onClick={() => load(next)}>
            {loading ? 'Loading…' : 'Load more'}
          </button>
        )}
        {!next && total !== null && rows.length > 0 && <p class="muted small">That is all.</p>}
        {!next && total === 0 && <p class="muted">Nothing matches.</p>}
      </div>
    </div>
  );
}
