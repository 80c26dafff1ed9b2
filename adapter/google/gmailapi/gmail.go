// Package gmailapi reads and writes a user's Gmail through the Gmail v1 REST
// API (google.golang.org/api/gmail/v1): the ingest.GmailSource the sync reads
// from and the domain.Mailer the assistant writes drafts with.
package gmailapi

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"golang.org/x/sync/errgroup"
	"google.golang.org/api/gmail/v1"

	"github.com/workspace-orchestrator/orchestrator/adapter/google/gclient"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/ingest"
)

// Config configures a Gmail.
type Config struct {
	// Client configures the HTTP clients (base URL, auth, quota). Auth is required.
	Client gclient.Config
	// PageSize is messages.list's maxResults. Defaults to DefaultPageSize
	// (500, Gmail's maximum).
	PageSize int
	// Workers is how many messages.get calls run at once. Defaults to
	// DefaultWorkers (8).
	Workers int
}

// Defaults of Config.
const (
	DefaultPageSize = 500
	DefaultWorkers  = 8
)

// WithDefaults fills zero fields with their defaults.
func (c Config) WithDefaults() Config {
	c.PageSize = cmp.Or(c.PageSize, DefaultPageSize)
	c.Workers = cmp.Or(c.Workers, DefaultWorkers)
	return c
}

func (c Config) validate() error {
	if c.PageSize < 1 || c.PageSize > 500 {
		return fmt.Errorf("gmailapi: PageSize must be in 1..500, got %d: %w", c.PageSize, domain.ErrInvalidInput)
	}
	if c.Workers < 1 {
		return fmt.Errorf("gmailapi: Workers must be >= 1, got %d: %w", c.Workers, domain.ErrInvalidInput)
	}
	return nil
}

// Deps are what the write side needs to put its results in the cache at
// once, through ingest.WriteBack (whose rule is that a failed cache write
// never fails the Google write).
type Deps struct {
	// Writer receives every draft and sent message. Required.
	Writer domain.WorkspaceWriter
	// Embedder embeds them first. Optional: without it they are cached
	// unembedded until the next sync.
	Embedder domain.Embedder
	Logger   *slog.Logger
}

// Gmail implements ingest.GmailSource and domain.Mailer.
type Gmail struct {
	cfg     Config
	clients *gclient.Clients
	cache   ingest.WriteBack
}

var (
	_ ingest.GmailSource = (*Gmail)(nil)
	_ domain.Mailer      = (*Gmail)(nil)
)

// New returns a Gmail.
func New(cfg Config, d Deps) (*Gmail, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if d.Writer == nil || d.Logger == nil {
		return nil, fmt.Errorf("gmailapi: Deps.Writer and Deps.Logger are required: %w", domain.ErrInvalidInput)
	}
	clients, err := gclient.New(cfg.Client, domain.ServiceGmail, cost)
	if err != nil {
		return nil, err
	}
	return &Gmail{cfg: cfg, clients: clients, cache: ingest.WriteBack{Writer: d.Writer, Embedder: d.Embedder, Logger: d.Logger}}, nil
}

// cost is Gmail's per-user quota units per method
// (https://developers.google.com/gmail/api/reference/quota).
func cost(r *http.Request) (string, int) {
	p := strings.TrimSuffix(r.URL.Path, "/")
	switch {
	case strings.HasSuffix(p, "/drafts/send"), strings.HasSuffix(p, "/messages/send"):
		return "send", 100
	case strings.HasSuffix(p, "/history"):
		return "history.list", 2
	case strings.HasSuffix(p, "/profile"), strings.HasSuffix(p, "/labels"):
		return "profile/labels", 1
	case strings.Contains(p, "/drafts"):
		if r.Method == http.MethodGet {
			return "drafts.get", 5
		}
		return "drafts.write", 10
	default:
		return "messages", 5
	}
}

func (g *Gmail) service(ctx context.Context, userID uuid.UUID) (*gmail.Service, error) {
	s, err := gmail.NewService(ctx, g.clients.Options(userID, "/")...)
	if err != nil {
		return nil, fmt.Errorf("gmail client: %w", err)
	}
	return s, nil
}

// HistoryID returns the mailbox's current history id.
func (g *Gmail) HistoryID(ctx context.Context, userID uuid.UUID) (uint64, error) {
	s, err := g.service(ctx, userID)
	if err != nil {
		return 0, err
	}
	p, err := s.Users.GetProfile("me").Context(ctx).Do()
	if err != nil {
		return 0, gclient.Err(err, "gmail users.getProfile")
	}
	return p.HistoryId, nil
}

// ListMessages returns one page of message ids (trash and spam left out).
func (g *Gmail) ListMessages(ctx context.Context, userID uuid.UUID, pageToken string) ([]string, string, error) {
	s, err := g.service(ctx, userID)
	if err != nil {
		return nil, "", err
	}
	call := s.Users.Messages.List("me").MaxResults(int64(g.cfg.PageSize)).Fields("messages/id", "nextPageToken").Context(ctx)
	if pageToken != "" {
		call = call.PageToken(pageToken)
	}
	r, err := call.Do()
	if err != nil {
		return nil, "", gclient.Err(err, "gmail messages.list")
	}
	ids := make([]string, len(r.Messages))
	for i, m := range r.Messages {
		ids[i] = m.Id
	}
	return ids, r.NextPageToken, nil
}

// GetMessages fetches messages in full, Workers at a time, in the order
// given; ids that no longer exist or now sit in trash or spam are left out.
func (g *Gmail) GetMessages(ctx context.Context, userID uuid.UUID, ids []string) ([]domain.Email, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	s, err := g.service(ctx, userID)
	if err != nil {
		return nil, err
	}
	names, err := labelNames(ctx, s)
	if err != nil {
		return nil, err
	}
	got := make([]*gmail.Message, len(ids))
	eg, ectx := errgroup.WithContext(ctx)
	eg.SetLimit(g.cfg.Workers)
	for i, id := range ids {
		eg.Go(func() error {
			m, err := s.Users.Messages.Get("me", id).Format("full").Context(ectx).Do()
			if gclient.Code(err) == http.StatusNotFound {
				return nil
			}
			if err != nil {
				return gclient.Err(err, "gmail messages.get "+id)
			}
			got[i] = m
			return nil
		})
	}
	if err := eg.Wait(); err != nil {
		return nil, err
	}
	out := make([]domain.Email, 0, len(ids))
	for _, m := range got {
		if m == nil || hasLabel(m, "TRASH") || hasLabel(m, "SPAM") {
			continue
		}
		out = append(out, toEmail(m, names))
	}
	return out, nil
}

// History returns one page of changes since startHistoryID.
func (g *Gmail) History(ctx context.Context, userID uuid.UUID, startHistoryID uint64, pageToken string) (ingest.GmailHistory, error) {
	s, err := g.service(ctx, userID)
	if err != nil {
		return ingest.GmailHistory{}, err
	}
	call := s.Users.History.List("me").StartHistoryId(startHistoryID).MaxResults(500).Context(ctx)
	if pageToken != "" {
		call = call.PageToken(pageToken)
	}
	r, err := call.Do()
	if gclient.Code(err) == http.StatusNotFound {
		return ingest.GmailHistory{}, fmt.Errorf("gmail history.list from %d: %w", startHistoryID, domain.ErrSyncTokenExpired)
	}
	if err != nil {
		return ingest.GmailHistory{}, gclient.Err(err, "gmail history.list")
	}
	h := ingest.GmailHistory{Next: r.NextPageToken, HistoryID: r.HistoryId}
	for _, rec := range r.History {
		for _, a := range rec.MessagesAdded {
			h.Changed = append(h.Changed, a.Message.Id)
		}
		for _, a := range rec.LabelsAdded {
			h.Changed = append(h.Changed, a.Message.Id)
		}
		for _, a := range rec.LabelsRemoved {
			h.Changed = append(h.Changed, a.Message.Id)
		}
		for _, d := range rec.MessagesDeleted {
			h.Deleted = append(h.Deleted, d.Message.Id)
		}
	}
	return h, nil
}

// labelNames maps label ids to names, for user labels whose ids are opaque.
func labelNames(ctx context.Context, s *gmail.Service) (map[string]string, error) {
	r, err := s.Users.Labels.List("me").Context(ctx).Do()
	if err != nil {
		return nil, gclient.Err(err, "gmail labels.list")
	}
	names := make(map[string]string, len(r.Labels))
	for _, l := range r.Labels {
		names[l.Id] = l.Name
	}
	return names, nil
}

func hasLabel(m *gmail.Message, label string) bool { return slices.Contains(m.LabelIds, label) }

// Watch asks Gmail to publish the user's mailbox changes to a Pub/Sub topic
// ("projects/P/topics/T"); renew it before the expiry returned (Google asks
// for once a day).
func (g *Gmail) Watch(ctx context.Context, userID uuid.UUID, topic string) (time.Time, error) {
	s, err := g.service(ctx, userID)
	if err != nil {
		return time.Time{}, err
	}
	r, err := s.Users.Watch("me", &gmail.WatchRequest{TopicName: topic}).Context(ctx).Do()
	if err != nil {
		return time.Time{}, gclient.Err(err, "gmail users.watch")
	}
	return time.UnixMilli(r.Expiration).UTC(), nil
}
