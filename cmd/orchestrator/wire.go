package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/workspace-orchestrator/orchestrator/adapter/cache"
	"github.com/workspace-orchestrator/orchestrator/adapter/embed"
	"github.com/workspace-orchestrator/orchestrator/adapter/embedcache"
	"github.com/workspace-orchestrator/orchestrator/adapter/google/calendarapi"
	"github.com/workspace-orchestrator/orchestrator/adapter/google/driveapi"
	"github.com/workspace-orchestrator/orchestrator/adapter/google/gclient"
	"github.com/workspace-orchestrator/orchestrator/adapter/google/gmailapi"
	"github.com/workspace-orchestrator/orchestrator/adapter/google/webhook"
	"github.com/workspace-orchestrator/orchestrator/adapter/jobqueue"
	"github.com/workspace-orchestrator/orchestrator/adapter/llm"
	"github.com/workspace-orchestrator/orchestrator/adapter/pubsub"
	"github.com/workspace-orchestrator/orchestrator/adapter/ratelimit"
	"github.com/workspace-orchestrator/orchestrator/adapter/searchcache"
	"github.com/workspace-orchestrator/orchestrator/adapter/store"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/agent"
	"github.com/workspace-orchestrator/orchestrator/domain/agent/calendaragent"
	"github.com/workspace-orchestrator/orchestrator/domain/agent/driveagent"
	"github.com/workspace-orchestrator/orchestrator/domain/agent/gmailagent"
	"github.com/workspace-orchestrator/orchestrator/domain/ingest"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
	"github.com/workspace-orchestrator/orchestrator/domain/orchestrator"
	"github.com/workspace-orchestrator/orchestrator/domain/query"
	"github.com/workspace-orchestrator/orchestrator/domain/search"
	"github.com/workspace-orchestrator/orchestrator/domain/synth"
	"github.com/workspace-orchestrator/orchestrator/workers"
)

// embedder is the configured embedder; query embeddings are cached in Redis
// for an hour, keyed by model and text.
func (a *app) embedder() (domain.Embedder, error) {
	e, err := embed.New(embed.Config{
		Provider: a.cfg.Embedder, BaseURL: a.cfg.EmbedderBaseURL, APIKey: a.cfg.EmbedderAPIKey, Model: a.cfg.EmbedderModel,
	})
	if err != nil {
		return nil, fmt.Errorf("EMBEDDER: %w", err)
	}
	return e, nil
}

// stack is everything the server and the workers run on, built once.
type stack struct {
	embedder domain.Embedder // documents: no cache, every text is new
	search   *search.Engine
	index    *store.Search
	syncer   *ingest.Syncer
	gmail    *gmailapi.Gmail
	calendar *calendarapi.Calendar
	drive    *driveapi.Drive
	queue    *jobqueue.Queue
	syncs    workers.SyncQueue // enqueues syncs on queue
	orch     *orchestrator.Orchestrator
	answers  *pubsub.Answers
	limiter  *ratelimit.Limiter
}

// buildStack wires the adapters into the domain. withWorkers registers the
// River workers on the queue (the queue still inserts without them).
func (a *app) buildStack(ctx context.Context, withWorkers bool) (*stack, error) {
	s := &stack{}
	var err error
	if s.embedder, err = a.embedder(); err != nil {
		return nil, err
	}
	queryEmbedder := embedcache.New(s.embedder, a.rdb, time.Hour, "embed:", embedcache.WithLogger(a.log))

	// Search.
	s.index = store.NewSearch(a.db)
	results, err := searchcache.New(a.rdb, searchcache.Config{})
	if err != nil {
		return nil, err
	}
	passages, _ := s.embedder.(domain.Passager) // the offline embedder's items have passage vectors
	s.search, err = search.New(search.Config{Profiles: map[string]search.Profile{embed.OfflineModel: search.OfflineProfile}}, search.Deps{
		Index: s.index, Embedder: queryEmbedder, Passages: passages, Parser: query.Parser{Contacts: s.index},
		Cache: results, Versions: a.store.SyncStore, Clock: a.clock, Logger: a.log,
	})
	if err != nil {
		return nil, err
	}

	// Google.
	auth, err := a.googleAuth()
	if err != nil {
		return nil, err
	}
	if s.limiter, err = ratelimit.New(a.rdb, ratelimit.Config{}); err != nil {
		return nil, err
	}
	cc := gclient.Config{BaseURL: googleBaseURL(a.cfg), Auth: auth, Limiter: s.limiter}
	if s.gmail, err = gmailapi.New(gmailapi.Config{Client: cc}, gmailapi.Deps{Writer: a.store, Embedder: s.embedder, Logger: a.log}); err != nil {
		return nil, err
	}
	if s.calendar, err = calendarapi.New(calendarapi.Config{Client: cc}, calendarapi.Deps{Writer: a.store, Embedder: s.embedder, Logger: a.log}); err != nil {
		return nil, err
	}
	if s.drive, err = driveapi.New(driveapi.Config{Client: cc}, a.log); err != nil {
		return nil, err
	}

	// Sync.
	s.syncer, err = ingest.New(ingest.Deps{
		Gmail: s.gmail, Calendar: s.calendar, Drive: s.drive, Users: a.store.AccountStore, Writer: a.store, Reader: a.store,
		Status: a.store.SyncStore, Tx: a.store, Embedder: s.embedder, Index: a.store.SyncStore, Clock: a.clock, Logger: a.log,
	}, ingest.Config{})
	if err != nil {
		return nil, err
	}
	qcfg := jobqueue.Config{Logger: a.log, RescueStuckJobsAfter: a.cfg.JobRescueAfter}
	if withWorkers {
		reembedder, err := ingest.NewReembedder(ingest.ReembedDeps{Store: a.store.SyncStore, Embedder: s.embedder, Clock: a.clock, Logger: a.log}, ingest.ReembedConfig{})
		if err != nil {
			return nil, err
		}
		watches, err := a.watches(s)
		if err != nil {
			return nil, err
		}
		var periodic []*river.PeriodicJob
		qcfg.Workers, periodic, err = workers.New(workers.Deps{
			Syncer: s.syncer, Users: a.store.AccountStore, Clock: a.clock, Logger: a.log, Reembedder: reembedder,
			Watches: watches, SyncEvery: a.cfg.SyncInterval, JobTimeout: a.cfg.JobRescueAfter * 2 / 3,
		})
		if err != nil {
			return nil, err
		}
		qcfg.PeriodicJobs = periodic
	}
	if s.queue, err = jobqueue.New(a.db.SQL, qcfg); err != nil {
		return nil, err
	}
	s.syncs = workers.SyncQueue{Jobs: s.queue}

	// Ask.
	streams, err := pubsub.New(a.rdb, pubsub.Config{})
	if err != nil {
		return nil, err
	}
	s.answers = pubsub.NewAnswers(streams)
	caches, err := cache.New(a.rdb, cache.Config{})
	if err != nil {
		return nil, err
	}
	classifier, writer, err := a.language(orchestrator.Contacts{People: s.index, Files: s.index, Names: s.index})
	if err != nil {
		return nil, err
	}
	searcher := orchestrator.Searcher{Engine: s.search, Reader: a.store, Batch: a.store}
	s.orch, err = orchestrator.New(orchestrator.Config{AbandonAfter: a.cfg.AskAbandonAfter}, orchestrator.Deps{
		Classifier: classifier,
		Writer:     writer,
		Agents: []agent.Agent{
			gmailagent.New(searcher, a.store, s.gmail),
			calendaragent.New(searcher, a.store, s.calendar),
			driveagent.New(searcher, a.store, s.drive),
		},
		Conversations: a.store.ConversationStore, Publisher: s.answers, Users: a.store.AccountStore, Contexts: caches, Intents: caches,
		Cancels: pubsub.NewCancels(a.rdb, ""), SyncStatuses: a.store.SyncStore,
		Clock: a.clock, Logger: a.log,
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// watches configures the renew_watches job from PUBLIC_URL (Calendar and
// Drive channels to the webhooks) and GMAIL_PUSH_TOPIC (Gmail watches); nil,
// polling only, when neither is set.
func (a *app) watches(s *stack) (*workers.Watches, error) {
	if a.cfg.PublicURL == "" && a.cfg.GmailPushTopic == "" {
		return nil, nil
	}
	w := &workers.Watches{Store: a.store, Gmail: s.gmail, GmailTopic: a.cfg.GmailPushTopic}
	if a.cfg.PublicURL != "" {
		tokens, err := webhook.NewTokens([]byte(a.cfg.WebhookToken))
		if err != nil {
			return nil, fmt.Errorf("WEBHOOK_TOKEN: %w", err)
		}
		w.Calendar, w.Drive, w.Tokens = s.calendar, s.drive, tokens
		w.WebhookURL = strings.TrimSuffix(a.cfg.PublicURL, "/") + webhooksPath
	}
	return w, nil
}

// language returns the intent classifier and the answer writer: the offline
// ones, or a chain asking the configured LLM, then the fallback provider
// when one is set, then the offline ones.
func (a *app) language(contacts intent.Contacts) (intent.Classifier, synth.Writer, error) {
	var classifier intent.Classifier = intent.NewOffline(contacts)
	var writer synth.Writer = synth.Offline{}
	if a.cfg.LLMProvider == "offline" {
		return classifier, writer, nil
	}
	for _, p := range []struct{ env, provider, baseURL, key, model string }{
		{"LLM_FALLBACK_PROVIDER", a.cfg.LLMFallbackProvider, a.cfg.LLMFallbackBaseURL, a.cfg.LLMFallbackAPIKey, a.cfg.LLMFallbackModel},
		{"LLM_PROVIDER", a.cfg.LLMProvider, a.cfg.LLMBaseURL, a.cfg.LLMAPIKey, a.cfg.LLMModel},
	} {
		if p.provider == "" {
			continue
		}
		c, err := llm.New(llm.Config{Provider: p.provider, BaseURL: p.baseURL, APIKey: p.key, Model: p.model, Timeout: a.cfg.LLMTimeout})
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", p.env, err)
		}
		classifier, writer = llm.NewClassifier(c, classifier, a.log), llm.NewWriter(c, writer, a.log)
	}
	return classifier, writer, nil
}
