package ingest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// Deps are the ports a Syncer works through.
type Deps struct {
	Gmail    GmailSource
	Calendar CalendarSource
	Drive    DriveSource
	Users    domain.UserStore
	Writer   domain.WorkspaceWriter
	// Reader counts the cached items after a sync (PageInfo.TotalCount).
	Reader   domain.WorkspaceReader
	Status   domain.SyncStatusStore
	Tx       domain.TxRunner
	Embedder domain.Embedder
	// Index, when set, tidies the search index once a sync is done.
	Index  IndexKeeper
	Clock  domain.Clock
	Logger *slog.Logger
}

// IndexKeeper tidies a service's search index after a sync.
type IndexKeeper interface {
	// MergeIndex folds what the sync's writes appended to the index into its
	// packed form: rewritten once per sync instead of once per write, the
	// index stays near the size a rebuild gives it.
	MergeIndex(ctx context.Context, userID uuid.UUID, s domain.Service) error
	// RefreshStats refreshes the database statistics of a service's cache
	// and index: a bulk load leaves them empty until autovacuum runs, and
	// the search plans chosen meanwhile were measured 20x slower.
	RefreshStats(ctx context.Context, s domain.Service) error
}

// Defaults of Config.
const (
	DefaultEmbedBatch   = 64
	DefaultMaxTextBytes = 8000
)

// Config tunes a Syncer.
type Config struct {
	// EmbedBatch is how many texts go to the embedder at once. Defaults to
	// DefaultEmbedBatch (64).
	EmbedBatch int
	// MaxTextBytes caps the text embedded per item (the head is kept).
	// Defaults to DefaultMaxTextBytes (8000).
	MaxTextBytes int
}

// WithDefaults fills zero fields with their defaults.
func (c Config) WithDefaults() Config {
	c.EmbedBatch = cmp.Or(c.EmbedBatch, DefaultEmbedBatch)
	c.MaxTextBytes = cmp.Or(c.MaxTextBytes, DefaultMaxTextBytes)
	return c
}

func (c Config) validate() error {
	if c.EmbedBatch < 1 {
		return fmt.Errorf("ingest: EmbedBatch must be >= 1, got %d", c.EmbedBatch)
	}
	if c.MaxTextBytes < 1 {
		return fmt.Errorf("ingest: MaxTextBytes must be >= 1, got %d", c.MaxTextBytes)
	}
	return nil
}

// Syncer syncs one (user, service) at a time; callers (the River workers)
// make sure two syncs of one user's service never overlap.
type Syncer struct {
	d   Deps
	cfg Config
}

// New returns a Syncer.
func New(d Deps, cfg Config) (*Syncer, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	for name, p := range map[string]any{
		"Gmail": d.Gmail, "Calendar": d.Calendar, "Drive": d.Drive, "Users": d.Users,
		"Writer": d.Writer, "Reader": d.Reader, "Status": d.Status, "Tx": d.Tx,
		"Embedder": d.Embedder, "Clock": d.Clock, "Logger": d.Logger,
	} {
		if p == nil {
			return nil, fmt.Errorf("ingest: Deps.%s is required", name)
		}
	}
	return &Syncer{d: d, cfg: cfg}, nil
}

// Sync brings the user's cache of service s up to date: a full sync (resumed
// from its checkpoint) when there is no sync token yet, an incremental one
// otherwise, and a full sync replacing the cache when Google no longer
// accepts the token.
// It returns ErrReauthRequired, without touching anything, for an account
// that needs re-authorisation.
func (s *Syncer) Sync(ctx context.Context, userID uuid.UUID, svc domain.Service) error {
	if !svc.Valid() {
		return fmt.Errorf("sync %q: %w: unknown service", svc, domain.ErrInvalidInput)
	}
	st, err := s.d.Status.SyncStatus(ctx, userID, svc)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		st = domain.SyncStatus{UserID: userID, Service: svc, State: domain.SyncNeverSynced}
	case err != nil:
		return fmt.Errorf("sync %s: status: %w", svc, err)
	}
	u, err := s.d.Users.UserByID(ctx, userID)
	if err != nil {
		return fmt.Errorf("sync %s: user: %w", svc, err)
	}
	if u.NeedsReauth {
		return s.fail(ctx, st, fmt.Errorf("sync %s of %s: %w", svc, userID, domain.ErrReauthRequired))
	}
	st.State, st.Error = domain.SyncRunning, ""
	if err := s.save(ctx, &st); err != nil {
		return err
	}
	src := s.source(svc)
	log := s.d.Logger.With("user", userID, "service", svc)

	if st.Token != "" && st.Checkpoint == "" {
		err = s.incremental(ctx, src, &st)
	} else {
		err = s.full(ctx, src, &st)
	}
	if errors.Is(err, domain.ErrSyncTokenExpired) {
		// The cache stays as it is until the new full sync's last page
		// commits: a failure meanwhile leaves it searchable, not empty.
		log.InfoContext(ctx, "sync token expired: replacing the cache with a full sync", "err", err)
		st.Token, st.Checkpoint, st.StartToken = "", "", ""
		if err = s.save(ctx, &st); err == nil {
			err = s.full(ctx, src, &st)
		}
	}
	if err != nil {
		return s.fail(ctx, st, err)
	}
	if n, err := s.count(ctx, userID, svc); err == nil {
		st.ItemCount = n
	} else {
		log.WarnContext(ctx, "counting cached items", "err", err)
	}
	st.State, st.Error, st.LastSyncAt = domain.SyncIdle, "", s.d.Clock.Now()
	if err := s.save(ctx, &st); err != nil {
		return err
	}
	log.InfoContext(ctx, "synced", "items", st.ItemCount)
	return nil
}

// full lists everything from the checkpoint on, committing each page with the
// checkpoint that follows it. A full sync from the start replaces the cache:
// its first page marks what is cached stale and its last page deletes what
// no page rewrote. The token taken before it is kept as StartToken and
// becomes Token only with the last page, so a full sync that fails at any
// point is resumed or restarted, never taken for finished.
func (s *Syncer) full(ctx context.Context, src source, st *domain.SyncStatus) error {
	start, fresh := st.StartToken, st.Checkpoint == ""
	if fresh {
		var err error
		if start, err = src.start(ctx, st.UserID); err != nil {
			return fmt.Errorf("full sync of %s: start token: %w", st.Service, err)
		}
	}
	pageToken := st.Checkpoint
	for {
		b, err := src.fullPage(ctx, st.UserID, pageToken)
		if err != nil && !fresh && pageToken == st.Checkpoint && errors.Is(err, domain.ErrInvalidInput) {
			// Google no longer accepts the page token saved before a crash:
			// what changed meanwhile is unknown, so start afresh.
			return fmt.Errorf("full sync of %s: checkpoint %q refused: %w: %w", st.Service, pageToken, domain.ErrSyncTokenExpired, err)
		}
		if err != nil {
			return fmt.Errorf("full sync of %s: page %q: %w", st.Service, pageToken, err)
		}
		b.first, b.last = fresh, b.next == ""
		if err := s.apply(ctx, st, b, func(st *domain.SyncStatus) {
			st.Checkpoint, st.StartToken = b.next, start
			if b.first {
				st.ItemCount = 0
			}
			if b.next == "" {
				st.Token, st.StartToken = cmp.Or(b.token, start), ""
			}
		}); err != nil {
			return fmt.Errorf("full sync of %s: %w", st.Service, err)
		}
		if b.next == "" {
			s.tidyIndex(ctx, st, true)
			return nil
		}
		fresh, pageToken = false, b.next
	}
}

// incremental applies the changes since st.Token. Pages are applied in order
// and the token moves only with the last one: re-applying a change is
// harmless (upserts and deletes by Google id), so a crash just repeats pages.
func (s *Syncer) incremental(ctx context.Context, src source, st *domain.SyncStatus) error {
	pageToken := ""
	for {
		b, err := src.changesPage(ctx, st.UserID, st.Token, pageToken)
		if err != nil {
			return fmt.Errorf("incremental sync of %s: %w", st.Service, err)
		}
		if err := s.apply(ctx, st, b, func(st *domain.SyncStatus) {
			if b.next == "" {
				st.Token = b.token
			}
		}); err != nil {
			return fmt.Errorf("incremental sync of %s: %w", st.Service, err)
		}
		if b.next == "" {
			s.tidyIndex(ctx, st, false)
			return nil
		}
		pageToken = b.next
	}
}

// tidyIndex merges the index's tail the sync's pages left and, after a full
// sync, refreshes the statistics, in that order so that they count the
// merged rows. Neither changes what a search finds, so a failure is logged
// and the next sync merges what is left.
func (s *Syncer) tidyIndex(ctx context.Context, st *domain.SyncStatus, full bool) {
	if s.d.Index == nil {
		return
	}
	if err := s.d.Index.MergeIndex(ctx, st.UserID, st.Service); err != nil {
		s.d.Logger.WarnContext(ctx, "merging the search index after a sync", "service", st.Service, "err", err)
	}
	if !full {
		return
	}
	if err := s.d.Index.RefreshStats(ctx, st.Service); err != nil {
		s.d.Logger.WarnContext(ctx, "refreshing statistics after a full sync", "service", st.Service, "err", err)
	}
}

// apply embeds one page and writes it and the status it leads to in one
// transaction; st changes only when that transaction commits.
func (s *Syncer) apply(ctx context.Context, st *domain.SyncStatus, b batch, advance func(*domain.SyncStatus)) error {
	if err := s.embed(ctx, &b); err != nil {
		return err
	}
	next := *st
	advance(&next)
	next.ItemCount += b.size()
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		if b.first {
			if err := s.d.Writer.MarkStale(ctx, st.UserID, st.Service); err != nil {
				return fmt.Errorf("mark the %s cache stale: %w", st.Service, err)
			}
		}
		if err := b.write(ctx, s.d.Writer, st.UserID, st.Service); err != nil {
			return err
		}
		if b.last {
			if err := s.d.Writer.DeleteStale(ctx, st.UserID, st.Service); err != nil {
				return fmt.Errorf("delete what the full sync of %s did not find: %w", st.Service, err)
			}
		}
		return s.save(ctx, &next)
	})
	if err != nil {
		return err
	}
	*st = next
	return nil
}

// embed computes the vectors of every item of b.
func (s *Syncer) embed(ctx context.Context, b *batch) error {
	return embedBatch(ctx, s.d.Embedder, s.cfg, b)
}

func (s *Syncer) fail(ctx context.Context, st domain.SyncStatus, cause error) error {
	// The status writes must land even when ctx was cancelled (a worker
	// stopping). A page may have committed although its transaction reported
	// an error (ctx cancelled during the commit), so the stored status, not
	// st, says where the sync stands: only its state and error change.
	bg := context.WithoutCancel(ctx)
	if stored, err := s.d.Status.SyncStatus(bg, st.UserID, st.Service); err == nil {
		st = stored
	}
	st.State, st.Error = domain.SyncFailed, cause.Error()
	var wait *domain.RetryAfterError
	switch {
	case errors.Is(cause, domain.ErrReauthRequired):
		st.State = domain.SyncReauth
	case errors.As(cause, &wait) && wait.RetryAfter > 0:
		st.State = domain.SyncRateLimited
		st.Error = fmt.Sprintf("Google asked to wait %ds; the sync resumes by itself", wait.RetryAfter)
	case ctx.Err() != nil:
		// Cut short (the job's time slice ended, the worker is stopping):
		// the job goes on from the last commit, so this is no failure.
		st.State, st.Error = domain.SyncRunning, "interrupted; resumes from where it stopped"
	}
	if err := s.save(bg, &st); err != nil {
		s.d.Logger.ErrorContext(ctx, "saving failed sync status", "err", err, "cause", cause)
	}
	return cause
}

func (s *Syncer) save(ctx context.Context, st *domain.SyncStatus) error {
	st.UpdatedAt = s.d.Clock.Now()
	if err := s.d.Status.SaveSyncStatus(ctx, *st); err != nil {
		return fmt.Errorf("save %s sync status: %w", st.Service, err)
	}
	return nil
}

func (s *Syncer) count(ctx context.Context, userID uuid.UUID, svc domain.Service) (int, error) {
	one := domain.Page{First: 1}
	var info domain.PageInfo
	var err error
	switch svc {
	case domain.ServiceGmail:
		_, info, err = s.d.Reader.Emails(ctx, userID, domain.Filter{}, one)
	case domain.ServiceCalendar:
		_, info, err = s.d.Reader.Events(ctx, userID, domain.Filter{}, one)
	default:
		_, info, err = s.d.Reader.Files(ctx, userID, domain.Filter{}, one)
	}
	return info.TotalCount, err
}

func (s *Syncer) source(svc domain.Service) source {
	switch svc {
	case domain.ServiceGmail:
		return gmailSource{s.d.Gmail}
	case domain.ServiceCalendar:
		return calendarSource{s.d.Calendar}
	default:
		return driveSource{s.d.Drive}
	}
}

// Truncate keeps at most n bytes of s without splitting a rune: what a sync
// embeds of a text of more than Config.MaxTextBytes.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func formatUint(v uint64) string { return strconv.FormatUint(v, 10) }
