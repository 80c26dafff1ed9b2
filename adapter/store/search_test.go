package store_test

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/pgvector/pgvector-go"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/store"
	"github.com/workspace-orchestrator/orchestrator/adapter/store/storetest"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/query"
	"github.com/workspace-orchestrator/orchestrator/domain/search"
)

type searchFixture struct {
	ctx  context.Context
	db   *store.DB
	s    *store.Search
	user uuid.UUID
}

func setupSearch(t *testing.T) searchFixture {
	t.Helper()
	ctx := context.Background()
	db := storetest.New(t)
	var user uuid.UUID
	require.NoError(t, db.Pool.QueryRow(ctx, `INSERT INTO users (email) VALUES ($1) RETURNING id`, uuid.NewString()+"@example.com").Scan(&user))
	return searchFixture{ctx: ctx, db: db, s: store.NewSearch(db), user: user}
}

// insertEmail writes a cache row the way a sync would.
func (f searchFixture) insertEmail(t *testing.T, e domain.Email) uuid.UUID {
	t.Helper()
	var addrs []string
	for _, a := range append(append([]domain.Address{}, e.To...), e.Cc...) {
		addrs = append(addrs, strings.ToLower(a.Email))
	}
	rcpt, err := json.Marshal(append(append([]domain.Address{}, e.To...), e.Cc...))
	require.NoError(t, err)
	var emb any
	if e.Embedding.Values != nil {
		emb = pgvector.NewVector(e.Embedding.Values)
	}
	if e.EmailID == "" {
		e.EmailID = uuid.NewString()
	}
	var id uuid.UUID
	require.NoError(t, f.db.Pool.QueryRow(f.ctx, `
		INSERT INTO gmail_cache (user_id, email_id, thread_id, message_ids, subject, sender, sender_name, recipients,
			recipient_addrs, body, labels, has_attachment, unread, received_at, embedding)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
		f.user, e.EmailID, e.ThreadID, append([]string{}, e.MessageIDs...), e.Subject, strings.ToLower(e.From.Email), e.From.Name,
		string(rcpt), append([]string{}, addrs...), e.Body, append([]string{}, e.Labels...), e.HasAttachment, e.Unread, e.ReceivedAt, emb).Scan(&id))
	return id
}

func bm25(limit int) search.TextQuery {
	return search.TextQuery{BM25: search.BM25{K1: 1.2, B: 0.75, Title: 3, People: 1.5, Body: 1}, Limit: limit}
}

func titles(cs []search.Candidate) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Title
	}
	return out
}

func day(d int) time.Time { return time.Date(2001, 6, d, 12, 0, 0, 0, time.UTC) }

func TestFullTextBM25(t *testing.T) {
	t.Parallel()
	f := setupSearch(t)
	f.insertEmail(t, domain.Email{Subject: "Budget review", Body: "The budget for the pipeline project.", ReceivedAt: day(1), MessageIDs: []string{"<1@x>"}})
	f.insertEmail(t, domain.Email{Subject: "Lunch", Body: "Lunch on Friday? budget is tight.", ReceivedAt: day(2)})
	f.insertEmail(t, domain.Email{Subject: "Board meeting", Body: "The board meeting moved to Friday. Bring the budget.", ReceivedAt: day(3)})
	f.insertEmail(t, domain.Email{Subject: "Pipeline", Body: "Gas pipeline capacity report.", ReceivedAt: day(4),
		From: domain.Address{Name: "Fleming, Rosalee", Email: "Rosalee.Fleming@enron.com"}})

	q := bm25(10)
	q.Terms = []query.Term{{Text: "budget"}}
	got, err := f.s.FullText(f.ctx, f.user, q)
	require.NoError(t, err)
	require.Equal(t, "Budget review", got[0].Title, "a title match weighs more")
	require.Len(t, got, 3)
	require.Equal(t, []string{"<1@x>"}, got[0].MessageIDs)

	// words are ranked without requiring all; the rarer word counts more
	q.Terms = []query.Term{{Text: "pipeline"}, {Text: "capacity"}}
	got, err = f.s.FullText(f.ctx, f.user, q)
	require.NoError(t, err)
	require.Equal(t, []string{"Pipeline", "Budget review"}, titles(got))

	// a phrase is required and must be adjacent
	q.Terms = []query.Term{{Text: "board meeting", Phrase: true}, {Text: "budget"}}
	got, err = f.s.FullText(f.ctx, f.user, q)
	require.NoError(t, err)
	require.Equal(t, []string{"Board meeting"}, titles(got))

	// exclusions drop items; prefixes match names as they are typed
	q.Terms, q.Exclude = []query.Term{{Text: "budget"}}, []string{"friday"}
	got, err = f.s.FullText(f.ctx, f.user, q)
	require.NoError(t, err)
	require.Equal(t, []string{"Budget review"}, titles(got))
	q.Terms, q.Exclude = []query.Term{{Text: "rosal", Prefix: true}}, nil
	got, err = f.s.FullText(f.ctx, f.user, q)
	require.NoError(t, err)
	require.Equal(t, []string{"Pipeline"}, titles(got))

	// the index follows updates and deletes
	_, err = f.db.Pool.Exec(f.ctx, `UPDATE gmail_cache SET body = 'nothing here' WHERE subject = 'Lunch'`)
	require.NoError(t, err)
	_, err = f.db.Pool.Exec(f.ctx, `DELETE FROM gmail_cache WHERE subject = 'Board meeting'`)
	require.NoError(t, err)
	q.Terms = []query.Term{{Text: "budget"}}
	got, err = f.s.FullText(f.ctx, f.user, q)
	require.NoError(t, err)
	require.Equal(t, []string{"Budget review"}, titles(got))
	var docs int
	require.NoError(t, f.db.Pool.QueryRow(f.ctx, `SELECT docs FROM search_stats WHERE user_id = $1`, f.user).Scan(&docs))
	require.Equal(t, 3, docs)
	requireIndexMatchesCaches(t, f.ctx, f.db)
}

// indexDriftSQL counts the differences between the packed BM25 index and
// what the caches' tsvectors say it must hold: postings missing, postings
// extra, item numbers not one per cached item, and statistics off.
const indexDriftSQL = `
WITH want AS (
	SELECT c.user_id, c.service, c.id AS item_id, u.lexeme AS term, f.a, f.b, f.c,
	       (SELECT sum(cardinality(x.weights)) FROM unnest(c.search) x)::int AS len
	FROM (SELECT user_id, 'gmail' AS service, id, search FROM gmail_cache
	      UNION ALL SELECT user_id, 'calendar', id, search FROM gcal_cache
	      UNION ALL SELECT user_id, 'drive', id, search FROM gdrive_cache) c,
	     unnest(c.search) u,
	     LATERAL (SELECT count(*) FILTER (WHERE w = 'A')::int AS a, count(*) FILTER (WHERE w = 'B')::int AS b,
	                     count(*) FILTER (WHERE w IN ('C', 'D'))::int AS c FROM unnest(u.weights) w) f
), have AS (
	SELECT t.user_id, t.service, d.item_id, t.term::text AS term, (e >> 12 & 255)::int, (e >> 20 & 511)::int,
	       (e >> 29 & 65535)::int, (e >> 45)::int
	FROM (SELECT user_id, term, service, blk, postings FROM search_terms
	      UNION ALL SELECT user_id, term, service, blk, postings FROM search_tail) t, unnest(t.postings) e, search_docs d
	WHERE d.user_id = t.user_id AND d.service = t.service AND d.doc = t.blk << 12 | (e & 4095)::int
), items AS (
	SELECT user_id, 'gmail' AS service, id, search FROM gmail_cache
	UNION ALL SELECT user_id, 'calendar', id, search FROM gcal_cache
	UNION ALL SELECT user_id, 'drive', id, search FROM gdrive_cache
), stats AS (
	SELECT user_id, service, count(*) AS docs, sum((SELECT coalesce(sum(cardinality(x.weights)), 0) FROM unnest(search) x)) AS total_len
	FROM items GROUP BY user_id, service
)
SELECT (SELECT count(*) FROM (TABLE want EXCEPT ALL TABLE have) x),
       (SELECT count(*) FROM (TABLE have EXCEPT ALL TABLE want) x),
       (SELECT count(*) FROM items i FULL JOIN search_docs d ON d.item_id = i.id AND d.user_id = i.user_id AND d.service = i.service
        WHERE i.id IS NULL OR d.item_id IS NULL),
       (SELECT count(*) FROM stats FULL JOIN (SELECT * FROM search_stats WHERE docs <> 0) s USING (user_id, service)
        WHERE stats.docs IS DISTINCT FROM s.docs OR stats.total_len IS DISTINCT FROM s.total_len),
       (SELECT count(*) FROM search_terms WHERE postings = '{}') + (SELECT count(*) FROM search_tail WHERE postings = '{}'),
       (SELECT count(*) FROM want)`

func requireIndexMatchesCaches(t *testing.T, ctx context.Context, db *store.DB) {
	t.Helper()
	var missing, extra, unnumbered, stats, empty, postings int
	// statistics for a plan that joins the postings to their items by hash
	_, err := db.Pool.Exec(ctx, "ANALYZE gmail_cache, gcal_cache, gdrive_cache, search_terms, search_tail, search_docs")
	require.NoError(t, err)
	require.NoError(t, db.Pool.QueryRow(ctx, indexDriftSQL).Scan(&missing, &extra, &unnumbered, &stats, &empty, &postings))
	require.Zero(t, missing, "postings missing")
	require.Zero(t, extra, "postings extra")
	require.Zero(t, unnumbered, "items without a number, or numbers without an item")
	require.Zero(t, stats, "statistics off")
	require.Zero(t, empty, "empty blocks left")
	require.Positive(t, postings)
}

// The packed postings follow every write transactionally: inserts across
// blocks, changed and relabelled items, deletes, a rolled-back write, in the
// tail and merged into the packed rows, and the migrations converting a
// database with data both ways.
func TestPackedPostingsFollowEveryChange(t *testing.T) {
	t.Parallel()
	f := setupSearch(t)
	var other uuid.UUID
	require.NoError(t, f.db.Pool.QueryRow(f.ctx, `INSERT INTO users (email) VALUES ($1) RETURNING id`, uuid.NewString()+"@example.com").Scan(&other))
	exec := func(sql string, args ...any) {
		t.Helper()
		_, err := f.db.Pool.Exec(f.ctx, sql, args...)
		require.NoError(t, err)
	}
	// more than a block (4,096 items) for one user and service
	exec(`INSERT INTO gmail_cache (user_id, email_id, subject, sender, sender_name, body, received_at)
		SELECT $1, 'm' || i, 'Report ' || (i % 97), 'a' || (i % 13) || '@example.com', 'Sender ' || (i % 13),
		       repeat('budget ', i % 5) || 'pipeline gas ' || md5(i::text), now()
		FROM generate_series(1, 4500) i`, f.user)
	exec(`INSERT INTO gmail_cache (user_id, email_id, subject, body, received_at)
		SELECT $1, 'm' || i, 'Report ' || i, 'budget talk', now() FROM generate_series(1, 50) i`, other)
	exec(`INSERT INTO gcal_cache (user_id, event_id, title, description, start_time, end_time)
		VALUES ($1, 'e1', 'Budget review', 'the budget', now(), now()), ($2, 'e1', 'Standup', '', now(), now())`, f.user, other)
	exec(`INSERT INTO gdrive_cache (user_id, file_id, name, content, modified_at) VALUES ($1, 'f1', 'budget.xlsx', 'numbers', now())`, f.user)
	requireIndexMatchesCaches(t, f.ctx, f.db)

	// the gmail tail merged (changes then hit packed rows), the others' not;
	// a few hundred rows a statement, so that ranges of terms meet
	sync := store.New(f.db, nil, domain.SystemClock{})
	require.NoError(t, sync.MergeIndexBy(f.ctx, f.user, domain.ServiceGmail, 300))
	requireIndexMatchesCaches(t, f.ctx, f.db)
	var tail int
	require.NoError(t, f.db.Pool.QueryRow(f.ctx, `SELECT count(*) FROM search_tail WHERE user_id = $1 AND service = 'gmail'`, f.user).Scan(&tail))
	require.Zero(t, tail)

	// changes in both blocks, a relabel, deletes, an emptied term
	exec(`UPDATE gmail_cache SET body = 'rewritten ' || email_id WHERE user_id = $1 AND email_id IN ('m7', 'm4100', 'm4499')`, f.user)
	exec(`UPDATE gmail_cache SET labels = '{STARRED}' WHERE user_id = $1 AND email_id LIKE 'm1%'`, f.user)
	exec(`DELETE FROM gmail_cache WHERE user_id = $1 AND (email_id LIKE 'm2%' OR email_id = 'm4200')`, f.user)
	exec(`UPDATE gcal_cache SET title = 'Planning' WHERE event_id = 'e1'`)
	exec(`DELETE FROM gdrive_cache WHERE file_id = 'f1'`)
	requireIndexMatchesCaches(t, f.ctx, f.db)
	var rewritten int
	require.NoError(t, f.db.Pool.QueryRow(f.ctx, `SELECT count(*) FROM search_tail WHERE user_id = $1 AND term = 'rewritten' AND blk = 1`, f.user).Scan(&rewritten))
	require.Equal(t, 1, rewritten, "changed items are numbered again, into the last block")
	q := bm25(3)
	q.Terms = []query.Term{{Text: "m4499"}}
	got, err := f.s.FullText(f.ctx, f.user, q)
	require.NoError(t, err)
	require.Equal(t, []string{"Report 37"}, titles(got))
	for _, svc := range domain.Services {
		require.NoError(t, sync.MergeIndex(f.ctx, f.user, svc))
	}
	requireIndexMatchesCaches(t, f.ctx, f.db)
	got, err = f.s.FullText(f.ctx, f.user, q)
	require.NoError(t, err)
	require.Equal(t, []string{"Report 37"}, titles(got))
	exec(`UPDATE gmail_cache SET body = 'again ' || email_id WHERE user_id = $1 AND email_id = 'm4499'`, f.user)

	// a rolled-back write leaves the index as it was
	tx, err := f.db.Pool.Begin(f.ctx)
	require.NoError(t, err)
	_, err = tx.Exec(f.ctx, `DELETE FROM gmail_cache WHERE user_id = $1 AND email_id LIKE 'm3%'`, f.user)
	require.NoError(t, err)
	require.NoError(t, tx.Rollback(f.ctx))
	requireIndexMatchesCaches(t, f.ctx, f.db)

	// the migrations rebuild the index from the caches, down and up again
	for _, file := range []string{"20261205112000_merge_search_tail_by_terms.tx.down.sql",
		"20261205111000_partition_search_terms.tx.down.sql", "20261205110000_search_tail.tx.down.sql",
		"20261205001000_pack_search_postings.tx.down.sql", "20261205001000_pack_search_postings.tx.up.sql",
		"20261205110000_search_tail.tx.up.sql", "20261205111000_partition_search_terms.tx.up.sql",
		"20261205112000_merge_search_tail_by_terms.tx.up.sql"} {
		sql, err := os.ReadFile("../../migrations/" + file)
		require.NoError(t, err)
		exec(string(sql))
	}
	requireIndexMatchesCaches(t, f.ctx, f.db)
	got, err = f.s.FullText(f.ctx, f.user, q)
	require.NoError(t, err)
	require.Equal(t, []string{"Report 37"}, titles(got))
}

func TestFullTextStrictFiltersRankOnlyWhatTheyAdmit(t *testing.T) {
	t.Parallel()
	f := setupSearch(t)
	sarah := domain.Address{Name: "Sarah", Email: "sarah@example.com"}
	for i := range 12 { // others' mail ranks above hers on every word
		f.insertEmail(t, domain.Email{Subject: "Budget budget", Body: fmt.Sprintf("budget %d", i), ReceivedAt: day(1),
			From: domain.Address{Email: fmt.Sprintf("other%d@example.com", i)}})
	}
	f.insertEmail(t, domain.Email{Subject: "Numbers", Body: "the budget, finally", ReceivedAt: day(2), From: sarah})
	f.insertEmail(t, domain.Email{Subject: "Old numbers", Body: "last year's budget", ReceivedAt: day(20), From: sarah})

	q := bm25(5)
	q.Terms = []query.Term{{Text: "budget"}}
	got, err := f.s.FullText(f.ctx, f.user, q)
	require.NoError(t, err)
	require.NotContains(t, titles(got), "Numbers", "unfiltered, her mail is too deep for the first five")

	q.Filters = &domain.Filter{From: []string{"sarah@example.com"}}
	got, err = f.s.FullText(f.ctx, f.user, q)
	require.NoError(t, err)
	require.ElementsMatch(t, []string{"Numbers", "Old numbers"}, titles(got))

	q.Filters.Before = day(10)
	got, err = f.s.FullText(f.ctx, f.user, q)
	require.NoError(t, err)
	require.Equal(t, []string{"Numbers"}, titles(got))

	f.insertEmail(t, domain.Email{Subject: "Draft numbers", Body: "the budget, unsent", ReceivedAt: day(3), From: sarah, Labels: []string{"DRAFT"}})
	q.Filters = &domain.Filter{From: []string{"sarah@example.com"}, NotLabels: []string{"DRAFT"}}
	got, err = f.s.FullText(f.ctx, f.user, q)
	require.NoError(t, err)
	require.ElementsMatch(t, []string{"Numbers", "Old numbers"}, titles(got), "none of the labels; mail without labels passes")

	q.Filters = &domain.Filter{Labels: []string{"INBOX"}}
	q.Services = []domain.Service{domain.ServiceDrive}
	got, err = f.s.FullText(f.ctx, f.user, q)
	require.NoError(t, err)
	require.Empty(t, got, "files carry no labels")
}

func TestFullTextIsPerUser(t *testing.T) {
	t.Parallel()
	f := setupSearch(t)
	other := f
	require.NoError(t, f.db.Pool.QueryRow(f.ctx, `INSERT INTO users (email) VALUES ('other@example.com') RETURNING id`).Scan(&other.user))
	other.insertEmail(t, domain.Email{Subject: "Secret budget", ReceivedAt: day(1)})
	q := bm25(10)
	q.Terms = []query.Term{{Text: "budget"}}
	got, err := f.s.FullText(f.ctx, f.user, q)
	require.NoError(t, err)
	require.Empty(t, got)
}

func randomUnit(r *rand.Rand) []float32 {
	v := make([]float32, domain.EmbeddingDim)
	var n float64
	for i := range v {
		v[i] = float32(r.NormFloat64())
		n += float64(v[i] * v[i])
	}
	for i := range v {
		v[i] /= float32(math.Sqrt(n))
	}
	return v
}

func TestVectorExactAndFiltered(t *testing.T) {
	t.Parallel()
	f := setupSearch(t)
	r := rand.New(rand.NewPCG(1, 2))
	vecs := map[string][]float32{}
	for i := range 60 {
		from := domain.Address{Name: "Someone", Email: "someone@x.com"}
		if i%3 == 0 {
			from = domain.Address{Name: "Fleming, Rosalee", Email: "rosalee.fleming@enron.com"}
		}
		v := randomUnit(r)
		subject := uuid.NewString()
		vecs[subject] = v
		f.insertEmail(t, domain.Email{Subject: subject, From: from, ReceivedAt: day(1 + i%28), Labels: []string{"INBOX"},
			Unread: i%2 == 0, Embedding: domain.Vector{Values: v}})
	}
	qv := randomUnit(r)
	got, err := f.s.Vector(f.ctx, f.user, search.VectorQuery{Vector: qv, Limit: 10})
	require.NoError(t, err)
	require.Len(t, got, 10)
	for i := 1; i < len(got); i++ {
		require.GreaterOrEqual(t, got[i-1].Score, got[i].Score)
	}
	// recall@10 against an exact scan done here: the leg's plan is exact
	type scored struct {
		subject string
		dot     float64
	}
	var exact []scored
	for subject, v := range vecs {
		var dot float64
		for i := range v {
			dot += float64(v[i] * qv[i])
		}
		exact = append(exact, scored{subject, dot})
	}
	slices.SortFunc(exact, func(a, b scored) int { return cmp.Compare(b.dot, a.dot) })
	nearest := got
	for i, c := range got {
		require.Equal(t, exact[i].subject, c.Title)
		require.InDelta(t, exact[i].dot, c.Score, 1e-5)
	}

	// filters restrict; without a vector the newest come first
	addrs, err := f.s.People(f.ctx, f.user, []string{"rosalee", "fleming"}, false)
	require.NoError(t, err)
	require.Equal(t, []string{"rosalee.fleming@enron.com"}, addrs)
	flt := domain.Filter{From: addrs, After: day(10), Before: day(20), Unread: boolPtr(true)}
	got, err = f.s.Vector(f.ctx, f.user, search.VectorQuery{Filters: &flt, Limit: 10})
	require.NoError(t, err)
	require.NotEmpty(t, got)
	for i, c := range got {
		require.False(t, c.At.Before(day(10)) || !c.At.Before(day(20)))
		if i > 0 {
			require.False(t, c.At.After(got[i-1].At))
		}
	}
	flt = domain.Filter{Labels: []string{"SENT"}}
	got, err = f.s.Vector(f.ctx, f.user, search.VectorQuery{Vector: qv, Filters: &flt, Limit: 10})
	require.NoError(t, err)
	require.Empty(t, got)

	// search_vectors follows the cache: a deleted item is gone, a cleared embedding too
	var n int
	require.NoError(t, f.db.Pool.QueryRow(f.ctx, `SELECT count(*) FROM search_vectors WHERE user_id = $1`, f.user).Scan(&n))
	require.Equal(t, 60, n)
	_, err = f.db.Pool.Exec(f.ctx, `DELETE FROM gmail_cache WHERE subject = $1`, nearest[0].Title)
	require.NoError(t, err)
	_, err = f.db.Pool.Exec(f.ctx, `UPDATE gmail_cache SET embedding = NULL WHERE subject = $1`, nearest[1].Title)
	require.NoError(t, err)
	again, err := f.s.Vector(f.ctx, f.user, search.VectorQuery{Vector: qv, Limit: 10})
	require.NoError(t, err)
	require.Equal(t, titles(nearest[2:]), titles(again[:8]))

	prefix, err := f.s.People(f.ctx, f.user, []string{"rosa"}, true)
	require.NoError(t, err)
	require.Equal(t, []string{"rosalee.fleming@enron.com"}, prefix)
	labels, err := f.s.Labels(f.ctx, f.user)
	require.NoError(t, err)
	require.Equal(t, []string{"INBOX"}, labels)
}

func TestIdentifierFindsIDsInTitles(t *testing.T) {
	t.Parallel()
	f := setupSearch(t)
	f.insertEmail(t, domain.Email{Subject: "KEP-536: Topology-aware service routing", ReceivedAt: day(1)})
	f.insertEmail(t, domain.Email{Subject: "KEP-5360: something else", ReceivedAt: day(2)})
	f.insertEmail(t, domain.Email{Subject: "Re: ticket INC0012345 closed", ReceivedAt: day(3)})
	f.insertEmail(t, domain.Email{Subject: "Q3 Budget.xlsx attached", ReceivedAt: day(4)})
	f.insertEmail(t, domain.Email{Subject: "About kep 536", Body: "KEP-536 in the body only", ReceivedAt: day(5)})
	find := func(ids ...string) []string {
		got, err := f.s.Identifier(f.ctx, f.user, search.IdentQuery{Idents: ids, Limit: 10})
		require.NoError(t, err)
		return titles(got)
	}
	require.Equal(t, []string{"About kep 536", "KEP-536: Topology-aware service routing"}, find("KEP 536"))
	require.Equal(t, find("KEP 536"), find("kep-536"))
	require.Equal(t, find("KEP 536"), find("KEP536"))
	require.Equal(t, []string{"Re: ticket INC0012345 closed"}, find("inc0012345"))
	require.Equal(t, []string{"Q3 Budget.xlsx attached"}, find("q3_budget.xlsx"))
	require.Empty(t, find("KEP 53"))
	got, err := f.s.Identifier(f.ctx, f.user, search.IdentQuery{Idents: []string{"KEP 536"}, Limit: 10,
		Filters: &domain.Filter{After: day(3)}, Exclude: []string{"body"}})
	require.NoError(t, err)
	require.Empty(t, got, "filters and exclusions hold")
}
