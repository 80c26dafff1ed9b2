// Package executor runs a plan: the steps of each group concurrently, each
// with its own timeout, handing every step the outputs of the steps it depends
// on. A failed step only stops the steps that depend on it.
package executor

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/agent"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
	"github.com/workspace-orchestrator/orchestrator/domain/plan"
)

// Status is how a step ended.
type Status string

const (
	StatusSucceeded Status = "succeeded"
	StatusFailed    Status = "failed"
	// StatusSkipped: a step it depends on did not succeed; Reason says which.
	StatusSkipped Status = "skipped"
	// StatusCancelled: the run was cancelled before the step finished.
	StatusCancelled Status = "cancelled"
)

// Result is the recorded outcome of one step.
type Result struct {
	StepID    string           `json:"stepId"`
	Service   domain.Service   `json:"service"`
	Operation intent.Operation `json:"operation"`
	Status    Status           `json:"status"`
	Error     string           `json:"error,omitempty"`
	// Reason says why a step was skipped.
	Reason    string        `json:"reason,omitempty"`
	StartedAt time.Time     `json:"startedAt,omitzero"`
	Duration  time.Duration `json:"duration"` // nanoseconds in JSON
	Output    agent.Output  `json:"output"`
	// Err is the step's error, for errors.Is; not serialised.
	Err error `json:"-"`
}

// Runner runs one step given the outputs of its dependencies, in DependsOn order.
type Runner func(ctx context.Context, step intent.Step, inputs []agent.Input) (agent.Output, error)

// ProgressKind says what happened to a step.
type ProgressKind string

const (
	StepStarted  ProgressKind = "step_started"
	StepFinished ProgressKind = "step_finished"
)

// Progress reports a step starting or finishing (Result set, skipped steps included).
type Progress struct {
	Kind   ProgressKind
	Step   intent.Step
	Result *Result
}

// DefaultStepTimeout is Options.StepTimeout's default.
const DefaultStepTimeout = 10 * time.Second

// Options tune a run.
type Options struct {
	// StepTimeout bounds each step. Defaults to DefaultStepTimeout (10s).
	StepTimeout time.Duration
	// Clock stamps steps and times them out. Defaults to the system clock.
	Clock domain.Clock
	// OnProgress receives progress, one call at a time and in order. It is
	// called from the steps' goroutines, so it must only hand the event on
	// (append to a queue), never wait. Defaults to nothing.
	OnProgress func(Progress)
}

// WithDefaults fills unset options.
func (o Options) WithDefaults() Options {
	if o.StepTimeout <= 0 {
		o.StepTimeout = DefaultStepTimeout
	}
	o.Clock = cmp.Or[domain.Clock](o.Clock, domain.SystemClock{})
	if o.OnProgress == nil {
		o.OnProgress = func(Progress) {}
	}
	return o
}

// Run executes p and returns one result per step, in the plan's step order.
// It never fails as a whole: every outcome, including cancellation, is a Result.
func Run(ctx context.Context, p plan.Plan, run Runner, o Options) []Result {
	o = o.WithDefaults()
	var mu sync.Mutex // serialises OnProgress
	emit := func(pr Progress) {
		mu.Lock()
		defer mu.Unlock()
		o.OnProgress(pr)
	}
	results := make(map[string]*Result, len(p.Steps))
	for _, group := range p.Groups {
		var wg sync.WaitGroup
		for _, id := range group {
			step, _ := p.Step(id)
			res := &Result{StepID: id, Service: step.Service, Operation: step.Operation}
			results[id] = res
			inputs, reason := inputsOf(step, results)
			switch {
			case reason != "":
				res.Status, res.Reason = StatusSkipped, reason
			case ctx.Err() != nil:
				res.Status, res.Err = StatusCancelled, fmt.Errorf("before it started: %w: %w", domain.ErrCancelled, ctx.Err())
				res.Error = "cancelled before it started"
			}
			if res.Status != "" {
				emit(Progress{Kind: StepFinished, Step: step, Result: res})
				continue
			}
			wg.Go(func() {
				emit(Progress{Kind: StepStarted, Step: step})
				runStep(ctx, step, inputs, run, o, res)
				emit(Progress{Kind: StepFinished, Step: step, Result: res})
			})
		}
		wg.Wait()
	}
	out := make([]Result, 0, len(p.Steps))
	for _, s := range p.Steps {
		out = append(out, *results[s.ID])
	}
	return out
}

// inputsOf collects the outputs a step depends on, or says why it cannot run.
func inputsOf(step intent.Step, results map[string]*Result) ([]agent.Input, string) {
	inputs := make([]agent.Input, 0, len(step.DependsOn))
	for _, d := range step.DependsOn {
		r := results[d]
		if r.Status != StatusSucceeded {
			return nil, fmt.Sprintf("step %s it depends on %s", d, r.Status)
		}
		inputs = append(inputs, agent.Input{StepID: d, Output: r.Output})
	}
	return inputs, ""
}

func runStep(ctx context.Context, step intent.Step, inputs []agent.Input, run Runner, o Options, res *Result) {
	// The step's deadline runs on the clock, so tests time steps out without sleeping.
	sctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	deadline := o.Clock.AfterFunc(o.StepTimeout, func() { cancel(context.DeadlineExceeded) })
	defer deadline.Stop()
	res.StartedAt = o.Clock.Now()
	out, err := safeRun(sctx, step, inputs, run)
	res.Duration = o.Clock.Now().Sub(res.StartedAt)
	switch {
	case err == nil:
		res.Status, res.Output = StatusSucceeded, out
		return
	case errors.Is(err, errPanicked):
		// Checked first: a deadline that fires while the panic unwinds is not the cause.
		res.Status = StatusFailed
	case ctx.Err() != nil:
		res.Status = StatusCancelled
		err = fmt.Errorf("%w: %w", domain.ErrCancelled, err)
	case errors.Is(context.Cause(sctx), context.DeadlineExceeded):
		res.Status = StatusFailed
		err = fmt.Errorf("timed out after %s: %w: %w", o.StepTimeout, domain.ErrUnavailable, err)
	default:
		res.Status = StatusFailed
	}
	res.Err, res.Error = err, domain.Explain(err)
}

// errPanicked marks a step whose agent panicked.
var errPanicked = errors.New("panicked")

// safeRun turns a panicking agent into a failed step instead of a dead process.
func safeRun(ctx context.Context, step intent.Step, inputs []agent.Input, run Runner) (out agent.Output, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("step %s %w: %v", step.ID, errPanicked, r)
		}
	}()
	return run(ctx, step, inputs)
}
