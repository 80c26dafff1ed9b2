package synth_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/agent"
	"github.com/workspace-orchestrator/orchestrator/domain/executor"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
	"github.com/workspace-orchestrator/orchestrator/domain/synth"
)

func TestBuildPromptAndCited(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 6, 17, 11, 30, 0, 0, time.UTC)
	in := synth.Input{
		Query: "budget mails and cancel the review",
		Now:   now,
		Results: []executor.Result{
			{Service: domain.ServiceGmail, Operation: intent.OpSearch, Status: executor.StatusSucceeded, Output: agent.Output{Items: []agent.Item{
				{Service: domain.ServiceGmail, Kind: "email", ID: "m2", Title: "Budget v2", Snippet: "Revised budget"},
				{Service: domain.ServiceGmail, Kind: "email", ID: "m1", Title: "Budget v1"},
			}}},
			{Service: domain.ServiceDrive, Operation: intent.OpSearch, Status: executor.StatusFailed, Error: "drive answered 503"},
		},
		Actions: []agent.Action{{Status: agent.ActionProposed, Summary: `Delete the event "Review"`}},
	}
	p, sources := synth.BuildPrompt(in)
	require.Equal(t, in.Query, p.User)
	require.Contains(t, p.System, `[1] gmail email "Budget v2"; Revised budget`)
	require.Contains(t, p.System, "Failed: search your Drive: drive answered 503")
	require.Contains(t, p.System, `Awaiting confirmation: Delete the event "Review"`)
	require.Len(t, sources, 2)
	require.Equal(t, []synth.Citation{sources[1], sources[0]}, synth.Cited("v1 [2] came before v2 [1] and [2]; [7] is not a source", sources))

	p, sources = synth.BuildPrompt(synth.Input{Intent: intent.Intent{Clarification: "Which John?"}, Now: now})
	require.Contains(t, p.System, "Which John?")
	require.Empty(t, sources)
}
