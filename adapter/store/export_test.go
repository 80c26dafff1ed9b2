package store

import (
	"context"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// Unavailable exposes unavailable to the external tests.
var Unavailable = unavailable

// MergeIndexBy is MergeIndex taking at most rows tail rows per statement.
func (s *SyncStore) MergeIndexBy(ctx context.Context, userID uuid.UUID, svc domain.Service, rows int) error {
	return s.mergeIndex(ctx, userID, svc, rows)
}
