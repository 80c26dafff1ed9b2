// Package demo is the demo workspace that ships with the project: Kenneth
// Lay's Enron mailbox as Gmail, Kubernetes community meetings as Calendar and
// Kubernetes Enhancement Proposals as Drive, embedded from data/ (see
// data/README.md for provenance and licences, and README.md for the dates).
package demo

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sync"
	"time"
	_ "time/tzdata" // meetings carry IANA zones; the demo must not depend on the host's zoneinfo

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
	"github.com/workspace-orchestrator/orchestrator/adapter/emulator/importer"
)

//go:embed data
var data embed.FS

// Paths inside data/, written by ./gen.
const (
	MboxPath      = "data/enron-lay/lay-k.mbox.gz"
	EventsPath    = "data/k8s-meetings/events.jsonl.gz"
	RecurringPath = "data/k8s-meetings/recurring_meetings.jsonl.gz"
	DocsPath      = "data/k8s-keps/keps.jsonl.gz"
)

// NowRFC3339 is the demo's fixed "now"; see Now.
const NowRFC3339 = "2026-11-27T12:00:00Z"

// UpcomingWeeks is how far past now the recurring series are expanded.
const UpcomingWeeks = 8

// Now is the demo's fixed "now", 2026-11-27T12:00:00Z: shifted dates sit just
// before it and generated meetings follow it.
func Now() time.Time {
	t, _ := time.Parse(time.RFC3339, NowRFC3339) // a valid constant
	return t
}

// Options choose how the demo workspace is dated.
type Options struct {
	// Now is the instant the upcoming meetings follow and, with Shift, the
	// instant the newest item of each source is moved up to. Defaults to Now().
	Now time.Time
	// Shift moves each source by one fixed offset so that its newest item
	// sits just before Now: mail by whole years, meetings by whole weeks,
	// documents by whole days. Without it items keep their original dates.
	Shift bool
}

// Offsets are the shifts Workspace applied (all zero without Shift).
type Offsets struct {
	MailYears    int
	CalendarDays int // a whole number of weeks
	DriveDays    int
}

// Workspace builds the demo workspace. Besides the historical meetings it
// holds the next UpcomingWeeks weeks of the recurring series of the groups
// those meetings belong to, generated after opts.Now.
func Workspace(opts Options) (emulator.Workspace, error) {
	ws, _, err := Load(opts)
	return ws, err
}

// Load is Workspace that also reports the offsets it applied.
func Load(opts Options) (emulator.Workspace, Offsets, error) {
	if opts.Now.IsZero() {
		opts.Now = Now()
	}
	// The three sources are independent; loading them side by side halves
	// the wall time on two cores.
	var (
		ws   emulator.Workspace
		off  Offsets
		errs [3]error
		wg   sync.WaitGroup
	)
	wg.Go(func() { ws.Messages, off.MailYears, errs[0] = loadMail(opts) })
	wg.Go(func() { ws.Events, off.CalendarDays, errs[1] = loadCalendar(opts) })
	wg.Go(func() { ws.Files, off.DriveDays, errs[2] = loadDrive(opts) })
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		return emulator.Workspace{}, Offsets{}, err
	}
	return ws, off, nil
}

func open(path string) (io.ReadCloser, error) {
	f, err := data.Open(path)
	if err != nil {
		return nil, fmt.Errorf("demo data %s: %w", path, err)
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("demo data %s: %w", path, err)
	}
	return zr, nil
}

func readAll(path string) ([]byte, error) {
	r, err := open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("demo data %s: %w", path, err)
	}
	return b, nil
}

// embeddedErr turns load errors in the committed data, which gen never
// writes, into an error.
func embeddedErr(path string, errs []importer.LoadError, err error) error {
	if err != nil {
		return fmt.Errorf("demo data %s: %w", path, err)
	}
	if len(errs) > 0 {
		return fmt.Errorf("demo data %s: %d bad items, first %v", path, len(errs), errs[0])
	}
	return nil
}

func loadMail(opts Options) ([]emulator.Message, int, error) {
	r, err := open(MboxPath)
	if err != nil {
		return nil, 0, err
	}
	defer r.Close()
	ws, errs, err := importer.LoadMbox(r)
	if err := embeddedErr(MboxPath, errs, err); err != nil {
		return nil, 0, err
	}
	if !opts.Shift {
		return ws.Messages, 0, nil
	}
	newest := newestOf(ws.Messages, func(m emulator.Message) time.Time { return m.InternalDate })
	years := opts.Now.Year() - newest.Year()
	if !newest.AddDate(years, 0, 0).Before(opts.Now) {
		years--
	}
	for i := range ws.Messages {
		m := &ws.Messages[i]
		m.InternalDate = m.InternalDate.AddDate(years, 0, 0)
		m.Raw = replaceDate(m.Raw, m.InternalDate)
	}
	return ws.Messages, years, nil
}

var dateHeader = regexp.MustCompile(`(?im)^Date:[^\r\n]*`)

// replaceDate rewrites the Date header so the message says what its
// internal date says.
func replaceDate(raw []byte, t time.Time) []byte {
	end := bytes.Index(raw, []byte("\n\n"))
	if i := bytes.Index(raw, []byte("\r\n\r\n")); i >= 0 && (end < 0 || i < end) {
		end = i
	}
	if end < 0 {
		end = len(raw)
	}
	loc := dateHeader.FindIndex(raw[:end])
	if loc == nil {
		return raw
	}
	out := make([]byte, 0, len(raw)+8)
	out = append(out, raw[:loc[0]]...)
	out = append(out, "Date: "+t.Format("Mon, 2 Jan 2006 15:04:05 -0700")...)
	return append(out, raw[loc[1]:]...)
}

func loadCalendar(opts Options) ([]emulator.Event, int, error) {
	rec, err := open(RecurringPath)
	if err != nil {
		return nil, 0, err
	}
	defer rec.Close()
	series, errs, err := importer.LoadRecurringSeries(rec)
	if err := embeddedErr(RecurringPath, errs, err); err != nil {
		return nil, 0, err
	}
	raw, err := readAll(EventsPath)
	if err != nil {
		return nil, 0, err
	}
	ws, errs, err := importer.LoadEventsJSONL(bytes.NewReader(raw), series)
	if err := embeddedErr(EventsPath, errs, err); err != nil {
		return nil, 0, err
	}
	days := 0
	if opts.Shift {
		newest := newestOf(ws.Events, func(e emulator.Event) time.Time { return e.Start })
		weeks := int(opts.Now.Sub(newest) / (7 * 24 * time.Hour))
		if !newest.AddDate(0, 0, 7*weeks).Before(opts.Now) {
			weeks--
		}
		days = 7 * weeks
		for i := range ws.Events {
			e := &ws.Events[i]
			// In the event's zone, so a 10:00 PT meeting stays at 10:00 PT.
			e.Start, e.End = e.Start.AddDate(0, 0, days), e.End.AddDate(0, 0, days)
		}
	}
	groups, err := meetingGroups(raw)
	if err != nil {
		return nil, 0, err
	}
	until := opts.Now.AddDate(0, 0, 7*UpcomingWeeks)
	for _, s := range series {
		if !slices.Contains(groups, s.Group) {
			continue
		}
		next, err := s.Occurrences(opts.Now, until)
		if err != nil {
			return nil, 0, fmt.Errorf("demo series %s/%s: %w", s.Group, s.Title, err)
		}
		ws.Events = append(ws.Events, next...)
	}
	return ws.Events, days, nil
}

// meetingGroups lists the series groups of the historical meetings: the
// groups whose upcoming meetings the demo user attends.
func meetingGroups(raw []byte) ([]string, error) {
	var groups []string
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var m struct {
			Group string `json:"group"`
		}
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			return nil, fmt.Errorf("demo data %s: %w", EventsPath, err)
		}
		if g := importer.SeriesGroup(m.Group); !slices.Contains(groups, g) {
			groups = append(groups, g)
		}
	}
	return groups, sc.Err()
}

func loadDrive(opts Options) ([]emulator.File, int, error) {
	r, err := open(DocsPath)
	if err != nil {
		return nil, 0, err
	}
	defer r.Close()
	files, err := ReadDocs(r)
	if err != nil {
		return nil, 0, fmt.Errorf("demo data %s: %w", DocsPath, err)
	}
	// A few kep.yaml files carry no valid date: date them with the oldest.
	oldest := time.Time{}
	for _, f := range files {
		if !f.ModifiedTime.IsZero() && (oldest.IsZero() || f.ModifiedTime.Before(oldest)) {
			oldest = f.ModifiedTime
		}
	}
	for i := range files {
		if files[i].ModifiedTime.IsZero() {
			files[i].ModifiedTime = oldest
		}
	}
	if !opts.Shift {
		return files, 0, nil
	}
	newest := newestOf(files, func(f emulator.File) time.Time { return f.ModifiedTime })
	days := int(opts.Now.Sub(newest) / (24 * time.Hour))
	if !newest.AddDate(0, 0, days).Before(opts.Now) {
		days--
	}
	for i := range files {
		files[i].ModifiedTime = files[i].ModifiedTime.AddDate(0, 0, days)
	}
	return files, days, nil
}

func newestOf[T any](items []T, at func(T) time.Time) time.Time {
	var newest time.Time
	for _, it := range items {
		if t := at(it); t.After(newest) {
			newest = t
		}
	}
	return newest
}
