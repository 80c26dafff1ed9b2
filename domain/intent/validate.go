package intent

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// Validate checks an intent's shape: known services and operations that the
// service supports, non-empty unique step ids, dependencies that exist and are
// not the step itself, a confidence in [0, 1]. Cycles are the planner's
// concern. Errors wrap domain.ErrInvalidInput and name the step.
func Validate(in Intent) error {
	if in.Confidence < 0 || in.Confidence > 1 {
		return fmt.Errorf("confidence %v outside [0, 1]: %w", in.Confidence, domain.ErrInvalidInput)
	}
	for _, s := range in.Services {
		if !s.Valid() {
			return fmt.Errorf("unknown service %q: %w", s, domain.ErrInvalidInput)
		}
	}
	ids := make(map[string]bool, len(in.Steps))
	for i, s := range in.Steps {
		if s.ID == "" {
			return fmt.Errorf("step %d has no id: %w", i+1, domain.ErrInvalidInput)
		}
		if ids[s.ID] {
			return fmt.Errorf("step id %q used twice: %w", s.ID, domain.ErrInvalidInput)
		}
		ids[s.ID] = true
		if !s.Service.Valid() {
			return fmt.Errorf("step %q: unknown service %q: %w", s.ID, s.Service, domain.ErrInvalidInput)
		}
		if !slices.Contains(Operations, s.Operation) {
			return fmt.Errorf("step %q: unknown operation %q: %w", s.ID, s.Operation, domain.ErrInvalidInput)
		}
		if !Supports(s.Service, s.Operation) {
			return fmt.Errorf("step %q: %s cannot %s: %w", s.ID, s.Service, s.Operation, domain.ErrInvalidInput)
		}
	}
	for _, s := range in.Steps {
		for _, d := range s.DependsOn {
			if d == s.ID {
				return fmt.Errorf("step %q depends on itself: %w", s.ID, domain.ErrInvalidInput)
			}
			if !ids[d] {
				return fmt.Errorf("step %q depends on missing step %q: %w", s.ID, d, domain.ErrInvalidInput)
			}
		}
	}
	return nil
}

// Decode reads an intent as JSON (the LLM adapter's output), rejects unknown
// fields, fills what follows from the steps (services, operations, side
// effects: a model can not mark a destructive step harmless) and validates it.
func Decode(data []byte) (Intent, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var in Intent
	if err := dec.Decode(&in); err != nil {
		return Intent{}, fmt.Errorf("decode intent: %v: %w", err, domain.ErrInvalidInput)
	}
	in.Normalize()
	if err := Validate(in); err != nil {
		return Intent{}, err
	}
	return in, nil
}

// Normalize derives Services, Operations and each step's SideEffect from the
// steps, and makes nil params and dependency lists empty.
func (in *Intent) Normalize() {
	for i := range in.Steps {
		s := &in.Steps[i]
		s.SideEffect = s.Operation.SideEffect()
		if s.Params == nil {
			s.Params = Params{}
		}
		if s.DependsOn == nil {
			s.DependsOn = []string{}
		}
		if !slices.Contains(in.Services, s.Service) {
			in.Services = append(in.Services, s.Service)
		}
		if !slices.Contains(in.Operations, s.Operation) {
			in.Operations = append(in.Operations, s.Operation)
		}
	}
	if in.Services == nil {
		in.Services = []domain.Service{}
	}
	if in.Operations == nil {
		in.Operations = []Operation{}
	}
	if in.Steps == nil {
		in.Steps = []Step{}
	}
}
