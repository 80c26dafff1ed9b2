package orchestrator

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/agent"
	"github.com/workspace-orchestrator/orchestrator/domain/executor"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
	"github.com/workspace-orchestrator/orchestrator/domain/plan"
	"github.com/workspace-orchestrator/orchestrator/domain/synth"
)

// Record is what the ask pipeline keeps with a message beside its query and
// answer. The store holds it as the message's JSON columns (the raw fields of
// domain.Message); this file is the only place they are encoded and decoded.
type Record struct {
	Intent      *intent.Intent // nil until the request is understood
	Plan        *plan.Plan     // nil until it is planned
	StepResults []executor.Result
	Citations   []synth.Citation
	Actions     []agent.Action // proposed, then executed, rejected or failed
	Timings     *Timings       // nil until the ask has ended
}

// Store writes r into m's JSON fields; an unset field is left empty (the
// store keeps its column's empty value).
func (r Record) Store(m *domain.Message) {
	m.Intent, m.Plan = encode(r.Intent), encode(r.Plan)
	m.StepResults, m.Citations, m.Actions = encodeSlice(r.StepResults), encodeSlice(r.Citations), encodeSlice(r.Actions)
	m.Timings = encode(r.Timings)
}

// RecordOf reads a stored message's record. A field that does not decode is
// left zero and named in the error; the others are still filled, so a caller
// may log the error and go on with what is readable.
func RecordOf(m domain.Message) (Record, error) {
	var (
		r    Record
		errs [6]error
	)
	r.Intent, errs[0] = IntentOf(m)
	r.Plan, errs[1] = PlanOf(m)
	r.StepResults, errs[2] = StepResultsOf(m)
	r.Citations, errs[3] = CitationsOf(m)
	r.Actions, errs[4] = ActionsOf(m)
	r.Timings, errs[5] = TimingsOf(m)
	return r, errors.Join(errs[:]...)
}

// IntentOf decodes the message's intent alone; nil when it has none.
func IntentOf(m domain.Message) (*intent.Intent, error) {
	return decodePtr[intent.Intent](m, "intent", m.Intent)
}

// PlanOf decodes the message's plan alone; nil when it has none.
func PlanOf(m domain.Message) (*plan.Plan, error) {
	return decodePtr[plan.Plan](m, "plan", m.Plan)
}

// StepResultsOf decodes the message's step results alone.
func StepResultsOf(m domain.Message) ([]executor.Result, error) {
	return decodeSlice[executor.Result](m, "step results", m.StepResults)
}

// CitationsOf decodes the message's citations alone.
func CitationsOf(m domain.Message) ([]synth.Citation, error) {
	return decodeSlice[synth.Citation](m, "citations", m.Citations)
}

// ActionsOf decodes the message's actions alone.
func ActionsOf(m domain.Message) ([]agent.Action, error) {
	return decodeSlice[agent.Action](m, "actions", m.Actions)
}

// TimingsOf decodes the message's timings alone; nil before the ask ended.
func TimingsOf(m domain.Message) (*Timings, error) {
	if !m.Status.Ended() {
		return nil, nil
	}
	return decodePtr[Timings](m, "timings", m.Timings)
}

func decodePtr[T any](m domain.Message, field string, raw json.RawMessage) (*T, error) {
	if empty(raw) {
		return nil, nil
	}
	v := new(T)
	if err := json.Unmarshal(raw, v); err != nil {
		return nil, decodeError(m, field, err)
	}
	return v, nil
}

func decodeSlice[T any](m domain.Message, field string, raw json.RawMessage) ([]T, error) {
	if empty(raw) {
		return nil, nil
	}
	var v []T
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, decodeError(m, field, err)
	}
	return v, nil
}

func empty(raw json.RawMessage) bool { return len(raw) == 0 || string(raw) == "null" }

// decodeError says which message's field is unreadable; it wraps no sentinel,
// so the edges report it as internal.
func decodeError(m domain.Message, field string, err error) error {
	return fmt.Errorf("message %s: stored %s unreadable: %w", m.ID, field, err)
}

func encode[T any](v *T) json.RawMessage {
	if v == nil {
		return nil
	}
	return mustJSON(v)
}

// encodeSlice writes an empty list for a nil one: the stored columns hold
// lists, never JSON null.
func encodeSlice[T any](s []T) json.RawMessage {
	if s == nil {
		s = []T{}
	}
	return mustJSON(s)
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("marshal %T: %v", v, err)) // only our own plain structs reach here
	}
	return b
}
