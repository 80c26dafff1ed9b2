package orchestrator_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain/orchestrator"
)

// BenchmarkAsk measures the domain's own share of an offline ask (classify,
// plan, execute against in-memory ports, write): from Ask to the first TOKEN
// event and to DONE. Storage, Redis and the network are not in it.
func BenchmarkAsk(b *testing.B) {
	bd := setup(b)
	var mu sync.Mutex
	started := map[uuid.UUID]time.Time{}
	var first, done []time.Duration
	ready := make(chan uuid.UUID, 1)
	bd.pub.onEvent = func(id uuid.UUID, ev orchestrator.Event) {
		mu.Lock()
		defer mu.Unlock()
		switch ev.Type {
		case orchestrator.EventToken:
			if ev.Seq > 0 && len(first) < len(done)+1 {
				first = append(first, time.Since(started[id]))
			}
		case orchestrator.EventDone:
			done = append(done, time.Since(started[id]))
			ready <- id
		}
	}
	queries := []string{
		"emails from Sarah about the budget last week", "what meetings do I have tomorrow?",
		"find the KEP about sidecar containers", "Cancel my Turkish Airlines flight",
	}
	ctx := context.Background()
	b.ResetTimer()
	for i := range b.N {
		mu.Lock()
		t0 := time.Now()
		m, err := bd.o.Ask(ctx, orchestrator.AskInput{UserID: bd.user, Query: queries[i%len(queries)]})
		started[m.ID] = t0
		mu.Unlock()
		require.NoError(b, err)
		<-ready
	}
	b.StopTimer()
	b.ReportMetric(pct(first, 50), "first-token-p50-µs")
	b.ReportMetric(pct(first, 99), "first-token-p99-µs")
	b.ReportMetric(pct(done, 50), "done-p50-µs")
}

func pct(ds []time.Duration, p int) float64 {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return float64(s[(len(s)-1)*p/100].Microseconds())
}
