package ingest

import (
	"context"
	"log/slog"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// WriteBack puts what the product itself wrote to Google (a draft, a sent
// mail, a created, moved or deleted event) into the cache at once, so search
// sees it before the next sync. The Google write side (domain.Mailer and
// domain.Scheduler implementations) is the one layer that calls it; the
// agents never write the cache.
//
// Its rule: Google holds the truth. A cache write that fails (embedding or
// storing) never fails the Google write it follows; it is logged, and the
// next sync repairs the cache.
type WriteBack struct {
	// Writer is the cache. Required.
	Writer domain.WorkspaceWriter
	// Embedder embeds items first. Optional: without it they are cached
	// unembedded until the next sync.
	Embedder domain.Embedder
	// Logger receives failed cache writes. Required.
	Logger *slog.Logger
}

// Email caches e (its UserID set) and returns it, embedded when it could be.
func (w WriteBack) Email(ctx context.Context, e domain.Email) domain.Email {
	if !w.embed(ctx, "email", e.EmailID, EmailText(e), &e.Embedding) {
		return e
	}
	if err := w.Writer.UpsertEmails(ctx, e.UserID, []domain.Email{e}); err != nil {
		w.failed(ctx, "email", e.EmailID, err)
	}
	return e
}

// Event caches ev (its UserID set) and returns it, embedded when it could be.
func (w WriteBack) Event(ctx context.Context, ev domain.Event) domain.Event {
	if !w.embed(ctx, "event", ev.EventID, EventText(ev), &ev.Embedding) {
		return ev
	}
	if err := w.Writer.UpsertEvents(ctx, ev.UserID, []domain.Event{ev}); err != nil {
		w.failed(ctx, "event", ev.EventID, err)
	}
	return ev
}

// DeleteEmail drops a message Google no longer has from the cache.
func (w WriteBack) DeleteEmail(ctx context.Context, userID uuid.UUID, emailID string) {
	if err := w.Writer.DeleteEmails(ctx, userID, []string{emailID}); err != nil {
		w.failed(ctx, "email", emailID, err)
	}
}

// DeleteEvent drops an event Google no longer has from the cache.
func (w WriteBack) DeleteEvent(ctx context.Context, userID uuid.UUID, eventID string) {
	if err := w.Writer.DeleteEvents(ctx, userID, []string{eventID}); err != nil {
		w.failed(ctx, "event", eventID, err)
	}
}

// embed fills v with text's embedding; false when embedding failed (the item
// is then left for the next sync rather than cached without one).
func (w WriteBack) embed(ctx context.Context, kind, id, text string, v *domain.Vector) bool {
	if w.Embedder == nil {
		return true
	}
	vs, err := Embed(ctx, w.Embedder, []string{text})
	if err != nil {
		w.failed(ctx, kind, id, err)
		return false
	}
	*v = vs[0]
	return true
}

func (w WriteBack) failed(ctx context.Context, kind, id string, err error) {
	w.Logger.WarnContext(ctx, "written to Google but not cached; the next sync caches it", "kind", kind, "id", id, "err", err)
}
