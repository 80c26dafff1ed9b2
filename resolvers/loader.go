package resolvers

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/google/uuid"
	"github.com/vikstrous/dataloadgen"
	"golang.org/x/sync/errgroup"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/graph/model"
	"github.com/workspace-orchestrator/orchestrator/web/auth"
)

// loaders batch and cache, for one operation of one caller, the nested fields
// that would otherwise cost a query per parent.
type loaders struct {
	conversation *dataloadgen.Loader[uuid.UUID, domain.Conversation]
	messageCount *dataloadgen.Loader[uuid.UUID, int]
	email        *dataloadgen.Loader[uuid.UUID, domain.Email]
	event        *dataloadgen.Loader[uuid.UUID, domain.Event]
	file         *dataloadgen.Loader[uuid.UUID, domain.File]
}

type loadersKey struct{}

// WithLoaders returns ctx carrying fresh dataloaders for the caller in ctx.
// The server calls it once per GraphQL operation (not per connection), so a
// long-lived websocket never serves stale cached values.
func (r *Resolver) WithLoaders(ctx context.Context) context.Context {
	userID, ok := auth.UserID(ctx)
	if !ok {
		return ctx // every field refuses an anonymous caller before loading
	}
	batch, ws := r.ConversationBatch, r.WorkspaceBatch
	wait := dataloadgen.WithWait(r.BatchWait)
	l := &loaders{
		conversation: dataloadgen.NewLoader(func(ctx context.Context, ids []uuid.UUID) ([]domain.Conversation, []error) {
			m, err := batch.ConversationsByID(ctx, userID, ids)
			return ordered(ids, m, err, "conversation")
		}, wait),
		messageCount: dataloadgen.NewLoader(func(ctx context.Context, ids []uuid.UUID) ([]int, []error) {
			m, err := batch.MessageCounts(ctx, userID, ids)
			return ordered(ids, m, err, "message count of conversation")
		}, wait),
		email: dataloadgen.NewLoader(func(ctx context.Context, ids []uuid.UUID) ([]domain.Email, []error) {
			m, err := ws.EmailsByID(ctx, userID, ids)
			return ordered(ids, m, err, "email")
		}, wait),
		event: dataloadgen.NewLoader(func(ctx context.Context, ids []uuid.UUID) ([]domain.Event, []error) {
			m, err := ws.EventsByID(ctx, userID, ids)
			return ordered(ids, m, err, "event")
		}, wait),
		file: dataloadgen.NewLoader(func(ctx context.Context, ids []uuid.UUID) ([]domain.File, []error) {
			m, err := ws.FilesByID(ctx, userID, ids)
			return ordered(ids, m, err, "file")
		}, wait),
	}
	return context.WithValue(ctx, loadersKey{}, l)
}

func loadersFrom(ctx context.Context) (*loaders, error) {
	l, ok := ctx.Value(loadersKey{}).(*loaders)
	if !ok {
		return nil, fmt.Errorf("no dataloaders in context: %w", domain.ErrUnauthenticated)
	}
	return l, nil
}

// ordered lays a batch result out in key order; an absent key is not the
// caller's, so it answers ErrNotFound.
func ordered[V any](ids []uuid.UUID, m map[uuid.UUID]V, err error, what string) ([]V, []error) {
	vals := make([]V, len(ids))
	errs := make([]error, len(ids))
	for i, id := range ids {
		v, ok := m[id]
		switch {
		case err != nil:
			errs[i] = err
		case !ok:
			errs[i] = fmt.Errorf("%s %s: %w", what, id, domain.ErrNotFound)
		default:
			vals[i] = v
		}
	}
	return vals, errs
}

// perKeyBatch serves the batch port from the plain ConversationStore, one
// call per distinct key, for stores that have no batch queries.
type perKeyBatch struct{ store domain.ConversationStore }

func (b perKeyBatch) ConversationsByID(ctx context.Context, userID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]domain.Conversation, error) {
	out := make(map[uuid.UUID]domain.Conversation, len(ids))
	for _, id := range ids {
		c, err := b.store.Conversation(ctx, userID, id)
		if errors.Is(err, domain.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[id] = c
	}
	return out, nil
}

func (b perKeyBatch) MessageCounts(ctx context.Context, userID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]int, error) {
	out := make(map[uuid.UUID]int, len(ids))
	for _, id := range ids {
		_, pi, err := b.store.Messages(ctx, userID, id, domain.Page{First: 1})
		if errors.Is(err, domain.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[id] = pi.TotalCount
	}
	return out, nil
}

// perKeyWorkspace serves the batch port from the plain WorkspaceReader: one
// call per key, a few at a time.
type perKeyWorkspace struct{ ws domain.WorkspaceReader }

func (p perKeyWorkspace) EmailsByID(ctx context.Context, userID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]domain.Email, error) {
	return eachKey(ctx, userID, ids, p.ws.Email)
}

func (p perKeyWorkspace) EventsByID(ctx context.Context, userID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]domain.Event, error) {
	return eachKey(ctx, userID, ids, p.ws.Event)
}

func (p perKeyWorkspace) FilesByID(ctx context.Context, userID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]domain.File, error) {
	return eachKey(ctx, userID, ids, p.ws.File)
}

// eachKey gets every id concurrently (bounded, to spare the pool) and leaves
// out the ones that are not found.
func eachKey[V any](ctx context.Context, userID uuid.UUID, ids []uuid.UUID,
	get func(ctx context.Context, userID, id uuid.UUID) (V, error)) (map[uuid.UUID]V, error) {
	var mu sync.Mutex
	out := make(map[uuid.UUID]V, len(ids))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for _, id := range ids {
		g.Go(func() error {
			v, err := get(gctx, userID, id)
			if errors.Is(err, domain.ErrNotFound) {
				return nil
			}
			if err != nil {
				return err
			}
			mu.Lock()
			out[id] = v
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// conversationOf loads a conversation of the request's user through the
// request's loader, so a page of messages costs one query.
func conversationOf(ctx context.Context, id uuid.UUID) (*model.Conversation, error) {
	l, err := loadersFrom(ctx)
	if err != nil {
		return nil, err
	}
	c, err := l.conversation.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	return fromConversation(c), nil
}
