package store_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/store"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

// TestPeopleCountTheItemsThatNameThemNow: a sync that relabels mail or
// deletes it must not change how often a person seems to write, which orders
// the addresses a name resolves to.
func TestPeopleCountTheItemsThatNameThemNow(t *testing.T) {
	t.Parallel()
	f := setupSearch(t)
	st := store.New(f.db, nil, domain.SystemClock{})
	sarah := domain.Address{Name: "Sarah Chen", Email: "sarah@example.com"}
	sam := domain.Address{Name: "Sarah Miles", Email: "sam@example.com"}
	mails := []domain.Email{
		{EmailID: "a", Subject: "one", From: sarah, To: []domain.Address{sam}, ReceivedAt: day(1)},
		{EmailID: "b", Subject: "two", From: sarah, ReceivedAt: day(2)},
		{EmailID: "c", Subject: "three", From: sam, ReceivedAt: day(3)},
	}
	require.NoError(t, st.UpsertEmails(f.ctx, f.user, mails))
	seen := func() map[string]int {
		rows, err := f.db.Pool.Query(f.ctx, `SELECT address, seen FROM search_people WHERE user_id = $1`, f.user)
		require.NoError(t, err)
		defer rows.Close()
		out := map[string]int{}
		for rows.Next() {
			var a string
			var n int
			require.NoError(t, rows.Scan(&a, &n))
			out[a] = n
		}
		return out
	}
	require.Equal(t, map[string]int{"sarah@example.com": 2, "sam@example.com": 2}, seen())

	for i := range mails { // a sync that relabels everything
		mails[i].Labels = []string{"INBOX", "IMPORTANT"}
	}
	require.NoError(t, st.UpsertEmails(f.ctx, f.user, mails))
	require.NoError(t, st.UpsertEmails(f.ctx, f.user, mails))
	require.Equal(t, map[string]int{"sarah@example.com": 2, "sam@example.com": 2}, seen())

	require.NoError(t, st.DeleteEmails(f.ctx, f.user, []string{"c"}))
	require.Equal(t, map[string]int{"sarah@example.com": 2, "sam@example.com": 1}, seen())
	require.NoError(t, st.DeleteEmails(f.ctx, f.user, []string{"a"}))
	require.Equal(t, map[string]int{"sarah@example.com": 1}, seen(), "nobody names Sam any more")
	addrs, err := f.s.People(f.ctx, f.user, []string{"sarah"}, false)
	require.NoError(t, err)
	require.Equal(t, []string{"sarah@example.com"}, addrs)
}

// Names gives each address the display name it is most often seen with;
// an address seen bare is left out.
func TestPeopleNamesAreTheMostSeen(t *testing.T) {
	t.Parallel()
	f := setupSearch(t)
	st := store.New(f.db, nil, domain.SystemClock{})
	tori := func(name string) domain.Address { return domain.Address{Name: name, Email: "tori.wells@example.com"} }
	mails := []domain.Email{
		{EmailID: "a", Subject: "one", From: tori("Tori L Wells"), ReceivedAt: day(1)},
		{EmailID: "b", Subject: "two", From: tori("Tori L Wells"), ReceivedAt: day(2)},
		{EmailID: "c", Subject: "three", From: tori("Wells, Tori"), ReceivedAt: day(3)},
		{EmailID: "d", Subject: "four", From: tori(""), To: []domain.Address{{Email: "bare@example.com"}}, ReceivedAt: day(4)},
	}
	require.NoError(t, st.UpsertEmails(f.ctx, f.user, mails))
	names, err := f.s.Names(f.ctx, f.user, []string{"tori.wells@example.com", "bare@example.com", "nobody@example.com"})
	require.NoError(t, err)
	require.Equal(t, map[string]string{"tori.wells@example.com": "Tori L Wells"}, names)
}
