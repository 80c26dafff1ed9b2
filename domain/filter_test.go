package domain_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// The engine only boosts by filters; Matches keeps ranked lists and agents exact.
func TestFiltersMatchEveryField(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	yes, no := true, false
	e := domain.Email{
		From: domain.Address{Email: "Sarah@Example.com"}, To: []domain.Address{{Email: "a@x.org"}},
		Cc: []domain.Address{{Email: "b@x.org"}}, Labels: []string{"INBOX", "Work"}, MessageIDs: []string{"<m1@x>"},
		ReceivedAt: at, HasAttachment: true, Unread: false,
	}
	for _, c := range []struct {
		f    domain.Filter
		want bool
	}{
		{domain.Filter{}, true},
		{domain.Filter{From: []string{"sarah@example.com"}}, true}, // addresses ignore case
		{domain.Filter{From: []string{"tom@example.com"}}, false},
		{domain.Filter{To: []string{"b@x.org"}}, true}, // Cc counts as a recipient
		{domain.Filter{Labels: []string{"Work", "Later"}}, true},
		{domain.Filter{NotLabels: []string{"DRAFT"}}, true},
		{domain.Filter{NotLabels: []string{"Later", "work"}}, false},
		{domain.Filter{MessageIDs: []string{"<m2@x>"}}, false},
		{domain.Filter{After: at}, true},   // inclusive
		{domain.Filter{Before: at}, false}, // exclusive
		{domain.Filter{HasAttachment: &no}, false},
		{domain.Filter{Unread: &no, HasAttachment: &yes}, true},
	} {
		require.Equal(t, c.want, c.f.MatchesEmail(e), "%+v", c.f)
	}

	ev := domain.Event{Start: at, End: at.Add(time.Hour), Attendees: []domain.Attendee{{Email: "Ayse@x.org"}}}
	require.True(t, domain.Filter{Attendees: []string{"ayse@x.org"}, After: at, Before: at.Add(time.Minute)}.MatchesEvent(ev))
	require.False(t, domain.Filter{After: at.Add(time.Hour)}.MatchesEvent(ev), "ends exactly then")
	require.False(t, domain.Filter{Before: at}.MatchesEvent(ev), "starts exactly then")

	f := domain.File{MimeType: "application/pdf", Owners: []string{"me@x.org"}, ModifiedAt: at, ParentFolder: "sig-auth"}
	require.True(t, domain.Filter{Folders: []string{"SIG-Auth"}}.MatchesFile(f))
	require.False(t, domain.Filter{Folders: []string{"sig-node"}}.MatchesFile(f))
	require.True(t, domain.Filter{MimeTypes: []string{"application/pdf"}, Owners: []string{"ME@x.org"}}.MatchesFile(f))
	require.False(t, domain.Filter{MimeTypes: []string{"text/plain"}}.MatchesFile(f))
	require.False(t, domain.Filter{After: at.Add(time.Second)}.MatchesFile(f))
}

func TestIsAddress(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"sarah@acme.example", " Bob.Stone@x.co.uk "} {
		require.True(t, domain.IsAddress(s), s)
	}
	for _, s := range []string{"", "sarah", "sarah@", "@acme.example", "sarah@acme", "sarah@acme.", "e-mail <.bob@enron.com",
		".bob@enron.com", `jo."j"@mail.x.com@x.com`, "a b@x.com"} {
		require.False(t, domain.IsAddress(s), s)
	}
}

func TestFilterMerge(t *testing.T) {
	t.Parallel()
	jun := time.Date(2001, 6, 1, 0, 0, 0, 0, time.UTC)
	jul := jun.AddDate(0, 1, 0)
	yes := true
	a := domain.Filter{From: []string{"a@x"}, After: jun}
	b := domain.Filter{From: []string{"a@x", "b@x"}, After: jun.AddDate(0, 0, 10), Before: jul, Unread: &yes}
	require.Equal(t, domain.Filter{From: []string{"a@x", "b@x"}, After: jun.AddDate(0, 0, 10), Before: jul, Unread: &yes}, a.Merge(b))
	require.Equal(t, a, a.Merge(domain.Filter{}))
	require.True(t, domain.Filter{Query: "budget", Services: []domain.Service{domain.ServiceGmail}}.IsZero())
	require.False(t, b.IsZero())
}
