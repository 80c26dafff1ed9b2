import { useEffect, useRef, useState } from 'preact/hooks';
import { request, subscribe } from './api';
import { AnswerSubscription, AskMutation, CancelAskMutation, ConfirmActionMutation, ConversationQuery, RejectActionMutation } from './queries';
import type { ActionFieldsFragment, AnswerSubscription as AnswerEvents, ConversationQuery as Conv, MessageStatus, StepFieldsFragment } from './gql/graphql';
import { go, href } from './route';
import { serviceName } from './format';
import { Problem } from './Problem';

type Citation = { service: string; itemId: string; title: string; url: string };
type Step = { stepId: string; label: string; result?: StepFieldsFragment };

/** One ask and its answer as it streams in. */
type Turn = {
  id: string;
  query: string;
  status: MessageStatus;
  progress: string;
  steps: Step[];
  text: string;
  actions: ActionFieldsFragment[];
  citations: Citation[];
  error: string;
  seq: number;
};

const running = (s: MessageStatus) => s === 'PENDING' || s === 'RUNNING';

function fromMessage(m: Conv['conversation']['messages']['edges'][number]['node']): Turn {
  const label = (id: string) => {
    const p = m.plan.find((x) => x.id === id);
    return p ? `${serviceName[p.service]}: ${p.operation}` : id;
  };
  return {
    id: m.id,
    query: m.query,
    status: m.status,
    progress: '',
    steps: m.stepResults.map((r) => ({ stepId: r.stepId, label: label(r.stepId), result: r })),
    text: m.response,
    actions: m.actions,
    citations: m.citations,
    error: m.error,
    seq: 0,
  };
}

/** loadAll reads a conversation's messages, oldest first, page after page. */
async function loadAll(id: string): Promise<Turn[]> {
  const turns: Turn[] = [];
  let after: string | null = null;
  for (;;) {
    const d: Conv = await request(ConversationQuery, { id, after });
    const page = d.conversation.messages;
    turns.push(...page.edges.map((e) => fromMessage(e.node)));
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return turns;
    after = page.pageInfo.endCursor;
  }
}

/** apply folds one answer event into its turn. */
function apply(t: Turn, e: AnswerEvents['answer']): Turn {
  if (e.seq > 0 && e.seq <= t.seq) return t; // already seen (a replay after reconnecting)
  t = { ...t, seq: Math.max(t.seq, e.seq) };
  switch (e.type) {
    case 'STATUS': {
      // A step's progress shows in the step list; the line below it says the rest.
      if (!e.stepId) t.progress = e.detail || e.status || '';
      if (t.status === 'PENDING') t.status = 'RUNNING';
      if (e.stepId && !t.steps.some((s) => s.stepId === e.stepId)) {
        t.steps = [...t.steps, { stepId: e.stepId, label: e.detail || e.stepId }];
      }
      return t;
    }
    case 'STEP_RESULT': {
      const r = e.step!;
      const label = `${serviceName[r.service]}: ${r.operation}`;
      t.steps = t.steps.some((s) => s.stepId === r.stepId)
        ? t.steps.map((s) => (s.stepId === r.stepId ? { stepId: s.stepId, label, result: r } : s))
        : [...t.steps, { stepId: r.stepId, label, result: r }];
      return t;
    }
    case 'TOKEN':
      t.text += e.token ?? '';
      t.progress = '';
      return t;
    case 'ACTION_PROPOSED':
      t.actions = upsert(t.actions, e.action!);
      return t;
    case 'DONE':
      t.text = e.text ?? t.text;
      t.citations = e.citations ?? t.citations;
      t.status = e.messageStatus ?? 'DONE';
      t.progress = '';
      return t;
    case 'ERROR':
      t.error = e.error ?? 'The ask failed.';
      t.status = e.messageStatus ?? 'FAILED';
      t.progress = '';
      return t;
  }
  return t;
}

function upsert(list: ActionFieldsFragment[], a: ActionFieldsFragment): ActionFieldsFragment[] {
  return list.some((x) => x.id === a.id) ? list.map((x) => (x.id === a.id ? a : x)) : [...list, a];
}

export function Chat({ conversationId, onConversation }: { conversationId?: string; onConversation: () => void }) {
  const [turns, setTurns] = useState<Turn[]>([]);
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(false);
  const [draft, setDraft] = useState('');
  const subs = useRef(new Map<string, () => void>());
  // The conversation this component created: its turns are already here.
  const own = useRef<string | undefined>(undefined);
  const box = useRef<HTMLDivElement>(null);
  // Follow the stream to the bottom unless the person scrolled up to read.
  const stick = useRef(true);
  const input = useRef<HTMLTextAreaElement>(null);

  const update = (id: string, f: (t: Turn) => Turn) => setTurns((ts) => ts.map((t) => (t.id === id ? f(t) : t)));

  const follow = (id: string) => {
    if (subs.current.has(id)) return;
    const stop = subscribe(
      AnswerSubscription,
      { messageId: id },
      (d) => update(id, (t) => apply(t, d.answer)),
      (err) => {
        subs.current.delete(id);
        if (err) update(id, (t) => (running(t.status) ? { ...t, error: 'The live answer was interrupted; reload the conversation to see it.', progress: '' } : t));
      },
    );
    subs.current.set(id, stop);
  };

  useEffect(() => () => subs.current.forEach((stop) => stop()), []);

  useEffect(() => {
    setError(undefined);
    if (conversationId && conversationId === own.current) return;
    subs.current.forEach((stop) => stop());
    subs.current.clear();
    own.current = conversationId;
    setTurns([]);
    if (!conversationId) {
      input.current?.focus();
      return;
    }
    setLoading(true);
    loadAll(conversationId).then(
      (ts) => {
        setLoading(false);
        setTurns(ts.map((t) => (running(t.status) ? { ...t, text: '', steps: [] } : t)));
        ts.filter((t) => running(t.status)).forEach((t) => follow(t.id));
      },
      (e) => {
        setLoading(false);
        setError(e);
      },
    );
  }, [conversationId]);

  useEffect(() => {
    const el = box.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [turns]);

  const busy = turns.find((t) => running(t.status));

  const ask = async (query: string) => {
    setError(undefined);
    try {
      const d = await request(AskMutation, {
        input: { query, conversationId: own.current ?? null, clientRequestId: crypto.randomUUID?.() ?? String(Date.now()) },
      });
      const m = d.ask.message;
      setTurns((ts) => [...ts, { id: m.id, query: m.query, status: m.status, progress: 'Starting…', steps: [], text: '', actions: [], citations: [], error: '', seq: 0 }]);
      follow(m.id);
      stick.current = true;
      if (own.current !== d.ask.conversation.id) {
        own.current = d.ask.conversation.id;
        go({ view: 'chat', id: d.ask.conversation.id });
      }
      onConversation();
      setDraft('');
    } catch (e) {
      setError(e);
    }
  };

  const decide = async (t: Turn, a: ActionFieldsFragment, confirm: boolean) => {
    update(t.id, (x) => ({ ...x, actions: upsert(x.actions, { ...a, status: a.status, result: confirm ? 'Working…' : '' }) }));
    try {
      const vars = { messageId: t.id, actionId: a.id };
      const next = confirm
        ? (await request(ConfirmActionMutation, vars)).confirmAction.action
        : (await request(RejectActionMutation, vars)).rejectAction.action;
      update(t.id, (x) => ({ ...x, actions: upsert(x.actions, next) }));
    } catch (e) {
      update(t.id, (x) => ({ ...x, actions: upsert(x.actions, a) }));
      setError(e);
    }
  };

  const cancel = (t: Turn) =>
    request(CancelAskMutation, { messageId: t.id }).then(
      (d) => update(t.id, (x) => ({ ...x, status: d.cancelAsk.message.status, progress: '' })),
      setError,
    );

  return (
    <div class="chat">
      <h1 class="sr">Ask</h1>
      <div
        class="turns"
        ref={box}
        role="log"
        aria-label="Conversation"
        aria-busy={!!busy}
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
        }}
      >
        {loading && <p role="status">Loading the conversation…</p>}
        {!loading && !turns.length && !conversationId && <Welcome onPick={ask} />}
        {turns.map((t) => (
          <TurnView key={t.id} turn={t} onDecide={(a, ok) => decide(t, a, ok)} />
        ))}
      </div>
      {error ? <Problem error={error} /> : null}
      <form
        class="composer"
        onSubmit={(e) => {
          e.preventDefault();
          if (draft.trim() && !busy) ask(draft.trim());
        }}
      >
        <label for="ask" class="sr">
          {turns.length ? 'Ask a follow-up' : 'Ask about your mail, calendar and files'}
        </label>
        <textarea
          id="ask"
          ref={input}
          rows={2}
          placeholder={turns.length ? 'Ask a follow-up…' : 'Ask about your mail, calendar and files…'}
          value={draft}
          onInput={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              e.currentTarget.form?.requestSubmit();
            }
          }}
        />
        {busy ? (
          <button type="button" class="danger" onClick={() => cancel(busy)}>
            Stop
          </button>
        ) : (
          <button type="submit" class="primary" disabled={!draft.trim()}>
            Send
          </button>
        )}
      </form>
    </div>
  );
}

const examples = ['What is on my calendar next week?', 'Emails about the budget from last month', 'Find the latest design documents'];

function Welcome({ onPick }: { onPick: (q: string) => void }) {
  return (
    <div class="welcome">
      <h2>What would you like to know?</h2>
      <p class="muted">Ask about your mail, calendar and files. Anything that would send, change or share is shown to you first.</p>
      <ul class="examples">
        {examples.map((q) => (
          <li key={q}>
            <button type="button" onClick={() => onPick(q)}>
              {q}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

const stepState: Record<string, string> = { SUCCEEDED: 'done', FAILED: 'failed', SKIPPED: 'skipped', CANCELLED: 'cancelled' };

function TurnView({ turn: t, onDecide }: { turn: Turn; onDecide: (a: ActionFieldsFragment, ok: boolean) => void }) {
  // Citations open the cached item in the reader, found through the step that read it.
  const nodes = new Map<string, string>();
  t.steps.forEach((s) => s.result?.items.forEach((i) => i.nodeId && nodes.set(i.itemId, i.nodeId)));
  const live = running(t.status);
  return (
    <article class="turn" aria-label={`Ask: ${t.query}`}>
      <p class="you">
        <span class="sr">You asked: </span>
        {t.query}
      </p>
      <div class="assistant">
        {t.steps.length > 0 && (
          <details class="steps" open={live}>
            <summary>
              {t.steps.length} step{t.steps.length > 1 ? 's' : ''}
            </summary>
            <ol>
              {t.steps.map((s) => (
                <li key={s.stepId} class={`step ${s.result ? stepState[s.result.status] : 'running'}`}>
                  <span>{s.label}</span>{' '}
                  <span class="muted small">
                    {!s.result
                      ? 'running…'
                      : s.result.status === 'SUCCEEDED'
                        ? `${s.result.items.length} item${s.result.items.length === 1 ? '' : 's'} · ${Math.round(s.result.durationMs)} ms`
                        : `${stepState[s.result.status]}${s.result.error || s.result.reason ? ': ' + (s.result.error || s.result.reason) : ''}`}
                  </span>
                </li>
              ))}
            </ol>
          </details>
        )}
        {live && t.progress && (
          <p class="progress muted" role="status">
            {t.progress}
          </p>
        )}
        <div class="answer" aria-live="polite" aria-busy={live}>
          <Cited text={t.text} citations={t.citations} nodes={nodes} />
          {live && t.text && <span class="cursor" aria-hidden="true" />}
        </div>
        {t.actions.map((a) => (
          <ActionCard key={a.id} action={a} onDecide={(ok) => onDecide(a, ok)} />
        ))}
        {t.citations.length > 0 && (
          <div class="citations">
            <h3 class="small">Sources</h3>
            <ul>
              {t.citations.map((c) => {
                const id = nodes.get(c.itemId);
                return (
                  <li key={c.itemId}>
                    {id ? (
                      <a href={href({ view: 'item', id })}>{c.title || c.itemId}</a>
                    ) : c.url ? (
                      <a href={c.url} target="_blank" rel="noreferrer">
                        {c.title || c.itemId}
                      </a>
                    ) : (
                      c.title
                    )}{' '}
                    <span class="muted small">{serviceName[c.service as keyof typeof serviceName] ?? c.service}</span>
                  </li>
                );
              })}
            </ul>
          </div>
        )}
        {t.status === 'CANCELLED' && <p class="muted">Stopped.</p>}
        {t.status === 'FAILED' && t.error && (
          <p class="problem" role="alert">
            <strong>This ask failed.</strong> {t.error}
          </p>
        )}
      </div>
    </article>
  );
}

/** Cited renders the answer with its [n] markers linked to the nth citation's item. */
function Cited({ text, citations, nodes }: { text: string; citations: Citation[]; nodes: Map<string, string> }) {
  const parts = text.split(/(\[\d+\])/);
  return (
    <>
      {parts.map((p, i) => {
        const n = /^\[(\d+)\]$/.exec(p);
        const c = n ? citations[Number(n[1]) - 1] : undefined;
        const id = c && nodes.get(c.itemId);
        return id ? (
          <a key={i} href={href({ view: 'item', id })} title={c.title} aria-label={`source ${n![1]}: ${c.title}`}>
            {p}
          </a>
        ) : (
          p
        );
      })}
    </>
  );
}

const actionVerb: Record<string, string> = {
  SEND_EMAIL: 'Send email',
  CREATE_EVENT: 'Create event',
  UPDATE_EVENT: 'Change event',
  DELETE_EVENT: 'Delete event',
  SHARE_FILE: 'Share file',
};

function ActionCard({ action: a, onDecide }: { action: ActionFieldsFragment; onDecide: (ok: boolean) => void }) {
  const working = a.status === 'PROPOSED' && a.result === 'Working…';
  return (
    <section class={`action action-${a.status.toLowerCase()}`} aria-label={`Proposed action: ${actionVerb[a.kind] ?? a.kind}`}>
      <h3>{actionVerb[a.kind] ?? a.kind}</h3>
      <p class="summary">{a.summary}</p>
      {a.status === 'PROPOSED' && (
        <div class="buttons">
          <button type="button" class="primary" disabled={working} onClick={() => onDecide(true)}>
            {working ? 'Working…' : 'Confirm'}
          </button>
          <button type="button" disabled={working} onClick={() => onDecide(false)}>
            Reject
          </button>
        </div>
      )}
      <p role="status" class="outcome">
        {a.status === 'EXECUTED' && <>Done{a.result ? `: ${a.result}` : '.'}</>}
        {a.status === 'REJECTED' && 'Rejected: nothing was done.'}
        {a.status === 'FAILED' && (
          <>
            It failed: {a.error}{' '}
            <button type="button" class="small" onClick={() => onDecide(true)}>
              Try again
            </button>
          </>
        )}
      </p>
    </section>
  );
}
