package synctest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

func TestMailerDraftsAndSendsOnce(t *testing.T) {
	t.Parallel()
	e := setup(t, options{workspace: map[string]emulator.Workspace{alice: workspace()}})
	u := e.connect(t, alice)
	e.sync(t, u, domain.ServiceGmail)
	ctx := context.Background()
	var budget domain.Email
	for _, m := range e.emails(t, u) {
		if m.Subject == "Budget" {
			budget = m
		}
	}

	draftID, err := e.gmail.CreateDraft(ctx, u.ID, domain.Draft{
		To: []domain.Address{{Name: "Bob", Email: "bob@example.com"}}, Body: "Approved.\nAlice", InReplyTo: budget.EmailID,
	})
	require.NoError(t, err)
	drafts := slices.Collect(func(yield func(domain.Email) bool) {
		for _, m := range e.emails(t, u) {
			if slices.Contains(m.Labels, "DRAFT") && !yield(m) {
				return
			}
		}
	})
	require.Len(t, drafts, 1, "the draft is cached at once")
	require.Equal(t, "Re: Budget", drafts[0].Subject)
	require.Equal(t, budget.ThreadID, drafts[0].ThreadID)

	sent, err := e.gmail.SendDraft(ctx, u.ID, draftID)
	require.NoError(t, err)
	require.Contains(t, sent.Labels, "SENT")
	require.Equal(t, "Approved.\nAlice", sent.Body)
	require.Equal(t, budget.ThreadID, sent.ThreadID)

	// A retry finds the message the draft became and sends nothing.
	again, err := e.gmail.SendDraft(ctx, u.ID, draftID)
	require.NoError(t, err)
	require.Equal(t, sent.EmailID, again.EmailID)
	n := 0
	for _, m := range e.snapshot(t, alice).Messages {
		if slices.Contains(m.LabelIDs, "SENT") && slices.Contains(m.MessageIDs, sent.MessageIDs[0]) {
			n++
		}
	}
	require.Equal(t, 1, n, "sent exactly once")

	cached := e.emails(t, u)
	require.Contains(t, cached, sent.EmailID)
	require.NotContains(t, cached, drafts[0].EmailID, "the draft left the cache when it was sent")
	full, err := e.store.Email(ctx, u.ID, cached[sent.EmailID].ID)
	require.NoError(t, err)
	require.Len(t, full.Embedding.Values, domain.EmbeddingDim)

	// The next sync agrees with what the writes cached.
	e.sync(t, u, domain.ServiceGmail)
	require.Len(t, e.emails(t, u), len(cached))
}

func TestMailerRepeatedDraftIsNotCopied(t *testing.T) {
	t.Parallel()
	e := setup(t, options{workspace: map[string]emulator.Workspace{alice: workspace()}})
	u := e.connect(t, alice)
	ctx := context.Background()
	d := domain.Draft{To: []domain.Address{{Email: "bob@example.com"}}, Subject: "Offsite", Body: "Shall we meet Friday?"}
	first, err := e.gmail.CreateDraft(ctx, u.ID, d)
	require.NoError(t, err)
	again, err := e.gmail.CreateDraft(ctx, u.ID, d)
	require.NoError(t, err)
	require.Equal(t, first, again, "the same request returns the draft it made")
	d.Body = "Shall we meet Monday?"
	other, err := e.gmail.CreateDraft(ctx, u.ID, d)
	require.NoError(t, err)
	require.NotEqual(t, first, other, "a draft saying something else is a new one")
	n := 0
	for _, m := range e.snapshot(t, alice).Messages {
		if slices.Contains(m.LabelIDs, "DRAFT") {
			n++
		}
	}
	require.Equal(t, 2, n)

	// Once sent, the same request drafts anew.
	_, err = e.gmail.SendDraft(ctx, u.ID, first)
	require.NoError(t, err)
	d.Body = "Shall we meet Friday?"
	fresh, err := e.gmail.CreateDraft(ctx, u.ID, d)
	require.NoError(t, err)
	require.NotEqual(t, first, fresh)
}

func TestSchedulerCreatesOnceUpdatesAndDeletes(t *testing.T) {
	t.Parallel()
	e := setup(t, options{workspace: map[string]emulator.Workspace{alice: workspace()}})
	u := e.connect(t, alice)
	ctx := context.Background()
	start := day.Add(5 * 24 * time.Hour)
	ev := domain.Event{
		EventID: "orch0123456789abcdef", Title: "Design review", Start: start, End: start.Add(time.Hour),
		TimeZone: "America/New_York", Attendees: []domain.Attendee{{Email: "bob@example.com"}},
	}
	created, err := e.calendar.CreateEvent(ctx, u.ID, ev)
	require.NoError(t, err)
	require.Equal(t, ev.EventID, created.EventID)
	require.Equal(t, "America/New_York", created.TimeZone)
	require.True(t, created.Start.Equal(start))

	retried, err := e.calendar.CreateEvent(ctx, u.ID, ev)
	require.NoError(t, err, "a retry with the same id finds the existing event")
	require.Equal(t, created.EventID, retried.EventID)
	require.Len(t, e.snapshot(t, alice).Events, 3)
	require.Contains(t, e.events(t, u), ev.EventID)

	title := "Design review (moved)"
	later := start.Add(24 * time.Hour)
	updated, err := e.calendar.UpdateEvent(ctx, u.ID, "primary", ev.EventID, domain.EventPatch{Title: &title, Start: &later})
	require.NoError(t, err)
	require.Equal(t, title, updated.Title)
	require.True(t, updated.Start.Equal(later))
	require.Equal(t, title, e.events(t, u)[ev.EventID].Title)

	require.NoError(t, e.calendar.DeleteEvent(ctx, u.ID, "primary", ev.EventID))
	require.NotContains(t, e.events(t, u), ev.EventID)
	require.NoError(t, e.calendar.DeleteEvent(ctx, u.ID, "primary", ev.EventID), "deleting twice is fine")
}

func TestSharerGrantsOnce(t *testing.T) {
	t.Parallel()
	e := setup(t, options{workspace: map[string]emulator.Workspace{alice: workspace()}})
	u := e.connect(t, alice)
	ctx := context.Background()
	fileID := e.snapshot(t, alice).Files[0].ID

	p1, err := e.drive.Share(ctx, u.ID, fileID, "Bob@Example.com", "reader")
	require.NoError(t, err)
	p2, err := e.drive.Share(ctx, u.ID, fileID, "bob@example.com", "reader")
	require.NoError(t, err)
	require.Equal(t, p1.ID, p2.ID)

	ps, err := e.drive.Permissions(ctx, u.ID, fileID)
	require.NoError(t, err)
	n := 0
	for _, p := range ps {
		if p.Email == "bob@example.com" {
			n++
		}
	}
	require.Equal(t, 1, n)

	_, err = e.drive.Share(ctx, u.ID, fileID, "bob@example.com", "owner")
	require.ErrorIs(t, err, domain.ErrInvalidInput)
}
