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
		f    domain.MailFilter
		want bool
	}{
		{domain.MailFilter{}, true},
		{domain.MailFilter{From: []string{"sarah@example.com"}}, true}, // addresses ignore case
		{domain.MailFilter{From: []string{"tom@example.com"}}, false},
		{domain.MailFilter{To: []string{"b@x.org"}}, true}, // Cc counts as a recipient
		{domain.MailFilter{Labels: []string{"Work", "Later"}}, true},
		{domain.MailFilter{MessageIDs: []string{"<m2@x>"}}, false},
		{domain.MailFilter{After: at}, true},   // inclusive
		{domain.MailFilter{Before: at}, false}, // exclusive
		{domain.MailFilter{HasAttachment: &no}, false},
		{domain.MailFilter{Unread: &no, HasAttachment: &yes}, true},
	} {
		require.Equal(t, c.want, c.f.Matches(e), "%+v", c.f)
	}

	ev := domain.Event{Start: at, End: at.Add(time.Hour), Attendees: []domain.Attendee{{Email: "Ayse@x.org"}}}
	require.True(t, domain.EventFilter{Attendees: []string{"ayse@x.org"}, After: at, Before: at.Add(time.Minute)}.Matches(ev))
	require.False(t, domain.EventFilter{After: at.Add(time.Hour)}.Matches(ev), "ends exactly then")
	require.False(t, domain.EventFilter{Before: at}.Matches(ev), "starts exactly then")

	f := domain.File{MimeType: "application/pdf", Owners: []string{"me@x.org"}, ModifiedAt: at}
	require.True(t, domain.FileFilter{MimeTypes: []string{"application/pdf"}, Owners: []string{"ME@x.org"}}.Matches(f))
	require.False(t, domain.FileFilter{MimeTypes: []string{"text/plain"}}.Matches(f))
	require.False(t, domain.FileFilter{After: at.Add(time.Second)}.Matches(f))
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
