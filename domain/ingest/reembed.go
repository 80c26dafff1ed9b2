package ingest

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// ReembedStore finds cached items whose embedding is missing or was made by
// another model, and gives them new embeddings.
type ReembedStore interface {
	// StaleItems returns up to limit items of service s, of every user, in
	// row id order after the row id after, whose embedding is missing or was
	// made by a model other than model. Only the slice of s is filled; the
	// items carry no embedding values.
	StaleItems(ctx context.Context, s domain.Service, model string, after uuid.UUID, limit int) (Items, error)
	// SetEmbeddings stores each vector on its item, unless the item changed
	// since it was read (its UpdatedAt differs): a sync has written it anew
	// meanwhile. It bumps the data version of every user whose items it
	// changed and returns how many items it changed.
	SetEmbeddings(ctx context.Context, s domain.Service, vs []ItemVector) (int, error)
}

// Items are cached items of one service.
type Items struct {
	Emails []domain.Email
	Events []domain.Event
	Files  []domain.File
}

// ItemVector is a new embedding for one cached item.
type ItemVector struct {
	ID        uuid.UUID // row id
	UserID    uuid.UUID
	UpdatedAt time.Time // the item's UpdatedAt when it was read
	Vector    domain.Vector
}

// ReembedConfig tunes a Reembedder.
type ReembedConfig struct {
	// Batch is how many items are read, embedded and written at once. Defaults to 256.
	Batch int
	// Budget is how long one Run works before it returns, so the job running
	// it does not hold a worker for long. Defaults to 30s.
	Budget time.Duration
	// Text cuts and groups texts for the embedder; give it the Syncer's
	// Config so an item re-embedded gets the vector a sync would give it.
	// Defaults to Config{}.WithDefaults().
	Text Config
}

// WithDefaults fills zero fields with their defaults.
func (c ReembedConfig) WithDefaults() ReembedConfig {
	if c.Batch == 0 {
		c.Batch = 256
	}
	if c.Budget == 0 {
		c.Budget = 30 * time.Second
	}
	c.Text = c.Text.WithDefaults()
	return c
}

func (c ReembedConfig) validate() error {
	if c.Batch < 1 {
		return fmt.Errorf("ingest: ReembedConfig.Batch must be >= 1, got %d: %w", c.Batch, domain.ErrInvalidInput)
	}
	if c.Budget <= 0 {
		return fmt.Errorf("ingest: ReembedConfig.Budget must be > 0, got %s: %w", c.Budget, domain.ErrInvalidInput)
	}
	return c.Text.validate()
}

// ReembedDeps are the ports a Reembedder works through.
type ReembedDeps struct {
	Store    ReembedStore
	Embedder domain.Embedder // the configured embedder: its model is the current one
	Clock    domain.Clock
	Logger   *slog.Logger
}

// Reembedder brings every cached item's embedding to the configured
// embedder's model: items embedded by another model (the configuration
// changed) or not at all are embedded again from the same text a sync uses.
type Reembedder struct {
	d   ReembedDeps
	cfg ReembedConfig
}

// NewReembedder returns a Reembedder.
func NewReembedder(d ReembedDeps, cfg ReembedConfig) (*Reembedder, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if d.Store == nil || d.Embedder == nil || d.Clock == nil || d.Logger == nil {
		return nil, fmt.Errorf("ingest: ReembedDeps.Store, Embedder, Clock and Logger are required: %w", domain.ErrInvalidInput)
	}
	return &Reembedder{d: d, cfg: cfg}, nil
}

// ReembedResult is what one Run did.
type ReembedResult struct {
	// Updated counts the items given a new embedding.
	Updated int
	// Done is set when Run went through every service before its budget ran
	// out. An item a sync rewrote while it was being re-embedded is skipped
	// and left to the next Run, should the sync have left it stale.
	Done bool
}

// Run re-embeds stale items, service after service and Batch items at a
// time, until none is left or the budget is spent (checked only once a
// batch was done, so every Run makes progress). Each batch commits on its own: a Run that is
// stopped loses at most the batch in hand, and the next one starts again
// from the items still stale.
func (r *Reembedder) Run(ctx context.Context) (ReembedResult, error) {
	model := r.d.Embedder.Model()
	deadline := r.d.Clock.Now().Add(r.cfg.Budget)
	var res ReembedResult
	worked := false // the budget applies once a batch was done
	for _, svc := range domain.Services {
		after := uuid.Nil
		for {
			if worked && !r.d.Clock.Now().Before(deadline) {
				return res, nil
			}
			items, err := r.d.Store.StaleItems(ctx, svc, model, after, r.cfg.Batch)
			if err != nil {
				return res, fmt.Errorf("reembed %s: read stale items: %w", svc, err)
			}
			b := batch{emails: items.Emails, events: items.Events, files: items.Files}
			if b.size() == 0 {
				break
			}
			worked = true
			if err := embedBatch(ctx, r.d.Embedder, r.cfg.Text, &b); err != nil {
				return res, fmt.Errorf("reembed %s: %w", svc, err)
			}
			vs := b.vectors()
			n, err := r.d.Store.SetEmbeddings(ctx, svc, vs)
			if err != nil {
				return res, fmt.Errorf("reembed %s: write %d embeddings: %w", svc, len(vs), err)
			}
			res.Updated += n
			r.d.Logger.DebugContext(ctx, "re-embedded a batch", "service", svc, "model", model, "items", n, "skipped", len(vs)-n)
			if b.size() < r.cfg.Batch {
				break
			}
			after = vs[len(vs)-1].ID
		}
	}
	res.Done = true
	if res.Updated > 0 {
		r.d.Logger.InfoContext(ctx, "re-embedded stale items", "model", model, "items", res.Updated)
	}
	return res, nil
}

// vectors returns the embedding of every item of b with what identifies it.
func (b batch) vectors() []ItemVector {
	vs := make([]ItemVector, 0, b.size())
	for _, e := range b.emails {
		vs = append(vs, ItemVector{ID: e.ID, UserID: e.UserID, UpdatedAt: e.UpdatedAt, Vector: e.Embedding})
	}
	for _, e := range b.events {
		vs = append(vs, ItemVector{ID: e.ID, UserID: e.UserID, UpdatedAt: e.UpdatedAt, Vector: e.Embedding})
	}
	for _, f := range b.files {
		vs = append(vs, ItemVector{ID: f.ID, UserID: f.UserID, UpdatedAt: f.UpdatedAt, Vector: f.Embedding})
	}
	return vs
}

// embedBatch computes the vectors of every item of b, cfg.EmbedBatch texts
// at a time, each text cut to cfg.MaxTextBytes: sync and re-embedding both
// embed through it, so an item gets the same vector either way.
func embedBatch(ctx context.Context, em domain.Embedder, cfg Config, b *batch) error {
	texts, set := b.texts()
	for i := range texts {
		texts[i] = Truncate(texts[i], cfg.MaxTextBytes)
	}
	for lo := 0; lo < len(texts); lo += cfg.EmbedBatch {
		hi := min(lo+cfg.EmbedBatch, len(texts))
		vs, err := Embed(ctx, em, texts[lo:hi])
		if err != nil {
			return err
		}
		for i, v := range vs {
			set(lo+i, v)
		}
	}
	return nil
}

// Embed returns the vectors of texts, with their passages when em is also a
// domain.Passager. Every way into the cache embeds through it.
func Embed(ctx context.Context, em domain.Embedder, texts []string) ([]domain.Vector, error) {
	vs, err := em.Embed(ctx, texts)
	if err != nil {
		return nil, fmt.Errorf("embed: %w", err)
	}
	if len(vs) != len(texts) {
		return nil, fmt.Errorf("embed: %d vectors for %d texts", len(vs), len(texts))
	}
	var passages [][]domain.Sparse
	if p, ok := em.(domain.Passager); ok {
		passages = p.Passages(texts)
	}
	model := em.Model()
	out := make([]domain.Vector, len(vs))
	for i, v := range vs {
		out[i] = domain.Vector{Values: v, Model: model}
		if passages != nil {
			out[i].Passages = passages[i]
		}
	}
	return out, nil
}
