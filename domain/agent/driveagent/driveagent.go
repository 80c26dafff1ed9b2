// Package driveagent serves the Drive operations: search and read through the
// cache; share only as a proposed action that Confirm executes after checking
// the file's existing permissions.
package driveagent

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

// Agent is the Drive agent.
type Agent struct {
	search agent.Searcher
	reader domain.WorkspaceReader
	sharer domain.Sharer
}

// New builds the Drive agent.
func New(s agent.Searcher, r domain.WorkspaceReader, sh domain.Sharer) *Agent {
	return &Agent{search: s, reader: r, sharer: sh}
}

// Service is drive.
func (a *Agent) Service() domain.Service { return domain.ServiceDrive }

// Do runs a Drive step.
func (a *Agent) Do(ctx context.Context, userID uuid.UUID, step intent.Step, inputs []agent.Input) (agent.Output, error) {
	switch step.Operation {
	case intent.OpSearch:
		return agent.SearchStep(ctx, a.search, userID, domain.ServiceDrive, step, inputs)
	case intent.OpRead:
		return a.read(ctx, userID, step, inputs)
	case intent.OpShare:
		return a.proposeShare(ctx, userID, step, inputs)
	}
	return agent.Output{}, fmt.Errorf("drive cannot %s: %w", step.Operation, domain.ErrInvalidInput)
}

// Item is a cached file as an agent item.
func Item(f domain.File) agent.Item {
	return agent.Item{
		Service: domain.ServiceDrive, Kind: "file", ID: f.FileID, RowID: f.ID, Title: f.Name, Snippet: f.Preview,
		People: f.Owners, At: f.ModifiedAt, URL: f.WebViewLink, Folder: f.ParentFolder,
	}
}

// read returns the named file, or the best match of the search it depends on.
func (a *Agent) read(ctx context.Context, userID uuid.UUID, step intent.Step, inputs []agent.Input) (agent.Output, error) {
	return agent.ReadStep(ctx, step, inputs, domain.ServiceDrive, "file", func(ctx context.Context, rowID uuid.UUID) (agent.Item, error) {
		x, err := a.reader.File(ctx, userID, rowID)
		if err != nil {
			return agent.Item{}, err
		}
		it := Item(x)
		it.Body = x.Content
		return it, nil
	})
}

type sharePayload struct {
	FileID string   `json:"fileId"`
	Name   string   `json:"name"`
	Emails []string `json:"emails"`
	Role   string   `json:"role"`
}

var roles = map[string]int{"reader": 1, "commenter": 2, "writer": 3}

// proposeShare proposes sharing exactly one file: the one named, or the
// single match among the files the step depends on.
func (a *Agent) proposeShare(ctx context.Context, userID uuid.UUID, step intent.Step, inputs []agent.Input) (agent.Output, error) {
	p := step.Params
	pl := sharePayload{Emails: p.Strings(intent.ParamTo), Role: p.String(intent.ParamRole)}
	if pl.Role == "" {
		pl.Role = "reader"
	}
	if roles[pl.Role] == 0 {
		return agent.Output{}, fmt.Errorf("role %q is not reader, commenter or writer: %w", pl.Role, domain.ErrInvalidInput)
	}
	if len(pl.Emails) == 0 {
		return agent.Output{}, fmt.Errorf("sharing needs someone to share with: %w", domain.ErrInvalidInput)
	}
	var file agent.Item
	if id := p.String(intent.ParamItemID); id != "" {
		file = agent.Item{Service: domain.ServiceDrive, Kind: "file", ID: id, Title: p.String(intent.ParamTitle)}
		if row, ok, err := agent.ReadRow(step, nil, domain.ServiceDrive); err == nil && ok && file.Title == "" {
			// A proposal names what it shares: the cached file's title.
			if x, err := a.reader.File(ctx, userID, row); err == nil {
				file.Title, file.RowID = x.Name, x.ID
			}
		}
	} else {
		f, err := agent.PickOne(agent.Candidates(inputs, domain.ServiceDrive, ""), p.String(intent.ParamQuery), "file", nil)
		if err != nil {
			return agent.Output{}, err
		}
		file = f
	}
	pl.FileID, pl.Name = file.ID, file.Title
	summary := fmt.Sprintf("Share the file %q with %s as %s", file.Title, strings.Join(pl.Emails, ", "), pl.Role)
	act, err := agent.NewAction(step, 0, agent.ActionShareFile, summary, []string{file.ID}, pl)
	if err != nil {
		return agent.Output{}, err
	}
	return agent.Output{Items: []agent.Item{file}, Actions: []agent.Action{act}}, nil
}

// Confirm shares the file with each person who does not already hold the
// role or a higher one, so a retry sends no second notification.
func (a *Agent) Confirm(ctx context.Context, userID, _ uuid.UUID, act agent.Action) (agent.Action, error) {
	if act.Kind != agent.ActionShareFile {
		return act, fmt.Errorf("drive cannot execute %s: %w", act.Kind, domain.ErrInvalidInput)
	}
	var p sharePayload
	if err := json.Unmarshal(act.Payload, &p); err != nil || p.FileID == "" {
		return act, fmt.Errorf("action %s: payload has no file id: %w", act.ID, domain.ErrInvalidInput)
	}
	perms, err := a.sharer.Permissions(ctx, userID, p.FileID)
	if err != nil {
		return act, fmt.Errorf("permissions of %s: %w", p.FileID, err)
	}
	var shared, had []string
	for _, email := range p.Emails {
		if holds(perms, email, p.Role) {
			had = append(had, email)
			continue
		}
		if _, err := a.sharer.Share(ctx, userID, p.FileID, email, p.Role); err != nil {
			return act, fmt.Errorf("share %s with %s: %w", p.FileID, email, err)
		}
		shared = append(shared, email)
	}
	var parts []string
	if len(shared) > 0 {
		parts = append(parts, fmt.Sprintf("Shared %q with %s as %s", p.Name, strings.Join(shared, ", "), p.Role))
	}
	if len(had) > 0 {
		parts = append(parts, fmt.Sprintf("%s already had access", strings.Join(had, ", ")))
	}
	act.Result = strings.Join(parts, "; ")
	act.Item = &agent.Item{Service: domain.ServiceDrive, Kind: "file", ID: p.FileID, Title: p.Name}
	return act, nil
}

// holds reports whether email already has role or a higher one.
func holds(perms []domain.Permission, email, role string) bool {
	for _, pm := range perms {
		if strings.EqualFold(pm.Email, email) && roles[pm.Role] >= roles[role] {
			return true
		}
	}
	return false
}
