package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/riverqueue/river/rivertype"
	"github.com/spf13/cobra"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
	"github.com/workspace-orchestrator/orchestrator/adapter/emulator/importer"
	"github.com/workspace-orchestrator/orchestrator/adapter/jobqueue"
	"github.com/workspace-orchestrator/orchestrator/cmd/orchestrator/config"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/ingest"
	"github.com/workspace-orchestrator/orchestrator/workers"
)

// importOptions are the import command's flags: one source, its user.
type importOptions struct {
	User                                       string
	Maildir, Mbox, EML, ICS, EventsJSONL, Docs string
	NoWait                                     bool
	WorkerWait                                 time.Duration // until a missing worker is reported
	PollEvery                                  time.Duration
}

var importSources = []string{"maildir", "mbox", "eml", "ics", "events-jsonl", "docs"}

func importCmd(c *cli) *cobra.Command {
	var o importOptions
	cmd := &cobra.Command{
		Use:   "import --user EMAIL (--maildir DIR | --mbox FILE | --eml DIR | --ics FILE | --events-jsonl FILE | --docs DIR)",
		Short: "Load local mail, events or documents into a user's emulated workspace and sync them",
		Long: `Load local data (a Google Takeout export, a maildir, a folder of documents...)
into the user's workspace in the Workspace emulator, then sync it into the
orchestrator through the same pipeline as any change: the user is connected
(OAuth against the emulator), sync jobs are queued at urgent priority and a
running worker (` + "`orchestrator all` or `orchestrator worker`" + `) syncs them. Progress is
shown per service until the sync has finished, unless --no-wait.

Copies of one message filed in several folders (same sender, date, subject and
body) become one message labelled with every folder, keeping each copy's
Message-ID. Files that cannot be read or parsed are listed with the reason and
skipped; everything else is imported. Importing the same data again replaces
what the last import brought instead of duplicating it.

Works only against the emulator: GOOGLE_URL empty (the built-in emulator on
EMULATOR_ADDR, as run by ` + "`orchestrator all`" + `) or the URL of one
(` + "`orchestrator emulator`" + `). A real Google account is not written to.`,
		Example: "  orchestrator import --user demo@example.com --mbox ~/Takeout/Mail/All\\ mail.mbox\n" +
			"  orchestrator import --user demo@example.com --docs ./notes --no-wait",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return c.runImport(cmd.Context(), o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.User, "user", "", "the account to import into (required; created when missing)")
	f.StringVar(&o.Maildir, "maildir", "", "a maildir or folder tree of messages; folders become labels")
	f.StringVar(&o.Mbox, "mbox", "", "an mbox file (Takeout's X-Gmail-Labels become labels)")
	f.StringVar(&o.EML, "eml", "", "a folder tree of .eml files; folders become labels")
	f.StringVar(&o.ICS, "ics", "", "an iCalendar (.ics) file of events")
	f.StringVar(&o.EventsJSONL, "events-jsonl", "", "a JSONL file of meetings (uid, group, title, date, attendees, agenda)")
	f.StringVar(&o.Docs, "docs", "", "a folder of .md/.txt documents (JSON sidecars) or KEP directories")
	f.BoolVar(&o.NoWait, "no-wait", false, "return once the sync jobs are queued")
	f.DurationVar(&o.WorkerWait, "worker-wait", 30*time.Second, "how long a job may wait for a worker before saying none runs")
	f.DurationVar(&o.PollEvery, "poll", 200*time.Millisecond, "how often progress is read")
	_ = f.MarkHidden("worker-wait")
	_ = f.MarkHidden("poll")
	_ = cmd.MarkFlagRequired("user")
	cmd.MarkFlagsOneRequired(importSources...)
	cmd.MarkFlagsMutuallyExclusive(importSources...)
	return cmd
}

func (c *cli) runImport(ctx context.Context, o importOptions) error {
	user, err := emailFlag("--user", o.User)
	if err != nil {
		return err
	}
	o.User = user
	cfg, err := c.config()
	if err != nil {
		return err
	}
	base := googleBaseURL(cfg)
	if err := checkEmulator(ctx, cfg); err != nil {
		return err
	}
	source, ws, skipped, err := o.load()
	if err != nil {
		return err
	}
	for _, e := range skipped {
		fmt.Fprintf(c.stdout, "skipped %s: %s\n", e.Path, e.Reason)
	}
	services := affected(ws)
	if len(services) == 0 {
		if len(skipped) > 0 {
			return fmt.Errorf("import: nothing could be read from %s (%d skipped)", source, len(skipped))
		}
		fmt.Fprintf(c.stdout, "nothing to import from %s\n", source)
		return nil
	}
	fmt.Fprintf(c.stdout, "read %s: %d messages, %d events, %d files (%d skipped)\n",
		source, len(ws.Messages), len(ws.Events), len(ws.Files), len(skipped))
	if n := binned(ws); n > 0 {
		fmt.Fprintf(c.stdout, "%d of the messages are in Trash or Spam, which sync leaves out as Gmail's lists do\n", n)
	}

	a, err := c.openApp(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	u, err := a.connectGoogle(ctx, o.User)
	if err != nil {
		return err
	}
	stableIDs(&ws)
	if err := (emulator.Client{BaseURL: base}).AddWorkspace(ctx, u.Email, ws); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	fmt.Fprintf(c.stdout, "added to %s's workspace in the emulator at %s\n", u.Email, base)

	q, err := jobqueue.New(a.db.SQL, jobqueue.Config{Logger: a.log})
	if err != nil {
		return err
	}
	w := &syncWait{q: q, a: a, user: u, out: c.stdout, opts: o}
	for _, s := range services {
		if err := w.enqueue(ctx, s); err != nil {
			return err
		}
	}
	if o.NoWait {
		fmt.Fprintf(c.stdout, "queued %s sync; a worker (`orchestrator all` or `orchestrator worker`) runs it\n", joinServices(services))
		return nil
	}
	return w.wait(ctx)
}

// checkEmulator fails unless the Google endpoint in use is a Workspace
// emulator, saying what to run instead.
func checkEmulator(ctx context.Context, cfg config.Config) error {
	base := googleBaseURL(cfg)
	_, err := emulator.Client{BaseURL: base}.Users(ctx)
	switch {
	case errors.Is(err, domain.ErrUnavailable) && cfg.GoogleURL == "":
		return fmt.Errorf("import: no Workspace emulator answers at %s (EMULATOR_ADDR): start `orchestrator all`, "+
			"which runs it while GOOGLE_URL is empty, or `orchestrator emulator`: %w", base, domain.ErrUnavailable)
	case errors.Is(err, domain.ErrUnavailable):
		return fmt.Errorf("import: GOOGLE_URL %w", err)
	case err != nil:
		return fmt.Errorf("import: GOOGLE_URL %w; import writes into the emulator only, never into a real Google account", err)
	}
	return nil
}

// load runs the loader of the chosen source. Items that failed inside a file
// are named "<file>#<line or id>".
func (o importOptions) load() (string, emulator.Workspace, []importer.LoadError, error) {
	var (
		src  string
		ws   emulator.Workspace
		errs []importer.LoadError
		err  error
	)
	switch {
	case o.Maildir != "":
		src = o.Maildir
		ws, errs, err = importer.LoadMaildir(src)
	case o.EML != "":
		src = o.EML
		ws, errs, err = importer.LoadEML(src)
	case o.Docs != "":
		src = o.Docs
		ws, errs, err = importer.LoadDocs(src)
	case o.Mbox != "":
		src = o.Mbox
		ws, errs, err = loadFile(src, importer.LoadMbox)
	case o.ICS != "":
		src = o.ICS
		ws, errs, err = loadFile(src, importer.LoadICS)
	case o.EventsJSONL != "":
		src = o.EventsJSONL
		ws, errs, err = loadFile(src, func(r io.Reader) (emulator.Workspace, []importer.LoadError, error) {
			return importer.LoadEventsJSONL(r, nil)
		})
	default:
		return "", emulator.Workspace{}, nil, fmt.Errorf("import: one of --%s is required", strings.Join(importSources, ", --"))
	}
	if err != nil {
		return src, emulator.Workspace{}, errs, fmt.Errorf("import: %w", err)
	}
	return src, ws, errs, nil
}

func loadFile(path string, load func(io.Reader) (emulator.Workspace, []importer.LoadError, error)) (emulator.Workspace, []importer.LoadError, error) {
	f, err := os.Open(path)
	if err != nil {
		return emulator.Workspace{}, nil, err
	}
	defer f.Close()
	ws, errs, err := load(f)
	for i := range errs {
		if strings.HasPrefix(errs[i].Path, "#") {
			errs[i].Path = path + errs[i].Path
		}
	}
	if err != nil {
		return emulator.Workspace{}, errs, fmt.Errorf("%s: %w", path, err)
	}
	return ws, errs, nil
}

// affected lists the services ws has items for.
func affected(ws emulator.Workspace) []domain.Service {
	var out []domain.Service
	if len(ws.Messages) > 0 {
		out = append(out, domain.ServiceGmail)
	}
	if len(ws.Events) > 0 {
		out = append(out, domain.ServiceCalendar)
	}
	if len(ws.Files) > 0 {
		out = append(out, domain.ServiceDrive)
	}
	return out
}

// binned counts the messages in TRASH or SPAM.
func binned(ws emulator.Workspace) int {
	n := 0
	for _, m := range ws.Messages {
		if slices.Contains(m.LabelIDs, "TRASH") || slices.Contains(m.LabelIDs, "SPAM") {
			n++
		}
	}
	return n
}

func joinServices(ss []domain.Service) string {
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

// stableIDs gives items without an id one derived from their content, so
// importing the same data again replaces the items instead of adding copies.
func stableIDs(ws *emulator.Workspace) {
	sum := func(parts ...string) string {
		h := sha256.New()
		for _, p := range parts {
			h.Write([]byte(p))
			h.Write([]byte{0})
		}
		return hex.EncodeToString(h.Sum(nil))
	}
	for i := range ws.Messages {
		if m := &ws.Messages[i]; m.ID == "" {
			m.ID = sum(string(m.Raw))[:16] // Gmail ids are 16 hex digits
		}
	}
	for i := range ws.Events {
		if e := &ws.Events[i]; e.ID == "" {
			e.ID = sum(e.Summary, e.Start.UTC().String(), e.End.UTC().String(), e.Location, e.Description)[:32]
		}
	}
	for i := range ws.Files {
		if f := &ws.Files[i]; f.ID == "" {
			f.ID = sum(append(slices.Clone(f.Parents), f.Name)...)[:33]
		}
	}
}

// syncWait follows the sync jobs of one import until they have finished.
type syncWait struct {
	q      *jobqueue.Queue
	a      *app
	user   domain.User
	out    io.Writer
	opts   importOptions
	jobs   []*syncJob
	warned bool
}

// syncJob is the job that syncs one service after the import.
type syncJob struct {
	service  domain.Service
	id       int64
	queued   time.Time
	stale    bool // already running when the data arrived: another must follow
	progress string
	done     bool
}

// enqueue queues an urgent sync of s. River returns the job already waiting or
// running when there is one; one already running may have read the workspace
// before the import reached it, so another is queued after it.
func (w *syncWait) enqueue(ctx context.Context, s domain.Service) error {
	args, opts, err := workers.SyncJob(w.user.ID, s, ingest.PriorityUrgent)
	if err != nil {
		return err
	}
	res, err := w.q.Insert(ctx, args, opts)
	if err != nil {
		return fmt.Errorf("import: enqueue %s sync: %w", s, err)
	}
	j := &syncJob{service: s, id: res.Job.ID, queued: time.Now(),
		stale: res.UniqueSkippedAsDuplicate && res.Job.State == rivertype.JobStateRunning}
	for i, old := range w.jobs {
		if old.service == s {
			j.progress = old.progress
			w.jobs[i] = j
			return nil
		}
	}
	w.jobs = append(w.jobs, j)
	return nil
}

// wait prints each service's sync status when it changes and returns when
// every job has completed and left its service idle.
func (w *syncWait) wait(ctx context.Context) error {
	start := time.Now()
	tick := time.NewTicker(w.opts.PollEvery)
	defer tick.Stop()
	for {
		pending := 0
		for _, j := range w.jobs {
			if j.done {
				continue
			}
			if err := w.check(ctx, j); err != nil {
				return err
			}
			if !j.done {
				pending++
			}
		}
		if pending == 0 {
			fmt.Fprintf(w.out, "import synced in %s\n", time.Since(start).Round(100*time.Millisecond))
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("import: stopped waiting; the sync jobs stay queued: %w", ctx.Err())
		case <-tick.C:
		}
	}
}

func (w *syncWait) check(ctx context.Context, j *syncJob) error {
	job, err := w.q.Client().JobGet(ctx, j.id)
	if err != nil {
		return fmt.Errorf("import: %s sync job %d: %w", j.service, j.id, err)
	}
	st, err := w.a.store.SyncStatus(ctx, w.user.ID, j.service)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	if line := progressLine(st); line != j.progress {
		fmt.Fprintln(w.out, line)
		j.progress = line
	}
	switch job.State {
	case rivertype.JobStateCompleted:
		if j.stale {
			return w.enqueue(ctx, j.service)
		}
		j.done = st.State == domain.SyncIdle
	case rivertype.JobStateCancelled, rivertype.JobStateDiscarded:
		reason := st.Error
		if n := len(job.Errors); n > 0 && reason == "" {
			reason = job.Errors[n-1].Error
		}
		return fmt.Errorf("import: the %s sync gave up (%s): %s", j.service, job.State, reason)
	case rivertype.JobStateAvailable:
		if job.AttemptedAt == nil && !w.warned && time.Since(j.queued) > w.opts.WorkerWait {
			w.warned = true
			fmt.Fprintf(w.out, "no worker has started the sync within %s: is one running? Start `orchestrator all` or "+
				"`orchestrator worker` (same DATABASE_URL); the jobs stay queued. Still waiting (Ctrl-C stops waiting)\n", w.opts.WorkerWait)
		}
	}
	return nil
}

// progressLine is one service's sync status for people.
func progressLine(st domain.SyncStatus) string {
	line := fmt.Sprintf("%-8s %-12s %d items", st.Service, st.State, st.ItemCount)
	if !st.LastSyncAt.IsZero() {
		line += ", last synced " + st.LastSyncAt.Local().Format(time.TimeOnly)
	}
	if st.Error != "" {
		line += ": " + st.Error
	}
	return line
}
