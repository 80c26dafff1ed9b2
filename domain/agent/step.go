package agent

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"
	"golang.org/x/sync/errgroup"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/dates"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
)

// DefaultLimit is how many items a search step returns unless it says: the
// answer shows them all, so it is what a person can read at a glance.
const DefaultLimit = 20

// DatePool is how many of the best matches a search ordered by date sorts:
// "the latest email about the budget" is the newest of the matches, not of
// the first page of them.
const DatePool = 100

// SearchStep runs a search step of service s through the searcher and
// orders its items as the step's ParamOrder says. A search with no words of
// its own that depends on a step of another service looks for what that
// step found first ("prepare me for my next meeting": mail and documents
// about the meeting).
func SearchStep(ctx context.Context, s Searcher, userID uuid.UUID, svc domain.Service, step intent.Step, inputs []Input) (Output, error) {
	f, err := FiltersOf(step.Params)
	if err != nil {
		return Output{}, err
	}
	f.Query = Content(f.Query)
	if f.Query == "" {
		f.Query = aboutInput(svc, inputs)
	}
	f.Services = []domain.Service{svc}
	limit, ok := step.Params.Int(intent.ParamLimit)
	if !ok || limit <= 0 {
		limit = DefaultLimit
	}
	order := intent.Order(step.Params.String(intent.ParamOrder))
	q := f.Query
	fetch := limit
	switch {
	case len(Words(q)) == 0:
	case order != "" && order != intent.OrderRelevance:
		fetch = max(limit, DatePool)
	default:
		fetch = max(limit, DefaultLimit) // the cut-off below needs candidates
	}
	// The searches of the near windows are independent: run together, pooled in window order.
	filters := nearFirst(f, order, len(Words(q)) > 0)
	found := make([][]Item, len(filters))
	g, gctx := errgroup.WithContext(ctx)
	for i, f := range filters {
		g.Go(func() (err error) {
			found[i], err = s.Search(gctx, userID, f, fetch)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return Output{}, fmt.Errorf("search %s: %w", svc, err)
	}
	var out []Item
	seen := map[string]bool{}
	for i, f := range filters {
		for _, it := range found[i] {
			if it.Service == svc && inRange(it, f.After, f.Before) && !seen[it.ID] {
				seen[it.ID] = true
				out = append(out, it)
			}
		}
	}
	out = Matching(out, q, len(f.From)+len(f.To)+len(f.Attendees) > 0)
	if order != "" && order != intent.OrderRelevance {
		out = titled(out, q)
	}
	Sort(out, order)
	if len(out) > limit {
		out = out[:limit]
	}
	return Output{Items: out}, nil
}

// nearWindows are the spans from now a search ordered from now also looks in.
var nearWindows = []time.Duration{14 * 24 * time.Hour, 92 * 24 * time.Hour, 366 * 24 * time.Hour}

// nearFirst are the filters a search runs, its candidates pooled before
// the relevance cut-off: a search with words ordered away from a bound set
// at now ("the next SIG Auth meeting", "when did SIG Auth last meet") also
// looks near that bound, so the relevance depth of the search, filled by a
// series' many other occurrences, cannot leave out the soonest or latest one.
func nearFirst(f domain.Filter, o intent.Order, words bool) []domain.Filter {
	if !words {
		return []domain.Filter{f}
	}
	var fs []domain.Filter
	for _, w := range nearWindows {
		g := f
		switch {
		case o == intent.OrderUpcoming && !f.After.IsZero() && f.Before.IsZero():
			g.Before = f.After.Add(w)
		case o == intent.OrderNewest && !f.Before.IsZero() && f.After.IsZero():
			g.After = f.Before.Add(-w)
		default:
			return []domain.Filter{f}
		}
		fs = append(fs, g)
	}
	return append(fs, f)
}

// titled are the items whose titles hold every word of the query, when
// some do: "the last SIG Auth meeting" is one of SIG Auth's meetings, not
// the latest whose notes mention auth.
func titled(items []Item, query string) []Item {
	words := Words(query)
	if len(words) == 0 {
		return items
	}
	var out []Item
	for _, it := range items {
		title := strings.ToLower(it.Title)
		if !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(title, w) }) {
			out = append(out, it)
		}
	}
	if len(out) == 0 {
		return items
	}
	return out
}

// generic are title words that say what kind of item it is, not what it is about.
var generic = map[string]bool{"meeting": true, "meetings": true, "regular": true, "weekly": true, "sig": true, "call": true,
	"sync": true, "team": true, "subproject": true, "private": true, "public": true, "issues": true, "triage": true}

// aboutInput is the words of the title of the first item another service's
// step found, less the words that only say what kind of item it is.
func aboutInput(svc domain.Service, inputs []Input) string {
	for _, in := range inputs {
		for _, it := range in.Output.Items {
			if it.Service == svc {
				continue
			}
			var ws []string
			for _, w := range Words(it.Title) {
				if !generic[w] {
					ws = append(ws, w)
				}
			}
			return strings.Join(ws, " ")
		}
	}
	return ""
}

// Matching is the relevance cut-off of the agents, on the share of the
// query's words an item holds in its title, text (less links and paths),
// people or folder (a plural's singular will do): it keeps the items holding
// them all, else those holding the most of them when that is more than half.
// A search's items carry no bodies, so when no item holds more than half
// that way, what full text found in them, body included, by stem, decides
// the same way (Item.Held: "the Fortune portrait shoot" is in a mail's
// body); items the search ranked above the first holding the most stay then
// when they hold more than half (a long newsletter holds every word of "tech
// giving 75 computers", but the search rightly ranks the mail about it
// first). Else none — a search whose words nothing holds found nothing,
// however close its nearest items came. A search already narrowed to people
// (scoped) keeps its items when no item holds most words: a name's words
// need not be in the text.
func Matching(items []Item, query string, scoped bool) []Item {
	words := Words(query)
	if len(words) == 0 || len(items) == 0 {
		return items
	}
	for i, w := range words {
		if len(w) > 3 {
			words[i] = strings.TrimSuffix(w, "s")
		}
	}
	shown := make([]float64, len(items))
	for i, it := range items {
		text := strings.ToLower(it.Title + " " + it.Snippet + " " + prose(it.Body) + " " + strings.Join(it.People, " ") + " " + it.Folder)
		n := 0
		for _, w := range words {
			if strings.Contains(text, w) {
				n++
			}
		}
		shown[i] = float64(n) / float64(len(words))
	}
	if best := slices.Max(shown); 2*best > 1 {
		return mostHeld(items, shown, best, false)
	}
	indexed := make([]float64, len(items))
	for i, it := range items {
		indexed[i] = it.Held
	}
	if best := slices.Max(indexed); 2*best > 1 {
		return mostHeld(items, indexed, best, true)
	}
	if scoped {
		return items
	}
	return nil
}

// mostHeld keeps the items whose share held is best and, with ranked, those
// before the first of them holding more than half.
func mostHeld(items []Item, held []float64, best float64, ranked bool) []Item {
	first := slices.Index(held, best)
	var out []Item
	for i, it := range items {
		if held[i] == best || ranked && i < first && 2*held[i] > 1 {
			out = append(out, it)
		}
	}
	return out
}

// prose is text without its links and paths ("kubernetes/community" names
// no community).
func prose(s string) string {
	if !strings.ContainsAny(s, "/@") {
		return s
	}
	fs := strings.Fields(s)
	fs = slices.DeleteFunc(fs, func(f string) bool { return strings.ContainsAny(f, "/@") })
	return strings.Join(fs, " ")
}

// Sort orders items as o says: newest first, or oldest / soonest first;
// relevance (or none) keeps the search's order.
func Sort(items []Item, o intent.Order) {
	switch o {
	case intent.OrderNewest:
		slices.SortStableFunc(items, func(a, b Item) int { return b.At.Compare(a.At) })
	case intent.OrderOldest, intent.OrderUpcoming:
		slices.SortStableFunc(items, func(a, b Item) int { return a.At.Compare(b.At) })
	}
}

// inRange keeps a search's dates even when a searcher only ranks by them:
// an event counts until it ends, other items when they happened.
func inRange(it Item, after, before time.Time) bool {
	if it.At.IsZero() {
		return true
	}
	if !after.IsZero() {
		if it.End.After(it.At) {
			if !it.End.After(after) {
				return false
			}
		} else if it.At.Before(after) {
			return false
		}
	}
	return before.IsZero() || it.At.Before(before)
}

// FiltersOf reads a step's search: its query and filters; a malformed date
// is an error wrapping domain.ErrInvalidInput.
func FiltersOf(p intent.Params) (domain.Filter, error) {
	f := domain.Filter{
		Query: p.String(intent.ParamQuery),
		From:  p.Strings(intent.ParamFrom), To: p.Strings(intent.ParamTo), Attendees: p.Strings(intent.ParamAttendees),
		MimeTypes: p.Strings(intent.ParamMimeTypes), Folders: p.Strings(intent.ParamFolders), Owners: p.Strings(intent.ParamOwners), HasAttachment: p.Bool(intent.ParamAttachment), Unread: p.Bool(intent.ParamUnread),
		Labels: p.Strings(intent.ParamLabels),
	}
	var err error
	if f.After, _, err = p.Time(intent.ParamAfter); err != nil {
		return domain.Filter{}, fmt.Errorf("%w: %w", err, domain.ErrInvalidInput)
	}
	if f.Before, _, err = p.Time(intent.ParamBefore); err != nil {
		return domain.Filter{}, fmt.Errorf("%w: %w", err, domain.ErrInvalidInput)
	}
	return f, nil
}

// Candidates are the items of kind in the outputs of the steps depended on, in order, without repeats.
func Candidates(inputs []Input, svc domain.Service, kind string) []Item {
	var out []Item
	seen := map[string]bool{}
	for _, in := range inputs {
		for _, it := range in.Output.Items {
			if it.Service == svc && (kind == "" || it.Kind == kind) && !seen[it.ID] {
				seen[it.ID] = true
				out = append(out, it)
			}
		}
	}
	return out
}

// PickOne chooses the one item a side effect acts on: the only candidate, or
// the only one whose title holds every word of query. Otherwise it fails with
// ErrAmbiguous listing the candidates, or ErrNothingFound: an action never
// falls back to "the first result".
func PickOne(cands []Item, query, what string, loc *time.Location) (Item, error) {
	switch len(cands) {
	case 0:
		return Item{}, fmt.Errorf("found no %s: %w", what, ErrNothingFound)
	case 1:
		return cands[0], nil
	}
	words := Words(query)
	var hits []Item
	for _, it := range cands {
		title := strings.ToLower(it.Title + " " + it.Snippet)
		if len(words) > 0 && !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(title, w) }) {
			hits = append(hits, it)
		}
	}
	if len(hits) == 1 {
		return hits[0], nil
	}
	if len(hits) > 1 {
		cands = hits
	}
	return Item{}, fmt.Errorf("%d %ss match (%s); say which one: %w", len(cands), what, describe(cands, 5, loc), ErrAmbiguous)
}

// glue are words too common to pick an item by, or that say what the
// request wants done rather than what the item holds ("owns", "latest",
// "modified", "how many").
var glue = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`the and for with about from our your this that all any his her their its
		own owns owned modified changed updated edited recent recently latest last newest oldest earliest first next upcoming
		sent wrote written show find list get have has did does many much count number say says said mine
		thing things stuff something anything everything not older ones
		note memo letter hear heard ever mention mentions mentioned mentioning`) {
		glue[w] = true
	}
}

// Content is a query less the words that say what is wanted rather than
// what the items hold ("how many", "the last thing"): left in, they find
// nothing, most of all beside a sender filter that already says whose.
func Content(q string) string {
	fs := strings.Fields(q)
	kept := fs[:0]
	for _, f := range fs {
		if !glue[strings.ToLower(strings.Trim(f, ".,;:!?'\"()"))] {
			kept = append(kept, f)
		}
	}
	return strings.Join(kept, " ")
}

// Words are the lowercased words of a query worth matching: 3+ characters,
// or 2 mixing letters and digits ("Q3", "H1", "5G"), and not glue.
func Words(q string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(q), func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < '0' || r > '9') && r <= 127
	}) {
		if (len(w) >= 3 || len(w) == 2 && strings.ContainsAny(w, "0123456789") && strings.IndexFunc(w, unicode.IsLetter) >= 0) && !glue[w] {
			out = append(out, w)
		}
	}
	return out
}

// describe lists up to n items as `"Title" (Mon Jan 2 2006 15:04 UTC)`.
func describe(items []Item, n int, loc *time.Location) string {
	var parts []string
	for i, it := range items {
		if i == n {
			parts = append(parts, fmt.Sprintf("and %d more", len(items)-n))
			break
		}
		parts = append(parts, fmt.Sprintf("%q", it.Title)+when(it.At, loc))
	}
	return strings.Join(parts, ", ")
}

// when renders an instant for people, " (Mon Jan 2 2006 15:04 UTC)", or "" for none.
func when(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return " (" + dates.Instant(t, loc) + ")"
}

// ReadStep runs a read step: fetch reads the row ReadRow picks.
func ReadStep(ctx context.Context, step intent.Step, inputs []Input, svc domain.Service, what string,
	fetch func(ctx context.Context, rowID uuid.UUID) (Item, error)) (Output, error) {
	rowID, ok, err := ReadRow(step, inputs, svc)
	if err != nil {
		return Output{}, err
	}
	if !ok {
		return Output{}, fmt.Errorf("found no %s to read: %w", what, ErrNothingFound)
	}
	it, err := fetch(ctx, rowID)
	if err != nil {
		return Output{}, fmt.Errorf("read %s: %w", what, err)
	}
	return Output{Items: []Item{it}}, nil
}

// ReadRow is the cached row a read step acts on: the row its params name, else
// the best match of the steps it depends on (reading changes nothing, so
// the top hit will do). found is false when neither gives one.
func ReadRow(step intent.Step, inputs []Input, svc domain.Service) (id uuid.UUID, found bool, err error) {
	if s := step.Params.String(intent.ParamRowID); s != "" {
		id, err := uuid.Parse(s)
		if err != nil {
			return uuid.Nil, false, fmt.Errorf("param rowId %q: %w", s, domain.ErrInvalidInput)
		}
		return id, true, nil
	}
	for _, it := range Candidates(inputs, svc, "") {
		if it.RowID != uuid.Nil {
			return it.RowID, true, nil
		}
	}
	return uuid.Nil, false, nil
}
