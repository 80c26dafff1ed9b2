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

var _ ingest.WatchStore = (*SyncStore)(nil)

type watchRow struct {
	bun.BaseModel `bun:"table:push_watches"`

	UserID    uuid.UUID  `bun:"user_id,pk,type:uuid"`
	Service   string     `bun:"service,pk"`
	ExpiresAt *time.Time `bun:"expires_at"` // NULL in DueWatches for a watch never opened
	// ChannelID and ResourceID name a Calendar or Drive channel; "" for
	// Gmail and, in DueWatches, for a watch never opened.
	ChannelID  string    `bun:"channel_id"`
	ResourceID string    `bun:"resource_id"`
	UpdatedAt  time.Time `bun:"updated_at"`
}

// DueWatches returns, for every user with a stored Google token who does
// not need re-authorisation, the watches of services never opened or
// expiring before the given time, with their channels, ordered by user and
// service.
func (s *SyncStore) DueWatches(ctx context.Context, services []domain.Service, before time.Time) ([]ingest.Watch, error) {
	names := make([]string, len(services))
	for i, svc := range services {
		if !svc.Valid() {
			return nil, fmt.Errorf("%w: service %q", domain.ErrInvalidInput, svc)
		}
		names[i] = string(svc)
	}
	var rows []watchRow
	err := s.idb(ctx).NewRaw(`
		SELECT u.id AS user_id, s.service, w.expires_at,
		       coalesce(w.channel_id, '') AS channel_id, coalesce(w.resource_id, '') AS resource_id
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
		out[i] = ingest.Watch{UserID: r.UserID, Service: domain.Service(r.Service), Expires: derefTime(r.ExpiresAt).UTC(),
			Channel: ingest.Channel{ID: r.ChannelID, ResourceID: r.ResourceID}}
	}
	return out, nil
}

// SaveWatch records a watch just opened, replacing the user's previous one
// of that service. A Calendar or Drive watch must name its channel, which a
// renewal stops; a Gmail watch has none.
func (s *SyncStore) SaveWatch(ctx context.Context, w ingest.Watch) error {
	if !w.Service.Valid() {
		return fmt.Errorf("%w: service %q", domain.ErrInvalidInput, w.Service)
	}
	if w.Expires.IsZero() {
		return fmt.Errorf("%w: %s watch of user %s has no expiry", domain.ErrInvalidInput, w.Service, w.UserID)
	}
	switch {
	case w.Service == domain.ServiceGmail && w.Channel != (ingest.Channel{}):
		return fmt.Errorf("%w: gmail watch of user %s has a channel (%q, %q); Gmail watches have none",
			domain.ErrInvalidInput, w.UserID, w.Channel.ID, w.Channel.ResourceID)
	case w.Service != domain.ServiceGmail && (w.Channel.ID == "" || w.Channel.ResourceID == ""):
		return fmt.Errorf("%w: %s watch of user %s needs its channel id and resource id, got %q and %q",
			domain.ErrInvalidInput, w.Service, w.UserID, w.Channel.ID, w.Channel.ResourceID)
	}
	row := watchRow{UserID: w.UserID, Service: string(w.Service), ExpiresAt: nullTime(w.Expires),
		ChannelID: w.Channel.ID, ResourceID: w.Channel.ResourceID, UpdatedAt: s.now()}
	_, err := s.idb(ctx).NewInsert().Model(&row).
		On("CONFLICT (user_id, service) DO UPDATE").
		Set(excludedSet("expires_at", "channel_id", "resource_id", "updated_at")).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: save %s watch: %w", w.Service, userMissing(err, w.UserID))
	}
	return nil
}

// lapseWatches marks every watch of the user as expired now: an account that
// lost its grant has likely lost them with it. Once it reconnects they are
// due at once, and renewing a channel stops the one recorded here, with the
// new grant; the old one can't be stopped before, with a grant Google refuses.
func (s *core) lapseWatches(ctx context.Context, userID uuid.UUID) error {
	now := s.now()
	_, err := s.idb(ctx).NewUpdate().Model((*watchRow)(nil)).
		Set("expires_at = ?", now).
		Set("updated_at = ?", now).
		Where("user_id = ?", userID).Where("expires_at > ?", now).Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: lapse watches of user %s: %w", userID, err)
	}
	return nil
}
