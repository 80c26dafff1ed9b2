package orchestrator_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/agent"
	"github.com/workspace-orchestrator/orchestrator/domain/orchestrator"
	"github.com/workspace-orchestrator/orchestrator/domain/search"
)

// hitsEngine answers every search with fixed hits.
type hitsEngine []search.Hit

func (e hitsEngine) Search(context.Context, search.Request) (search.Result, error) {
	return search.Result{Hits: e}, nil
}

// emailRows serves emails by row id (WorkspaceSummaryReader).
type emailRows map[uuid.UUID]domain.Email

func (r emailRows) EmailSummariesByID(_ context.Context, _ uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]domain.Email, error) {
	out := map[uuid.UUID]domain.Email{}
	for _, id := range ids {
		if e, ok := r[id]; ok {
			out[id] = e
		}
	}
	return out, nil
}

func (emailRows) EventsByID(context.Context, uuid.UUID, []uuid.UUID) (map[uuid.UUID]domain.Event, error) {
	return map[uuid.UUID]domain.Event{}, nil
}

func (emailRows) FileSummariesByID(context.Context, uuid.UUID, []uuid.UUID) (map[uuid.UUID]domain.File, error) {
	return map[uuid.UUID]domain.File{}, nil
}

func TestSearcherActsOnlyOnRelevantHitsThatPassTheFilters(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 6, 10, 9, 0, 0, 0, time.UTC)
	mk := func(subject, from string) domain.Email {
		return domain.Email{ID: uuid.New(), EmailID: subject, Subject: subject, From: domain.Address{Email: from}, ReceivedAt: at}
	}
	words, close, far, other := mk("budget", "sarah@example.com"), mk("finances", "sarah@example.com"),
		mk("lunch", "sarah@example.com"), mk("budget too", "bob@example.com")
	rows := emailRows{words.ID: words, close.ID: close, far.ID: far, other.ID: other}
	hit := func(e domain.Email, legs ...search.LegHit) search.Hit {
		return search.Hit{Item: search.Item{Service: domain.ServiceGmail, ID: e.ID, ExternalID: e.EmailID}, Legs: legs}
	}
	engine := hitsEngine{
		hit(words, search.LegHit{Leg: search.LegFullText, Rank: 1, Score: 3.2}),
		hit(other, search.LegHit{Leg: search.LegFullText, Rank: 2, Score: 3.1}),
		hit(close, search.LegHit{Leg: search.LegVector, Rank: 1, Score: 0.62}),
		hit(far, search.LegHit{Leg: search.LegVector, Rank: 2, Score: 0.12}),
	}
	s := orchestrator.Searcher{Engine: engine, Batch: rows}
	ids := func(items []agent.Item) []string {
		out := []string{}
		for _, it := range items {
			out = append(out, it.ID)
		}
		return out
	}
	ctx := context.Background()
	items, err := s.Search(ctx, uuid.New(), domain.Filter{Query: "budget"}, 10)
	require.NoError(t, err)
	require.Equal(t, []string{"budget", "budget too", "finances"}, ids(items), "a far vector-only hit is not acted on")

	items, err = s.Search(ctx, uuid.New(), domain.Filter{Query: "budget", From: []string{"SARAH@example.com"}}, 10)
	require.NoError(t, err)
	require.Equal(t, []string{"budget", "finances"}, ids(items), "emails from Sarah are from Sarah")

	items, err = s.Search(ctx, uuid.New(), domain.Filter{Query: "budget", After: at.Add(time.Hour)}, 10)
	require.NoError(t, err)
	require.Empty(t, items, "dates are honoured")
}

// people answers every name with the same addresses (query.Contacts).
type people []string

func (p people) People(context.Context, uuid.UUID, []string, bool) ([]string, error) { return p, nil }

func (people) Labels(context.Context, uuid.UUID) ([]string, error) { return nil, nil }

func TestContactsLeaveOutMangledAddresses(t *testing.T) {
	t.Parallel()
	c := orchestrator.Contacts{People: people{"bob.napier@enron.com", "e-mail <.bob@enron.com",
		`rosalee."jessica"@mailman.enron.com@enron.com`, ".bob@enron.com", "bob@localhost", "casey.bob@enron.com"}}
	got, err := c.Resolve(context.Background(), uuid.New(), "Bob")
	require.NoError(t, err)
	require.Equal(t, []domain.Address{{Email: "bob.napier@enron.com"}, {Email: "casey.bob@enron.com"}}, got)
}

// names is a fixed table of display names.
type names map[string]string

func (n names) Names(context.Context, uuid.UUID, []string) (map[string]string, error) { return n, nil }

// The addresses a name resolves to carry the display names they are seen
// with, so that the classifier can tell whose a name typed whole is.
func TestContactsNameTheAddressesFound(t *testing.T) {
	t.Parallel()
	c := orchestrator.Contacts{People: people{"tori.wells@enron.com", "wells.tori@enron.com"}, Names: names{"tori.wells@enron.com": "Tori L Wells"}}
	got, err := c.Resolve(context.Background(), uuid.New(), "Tori Wells")
	require.NoError(t, err)
	require.Equal(t, []domain.Address{{Name: "Tori L Wells", Email: "tori.wells@enron.com"}, {Email: "wells.tori@enron.com"}}, got)
}

// pagedMail lists n emails in pages of at most 100, as the store does.
type pagedMail struct {
	domain.WorkspaceReader
	n int
}

func (m pagedMail) Emails(_ context.Context, _ uuid.UUID, _ domain.Filter, p domain.Page) ([]domain.Email, domain.PageInfo, error) {
	from := 0
	if p.After != "" {
		from, _ = strconv.Atoi(p.After)
	}
	to := min(from+min(p.First, 100), m.n)
	var out []domain.Email
	for i := from; i < to; i++ {
		out = append(out, domain.Email{ID: uuid.New(), EmailID: strconv.Itoa(i)})
	}
	return out, domain.PageInfo{HasNextPage: to < m.n, EndCursor: strconv.Itoa(to)}, nil
}

// A listing wanting more than a page ("how many emails did Rosalee send
// me") reads on to its limit, and no further.
func TestSearcherListsPastOnePage(t *testing.T) {
	t.Parallel()
	s := orchestrator.Searcher{Reader: pagedMail{n: 263}}
	only := domain.Filter{Services: []domain.Service{domain.ServiceGmail}, From: []string{"rosalee.fleming@enron.com"}}
	items, err := s.Search(context.Background(), uuid.New(), only, orchestrator.CountLimit)
	require.NoError(t, err)
	require.Len(t, items, 263)
	require.Equal(t, "262", items[262].ID)
	items, err = s.Search(context.Background(), uuid.New(), only, 150)
	require.NoError(t, err)
	require.Len(t, items, 150)
}

// directory finds people by their words' exact first names.
type directory map[string][]string

func (d directory) People(_ context.Context, _ uuid.UUID, words []string, _ bool) ([]string, error) {
	return d[strings.Join(words, " ")], nil
}

func (directory) Labels(context.Context, uuid.UUID) ([]string, error) { return nil, nil }

func TestContactsKnowCommonNicknames(t *testing.T) {
	t.Parallel()
	c := orchestrator.Contacts{People: directory{
		"rosalee":        {"rosalee.fleming@example.com"},
		"william harris": {"william.harris@example.com"},
		"liz":            {"liz.moore@example.com"},
		"elizabeth":      {"elizabeth.ames@example.com"},
	}}
	for name, want := range map[string]string{
		"Rosie":        "rosalee.fleming@example.com",
		"Bill Harris":  "william.harris@example.com",
		"Liz":          "liz.moore@example.com", // someone goes by it: no guessing
		"William":      "",
		"Rosie Harris": "",
	} {
		got, err := c.Resolve(context.Background(), uuid.New(), name)
		require.NoError(t, err)
		if want == "" {
			require.Empty(t, got, name)
			continue
		}
		require.Equal(t, []domain.Address{{Email: want}}, got, name)
	}
}
