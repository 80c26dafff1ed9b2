import { NodeQuery } from './queries';
import { useQuery } from './useQuery';
import { fileKind, person, when } from './format';
import { Problem } from './Problem';

/** Reader shows one email, event or file in full. */
export function Reader({ id }: { id: string }) {
  const { data, error, loading, reload } = useQuery(NodeQuery, { id });
  const n = data?.node;
  return (
    <article class="reader">
      <button type="button" class="small" onClick={() => history.back()}>
        ← Back
      </button>
      {loading && <p role="status">Loading…</p>}
      {error ? <Problem error={error} retry={reload} /> : null}
      {n?.__typename === 'Email' && (
        <>
          <h1>{n.subject || '(no subject)'}</h1>
          <dl class="facts">
            <dt>From</dt>
            <dd>{person(n.from)}</dd>
            {n.to.length > 0 && (
              <>
                <dt>To</dt>
                <dd>{n.to.map(person).join(', ')}</dd>
              </>
            )}
            {n.cc.length > 0 && (
              <>
                <dt>Cc</dt>
                <dd>{n.cc.map(person).join(', ')}</dd>
              </>
            )}
            <dt>Received</dt>
            <dd>{when(n.receivedAt)}</dd>
            {n.labels.length > 0 && (
              <>
                <dt>Labels</dt>
                <dd>{n.labels.join(', ')}</dd>
              </>
            )}
          </dl>
          <div class="body-text">{n.body}</div>
        </>
      )}
      {n?.__typename === 'Event' && (
        <>
          <h1>{n.title || '(no title)'}</h1>
          <dl class="facts">
            <dt>When</dt>
            <dd>
              {when(n.start, n.allDay)} – {when(n.end, n.allDay)} {n.timeZone && <span class="muted">({n.timeZone})</span>}
            </dd>
            {n.location && (
              <>
                <dt>Where</dt>
                <dd>{n.location}</dd>
              </>
            )}
            <dt>Organiser</dt>
            <dd>{n.organizer}</dd>
            <dt>Status</dt>
            <dd>{n.status}</dd>
          </dl>
          {n.attendees.length > 0 && (
            <>
              <h2>Attendees</h2>
              <ul>
                {n.attendees.map((a) => (
                  <li key={a.email}>
                    {a.name ? `${a.name} <${a.email}>` : a.email} <span class="muted small">{a.responseStatus}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
          {n.description && <div class="body-text">{n.description}</div>}
        </>
      )}
      {n?.__typename === 'File' && (
        <>
          <h1>{n.name}</h1>
          <dl class="facts">
            <dt>Type</dt>
            <dd>{fileKind(n.mimeType)}</dd>
            <dt>Owners</dt>
            <dd>{n.owners.join(', ')}</dd>
            <dt>Modified</dt>
            <dd>{when(n.modifiedAt)}</dd>
            {n.properties.map((p) => (
              <>
                <dt>{p.key}</dt>
                <dd>{p.value}</dd>
              </>
            ))}
          </dl>
          <div class="body-text">{n.preview}</div>
        </>
      )}
    </article>
  );
}
