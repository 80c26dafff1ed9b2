package ingest_test

import (
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/ingest"
)

func ExamplePlan() {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	users := []domain.User{
		{ID: uuid.MustParse("00000000-0000-0000-0000-000000000001"), LastActiveAt: now.Add(-10 * time.Minute)},
		{ID: uuid.MustParse("00000000-0000-0000-0000-000000000002"), LastActiveAt: now.Add(-5 * time.Hour)},
		{ID: uuid.MustParse("00000000-0000-0000-0000-000000000003"), LastActiveAt: now.Add(-2 * time.Minute), NeedsReauth: true},
		{ID: uuid.MustParse("00000000-0000-0000-0000-000000000004"), LastActiveAt: now.Add(-48 * time.Hour)},
	}
	for _, p := range ingest.Plan(users, now) {
		fmt.Println(p.UserID.String()[35:], p.Service, p.Priority)
	}
	// Output:
	// 1 gmail 2
	// 1 calendar 2
	// 1 drive 2
	// 2 gmail 3
	// 2 calendar 3
	// 2 drive 3
}
