package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

type syncStatusRow struct {
	bun.BaseModel `bun:"table:sync_status"`

	ID            uuid.UUID  `bun:"id,pk,type:uuid"`
	UserID        uuid.UUID  `bun:"user_id,type:uuid"`
	Service       string     `bun:"service"`
	State         string     `bun:"state"`
	LastSyncAt    *time.Time `bun:"last_sync_at"`
	LastSyncToken string     `bun:"last_sync_token"`
	Checkpoint    string     `bun:"checkpoint"`
	StartToken    string     `bun:"start_token"`
	Error         string     `bun:"error"`
	ItemCount     int        `bun:"item_count"`
	CreatedAt     time.Time  `bun:"created_at"`
	UpdatedAt     time.Time  `bun:"updated_at"`
}

func (r *syncStatusRow) domain() domain.SyncStatus {
	return domain.SyncStatus{
		UserID:     r.UserID,
		Service:    domain.Service(r.Service),
		State:      domain.SyncState(r.State),
		LastSyncAt: derefTime(r.LastSyncAt).UTC(),
		Token:      r.LastSyncToken,
		Checkpoint: r.Checkpoint,
		StartToken: r.StartToken,
		Error:      r.Error,
		ItemCount:  r.ItemCount,
		UpdatedAt:  r.UpdatedAt.UTC(),
	}
}

// neverSynced is the status of a (user, service) with no row yet.
func neverSynced(userID uuid.UUID, svc domain.Service) domain.SyncStatus {
	return domain.SyncStatus{UserID: userID, Service: svc, State: domain.SyncNeverSynced}
}

// SyncStatus returns where the user's sync of svc stands; SyncNeverSynced
// when it never ran.
func (s *SyncStore) SyncStatus(ctx context.Context, userID uuid.UUID, svc domain.Service) (domain.SyncStatus, error) {
	if !svc.Valid() {
		return domain.SyncStatus{}, fmt.Errorf("%w: service %q", domain.ErrInvalidInput, svc)
	}
	var rows []syncStatusRow
	err := s.idb(ctx).NewSelect().Model(&rows).Where("user_id = ? AND service = ?", userID, string(svc)).Scan(ctx)
	if err != nil {
		return domain.SyncStatus{}, fmt.Errorf("store: sync status %s of user %s: %w", svc, userID, unavailable(err))
	}
	if len(rows) == 0 {
		return neverSynced(userID, svc), nil
	}
	return rows[0].domain(), nil
}

// SyncStatuses returns the status of every service, in domain.Services order.
func (s *SyncStore) SyncStatuses(ctx context.Context, userID uuid.UUID) ([]domain.SyncStatus, error) {
	var rows []syncStatusRow
	if err := s.idb(ctx).NewSelect().Model(&rows).Where("user_id = ?", userID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("store: sync statuses of user %s: %w", userID, unavailable(err))
	}
	out := make([]domain.SyncStatus, len(domain.Services))
	for i, svc := range domain.Services {
		out[i] = neverSynced(userID, svc)
		for j := range rows {
			if rows[j].Service == string(svc) {
				out[i] = rows[j].domain()
			}
		}
	}
	return out, nil
}

// SaveSyncStatus inserts or replaces the (user, service) status.
func (s *SyncStore) SaveSyncStatus(ctx context.Context, st domain.SyncStatus) error {
	if !st.Service.Valid() {
		return fmt.Errorf("%w: service %q", domain.ErrInvalidInput, st.Service)
	}
	if st.State == "" {
		return fmt.Errorf("%w: sync status of %s has no State", domain.ErrInvalidInput, st.Service)
	}
	now := s.now()
	row := syncStatusRow{
		ID:            uuid.Must(uuid.NewV7()),
		UserID:        st.UserID,
		Service:       string(st.Service),
		State:         string(st.State),
		LastSyncAt:    nullTime(st.LastSyncAt),
		LastSyncToken: st.Token,
		Checkpoint:    st.Checkpoint,
		StartToken:    st.StartToken,
		Error:         st.Error,
		ItemCount:     st.ItemCount,
		CreatedAt:     now,
		UpdatedAt:     now,
	}
	_, err := s.idb(ctx).NewInsert().Model(&row).
		On("CONFLICT (user_id, service) DO UPDATE").
		Set(excludedSet("state", "last_sync_at", "last_sync_token", "checkpoint", "start_token", "error", "item_count", "updated_at")).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: save sync status %s: %w", st.Service, userMissing(err, st.UserID))
	}
	return nil
}
