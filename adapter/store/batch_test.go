package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/store"
	"github.com/workspace-orchestrator/orchestrator/adapter/store/storetest"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

func TestByIDLoadsOnlyTheUsersItems(t *testing.T) {
	t.Parallel()
	st := store.New(storetest.New(t), nil, domain.SystemClock{})
	ctx := context.Background()
	alice, err := st.UpsertUser(ctx, "alice@example.com")
	require.NoError(t, err)
	bob, err := st.UpsertUser(ctx, "bob@example.com")
	require.NoError(t, err)
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	require.NoError(t, st.UpsertEmails(ctx, alice.ID, []domain.Email{{EmailID: "a1", Subject: "one", ReceivedAt: at}, {EmailID: "a2", Subject: "two", ReceivedAt: at}}))
	require.NoError(t, st.UpsertEmails(ctx, bob.ID, []domain.Email{{EmailID: "b1", Subject: "bob's", ReceivedAt: at}}))
	require.NoError(t, st.UpsertEvents(ctx, alice.ID, []domain.Event{{EventID: "e1", Title: "standup", Start: at, End: at.Add(time.Hour), TimeZone: "UTC"}}))
	require.NoError(t, st.UpsertFiles(ctx, alice.ID, []domain.File{{FileID: "f1", Name: "plan", ModifiedAt: at}}))

	ids := func(es []domain.Email) []uuid.UUID {
		out := []uuid.UUID{}
		for _, e := range es {
			out = append(out, e.ID)
		}
		return out
	}
	mine, _, err := st.Emails(ctx, alice.ID, domain.Filter{}, domain.Page{})
	require.NoError(t, err)
	theirs, _, err := st.Emails(ctx, bob.ID, domain.Filter{}, domain.Page{})
	require.NoError(t, err)
	got, err := st.EmailsByID(ctx, alice.ID, append(ids(mine), ids(theirs)...))
	require.NoError(t, err)
	require.Len(t, got, 2, "bob's email is not alice's")
	for _, e := range mine {
		require.Equal(t, e.Subject, got[e.ID].Subject)
	}

	evs, _, err := st.Events(ctx, alice.ID, domain.Filter{}, domain.Page{})
	require.NoError(t, err)
	gotEv, err := st.EventsByID(ctx, alice.ID, []uuid.UUID{evs[0].ID})
	require.NoError(t, err)
	require.Equal(t, "standup", gotEv[evs[0].ID].Title)
	fs, _, err := st.Files(ctx, alice.ID, domain.Filter{}, domain.Page{})
	require.NoError(t, err)
	gotF, err := st.FilesByID(ctx, alice.ID, []uuid.UUID{fs[0].ID, uuid.New()})
	require.NoError(t, err)
	require.Len(t, gotF, 1)
	empty, err := st.FilesByID(ctx, alice.ID, nil)
	require.NoError(t, err)
	require.Empty(t, empty)
}

func TestSummariesLeaveOutBodiesAndContents(t *testing.T) {
	t.Parallel()
	st := store.New(storetest.New(t), nil, domain.SystemClock{})
	ctx := context.Background()
	alice, err := st.UpsertUser(ctx, "alice@example.com")
	require.NoError(t, err)
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	require.NoError(t, st.UpsertEmails(ctx, alice.ID, []domain.Email{{EmailID: "a1", Subject: "budget", Snippet: "the numbers", Body: "the numbers, in full", ReceivedAt: at}}))
	require.NoError(t, st.UpsertFiles(ctx, alice.ID, []domain.File{{FileID: "f1", Name: "plan", Preview: "goals", Content: "goals, in full", ModifiedAt: at}}))
	es, _, err := st.Emails(ctx, alice.ID, domain.Filter{}, domain.Page{})
	require.NoError(t, err)
	fs, _, err := st.Files(ctx, alice.ID, domain.Filter{}, domain.Page{})
	require.NoError(t, err)

	e, err := st.EmailSummariesByID(ctx, alice.ID, []uuid.UUID{es[0].ID})
	require.NoError(t, err)
	require.Equal(t, "budget", e[es[0].ID].Subject)
	require.Equal(t, "the numbers", e[es[0].ID].Snippet)
	require.Empty(t, e[es[0].ID].Body)
	f, err := st.FileSummariesByID(ctx, alice.ID, []uuid.UUID{fs[0].ID})
	require.NoError(t, err)
	require.Equal(t, "goals", f[fs[0].ID].Preview)
	require.Empty(t, f[fs[0].ID].Content)
}
