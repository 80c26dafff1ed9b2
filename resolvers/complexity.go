package resolvers

import (
	"github.com/workspace-orchestrator/orchestrator/graph"
	"github.com/workspace-orchestrator/orchestrator/graph/model"
)

// Complexity weighs each list field by the page size it asks for, so the
// server's complexity limit bounds how many rows one operation can make the
// store read (by default every field costs 1, whatever `first` says).
func Complexity() graph.ComplexityRoot {
	var c graph.ComplexityRoot
	c.Query.Emails = func(child int, _ *model.EmailFilter, first *int, _ *string) int { return perPage(child, first) }
	c.Query.Events = func(child int, _ *model.EventFilter, first *int, _ *string) int { return perPage(child, first) }
	c.Query.Files = func(child int, _ *model.FileFilter, first *int, _ *string) int { return perPage(child, first) }
	c.Query.Conversations = func(child int, first *int, _ *string) int { return perPage(child, first) }
	c.Conversation.Messages = func(child int, first *int, _ *string) int { return perPage(child, first) }
	c.Query.Search = func(child int, _ string, _ []model.Service, first *int) int {
		if first == nil {
			return 1 + child*defaultSearchHits
		}
		return perPage(child, first)
	}
	return c
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
