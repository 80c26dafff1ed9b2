package plan_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
	"github.com/workspace-orchestrator/orchestrator/domain/plan"
)

func TestBuildErrors(t *testing.T) {
	t.Parallel()
	step := func(id string, op intent.Operation, deps ...string) intent.Step {
		return intent.Step{ID: id, Service: domain.ServiceCalendar, Operation: op, DependsOn: deps}
	}
	for name, tc := range map[string]struct {
		steps []intent.Step
		want  string
	}{
		"unknown operation": {[]intent.Step{step("s1", "archive")}, `step "s1": unknown operation "archive"`},
		"missing dep":       {[]intent.Step{step("s1", intent.OpDelete, "s9")}, `step "s1" depends on missing step "s9"`},
		"self":              {[]intent.Step{step("s1", intent.OpSearch, "s1")}, "depends on itself"},
		"cycle":             {[]intent.Step{step("s1", intent.OpSearch, "s2"), step("s2", intent.OpSearch, "s1"), step("s3", intent.OpSearch)}, "s1 -> s2 -> s1"},
	} {
		_, err := plan.Build(intent.Intent{Steps: tc.steps})
		require.ErrorIs(t, err, domain.ErrInvalidInput, name)
		require.ErrorContains(t, err, tc.want, name)
	}
}

func TestBuildEmpty(t *testing.T) {
	t.Parallel()
	p, err := plan.Build(intent.Intent{Unsupported: "weather"})
	require.NoError(t, err)
	require.Empty(t, p.Groups)
}
