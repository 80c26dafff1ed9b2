package search_test

import (
	"fmt"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/search"
)

func ExampleFuse() {
	item := func(n byte, title string, score float64) search.Candidate {
		return search.Candidate{Item: search.Item{Service: domain.ServiceGmail, ID: uuid.UUID{n}, Title: title}, Score: score}
	}
	hits := search.Fuse(60, []search.Ranked{
		// by score: BM25 12 and 3 lend 1 and (3/12)^2
		{Leg: search.LegFullText, Weight: 1, Power: 2, Items: []search.Candidate{item(1, "Budget review", 12), item(2, "Lunch", 3)}},
		{Leg: search.LegVector, Weight: 0.8, Power: 2, Items: []search.Candidate{item(2, "Lunch", 0.6), item(1, "Budget review", 0.5), item(3, "Board minutes", 0.3)}},
		// by rank: the filtered leg, weight 2 times the 1.5 boost
		{Leg: search.LegFiltered, Weight: 3, Items: []search.Candidate{item(3, "Board minutes", 0.3)}},
	}, 10)
	for _, h := range hits {
		fmt.Printf("%-13s %.4f", h.Title, h.Score)
		for _, l := range h.Legs {
			fmt.Printf(" %s#%d", l.Leg, l.Rank)
		}
		fmt.Println()
	}
	// Output:
	// Board minutes 3.1508 vector#3 filtered#1
	// Budget review 1.5556 fulltext#1 vector#2
	// Lunch         0.8625 fulltext#2 vector#1
}
