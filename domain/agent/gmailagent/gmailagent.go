// Package gmailagent serves the Gmail operations: search and read through the
// cache, draft at once (a draft stays private), and send only as a proposed
// action that Confirm executes by the draft's id.
package gmailagent

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/agent"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
)

// Agent is the Gmail agent.
type Agent struct {
	search agent.Searcher
	reader domain.WorkspaceReader
	mailer domain.Mailer
	cache  domain.WorkspaceWriter
}

// New builds the Gmail agent. cache may be nil; when set, sent mail is
// written to the cache at once instead of waiting for the next sync.
func New(s agent.Searcher, r domain.WorkspaceReader, m domain.Mailer, cache domain.WorkspaceWriter) *Agent {
	return &Agent{search: s, reader: r, mailer: m, cache: cache}
}

// Service is gmail.
func (a *Agent) Service() domain.Service { return domain.ServiceGmail }

// Do runs a Gmail step.
func (a *Agent) Do(ctx context.Context, userID uuid.UUID, step intent.Step, inputs []agent.Input) (agent.Output, error) {
	switch step.Operation {
	case intent.OpSearch:
		return agent.SearchStep(ctx, a.search, userID, domain.ServiceGmail, step)
	case intent.OpRead:
		return a.read(ctx, userID, step, inputs)
	case intent.OpDraft:
		return a.draft(ctx, userID, step, inputs)
	case intent.OpSend:
		return a.proposeSend(step, inputs)
	}
	return agent.Output{}, fmt.Errorf("gmail cannot %s: %w", step.Operation, domain.ErrInvalidInput)
}

// read returns the named message, or the best match of the search it depends on.
func (a *Agent) read(ctx context.Context, userID uuid.UUID, step intent.Step, inputs []agent.Input) (agent.Output, error) {
	rowID, ok, err := agent.ReadRow(step, inputs, domain.ServiceGmail)
	if err != nil {
		return agent.Output{}, err
	}
	if !ok {
		return agent.Output{}, fmt.Errorf("found no email to read: %w", agent.ErrNothingFound)
	}
	e, err := a.reader.Email(ctx, userID, rowID)
	if err != nil {
		return agent.Output{}, fmt.Errorf("read email: %w", err)
	}
	it := Item(e)
	it.Body = e.Body
	return agent.Output{Items: []agent.Item{it}}, nil
}

// Item is a cached email as an agent item.
func Item(e domain.Email) agent.Item {
	people := []string{e.From.Email}
	for _, a := range append(append([]domain.Address{}, e.To...), e.Cc...) {
		people = append(people, a.Email)
	}
	return agent.Item{
		Service: domain.ServiceGmail, Kind: "email", ID: e.EmailID, RowID: e.ID, ThreadID: e.ThreadID,
		Title: e.Subject, Snippet: e.Snippet, People: people, At: e.ReceivedAt,
	}
}

// draft creates the draft at once; files found by the steps it depends on
// are linked in the body.
func (a *Agent) draft(ctx context.Context, userID uuid.UUID, step intent.Step, inputs []agent.Input) (agent.Output, error) {
	to := step.Params.Strings(intent.ParamTo)
	if len(to) == 0 {
		return agent.Output{}, fmt.Errorf("draft needs a recipient: %w", domain.ErrInvalidInput)
	}
	subject := step.Params.String(intent.ParamSubject)
	body := step.Params.String(intent.ParamBody)
	if len(step.DependsOn) > 0 {
		files := agent.Candidates(inputs, domain.ServiceDrive, "")
		if len(files) == 0 {
			return agent.Output{}, fmt.Errorf("found no file to send: %w", agent.ErrNothingFound)
		}
		// A draft is private and the send proposal names the file, so the
		// best match is linked; the person sees it before anything is sent.
		f, err := agent.PickOne(files, subject, "file", nil)
		if err != nil {
			f = files[0]
		}
		if subject == "" {
			subject = f.Title
		}
		if body == "" {
			body = fmt.Sprintf("Hi,\n\nHere is %s: %s\n\nBest regards", f.Title, f.URL)
		}
	}
	if body == "" {
		body = fmt.Sprintf("Hi,\n\nI wanted to get in touch about %s.\n\nBest regards", strings.ToLower(subject))
	}
	d := domain.Draft{Subject: subject, Body: body}
	for _, addr := range to {
		d.To = append(d.To, domain.Address{Email: addr})
	}
	id, err := a.mailer.CreateDraft(ctx, userID, d)
	if err != nil {
		return agent.Output{}, fmt.Errorf("create draft: %w", err)
	}
	return agent.Output{Items: []agent.Item{{
		Service: domain.ServiceGmail, Kind: "draft", ID: id, Title: subject, Snippet: snippet(body), Body: body, People: to,
	}}}, nil
}

func snippet(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 160 {
		return string(r[:159]) + "…"
	}
	return s
}

type sendPayload struct {
	DraftID string   `json:"draftId"`
	Subject string   `json:"subject"`
	To      []string `json:"to,omitempty"`
}

// proposeSend proposes sending exactly one draft: the one named, or the one
// the step it depends on created.
func (a *Agent) proposeSend(step intent.Step, inputs []agent.Input) (agent.Output, error) {
	p := sendPayload{DraftID: step.Params.String(intent.ParamDraftID), Subject: step.Params.String(intent.ParamSubject)}
	body := ""
	if p.DraftID == "" {
		d, err := agent.PickOne(agent.Candidates(inputs, domain.ServiceGmail, "draft"), "", "draft", nil)
		if err != nil {
			return agent.Output{}, err
		}
		p.DraftID, p.Subject, p.To, body = d.ID, d.Title, d.People, d.Snippet
	}
	summary := fmt.Sprintf("Send the draft %q", p.Subject)
	if len(p.To) > 0 {
		summary += " to " + strings.Join(p.To, ", ")
	}
	if body != "" {
		summary += fmt.Sprintf(": %q", body)
	}
	act, err := agent.NewAction(step, 0, agent.ActionSendEmail, summary, []string{p.DraftID}, p)
	if err != nil {
		return agent.Output{}, err
	}
	return agent.Output{Actions: []agent.Action{act}}, nil
}

// Confirm sends the draft; sending an already-sent draft sends nothing.
func (a *Agent) Confirm(ctx context.Context, userID, _ uuid.UUID, act agent.Action) (agent.Action, error) {
	if act.Kind != agent.ActionSendEmail {
		return act, fmt.Errorf("gmail cannot execute %s: %w", act.Kind, domain.ErrInvalidInput)
	}
	var p sendPayload
	if err := json.Unmarshal(act.Payload, &p); err != nil || p.DraftID == "" {
		return act, fmt.Errorf("action %s: payload has no draft id: %w", act.ID, domain.ErrInvalidInput)
	}
	e, err := a.mailer.SendDraft(ctx, userID, p.DraftID)
	if err != nil {
		return act, fmt.Errorf("send draft %s: %w", p.DraftID, err)
	}
	it := Item(e)
	act.Item = &it
	act.Result = fmt.Sprintf("Sent %q", e.Subject)
	if a.cache != nil {
		e.UserID = userID
		// The mail is sent either way; the next sync repairs a failed cache write.
		if err := a.cache.UpsertEmails(ctx, userID, []domain.Email{e}); err != nil {
			act.Result += " (it will show in search after the next sync)"
		}
	}
	return act, nil
}
