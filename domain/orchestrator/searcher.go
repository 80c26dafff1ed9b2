package orchestrator

import (
	"cmp"
	"context"
	"strings"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/agent"
	"github.com/workspace-orchestrator/orchestrator/domain/agent/calendaragent"
	"github.com/workspace-orchestrator/orchestrator/domain/agent/driveagent"
	"github.com/workspace-orchestrator/orchestrator/domain/agent/gmailagent"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
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
// An agent acts on what it finds, so only relevant hits are kept
// (search.Result.Relevant: they match the words or are close in meaning); the
// vector legs otherwise fill every list with their nearest, however far, and
// "cancel my flight" would pick a meeting.
type Searcher struct {
	Engine SearchEngine
	Reader domain.WorkspaceReader
	// Batch loads the hits' items in one query per service; agents show
	// what they find, so bodies and contents are left out.
	Batch domain.WorkspaceSummaryReader
	// MaxFirst is the most hits one search asks the engine for (its depth:
	// no leg returns more). Defaults to DefaultMaxFirst.
	MaxFirst int
}

// DefaultMaxFirst is the search engine's default depth.
const DefaultMaxFirst = 50

// Search implements agent.Searcher.
func (s Searcher) Search(ctx context.Context, userID uuid.UUID, f domain.Filter, limit int) ([]agent.Item, error) {
	if strings.TrimSpace(f.Query) == "" {
		return s.list(ctx, userID, f, limit)
	}
	// Strict: "emails from Sarah" are from Sarah, however deep they rank.
	res, err := s.Engine.Search(ctx, search.Request{UserID: userID, Query: f.Query, Services: f.Services, First: min(limit, cmp.Or(s.MaxFirst, DefaultMaxFirst)), Strict: true, Filters: f})
	if err != nil {
		return nil, err
	}
	found, err := search.Load(ctx, search.Summaries(s.Batch), userID, res.Relevant(), f)
	if err != nil {
		return nil, err
	}
	items := make([]agent.Item, 0, min(len(found), limit))
	for _, fd := range found[:min(len(found), limit)] {
		var it agent.Item
		switch {
		case fd.Email != nil:
			it = gmailagent.Item(*fd.Email)
		case fd.Event != nil:
			it = calendaragent.Item(*fd.Event)
		default:
			it = driveagent.Item(*fd.File)
		}
		it.Score, it.Held = fd.Score, fd.Held()
		items = append(items, it)
	}
	return items, nil
}

// maxWindowItems is how many items a listing of a bounded time window returns.
const maxWindowItems = 50

// list returns the items the filters admit, newest mail and files first and
// events in start order.
func (s Searcher) list(ctx context.Context, userID uuid.UUID, f domain.Filter, limit int) ([]agent.Item, error) {
	services := f.Services
	if len(services) == 0 {
		services = domain.Services
	}
	if !f.After.IsZero() && !f.Before.IsZero() {
		limit = max(limit, maxWindowItems) // "next week" means all of next week
	}
	var (
		items []agent.Item
		err   error
	)
	for _, svc := range services {
		// A page holds at most the store's page size (100): a listing
		// wanting more ("how many emails did Rosalee send me", CountLimit)
		// reads on, instead of counting one page.
		want := len(items) + limit
		p := domain.Page{First: limit, NoTotal: true}
		for {
			var info domain.PageInfo
			switch svc {
			case domain.ServiceGmail:
				items, info, err = appendListed(items, gmailagent.Item)(s.Reader.Emails(ctx, userID, f, p))
			case domain.ServiceCalendar:
				items, info, err = appendListed(items, calendaragent.Item)(s.Reader.Events(ctx, userID, f, p))
			case domain.ServiceDrive:
				items, info, err = appendListed(items, driveagent.Item)(s.Reader.Files(ctx, userID, f, p))
			}
			if err != nil {
				return nil, err
			}
			if len(items) >= want || !info.HasNextPage || info.EndCursor == "" {
				break
			}
			p.After, p.First = info.EndCursor, want-len(items)
		}
	}
	return items, nil
}

// appendListed returns a function taking a list call's results that appends
// them to items as agent items, passing the page's info on.
func appendListed[T any](items []agent.Item, conv func(T) agent.Item) func([]T, domain.PageInfo, error) ([]agent.Item, domain.PageInfo, error) {
	return func(xs []T, info domain.PageInfo, err error) ([]agent.Item, domain.PageInfo, error) {
		if err != nil {
			return items, info, err
		}
		for _, x := range xs {
			items = append(items, conv(x))
		}
		return items, info, nil
	}
}

// Contacts resolves names for the intent classifier from the people the
// search index knows (senders, recipients, attendees of the user's own data).
type Contacts struct {
	People query.Contacts
	// Files names the user's Drive folders and file owners; nil names none.
	Files intent.Directory
	// Names gives the addresses found their display names, so that a name
	// typed whole is known for whose it is; nil leaves them nameless.
	Names Names
}

// Names tells the display name each address is most often seen with in the
// user's mail and events; addresses seen with none are left out.
type Names interface {
	Names(ctx context.Context, userID uuid.UUID, addrs []string) (map[string]string, error)
}

// Directory implements intent.Directory.
func (c Contacts) Directory(ctx context.Context, userID uuid.UUID) (folders, owners []string, err error) {
	if c.Files == nil {
		return nil, nil, nil
	}
	return c.Files.Directory(ctx, userID)
}

// Resolve implements intent.Contacts: every word of name must match, the
// last as a prefix ("Rosa" finds rosalee.fleming@...).
func (c Contacts) Resolve(ctx context.Context, userID uuid.UUID, name string) ([]domain.Address, error) {
	words := strings.Fields(strings.ToLower(strings.NewReplacer(",", " ", ".", " ").Replace(name)))
	if len(words) == 0 {
		return nil, nil
	}
	addrs, err := c.People.People(ctx, userID, words, true)
	for _, formal := range nicknames[words[0]] {
		if err != nil || len(addrs) > 0 {
			break
		}
		// "Rosie" is known by her full name: rosalee.fleming@...
		addrs, err = c.People.People(ctx, userID, append([]string{formal}, words[1:]...), true)
	}
	if err != nil {
		return nil, err
	}
	var names map[string]string
	if c.Names != nil && len(addrs) > 0 {
		if names, err = c.Names.Names(ctx, userID, addrs); err != nil {
			return nil, err
		}
	}
	out := make([]domain.Address, 0, len(addrs))
	for _, a := range addrs {
		if domain.IsAddress(a) { // mangled headers leave garbage in the people index
			out = append(out, domain.Address{Email: a, Name: names[a]})
		}
	}
	return out, nil
}

// nicknames are the given names a common English nickname is short for,
// tried when the nickname itself names no one ("Rosie", "Bill Smith"). A
// short, well-known list: a nickname that is a prefix of its name ("Ken",
// "Chris") needs none, the last word matching as a prefix.
var nicknames = map[string][]string{
	"rosie": {"rosalee", "rosalie", "rose"}, "liz": {"elizabeth"}, "beth": {"elizabeth"}, "betty": {"elizabeth"},
	"bob": {"robert"}, "rob": {"robert"}, "bobby": {"robert"}, "bill": {"william"}, "will": {"william"},
	"billy": {"william"}, "jim": {"james"}, "jimmy": {"james"}, "mike": {"michael"}, "mick": {"michael"},
	"steve": {"steven", "stephen"}, "tom": {"thomas"}, "dave": {"david"}, "dan": {"daniel"}, "danny": {"daniel"},
	"kate": {"katherine", "kathryn", "catherine"}, "kathy": {"katherine", "kathleen"}, "jeff": {"jeffrey"},
	"joe": {"joseph"}, "tony": {"anthony"}, "andy": {"andrew"}, "drew": {"andrew"}, "rick": {"richard"},
	"dick": {"richard"}, "rich": {"richard"}, "sue": {"susan"}, "jenny": {"jennifer"}, "jen": {"jennifer"},
	"larry": {"lawrence"}, "peggy": {"margaret"}, "meg": {"margaret"}, "chuck": {"charles"}, "charlie": {"charles"},
	"ted": {"edward", "theodore"}, "ed": {"edward"}, "greg": {"gregory"}, "matt": {"matthew"}, "pat": {"patrick", "patricia"},
	"sam": {"samuel", "samantha"}, "vicky": {"victoria"}, "becky": {"rebecca"}, "cindy": {"cynthia"}, "sandy": {"sandra"},
}
