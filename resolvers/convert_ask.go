package resolvers

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/agent"
	"github.com/workspace-orchestrator/orchestrator/domain/executor"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
	"github.com/workspace-orchestrator/orchestrator/domain/orchestrator"
	"github.com/workspace-orchestrator/orchestrator/domain/synth"
	"github.com/workspace-orchestrator/orchestrator/graph/model"
)

// Domain enums are lowercase words; GraphQL's are their SCREAMING_SNAKE forms.

func fromService(s domain.Service) model.Service { return model.Service(strings.ToUpper(string(s))) }

func toService(s model.Service) domain.Service { return domain.Service(strings.ToLower(string(s))) }

func toServices(ss []model.Service) []domain.Service {
	if ss == nil {
		return nil
	}
	out := make([]domain.Service, len(ss))
	for i, s := range ss {
		out[i] = toService(s)
	}
	return out
}

func fromServices(ss []domain.Service) []model.Service {
	out := make([]model.Service, len(ss))
	for i, s := range ss {
		out[i] = fromService(s)
	}
	return out
}

// optional is nil for the zero value, so unset event fields answer null.
func optional[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

func optionalTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func fromAction(a agent.Action) model.Action {
	return model.Action{
		ID: a.ID, StepID: a.StepID, Kind: model.ActionKind(strings.ToUpper(string(a.Kind))),
		Service: fromService(a.Service), Summary: a.Summary, Targets: nonNil(a.Targets),
		Status: model.ActionStatus(strings.ToUpper(string(a.Status))), Result: a.Result, Error: a.Error,
	}
}

func fromActions(as []agent.Action) []model.Action {
	out := make([]model.Action, len(as))
	for i, a := range as {
		out[i] = fromAction(a)
	}
	return out
}

func fromStepItem(it agent.Item) model.StepItem {
	out := model.StepItem{
		Service: fromService(it.Service), Kind: it.Kind, ItemID: it.ID, Title: it.Title, Snippet: it.Snippet,
		People: nonNil(it.People), At: optionalTime(it.At), End: optionalTime(it.End),
		TimeZone: it.TimeZone, URL: it.URL, Score: it.Score,
	}
	if typ := nodeTypeOf(it.Service); typ != "" && it.RowID != [16]byte{} && it.Kind != "draft" {
		id := globalID(typ, it.RowID)
		out.NodeID = &id
	}
	return out
}

// nodeTypeOf is the Node type of a service's cached items.
func nodeTypeOf(s domain.Service) string {
	switch s {
	case domain.ServiceGmail:
		return typeEmail
	case domain.ServiceCalendar:
		return typeEvent
	case domain.ServiceDrive:
		return typeFile
	}
	return ""
}

func fromStepResult(r executor.Result) model.StepResult {
	items := make([]model.StepItem, len(r.Output.Items))
	for i, it := range r.Output.Items {
		items[i] = fromStepItem(it)
	}
	return model.StepResult{
		StepID: r.StepID, Service: fromService(r.Service), Operation: string(r.Operation),
		Status: model.StepStatus(strings.ToUpper(string(r.Status))), Error: r.Error, Reason: r.Reason,
		DurationMs: float64(r.Duration.Microseconds()) / 1000, Items: items, Actions: fromActions(r.Output.Actions),
	}
}

func fromCitations(cs []synth.Citation) []model.Citation {
	out := make([]model.Citation, len(cs))
	for i, c := range cs {
		out[i] = model.Citation{Service: fromService(c.Service), ItemID: c.ItemID, Title: c.Title, URL: c.URL}
	}
	return out
}

func fromPlanStep(s intent.Step) (model.PlanStep, error) {
	params, err := json.Marshal(s.Params)
	if err != nil {
		return model.PlanStep{}, fmt.Errorf("step %s params: %w", s.ID, err)
	}
	return model.PlanStep{
		ID: s.ID, Service: fromService(s.Service), Operation: string(s.Operation), Params: model.JSON(params),
		DependsOn: nonNil(s.DependsOn), SideEffect: s.SideEffect,
	}, nil
}

func fromTimings(t orchestrator.Timings) *model.Timings {
	return &model.Timings{
		ClassifyMs: t.ClassifyMS, PlanMs: t.PlanMS, ExecuteMs: t.ExecuteMS,
		SynthesizeMs: t.SynthesizeMS, FirstTokenMs: t.FirstTokenMS, TotalMs: t.TotalMS,
	}
}

func fromAnswerEvent(ev orchestrator.Event) *model.AnswerEvent {
	out := &model.AnswerEvent{
		Type: model.AnswerEventType(ev.Type), Seq: ev.Seq, At: ev.At,
		Status: optional(ev.Status), Detail: optional(ev.Detail), StepID: optional(ev.StepID),
		Token: optional(ev.Token), Error: optional(ev.Error),
	}
	if ev.Step != nil {
		r := fromStepResult(*ev.Step)
		out.Step = &r
	}
	if ev.Action != nil {
		a := fromAction(*ev.Action)
		out.Action = &a
	}
	if ev.Type == orchestrator.EventDone {
		out.Text = &ev.Text
		out.Citations = fromCitations(ev.Citations)
	}
	if ev.MessageStatus != "" {
		s := fromMessageStatus(ev.MessageStatus)
		out.MessageStatus = &s
	}
	return out
}

// finalEvent rebuilds a finished message's last event from the store, for a
// subscriber that comes after its stream expired.
func finalEvent(m domain.Message) (*model.AnswerEvent, error) {
	ev := orchestrator.Event{Type: orchestrator.EventDone, At: m.UpdatedAt, Text: m.Response, MessageStatus: m.Status}
	if m.Status != domain.MessageDone {
		ev.Type, ev.Error = orchestrator.EventError, m.Error
	} else {
		var err error
		if ev.Citations, err = orchestrator.CitationsOf(m); err != nil {
			return nil, err
		}
	}
	return fromAnswerEvent(ev), nil
}
