package store_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/store"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/ingest"
	"github.com/workspace-orchestrator/orchestrator/domain/search"
)

// passageSlots numbers the words of these tests (an embedder hashes them).
var passageSlots = map[string]int32{"budget": 3, "meeting": 17, "pizza": 400, "report": 9000, "quarterly": 1 << 19}

// passage is the unit vector of words, as domain.Passager.Passages gives.
func passage(words ...string) domain.Sparse {
	var v domain.Sparse
	for _, w := range words {
		v.Indices = append(v.Indices, passageSlots[w])
	}
	slices.Sort(v.Indices)
	for range v.Indices {
		v.Values = append(v.Values, float32(1/math.Sqrt(float64(len(words)))))
	}
	return v
}

func queryWords(words ...string) *domain.Sparse {
	v := passage(words...)
	for i := range v.Values {
		v.Values[i] = 1
	}
	return &v
}

func (f fixture) passageSearch(t *testing.T, user uuid.UUID, words ...string) []string {
	t.Helper()
	cs, err := store.NewSearch(f.db).Vector(f.ctx, user, search.VectorQuery{Words: queryWords(words...), Limit: 10})
	require.NoError(t, err)
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ExternalID
	}
	return out
}

// df is how many of the user's mails hold word (slot 0: how many have passages).
func (f fixture) df(t *testing.T, user uuid.UUID, word string) int {
	t.Helper()
	slot := int32(0)
	if word != "" {
		slot = passageSlots[word] + 1
	}
	var n int
	err := f.db.SQL.QueryRowContext(f.ctx, `SELECT coalesce(sum(df), 0) FROM search_passage_words WHERE user_id = $1 AND slot = $2`, user, slot).Scan(&n)
	require.NoError(t, err)
	return n
}

func TestPassagesRankByTheBestPassageAndTheUsersOwnWordRarity(t *testing.T) {
	t.Parallel()
	f := setup(t)
	mail := func(i int, ps ...domain.Sparse) domain.Email {
		e := testEmail(i, f.now.Add(-time.Duration(i)*time.Hour))
		e.Embedding = domain.Vector{Values: unitVector(i), Model: "m", Passages: ps}
		return e
	}
	es := []domain.Email{
		mail(0, passage("budget", "meeting"), passage("pizza")),
		mail(1, passage("budget", "report", "quarterly")),
		mail(2, passage("budget")),
		mail(3, passage("budget", "report")),
	}
	for i := 10; i < 30; i++ { // enough mail for a word in one of them to be rare
		es = append(es, mail(i, passage("budget")))
	}
	require.NoError(t, f.store.UpsertEmails(f.ctx, f.user.ID, es))
	// Another user's mail neither counts nor shows.
	require.NoError(t, f.store.UpsertEmails(f.ctx, f.other.ID, []domain.Email{mail(9, passage("pizza")), mail(8, passage("pizza"))}))

	require.Equal(t, 24, f.df(t, f.user.ID, ""))
	require.Equal(t, 24, f.df(t, f.user.ID, "budget"))
	require.Equal(t, 1, f.df(t, f.user.ID, "pizza"), "counted per item, not per passage")
	require.Equal(t, 2, f.df(t, f.other.ID, "pizza"))

	got, err := f.store.Email(f.ctx, f.user.ID, mustEmailRowID(t, f, "m000"))
	require.NoError(t, err)
	require.Equal(t, es[0].Embedding.Passages, got.Embedding.Passages, "passages read back as written")

	require.Equal(t, []string{"m000"}, f.passageSearch(t, f.user.ID, "budget", "pizza"),
		"a word every item holds weighs nothing; the second passage scores the item")
	require.Equal(t, []string{"m003", "m001"}, f.passageSearch(t, f.user.ID, "report"),
		"the shorter passage holding the word ranks first")
	require.Equal(t, []string{"m001"}, f.passageSearch(t, f.user.ID, "report", "quarterly"),
		"with a rarer word asked, only the items holding one are scored (report is in 2 of 24 mails, above a twentieth)")

	// A sync rewriting a mail replaces its passages and counts.
	es[0].Embedding.Passages = []domain.Sparse{passage("budget", "meeting")}
	require.NoError(t, f.store.UpsertEmails(f.ctx, f.user.ID, es[:1]))
	require.Equal(t, 0, f.df(t, f.user.ID, "pizza"))
	require.Empty(t, f.passageSearch(t, f.user.ID, "pizza"))

	// Deleting a mail forgets its passages.
	require.NoError(t, f.store.DeleteEmails(f.ctx, f.user.ID, []string{"m001"}))
	require.Equal(t, 23, f.df(t, f.user.ID, ""))
	require.Equal(t, 0, f.df(t, f.user.ID, "quarterly"))
	require.Equal(t, []string{"m003"}, f.passageSearch(t, f.user.ID, "report", "quarterly"), "no item holds the rarer word now")
	var rows int
	require.NoError(t, f.db.SQL.QueryRowContext(f.ctx, `SELECT count(*) FROM search_passage_words WHERE user_id = $1 AND slot = ANY($2::int[])`,
		f.user.ID, []int32{passageSlots["pizza"] + 1, passageSlots["quarterly"] + 1}).Scan(&rows))
	require.Zero(t, rows, "the words no item holds now keep no counting row")
}

func TestPassagesOfCommonWordsAloneScoreTheItemsHoldingThemAll(t *testing.T) {
	t.Parallel()
	f := setup(t)
	mail := func(i int, words ...string) domain.Email {
		e := testEmail(i, f.now.Add(-time.Duration(i)*time.Hour))
		e.Embedding = domain.Vector{Values: unitVector(i), Model: "m", Passages: []domain.Sparse{passage(words...)}}
		return e
	}
	// budget and report are in 3 of 24 mails each: neither is rare.
	es := []domain.Email{mail(0, "budget"), mail(1, "budget"), mail(2, "budget", "report"), mail(3, "report"), mail(4, "report")}
	for i := 10; i < 29; i++ {
		es = append(es, mail(i, "meeting"))
	}
	require.NoError(t, f.store.UpsertEmails(f.ctx, f.user.ID, es))

	require.Equal(t, []string{"m002"}, f.passageSearch(t, f.user.ID, "budget", "report"),
		"only the mail holding both is scored")
	require.Equal(t, []string{"m000", "m001", "m002"}, f.passageSearch(t, f.user.ID, "budget"))
}

func TestReembeddingGivesOldRowsTheirPassages(t *testing.T) {
	t.Parallel()
	f := setup(t)
	e := testEmail(0, f.now)
	e.Embedding = domain.Vector{Values: unitVector(0), Model: "old"} // embedded before passages
	other := testEmail(1, f.now)
	other.Embedding = domain.Vector{Values: unitVector(1), Model: "old"}
	require.NoError(t, f.store.UpsertEmails(f.ctx, f.user.ID, []domain.Email{e, other}))
	require.Empty(t, f.passageSearch(t, f.user.ID, "pizza"))

	stale, err := f.store.StaleItems(f.ctx, domain.ServiceGmail, "new", uuid.Nil, 10)
	require.NoError(t, err)
	require.Len(t, stale.Emails, 2)
	vs := []ingest.ItemVector{
		{ID: stale.Emails[0].ID, UserID: f.user.ID, UpdatedAt: stale.Emails[0].UpdatedAt,
			Vector: domain.Vector{Values: unitVector(5), Model: "new", Passages: []domain.Sparse{passage("pizza", "meeting")}}},
		{ID: stale.Emails[1].ID, UserID: f.user.ID, UpdatedAt: stale.Emails[1].UpdatedAt,
			Vector: domain.Vector{Values: unitVector(6), Model: "new", Passages: []domain.Sparse{passage("meeting")}}},
	}
	n, err := f.store.SetEmbeddings(f.ctx, domain.ServiceGmail, vs)
	require.NoError(t, err)
	require.Equal(t, 2, n)
	require.Equal(t, 2, f.df(t, f.user.ID, ""))
	require.Equal(t, []string{stale.Emails[0].EmailID}, f.passageSearch(t, f.user.ID, "pizza", "meeting"))

	// A remote embedder gives no passages: the row keeps none.
	n, err = f.store.SetEmbeddings(f.ctx, domain.ServiceGmail, []ingest.ItemVector{{ID: vs[0].ID, UserID: f.user.ID, UpdatedAt: vs[0].UpdatedAt,
		Vector: domain.Vector{Values: unitVector(7), Model: "remote"}}})
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Equal(t, 1, f.df(t, f.user.ID, ""))
	require.Empty(t, f.passageSearch(t, f.user.ID, "pizza"))
}

func mustEmailRowID(t *testing.T, f fixture, emailID string) uuid.UUID {
	t.Helper()
	var id uuid.UUID
	require.NoError(t, f.db.SQL.QueryRowContext(f.ctx, `SELECT id FROM gmail_cache WHERE email_id = $1 AND user_id = $2`, emailID, f.user.ID).Scan(&id))
	return id
}
