package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

func testEmail(i int, at time.Time) domain.Email {
	return domain.Email{
		EmailID:    fmt.Sprintf("m%03d", i),
		ThreadID:   fmt.Sprintf("t%03d", i/2),
		MessageIDs: []string{fmt.Sprintf("<m%03d@example.com>", i)},
		Subject:    fmt.Sprintf("Report %d", i),
		From:       domain.Address{Name: "Carol Jones", Email: "carol@acme.example"},
		To:         []domain.Address{{Name: "Ada", Email: "ada@example.com"}},
		Snippet:    "Quarterly numbers",
		Body:       "Quarterly numbers attached.",
		Labels:     []string{"INBOX"},
		ReceivedAt: at,
		HistoryID:  uint64(1000 + i),
	}
}

func emailID(e domain.Email) uuid.UUID { return e.ID }

func TestEmailsRoundTripAndScope(t *testing.T) {
	t.Parallel()
	f := setup(t)
	e := testEmail(1, f.now.Add(-time.Hour))
	e.Cc = []domain.Address{{Name: "Dan", Email: "Dan@Example.com"}}
	e.HasAttachment, e.Unread = true, true
	e.Embedding = domain.Vector{Values: unitVector(3), Model: "offline-v1"}
	require.NoError(t, f.store.UpsertEmails(f.ctx, f.user.ID, []domain.Email{e}))

	list, info, err := f.store.Emails(f.ctx, f.user.ID, domain.Filter{}, domain.Page{})
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Equal(t, 1, info.TotalCount)
	require.Nil(t, list[0].Embedding.Values, "lists leave the vectors out")
	require.Equal(t, "offline-v1", list[0].Embedding.Model)

	got, err := f.store.Email(f.ctx, f.user.ID, list[0].ID)
	require.NoError(t, err)
	require.Equal(t, f.user.ID, got.UserID)
	require.Equal(t, e.EmailID, got.EmailID)
	require.Equal(t, e.ThreadID, got.ThreadID)
	require.Equal(t, e.MessageIDs, got.MessageIDs)
	require.Equal(t, e.Subject, got.Subject)
	require.Equal(t, e.From, got.From)
	require.Equal(t, e.To, got.To)
	require.Equal(t, e.Cc, got.Cc)
	require.Equal(t, e.Snippet, got.Snippet)
	require.Equal(t, e.Body, got.Body)
	require.Equal(t, e.Labels, got.Labels)
	require.True(t, got.HasAttachment)
	require.True(t, got.Unread)
	require.True(t, e.ReceivedAt.Equal(got.ReceivedAt))
	require.Equal(t, e.HistoryID, got.HistoryID)
	require.Equal(t, e.Embedding, got.Embedding)
	require.True(t, f.now.Equal(got.UpdatedAt))

	var addrs []string
	require.NoError(t, f.db.Pool.QueryRow(f.ctx, "SELECT recipient_addrs FROM gmail_cache WHERE id = $1", got.ID).Scan(&addrs))
	require.Equal(t, []string{"ada@example.com", "dan@example.com"}, addrs)

	// Another user sees nothing of it.
	_, err = f.store.Email(f.ctx, f.other.ID, got.ID)
	require.ErrorIs(t, err, domain.ErrNotFound)
	otherList, otherInfo, err := f.store.Emails(f.ctx, f.other.ID, domain.Filter{}, domain.Page{})
	require.NoError(t, err)
	require.Empty(t, otherList)
	require.Zero(t, otherInfo.TotalCount)
	require.NoError(t, f.store.DeleteEmails(f.ctx, f.other.ID, []string{e.EmailID}))
	_, err = f.store.Email(f.ctx, f.user.ID, got.ID)
	require.NoError(t, err, "another user's delete does not touch it")

	// An upsert replaces the whole row but keeps its id; a nil embedding is NULL.
	e.Subject, e.Embedding, e.Unread = "Report 1 (updated)", domain.Vector{}, false
	require.NoError(t, f.store.UpsertEmails(f.ctx, f.user.ID, []domain.Email{e}))
	got2, err := f.store.Email(f.ctx, f.user.ID, got.ID)
	require.NoError(t, err)
	require.Equal(t, "Report 1 (updated)", got2.Subject)
	require.False(t, got2.Unread)
	require.Nil(t, got2.Embedding.Values)
	var isNull bool
	require.NoError(t, f.db.Pool.QueryRow(f.ctx, "SELECT embedding IS NULL FROM gmail_cache WHERE id = $1", got.ID).Scan(&isNull))
	require.True(t, isNull)

	require.NoError(t, f.store.DeleteEmails(f.ctx, f.user.ID, []string{e.EmailID, "unknown"}))
	_, err = f.store.Email(f.ctx, f.user.ID, got.ID)
	require.ErrorIs(t, err, domain.ErrNotFound)
}

func TestEmailsPagination(t *testing.T) {
	t.Parallel()
	f := setup(t)
	var es []domain.Email
	for i := range 45 {
		// Pairs share a timestamp, so the id must break ties.
		es = append(es, testEmail(i, f.now.Add(-time.Duration(i/2)*time.Minute)))
	}
	require.NoError(t, f.store.UpsertEmails(f.ctx, f.user.ID, es))

	var seen []domain.Email
	page := domain.Page{}
	for range 10 {
		list, info, err := f.store.Emails(f.ctx, f.user.ID, domain.Filter{}, page)
		require.NoError(t, err)
		require.Equal(t, 45, info.TotalCount)
		seen = append(seen, list...)
		if !info.HasNextPage {
			require.Len(t, list, 5)
			break
		}
		require.Len(t, list, 20, "the default page is 20")
		page.After = info.EndCursor
	}
	require.Len(t, seen, 45)
	require.Len(t, uniq(ids(seen, emailID)), 45, "no item twice")
	for i := 1; i < len(seen); i++ {
		require.False(t, seen[i].ReceivedAt.After(seen[i-1].ReceivedAt), "newest first")
	}

	uncounted, info, err := f.store.Emails(f.ctx, f.user.ID, domain.Filter{}, domain.Page{First: 3, NoTotal: true})
	require.NoError(t, err)
	require.Len(t, uncounted, 3)
	require.True(t, info.HasNextPage)
	require.Zero(t, info.TotalCount, "NoTotal skips the count")

	big, info, err := f.store.Emails(f.ctx, f.user.ID, domain.Filter{}, domain.Page{First: 1000})
	require.NoError(t, err)
	require.Len(t, big, 45)
	require.False(t, info.HasNextPage)
	small, info, err := f.store.Emails(f.ctx, f.user.ID, domain.Filter{}, domain.Page{First: 3})
	require.NoError(t, err)
	require.Len(t, small, 3)
	require.True(t, info.HasNextPage)

	_, _, err = f.store.Emails(f.ctx, f.user.ID, domain.Filter{}, domain.Page{After: "garbage!"})
	require.ErrorIs(t, err, domain.ErrInvalidInput)
	require.ErrorContains(t, err, "cursor")
	_, _, err = f.store.Emails(f.ctx, f.user.ID, domain.Filter{}, domain.Page{First: -1})
	require.ErrorIs(t, err, domain.ErrInvalidInput)
}

func uniq(xs []uuid.UUID) map[uuid.UUID]bool {
	m := map[uuid.UUID]bool{}
	for _, x := range xs {
		m[x] = true
	}
	return m
}

func TestEmailFilters(t *testing.T) {
	t.Parallel()
	f := setup(t)
	day := func(d int) time.Time { return time.Date(2026, 2, d, 12, 0, 0, 0, time.UTC) }
	es := []domain.Email{
		{EmailID: "a", Subject: "Budget", From: domain.Address{Name: "Sarah Connor", Email: "sarah@acme.example"},
			To: []domain.Address{{Email: "ada@example.com"}}, Labels: []string{"INBOX", "IMPORTANT"}, ReceivedAt: day(1),
			HasAttachment: true, Unread: true, MessageIDs: []string{"<a@x>"}},
		{EmailID: "b", Subject: "Lunch", From: domain.Address{Name: "Tom", Email: "tom@example.org"},
			To: []domain.Address{{Email: "ada@example.com"}}, Cc: []domain.Address{{Name: "Sarah Connor", Email: "sarah@acme.example"}},
			Labels: []string{"INBOX"}, ReceivedAt: day(5), MessageIDs: []string{"<b@x>"}},
		{EmailID: "c", Subject: "Invoice", From: domain.Address{Name: "Billing", Email: "billing@vendor.example"},
			To: []domain.Address{{Name: "Finance Team", Email: "finance@example.com"}}, Labels: []string{"CATEGORY_UPDATES"},
			ReceivedAt: day(10), Unread: true, MessageIDs: []string{"<c@x>", "<c2@x>"}},
	}
	require.NoError(t, f.store.UpsertEmails(f.ctx, f.user.ID, es))

	cases := []struct {
		name   string
		filter domain.Filter
		want   []string
	}{
		{"from address", domain.Filter{From: []string{"SARAH@acme.example"}}, []string{"a"}},
		{"from part of an address", domain.Filter{From: []string{"sarah@acme"}}, []string{"a"}},
		{"from display name", domain.Filter{From: []string{"connor"}}, []string{"a"}},
		{"from any of", domain.Filter{From: []string{"tom", "billing"}}, []string{"c", "b"}},
		{"to includes cc", domain.Filter{To: []string{"sarah@acme.example"}}, []string{"b"}},
		{"to by name", domain.Filter{To: []string{"finance team"}}, []string{"c"}},
		{"labels any of", domain.Filter{Labels: []string{"IMPORTANT", "CATEGORY_UPDATES"}}, []string{"c", "a"}},
		{"labels none of", domain.Filter{NotLabels: []string{"IMPORTANT", "CATEGORY_UPDATES"}}, []string{"b"}},
		{"after", domain.Filter{After: day(5)}, []string{"c", "b"}},
		{"before", domain.Filter{Before: day(5)}, []string{"a"}},
		{"between", domain.Filter{After: day(2), Before: day(9)}, []string{"b"}},
		{"attachment", domain.Filter{HasAttachment: boolPtr(true)}, []string{"a"}},
		{"read", domain.Filter{Unread: boolPtr(false)}, []string{"b"}},
		{"message id", domain.Filter{MessageIDs: []string{"<c2@x>"}}, []string{"c"}},
		{"combined", domain.Filter{To: []string{"ada@"}, Unread: boolPtr(true)}, []string{"a"}},
		{"like wildcards are literal", domain.Filter{From: []string{"%"}}, nil},
		{"query is ignored here", domain.Filter{Query: "nothing matches this"}, []string{"c", "b", "a"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			list, info, err := f.store.Emails(f.ctx, f.user.ID, c.filter, domain.Page{})
			require.NoError(t, err)
			var got []string
			for _, e := range list {
				got = append(got, e.EmailID)
			}
			require.Equal(t, c.want, got)
			require.Equal(t, len(c.want), info.TotalCount)
		})
	}
}

func TestUpsertValidatesAndDedupes(t *testing.T) {
	t.Parallel()
	f := setup(t)
	e := testEmail(1, f.now)
	e.Embedding = domain.Vector{Values: []float32{1, 2}}
	require.ErrorIs(t, f.store.UpsertEmails(f.ctx, f.user.ID, []domain.Email{e}), domain.ErrInvalidInput)
	require.ErrorIs(t, f.store.UpsertEmails(f.ctx, f.user.ID, []domain.Email{{EmailID: "x"}}), domain.ErrInvalidInput)

	// The same Gmail id twice in one batch: the last copy wins.
	a, b := testEmail(1, f.now), testEmail(1, f.now)
	b.Subject = "second"
	require.NoError(t, f.store.UpsertEmails(f.ctx, f.user.ID, []domain.Email{a, b}))
	list, _, err := f.store.Emails(f.ctx, f.user.ID, domain.Filter{}, domain.Page{})
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Equal(t, "second", list[0].Subject)

	// More rows than one statement carries.
	var many []domain.Email
	for i := range 450 {
		many = append(many, testEmail(i, f.now.Add(-time.Duration(i)*time.Second)))
	}
	require.NoError(t, f.store.UpsertEmails(f.ctx, f.user.ID, many))
	_, info, err := f.store.Emails(f.ctx, f.user.ID, domain.Filter{}, domain.Page{First: 1})
	require.NoError(t, err)
	require.Equal(t, 450, info.TotalCount)
}

func TestDataVersionAndReplace(t *testing.T) {
	t.Parallel()
	f := setup(t)
	v0, err := f.store.DataVersion(f.ctx, f.user.ID)
	require.NoError(t, err)
	require.Zero(t, v0)

	require.NoError(t, f.store.UpsertEmails(f.ctx, f.user.ID, []domain.Email{testEmail(1, f.now)}))
	v1, err := f.store.DataVersion(f.ctx, f.user.ID)
	require.NoError(t, err)
	require.Greater(t, v1, v0)
	require.NoError(t, f.store.UpsertEvents(f.ctx, f.user.ID, []domain.Event{testEvent("e1", f.now, time.Hour)}))
	require.NoError(t, f.store.UpsertFiles(f.ctx, f.user.ID, []domain.File{testFile("f1", f.now)}))
	v2, err := f.store.DataVersion(f.ctx, f.user.ID)
	require.NoError(t, err)
	require.Greater(t, v2, v1)
	vOther, err := f.store.DataVersion(f.ctx, f.other.ID)
	require.NoError(t, err)
	require.Zero(t, vOther, "versions are per user")

	// A replacement keeps the old rows readable until it ends, then drops
	// those it did not rewrite.
	require.NoError(t, f.store.UpsertEmails(f.ctx, f.user.ID, []domain.Email{testEmail(2, f.now)}))
	require.NoError(t, f.store.MarkStale(f.ctx, f.user.ID, domain.ServiceGmail))
	require.NoError(t, f.store.MarkStale(f.ctx, f.user.ID, domain.ServiceCalendar))
	mails, _, err := f.store.Emails(f.ctx, f.user.ID, domain.Filter{}, domain.Page{})
	require.NoError(t, err)
	require.Len(t, mails, 2, "marked rows stay until the replacement ends")
	kept := testEmail(2, f.now)
	kept.Subject = "rewritten"
	require.NoError(t, f.store.UpsertEmails(f.ctx, f.user.ID, []domain.Email{kept}))
	require.NoError(t, f.store.DeleteStale(f.ctx, f.user.ID, domain.ServiceGmail))
	v3, err := f.store.DataVersion(f.ctx, f.user.ID)
	require.NoError(t, err)
	require.Greater(t, v3, v2)
	mails, _, err = f.store.Emails(f.ctx, f.user.ID, domain.Filter{}, domain.Page{})
	require.NoError(t, err)
	require.Len(t, mails, 1)
	require.Equal(t, "rewritten", mails[0].Subject)
	events, _, err := f.store.Events(f.ctx, f.user.ID, domain.Filter{}, domain.Page{})
	require.NoError(t, err)
	require.Len(t, events, 1, "only the named service is swept")
	// Ending again, with no replacement under way, deletes nothing.
	require.NoError(t, f.store.DeleteStale(f.ctx, f.user.ID, domain.ServiceGmail))
	mails, _, err = f.store.Emails(f.ctx, f.user.ID, domain.Filter{}, domain.Page{})
	require.NoError(t, err)
	require.Len(t, mails, 1)
	require.ErrorIs(t, f.store.MarkStale(f.ctx, f.user.ID, "fax"), domain.ErrInvalidInput)
	require.ErrorIs(t, f.store.DeleteStale(f.ctx, f.user.ID, "fax"), domain.ErrInvalidInput)
	v3, err = f.store.DataVersion(f.ctx, f.user.ID)
	require.NoError(t, err)

	// Nothing to write leaves the version alone.
	require.NoError(t, f.store.UpsertEmails(f.ctx, f.user.ID, nil))
	require.NoError(t, f.store.DeleteFiles(f.ctx, f.user.ID, nil))
	v4, err := f.store.DataVersion(f.ctx, f.user.ID)
	require.NoError(t, err)
	require.Equal(t, v3, v4)
}

func TestWritesForUnknownUser(t *testing.T) {
	t.Parallel()
	f := setup(t)
	nobody := uuid.New()
	require.ErrorIs(t, f.store.UpsertEmails(f.ctx, nobody, []domain.Email{testEmail(1, f.now)}), domain.ErrNotFound)
	require.ErrorIs(t, f.store.DeleteEvents(f.ctx, nobody, []string{"e1"}), domain.ErrNotFound)
	require.ErrorIs(t, f.store.MarkStale(f.ctx, nobody, domain.ServiceDrive), domain.ErrNotFound)
	_, err := f.store.CreateConversation(f.ctx, nobody, "")
	require.ErrorIs(t, err, domain.ErrNotFound)
	require.ErrorIs(t, f.store.SaveSyncStatus(f.ctx, domain.SyncStatus{UserID: nobody, Service: domain.ServiceGmail, State: domain.SyncIdle}), domain.ErrNotFound)
}
