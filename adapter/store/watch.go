package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/ingest"
)

var _ ingest.WatchStore = (*Store)(nil)

type watchRow struct {
	bun.BaseModel `bun:"table:push_watches"`

	UserID    uuid.UUID  `bun:"user_id,pk,type:uuid"`
	Service   string     `bun:"service,pk"`
	ExpiresAt *time.Time `bun:"expires_at"` // NULL in DueWatches for a watch never opened
	UpdatedAt time.Time  `bun:"updated_at"`
}

// DueWatches returns, for every user with a stored Google token who does
// not need re-authorisation, the watches of services never opened or
// expiring before the given time, ordered by user and service.
func (s *Store) DueWatches(ctx context.Context, services []domain.Service, before time.Time) ([]ingest.Watch, error) {
	names := make([]string, len(services))
	for i, svc := range services {
		if !svc.Valid() {
			return nil, fmt.Errorf("%w: service %q", domain.ErrInvalidInput, svc)
		}
		names[i] = string(svc)
	}
	var rows []watchRow
	err := s.idb(ctx).NewRaw(`
		SELECT u.id AS user_id, s.service, w.expires_at
		FROM users u
		CROSS JOIN unnest(?::text[]) AS s (service)
		LEFT JOIN push_watches w ON w.user_id = u.id AND w.service = s.service
		WHERE u.token_key_id IS NOT NULL AND NOT u.needs_reauth
		  AND (w.expires_at IS NULL OR w.expires_at < ?)
		ORDER BY u.id, s.service`, pgdialect.Array(names), before.UTC()).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("store: due watches: %w", err)
	}
	out := make([]ingest.Watch, len(rows))
	for i, r := range rows {
		out[i] = ingest.Watch{UserID: r.UserID, Service: domain.Service(r.Service), Expires: derefTime(r.ExpiresAt).UTC()}
	}
	return out, nil
}

// SaveWatch records a watch just opened, replacing the user's previous one
// of that service.
func (s *Store) SaveWatch(ctx context.Context, w ingest.Watch) error {
	if !w.Service.Valid() {
		return fmt.Errorf("%w: service %q", domain.ErrInvalidInput, w.Service)
	}
	if w.Expires.IsZero() {
		return fmt.Errorf("%w: %s watch of user %s has no expiry", domain.ErrInvalidInput, w.Service, w.UserID)
	}
	row := watchRow{UserID: w.UserID, Service: string(w.Service), ExpiresAt: nullTime(w.Expires), UpdatedAt: s.now()}
	_, err := s.idb(ctx).NewInsert().Model(&row).
		On("CONFLICT (user_id, service) DO UPDATE").
		Set(excludedSet("expires_at", "updated_at")).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: save %s watch: %w", w.Service, userMissing(err, w.UserID))
	}
	return nil
}
