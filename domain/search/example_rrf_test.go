package search_test

import (
	"fmt"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/search"
)

func ExampleFuse() {
	item := func(n byte, title string) search.Candidate {
		return search.Candidate{Item: search.Item{Service: domain.ServiceGmail, ID: uuid.UUID{n}, Title: title}}
	}
	budget, lunch, board := item(1, "Budget review"), item(2, "Lunch"), item(3, "Board minutes")
	hits := search.Fuse(60, []search.Ranked{
		{Leg: search.LegFullText, Weight: 1, Items: []search.Candidate{budget, lunch}},
		{Leg: search.LegVector, Weight: 0.3, Items: []search.Candidate{lunch, budget, board}},
		// the filtered leg: weight 1 times the 1.5 boost
		{Leg: search.LegFiltered, Weight: 1.5, Items: []search.Candidate{board}},
	}, 10)
	for _, h := range hits {
		fmt.Printf("%-13s %.4f", h.Title, h.Score)
		for _, l := range h.Legs {
			fmt.Printf(" %s#%d", l.Leg, l.Rank)
		}
		fmt.Println()
	}
	// Output:
	// Board minutes 0.0294 vector#3 filtered#1
	// Budget review 0.0212 fulltext#1 vector#2
	// Lunch         0.0210 fulltext#2 vector#1
}
