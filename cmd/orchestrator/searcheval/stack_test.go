package searcheval_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/embed"
	"github.com/workspace-orchestrator/orchestrator/adapter/redistest"
	"github.com/workspace-orchestrator/orchestrator/adapter/searchcache"
	"github.com/workspace-orchestrator/orchestrator/adapter/store"
	"github.com/workspace-orchestrator/orchestrator/adapter/store/storetest"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/query"
	"github.com/workspace-orchestrator/orchestrator/domain/search"
)

// TestSearchStackCachesUntilDataChanges wires the engine as the binary does:
// store legs, offline embedder, Redis results keyed by the store's data version.
func TestSearchStackCachesUntilDataChanges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.New(t)
	st := newStore(t, db)
	emb, err := embed.NewOffline()
	require.NoError(t, err)
	rdb, prefix := redistest.New(t)
	cache, err := searchcache.New(rdb, searchcache.Config{Prefix: prefix})
	require.NoError(t, err)
	idx := store.NewSearch(db)
	engine, err := search.New(search.Config{}, search.Deps{
		Index: idx, Embedder: emb, Parser: query.Parser{Contacts: idx}, Cache: cache, Versions: st,
		Clock: domain.FixedClock{T: time.Date(2001, 7, 1, 0, 0, 0, 0, time.UTC)}, Logger: slog.New(slog.DiscardHandler),
	})
	require.NoError(t, err)
	u, err := st.UpsertUser(ctx, newUserEmail())
	require.NoError(t, err)
	mail := func(id, subject, from string, at time.Time) domain.Email {
		vs, err := emb.Embed(ctx, []string{subject})
		require.NoError(t, err)
		return domain.Email{EmailID: id, Subject: subject, Body: subject, From: domain.Address{Email: from},
			ReceivedAt: at, MessageIDs: []string{"<" + id + "@x>"}, Embedding: domain.Vector{Values: vs[0], Model: emb.Model()}}
	}
	require.NoError(t, st.UpsertEmails(ctx, u.ID, []domain.Email{
		mail("m1", "Pipeline capacity report", "rosalee.fleming@enron.com", time.Date(2001, 6, 5, 0, 0, 0, 0, time.UTC)),
		mail("m2", "Lunch on Friday", "someone@example.com", time.Date(2001, 6, 6, 0, 0, 0, 0, time.UTC)),
	}))

	req := search.Request{UserID: u.ID, Query: "emails from Rosalee about pipeline capacity"}
	first, err := engine.Search(ctx, req)
	require.NoError(t, err)
	require.False(t, first.Cached)
	require.Equal(t, "m1", first.Hits[0].ExternalID)
	require.ElementsMatch(t, []search.Leg{search.LegFullText, search.LegVector, search.LegFiltered}, legsOf(first.Hits[0]))
	require.Equal(t, []string{"rosalee.fleming@enron.com"}, first.Parsed.Filters.From)

	again, err := engine.Search(ctx, req)
	require.NoError(t, err)
	require.True(t, again.Cached)
	require.Len(t, again.Hits, len(first.Hits))
	for i, h := range again.Hits {
		require.Equal(t, first.Hits[i].ID, h.ID)
		require.Equal(t, first.Hits[i].Legs, h.Legs)
		require.InDelta(t, first.Hits[i].Score, h.Score, 1e-12)
		require.True(t, first.Hits[i].At.Equal(h.At))
	}

	require.NoError(t, st.UpsertEmails(ctx, u.ID, []domain.Email{
		mail("m3", "Pipeline capacity report, revised", "rosalee.fleming@enron.com", time.Date(2001, 6, 7, 0, 0, 0, 0, time.UTC)),
	}))
	fresh, err := engine.Search(ctx, req)
	require.NoError(t, err)
	require.False(t, fresh.Cached, "a write to the user's data makes cached results unreachable")
	require.Greater(t, fresh.Version, first.Version)
	ids := map[string]bool{}
	for _, h := range fresh.Hits {
		ids[h.ExternalID] = true
	}
	require.True(t, ids["m3"])
}

func legsOf(h search.Hit) []search.Leg {
	out := make([]search.Leg, len(h.Legs))
	for i, l := range h.Legs {
		out[i] = l.Leg
	}
	return out
}
