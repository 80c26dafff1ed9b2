// Package orchestrator runs the ask pipeline: classify the request, plan the
// steps, execute them through the service agents, write the answer, and
// publish every stage as typed events while persisting the message. Side
// effects are only proposed; ConfirmAction executes one, RejectAction drops it.
package orchestrator

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/agent"
	"github.com/workspace-orchestrator/orchestrator/domain/executor"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
	"github.com/workspace-orchestrator/orchestrator/domain/plan"
	"github.com/workspace-orchestrator/orchestrator/domain/synth"
)

// Defaults of Config.
const (
	DefaultStepTimeout   = executor.DefaultStepTimeout
	DefaultContextTurns  = 5
	DefaultTimeZone      = "UTC"
	DefaultMinConfidence = 0.5
	DefaultCancelWait    = 5 * time.Second
	DefaultAbandonAfter  = time.Minute
)

// Config tunes the orchestrator.
type Config struct {
	// StepTimeout bounds each step. Defaults to DefaultStepTimeout (10s).
	StepTimeout time.Duration
	// ContextTurns is how many earlier turns follow-ups can refer to.
	// Defaults to DefaultContextTurns (5).
	ContextTurns int
	// DefaultTimeZone is the IANA zone of users without one. Defaults to
	// DefaultTimeZone ("UTC").
	DefaultTimeZone string
	// MinConfidence is the confidence below which the answer asks the person
	// to rephrase instead of acting. Defaults to DefaultMinConfidence (0.5).
	MinConfidence float64
	// CancelWait is how long Cancel waits for another instance to stop an
	// ask before marking it cancelled itself. Defaults to DefaultCancelWait (5s).
	CancelWait time.Duration
	// AbandonAfter is how long an unfinished ask may go unwritten, its
	// instance's heartbeats included, before Sweep takes that instance for
	// dead and ends it. Defaults to DefaultAbandonAfter (1m).
	AbandonAfter time.Duration
	// SweepEvery is how often Sweep runs (the heartbeat of this instance's
	// asks), less than AbandonAfter; negative never. Defaults to a fifth of
	// AbandonAfter.
	SweepEvery time.Duration
}

// WithDefaults fills unset fields.
func (c Config) WithDefaults() Config {
	c.StepTimeout = cmp.Or(c.StepTimeout, DefaultStepTimeout)
	c.ContextTurns = cmp.Or(c.ContextTurns, DefaultContextTurns)
	c.DefaultTimeZone = cmp.Or(c.DefaultTimeZone, DefaultTimeZone)
	c.MinConfidence = cmp.Or(c.MinConfidence, DefaultMinConfidence)
	c.CancelWait = cmp.Or(c.CancelWait, DefaultCancelWait)
	c.AbandonAfter = cmp.Or(c.AbandonAfter, DefaultAbandonAfter)
	c.SweepEvery = cmp.Or(c.SweepEvery, c.AbandonAfter/5)
	return c
}

func (c Config) validate() error {
	if c.StepTimeout < 0 {
		return fmt.Errorf("orchestrator config: StepTimeout %s is negative: %w", c.StepTimeout, domain.ErrInvalidInput)
	}
	if c.ContextTurns < 0 {
		return fmt.Errorf("orchestrator config: ContextTurns %d is negative: %w", c.ContextTurns, domain.ErrInvalidInput)
	}
	if c.CancelWait < 0 {
		return fmt.Errorf("orchestrator config: CancelWait %s is negative: %w", c.CancelWait, domain.ErrInvalidInput)
	}
	if c.AbandonAfter < time.Second {
		return fmt.Errorf("orchestrator config: AbandonAfter %s is under a second: %w", c.AbandonAfter, domain.ErrInvalidInput)
	}
	if c.SweepEvery >= c.AbandonAfter {
		return fmt.Errorf("orchestrator config: SweepEvery %s is not under AbandonAfter %s (live asks would be taken for abandoned): %w",
			c.SweepEvery, c.AbandonAfter, domain.ErrInvalidInput)
	}
	if c.MinConfidence < 0 || c.MinConfidence > 1 {
		return fmt.Errorf("orchestrator config: MinConfidence %v outside [0, 1]: %w", c.MinConfidence, domain.ErrInvalidInput)
	}
	if _, err := time.LoadLocation(c.DefaultTimeZone); err != nil {
		return fmt.Errorf("orchestrator config: DefaultTimeZone %q: %v: %w", c.DefaultTimeZone, err, domain.ErrInvalidInput)
	}
	return nil
}

// Deps are the orchestrator's collaborators.
type Deps struct {
	Classifier    intent.Classifier        // required
	Writer        synth.Writer             // required
	Agents        []agent.Agent            // one per service served
	Conversations domain.ConversationStore // required
	Publisher     Publisher                // required
	Users         domain.UserReader        // optional: the users' time zones
	Contexts      ContextStore             // optional: without it context comes from persisted messages
	Intents       IntentCache              // optional
	Cancels       Cancels                  // optional: without it Cancel stops only this instance's asks
	SyncStatuses  domain.SyncStatusStore   // optional: answers say when a service they read is out of sync
	Clock         domain.Clock             // defaults to the system clock
	Logger        *slog.Logger             // defaults to discarding
}

// Orchestrator runs asks in the background and decides their actions.
type Orchestrator struct {
	cfg    Config
	d      Deps
	zones  *domain.Zones
	agents map[domain.Service]agent.Agent
	log    *slog.Logger
	clock  domain.Clock

	base context.Context // parent of every run; cancelled by Close when forced
	stop context.CancelFunc
	wg   sync.WaitGroup

	mu      sync.Mutex
	closed  bool
	running map[uuid.UUID]*run
}

type run struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// New builds an orchestrator.
func New(cfg Config, d Deps) (*Orchestrator, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	switch {
	case d.Classifier == nil:
		return nil, fmt.Errorf("orchestrator: Deps.Classifier is required: %w", domain.ErrInvalidInput)
	case d.Writer == nil:
		return nil, fmt.Errorf("orchestrator: Deps.Writer is required: %w", domain.ErrInvalidInput)
	case d.Conversations == nil:
		return nil, fmt.Errorf("orchestrator: Deps.Conversations is required: %w", domain.ErrInvalidInput)
	case d.Publisher == nil:
		return nil, fmt.Errorf("orchestrator: Deps.Publisher is required: %w", domain.ErrInvalidInput)
	}
	if d.Clock == nil {
		d.Clock = domain.SystemClock{}
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	agents := make(map[domain.Service]agent.Agent, len(d.Agents))
	for _, a := range d.Agents {
		agents[a.Service()] = a
	}
	loc, _ := time.LoadLocation(cfg.DefaultTimeZone)
	base, stop := context.WithCancel(context.Background())
	o := &Orchestrator{
		cfg: cfg, d: d, zones: domain.NewZones(d.Users, loc), agents: agents, log: d.Logger, clock: d.Clock,
		base: base, stop: stop, running: map[uuid.UUID]*run{},
	}
	if d.Cancels != nil {
		go o.listenCancels()
	}
	if cfg.SweepEvery > 0 {
		go o.sweepLoop()
	}
	return o, nil
}

// listenCancels stops this instance's runs that another instance was asked
// to cancel, until Close; a lost connection is retried every second.
func (o *Orchestrator) listenCancels() {
	for {
		err := o.d.Cancels.ListenCancels(o.base, o.cancelRun)
		if o.base.Err() != nil {
			return
		}
		o.log.Warn("cancel requests: listening failed, retrying", "err", err)
		if domain.Wait(o.base, o.clock, time.Second) != nil {
			return
		}
	}
}

// cancelRun cancels the message's run if it is this instance's.
func (o *Orchestrator) cancelRun(messageID uuid.UUID) {
	o.mu.Lock()
	r := o.running[messageID]
	o.mu.Unlock()
	if r != nil {
		r.cancel()
	}
}

// AskInput is one request.
type AskInput struct {
	UserID uuid.UUID
	// ConversationID continues a conversation; uuid.Nil starts a new one.
	ConversationID uuid.UUID
	Query          string
	// ClientRequestID makes the ask idempotent: a retry with the same id
	// returns the first message instead of asking again. "" for none.
	ClientRequestID string
}

// Ask persists the message as PENDING and returns it at once; the pipeline
// runs in the background and publishes its events under the message id. A
// repeated ClientRequestID returns the existing message and starts nothing.
func (o *Orchestrator) Ask(ctx context.Context, in AskInput) (domain.Message, error) {
	if in.UserID == uuid.Nil {
		return domain.Message{}, fmt.Errorf("ask: no user: %w", domain.ErrUnauthenticated)
	}
	q, err := domain.CheckQuery(in.Query)
	if err != nil {
		return domain.Message{}, fmt.Errorf("ask: %w", err)
	}
	o.mu.Lock()
	closed := o.closed
	o.mu.Unlock()
	if closed {
		return domain.Message{}, fmt.Errorf("ask: shutting down: %w", domain.ErrUnavailable)
	}
	now := o.clock.Now()
	msg := domain.Message{
		ID: uuid.New(), ConversationID: in.ConversationID, UserID: in.UserID, ClientRequestID: in.ClientRequestID,
		Query: q, Status: domain.MessagePending, CreatedAt: now, UpdatedAt: now,
	}
	var (
		created bool
		fresh   = in.ConversationID == uuid.Nil
	)
	if fresh {
		msg, created, err = o.d.Conversations.StartConversation(ctx, title(q), msg)
	} else {
		msg, created, err = o.d.Conversations.CreateMessage(ctx, msg)
	}
	if err != nil {
		return domain.Message{}, fmt.Errorf("ask: %w", err)
	}
	if !created {
		return msg, nil
	}
	// The zone is read here, from the user the request already loaded
	// (domain.WithUser), rather than by the pipeline in another round trip.
	loc := o.location(ctx, in.UserID)
	rctx, cancel := context.WithCancel(o.base)
	r := &run{cancel: cancel, done: make(chan struct{})}
	o.mu.Lock()
	if o.closed {
		o.mu.Unlock()
		cancel()
		return domain.Message{}, fmt.Errorf("ask: shutting down: %w", domain.ErrUnavailable)
	}
	o.running[msg.ID] = r
	o.wg.Add(1)
	o.mu.Unlock()
	go func() {
		defer o.wg.Done()
		defer close(r.done)
		defer cancel()
		defer func() {
			o.mu.Lock()
			delete(o.running, msg.ID)
			o.mu.Unlock()
		}()
		o.pipeline(rctx, msg, fresh, loc)
	}()
	return msg, nil
}

// title names a new conversation after its first query.
func title(q string) string {
	const max = 80
	if utf8.RuneCountInString(q) <= max {
		return q
	}
	return string([]rune(q)[:max-1]) + "…"
}

// Cancel stops a running ask of the user. An ask running on this instance is
// cancelled and ends with an ERROR event; one running on another instance is
// asked to stop through Deps.Cancels, and waited for (Config.CancelWait).
// When no instance stops it (its instance is gone, or there are no Cancels),
// it is marked cancelled in the store and its followers get an ERROR event.
// A finished ask answers ErrConflict.
func (o *Orchestrator) Cancel(ctx context.Context, userID, messageID uuid.UUID) error {
	msg, err := o.d.Conversations.Message(ctx, userID, messageID)
	if err != nil {
		return fmt.Errorf("cancel ask %s: %w", messageID, err)
	}
	if msg.Status.Ended() {
		return fmt.Errorf("cancel ask %s: already %s: %w", messageID, msg.Status, domain.ErrConflict)
	}
	o.mu.Lock()
	r := o.running[messageID]
	o.mu.Unlock()
	if r != nil {
		r.cancel()
		select {
		case <-r.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		return nil
	}
	if o.d.Cancels != nil {
		if err := o.d.Cancels.RequestCancel(ctx, messageID); err != nil {
			o.log.WarnContext(ctx, "cancel request not sent", "message", messageID, "err", err)
		} else if ended, err := o.awaitEnd(ctx, userID, messageID); err != nil || ended {
			return err
		}
	}
	if _, err := o.endUnfinished(ctx, userID, messageID, domain.MessageCancelled, domain.ErrCancelled, time.Time{}); err != nil {
		return fmt.Errorf("cancel ask %s: %w", messageID, err)
	}
	return nil
}

// cancelPoll is how often awaitEnd reads the message.
const cancelPoll = 20 * time.Millisecond

// awaitEnd polls the message until its ask has ended (true) or
// Config.CancelWait has passed (false).
func (o *Orchestrator) awaitEnd(ctx context.Context, userID, messageID uuid.UUID) (bool, error) {
	deadline, expired := o.clock.NewTimer(o.cfg.CancelWait)
	defer deadline.Stop()
	poll, tick := o.clock.NewTimer(cancelPoll)
	defer poll.Stop()
	for {
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-expired:
			return false, nil
		case <-tick:
			poll.Reset(cancelPoll)
		}
		msg, err := o.d.Conversations.Message(ctx, userID, messageID)
		if err != nil {
			return false, fmt.Errorf("cancel ask %s: %w", messageID, err)
		}
		if msg.Status.Ended() {
			return true, nil
		}
	}
}

// Wait blocks until every running ask has finished.
func (o *Orchestrator) Wait() { o.wg.Wait() }

// Close stops accepting asks and waits for the running ones; when ctx ends
// first it cancels them, waits for them to record that, and returns ctx's error.
func (o *Orchestrator) Close(ctx context.Context) error {
	o.mu.Lock()
	o.closed = true
	o.mu.Unlock()
	done := make(chan struct{})
	go func() {
		o.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		o.stop()
		return nil
	case <-ctx.Done():
		o.stop()
		<-done
		return ctx.Err()
	}
}

// location is the user's time zone, or the default.
func (o *Orchestrator) location(ctx context.Context, userID uuid.UUID) *time.Location {
	loc, err := o.zones.Location(ctx, userID)
	if err != nil {
		o.log.WarnContext(ctx, "user time zone unknown; using the default", "user", userID, "err", err)
	}
	return loc
}

// Classify understands a query in a conversation (uuid.Nil for none) and
// plans it, without running anything; `orchestrator classify` prints it.
func (o *Orchestrator) Classify(ctx context.Context, userID, conversationID uuid.UUID, query string) (intent.Intent, plan.Plan, error) {
	cc := intent.ConversationContext{}
	if conversationID != uuid.Nil {
		var err error
		if cc, err = o.conversationContext(ctx, userID, conversationID, uuid.Nil); err != nil {
			return intent.Intent{}, plan.Plan{}, err
		}
	}
	in, err := o.classify(ctx, intent.Request{
		Query: strings.TrimSpace(query), UserID: userID, Now: o.clock.Now(), Location: o.location(ctx, userID), Context: cc,
	})
	if err != nil {
		return intent.Intent{}, plan.Plan{}, err
	}
	p, err := plan.Build(in)
	if err != nil {
		return in, plan.Plan{}, err
	}
	return in, p, nil
}
