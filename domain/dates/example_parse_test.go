package dates_test

import (
	"fmt"
	"time"

	"github.com/workspace-orchestrator/orchestrator/domain/dates"
)

// Strip the dates from a search query and keep them as filters.
func ExampleParse() {
	loc, _ := time.LoadLocation("Europe/Istanbul")
	now := time.Date(2026, 6, 17, 14, 30, 0, 0, loc) // a Wednesday
	q := "emails from Sarah since Monday and meetings next Tuesday at 10am for 30 minutes"
	for _, m := range dates.Parse(q, now, loc) {
		fmt.Printf("%q [%d:%d] %s – %s", m.Text, m.Start, m.End, m.Range.Start.Format("Jan 2 15:04"), m.Range.End.Format("Jan 2 15:04"))
		if m.Time != nil {
			fmt.Printf(" at %s for %s", m.Time.Format("15:04"), m.Duration)
		}
		fmt.Println()
	}
	// Output:
	// "since Monday" [18:30] Jun 15 00:00 – Jun 17 14:30
	// "next Tuesday at 10am for 30 minutes" [44:79] Jun 23 10:00 – Jun 23 10:30 at 10:00 for 30m0s
}
