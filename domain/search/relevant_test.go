package search_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/query"
	"github.com/workspace-orchestrator/orchestrator/domain/search"
)

func hitOf(n byte, legs ...search.LegHit) search.Hit {
	return search.Hit{Item: search.Item{Service: domain.ServiceGmail, ID: uuid.UUID{n}}, Legs: legs}
}

func TestRelevantKeepsWhatALegVouchesFor(t *testing.T) {
	t.Parallel()
	text := func(s float64) search.LegHit { return search.LegHit{Leg: search.LegFullText, Score: s} }
	vec := func(s float64) search.LegHit { return search.LegHit{Leg: search.LegVector, Score: s} }
	filtered := func(s float64) search.LegHit { return search.LegHit{Leg: search.LegFiltered, Score: s} }
	r := search.Result{Parsed: query.Parsed{Text: "budget review"}, Hits: []search.Hit{
		hitOf(1, text(10)),            // the best word match
		hitOf(2, text(4), vec(0.1)),   // 0.4 of the best: still the words
		hitOf(3, text(2), vec(0.2)),   // a common word only, far in meaning
		hitOf(4, vec(0.6)),            // close in meaning
		hitOf(5, filtered(0.3)),       // admitted by the filters, far in meaning
		hitOf(6, vec(0.3), text(3.4)), // neither
	}}
	ids := func(hs []search.Hit) []byte {
		var out []byte
		for _, h := range hs {
			out = append(out, h.ID[0])
		}
		return out
	}
	require.Equal(t, []byte{1, 2, 4}, ids(r.Relevant()))

	r.Parsed.Text = "" // a listing: the filters are what was asked
	require.Equal(t, []byte{1, 2, 4, 5}, ids(r.Relevant()))

	r.Profile.MinSimilarity = 0.7
	r.Profile.RelativeBM25 = 0.1
	require.Equal(t, []byte{1, 2, 3, 5, 6}, ids(r.Relevant()))

	require.Empty(t, search.Result{Hits: []search.Hit{hitOf(1, vec(0.1))}, Parsed: query.Parsed{Text: "x"}}.Relevant(), "no good match")
}

// items serves one email and one event by row id (search.ItemReader).
type items struct{}

func (items) EmailsByID(_ context.Context, _ uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]domain.Email, error) {
	return map[uuid.UUID]domain.Email{{1}: {Subject: "budget", From: domain.Address{Email: "sarah@example.com"}}}, nil
}

func (items) EventsByID(context.Context, uuid.UUID, []uuid.UUID) (map[uuid.UUID]domain.Event, error) {
	return map[uuid.UUID]domain.Event{{3}: {Title: "review"}}, nil
}

func (items) FilesByID(context.Context, uuid.UUID, []uuid.UUID) (map[uuid.UUID]domain.File, error) {
	return nil, nil
}

func TestLoadKeepsHitOrderAndDropsWhatIsGoneOrFiltered(t *testing.T) {
	t.Parallel()
	ev := hitOf(3)
	ev.Service = domain.ServiceCalendar
	hits := []search.Hit{ev, hitOf(2), hitOf(1)} // 2 was deleted since it was indexed
	found, err := search.Load(context.Background(), items{}, uuid.New(), hits, domain.Filter{})
	require.NoError(t, err)
	require.Len(t, found, 2)
	require.Equal(t, "review", found[0].Event.Title)
	require.Equal(t, "budget", found[1].Email.Subject)

	found, err = search.Load(context.Background(), items{}, uuid.New(), hits, domain.Filter{From: []string{"bob@example.com"}})
	require.NoError(t, err)
	require.Len(t, found, 1, "the email fails the filter; events do not read From")
}
