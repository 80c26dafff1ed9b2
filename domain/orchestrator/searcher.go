package orchestrator

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/agent"
	"github.com/workspace-orchestrator/orchestrator/domain/agent/calendaragent"
	"github.com/workspace-orchestrator/orchestrator/domain/agent/driveagent"
	"github.com/workspace-orchestrator/orchestrator/domain/agent/gmailagent"
	"github.com/workspace-orchestrator/orchestrator/domain/query"
	"github.com/workspace-orchestrator/orchestrator/domain/search"
)

// SearchEngine is the hybrid search (*search.Engine).
type SearchEngine interface {
	Search(ctx context.Context, req search.Request) (search.Result, error)
}

// Searcher serves the agents' searches: text goes to the hybrid engine with
// the intent's filters (dates in them are already resolved in the user's
// zone); a search with filters but no text ("what's on my
// calendar next week") lists the matching items in date order instead, since
// there is nothing to rank by relevance.
//
// An agent acts on what it finds, so a hit must match the words (the
// full-text leg found it) or be close in meaning (a vector leg scored it at
// least MinSimilarity); the vector legs otherwise fill every list with their
// nearest, however far, and "cancel my flight" would pick a meeting.
type Searcher struct {
	Engine SearchEngine
	Reader domain.WorkspaceReader
	// Batch loads the hits' items in one query per service; agents show
	// what they find, so bodies and contents are left out.
	Batch domain.WorkspaceSummaryReader
	// MinSimilarity is the cosine a hit found only by meaning needs.
	// Defaults to DefaultMinSimilarity.
	MinSimilarity float64
}

// DefaultMinSimilarity suits the offline embedder, whose related texts score
// about 0.5 and unrelated ones below 0.2.
const DefaultMinSimilarity = 0.45

// relevant reports whether a hit is good enough to act on.
func (s Searcher) relevant(h search.Hit) bool {
	min := s.MinSimilarity
	if min == 0 {
		min = DefaultMinSimilarity
	}
	for _, l := range h.Legs {
		if l.Leg == search.LegFullText || l.Score >= min {
			return true
		}
	}
	return false
}

// Search implements agent.Searcher.
func (s Searcher) Search(ctx context.Context, userID uuid.UUID, q string, services []domain.Service, f agent.Filters, limit int) ([]agent.Item, error) {
	if strings.TrimSpace(q) == "" {
		return s.list(ctx, userID, services, f, limit)
	}
	// Strict: "emails from Sarah" are from Sarah, however deep they rank.
	req := search.Request{UserID: userID, Query: q, Services: services, First: limit, Strict: true, Filters: query.Filters{
		From: f.From, To: f.To, Attendees: f.Attendees, MimeTypes: f.MimeTypes, After: f.After, Before: f.Before,
		HasAttachment: f.HasAttachment != nil && *f.HasAttachment, Unread: f.Unread != nil && *f.Unread,
	}}
	res, err := s.Engine.Search(ctx, req)
	if err != nil {
		return nil, err
	}
	hits := make([]search.Hit, 0, len(res.Hits))
	for _, h := range res.Hits {
		if s.relevant(h) {
			hits = append(hits, h)
		}
	}
	items, err := s.batchItems(ctx, userID, hits, f)
	if err != nil {
		return nil, err
	}
	if len(items) > limit {
		items = items[:limit]
	}
	return items, nil
}

// mailFilter, eventFilter and fileFilter are what an agent's filters ask of
// each service's items.
func mailFilter(f agent.Filters) domain.MailFilter {
	return domain.MailFilter{From: f.From, To: f.To, After: f.After, Before: f.Before, HasAttachment: f.HasAttachment, Unread: f.Unread}
}

func eventFilter(f agent.Filters) domain.EventFilter {
	return domain.EventFilter{Attendees: f.Attendees, After: f.After, Before: f.Before}
}

func fileFilter(f agent.Filters) domain.FileFilter {
	return domain.FileFilter{MimeTypes: f.MimeTypes, After: f.After, Before: f.Before}
}

// batchItems loads the hits' items with one query per service, in hit order;
// a hit whose item is gone (deleted since it was indexed) or fails the
// filters is left out.
func (s Searcher) batchItems(ctx context.Context, userID uuid.UUID, hits []search.Hit, f agent.Filters) ([]agent.Item, error) {
	ids := map[domain.Service][]uuid.UUID{}
	for _, h := range hits {
		ids[h.Service] = append(ids[h.Service], h.ID)
	}
	emails, err := s.Batch.EmailSummariesByID(ctx, userID, ids[domain.ServiceGmail])
	if err != nil {
		return nil, err
	}
	events, err := s.Batch.EventsByID(ctx, userID, ids[domain.ServiceCalendar])
	if err != nil {
		return nil, err
	}
	files, err := s.Batch.FileSummariesByID(ctx, userID, ids[domain.ServiceDrive])
	if err != nil {
		return nil, err
	}
	items := make([]agent.Item, 0, len(hits))
	for _, h := range hits {
		var (
			it agent.Item
			ok bool
		)
		switch h.Service {
		case domain.ServiceGmail:
			var e domain.Email
			if e, ok = emails[h.ID]; ok && mailFilter(f).Matches(e) {
				it = gmailagent.Item(e)
			} else {
				ok = false
			}
		case domain.ServiceCalendar:
			var e domain.Event
			if e, ok = events[h.ID]; ok && eventFilter(f).Matches(e) {
				it = calendaragent.Item(e)
			} else {
				ok = false
			}
		case domain.ServiceDrive:
			var x domain.File
			if x, ok = files[h.ID]; ok && fileFilter(f).Matches(x) {
				it = driveagent.Item(x)
			} else {
				ok = false
			}
		}
		if ok {
			it.Score = h.Score
			items = append(items, it)
		}
	}
	return items, nil
}

// maxWindowItems is how many items a listing of a bounded time window returns.
const maxWindowItems = 50

// list returns the items the filters admit, newest mail and files first and
// events in start order.
func (s Searcher) list(ctx context.Context, userID uuid.UUID, services []domain.Service, f agent.Filters, limit int) ([]agent.Item, error) {
	if len(services) == 0 {
		services = domain.Services
	}
	if !f.After.IsZero() && !f.Before.IsZero() {
		limit = max(limit, maxWindowItems) // "next week" means all of next week
	}
	p := domain.Page{First: limit, NoTotal: true}
	var (
		items []agent.Item
		err   error
	)
	for _, svc := range services {
		switch svc {
		case domain.ServiceGmail:
			items, err = appendListed(items, gmailagent.Item)(s.Reader.Emails(ctx, userID, mailFilter(f), p))
		case domain.ServiceCalendar:
			items, err = appendListed(items, calendaragent.Item)(s.Reader.Events(ctx, userID, eventFilter(f), p))
		case domain.ServiceDrive:
			items, err = appendListed(items, driveagent.Item)(s.Reader.Files(ctx, userID, fileFilter(f), p))
		}
		if err != nil {
			return nil, err
		}
	}
	return items, nil
}

// appendListed returns a function taking a list call's results that appends
// them to items as agent items.
func appendListed[T any](items []agent.Item, conv func(T) agent.Item) func([]T, domain.PageInfo, error) ([]agent.Item, error) {
	return func(xs []T, _ domain.PageInfo, err error) ([]agent.Item, error) {
		if err != nil {
			return items, err
		}
		for _, x := range xs {
			items = append(items, conv(x))
		}
		return items, nil
	}
}

// Contacts resolves names for the intent classifier from the people the
// search index knows (senders, recipients, attendees of the user's own data).
type Contacts struct {
	People query.Contacts
}

// Resolve implements intent.Contacts: every word of name must match, the
// last as a prefix ("Rosa" finds rosalee.fleming@...).
func (c Contacts) Resolve(ctx context.Context, userID uuid.UUID, name string) ([]domain.Address, error) {
	words := strings.Fields(strings.ToLower(strings.NewReplacer(",", " ", ".", " ").Replace(name)))
	if len(words) == 0 {
		return nil, nil
	}
	addrs, err := c.People.People(ctx, userID, words, true)
	if err != nil {
		return nil, err
	}
	out := make([]domain.Address, 0, len(addrs))
	for _, a := range addrs {
		if domain.IsAddress(a) { // mangled headers leave garbage in the people index
			out = append(out, domain.Address{Email: a})
		}
	}
	return out, nil
}
