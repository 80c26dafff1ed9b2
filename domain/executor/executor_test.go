package executor_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/agent"
	"github.com/workspace-orchestrator/orchestrator/domain/clocktest"
	"github.com/workspace-orchestrator/orchestrator/domain/executor"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
	"github.com/workspace-orchestrator/orchestrator/domain/plan"
)

func build(t *testing.T, steps ...intent.Step) plan.Plan {
	t.Helper()
	p, err := plan.Build(intent.Intent{Steps: steps})
	require.NoError(t, err)
	return p
}

func st(id string, svc domain.Service, op intent.Operation, deps ...string) intent.Step {
	return intent.Step{ID: id, Service: svc, Operation: op, DependsOn: deps, Params: intent.Params{}}
}

func TestRunPassesResultsAndIsolatesFailures(t *testing.T) {
	t.Parallel()
	p := build(t,
		st("s1", domain.ServiceGmail, intent.OpSearch),
		st("s2", domain.ServiceDrive, intent.OpSearch),
		st("s3", domain.ServiceCalendar, intent.OpSearch, "s1"),
		st("s4", domain.ServiceDrive, intent.OpShare, "s2"),
		st("s5", domain.ServiceCalendar, intent.OpDelete, "s3"),
	)
	var mu sync.Mutex
	var progress []string
	run := func(_ context.Context, s intent.Step, in []agent.Input) (agent.Output, error) {
		switch s.ID {
		case "s2":
			return agent.Output{}, fmt.Errorf("drive is down: %w", domain.ErrUnavailable)
		case "s3":
			require.Len(t, in, 1)
			require.Equal(t, "s1", in[0].StepID)
			require.Equal(t, "m1", in[0].Output.Items[0].ID)
			return agent.Output{Items: []agent.Item{{ID: "e1"}}}, nil
		case "s5":
			return agent.Output{Actions: []agent.Action{{ID: "s5-a1", Targets: []string{in[0].Output.Items[0].ID}}}}, nil
		}
		return agent.Output{Items: []agent.Item{{ID: "m1"}}}, nil
	}
	res := executor.Run(context.Background(), p, run, executor.Options{OnProgress: func(pr executor.Progress) {
		mu.Lock()
		defer mu.Unlock()
		progress = append(progress, string(pr.Kind)+":"+pr.Step.ID)
	}})
	require.Len(t, res, 5)
	status := map[string]executor.Status{}
	for _, r := range res {
		status[r.StepID] = r.Status
	}
	require.Equal(t, map[string]executor.Status{
		"s1": executor.StatusSucceeded, "s2": executor.StatusFailed, "s3": executor.StatusSucceeded,
		"s4": executor.StatusSkipped, "s5": executor.StatusSucceeded,
	}, status)
	require.ErrorContains(t, res[1].Err, "drive is down")
	require.Equal(t, "step s2 it depends on failed", res[3].Reason)
	require.Equal(t, []string{"e1"}, res[4].Output.Actions[0].Targets)
	require.Contains(t, progress, "step_finished:s4")
	require.NotContains(t, progress, "step_started:s4")
	require.Len(t, progress, 9) // 4 started, 5 finished
}

func TestRunGroupConcurrently(t *testing.T) {
	t.Parallel()
	p := build(t, st("s1", domain.ServiceGmail, intent.OpSearch), st("s2", domain.ServiceDrive, intent.OpSearch))
	var arrived sync.WaitGroup
	arrived.Add(2)
	run := func(ctx context.Context, _ intent.Step, _ []agent.Input) (agent.Output, error) {
		arrived.Done()
		arrived.Wait() // returns only when both steps run at the same time
		return agent.Output{}, nil
	}
	for _, r := range executor.Run(context.Background(), p, run, executor.Options{}) {
		require.Equal(t, executor.StatusSucceeded, r.Status)
	}
}

func TestRunTimeoutPanicAndCancel(t *testing.T) {
	t.Parallel()
	p := build(t, st("s1", domain.ServiceGmail, intent.OpSearch), st("s2", domain.ServiceDrive, intent.OpSearch),
		st("s3", domain.ServiceDrive, intent.OpRead, "s2"))
	clock := clocktest.New(time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC))
	waiting := make(chan struct{})
	run := func(ctx context.Context, s intent.Step, _ []agent.Input) (agent.Output, error) {
		if s.ID == "s2" {
			panic("boom")
		}
		if s.ID == "s1" {
			close(waiting)
		}
		<-ctx.Done()
		return agent.Output{}, ctx.Err()
	}
	go func() {
		<-waiting // s1's deadline is armed before it runs
		clock.Advance(10 * time.Millisecond)
	}()
	res := executor.Run(context.Background(), p, run, executor.Options{StepTimeout: 10 * time.Millisecond, Clock: clock})
	require.Equal(t, executor.StatusFailed, res[0].Status)
	require.ErrorIs(t, res[0].Err, domain.ErrUnavailable)
	require.ErrorContains(t, res[0].Err, "timed out after 10ms")
	require.Equal(t, "the service did not answer in time; try again shortly", res[0].Error, "people read Error")
	require.Equal(t, executor.StatusFailed, res[1].Status)
	require.ErrorContains(t, res[1].Err, "panicked: boom")
	require.Equal(t, "an internal error occurred", res[1].Error)
	require.Equal(t, executor.StatusSkipped, res[2].Status)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res = executor.Run(ctx, p, run, executor.Options{})
	for _, r := range res[:2] {
		require.Equal(t, executor.StatusCancelled, r.Status)
		require.ErrorIs(t, r.Err, domain.ErrCancelled)
	}
}
