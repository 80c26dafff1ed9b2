// Package plan turns an intent's steps into a DAG and layers it into groups of
// independent steps that can run at the same time.
package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
)

// Plan is a validated DAG of steps.
type Plan struct {
	Steps []intent.Step `json:"steps"`
	// Groups are topological layers: every step of a group depends only on
	// steps of earlier groups, so a group's steps can run concurrently.
	// Within a group, steps keep the intent's order.
	Groups [][]string `json:"groups"`
}

// Step returns the step with the given id.
func (p Plan) Step(id string) (intent.Step, bool) {
	for _, s := range p.Steps {
		if s.ID == id {
			return s, true
		}
	}
	return intent.Step{}, false
}

// Build validates the intent's steps (known services and operations, unique
// ids, existing dependencies) and layers them; a cycle is an error naming its
// steps. Errors wrap domain.ErrInvalidInput.
func Build(in intent.Intent) (Plan, error) {
	if err := intent.Validate(in); err != nil {
		return Plan{}, fmt.Errorf("plan: %w", err)
	}
	p := Plan{Steps: in.Steps, Groups: [][]string{}}
	done := make(map[string]bool, len(in.Steps))
	for len(done) < len(in.Steps) {
		var group []string
		for _, s := range in.Steps {
			if done[s.ID] {
				continue
			}
			ready := true
			for _, d := range s.DependsOn {
				ready = ready && done[d]
			}
			if ready {
				group = append(group, s.ID)
			}
		}
		if len(group) == 0 {
			return Plan{}, fmt.Errorf("plan: steps %s depend on each other in a cycle: %w",
				strings.Join(cycle(in.Steps, done), " -> "), domain.ErrInvalidInput)
		}
		for _, id := range group {
			done[id] = true
		}
		p.Groups = append(p.Groups, group)
	}
	return p, nil
}

// cycle finds one cycle among the steps not done, as a closed path of ids.
func cycle(steps []intent.Step, done map[string]bool) []string {
	deps := map[string][]string{}
	for _, s := range steps {
		if !done[s.ID] {
			deps[s.ID] = s.DependsOn
		}
	}
	// Every undone step has an undone dependency, so walking them must revisit one.
	var path []string
	for id := range deps {
		if len(path) == 0 || id < path[0] { // deterministic start
			path = []string{id}
		}
	}
	for {
		cur := path[len(path)-1]
		var next string
		for _, d := range deps[cur] {
			if !done[d] {
				next = d
				break
			}
		}
		if i := slices.Index(path, next); i >= 0 {
			return append(path[i:], next)
		}
		path = append(path, next)
	}
}
