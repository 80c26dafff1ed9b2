// Package gmailagent serves the Gmail operations: search and read through the
// cache, draft at once (a draft stays private), and send only as a proposed
// action that Confirm executes by the draft's id.
package gmailagent

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
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
}

// New builds the Gmail agent. What it writes reaches the cache through the
// Mailer (see domain.Mailer), never through the agent.
func New(s agent.Searcher, r domain.WorkspaceReader, m domain.Mailer) *Agent {
	return &Agent{search: s, reader: r, mailer: m}
}

// Service is gmail.
func (a *Agent) Service() domain.Service { return domain.ServiceGmail }

// Do runs a Gmail step.
func (a *Agent) Do(ctx context.Context, userID uuid.UUID, step intent.Step, inputs []agent.Input) (agent.Output, error) {
	switch step.Operation {
	case intent.OpSearch:
		if draftRE.MatchString(step.Params.String(intent.ParamQuery)) {
			return agent.SearchStep(ctx, a.search, userID, domain.ServiceGmail, step, inputs)
		}
		out, err := agent.SearchStep(ctx, sentOnly{a.search}, userID, domain.ServiceGmail, step, inputs)
		out.Items = slices.DeleteFunc(out.Items, func(it agent.Item) bool { return it.Kind == "draft" })
		return out, err
	case intent.OpRead:
		return a.read(ctx, userID, step, inputs)
	case intent.OpDraft:
		return a.draft(ctx, userID, step, inputs)
	case intent.OpSend:
		return a.proposeSend(step, inputs)
	}
	return agent.Output{}, fmt.Errorf("gmail cannot %s: %w", step.Operation, domain.ErrInvalidInput)
}

// sentOnly lists mail that was sent or received, never drafts: a listing
// ("show my latest emails") leaves them out before it is cut to its length,
// or a user's newest drafts would fill it. A search by words drops them from
// its hits after (Do): the engine's filtered ranking is not worth a label.
type sentOnly struct{ agent.Searcher }

func (s sentOnly) Search(ctx context.Context, userID uuid.UUID, f domain.Filter, limit int) ([]agent.Item, error) {
	if strings.TrimSpace(f.Query) == "" {
		f.NotLabels = append(slices.Clip(f.NotLabels), "DRAFT")
	}
	return s.Searcher.Search(ctx, userID, f, limit)
}

// read returns the named email, or the best match of the search it depends on.
func (a *Agent) read(ctx context.Context, userID uuid.UUID, step intent.Step, inputs []agent.Input) (agent.Output, error) {
	return agent.ReadStep(ctx, step, inputs, domain.ServiceGmail, "email", func(ctx context.Context, rowID uuid.UUID) (agent.Item, error) {
		x, err := a.reader.Email(ctx, userID, rowID)
		if err != nil {
			return agent.Item{}, err
		}
		it := Item(x)
		it.Body = x.Body
		return it, nil
	})
}

// draftRE marks a search for drafts; other searches find mail that was sent.
var draftRE = regexp.MustCompile(`(?i)\bdrafts?\b`)

// Item is a cached email as an agent item.
func Item(e domain.Email) agent.Item {
	people := []string{e.From.Email}
	for _, a := range append(append([]domain.Address{}, e.To...), e.Cc...) {
		people = append(people, a.Email)
	}
	kind := "email"
	if slices.Contains(e.Labels, "DRAFT") {
		kind = "draft" // not sent: never "the latest email from" anyone
	}
	return agent.Item{
		Service: domain.ServiceGmail, Kind: kind, ID: e.EmailID, RowID: e.ID, ThreadID: e.ThreadID,
		Title: e.Subject, Snippet: e.Snippet, People: people, At: e.ReceivedAt,
	}
}

// draft creates the draft at once (a draft is private; sending it is the
// proposed action). Files found by the steps it depends on are linked; a
// mail found by them is replied to or forwarded when params.mode says so.
func (a *Agent) draft(ctx context.Context, userID uuid.UUID, step intent.Step, inputs []agent.Input) (agent.Output, error) {
	to := step.Params.Strings(intent.ParamTo)
	mode := step.Params.String(intent.ParamMode)
	if len(to) == 0 && mode != "reply" {
		return agent.Output{}, fmt.Errorf("draft needs a recipient: %w", domain.ErrInvalidInput)
	}
	d := domain.Draft{Subject: step.Params.String(intent.ParamSubject), Body: step.Params.String(intent.ParamBody)}
	var err error
	switch {
	case mode == "reply" || mode == "forward":
		err = a.fromMail(ctx, userID, mode, inputs, &d)
	case len(step.DependsOn) > 0:
		err = linkFile(inputs, &d)
	}
	if err != nil {
		return agent.Output{}, err
	}
	if len(to) == 0 { // a reply with no one named goes to the sender
		to = replyTo(inputs)
		if len(to) == 0 {
			return agent.Output{}, fmt.Errorf("the email replied to names no sender: %w", domain.ErrInvalidInput)
		}
	}
	switch {
	case d.Subject == "" && d.Body == "":
		d.Subject, d.Body = "Getting in touch", "Hi,\n\nI wanted to get in touch.\n\nBest regards"
	case d.Body == "":
		d.Body = fmt.Sprintf("Hi,\n\nI wanted to get in touch about %s.\n\nBest regards", d.Subject)
	case d.Subject == "":
		d.Subject = subjectOf(d.Body)
	}
	for _, addr := range to {
		d.To = append(d.To, domain.Address{Email: addr})
	}
	id, err := a.mailer.CreateDraft(ctx, userID, d)
	if err != nil {
		return agent.Output{}, fmt.Errorf("create draft: %w", err)
	}
	return agent.Output{Items: []agent.Item{{
		Service: domain.ServiceGmail, Kind: "draft", ID: id, Title: d.Subject, Snippet: snippet(d.Body), Body: d.Body, People: to,
	}}}, nil
}

// subjectOf is a subject line from a body: its first words.
func subjectOf(body string) string {
	first, _, _ := strings.Cut(strings.TrimSpace(body), "\n")
	w := strings.Fields(strings.TrimRight(first, ".!?"))
	if len(w) > 8 {
		return strings.Join(w[:8], " ") + "…"
	}
	return strings.Join(w, " ")
}

// linkFile links the best file match in the body. The person sees the file
// named in the send proposal before anything is sent.
func linkFile(inputs []agent.Input, d *domain.Draft) error {
	files := agent.Candidates(inputs, domain.ServiceDrive, "")
	if len(files) == 0 {
		return fmt.Errorf("found no file to send: %w", agent.ErrNothingFound)
	}
	f, err := agent.PickOne(files, d.Subject, "file", nil)
	if err != nil {
		f = files[0]
	}
	if d.Subject == "" {
		d.Subject = f.Title
	}
	if d.Body == "" {
		d.Body = fmt.Sprintf("Hi,\n\nHere is %s: %s\n\nBest regards", f.Title, f.URL)
	}
	return nil
}

// fromMail makes d a reply to, or a forward of, the latest mail found.
func (a *Agent) fromMail(ctx context.Context, userID uuid.UUID, mode string, inputs []agent.Input, d *domain.Draft) error {
	mails := agent.Candidates(inputs, domain.ServiceGmail, "email")
	if len(mails) == 0 {
		return fmt.Errorf("found no email to %s: %w", mode, agent.ErrNothingFound)
	}
	m := mails[0]
	if mode == "reply" {
		d.InReplyTo = m.ID
		if d.Subject == "" {
			d.Subject = prefixed("Re: ", m.Title)
		}
		if d.Body == "" {
			d.Body = "Hi,\n\nThanks for your message.\n\nBest regards"
		}
		return nil
	}
	orig := m.Snippet
	if m.RowID != uuid.Nil {
		e, err := a.reader.Email(ctx, userID, m.RowID)
		if err != nil {
			return fmt.Errorf("read email to forward: %w", err)
		}
		orig = e.Body
	}
	from := ""
	if len(m.People) > 0 {
		from = m.People[0]
	}
	d.Subject = prefixed("Fwd: ", m.Title)
	d.Body = strings.TrimSpace(d.Body + fmt.Sprintf("\n\n---------- Forwarded message ----------\nFrom: %s\nSubject: %s\n\n%s", from, m.Title, orig))
	return nil
}

// replyTo is the sender of the email a reply answers.
func replyTo(inputs []agent.Input) []string {
	mails := agent.Candidates(inputs, domain.ServiceGmail, "email")
	if len(mails) == 0 || len(mails[0].People) == 0 || mails[0].People[0] == "" {
		return nil
	}
	return mails[0].People[:1]
}

func prefixed(prefix, subject string) string {
	if strings.HasPrefix(strings.ToLower(subject), strings.ToLower(prefix)) {
		return subject
	}
	return prefix + subject
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
	return act, nil
}
