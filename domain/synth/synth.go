// Package synth writes the answer to a request from what the steps found and
// did: grounded in the results, citing the items used, saying what failed and
// which actions await confirmation. It declares the Writer port (an LLM
// adapter streams through it) and the offline writer.
package synth

import (
	"context"
	"time"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/agent"
	"github.com/workspace-orchestrator/orchestrator/domain/executor"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
)

// Citation is an item the answer relies on.
type Citation struct {
	Service domain.Service `json:"service"`
	ItemID  string         `json:"itemId"` // provider id
	Title   string         `json:"title"`
	URL     string         `json:"url,omitempty"`
}

// Input is everything an answer is written from.
type Input struct {
	Query    string
	Intent   intent.Intent
	Results  []executor.Result // in plan order
	Actions  []agent.Action    // proposed by the steps, awaiting confirmation
	Now      time.Time
	Location *time.Location // the user's zone, for dates in the answer; nil means UTC
}

// Answer is the written answer.
type Answer struct {
	Text      string     `json:"text"`
	Citations []Citation `json:"citations"`
}

// Writer writes answers. emit receives the text as it is written, in small
// chunks whose concatenation is Answer.Text.
type Writer interface {
	Write(ctx context.Context, in Input, emit func(token string)) (Answer, error)
}
