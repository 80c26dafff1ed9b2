package plan_test

import (
	"fmt"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
	"github.com/workspace-orchestrator/orchestrator/domain/plan"
)

// "Cancel my Turkish Airlines flight" next to an independent Drive search:
// the two searches run together, then the calendar search, then the delete.
func ExampleBuild() {
	in := intent.Intent{Confidence: 0.8, Steps: []intent.Step{
		{ID: "s1", Service: domain.ServiceGmail, Operation: intent.OpSearch},
		{ID: "s2", Service: domain.ServiceCalendar, Operation: intent.OpSearch, DependsOn: []string{"s1"}},
		{ID: "s3", Service: domain.ServiceCalendar, Operation: intent.OpDelete, DependsOn: []string{"s2"}, SideEffect: true},
		{ID: "s4", Service: domain.ServiceDrive, Operation: intent.OpSearch},
	}}
	p, err := plan.Build(in)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Groups)

	in.Steps[0].DependsOn = []string{"s3"}
	_, err = plan.Build(in)
	fmt.Println(err)
	// Output:
	// [[s1 s4] [s2] [s3]]
	// plan: steps s1 -> s3 -> s2 -> s1 depend on each other in a cycle: invalid input
}
