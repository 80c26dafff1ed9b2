package llm

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/workspace-orchestrator/orchestrator/domain/intent"
)

// Classifier classifies requests with a chat model, validating its JSON
// against the intent schema; invalid output is retried once with the error
// shown to the model, then the fallback (another provider's Classifier, or
// the offline parser) takes over, as it does when the provider fails, times
// out or its circuit is open.
type Classifier struct {
	c        *Client
	fallback intent.Classifier
	log      *slog.Logger
}

// Version implements intent.Versioned: the model, and the rules that stand in for it.
func (k *Classifier) Version() string {
	v := k.c.Name()
	if f, ok := k.fallback.(intent.Versioned); ok {
		v += "+" + f.Version()
	}
	return v
}

// NewClassifier returns a Classifier; fallback is required.
func NewClassifier(c *Client, fallback intent.Classifier, log *slog.Logger) *Classifier {
	return &Classifier{c: c, fallback: fallback, log: log}
}

// Resolve implements intent.Resolver through the fallback (the offline
// parser at the end of the chain), so a chain of models resolves once.
func (k *Classifier) Resolve(ctx context.Context, r intent.Request) (intent.Entities, error) {
	if res, ok := k.fallback.(intent.Resolver); ok {
		return res.Resolve(ctx, r)
	}
	return intent.Entities{}, nil
}

// Classify implements intent.Classifier.
func (k *Classifier) Classify(ctx context.Context, r intent.Request) (intent.Intent, error) {
	resolved, err := k.Resolve(ctx, r)
	if err != nil {
		return intent.Intent{}, fmt.Errorf("resolve the request's entities: %w", err)
	}
	p := intent.BuildPrompt(r, resolved)
	user := p.User
	for attempt := 1; attempt <= 2; attempt++ {
		out, err := k.c.CompleteJSON(ctx, p.System, user)
		if err != nil {
			k.log.WarnContext(ctx, "llm classify failed; using the offline parser", "model", k.c.Name(), "err", err)
			break
		}
		in, err := intent.Decode([]byte(out))
		if err == nil {
			return in, nil
		}
		k.log.WarnContext(ctx, "llm returned an invalid intent", "model", k.c.Name(), "attempt", attempt, "err", err)
		user = p.User + "\n\nYour previous answer was rejected: " + err.Error() + "\nAnswer again with one JSON object that follows the schema."
	}
	return k.fallback.Classify(ctx, r)
}
