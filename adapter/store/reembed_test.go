package store_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/store"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/ingest"
)

// xmin is the id of the transaction that last wrote the row: unchanged means untouched.
func (f fixture) xmin(t *testing.T, table string, id uuid.UUID) string {
	t.Helper()
	var x string
	require.NoError(t, f.db.SQL.QueryRowContext(f.ctx, "SELECT xmin::text FROM "+table+" WHERE id = $1", id).Scan(&x))
	return x
}

func (f fixture) version(t *testing.T, userID uuid.UUID) int64 {
	t.Helper()
	v, err := f.store.DataVersion(f.ctx, userID)
	require.NoError(t, err)
	return v
}

// newVectors gives every item of items a vector of model.
func newVectors(items []domain.Email, model string, seed int) []ingest.ItemVector {
	vs := make([]ingest.ItemVector, len(items))
	for i, e := range items {
		vs[i] = ingest.ItemVector{ID: e.ID, UserID: e.UserID, UpdatedAt: e.UpdatedAt,
			Vector: domain.Vector{Values: unitVector(seed + i), Model: model}}
	}
	return vs
}

func TestStaleEmailsAreReembedded(t *testing.T) {
	t.Parallel()
	f := setup(t)
	// Per user: m000-m002 by model a, m003 not embedded, m004 by model b.
	for _, u := range []uuid.UUID{f.user.ID, f.other.ID} {
		es := make([]domain.Email, 5)
		for i := range es {
			es[i] = testEmail(i, f.now.Add(-time.Duration(i)*time.Hour))
			switch {
			case i < 3:
				es[i].Embedding = domain.Vector{Values: unitVector(i), Model: "a"}
			case i == 4:
				es[i].Embedding = domain.Vector{Values: unitVector(i), Model: "b"}
			}
		}
		require.NoError(t, f.store.UpsertEmails(f.ctx, u, es))
	}

	var stale []domain.Email
	after := uuid.Nil
	for {
		items, err := f.store.StaleItems(f.ctx, domain.ServiceGmail, "b", after, 3)
		require.NoError(t, err)
		require.Empty(t, items.Events)
		require.Empty(t, items.Files)
		if len(items.Emails) == 0 {
			break
		}
		require.LessOrEqual(t, len(items.Emails), 3)
		stale = append(stale, items.Emails...)
		after = items.Emails[len(items.Emails)-1].ID
	}
	require.Len(t, stale, 8, "four stale emails of each user")
	for i, e := range stale {
		require.NotEqual(t, "m004", e.EmailID, "current rows are not stale")
		require.Nil(t, e.Embedding.Values, "stale items carry no vectors")
		require.NotEmpty(t, e.Body, "stale items carry what their text is made of")
		if i > 0 {
			require.Less(t, stale[i-1].ID.String(), e.ID.String(), "in row id order")
		}
	}

	current, _, err := f.store.Emails(f.ctx, f.user.ID, domain.Filter{}, domain.Page{})
	require.NoError(t, err)
	var m004 domain.Email
	for _, e := range current {
		if e.EmailID == "m004" {
			m004 = e
		}
	}
	before := f.xmin(t, "gmail_cache", m004.ID)
	v0, w0 := f.version(t, f.user.ID), f.version(t, f.other.ID)

	n, err := f.store.SetEmbeddings(f.ctx, domain.ServiceGmail, newVectors(stale, "b", 100))
	require.NoError(t, err)
	require.Equal(t, 8, n)
	require.Greater(t, f.version(t, f.user.ID), v0, "search caches see the change")
	require.Greater(t, f.version(t, f.other.ID), w0)
	require.Equal(t, before, f.xmin(t, "gmail_cache", m004.ID), "a current row is not written")

	for i, e := range stale {
		got, err := f.store.Email(f.ctx, e.UserID, e.ID)
		require.NoError(t, err)
		require.Equal(t, domain.Vector{Values: unitVector(100 + i), Model: "b"}, got.Embedding)
		require.Equal(t, e.UpdatedAt, got.UpdatedAt, "the content did not change")
		require.Equal(t, e.Subject, got.Subject)
	}
	items, err := f.store.StaleItems(f.ctx, domain.ServiceGmail, "b", uuid.Nil, 100)
	require.NoError(t, err)
	require.Empty(t, items.Emails)

	// The vector search leg reads the new vectors.
	var inStep int
	require.NoError(t, f.db.SQL.QueryRowContext(f.ctx, `SELECT count(*) FROM gmail_cache g
		JOIN search_vectors v ON v.item_id = g.id AND v.service = 'gmail' AND v.embedding = g.embedding`).Scan(&inStep))
	require.Equal(t, 10, inStep)
}

func TestSetEmbeddingsSkipsRowsRewrittenMeanwhile(t *testing.T) {
	t.Parallel()
	f := setup(t)
	es := []domain.Email{testEmail(1, f.now), testEmail(2, f.now)}
	require.NoError(t, f.store.UpsertEmails(f.ctx, f.user.ID, es))
	items, err := f.store.StaleItems(f.ctx, domain.ServiceGmail, "b", uuid.Nil, 10)
	require.NoError(t, err)
	require.Len(t, items.Emails, 2)

	// A sync (a moment later) rewrites m001 with the current model.
	later := store.New(f.db, nil, domain.FixedClock{T: f.now.Add(time.Second)})
	synced := testEmail(1, f.now)
	synced.Subject = "Report 1, revised"
	synced.Embedding = domain.Vector{Values: unitVector(7), Model: "b"}
	require.NoError(t, later.UpsertEmails(f.ctx, f.user.ID, []domain.Email{synced}))

	n, err := f.store.SetEmbeddings(f.ctx, domain.ServiceGmail, newVectors(items.Emails, "b", 50))
	require.NoError(t, err)
	require.Equal(t, 1, n, "only the row unchanged since it was read")
	for _, e := range items.Emails {
		got, err := f.store.Email(f.ctx, f.user.ID, e.ID)
		require.NoError(t, err)
		if e.EmailID == "m001" {
			require.Equal(t, unitVector(7), got.Embedding.Values, "the sync's vector stays")
		} else {
			require.Equal(t, "b", got.Embedding.Model)
		}
	}
}

func TestStaleEventsAndFiles(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ev := testEvent("e1", f.now, time.Hour)
	ev.Embedding = domain.Vector{Values: unitVector(1), Model: "a"}
	require.NoError(t, f.store.UpsertEvents(f.ctx, f.user.ID, []domain.Event{ev, testEvent("e2", f.now, time.Hour)}))
	fl := testFile("f1", f.now)
	fl.Embedding = domain.Vector{Values: unitVector(2), Model: "b"}
	require.NoError(t, f.store.UpsertFiles(f.ctx, f.other.ID, []domain.File{fl, testFile("f2", f.now)}))

	for svc, want := range map[domain.Service][]string{domain.ServiceCalendar: {"e1", "e2"}, domain.ServiceDrive: {"f2"}} {
		items, err := f.store.StaleItems(f.ctx, svc, "b", uuid.Nil, 10)
		require.NoError(t, err)
		var keys []string
		var vs []ingest.ItemVector
		for _, e := range items.Events {
			keys = append(keys, e.EventID)
			vs = append(vs, ingest.ItemVector{ID: e.ID, UserID: e.UserID, UpdatedAt: e.UpdatedAt})
		}
		for _, fl := range items.Files {
			keys = append(keys, fl.FileID)
			vs = append(vs, ingest.ItemVector{ID: fl.ID, UserID: fl.UserID, UpdatedAt: fl.UpdatedAt})
		}
		require.ElementsMatch(t, want, keys, svc)
		for i := range vs {
			vs[i].Vector = domain.Vector{Values: unitVector(10 + i), Model: "b"}
		}
		n, err := f.store.SetEmbeddings(f.ctx, svc, vs)
		require.NoError(t, err)
		require.Equal(t, len(want), n, svc)
		items, err = f.store.StaleItems(f.ctx, svc, "b", uuid.Nil, 10)
		require.NoError(t, err)
		require.Empty(t, items.Events, svc)
		require.Empty(t, items.Files, svc)
	}
	got, err := f.store.Event(f.ctx, f.user.ID, mustEventRowID(t, f, "e1"))
	require.NoError(t, err)
	require.Equal(t, "b", got.Embedding.Model)
	require.Len(t, got.Embedding.Values, domain.EmbeddingDim)
}

func mustEventRowID(t *testing.T, f fixture, eventID string) uuid.UUID {
	t.Helper()
	es, _, err := f.store.Events(f.ctx, f.user.ID, domain.Filter{}, domain.Page{})
	require.NoError(t, err)
	for _, e := range es {
		if e.EventID == eventID {
			return e.ID
		}
	}
	t.Fatalf("no event %s", eventID)
	return uuid.Nil
}

func TestReembedValidates(t *testing.T) {
	t.Parallel()
	f := setup(t)
	_, err := f.store.StaleItems(f.ctx, "photos", "b", uuid.Nil, 10)
	require.ErrorIs(t, err, domain.ErrInvalidInput)
	for name, v := range map[string]domain.Vector{
		"no values":    {Model: "b"},
		"wrong length": {Values: []float32{1}, Model: "b"},
	} {
		_, err := f.store.SetEmbeddings(f.ctx, domain.ServiceGmail, []ingest.ItemVector{{ID: uuid.New(), UserID: f.user.ID, Vector: v}})
		require.ErrorIs(t, err, domain.ErrInvalidInput, name)
	}
	_, err = f.store.SetEmbeddings(f.ctx, "photos", nil)
	require.ErrorIs(t, err, domain.ErrInvalidInput)
	n, err := f.store.SetEmbeddings(f.ctx, domain.ServiceGmail, nil)
	require.NoError(t, err)
	require.Zero(t, n)
	require.Zero(t, f.version(t, f.user.ID), "nothing written, no version bump")
}
