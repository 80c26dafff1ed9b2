package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// EmailsByID loads the user's emails with the given row ids in one query;
// ids that are not the user's are absent from the map.
func (s *MailStore) EmailsByID(ctx context.Context, userID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]domain.Email, error) {
	return ownedMany(ctx, s.idb(ctx), userID, ids, "emails", (*emailRow).domain, emailID)
}

// EmailSummariesByID is EmailsByID without the bodies.
func (s *MailStore) EmailSummariesByID(ctx context.Context, userID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]domain.Email, error) {
	return ownedMany(ctx, s.idb(ctx), userID, ids, "emails", (*emailRow).domain, emailID, "body")
}

func emailID(e domain.Email) uuid.UUID { return e.ID }

// EventsByID loads the user's events with the given row ids in one query.
func (s *CalendarStore) EventsByID(ctx context.Context, userID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]domain.Event, error) {
	return ownedMany(ctx, s.idb(ctx), userID, ids, "events", (*eventRow).domain, func(e domain.Event) uuid.UUID { return e.ID })
}

// FilesByID loads the user's files with the given row ids in one query.
func (s *DriveStore) FilesByID(ctx context.Context, userID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]domain.File, error) {
	return ownedMany(ctx, s.idb(ctx), userID, ids, "files", (*fileRow).domain, fileID)
}

// FileSummariesByID is FilesByID without the contents.
func (s *DriveStore) FileSummariesByID(ctx context.Context, userID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]domain.File, error) {
	return ownedMany(ctx, s.idb(ctx), userID, ids, "files", (*fileRow).domain, fileID, "content")
}

func fileID(f domain.File) uuid.UUID { return f.ID }

// ownedMany is owned for many ids; the embedding and the exclude columns are
// left out (callers show items).
func ownedMany[R, D any](ctx context.Context, db bun.IDB, userID uuid.UUID, ids []uuid.UUID, what string,
	conv func(*R) D, key func(D) uuid.UUID, exclude ...string) (map[uuid.UUID]D, error) {
	out := make(map[uuid.UUID]D, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []R
	if err := db.NewSelect().Model(&rows).ExcludeColumn(append(exclude, "embedding", "passages", "passage_words")...).
		Where("user_id = ? AND id IN (?)", userID, bun.List(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("store: load %d %s of user %s: %w", len(ids), what, userID, err)
	}
	for i := range rows {
		d := conv(&rows[i])
		out[key(d)] = d
	}
	return out, nil
}
