package resolvers

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/graph/model"
)

// syncStatuses reads the caller's statuses, one per service in
// domain.Services order; a service never synced has no row and reads as
// NEVER_SYNCED.
func (r *Resolver) syncStatuses(ctx context.Context, userID uuid.UUID) ([]model.SyncStatus, error) {
	if r.SyncStatuses == nil {
		return nil, errNotConfigured("sync status")
	}
	got, err := r.SyncStatuses.SyncStatuses(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("sync status: %w", err)
	}
	out := make([]model.SyncStatus, len(domain.Services))
	for i, s := range domain.Services {
		st := domain.SyncStatus{Service: s, State: domain.SyncNeverSynced}
		for _, g := range got {
			if g.Service == s {
				st = g
			}
		}
		out[i] = fromSyncStatus(st)
	}
	return out, nil
}

func fromSyncStatus(st domain.SyncStatus) model.SyncStatus {
	state := st.State
	if state == "" {
		state = domain.SyncNeverSynced
	}
	return model.SyncStatus{
		Service: fromService(st.Service), State: model.SyncState(strings.ToUpper(string(state))),
		LastSyncAt: optionalTime(st.LastSyncAt), ItemCount: st.ItemCount, Error: st.Error,
		UpdatedAt: optionalTime(st.UpdatedAt),
	}
}

// sameStatus compares what a client sees of two statuses.
func sameStatus(a, b model.SyncStatus) bool {
	return a.Service == b.Service && a.State == b.State && a.ItemCount == b.ItemCount && a.Error == b.Error &&
		deref(a.LastSyncAt).Equal(deref(b.LastSyncAt)) && deref(a.UpdatedAt).Equal(deref(b.UpdatedAt))
}
