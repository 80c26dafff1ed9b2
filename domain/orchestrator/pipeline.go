package orchestrator

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/agent"
	"github.com/workspace-orchestrator/orchestrator/domain/executor"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
	"github.com/workspace-orchestrator/orchestrator/domain/plan"
	"github.com/workspace-orchestrator/orchestrator/domain/synth"
)

// pipeline runs one ask to its end and records the outcome; it never panics
// the process and always ends the event stream with DONE or ERROR. A fresh
// conversation (started by this ask) has no earlier turns to load; loc is
// the user's time zone.
func (o *Orchestrator) pipeline(ctx context.Context, msg domain.Message, fresh bool, loc *time.Location) {
	pub := newPump(context.WithoutCancel(ctx), o.d.Publisher, msg.ID, o.clock, o.log)
	defer pub.close()
	start := msg.CreatedAt
	ms := func(from time.Time) float64 { return float64(o.clock.Now().Sub(from).Microseconds()) / 1000 }
	var (
		t   Timings
		rec Record
	)
	// write stores m, retrying while PostgreSQL is down.
	write := func(m domain.Message) error {
		err := retry(context.WithoutCancel(ctx), o.clock, persistGiveUp, func() error {
			return o.d.Conversations.UpdateMessage(context.WithoutCancel(ctx), m)
		})
		if err != nil {
			o.log.ErrorContext(ctx, "persist message", "message", m.ID, "status", m.Status, "err", err)
		}
		return err
	}
	// The RUNNING mark is written beside the work, not before it: it was a
	// round trip on the way to every first token, and nothing reads it on
	// the way. Every later write waits for it, so it never overwrites the
	// outcome; if it could not be written the outcome still is.
	msg.Status = domain.MessageRunning
	rec.Store(&msg)
	msg.UpdatedAt = o.clock.Now()
	marked := make(chan struct{})
	go func(m domain.Message) {
		defer close(marked)
		_ = write(m) // logged
	}(msg)
	// persist writes the message as it now is: an ask whose outcome cannot
	// be written ends with ERROR, never a DONE that the stored message
	// contradicts.
	persist := func() error {
		<-marked
		rec.Store(&msg)
		msg.UpdatedAt = o.clock.Now()
		return write(msg)
	}
	fail := func(err error) {
		status := domain.EndStatus(err)
		if status == domain.MessageFailed {
			o.log.ErrorContext(ctx, "ask failed", "message", msg.ID, "err", err)
		}
		msg.Status, msg.Error = status, domain.Explain(err)
		t.TotalMS = ms(start)
		rec.Timings = &t
		_ = persist() // logged; the sweep ends the stored message if this failed
		pub.send(Event{Type: EventError, Error: msg.Error, MessageStatus: status})
	}
	defer func() {
		if r := recover(); r != nil {
			o.log.ErrorContext(ctx, "ask panicked", "message", msg.ID, "panic", r)
			fail(fmt.Errorf("internal error"))
		}
	}()
	ended := func(err error) bool {
		if ctx.Err() != nil {
			fail(fmt.Errorf("ask %s: %w", msg.ID, domain.ErrCancelled))
			return true
		}
		if err != nil {
			fail(err)
			return true
		}
		return false
	}

	pub.send(Event{Type: EventStatus, Status: StatusClassifying, Detail: "Understanding the request"})
	phase := o.clock.Now()
	var cc intent.ConversationContext
	if !fresh {
		var err error
		if cc, err = o.conversationContext(ctx, msg.UserID, msg.ConversationID, msg.ID); ended(err) {
			return
		}
	}
	in, err := o.classify(ctx, intent.Request{Query: msg.Query, UserID: msg.UserID, Now: msg.CreatedAt, Location: loc, Context: cc})
	t.ClassifyMS = ms(phase)
	if ended(err) {
		return
	}
	in = zoned(shaped(o.gate(in)), loc)
	rec.Intent = &in

	pub.send(Event{Type: EventStatus, Status: StatusPlanning, Detail: fmt.Sprintf("Planning %d step(s)", len(in.Steps))})
	phase = o.clock.Now()
	p, err := plan.Build(in)
	t.PlanMS = ms(phase)
	if ended(err) {
		return
	}
	rec.Plan = &p
	// Whether the services read are in sync is asked beside the steps, off
	// the way to the answer's end.
	note := make(chan string, 1)
	go func(in intent.Intent) { note <- o.degraded(ctx, msg.UserID, in, loc) }(in) // in may widen meanwhile

	phase = o.clock.Now()
	opts := executor.Options{
		StepTimeout: o.cfg.StepTimeout, Clock: o.clock,
		OnProgress: func(pr executor.Progress) {
			if pr.Kind == executor.StepStarted {
				pub.send(Event{Type: EventStatus, Status: StatusStepStarted, StepID: pr.Step.ID, Detail: stepDetail(pr.Step)})
				return
			}
			pub.send(Event{Type: EventStatus, Status: StatusStepFinished, StepID: pr.Step.ID, Detail: string(pr.Result.Status)})
			pub.send(Event{Type: EventStepResult, StepID: pr.Step.ID, Step: pr.Result})
		},
	}
	results := executor.Run(ctx, p, o.runner(msg.UserID), opts)
	if _, followUp := cc.Last(); !followUp {
		results, in, p = o.widen(ctx, msg.UserID, msg.Query, in, p, results, opts)
		rec.Intent, rec.Plan = &in, &p
	}
	t.ExecuteMS = ms(phase)
	rec.StepResults = results
	if ended(nil) {
		return
	}
	var actions []agent.Action
	for _, r := range results {
		for _, a := range r.Output.Actions {
			actions = append(actions, a)
			pub.send(Event{Type: EventActionProposed, StepID: r.StepID, Action: &a})
		}
	}
	rec.Actions = actions

	pub.send(Event{Type: EventStatus, Status: StatusSynthesizing, Detail: "Writing the answer"})
	phase = o.clock.Now()
	var once sync.Once
	ans, err := o.d.Writer.Write(ctx, synth.Input{Query: msg.Query, Intent: in, Results: results, Actions: actions, Now: msg.CreatedAt, Location: loc},
		func(tok string) {
			once.Do(func() { t.FirstTokenMS = ms(start) })
			pub.send(Event{Type: EventToken, Token: tok})
		})
	t.SynthesizeMS = ms(phase)
	if ended(err) {
		return
	}
	if note := <-note; note != "" {
		note = "\n\n" + note
		ans.Text += note
		pub.send(Event{Type: EventToken, Token: note})
	}
	msg.Response = ans.Text
	rec.Citations = ans.Citations
	msg.Status = domain.MessageDone
	t.TotalMS = ms(start)
	rec.Timings = &t
	if err := persist(); err != nil {
		msg.Status, msg.Error = domain.MessageFailed, domain.Explain(fmt.Errorf("save the answer: %w", domain.ErrUnavailable))
		pub.send(Event{Type: EventError, Error: msg.Error, MessageStatus: msg.Status})
		return
	}
	o.remember(ctx, msg, turn(msg, rec), cc)
	pub.send(Event{Type: EventDone, Text: ans.Text, Citations: ans.Citations, MessageStatus: domain.MessageDone})
}

// gate keeps an unsure or questioning intent from acting: a clarification or
// a refusal runs no steps, and too low a confidence asks to rephrase.
func (o *Orchestrator) gate(in intent.Intent) intent.Intent {
	if in.Clarification == "" && in.Unsupported == "" && len(in.Steps) > 0 && in.Confidence < o.cfg.MinConfidence {
		in.Clarification = "I'm not sure what you'd like me to do. Could you say it another way, naming the mail, event or file?"
	}
	if in.Clarification != "" || in.Unsupported != "" {
		in.Steps = []intent.Step{}
	}
	return in
}

// CountLimit is how many items a search answering "how many" returns.
const CountLimit = 500

// shaped fits the searches to the answer the question wants: a "how many"
// counts every match, not one page of them; "am I free at 3pm" looks at
// 3pm even when the day it was read with lies elsewhere; and a search with
// no words of its own beside a search for the one item asked about ("prepare
// me for my next meeting") looks for what that one is about.
// zoned gives every calendar change the user's zone where the classifier
// left none, so its proposal shows times as the user's lists do.
func zoned(in intent.Intent, loc *time.Location) intent.Intent {
	if loc == nil {
		return in
	}
	steps := slices.Clone(in.Steps)
	for i, s := range steps {
		if s.Service != domain.ServiceCalendar || s.Operation == intent.OpSearch || s.Operation == intent.OpRead || s.Params.String(intent.ParamTimeZone) != "" {
			continue
		}
		s.Params = maps.Clone(s.Params)
		if s.Params == nil {
			s.Params = intent.Params{}
		}
		s.Params[intent.ParamTimeZone] = loc.String()
		steps[i] = s
	}
	in.Steps = steps
	return in
}

func shaped(in intent.Intent) intent.Intent {
	var at time.Time
	if in.Question == intent.QuestionFree && len(in.Entities.Times) > 0 {
		at = in.Entities.Times[0]
	}
	one := ""
	for _, s := range in.Steps {
		if n, ok := s.Params.Int(intent.ParamLimit); ok && n == 1 && s.Operation == intent.OpSearch && one == "" {
			one = s.ID
		}
	}
	counts := in.Question == intent.QuestionCount
	for _, s := range in.Steps {
		counts = counts || s.Params.String(intent.ParamQuestion) == string(intent.QuestionCount)
	}
	if !counts && at.IsZero() && one == "" {
		return in
	}
	steps := make([]intent.Step, len(in.Steps))
	for i, s := range in.Steps {
		steps[i] = s
		if s.Operation != intent.OpSearch {
			continue
		}
		p := make(intent.Params, len(s.Params)+2)
		for k, v := range s.Params {
			p[k] = v
		}
		q := cmp.Or(intent.Question(s.Params.String(intent.ParamQuestion)), in.Question)
		if _, ok := s.Params.Int(intent.ParamLimit); q == intent.QuestionCount && !ok {
			p[intent.ParamLimit] = CountLimit
		}
		if !at.IsZero() && s.Service == domain.ServiceCalendar {
			after, _, _ := s.Params.Time(intent.ParamAfter)
			before, _, _ := s.Params.Time(intent.ParamBefore)
			if (!after.IsZero() && at.Before(after)) || (!before.IsZero() && !at.Before(before)) {
				p[intent.ParamAfter] = at.Format(time.RFC3339)
				p[intent.ParamBefore] = at.Add(time.Duration(synth.DefaultFreeMinutes) * time.Minute).Format(time.RFC3339)
			}
		}
		steps[i].Params = p
		if one != "" && s.ID != one && len(s.DependsOn) == 0 && strings.TrimSpace(s.Params.String(intent.ParamQuery)) == "" {
			steps[i].DependsOn = []string{one}
		}
	}
	in.Steps = steps
	return in
}

// widen runs widened's searches, if any, and returns the results, intent
// and plan with them.
func (o *Orchestrator) widen(ctx context.Context, userID uuid.UUID, query string, in intent.Intent, p plan.Plan, results []executor.Result, opts executor.Options) ([]executor.Result, intent.Intent, plan.Plan) {
	extra := widened(query, in, results)
	if len(extra) == 0 {
		return results, in, p
	}
	wide := in
	wide.Steps, wide.Services = append(slices.Clone(in.Steps), extra...), domain.Services
	only := wide
	only.Steps = extra
	wp, err := plan.Build(wide)
	if err != nil {
		return results, in, p
	}
	op, err := plan.Build(only)
	if err != nil {
		return results, in, p
	}
	return append(results, executor.Run(ctx, op, o.runner(userID), opts)...), wide, wp
}

// widened are the searches of the other services to run when every search
// of a read of one service found nothing and the request neither named the
// service ("emails about the budget") nor followed up on one that did (the
// caller checks that): the service was read from the request's shape
// ("when is the partnership's annual meeting" reads as an event, yet a mail
// holds it), so what it names is looked for in the others before the answer
// says nothing was found. Counts and free/busy questions
// are answered by nothing found, and so are searches with no words.
func widened(query string, in intent.Intent, results []executor.Result) []intent.Step {
	if len(in.Steps) == 0 || len(results) != len(in.Steps) || in.Question == intent.QuestionCount || in.Question == intent.QuestionFree {
		return nil
	}
	svc := in.Steps[0].Service
	if intent.NamesService(query, svc) {
		return nil
	}
	for i, s := range in.Steps {
		r := results[i]
		if s.Operation != intent.OpSearch || s.Service != svc || len(s.DependsOn) > 0 ||
			strings.TrimSpace(s.Params.String(intent.ParamQuery)) == "" ||
			r.StepID != s.ID || r.Status != executor.StatusSucceeded || len(r.Output.Items) > 0 {
			return nil
		}
	}
	var out []intent.Step
	for _, other := range domain.Services {
		if other != svc {
			s := in.Steps[0]
			s.ID, s.Service = "wide-"+string(other), other
			out = append(out, s)
		}
	}
	return out
}

func stepDetail(s intent.Step) string {
	return fmt.Sprintf("%s %s", s.Operation, s.Service)
}

// runner hands each step to its service's agent.
func (o *Orchestrator) runner(userID uuid.UUID) executor.Runner {
	return func(ctx context.Context, step intent.Step, inputs []agent.Input) (agent.Output, error) {
		a, ok := o.agents[step.Service]
		if !ok {
			return agent.Output{}, fmt.Errorf("no agent serves %s: %w", step.Service, domain.ErrUnavailable)
		}
		return a.Do(ctx, userID, step, inputs)
	}
}

// classify consults the intent cache, then the classifier.
func (o *Orchestrator) classify(ctx context.Context, r intent.Request) (intent.Intent, error) {
	version := ""
	if v, ok := o.d.Classifier.(intent.Versioned); ok {
		version = v.Version()
	}
	key := cacheKey(r, version)
	if o.d.Intents != nil {
		in, ok, err := o.d.Intents.Intent(ctx, key)
		if err != nil {
			o.log.WarnContext(ctx, "intent cache read", "err", err)
		} else if ok {
			return in, nil
		}
	}
	in, err := o.d.Classifier.Classify(ctx, r)
	if err != nil {
		return intent.Intent{}, fmt.Errorf("classify: %w", err)
	}
	if o.d.Intents != nil {
		if err := o.d.Intents.SaveIntent(ctx, key, in); err != nil {
			o.log.WarnContext(ctx, "intent cache write", "err", err)
		}
	}
	return in, nil
}

// cacheKey identifies a classification: the classifier's version, the user,
// the context it resolved against, the query and the day it was made on
// (relative dates change at midnight).
func cacheKey(r intent.Request, version string) string {
	loc := r.Location
	if loc == nil {
		loc = time.UTC
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00", version, r.UserID, strings.ToLower(strings.Join(strings.Fields(r.Query), " ")),
		r.Now.In(loc).Format("2006-01-02"), loc)
	_ = json.NewEncoder(h).Encode(r.Context)
	return "intent:" + r.UserID.String() + ":" + hex.EncodeToString(h.Sum(nil)[:16])
}

// conversationContext loads the context of a conversation, from the context
// store or else from its persisted messages; skip excludes the current message.
func (o *Orchestrator) conversationContext(ctx context.Context, userID, convID, skip uuid.UUID) (intent.ConversationContext, error) {
	if o.d.Contexts != nil {
		cc, ok, err := o.d.Contexts.Context(ctx, userID, convID)
		if err != nil {
			o.log.WarnContext(ctx, "context store read", "err", err)
		} else if ok {
			return cc, nil
		}
	}
	var msgs []domain.Message
	page := domain.Page{First: 100, NoTotal: true}
	for {
		ms, info, err := o.d.Conversations.Messages(ctx, userID, convID, page)
		if err != nil {
			return intent.ConversationContext{}, fmt.Errorf("conversation %s: %w", convID, err)
		}
		msgs = append(msgs, ms...)
		if !info.HasNextPage || info.EndCursor == "" {
			break
		}
		page.After = info.EndCursor
	}
	sort.SliceStable(msgs, func(i, j int) bool { return msgs[i].CreatedAt.Before(msgs[j].CreatedAt) })
	var cc intent.ConversationContext
	for _, m := range msgs {
		if m.ID != skip && m.Status == domain.MessageDone {
			cc.Turns = append(cc.Turns, o.turnOf(ctx, m))
		}
	}
	return o.trim(cc), nil
}

func (o *Orchestrator) trim(cc intent.ConversationContext) intent.ConversationContext {
	if n := len(cc.Turns); n > o.cfg.ContextTurns {
		cc.Turns = cc.Turns[n-o.cfg.ContextTurns:]
	}
	return cc
}

// remember appends the finished message's turn t to the conversation context.
func (o *Orchestrator) remember(ctx context.Context, msg domain.Message, t intent.Turn, cc intent.ConversationContext) {
	if o.d.Contexts == nil {
		return
	}
	turns := make([]intent.Turn, 0, len(cc.Turns)+1)
	for _, t := range cc.Turns {
		if t.MessageID != msg.ID {
			turns = append(turns, t)
		}
	}
	cc.Turns = append(turns, t)
	if err := o.d.Contexts.SaveContext(context.WithoutCancel(ctx), msg.UserID, msg.ConversationID, o.trim(cc)); err != nil {
		o.log.WarnContext(ctx, "context store write", "err", err)
	}
}

// turnOf reads what a persisted message leaves for follow-ups; a field
// that does not decode is logged and left out.
func (o *Orchestrator) turnOf(ctx context.Context, m domain.Message) intent.Turn {
	rec, err := RecordOf(m)
	if err != nil {
		o.log.WarnContext(ctx, "conversation context: part of a message unreadable", "message", m.ID, "err", err)
	}
	return turn(m, rec)
}

// turn is what a message leaves for follow-ups: its intent, the items in the
// order the answer cited them (then the others) and its actions.
func turn(m domain.Message, rec Record) intent.Turn {
	t := intent.Turn{MessageID: m.ID, Query: m.Query}
	if rec.Intent != nil {
		t.Intent = *rec.Intent
	}
	items := map[string]agent.Item{}
	var order []string
	for _, r := range rec.StepResults {
		for _, it := range r.Output.Items {
			k := string(it.Service) + "/" + it.ID
			if _, ok := items[k]; !ok {
				items[k] = it
				order = append(order, k)
			}
		}
	}
	for _, a := range rec.Actions {
		if a.Item != nil {
			k := string(a.Item.Service) + "/" + a.Item.ID
			items[k] = *a.Item
			order = append(order, k)
		}
		t.Actions = append(t.Actions, a.Ref())
	}
	seen := map[string]bool{}
	add := func(k string) {
		if it, ok := items[k]; ok && !seen[k] {
			seen[k] = true
			t.Items = append(t.Items, it.Ref())
		}
	}
	for _, c := range rec.Citations {
		add(string(c.Service) + "/" + c.ItemID)
	}
	for _, k := range order {
		add(k)
	}
	return t
}

// pump publishes a message's events in order from its own goroutine, so
// neither the executor nor the writer ever waits for the publisher.
type pump struct {
	ctx   context.Context
	pub   Publisher
	id    uuid.UUID
	clock domain.Clock
	log   *slog.Logger

	mu     sync.Mutex
	cond   *sync.Cond
	queue  []Event
	seq    int
	closed bool
	done   chan struct{}
}

func newPump(ctx context.Context, pub Publisher, id uuid.UUID, clock domain.Clock, log *slog.Logger) *pump {
	p := &pump{ctx: ctx, pub: pub, id: id, clock: clock, log: log, done: make(chan struct{})}
	p.cond = sync.NewCond(&p.mu)
	go p.loop()
	return p
}

func (p *pump) send(ev Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seq++
	ev.Seq, ev.At = p.seq, p.clock.Now()
	p.queue = append(p.queue, ev)
	p.cond.Signal()
}

func (p *pump) loop() {
	defer close(p.done)
	for {
		p.mu.Lock()
		for len(p.queue) == 0 && !p.closed {
			p.cond.Wait()
		}
		batch := p.queue
		p.queue = nil
		closed := p.closed
		p.mu.Unlock()
		if len(batch) > 0 {
			// Retried while Redis is down: followers of a batch given up
			// on end from the stored message.
			if err := retry(p.ctx, p.clock, publishGiveUp, func() error { return p.pub.Publish(p.ctx, p.id, batch...) }); err != nil {
				p.log.ErrorContext(p.ctx, "publish events", "message", p.id, "from_seq", batch[0].Seq, "count", len(batch), "err", err)
			}
		}
		if closed && len(batch) == 0 {
			return
		}
	}
}

// close waits until every queued event is published.
func (p *pump) close() {
	p.mu.Lock()
	p.closed = true
	p.cond.Signal()
	p.mu.Unlock()
	<-p.done
}
