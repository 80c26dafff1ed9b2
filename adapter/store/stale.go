package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// cacheModel is the row model of a service's cache.
func cacheModel(svc domain.Service) (any, error) {
	switch svc {
	case domain.ServiceGmail:
		return (*emailRow)(nil), nil
	case domain.ServiceCalendar:
		return (*eventRow)(nil), nil
	case domain.ServiceDrive:
		return (*fileRow)(nil), nil
	}
	return nil, fmt.Errorf("%w: service %q", domain.ErrInvalidInput, svc)
}

// MarkStale starts replacing one service's cache: every row there now is
// stale until an upsert rewrites it (upserts stamp synced_at with the
// transaction's time), and DeleteStale removes the rest. Marking again
// restarts the replacement.
func (s *SyncStore) MarkStale(ctx context.Context, userID uuid.UUID, svc domain.Service) error {
	if _, err := cacheModel(svc); err != nil {
		return err
	}
	_, err := s.idb(ctx).NewRaw(`INSERT INTO cache_sweeps (user_id, service, since) VALUES (?, ?, now())
		ON CONFLICT (user_id, service) DO UPDATE SET since = EXCLUDED.since`, userID, string(svc)).Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: mark %s cache of user %s stale: %w", svc, userID, userMissing(err, userID))
	}
	return nil
}

// DeleteStale ends a replacement begun by MarkStale: the rows no upsert
// rewrote since are deleted. Without a replacement under way it does nothing.
func (s *SyncStore) DeleteStale(ctx context.Context, userID uuid.UUID, svc domain.Service) error {
	model, err := cacheModel(svc)
	if err != nil {
		return err
	}
	return s.writeCache(ctx, userID, func(ctx context.Context, db bun.IDB) error {
		var since []time.Time
		err := db.NewRaw(`DELETE FROM cache_sweeps WHERE user_id = ? AND service = ? RETURNING since`,
			userID, string(svc)).Scan(ctx, &since)
		if err != nil {
			return fmt.Errorf("store: end %s cache sweep of user %s: %w", svc, userID, err)
		}
		if len(since) == 0 {
			return nil
		}
		if _, err := db.NewDelete().Model(model).Where("user_id = ? AND synced_at < ?", userID, since[0]).Exec(ctx); err != nil {
			return fmt.Errorf("store: delete stale %s cache of user %s: %w", svc, userID, err)
		}
		return nil
	})
}
