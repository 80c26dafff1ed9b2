package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/query"
	"github.com/workspace-orchestrator/orchestrator/domain/search"
)

// Search runs the search legs over the workspace caches: BM25 over
// search_terms, exact cosine over search_vectors, and exact cosine over
// the cache rows the query's filters admit. It implements search.Index and
// query.Contacts.
type Search struct {
	db *DB
}

// NewSearch returns the search index over db.
func NewSearch(db *DB) *Search { return &Search{db: db} }

var (
	_ search.Index   = (*Search)(nil)
	_ query.Contacts = (*Search)(nil)
)

// searchItemSQL fetches what a hit shows for each scored row s(service, item_id).
const searchItemSQL = `
CROSS JOIN LATERAL (
	SELECT g.email_id AS ext, g.message_ids AS mids, g.subject AS title, g.received_at AS at, g.search
	FROM gmail_cache g WHERE s.service = 'gmail' AND g.id = s.item_id AND g.user_id = $1
	UNION ALL
	SELECT c.event_id, '{}'::text[], c.title, c.start_time, c.search
	FROM gcal_cache c WHERE s.service = 'calendar' AND c.id = s.item_id AND c.user_id = $1
	UNION ALL
	SELECT d.file_id, '{}'::text[], d.name, d.modified_at, d.search
	FROM gdrive_cache d WHERE s.service = 'drive' AND d.id = s.item_id AND d.user_id = $1 AND NOT d.trashed
) m`

// searchTextSQL scores a user's items by Okapi BM25. Each query word (q.qi)
// becomes its English stem and its plain form (people's names are indexed
// unstemmed), or a prefix range; tf weighs the fields (a name's words in a
// question, only the people fields); N, avgdl and df are
// the user's own. Postings come packed per term and block of items (see the
// migration pack_search_postings for the bits), from search_terms and from
// what writes appended to search_tail since the last merge; scoring works on
// the items' numbers, and only the best are looked up. Phrase words are required;
// phrases and exclusions are then checked on the tsvector of the best
// candidates. df comes from a window over the postings read (min of 15 runs
// on the demo workspace: 13.8 ms against 20.0 ms for a separate df aggregate
// joined back). Each item also says which share of the query's words
// (those with a lexeme) it holds in any field: search.Candidate.Held.
const searchTextSQL = `
WITH q AS (
	SELECT u.qi, u.req, u.people, l.lex COLLATE "C" AS lex,
	       (CASE WHEN u.prefix THEN l.lex || chr(1114111) ELSE l.lex END) COLLATE "C" AS hi
	FROM unnest($2::int[], $3::text[], $4::bool[], $5::bool[], $16::bool[]) AS u(qi, word, prefix, req, people)
	CROSS JOIN LATERAL (
		SELECT DISTINCT x AS lex FROM unnest(CASE
			WHEN u.prefix THEN ARRAY[lower(u.word)]
			WHEN to_tsvector('english', u.word) = ''::tsvector THEN '{}'::text[]
			ELSE tsvector_to_array(to_tsvector('english', u.word) || to_tsvector('simple', u.word)) END) x
	) l
), p AS (
	SELECT q.qi, bool_or(q.req) AS req, sp.service, sp.doc,
	       sum(CASE WHEN q.people THEN sp.tf_b * $7::float8
	                ELSE sp.tf_a * $6::float8 + sp.tf_b * $7::float8 + sp.tf_c * $8::float8 END) AS tf, max(sp.len) AS len
	FROM q CROSS JOIN LATERAL (
		SELECT t.service, t.blk << 12 | (e & 4095)::int AS doc, (e >> 12 & 255)::int AS tf_a, (e >> 20 & 511)::int AS tf_b,
		       (e >> 29 & 65535)::int AS tf_c, (e >> 45)::int AS len
		FROM (SELECT service, blk, postings FROM search_terms
		      WHERE user_id = $1 AND term BETWEEN q.lex AND q.hi AND service = ANY($9::text[])
		      UNION ALL
		      SELECT service, blk, postings FROM search_tail
		      WHERE user_id = $1 AND term BETWEEN q.lex AND q.hi AND service = ANY($9::text[])) t, unnest(t.postings) e
		OFFSET 0 -- kept a lateral: one index range per word (joined, the planner read all the user's terms)
	) sp
	WHERE NOT q.people OR sp.tf_b > 0
	GROUP BY q.qi, sp.service, sp.doc
), r AS (
	SELECT x.service, x.doc,
	       sum(ln(1 + (st.n - x.df + 0.5) / (x.df + 0.5)) * x.tf * ($10::float8 + 1)
	           / (x.tf + $10::float8 * (1 - $11::float8 + $11::float8 * x.len / greatest(st.avgdl, 1)))) AS score,
	       count(DISTINCT x.qi)::float8 / (SELECT count(DISTINCT qi) FROM q) AS held
	FROM (SELECT p.*, count(*) OVER (PARTITION BY p.qi) AS df FROM p) x,
	     (SELECT coalesce(sum(docs), 0)::float8 AS n, coalesce(sum(total_len)::float8 / nullif(sum(docs), 0), 1) AS avgdl
	      FROM search_stats WHERE user_id = $1 AND service = ANY($9::text[])) st
	` + admittedMark + `
	GROUP BY x.service, x.doc
	HAVING count(*) FILTER (WHERE x.req) = (SELECT count(DISTINCT qi) FROM q WHERE req)
	ORDER BY score DESC
	LIMIT $12
), s AS (
	SELECT r.service, d.item_id, r.score, r.held FROM r
	JOIN search_docs d ON d.user_id = $1 AND d.service = r.service AND d.doc = r.doc
)
SELECT s.service, s.item_id, m.ext, m.mids, m.title, m.at, s.score, s.held
FROM s` + searchItemSQL + `
WHERE NOT EXISTS (SELECT 1 FROM unnest($13::text[]) ph
                  WHERE NOT (m.search @@ phraseto_tsquery('english', ph) OR m.search @@ phraseto_tsquery('simple', ph)))
  AND ($14 = '' OR NOT (m.search @@ websearch_to_tsquery('english', $14) OR m.search @@ websearch_to_tsquery('simple', $14)))
ORDER BY s.score DESC, m.at DESC
LIMIT $15`

// admittedMark is where a strict search restricts the scored items to those
// its filters admit: after df is counted over every posting, so that
// filtering changes which items rank, not how rare a word is.
const admittedMark = "/* admitted */"

// postFilterDepth is how many candidates are checked for phrases and
// exclusions, which only the tsvector can answer.
const postFilterDepth = 1000

// FullText ranks the user's items by BM25 over q.Terms.
func (s *Search) FullText(ctx context.Context, userID uuid.UUID, q search.TextQuery) ([]search.Candidate, error) {
	var (
		qis      []int32
		words    []string
		prefixes []bool
		reqs     []bool
		people   []bool
		phrases  []string
	)
	for _, t := range q.Terms {
		for _, w := range strings.Fields(t.Text) {
			qis = append(qis, int32(len(qis))) // each word is a BM25 term
			words = append(words, w)
			prefixes = append(prefixes, t.Prefix)
			reqs = append(reqs, t.Phrase)
			people = append(people, t.People)
		}
		if t.Phrase {
			phrases = append(phrases, t.Text)
		}
	}
	if len(words) == 0 {
		return nil, nil
	}
	excl := exclusion(q.Exclude)
	depth := q.Limit
	if len(phrases) > 0 || excl != "" {
		depth = max(depth, postFilterDepth)
	}
	a := sqlArgs{userID, qis, words, prefixes, reqs, q.BM25.Title, q.BM25.People, q.BM25.Body, serviceNames(q.Services),
		q.BM25.K1, q.BM25.B, depth, phrases, excl, q.Limit, people}
	restrict := ""
	if q.Filters != nil {
		var branches []string
		for _, b := range admitted(q.Services, q.Filters, &a) {
			branches = append(branches, fmt.Sprintf("SELECT service, doc FROM search_docs WHERE user_id = $1 AND service = '%s' AND item_id IN (SELECT id FROM %s WHERE %s)",
				b.service, b.table, strings.Join(b.conds, " AND ")))
		}
		if len(branches) == 0 {
			return nil, nil // no service can hold what the filters ask
		}
		restrict = "WHERE (x.service, x.doc) IN (" + strings.Join(branches, "\nUNION ALL\n") + ")"
	}
	return s.candidates(ctx, "full-text search", strings.Replace(searchTextSQL, admittedMark, restrict, 1), a...)
}

// candidates runs a leg's query with JIT off: the planner's estimates over
// the postings and cache tables pass the JIT threshold, and compiling took
// ~3 s for a query that runs in 30 ms (measured on the demo workspace). The
// batch is one round trip and one implicit transaction, so SET LOCAL holds.
func (s *Search) candidates(ctx context.Context, what, sql string, args ...any) ([]search.Candidate, error) {
	var b pgx.Batch
	b.Queue("SET LOCAL jit = off")
	b.Queue(sql, args...)
	br := s.db.Pool.SendBatch(ctx, &b)
	defer br.Close()
	if _, err := br.Exec(); err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, unavailable(err))
	}
	rows, err := br.Query()
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, unavailable(err))
	}
	return scanCandidates(rows, what)
}

// exclusion turns -words into a websearch_to_tsquery OR of bare words.
func exclusion(words []string) string {
	var out []string
	for _, w := range words {
		w = strings.Map(func(r rune) rune {
			if r == '"' || r == '-' || r == '(' || r == ')' {
				return ' '
			}
			return r
		}, w)
		if w = strings.TrimSpace(w); w != "" {
			out = append(out, `"`+w+`"`)
		}
	}
	return strings.Join(out, " OR ")
}

func serviceNames(ss []domain.Service) []string {
	if len(ss) == 0 {
		ss = domain.Services
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}

func scanCandidates(rows pgx.Rows, what string) ([]search.Candidate, error) {
	defer rows.Close()
	var out []search.Candidate
	for rows.Next() {
		var (
			c   search.Candidate
			svc string
			at  time.Time
		)
		dest := []any{&svc, &c.ID, &c.ExternalID, &c.MessageIDs, &c.Title, &at, &c.Score}
		if len(rows.FieldDescriptions()) > len(dest) { // the full-text leg's share of words held
			dest = append(dest, &c.Held)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		c.Service, c.At = domain.Service(svc), at
		if len(c.MessageIDs) == 0 {
			c.MessageIDs = nil
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, unavailable(err))
	}
	return out, nil
}

// sqlArgs numbers query arguments as they are added.
type sqlArgs []any

func (a *sqlArgs) add(v any) string {
	*a = append(*a, v)
	return fmt.Sprintf("$%d", len(*a))
}

// vectorBranch is one cache table's part of a vector search.
type vectorBranch struct {
	service domain.Service
	table   string
	at      string // the column hits are dated by
	title   string // the column holding the subject, title or name
	// where returns the conditions the filters put on this table, or ok=false
	// when a filter cannot hold for this service (labels on events, say).
	where func(f *domain.Filter, a *sqlArgs) (conds []string, ok bool)
}

var vectorBranches = []vectorBranch{
	{domain.ServiceGmail, "gmail_cache", "received_at", "subject", func(f *domain.Filter, a *sqlArgs) ([]string, bool) {
		var c []string
		if len(f.MimeTypes) > 0 || len(f.Owners) > 0 || len(f.Folders) > 0 {
			return nil, false
		}
		if len(f.From) > 0 {
			c = append(c, "lower(sender) = ANY("+a.add(f.From)+"::text[])")
		}
		if len(f.To) > 0 {
			c = append(c, "recipient_addrs && "+a.add(f.To)+"::text[]")
		}
		if len(f.Attendees) > 0 { // "with Sarah": she sent it or received it
			p := a.add(f.Attendees)
			c = append(c, "(lower(sender) = ANY("+p+"::text[]) OR recipient_addrs && "+p+"::text[])")
		}
		if len(f.Labels) > 0 {
			c = append(c, "labels && "+a.add(f.Labels)+"::text[]")
		}
		if len(f.NotLabels) > 0 {
			c = append(c, "NOT labels && "+a.add(f.NotLabels)+"::text[]")
		}
		if len(f.MessageIDs) > 0 {
			c = append(c, "message_ids && "+a.add(f.MessageIDs)+"::text[]")
		}
		c = append(c, flagConds(f)...)
		return append(c, timeConds("received_at", "received_at", f, a)...), true
	}},
	{domain.ServiceCalendar, "gcal_cache", "start_time", "title", func(f *domain.Filter, a *sqlArgs) ([]string, bool) {
		if mailOnly(f) || len(f.MimeTypes) > 0 || len(f.Owners) > 0 || len(f.Folders) > 0 {
			return nil, false
		}
		var c []string
		if len(f.From) > 0 {
			c = append(c, "lower(organizer) = ANY("+a.add(f.From)+"::text[])")
		}
		if len(f.Attendees) > 0 {
			c = append(c, "attendee_addrs && "+a.add(f.Attendees)+"::text[]")
		}
		// an event is in a period when it overlaps it
		return append(c, timeConds("end_time", "start_time", f, a)...), true
	}},
	{domain.ServiceDrive, "gdrive_cache", "modified_at", "name", func(f *domain.Filter, a *sqlArgs) ([]string, bool) {
		if mailOnly(f) {
			return nil, false
		}
		c := []string{"NOT trashed"}
		if owners := union(union(f.From, f.Attendees), f.Owners); len(owners) > 0 {
			c = append(c, "owners && "+a.add(owners)+"::text[]")
		}
		if len(f.MimeTypes) > 0 {
			c = append(c, "mime_type = ANY("+a.add(f.MimeTypes)+"::text[])")
		}
		if len(f.Folders) > 0 {
			c = append(c, "lower(parent_folder) = ANY("+a.add(lowerAll(f.Folders))+"::text[])")
		}
		return append(c, timeConds("modified_at", "modified_at", f, a)...), true
	}},
}

// mailOnly reports whether f sets a field only mail can meet.
func mailOnly(f *domain.Filter) bool {
	return len(f.To) > 0 || len(f.Labels) > 0 || len(f.MessageIDs) > 0 || f.HasAttachment != nil || f.Unread != nil
}

// flagConds are the conditions of a filter's mail flags.
func flagConds(f *domain.Filter) []string {
	var c []string
	for _, fl := range []struct {
		v   *bool
		col string
	}{{f.HasAttachment, "has_attachment"}, {f.Unread, "unread"}} {
		switch {
		case fl.v == nil:
		case *fl.v:
			c = append(c, fl.col)
		default:
			c = append(c, "NOT "+fl.col)
		}
	}
	return c
}

func union(a, b []string) []string {
	out := slices.Clip(a)
	for _, v := range b {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// admittedBranch is a table that can hold what filters ask, with the
// conditions its rows must meet (the user's own first; $1 is the user).
type admittedBranch struct {
	vectorBranch
	conds []string
}

// admitted returns the branches of services whose tables can hold what f asks.
func admitted(services []domain.Service, f *domain.Filter, a *sqlArgs) []admittedBranch {
	var out []admittedBranch
	for _, b := range vectorBranches {
		if !containsService(services, b.service) {
			continue
		}
		if conds, ok := b.where(f, a); ok {
			out = append(out, admittedBranch{b, append([]string{"user_id = $1"}, conds...)})
		}
	}
	return out
}

func timeConds(endCol, startCol string, f *domain.Filter, a *sqlArgs) []string {
	var c []string
	if !f.After.IsZero() {
		c = append(c, endCol+" >= "+a.add(f.After))
	}
	if !f.Before.IsZero() {
		c = append(c, startCol+" < "+a.add(f.Before))
	}
	return c
}

// searchVectorSQL ranks all the user's items by cosine similarity: an exact
// scan of the user's rows of search_vectors, pinned by ordering on a computed
// score no index can serve (an HNSW index on the cache tables, as the naive
// query uses, returns too few rows per user; see package search's doc).
const searchVectorSQL = `
WITH s AS (
	SELECT service, item_id, 1 - (embedding <=> $2) AS score FROM search_vectors
	WHERE user_id = $1 AND service = ANY($3::text[])
	ORDER BY score DESC LIMIT $4
)
SELECT s.service, s.item_id, m.ext, m.mids, m.title, m.at, s.score
FROM s` + searchItemSQL + `
WHERE ($5 = '' OR NOT (m.search @@ websearch_to_tsquery('english', $5) OR m.search @@ websearch_to_tsquery('simple', $5)))
ORDER BY s.score DESC, m.at DESC
LIMIT $6`

// searchPassageSQL ranks the user's items by their best passage's cosine
// with the query's words ($2 slots, $3 weights), each word weighed by its
// rarity in the user's items of the services searched, ln(N/df): the counts
// kept in search_passage_words as items come and go. Words every item
// holds, or none, weigh nothing. Only some items are scored, found through
// the GIN indexes on (user_id, passage_words): those holding one of the
// query's rarer words (in at most a twentieth of the items), or, when it
// has none, those holding all its weighed words; at most
// passageCandidates of them, newest first. Scoring every passage took 140
// ms p50 on the demo workspace, only the items holding a rarer word 33 ms
// (the embedding scan 13 ms; measured under load), with the same rankings
// on the judged sets. A query of common words alone ("all-employee
// meeting") scored every item holding any of them: 4,710 of a bench user's
// 6,000, 670 ms under load, against 37 items and 2 ms holding all three
// (passages of words, before stems).
// Each candidate's passages are scored from the cache row that found it:
// sorting all the passages by item to take each one's best took a third
// of the time. 1048576 is domain.PassageDim. The candidates' branches come
// in at /* items */.
const searchPassageSQL = `
WITH d AS (
	SELECT slot, sum(df)::float8 AS df FROM search_passage_words
	WHERE user_id = $1 AND service = ANY($4::text[]) AND slot = ANY($2::int[] || 0)
	GROUP BY slot
), w AS (
	SELECT w.slot, w.weight * ln(n.df / d.df) AS weight, d.df * 20 <= n.df AS rare
	FROM unnest($2::int[], $3::float8[]) AS w(slot, weight)
	JOIN d ON d.slot = w.slot AND d.df > 0
	CROSS JOIN (SELECT df FROM d WHERE slot = 0) n
	WHERE w.slot > 0 AND d.df < n.df
), q AS (
	SELECT l2_normalize(('{' || string_agg(slot || ':' || weight, ',' ORDER BY slot) || '}/1048576')::sparsevec) AS v,
	       array_agg(slot) FILTER (WHERE rare) AS rare, CASE WHEN NOT bool_or(rare) THEN array_agg(slot) END AS every
	FROM w HAVING count(*) > 0
), c AS (
	SELECT * FROM (/* items */) u ORDER BY at DESC LIMIT $8
), s AS (
	SELECT c.service, c.item_id, (SELECT max(-(p <#> q.v)) FROM unnest(c.passages) p) AS score
	FROM q, c
	ORDER BY score DESC, c.at DESC LIMIT $5
)
SELECT s.service, s.item_id, m.ext, m.mids, m.title, m.at, s.score
FROM s` + searchItemSQL + `
WHERE ($6 = '' OR NOT (m.search @@ websearch_to_tsquery('english', $6) OR m.search @@ websearch_to_tsquery('simple', $6)))
ORDER BY s.score DESC, m.at DESC
LIMIT $7`

// passageCandidates bounds the items a passage search scores: a query's
// rarer words can still be held by many items when the user has many. No
// judged query reaches it (the most, 709 of a bench user's 6,000, over the
// 172 queries of make eval's sets), so it changes no judged ranking.
const passageCandidates = 1000

// Vector ranks the user's items by cosine similarity to q.Vector, restricted
// by q.Filters when set; with no vector the admitted items come newest first.
// Both plans are exact: unfiltered over search_vectors, filtered over the
// cache rows the filters admit (found through the per-user indexes). With
// q.Words set and no vector, items are ranked by their passages instead.
func (s *Search) Vector(ctx context.Context, userID uuid.UUID, q search.VectorQuery) ([]search.Candidate, error) {
	excl := exclusion(q.Exclude)
	if q.Words != nil && q.Vector == nil {
		return s.passages(ctx, userID, q, excl)
	}
	if q.Filters == nil {
		if q.Vector == nil {
			return nil, nil
		}
		depth := q.Limit
		if excl != "" {
			depth = max(depth, postFilterDepth)
		}
		return s.candidates(ctx, "vector search", searchVectorSQL, userID, pgvector.NewVector(q.Vector),
			serviceNames(q.Services), depth, excl, q.Limit)
	}
	a := sqlArgs{userID}
	if q.Vector == nil {
		return s.admittedItems(ctx, "filtered listing", a, q.Services, q.Filters, excl, "0::float8", nil, q.Limit)
	}
	vec := a.add(pgvector.NewVector(q.Vector))
	return s.admittedItems(ctx, "filtered vector search", a, q.Services, q.Filters, excl, "1 - (embedding <=> "+vec+")",
		func(vectorBranch) string { return "embedding IS NOT NULL" }, q.Limit)
}

// passages ranks items by their best passage (searchPassageSQL).
func (s *Search) passages(ctx context.Context, userID uuid.UUID, q search.VectorQuery, excl string) ([]search.Candidate, error) {
	slots := make([]int32, len(q.Words.Indices))
	weights := make([]float64, len(q.Words.Values))
	for i, x := range q.Words.Indices {
		slots[i] = x + 1 // sparsevec text indices count from 1
		weights[i] = float64(q.Words.Values[i])
	}
	if len(slots) == 0 {
		return nil, nil
	}
	depth := q.Limit
	if excl != "" {
		depth = max(depth, postFilterDepth)
	}
	a := sqlArgs{userID, slots, weights, serviceNames(q.Services), depth, excl, q.Limit, passageCandidates}
	f := q.Filters
	if f == nil {
		f = &domain.Filter{}
	}
	var branches []string
	for _, b := range admitted(q.Services, f, &a) {
		branches = append(branches, fmt.Sprintf("SELECT '%s'::text AS service, id AS item_id, %s AS at, passages FROM %s, q WHERE %s AND (passage_words && q.rare OR passage_words @> q.every)",
			b.service, b.at, b.table, strings.Join(b.conds, " AND ")))
	}
	if len(branches) == 0 {
		return nil, nil // no service can hold what the filters ask
	}
	return s.candidates(ctx, "passage search", strings.Replace(searchPassageSQL, "/* items */", strings.Join(branches, "\nUNION ALL\n"), 1), a...)
}

// Identifier finds the items whose title holds any of q.Idents, newest first.
func (s *Search) Identifier(ctx context.Context, userID uuid.UUID, q search.IdentQuery) ([]search.Candidate, error) {
	pats := make([]string, 0, len(q.Idents))
	for _, id := range q.Idents {
		if p := identPattern(id); p != "" {
			pats = append(pats, p)
		}
	}
	if len(pats) == 0 {
		return nil, nil
	}
	f := q.Filters
	if f == nil {
		f = &domain.Filter{}
	}
	a := sqlArgs{userID}
	p := a.add(pats)
	return s.admittedItems(ctx, "identifier search", a, q.Services, f, exclusion(q.Exclude), "1::float8",
		func(b vectorBranch) string { return b.title + " ~* ANY(" + p + "::text[])" }, q.Limit)
}

// identPattern is a PostgreSQL regular expression matching id's runs of
// letters and digits as whole words, in order, with nothing or punctuation
// between them: "KEP 536", "kep-536" and "KEP536" all find "KEP-536: ...".
func identPattern(id string) string {
	var runs []string
	cur, kind := []rune{}, 0
	for _, r := range strings.ToLower(id) {
		k := 0
		switch {
		case unicode.IsLetter(r):
			k = 1
		case unicode.IsDigit(r):
			k = 2
		}
		if k != kind && len(cur) > 0 {
			runs = append(runs, string(cur))
			cur = cur[:0]
		}
		if k != 0 {
			cur = append(cur, r)
		}
		kind = k
	}
	if len(cur) > 0 {
		runs = append(runs, string(cur))
	}
	if len(runs) == 0 {
		return ""
	}
	return `\m` + strings.Join(runs, `[^[:alnum:]]*`) + `\M`
}

// admittedItems scores the cache rows of the services whose tables can hold
// what f asks, with the conditions f and extra put on them, best score first
// (newest first when every score is the same).
func (s *Search) admittedItems(ctx context.Context, what string, a sqlArgs, services []domain.Service, f *domain.Filter,
	excl, score string, extra func(vectorBranch) string, limit int,
) ([]search.Candidate, error) {
	var exclArg string
	if excl != "" {
		exclArg = a.add(excl)
	}
	var branches []string
	for _, b := range admitted(services, f, &a) {
		conds := b.conds
		if exclArg != "" {
			conds = append(conds, "NOT (search @@ websearch_to_tsquery('english', "+exclArg+") OR search @@ websearch_to_tsquery('simple', "+exclArg+"))")
		}
		if extra != nil {
			conds = append(conds, extra(b.vectorBranch))
		}
		branches = append(branches, fmt.Sprintf("SELECT '%s'::text AS service, id AS item_id, %s AS score, %s AS at FROM %s WHERE %s",
			b.service, score, b.at, b.table, strings.Join(conds, " AND ")))
	}
	if len(branches) == 0 {
		return nil, nil
	}
	sql := "WITH s AS (SELECT service, item_id, score FROM (" + strings.Join(branches, "\nUNION ALL\n") + ") u ORDER BY score DESC, at DESC LIMIT " + a.add(limit) + ")\n" +
		"SELECT s.service, s.item_id, m.ext, m.mids, m.title, m.at, s.score FROM s" + searchItemSQL + " ORDER BY s.score DESC, m.at DESC"
	return s.candidates(ctx, what, sql, a...)
}

func containsService(ss []domain.Service, s domain.Service) bool {
	if len(ss) == 0 {
		return true
	}
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// People resolves typed name words to the addresses they name in the user's
// mail and events, most often seen first.
func (s *Search) People(ctx context.Context, userID uuid.UUID, name []string, prefix bool) ([]string, error) {
	if len(name) == 0 {
		return nil, nil
	}
	words, last := name, ""
	if prefix {
		words, last = name[:len(name)-1], name[len(name)-1]
	}
	rows, err := s.db.Pool.Query(ctx, `
		SELECT address FROM search_people
		WHERE user_id = $1 AND words @> $2::text[]
		  AND ($3 = '' OR EXISTS (SELECT 1 FROM unnest(words) w WHERE starts_with(w, $3)))
		GROUP BY address ORDER BY sum(seen) DESC, address LIMIT 20`, userID, words, last)
	if err != nil {
		return nil, fmt.Errorf("store: resolve people: %w", err)
	}
	addrs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("store: resolve people: %w", err)
	}
	return addrs, nil
}

// Names returns the display name each of addrs is most often seen with in
// the user's mail and events; an address seen with none is left out.
func (s *Search) Names(ctx context.Context, userID uuid.UUID, addrs []string) (map[string]string, error) {
	rows, err := s.db.Pool.Query(ctx, `
		SELECT DISTINCT ON (address) address, name FROM search_people
		WHERE user_id = $1 AND address = ANY($2) AND name <> ''
		ORDER BY address, seen DESC, name`, userID, addrs)
	if err != nil {
		return nil, fmt.Errorf("store: people's names: %w", err)
	}
	names := map[string]string{}
	var addr, name string
	if _, err := pgx.ForEachRow(rows, []any{&addr, &name}, func() error {
		names[addr] = name
		return nil
	}); err != nil {
		return nil, fmt.Errorf("store: people's names: %w", err)
	}
	return names, nil
}

// Directory returns the parent folders of the user's files and the addresses
// of their owners, each once, for reading folder and owner names in requests.
func (s *Search) Directory(ctx context.Context, userID uuid.UUID) (folders, owners []string, err error) {
	err = s.db.Pool.QueryRow(ctx, `
		SELECT ARRAY(SELECT DISTINCT parent_folder FROM gdrive_cache WHERE user_id = $1 AND parent_folder <> '' AND NOT trashed ORDER BY 1),
		       ARRAY(SELECT DISTINCT lower(o) FROM gdrive_cache, unnest(owners) o WHERE user_id = $1 AND NOT trashed ORDER BY 1)`,
		userID).Scan(&folders, &owners)
	if err != nil {
		return nil, nil, fmt.Errorf("store: drive directory: %w", err)
	}
	return folders, owners, nil
}

// Labels returns the labels on the user's mail.
func (s *Search) Labels(ctx context.Context, userID uuid.UUID) ([]string, error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT DISTINCT unnest(labels) AS l FROM gmail_cache WHERE user_id = $1 ORDER BY l`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: labels: %w", err)
	}
	ls, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("store: labels: %w", err)
	}
	return ls, nil
}
