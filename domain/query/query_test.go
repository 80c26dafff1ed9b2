package query_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/query"
)

// book is an in-memory Contacts: each address with the names it appears under.
type book struct {
	people map[string][]string
	labels []string
}

func (b book) People(_ context.Context, _ uuid.UUID, name []string, prefix bool) ([]string, error) {
	var out []string
	for addr, names := range b.people {
		var toks []string
		for _, n := range append(names, strings.NewReplacer(".", " ", "_", " ").Replace(strings.Split(addr, "@")[0])) {
			toks = append(toks, strings.Fields(strings.ToLower(strings.NewReplacer(",", " ", "\"", " ").Replace(n)))...)
		}
		ok := true
		for i, w := range name {
			hit := slices.Contains(toks, w)
			if !hit && prefix && i == len(name)-1 {
				hit = slices.ContainsFunc(toks, func(t string) bool { return strings.HasPrefix(t, w) })
			}
			ok = ok && hit
		}
		if ok {
			out = append(out, addr)
		}
	}
	slices.Sort(out)
	return out, nil
}

func (b book) Labels(context.Context, uuid.UUID) ([]string, error) { return b.labels, nil }

type fixture struct {
	p   query.Parser
	now time.Time
	loc *time.Location
}

func setup(t *testing.T) fixture {
	t.Helper()
	loc, err := time.LoadLocation("America/Los_Angeles")
	require.NoError(t, err)
	return fixture{
		p: query.Parser{Contacts: book{
			people: map[string][]string{
				"rosalee.fleming@enron.com": {"Fleming, Rosalee", "Rosalee Fleming"},
				"sarah@example.com":         {"Fleming, Rosalee"},
				"kenneth.lay@enron.com":     {"Ken Lay", "Kenneth Lay"},
				"david.delainey@enron.com":  {"David W Delainey"},
				"event@aei.org":             {`"AEI event"`},
				"brown_mary_jo@lilly.com":   {"BROWN_MARY_JO@LILLY.COM"},
				"l..wells@enron.com":        {"Wells, Tori L."},
				"tori.wells@enron.com":      {""},
			},
			labels: []string{"INBOX", "lay-k:business", "lay-k:family"},
		}},
		now: time.Date(2001, 11, 14, 10, 0, 0, 0, loc), // a Wednesday
		loc: loc,
	}
}

func (f fixture) parse(t *testing.T, q string) query.Parsed {
	t.Helper()
	p, err := f.p.Parse(context.Background(), uuid.New(), q, f.now, f.loc)
	require.NoError(t, err)
	return p
}

func TestParseSenderAndMonth(t *testing.T) {
	t.Parallel()
	f := setup(t)
	p := f.parse(t, "emails from Fleming, Rosalee in 2000-06")
	require.Equal(t, []string{"rosalee.fleming@enron.com", "sarah@example.com"}, p.Filters.From)
	require.Equal(t, []domain.Service{domain.ServiceGmail}, p.Filters.Services)
	require.Equal(t, time.Date(2000, 6, 1, 0, 0, 0, 0, f.loc), p.Filters.After)
	require.Equal(t, time.Date(2000, 7, 1, 0, 0, 0, 0, f.loc), p.Filters.Before)
	require.Empty(t, p.Text)
	require.Empty(t, p.Terms)
	require.Equal(t, []query.Source{
		{Field: "date", Words: "in 2000-06", Start: 29, End: 39},
		{Field: "from", Words: "from Fleming, Rosalee", Start: 7, End: 28},
	}, p.Sources)
}

func TestParsePeople(t *testing.T) {
	t.Parallel()
	f := setup(t)
	for q, want := range map[string][]string{
		"emails from David W Delainey in 2000-11":  {"david.delainey@enron.com"},
		`emails from "AEI event"@ENRON in 2002-01`: {"event@aei.org"},
		"from Rosa":                            {"rosalee.fleming@enron.com", "sarah@example.com"}, // typing: prefix
		"from:david.delainey@enron.com budget": {"david.delainey@enron.com"},
	} {
		p := f.parse(t, q)
		require.Equal(t, want, p.Filters.From, q)
	}
	p := f.parse(t, "to Ken about the merger")
	require.Equal(t, []string{"kenneth.lay@enron.com"}, p.Filters.To)
	require.Equal(t, "merger", p.Text)

	p = f.parse(t, "from Nobody about lunch") // unknown names stay free text
	require.Empty(t, p.Filters.From)
	require.Equal(t, "Nobody lunch", p.Text)
}

func TestParseFlagsLabelsTypes(t *testing.T) {
	t.Parallel()
	f := setup(t)
	p := f.parse(t, `unread emails with attachments in my inbox about "board meeting" -lunch budget*`)
	require.True(t, *p.Filters.Unread)
	require.True(t, *p.Filters.HasAttachment)
	require.Equal(t, []string{"INBOX"}, p.Filters.Labels)
	require.Equal(t, []string{"lunch"}, p.Exclude)
	require.Equal(t, []query.Term{{Text: "board meeting", Phrase: true}, {Text: "budget", Prefix: true}}, p.Terms)
	require.Equal(t, "board meeting budget", p.Text)

	p = f.parse(t, "label:business")
	require.Equal(t, []string{"lay-k:business"}, p.Filters.Labels)
	p = f.parse(t, "lay-k:family")
	require.Equal(t, []string{"lay-k:family"}, p.Filters.Labels)

	// a service word names a service only where the query starts
	p = f.parse(t, "telephonic board meeting")
	require.Empty(t, p.Filters.Services)
	require.Equal(t, "telephonic board meeting", p.Text)
	p = f.parse(t, "show me my meetings about budget")
	require.Equal(t, []domain.Service{domain.ServiceCalendar}, p.Filters.Services)

	// a date written with a month name stays a term; "in" does not
	p = f.parse(t, "attached paper and september 27 panel")
	require.Equal(t, "attached paper and september 27 panel", p.Text)
	require.False(t, p.Hints.After.IsZero())
	p = f.parse(t, "emails about the september 27 panel")
	require.Equal(t, "september 27 panel", p.Text)
	require.False(t, p.Filters.After.IsZero())

	p = f.parse(t, "pdf about pricing")
	require.Contains(t, p.Filters.MimeTypes, "application/pdf")
	require.Equal(t, []domain.Service{domain.ServiceDrive}, p.Filters.Services)
	require.Equal(t, "pricing", p.Text)
}

func TestParseRelativeDates(t *testing.T) {
	t.Parallel()
	f := setup(t)
	p := f.parse(t, "meetings with Ken last week")
	require.Equal(t, []string{"kenneth.lay@enron.com"}, p.Filters.Attendees)
	require.Equal(t, time.Date(2001, 11, 5, 0, 0, 0, 0, f.loc), p.Filters.After)
	require.Equal(t, time.Date(2001, 11, 12, 0, 0, 0, 0, f.loc), p.Filters.Before)
	require.Equal(t, []domain.Service{domain.ServiceCalendar}, p.Filters.Services)

	p = f.parse(t, "when is the holiday party in December 2000?")
	require.True(t, p.Filters.After.IsZero(), "a question for a date keeps the date as content")
	p = f.parse(t, "the program with Ken")
	require.Empty(t, p.Filters.Attendees, "without a service, with is not a participant")

	// in a question, dates and names are hints: shown, not filtering, and
	// their words stay terms
	p = f.parse(t, "what did Rosalee send since Monday")
	require.Equal(t, time.Date(2001, 11, 12, 0, 0, 0, 0, f.loc), p.Hints.After)
	require.True(t, p.Filters.After.IsZero())
	p = f.parse(t, "which deal did the team from Fleming close in 2000-06?")
	require.True(t, p.Filters.IsZero())
	require.Equal(t, []string{"rosalee.fleming@enron.com", "sarah@example.com"}, p.Hints.From)
	require.Equal(t, "deal team Fleming close 2000-06", p.Text)
	require.Equal(t, []query.Source{
		{Field: "date", Words: "in 2000-06", Start: 43, End: 53, Hint: true},
		{Field: "from", Words: "from Fleming", Start: 24, End: 36, Hint: true},
	}, p.Sources)
}

func TestParseInvalidOperator(t *testing.T) {
	t.Parallel()
	f := setup(t)
	_, err := f.p.Parse(context.Background(), uuid.New(), "after:yesterday-ish", f.now, f.loc)
	require.ErrorIs(t, err, domain.ErrInvalidInput)
}

func TestParseIdentifiers(t *testing.T) {
	t.Parallel()
	f := setup(t)
	for q, want := range map[string][]string{
		"kep-2381 status":                      {"kep-2381"},
		"what is KEP 536 about":                {"KEP 536"},
		"ticket #4521 from the help desk":      {"ticket 4521"},
		"INC0012345":                           {"INC0012345"},
		"the q3_budget.xlsx file":              {"q3_budget.xlsx"},
		"meeting at 3pm on the 22nd":           nil,
		"emails in 2000-06":                    nil,
		"i2 board schedule for 2001":           nil,
		"mail from kenneth.lay@enron.com 2001": nil,
	} {
		p := f.parse(t, q)
		require.Equal(t, want, p.Idents, q)
	}
	require.Equal(t, "KEP 536", f.parse(t, "KEP 536").Text, "the words are terms too")
}
