// Package search is the hybrid search engine: a BM25 full-text leg, a vector
// leg and a vector leg restricted by the filters read from the query, run
// concurrently and fused (Fuse): by score where a leg's scores measure the
// match, by reciprocal rank where its order is not its signal.
//
// Plans, as measured on 20 users x 6,000 items (the demo workspace per user,
// `make bench-search`, cmd/orchestrator/searcheval's BenchmarkSearch):
//   - BM25 reads per-user postings (search_terms, kept by triggers from the
//     caches' tsvectors), packed per term and block of 4,096 items.
//   - The unfiltered vector leg scans the user's rows of search_vectors
//     exactly: ~8 ms against ~155 ms over the cache rows (bodies inline),
//     min of 12 runs. A shared HNSW index with a user filter found only
//     0.845 of the exact top 10 (0.92 with hnsw.iterative_scan), so the
//     plan is pinned by ordering on a computed score no index serves.
//   - With the offline embedder the vector leg ranks items by their best
//     passage, scoring only the items holding the query's rarer words (or,
//     when it has none, all its words; at most 1,000), found through GIN
//     indexes on (user_id, passage_words): p50 3.4 ms, p99 19 ms, against
//     5.0 / 115 ms when a query of common words scored every item holding
//     any of them.
//   - The filtered leg scans the cache rows its filters admit, exactly.
package search

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"golang.org/x/sync/errgroup"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/query"
)

// Leg names one way of retrieving items.
type Leg string

const (
	LegFullText Leg = "fulltext" // Okapi BM25 over the query's terms
	LegVector   Leg = "vector"   // cosine similarity over all the user's items
	LegFiltered Leg = "filtered" // cosine similarity over the items the query's filters admit
	// LegIdent finds the items whose title holds an identifier the query
	// names (query.Parsed.Idents: "KEP-2381", "ticket #4521", a file name),
	// newest first; weighed to come first.
	LegIdent Leg = "identifier"
)

// Legs lists every leg; a request naming none runs them all (the hybrid).
var Legs = []Leg{LegFullText, LegVector, LegFiltered, LegIdent}

// Item identifies a found item and carries what callers show or judge it by.
type Item struct {
	Service    domain.Service `json:"service"`
	ID         uuid.UUID      `json:"id"`         // cache row id
	ExternalID string         `json:"externalId"` // Gmail message, Calendar event or Drive file id
	MessageIDs []string       `json:"messageIds,omitempty"`
	Title      string         `json:"title"` // subject, event title or file name
	At         time.Time      `json:"at"`    // received, start or modified time
}

// Candidate is an item a leg found, with the leg's own score.
type Candidate struct {
	Item
	Score float64
	// Held is, from the full-text leg, the share of the query's words (those
	// full text indexes) the item holds in any field, body included, by stem.
	Held float64
}

// Ranked is one leg's list, best first, and its fusion weight.
type Ranked struct {
	Leg    Leg
	Weight float64
	// Power, when positive, makes an item's share follow its score, not its
	// rank: Fuse lends it Weight × (score / the list's best score)^Power, so
	// a leg whose scores fall steeply after its first items lends little to
	// the rest. Zero is rank fusion.
	Power float64
	Items []Candidate
}

// LegHit says where one leg ranked a hit.
type LegHit struct {
	Leg   Leg     `json:"leg"`
	Rank  int     `json:"rank"`           // from 1
	Score float64 `json:"score"`          // the leg's own score (BM25, cosine similarity)
	Held  float64 `json:"held,omitempty"` // full text: Candidate.Held
}

// Hit is one fused result.
type Hit struct {
	Item
	Score float64  `json:"score"` // fused score (Fuse): orders hits, means nothing alone
	Legs  []LegHit `json:"legs"`
}

// BM25 are Okapi BM25's parameters and the weight of each indexed field.
type BM25 struct {
	// K1 saturates term frequency. Defaults to DefaultK1 (1.2).
	K1 float64
	// B normalises by document length, 0..1. Defaults to DefaultB (0.75).
	B float64
	// Title weighs a term in a subject, event title or file name. Defaults to
	// DefaultTitle (3).
	Title float64
	// People weighs a term in sender, recipient, attendee or owner names.
	// Defaults to DefaultPeople (1.5).
	People float64
	// Body weighs a term in the body, description or content. Defaults to
	// DefaultBody (1).
	Body float64
}

// Defaults of BM25.
const (
	DefaultK1     = 1.2
	DefaultB      = 0.75
	DefaultTitle  = 3
	DefaultPeople = 1.5
	DefaultBody   = 1
)

// TextQuery asks the full-text leg for a user's best items by BM25.
type TextQuery struct {
	Services []domain.Service
	Terms    []query.Term // ranked, not all required; phrases are required
	// Filters, when set, admit the only items ranked (Request.Strict).
	Filters *domain.Filter
	Exclude []string
	BM25    BM25
	Limit   int
}

// VectorQuery asks for a user's items nearest to Vector. With Filters set
// only the items they admit are ranked, and a nil Vector ranks them newest first.
type VectorQuery struct {
	Services []domain.Service
	Vector   []float32
	// Words, set instead of Vector, ranks items by their best passage's
	// match with these words (domain.Passager.QueryWords).
	Words   *domain.Sparse
	Filters *domain.Filter
	Exclude []string
	Limit   int
}

// IdentQuery asks for a user's items whose title (subject, event title, file
// name) holds any of Idents: their runs of letters and digits in order,
// separated by nothing or punctuation ("KEP 536" finds "KEP-536: ...").
type IdentQuery struct {
	Services []domain.Service
	Idents   []string
	Filters  *domain.Filter // set: only the items they admit (Request.Strict)
	Exclude  []string
	Limit    int
}

// Index runs the legs over a user's items.
type Index interface {
	FullText(ctx context.Context, userID uuid.UUID, q TextQuery) ([]Candidate, error)
	Vector(ctx context.Context, userID uuid.UUID, q VectorQuery) ([]Candidate, error)
	Identifier(ctx context.Context, userID uuid.UUID, q IdentQuery) ([]Candidate, error)
}

// Versioner tells the version of a user's data, bumped on every change.
type Versioner interface {
	DataVersion(ctx context.Context, userID uuid.UUID) (int64, error)
}

// ResultCache keeps results for a while; keys embed the user's data version,
// so a change of data makes older entries unreachable.
type ResultCache interface {
	Result(ctx context.Context, key string) (Result, bool, error)
	SaveResult(ctx context.Context, key string, r Result) error
}

// Profile is the fusion setting that suits one embedder.
type Profile struct {
	// FullText weighs the BM25 leg. Defaults to DefaultFullText (1).
	FullText float64
	// Vector weighs the unfiltered vector leg. Defaults to DefaultVector (1).
	Vector float64
	// Filtered weighs the filtered vector leg, before Boost. Defaults to
	// DefaultFiltered (1).
	Filtered float64
	// Boost multiplies the filtered leg's weight. Defaults to DefaultBoost (1.5).
	Boost float64
	// Ident weighs the identifier leg. Defaults to DefaultIdent (2), above the boosted
	// filtered leg: an item named by its id comes first.
	Ident float64
	// TextPower is the full-text leg's Ranked.Power and VectorPower the
	// vector leg's: when set, an item's share in fusion follows its score
	// relative to the leg's best instead of its rank. Default to 0 (rank
	// fusion). The filtered and identifier legs always fuse by rank: what
	// they admit is their signal, not their order.
	TextPower   float64
	VectorPower float64
	// MinSimilarity is the cosine a hit found by meaning alone needs to be
	// relevant (Result.Relevant). Defaults to DefaultMinSimilarity.
	MinSimilarity float64
	// RelativeBM25 is the share of the best full-text score a hit needs to be
	// relevant (Result.Relevant). Defaults to DefaultRelativeBM25.
	RelativeBM25 float64
}

// Defaults of Profile, besides DefaultMinSimilarity and DefaultRelativeBM25.
const (
	DefaultFullText = 1
	DefaultVector   = 1
	DefaultFiltered = 1
	DefaultBoost    = 1.5
	DefaultIdent    = 2
)

// WithDefaults fills zero fields.
func (p Profile) WithDefaults() Profile {
	p.FullText = cmp.Or(p.FullText, DefaultFullText)
	p.Vector = cmp.Or(p.Vector, DefaultVector)
	p.Filtered = cmp.Or(p.Filtered, DefaultFiltered)
	p.Boost = cmp.Or(p.Boost, DefaultBoost)
	p.Ident = cmp.Or(p.Ident, DefaultIdent)
	p.MinSimilarity = cmp.Or(p.MinSimilarity, DefaultMinSimilarity)
	p.RelativeBM25 = cmp.Or(p.RelativeBM25, DefaultRelativeBM25)
	return p
}

// OfflineProfile suits the offline embedder, whose vector leg ranks items by
// their best passage (Deps.Passages), a second lexical view of the words.
// Both text legs fuse by score (TextPower, VectorPower): where full text is
// sure its best items stand far above the rest, and where it is not the
// passage leg decides; the filtered leg's weight (2 × Boost 1.5) puts every
// item the trusted filters admit above those found by words alone.
// Chosen on the thread set and both natural sets together (make eval; the
// grid and its neighbourhood in README.md, "Search"): weights 0.7-0.9 and
// powers about 2:1 met "hybrid >= every leg" on every set; this point is the
// middle of that region. MRR@10 natural / natural2 / thread 0.878 / 0.839 /
// 0.938, against 0.874 / 0.838 / 0.910 with rank fusion times (score /
// best)^4 and full text alone 0.837 / 0.810 / 0.927.
var OfflineProfile = Profile{FullText: 1, Vector: 0.8, Filtered: 2, Boost: 1.5, TextPower: 6, VectorPower: 2.5}

// Config tunes the engine.
type Config struct {
	// K is the RRF constant. Defaults to DefaultK (60).
	K float64
	// Limit is the number of hits when a request sets none. Defaults to
	// DefaultLimit (10).
	Limit int
	// Depth is how many candidates each leg returns for fusion. Defaults to
	// DefaultDepth (50).
	Depth int
	// BM25 parameters. Default as documented on BM25.
	BM25 BM25
	// Profiles maps an embedder's model name to its fusion profile (the
	// offline embedder's model to OfflineProfile, say). Defaults to none.
	Profiles map[string]Profile
	// Default is the profile of models Profiles does not name. Defaults to Profile{}.WithDefaults().
	Default Profile
}

// Defaults of Config.
const (
	DefaultK     = 60
	DefaultLimit = 10
	DefaultDepth = 50
)

// WithDefaults fills zero fields.
func (c Config) WithDefaults() Config {
	c.K = cmp.Or(c.K, DefaultK)
	c.Limit = cmp.Or(c.Limit, DefaultLimit)
	c.Depth = cmp.Or(c.Depth, DefaultDepth)
	c.BM25.K1 = cmp.Or(c.BM25.K1, DefaultK1)
	c.BM25.B = cmp.Or(c.BM25.B, DefaultB)
	c.BM25.Title = cmp.Or(c.BM25.Title, DefaultTitle)
	c.BM25.People = cmp.Or(c.BM25.People, DefaultPeople)
	c.BM25.Body = cmp.Or(c.BM25.Body, DefaultBody)
	c.Default = c.Default.WithDefaults()
	profiles := make(map[string]Profile, len(c.Profiles))
	for m, p := range c.Profiles {
		profiles[m] = p.WithDefaults()
	}
	c.Profiles = profiles
	return c
}

func (c Config) validate() error {
	switch {
	case c.K <= 0:
		return fmt.Errorf("search config: K must be positive: %w", domain.ErrInvalidInput)
	case c.Limit < 0 || c.Depth < c.Limit:
		return fmt.Errorf("search config: Depth must be at least Limit: %w", domain.ErrInvalidInput)
	case c.BM25.K1 < 0 || c.BM25.B < 0 || c.BM25.B > 1:
		return fmt.Errorf("search config: BM25.K1 must be >= 0 and BM25.B in [0,1]: %w", domain.ErrInvalidInput)
	}
	return nil
}

// Deps are the engine's collaborators; Cache and Versions may be nil.
type Deps struct {
	Index    Index
	Embedder domain.Embedder
	// Passages, when set (the offline embedder, whose items have passage
	// vectors), make the unfiltered vector leg rank items by their best
	// passage instead of their embedding.
	Passages domain.Passager
	Parser   query.Parser
	Cache    ResultCache
	Versions Versioner
	Clock    domain.Clock
	Logger   *slog.Logger
}

// Engine is the hybrid search engine.
type Engine struct {
	d   Deps
	cfg Config
}

// New returns an engine, or an error naming the config field that is wrong.
func New(cfg Config, d Deps) (*Engine, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if d.Index == nil || d.Embedder == nil || d.Clock == nil || d.Logger == nil {
		return nil, fmt.Errorf("search: Index, Embedder, Clock and Logger are required: %w", domain.ErrInvalidInput)
	}
	return &Engine{d: d, cfg: cfg}, nil
}

// Request is one search.
type Request struct {
	UserID   uuid.UUID
	Query    string
	Services []domain.Service // none means every service
	First    int              // hits wanted; 0 means Config.Limit
	Location *time.Location   // the user's time zone, for relative dates; nil means UTC
	Legs     []Leg            // legs to run and fuse; none means all (the hybrid)
	// Filters are explicit filters (resolved by the intent classifier or given
	// through the API); they add to those the query text names.
	Filters domain.Filter
	// Strict makes the filters exact: every leg ranks only the items they
	// admit, so no hit fails them however deep it lies (agents acting on
	// "emails from Sarah" need this). Otherwise the filters restrict the
	// filtered leg only, and the hits it adds are boosted.
	Strict bool
}

// Result is a search's answer.
type Result struct {
	Hits   []Hit        `json:"hits"`
	Parsed query.Parsed `json:"parsed"`
	// Timings holds each leg's time and the query embedding's ("embed").
	Timings map[string]time.Duration `json:"timings,omitempty"`
	Version int64                    `json:"version"` // the user's data version searched
	Cached  bool                     `json:"-"`
	Profile Profile                  `json:"profile"`
	// Notes say what was relaxed because the query as written found nothing
	// good (a quoted phrase searched as words, services widened).
	Notes []string `json:"notes,omitempty"`
}

// Profile returns the fusion profile used with the engine's embedder.
func (e *Engine) Profile() Profile {
	if p, ok := e.cfg.Profiles[e.d.Embedder.Model()]; ok {
		return p
	}
	return e.cfg.Default
}

// Search answers req: reads the query, runs the legs concurrently and fuses them.
func (e *Engine) Search(ctx context.Context, req Request) (Result, error) {
	if req.First <= 0 {
		req.First = e.cfg.Limit
	}
	if req.First > e.cfg.Depth {
		return Result{}, fmt.Errorf("search: first must be at most %d: %w", e.cfg.Depth, domain.ErrInvalidInput)
	}
	for _, s := range req.Services {
		if !s.Valid() {
			return Result{}, fmt.Errorf("search: unknown service %q: %w", s, domain.ErrInvalidInput)
		}
	}
	if len(req.Legs) == 0 {
		req.Legs = Legs
	}
	loc := req.Location
	if loc == nil {
		loc = time.UTC
	}
	now := e.d.Clock.Now()
	key, version := e.cacheKey(ctx, req, now.In(loc), loc)
	if key != "" {
		if r, ok, err := e.d.Cache.Result(ctx, key); err != nil {
			e.d.Logger.WarnContext(ctx, "search cache read failed", "err", err)
		} else if ok {
			r.Cached = true
			return r, nil
		}
	}
	parsed, err := e.d.Parser.Parse(ctx, req.UserID, req.Query, now, loc)
	if err != nil {
		return Result{}, fmt.Errorf("search: %w", err)
	}
	explicit := req.Filters
	explicit.Query = "" // the request's query is req.Query, parsed above
	parsed.Filters = parsed.Filters.Merge(explicit)
	r, err := e.rank(ctx, req, parsed)
	if err != nil {
		return Result{}, err
	}
	r.Version = version
	// What the words asked for may find nothing good: a "quoted phrase" no
	// item holds, a service named in passing. Each relaxation that applies
	// is tried in turn, and the result says what was relaxed.
	for _, relax := range []func(Request, *query.Parsed, []Hit) string{loosenPhrases, widenServices} {
		if len(r.Relevant()) > 0 {
			break
		}
		p := r.Parsed
		note := relax(req, &p, r.Hits)
		if note == "" {
			continue
		}
		notes := append(r.Notes, note)
		if r, err = e.rank(ctx, req, p); err != nil {
			return Result{}, err
		}
		r.Version, r.Notes = version, notes
	}
	if key != "" {
		if err := e.d.Cache.SaveResult(ctx, key, r); err != nil {
			e.d.Logger.WarnContext(ctx, "search cache write failed", "err", err)
		}
	}
	return r, nil
}

// rank runs the legs for a parsed query and fuses them.
func (e *Engine) rank(ctx context.Context, req Request, p query.Parsed) (Result, error) {
	lists, timings, err := e.runLegs(ctx, req, p)
	if err != nil {
		return Result{}, err
	}
	r := Result{Hits: Fuse(e.cfg.K, lists, req.First), Parsed: p, Timings: timings, Profile: e.Profile()}
	if r.Hits == nil {
		r.Hits = []Hit{}
	}
	return r, nil
}

// loosenPhrases turns quoted phrases into their words when full text found
// nothing: a misremembered phrase still finds what holds its words.
func loosenPhrases(_ Request, p *query.Parsed, hits []Hit) string {
	if slices.ContainsFunc(hits, func(h Hit) bool { return h.leg(LegFullText) }) {
		return ""
	}
	var loosened []string
	p.Terms = slices.Clone(p.Terms)
	for i, t := range p.Terms {
		if t.Phrase {
			p.Terms[i].Phrase = false
			loosened = append(loosened, `"`+t.Text+`"`)
		}
	}
	if len(loosened) == 0 {
		return ""
	}
	return "no item holds " + strings.Join(loosened, ", ") + " as written; searched for the words instead"
}

// widenServices drops the services the query's words named when nothing
// good was found in them ("the meeting with the bank" may be an email).
func widenServices(req Request, p *query.Parsed, _ []Hit) string {
	narrowed := scope(req.Services, p.Filters.Services)
	if len(narrowed) == len(scope(req.Services, nil)) {
		return ""
	}
	names := make([]string, len(narrowed))
	for i, s := range narrowed {
		names[i] = string(s)
	}
	p.Filters.Services = nil
	return "nothing found in " + strings.Join(names, ", ") + "; searched every service"
}

// Held is the share of the query's words the hit holds, as full text read
// it (LegHit.Held); 0 when full text did not find it.
func (h Hit) Held() float64 {
	if i := h.legAt(LegFullText); i >= 0 {
		return h.Legs[i].Held
	}
	return 0
}

func (h Hit) leg(l Leg) bool { return h.legAt(l) >= 0 }

// legAt is where leg l ranked h in h.Legs, or -1.
func (h Hit) legAt(l Leg) int {
	return slices.IndexFunc(h.Legs, func(lh LegHit) bool { return lh.Leg == l })
}

// cacheKey names req's result for the user's current data; "" disables caching.
func (e *Engine) cacheKey(ctx context.Context, req Request, now time.Time, loc *time.Location) (string, int64) {
	if e.d.Cache == nil || e.d.Versions == nil {
		return "", 0
	}
	v, err := e.d.Versions.DataVersion(ctx, req.UserID)
	if err != nil {
		e.d.Logger.WarnContext(ctx, "search: data version unavailable, not caching", "err", err)
		return "", 0
	}
	// Relative dates resolve by day, so the day is part of what was asked.
	b, _ := json.Marshal([]any{req.Query, req.Services, req.First, req.Legs, req.Filters, req.Strict, loc.String(), now.Format(time.DateOnly), e.d.Embedder.Model()})
	sum := sha256.Sum256(b)
	return fmt.Sprintf("%s:%d:%s", req.UserID, v, hex.EncodeToString(sum[:16])), v
}

// scope intersects the requested services with those the query names.
func scope(requested, named []domain.Service) []domain.Service {
	if len(requested) == 0 {
		requested = domain.Services
	}
	if len(named) == 0 {
		return requested
	}
	var out []domain.Service
	for _, s := range requested {
		if slices.Contains(named, s) {
			out = append(out, s)
		}
	}
	if len(out) == 0 { // the query asked for a service the caller did not: the caller wins
		return requested
	}
	return out
}

func (e *Engine) runLegs(ctx context.Context, req Request, p query.Parsed) ([]Ranked, map[string]time.Duration, error) {
	services := scope(req.Services, p.Filters.Services)
	prof := e.Profile()
	weight := map[Leg]float64{LegFullText: prof.FullText, LegVector: prof.Vector, LegFiltered: prof.Filtered * prof.Boost, LegIdent: prof.Ident}
	want := func(l Leg) bool { return slices.Contains(req.Legs, l) }
	var strict *domain.Filter // what the full-text leg must keep to
	if req.Strict && !p.Filters.IsZero() {
		strict = &p.Filters
	}
	runText := want(LegFullText) && len(p.Terms) > 0
	// Strict, the vector leg would be the filtered leg again.
	runVector := want(LegVector) && p.Text != "" && (strict == nil || !want(LegFiltered))
	runFiltered := want(LegFiltered) && !p.Filters.IsZero()
	runIdent := want(LegIdent) && len(p.Idents) > 0

	// With passages, the vector leg ranks items by their best passage's
	// match with the query's words. The filtered leg keeps the embedding: it
	// ranks every item the filters admit, also those holding none of the
	// words (measured: passages there changed nothing on the judged sets).
	var words *domain.Sparse
	if runVector && e.d.Passages != nil && p.Text != "" {
		w := e.d.Passages.QueryWords(p.Text)
		words = &w
	}
	var vec []float32
	embedDone := make(chan struct{})
	var embedErr error
	embedStart := time.Now()
	var embedTook time.Duration
	if ((runVector && words == nil) || runFiltered) && p.Text != "" {
		go func() {
			defer close(embedDone)
			vs, err := e.d.Embedder.Embed(ctx, []string{p.Text})
			embedTook = time.Since(embedStart)
			if err != nil {
				embedErr = fmt.Errorf("search: embed query: %w", err)
				return
			}
			vec = vs[0]
		}()
	} else {
		close(embedDone)
	}

	lists := make([]Ranked, len(Legs))
	took := make([]time.Duration, len(Legs))
	g, gctx := errgroup.WithContext(ctx)
	run := func(i int, l Leg, needVec bool, fn func(context.Context, []float32) ([]Candidate, error)) {
		g.Go(func() error {
			var v []float32 // read only once the embedding is done
			if needVec {
				<-embedDone
				if embedErr != nil {
					return embedErr
				}
				v = vec
			}
			start := time.Now()
			items, err := fn(gctx, v)
			took[i] = time.Since(start)
			if err != nil {
				return fmt.Errorf("search: %s leg: %w", l, err)
			}
			lists[i] = Ranked{Leg: l, Weight: weight[l], Items: items}
			switch l {
			case LegFullText:
				lists[i].Power = prof.TextPower
			case LegVector:
				lists[i].Power = prof.VectorPower
			}
			return nil
		})
	}
	if runText {
		run(0, LegFullText, false, func(ctx context.Context, _ []float32) ([]Candidate, error) {
			return e.d.Index.FullText(ctx, req.UserID, TextQuery{Services: services, Terms: p.Terms, Filters: strict, Exclude: p.Exclude, BM25: e.cfg.BM25, Limit: e.cfg.Depth})
		})
	}
	if runVector {
		run(1, LegVector, words == nil, func(ctx context.Context, v []float32) ([]Candidate, error) {
			return e.d.Index.Vector(ctx, req.UserID, VectorQuery{Services: services, Vector: v, Words: words, Filters: strict, Exclude: p.Exclude, Limit: e.cfg.Depth})
		})
	}
	if runFiltered {
		f := p.Filters
		run(2, LegFiltered, p.Text != "", func(ctx context.Context, v []float32) ([]Candidate, error) {
			return e.d.Index.Vector(ctx, req.UserID, VectorQuery{Services: services, Vector: v, Filters: &f, Exclude: p.Exclude, Limit: e.cfg.Depth})
		})
	}
	if runIdent {
		run(3, LegIdent, false, func(ctx context.Context, _ []float32) ([]Candidate, error) {
			return e.d.Index.Identifier(ctx, req.UserID, IdentQuery{Services: services, Idents: p.Idents, Filters: strict, Exclude: p.Exclude, Limit: e.cfg.Depth})
		})
	}
	if err := g.Wait(); err != nil {
		return nil, nil, err
	}
	<-embedDone
	timings := map[string]time.Duration{}
	var out []Ranked
	for i, l := range lists {
		if l.Leg != "" {
			out = append(out, l)
			timings[string(l.Leg)] = took[i]
		}
	}
	if embedTook > 0 {
		timings["embed"] = embedTook
	}
	return out, timings, nil
}
