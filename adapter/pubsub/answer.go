package pubsub

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain/orchestrator"
)

// Answers publishes and follows the answer events of messages; it implements
// orchestrator.Publisher.
type Answers struct{ s *Streams }

// NewAnswers returns Answers over s.
func NewAnswers(s *Streams) *Answers { return &Answers{s: s} }

// Publish appends evs to the message's stream in one round trip; a batch
// that holds the last event (DONE or ERROR) ends the stream.
func (a *Answers) Publish(ctx context.Context, messageID uuid.UUID, evs ...orchestrator.Event) error {
	payloads := make([][]byte, len(evs))
	end := false
	for i, ev := range evs {
		b, err := json.Marshal(ev)
		if err != nil {
			return fmt.Errorf("pubsub: encode %s event: %w", ev.Type, err)
		}
		payloads[i] = b
		end = end || last(ev)
	}
	if end {
		return a.s.End(ctx, messageID.String(), payloads...)
	}
	return a.s.Append(ctx, messageID.String(), payloads...)
}

// last tells the event after which an answer has no more.
func last(ev orchestrator.Event) bool {
	return ev.Type == orchestrator.EventDone || ev.Type == orchestrator.EventError
}

// Follow calls fn with every event of the message from the first, in order
// and once each, until the last one (DONE or ERROR), fn returns false, or ctx ends.
func (a *Answers) Follow(ctx context.Context, messageID uuid.UUID, fn func(orchestrator.Event) bool) error {
	var decodeErr error
	err := a.s.Follow(ctx, messageID.String(), "", func(e Entry) bool {
		var ev orchestrator.Event
		if err := json.Unmarshal(e.Payload, &ev); err != nil {
			decodeErr = fmt.Errorf("pubsub: decode event %s of %s: %w", e.ID, messageID, err)
			return false
		}
		return fn(ev) && !last(ev)
	})
	if decodeErr != nil {
		return decodeErr
	}
	return err
}
