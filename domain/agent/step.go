package agent

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
)

// DefaultLimit is how many items a search step returns unless it says.
const DefaultLimit = 10

// SearchStep runs a search step of service s through the searcher.
func SearchStep(ctx context.Context, s Searcher, userID uuid.UUID, svc domain.Service, step intent.Step) (Output, error) {
	f, err := FiltersOf(step.Params)
	if err != nil {
		return Output{}, err
	}
	limit, ok := step.Params.Int(intent.ParamLimit)
	if !ok || limit <= 0 {
		limit = DefaultLimit
	}
	items, err := s.Search(ctx, userID, step.Params.String(intent.ParamQuery), []domain.Service{svc}, f, limit)
	if err != nil {
		return Output{}, fmt.Errorf("search %s: %w", svc, err)
	}
	out := make([]Item, 0, len(items))
	for _, it := range items {
		if it.Service == svc && inRange(it, f.After, f.Before) {
			out = append(out, it)
		}
	}
	return Output{Items: out}, nil
}

// inRange keeps a search's dates even when a searcher only ranks by them:
// an event counts until it ends, other items when they happened.
func inRange(it Item, after, before time.Time) bool {
	if it.At.IsZero() {
		return true
	}
	if !after.IsZero() {
		if it.End.After(it.At) {
			if !it.End.After(after) {
				return false
			}
		} else if it.At.Before(after) {
			return false
		}
	}
	return before.IsZero() || it.At.Before(before)
}
