package agent_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/agent"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
)

func TestPickOne(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 6, 25, 10, 0, 0, 0, time.UTC)
	flight := agent.Item{Service: domain.ServiceCalendar, Kind: "event", ID: "e1", Title: "Flight TK1982 Istanbul → London", At: at}
	review := agent.Item{Service: domain.ServiceCalendar, Kind: "event", ID: "e2", Title: "Budget review", At: at.Add(time.Hour)}
	sync := agent.Item{Service: domain.ServiceCalendar, Kind: "event", ID: "e3", Title: "Weekly sync", At: at.Add(2 * time.Hour)}

	got, err := agent.PickOne([]agent.Item{flight}, "", "event", nil)
	require.NoError(t, err)
	require.Equal(t, "e1", got.ID)

	got, err = agent.PickOne([]agent.Item{flight, review, sync}, "the budget review", "event", nil)
	require.NoError(t, err)
	require.Equal(t, "e2", got.ID, "the only title holding every word")

	_, err = agent.PickOne([]agent.Item{flight, review, sync}, "meeting", "event", time.UTC)
	require.ErrorIs(t, err, agent.ErrAmbiguous)
	require.ErrorIs(t, err, domain.ErrInvalidInput)
	require.EqualError(t, err, `3 events match ("Flight TK1982 Istanbul → London" (Thu Jun 25 2026 10:00 UTC), "Budget review" (Thu Jun 25 2026 11:00 UTC), "Weekly sync" (Thu Jun 25 2026 12:00 UTC)); say which one: ambiguous`)

	_, err = agent.PickOne(nil, "x", "file", nil)
	require.ErrorIs(t, err, agent.ErrNothingFound)
	require.ErrorIs(t, err, domain.ErrNotFound)
}

func TestCandidatesAndReadRow(t *testing.T) {
	t.Parallel()
	row := uuid.New()
	inputs := []agent.Input{
		{StepID: "s1", Output: agent.Output{Items: []agent.Item{{Service: domain.ServiceGmail, Kind: "email", ID: "m1", RowID: row}}}},
		{StepID: "s2", Output: agent.Output{Items: []agent.Item{
			{Service: domain.ServiceGmail, Kind: "email", ID: "m1", RowID: row}, {Service: domain.ServiceDrive, Kind: "file", ID: "f1"},
		}}},
	}
	require.Len(t, agent.Candidates(inputs, domain.ServiceGmail, "email"), 1, "without repeats")
	require.Len(t, agent.Candidates(inputs, domain.ServiceDrive, ""), 1)

	id, ok, err := agent.ReadRow(intent.Step{Params: intent.Params{}}, inputs, domain.ServiceGmail)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, row, id)
	_, _, err = agent.ReadRow(intent.Step{Params: intent.Params{intent.ParamRowID: "nope"}}, nil, domain.ServiceGmail)
	require.ErrorIs(t, err, domain.ErrInvalidInput)
	_, ok, err = agent.ReadRow(intent.Step{Params: intent.Params{}}, nil, domain.ServiceDrive)
	require.NoError(t, err)
	require.False(t, ok)
}

func TestFiltersOfAndStableID(t *testing.T) {
	t.Parallel()
	f, err := agent.FiltersOf(intent.Params{
		intent.ParamFrom: []any{"a@example.com"}, intent.ParamAfter: "2026-06-01T00:00:00Z", intent.ParamUnread: true,
		intent.ParamFolders: []any{"wg-batch"}, intent.ParamOwners: []string{"o@example.com"},
	})
	require.NoError(t, err)
	require.Equal(t, []string{"a@example.com"}, f.From)
	require.Equal(t, []string{"wg-batch"}, f.Folders)
	require.Equal(t, []string{"o@example.com"}, f.Owners)
	require.Equal(t, 2026, f.After.Year())
	require.True(t, *f.Unread)
	_, err = agent.FiltersOf(intent.Params{intent.ParamBefore: "last week"})
	require.ErrorIs(t, err, domain.ErrInvalidInput)

	msg := uuid.New()
	id := agent.StableID(msg, "s1-a1")
	require.Equal(t, id, agent.StableID(msg, "s1-a1"))
	require.NotEqual(t, id, agent.StableID(msg, "s2-a1"))
	require.Regexp(t, `^[0-9a-v]{32}$`, id, "a valid Calendar event id")
}

// searcher answers every search with the same items, ignoring the filters.
type searcher []agent.Item

// queries records the words each search was asked.
type queries []string

func (q *queries) Search(_ context.Context, _ uuid.UUID, f domain.Filter, _ int) ([]agent.Item, error) {
	*q = append(*q, f.Query)
	return nil, nil
}

func TestSearchWithoutWordsLooksForWhatItDependsOn(t *testing.T) {
	t.Parallel()
	var q queries
	meeting := agent.Input{StepID: "s1", Output: agent.Output{Items: []agent.Item{{Service: domain.ServiceCalendar, Title: "Steering: Private Steering Committee Meeting"}}}}
	_, err := agent.SearchStep(context.Background(), &q, uuid.New(), domain.ServiceGmail, intent.Step{Params: intent.Params{}}, []agent.Input{meeting})
	require.NoError(t, err)
	_, err = agent.SearchStep(context.Background(), &q, uuid.New(), domain.ServiceGmail, intent.Step{Params: intent.Params{intent.ParamQuery: "budget"}}, []agent.Input{meeting})
	require.NoError(t, err)
	require.Equal(t, queries{"steering steering committee", "budget"}, q, "its own words win")
	_, err = agent.SearchStep(context.Background(), &q, uuid.New(), domain.ServiceGmail, intent.Step{Params: intent.Params{
		intent.ParamQuery: "many", intent.ParamFrom: []string{"leonardo.pacheco@enron.com"}}}, nil)
	require.NoError(t, err)
	require.Equal(t, "", q[2], "how many emails from Leonardo: a listing of his, not a search for 'many'")
	require.Equal(t, "Q3 budget", agent.Content("the last thing about the Q3 budget"))
	require.Empty(t, agent.Content("newest, not older ones"), "how to sort is no word to find")
	require.Equal(t, "merger", agent.Content("last heard from her about the merger"))
	require.Empty(t, agent.Content("the latest note"), "a note is any mail")

}

func (s searcher) Search(context.Context, uuid.UUID, domain.Filter, int) ([]agent.Item, error) {
	return s, nil
}

func TestSearchStepKeepsDates(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 6, 17, 14, 30, 0, 0, time.UTC)
	items := searcher{
		{Service: domain.ServiceCalendar, ID: "running", At: now.Add(-time.Hour), End: now.Add(time.Hour)},
		{Service: domain.ServiceCalendar, ID: "over", At: now.Add(-2 * time.Hour), End: now.Add(-time.Hour)},
		{Service: domain.ServiceCalendar, ID: "later", At: now.Add(24 * time.Hour), End: now.Add(25 * time.Hour)},
		{Service: domain.ServiceCalendar, ID: "next week", At: now.Add(7 * 24 * time.Hour)},
		{Service: domain.ServiceGmail, ID: "other service", At: now},
	}
	out, err := agent.SearchStep(context.Background(), items, uuid.New(), domain.ServiceCalendar, intent.Step{Params: intent.Params{
		intent.ParamAfter: now.Format(time.RFC3339), intent.ParamBefore: now.Add(48 * time.Hour).Format(time.RFC3339),
	}}, nil)
	require.NoError(t, err)
	var ids []string
	for _, it := range out.Items {
		ids = append(ids, it.ID)
	}
	require.Equal(t, []string{"running", "later"}, ids)
}

func TestSortAndMatchingOrderByDate(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	items := []agent.Item{
		{ID: "a", Title: "EnronOnline Executive Summary for Oct 30", At: at},
		{ID: "b", Title: "Executive summit", At: at.AddDate(0, 0, 5)},
		{ID: "c", Title: "EnronOnline Executive Summary for Nov 6", At: at.AddDate(0, 0, 3)},
	}
	got := agent.Matching(items, "EnronOnline executive summary", false)
	agent.Sort(got, intent.OrderNewest)
	require.Equal(t, []string{"c", "a"}, []string{got[0].ID, got[1].ID}, "the newest of the matches, not the newest loose hit")
	agent.Sort(got, intent.OrderUpcoming)
	require.Equal(t, "a", got[0].ID)
	require.Empty(t, agent.Matching(items, "quarterly budget", false), "nothing holds the words: nothing found")
	require.Len(t, agent.Matching(items, "quarterly budget", true), 3, "narrowed to people already: kept")
}

func TestMatchingShowsOnlyWhatHoldsEveryWord(t *testing.T) {
	t.Parallel()
	items := []agent.Item{
		{ID: "node", Title: "SIG Node meeting"},
		{ID: "rel", Title: "SIG Release: Regular SIG Meeting"},
		{ID: "qos", Title: "SIG Node meeting", Body: "Discussed memory QoS and swap."},
	}
	ids := func(xs []agent.Item) (out []string) {
		for _, x := range xs {
			out = append(out, x.ID)
		}
		return out
	}
	require.Equal(t, []string{"rel"}, ids(agent.Matching(items, "SIG Release", false)), "a loose match on one word is no match")
	require.Equal(t, []string{"qos"}, ids(agent.Matching(items, "SIG Node memory QoS", false)), "the text counts, not just the title")
	require.Equal(t, []string{"node", "qos"}, ids(agent.Matching(items, "SIG Node meetings", false)), "a plural's singular will do")
	require.Empty(t, agent.Matching(items, "SIG Security", false), "half the words is not a match")
	budget := []agent.Item{{ID: "kep", Title: "KEP-85: Disruption budget"}, {ID: "q3", Title: "Q3 budget.xlsx"}}
	require.Equal(t, []string{"q3"}, ids(agent.Matching(budget, "Q3 budget", false)), "a short word of letters and digits counts")
	require.Empty(t, agent.Matching(budget[:1], "Q3 budget", false), "an item without the Q3 is no Q3 budget")
	require.Equal(t, []string{"qos"}, ids(agent.Matching(items, "SIG Node memory QoS swap bandwidth", false)), "most of the words will do")
	links := []agent.Item{{ID: "x", Title: "SIG Docs meeting", Body: "Notes: kubernetes/community:sig-docs/archive https://kubernetes.io/community"}}
	require.Empty(t, agent.Matching(links, "Kubernetes Community Meeting", false), "links and paths are no text")
	keps := []agent.Item{{ID: "k", Title: "KEP-4331: Livez readyz", Folder: "sig-etcd"}, {ID: "o", Title: "KEP-1: Other", Folder: "sig-node"}}
	require.Equal(t, []string{"k"}, ids(agent.Matching(keps, "sig-etcd KEPs owned most recently", false)), "the folder counts; request words do not")

	// A search's items carry no bodies: what full text found in them counts.
	found := []agent.Item{
		{ID: "shoot", Title: "Fortune Editor's Invit cover shoot", Held: 1},
		{ID: "aspen", Title: "Thank you for the Aspen invitation", Held: 0.25},
	}
	require.Equal(t, []string{"shoot"}, ids(agent.Matching(found, "Fortune portrait shoot Aspen", false)), "held in the body")
	require.Equal(t, []string{"k"}, ids(agent.Matching(append(keps, agent.Item{ID: "body", Title: "KEP-2: Etcd", Held: 1}), "sig-etcd KEPs", false)),
		"what the title shows comes before what the body holds")
	ranked := []agent.Item{
		{ID: "tfa", Title: "TFA-Houston Needs", Held: 0.75},
		{ID: "news", Title: "BusinessWeek's International Alert", Held: 1},
		{ID: "other", Title: "For sale", Held: 0.75},
	}
	require.Equal(t, []string{"tfa", "news"}, ids(agent.Matching(ranked, "tech giving 75 computers", false)),
		"what the search ranked above the first holding every word stays, when it holds most")
}

// shallow is a search engine of limited depth whose relevance ranks the
// occurrences far from now first: a series' many other meetings fill it.
type shallow struct {
	items []agent.Item
	depth int
}

func (s shallow) Search(_ context.Context, _ uuid.UUID, f domain.Filter, _ int) ([]agent.Item, error) {
	var out []agent.Item
	for _, it := range s.items {
		if (f.After.IsZero() || !it.At.Before(f.After)) && (f.Before.IsZero() || it.At.Before(f.Before)) && len(out) < s.depth {
			out = append(out, it)
		}
	}
	return out, nil
}

func TestSearchOrderedFromNowFindsTheNearestBeyondTheSearchDepth(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 6, 17, 14, 30, 0, 0, time.UTC)
	var s shallow
	s.depth = 4
	for _, days := range []int{-400, -300, -200, -100, 200, 300, 400, 500, -3, 2, 9} {
		at := now.AddDate(0, 0, days)
		s.items = append(s.items, agent.Item{Service: domain.ServiceCalendar, ID: fmt.Sprint(days), Title: "Guild design review", At: at, End: at.Add(time.Hour)})
	}
	// Near now but holding only most of the words: the whole pool decides.
	decoy := now.AddDate(0, 0, -1)
	s.items = append([]agent.Item{{Service: domain.ServiceCalendar, ID: "decoy", Title: "Guild design sync", At: decoy, End: decoy.Add(time.Hour)}}, s.items...)
	s.depth++
	// Newer still, but only its notes name the series.
	notes := now.AddDate(0, 0, -2)
	s.items = append(s.items, agent.Item{Service: domain.ServiceCalendar, ID: "notes", Title: "Platform sync", Snippet: "guild design review follow-ups", At: notes, End: notes.Add(time.Hour)})
	first := func(order intent.Order, bound string) string {
		out, err := agent.SearchStep(context.Background(), s, uuid.New(), domain.ServiceCalendar, intent.Step{Params: intent.Params{
			intent.ParamQuery: "guild design review", intent.ParamOrder: string(order), intent.ParamLimit: 1, bound: now.Format(time.RFC3339)}}, nil)
		require.NoError(t, err)
		require.Len(t, out.Items, 1)
		return out.Items[0].ID
	}
	require.Equal(t, "2", first(intent.OrderUpcoming, intent.ParamAfter), "the next one, however deep it ranks")
	require.Equal(t, "-3", first(intent.OrderNewest, intent.ParamBefore), "the last one before now")
}
