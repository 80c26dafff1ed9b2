package ingest_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/ingest"
)

// failingWriter refuses every event write.
type failingWriter struct{ domain.WorkspaceWriter }

func (failingWriter) UpsertEvents(context.Context, uuid.UUID, []domain.Event) error {
	return errors.New("connection refused")
}

func (failingWriter) DeleteEvents(context.Context, uuid.UUID, []string) error {
	return errors.New("connection refused")
}

func TestWriteBackCachesEmbedded(t *testing.T) {
	t.Parallel()
	st := &memStore{emails: map[string]domain.Email{}}
	wb := ingest.WriteBack{Writer: st, Embedder: embedder{}, Logger: slog.New(slog.DiscardHandler)}
	e := wb.Email(context.Background(), domain.Email{UserID: uuid.New(), EmailID: "m1", Subject: "Budget"})
	require.NotEmpty(t, e.Embedding.Values)
	require.Equal(t, "Budget", st.subjects()["m1"])
	wb.DeleteEmail(context.Background(), e.UserID, "m1")
	require.Empty(t, st.subjects())
}

func TestWriteBackFailureIsLoggedNotReturned(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	wb := ingest.WriteBack{Writer: failingWriter{}, Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	ev := wb.Event(context.Background(), domain.Event{UserID: uuid.New(), EventID: "ev1", Title: "Review"})
	require.Equal(t, "Review", ev.Title, "the item Google holds is returned all the same")
	wb.DeleteEvent(context.Background(), ev.UserID, "ev1")
	require.Equal(t, 2, bytes.Count(logs.Bytes(), []byte("connection refused")))
	require.Contains(t, logs.String(), "next sync")
}
