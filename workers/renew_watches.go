package workers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"golang.org/x/sync/errgroup"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/ingest"
)

// MailWatcher opens Gmail watches; *gmailapi.Gmail is one.
type MailWatcher interface {
	// Watch has Gmail publish every change of the user's mailbox to the
	// Pub/Sub topic until the expiry returned.
	Watch(ctx context.Context, userID uuid.UUID, topic string) (time.Time, error)
}

// ChannelWatcher opens and stops Calendar or Drive notification channels;
// *calendarapi.Calendar and *driveapi.Drive are ones.
type ChannelWatcher interface {
	// Watch has Google POST to address, with token, on every change until
	// the expiry of the watch returned, which names its channel.
	Watch(ctx context.Context, userID uuid.UUID, address, token string) (ingest.Watch, error)
	// Stop closes a channel; one already gone is a domain.ErrNotFound.
	Stop(ctx context.Context, userID uuid.UUID, ch ingest.Channel) error
}

// ChannelTokens signs the token a channel carries to the webhook, naming its
// user; webhook.Tokens is one.
type ChannelTokens interface {
	ChannelToken(userID uuid.UUID, s domain.Service) string
}

// Watches are what the renew_watches worker needs. Gmail watches are opened
// when GmailTopic is set, Calendar and Drive channels when WebhookURL is;
// at least one must be.
type Watches struct {
	// Store records each watch's expiry. Required.
	Store ingest.WatchStore
	// Gmail publishes to GmailTopic (projects/P/topics/T), whose push
	// subscription delivers to the webhook.
	Gmail      MailWatcher
	GmailTopic string
	// Calendar and Drive notify WebhookURL + "/calendar" and "/drive" (the
	// webhook handler's routes, WebhookURL being where it is mounted) with a
	// token from Tokens.
	Calendar, Drive ChannelWatcher
	WebhookURL      string
	Tokens          ChannelTokens
}

func (w Watches) validate() error {
	switch {
	case w.Store == nil:
		return errors.New("Watches.Store is required")
	case w.GmailTopic == "" && w.WebhookURL == "":
		return errors.New("Watches needs a GmailTopic, a WebhookURL or both")
	case w.GmailTopic != "" && w.Gmail == nil:
		return errors.New("Watches.Gmail is required with a GmailTopic")
	case w.WebhookURL != "" && (w.Calendar == nil || w.Drive == nil || w.Tokens == nil):
		return errors.New("Watches.Calendar, Drive and Tokens are required with a WebhookURL")
	}
	return nil
}

// RenewWatchesEvery is how often renew_watches runs; it also runs when the
// River leader starts, so a new deployment opens its watches at once.
const RenewWatchesEvery = time.Hour

// WatchMargin is how long before its expiry a watch is renewed: many runs
// of RenewWatchesEvery, so hours of failing Google calls still leave the
// watch time to be renewed. Gmail watches last 7 days; Calendar and Drive
// channels as long as Google grants.
const WatchMargin = 24 * time.Hour

// watchConcurrency is how many users' watches are opened at once.
const watchConcurrency = 8

// RenewWatchesArgs asks for every missing or expiring push watch to be opened.
type RenewWatchesArgs struct{}

// Kind is permanent: renaming it strands the jobs already queued.
func (RenewWatchesArgs) Kind() string { return "renew_watches" }

// InsertOpts keeps one renew_watches waiting or running at a time.
func (RenewWatchesArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByState: uniqueStates}}
}

// RenewWatchesJob returns the args and insert options of a renew_watches
// job; New schedules it already when Deps.Watches is set.
func RenewWatchesJob() (river.JobArgs, *river.InsertOpts) {
	opts := RenewWatchesArgs{}.InsertOpts()
	return RenewWatchesArgs{}, &opts
}

// RenewWatchesWorker opens, for every user connected to Google, each
// configured service's watch that is missing or expires within WatchMargin,
// records it, and stops the Calendar or Drive channel it supersedes, so
// Google does not notify twice until that one expires. Failing to stop is
// only logged: the old channel still expires by itself, and the new one is
// open. One user's failure does not stop the others: a user needing
// re-authorisation is skipped (reconnecting clears the way), and any other
// error is retried once every user has been tried, as Outcome maps it; the
// watches recorded meanwhile are not opened again.
type RenewWatchesWorker struct {
	river.WorkerDefaults[RenewWatchesArgs]
	w        Watches
	services []domain.Service
	channels map[domain.Service]ChannelWatcher
	// timeout bounds one run (Deps.JobTimeout); a run cut short is retried
	// and opens only the watches it had not recorded yet.
	timeout time.Duration
	clock   domain.Clock
	log     *slog.Logger
}

func newRenewWatchesWorker(w Watches, timeout time.Duration, clock domain.Clock, log *slog.Logger) (*RenewWatchesWorker, error) {
	if err := w.validate(); err != nil {
		return nil, fmt.Errorf("workers: %w: %w", err, domain.ErrInvalidInput)
	}
	rw := &RenewWatchesWorker{w: w, channels: map[domain.Service]ChannelWatcher{}, timeout: timeout, clock: clock, log: log}
	if w.GmailTopic != "" {
		rw.services = append(rw.services, domain.ServiceGmail)
	}
	if w.WebhookURL != "" {
		rw.w.WebhookURL = strings.TrimSuffix(w.WebhookURL, "/")
		rw.channels[domain.ServiceCalendar], rw.channels[domain.ServiceDrive] = w.Calendar, w.Drive
		rw.services = append(rw.services, domain.ServiceCalendar, domain.ServiceDrive)
	}
	return rw, nil
}

func (w *RenewWatchesWorker) Work(ctx context.Context, job *river.Job[RenewWatchesArgs]) error {
	due, err := w.w.Store.DueWatches(ctx, w.services, w.clock.Now().Add(WatchMargin))
	if err != nil {
		return fmt.Errorf("renew watches: %w", err)
	}
	var (
		mu             sync.Mutex
		opened, reauth int
		errs           []error
	)
	var g errgroup.Group
	g.SetLimit(watchConcurrency)
	for len(due) > 0 {
		// due is ordered by user: take one user's watches at a time.
		n := 1
		for n < len(due) && due[n].UserID == due[0].UserID {
			n++
		}
		user := due[:n]
		due = due[n:]
		g.Go(func() error {
			o, err := w.renew(ctx, user)
			mu.Lock()
			defer mu.Unlock()
			opened += o
			switch {
			case errors.Is(err, domain.ErrReauthRequired):
				reauth++
			case err != nil:
				errs = append(errs, err)
			}
			return nil
		})
	}
	_ = g.Wait() // the goroutines report through errs
	if len(errs) > 0 {
		err := errors.Join(errs...)
		w.log.WarnContext(ctx, "renew watches did not finish", "attempt", job.Attempt, "opened", opened,
			"needs_reauth", reauth, "failed", len(errs), "err", err)
		return Outcome(err)
	}
	w.log.InfoContext(ctx, "renewed watches", "opened", opened, "needs_reauth", reauth)
	return nil
}

// renew opens and records the watches of one user, all of them the user's.
// It goes on past a failed one, but stops at the first that says the account
// needs re-authorisation: the others would say the same.
func (w *RenewWatchesWorker) renew(ctx context.Context, watches []ingest.Watch) (opened int, err error) {
	var errs []error
	for _, wt := range watches {
		renewed, err := w.open(ctx, wt.UserID, wt.Service)
		if err == nil {
			err = w.w.Store.SaveWatch(ctx, renewed)
		}
		if err != nil {
			err = fmt.Errorf("%s watch of user %s: %w", wt.Service, wt.UserID, err)
			if errors.Is(err, domain.ErrReauthRequired) {
				return opened, err
			}
			errs = append(errs, err)
			continue
		}
		opened++
		if wt.Channel != (ingest.Channel{}) {
			w.stop(ctx, wt)
		}
	}
	return opened, errors.Join(errs...)
}

func (w *RenewWatchesWorker) open(ctx context.Context, userID uuid.UUID, s domain.Service) (ingest.Watch, error) {
	if s == domain.ServiceGmail {
		expires, err := w.w.Gmail.Watch(ctx, userID, w.w.GmailTopic)
		return ingest.Watch{UserID: userID, Service: s, Expires: expires}, err
	}
	// The webhook handler serves each service's channels at its name.
	return w.channels[s].Watch(ctx, userID, w.w.WebhookURL+"/"+string(s), w.w.Tokens.ChannelToken(userID, s))
}

// stop closes the channel of old, which a renewal superseded.
func (w *RenewWatchesWorker) stop(ctx context.Context, old ingest.Watch) {
	err := w.channels[old.Service].Stop(ctx, old.UserID, old.Channel)
	switch {
	case err == nil:
	case errors.Is(err, domain.ErrNotFound): // it expired, or went with the grant of an account that reconnected
		w.log.DebugContext(ctx, "superseded channel already gone", "user", old.UserID, "service", old.Service, "channel", old.Channel.ID)
	default:
		w.log.WarnContext(ctx, "could not stop superseded channel; it notifies until it expires",
			"user", old.UserID, "service", old.Service, "channel", old.Channel.ID, "expires", old.Expires, "err", err)
	}
}

func (w *RenewWatchesWorker) Timeout(*river.Job[RenewWatchesArgs]) time.Duration {
	return w.timeout
}

func (w *RenewWatchesWorker) NextRetry(job *river.Job[RenewWatchesArgs]) time.Time {
	return time.Now().Add(Backoff(job.Attempt))
}

// renewWatchesPeriodic enqueues a renew_watches job at start and every
// RenewWatchesEvery.
func renewWatchesPeriodic() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(RenewWatchesEvery), RenewWatchesJob,
		&river.PeriodicJobOpts{RunOnStart: true, ID: RenewWatchesArgs{}.Kind()})
}
