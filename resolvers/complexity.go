package resolvers

import (
	"cmp"

	"github.com/workspace-orchestrator/orchestrator/graph"
	"github.com/workspace-orchestrator/orchestrator/graph/model"
)

// Complexity weighs each list field by the page size it asks for, so the
// server's complexity limit bounds how many rows one operation can make the
// store read (by default every field costs 1, whatever `first` says).
func Complexity() graph.ComplexityRoot {
	var c graph.ComplexityRoot
	// A list whose filter has a query is served by the search engine.
	c.Query.Emails = func(child int, f *model.EmailFilter, first *int, _ *string, last *int, _ *string) int {
		return perPage(child, cmp.Or(first, last)) + searched(f != nil && f.Query != nil)
	}
	c.Query.Events = func(child int, f *model.EventFilter, first *int, _ *string, last *int, _ *string) int {
		return perPage(child, cmp.Or(first, last)) + searched(f != nil && f.Query != nil)
	}
	c.Query.Files = func(child int, f *model.FileFilter, first *int, _ *string, last *int, _ *string) int {
		return perPage(child, cmp.Or(first, last)) + searched(f != nil && f.Query != nil)
	}
	c.Query.Conversations = func(child int, first *int, _ *string, last *int, _ *string) int {
		return perPage(child, cmp.Or(first, last))
	}
	c.Conversation.Messages = func(child int, first *int, _ *string, last *int, _ *string) int {
		return perPage(child, cmp.Or(first, last))
	}
	c.Query.Search = func(child int, _ string, _ []model.Service, first *int) int {
		if first == nil {
			return SearchCost + child*defaultSearchHits
		}
		return SearchCost - 1 + perPage(child, first)
	}
	return c
}

// SearchCost is what one search adds to an operation's complexity besides its
// hits: it embeds the query and runs three ranked SQL legs over the user's
// items, about what reading 250 rows costs. Weighted 3 (as a plain field),
// one request could hold 1,666 searches; now the default limit admits 20.
const SearchCost = 250

func searched(query bool) int {
	if query {
		return SearchCost
	}
	return 0
}

// defaultSearchHits is the engine's default number of hits.
const defaultSearchHits = 10

func perPage(child int, first *int) int {
	n := defaultPageSize
	if first != nil && *first > 0 {
		n = min(*first, maxPageSize)
	}
	return 1 + child*n
}
