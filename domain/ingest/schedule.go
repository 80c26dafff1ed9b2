package ingest

import (
	"time"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// Periodic sync policy: users active in the last day are kept in sync, those
// active in the last hour first.
const (
	SyncEvery    = 5 * time.Minute
	ActiveWindow = 24 * time.Hour
	RecentWindow = time.Hour
)

// PlannedSync is one sync the periodic schedule asks for.
type PlannedSync struct {
	UserID   uuid.UUID
	Service  domain.Service
	Priority int
}

// Plan returns the syncs to enqueue now for users (as ActiveUsers lists
// them since now-ActiveWindow): every service of each user, skipping accounts
// that need re-authorisation.
func Plan(users []domain.User, now time.Time) []PlannedSync {
	out := make([]PlannedSync, 0, len(users)*len(domain.Services))
	for _, u := range users {
		if u.NeedsReauth || u.LastActiveAt.Before(now.Add(-ActiveWindow)) {
			continue
		}
		prio := PriorityIdle
		if !u.LastActiveAt.Before(now.Add(-RecentWindow)) {
			prio = PriorityActive
		}
		for _, s := range domain.Services {
			out = append(out, PlannedSync{UserID: u.ID, Service: s, Priority: prio})
		}
	}
	return out
}
