package intent_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain/intent"
)

// FuzzOfflineClassify: any request understands without panicking into an
// intent whose confidence is in [0, 1] and whose steps depend only on steps
// it has. Corpus: testdata/fuzz/FuzzOfflineClassify; `make fuzz`.
func FuzzOfflineClassify(f *testing.F) {
	for _, s := range []string{
		"emails from Sarah about the budget",
		"what's on my calendar next week",
		"cancel my Turkish Airlines flight",
		"draft a note to Bob about the offsite and show my meetings next week",
		"find the Q3 report and share it with bob@example.com",
		"reply to the first one saying thanks", "send it", "", "   ", "\x00", "and and and then",
	} {
		f.Add(s)
	}
	c := intent.NewOffline(nil)
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, q string) {
		in, err := c.Classify(context.Background(), intent.Request{Query: q, UserID: uuid.Nil, Now: now})
		if err != nil {
			return // refusing is fine; panicking is not
		}
		if in.Confidence < 0 || in.Confidence > 1 {
			t.Fatalf("Classify(%q): confidence %v", q, in.Confidence)
		}
		ids := map[string]bool{}
		for _, s := range in.Steps {
			ids[s.ID] = true
		}
		for _, s := range in.Steps {
			for _, d := range s.DependsOn {
				if !ids[d] {
					t.Fatalf("Classify(%q): step %s depends on missing %s", q, s.ID, d)
				}
			}
		}
	})
}
