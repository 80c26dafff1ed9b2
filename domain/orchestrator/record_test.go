package orchestrator_test

import (
	"encoding/json"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/agent"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
	"github.com/workspace-orchestrator/orchestrator/domain/orchestrator"
	"github.com/workspace-orchestrator/orchestrator/domain/synth"
)

func TestRecordRoundTrips(t *testing.T) {
	t.Parallel()
	in := intent.Intent{Confidence: 0.9, Clarification: "which one?"}
	rec := orchestrator.Record{
		Intent:    &in,
		Citations: []synth.Citation{{Service: domain.ServiceGmail, ItemID: "m1", Title: "Budget"}},
		Actions:   []agent.Action{{ID: "s1-a1", Service: domain.ServiceCalendar, Summary: "Delete the flight"}},
		Timings:   &orchestrator.Timings{TotalMS: 12.5},
	}
	m := domain.Message{ID: uuid.New(), Status: domain.MessageDone}
	rec.Store(&m)
	require.Nil(t, m.Plan, "an unset field stays empty")
	require.JSONEq(t, `[]`, string(m.StepResults), "lists are stored as lists, never null")

	got, err := orchestrator.RecordOf(m)
	require.NoError(t, err)
	require.Equal(t, in.Clarification, got.Intent.Clarification)
	require.Nil(t, got.Plan)
	require.Equal(t, rec.Citations, got.Citations)
	require.Equal(t, rec.Actions[0].Summary, got.Actions[0].Summary)
	require.InDelta(t, 12.5, got.Timings.TotalMS, 0)

	m.Status = domain.MessageRunning
	timings, err := orchestrator.TimingsOf(m)
	require.NoError(t, err)
	require.Nil(t, timings, "timings are final only once the ask has ended")
}

func TestRecordReportsUnreadableFields(t *testing.T) {
	t.Parallel()
	m := domain.Message{ID: uuid.New(), Status: domain.MessageDone,
		Citations: json.RawMessage(`[{"service":"gmail","itemId":"m1"}]`),
		Actions:   json.RawMessage(`{"not":"a list"}`),
		Plan:      json.RawMessage(`[1,2]`),
	}
	got, err := orchestrator.RecordOf(m)
	require.ErrorContains(t, err, "message "+m.ID.String()+": stored actions unreadable")
	require.ErrorContains(t, err, "stored plan unreadable")
	require.Len(t, got.Citations, 1, "what decodes is still there")
	require.Nil(t, got.Actions)

	_, err = orchestrator.ActionsOf(m)
	require.Error(t, err)
}
