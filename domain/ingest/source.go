package ingest

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// batch is one page of changes to one service's cache, whatever the service.
type batch struct {
	emails  []domain.Email
	events  []domain.Event
	files   []domain.File
	deleted []string // Google ids
	next    string   // next page token, "" on the last page
	token   string   // on the last page: the sync token to continue from
	// first and last mark the pages of a full sync that begin and end
	// replacing the cache.
	first, last bool
}

func (b batch) size() int { return len(b.emails) + len(b.events) + len(b.files) }

// texts returns the text to embed of every item and a setter for its vector.
func (b *batch) texts() ([]string, func(i int, v domain.Vector)) {
	switch {
	case len(b.emails) > 0:
		ts := make([]string, len(b.emails))
		for i, e := range b.emails {
			ts[i] = EmailText(e)
		}
		return ts, func(i int, v domain.Vector) { b.emails[i].Embedding = v }
	case len(b.events) > 0:
		ts := make([]string, len(b.events))
		for i, e := range b.events {
			ts[i] = EventText(e)
		}
		return ts, func(i int, v domain.Vector) { b.events[i].Embedding = v }
	default:
		ts := make([]string, len(b.files))
		for i, f := range b.files {
			ts[i] = FileText(f)
		}
		return ts, func(i int, v domain.Vector) { b.files[i].Embedding = v }
	}
}

func (b batch) write(ctx context.Context, w domain.WorkspaceWriter, userID uuid.UUID, svc domain.Service) error {
	var up, del error
	switch svc {
	case domain.ServiceGmail:
		if len(b.emails) > 0 {
			up = w.UpsertEmails(ctx, userID, b.emails)
		}
		if up == nil && len(b.deleted) > 0 {
			del = w.DeleteEmails(ctx, userID, b.deleted)
		}
	case domain.ServiceCalendar:
		if len(b.events) > 0 {
			up = w.UpsertEvents(ctx, userID, b.events)
		}
		if up == nil && len(b.deleted) > 0 {
			del = w.DeleteEvents(ctx, userID, b.deleted)
		}
	default:
		if len(b.files) > 0 {
			up = w.UpsertFiles(ctx, userID, b.files)
		}
		if up == nil && len(b.deleted) > 0 {
			del = w.DeleteFiles(ctx, userID, b.deleted)
		}
	}
	if up != nil {
		return fmt.Errorf("upsert %d %s items: %w", b.size(), svc, up)
	}
	if del != nil {
		return fmt.Errorf("delete %d %s items: %w", len(b.deleted), svc, del)
	}
	return nil
}

// source is what the sync loop needs of a service.
type source interface {
	// start returns the token an incremental sync after a full sync starts
	// from, taken before the full listing ("" when the listing's last page
	// carries it instead).
	start(ctx context.Context, userID uuid.UUID) (string, error)
	fullPage(ctx context.Context, userID uuid.UUID, pageToken string) (batch, error)
	changesPage(ctx context.Context, userID uuid.UUID, token, pageToken string) (batch, error)
}

type gmailSource struct{ GmailSource }

func (g gmailSource) start(ctx context.Context, userID uuid.UUID) (string, error) {
	id, err := g.HistoryID(ctx, userID)
	return formatUint(id), err
}

func (g gmailSource) fullPage(ctx context.Context, userID uuid.UUID, pageToken string) (batch, error) {
	ids, next, err := g.ListMessages(ctx, userID, pageToken)
	if err != nil {
		return batch{}, err
	}
	es, err := g.GetMessages(ctx, userID, ids)
	return batch{emails: es, next: next}, err
}

func (g gmailSource) changesPage(ctx context.Context, userID uuid.UUID, token, pageToken string) (batch, error) {
	start, err := strconv.ParseUint(token, 10, 64)
	if err != nil {
		return batch{}, fmt.Errorf("history id %q: %w", token, domain.ErrSyncTokenExpired)
	}
	h, err := g.History(ctx, userID, start, pageToken)
	if err != nil {
		return batch{}, err
	}
	b := batch{next: h.Next, token: formatUint(h.HistoryID), deleted: h.Deleted}
	changed := slices.DeleteFunc(slices.Compact(slices.Sorted(slices.Values(h.Changed))), func(id string) bool {
		return slices.Contains(h.Deleted, id)
	})
	if len(changed) == 0 {
		return b, nil
	}
	es, err := g.GetMessages(ctx, userID, changed)
	if err != nil {
		return batch{}, err
	}
	// A changed message that is gone (deleted since, or now in trash or spam)
	// leaves the cache.
	found := make(map[string]bool, len(es))
	for _, e := range es {
		found[e.EmailID] = true
	}
	for _, id := range changed {
		if !found[id] {
			b.deleted = append(b.deleted, id)
		}
	}
	b.emails = es
	return b, nil
}

type calendarSource struct{ CalendarSource }

func (calendarSource) start(context.Context, uuid.UUID) (string, error) { return "", nil }

func (c calendarSource) fullPage(ctx context.Context, userID uuid.UUID, pageToken string) (batch, error) {
	return c.page(ctx, userID, "", pageToken)
}

func (c calendarSource) changesPage(ctx context.Context, userID uuid.UUID, token, pageToken string) (batch, error) {
	return c.page(ctx, userID, token, pageToken)
}

func (c calendarSource) page(ctx context.Context, userID uuid.UUID, token, pageToken string) (batch, error) {
	p, err := c.Events(ctx, userID, token, pageToken)
	return batch{events: p.Events, deleted: p.Cancelled, next: p.Next, token: p.SyncToken}, err
}

type driveSource struct{ DriveSource }

func (d driveSource) start(ctx context.Context, userID uuid.UUID) (string, error) {
	return d.StartPageToken(ctx, userID)
}

func (d driveSource) fullPage(ctx context.Context, userID uuid.UUID, pageToken string) (batch, error) {
	p, err := d.ListFiles(ctx, userID, pageToken)
	return batch{files: p.Files, next: p.Next}, err
}

func (d driveSource) changesPage(ctx context.Context, userID uuid.UUID, token, pageToken string) (batch, error) {
	if pageToken == "" {
		pageToken = token
	}
	p, err := d.Changes(ctx, userID, pageToken)
	return batch{files: p.Files, deleted: p.Removed, next: p.Next, token: p.NewStartPageToken}, err
}
