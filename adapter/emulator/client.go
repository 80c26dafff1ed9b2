package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// Client talks to a running emulator's admin endpoints (routeAdmin), as
// `orchestrator import` does.
type Client struct {
	// BaseURL is the emulator's address, e.g. http://127.0.0.1:8085.
	BaseURL string
	// HTTP makes the requests. Defaults to a client with no timeout of its
	// own (each call bounds itself).
	HTTP *http.Client
}

func (c Client) http() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return http.DefaultClient
}

// Users lists the emulated users. It is also how a caller tells an emulator
// from a real Google endpoint: a real one does not serve it.
func (c Client) Users(ctx context.Context) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.BaseURL+"/emulator/users", nil)
	if err != nil {
		return nil, fmt.Errorf("emulator %s: %w: %w", c.BaseURL, domain.ErrInvalidInput, err)
	}
	resp, err := c.http().Do(req)
	if err != nil {
		return nil, fmt.Errorf("emulator %s does not answer: %w: %w", c.BaseURL, domain.ErrUnavailable, err)
	}
	defer resp.Body.Close()
	var users []string
	if resp.StatusCode != http.StatusOK || json.NewDecoder(io.LimitReader(resp.Body, 16<<20)).Decode(&users) != nil {
		return nil, fmt.Errorf("%s is not a Workspace emulator (GET /emulator/users answered HTTP %d): %w",
			c.BaseURL, resp.StatusCode, domain.ErrInvalidInput)
	}
	return users, nil
}

// pushBatchBytes bounds the items of one admin request (base64 makes the body
// a third larger; the emulator accepts 64 MiB).
const pushBatchBytes = 16 << 20

// AddWorkspace adds ws to the user's workspace through the admin endpoint,
// in batches. The admin endpoint rather than Gmail messages.insert, Calendar
// events.insert and Drive files.create: it keeps a merged message's every
// Message-ID and folder label (Gmail holds one Message-ID header per
// message), the emulator has no files.create, and it takes thousands of
// items per request. Messages go oldest first so replies thread onto their
// originals.
func (c Client) AddWorkspace(ctx context.Context, email string, ws Workspace) error {
	msgs := slices.Clone(ws.Messages)
	slices.SortStableFunc(msgs, func(a, b Message) int { return a.InternalDate.Compare(b.InternalDate) })
	var (
		batch Workspace
		size  int
		sent  int
	)
	flush := func() error {
		if len(batch.Messages)+len(batch.Events)+len(batch.Files) == 0 {
			return nil
		}
		if err := c.post(ctx, email, batch); err != nil {
			return fmt.Errorf("after %d items: %w", sent, err)
		}
		sent += len(batch.Messages) + len(batch.Events) + len(batch.Files)
		batch, size = Workspace{}, 0
		return nil
	}
	add := func(n int, put func()) error {
		if size > 0 && size+n > pushBatchBytes {
			if err := flush(); err != nil {
				return err
			}
		}
		put()
		size += n
		return nil
	}
	for _, m := range msgs {
		if err := add(len(m.Raw)+256, func() { batch.Messages = append(batch.Messages, m) }); err != nil {
			return err
		}
	}
	for _, e := range ws.Events {
		if err := add(len(e.Description)+1024, func() { batch.Events = append(batch.Events, e) }); err != nil {
			return err
		}
	}
	for _, f := range ws.Files {
		if err := add(len(f.Content)+len(f.Description)+1024, func() { batch.Files = append(batch.Files, f) }); err != nil {
			return err
		}
	}
	return flush()
}

// post sends one batch.
func (c Client) post(ctx context.Context, email string, ws Workspace) error {
	body, err := json.Marshal(ws)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	u := c.BaseURL + "/emulator/users/" + url.PathEscape(email) + "/workspace"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http().Do(req)
	if err != nil {
		return fmt.Errorf("add to the emulator: %w: %w", domain.ErrUnavailable, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error string `json:"error"`
		}
		_ = json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&e)
		return fmt.Errorf("add to the emulator: HTTP %d: %s: %w", resp.StatusCode, e.Error, domain.ErrInvalidInput)
	}
	return nil
}
