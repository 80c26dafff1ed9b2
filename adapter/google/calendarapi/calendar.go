// Package calendarapi reads and writes a user's primary calendar through the
// Calendar v3 REST API (google.golang.org/api/calendar/v3): the
// ingest.CalendarSource the sync reads from and the domain.Scheduler the
// assistant writes events with.
package calendarapi

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
	"google.golang.org/api/calendar/v3"

	"github.com/workspace-orchestrator/orchestrator/adapter/google/gclient"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/ingest"
)

// Config configures a Calendar.
type Config struct {
	// Client configures the HTTP clients (base URL, auth, quota). Auth is required.
	Client gclient.Config
	// PageSize is events.list's maxResults. Defaults to DefaultPageSize
	// (2500, the maximum).
	PageSize int
	// SendUpdates tells attendees about created, changed and deleted events:
	// "all", "externalOnly" or "none". Defaults to DefaultSendUpdates ("all").
	SendUpdates string
}

// Defaults of Config.
const (
	DefaultPageSize    = 2500
	DefaultSendUpdates = "all"
)

// WithDefaults fills zero fields with their defaults.
func (c Config) WithDefaults() Config {
	c.PageSize = cmp.Or(c.PageSize, DefaultPageSize)
	c.SendUpdates = cmp.Or(c.SendUpdates, DefaultSendUpdates)
	return c
}

func (c Config) validate() error {
	if c.PageSize < 1 || c.PageSize > 2500 {
		return fmt.Errorf("calendarapi: PageSize must be in 1..2500, got %d: %w", c.PageSize, domain.ErrInvalidInput)
	}
	switch c.SendUpdates {
	case "all", "externalOnly", "none":
	default:
		return fmt.Errorf("calendarapi: SendUpdates must be all, externalOnly or none, got %q: %w", c.SendUpdates, domain.ErrInvalidInput)
	}
	return nil
}

// Deps are what the write side needs to put its results in the cache at
// once, through ingest.WriteBack (whose rule is that a failed cache write
// never fails the Google write).
type Deps struct {
	// Writer receives every written event. Required.
	Writer domain.WorkspaceWriter
	// Embedder embeds them first. Optional.
	Embedder domain.Embedder
	Logger   *slog.Logger
}

// Calendar implements ingest.CalendarSource and domain.Scheduler.
type Calendar struct {
	cfg     Config
	clients *gclient.Clients
	log     *slog.Logger
	cache   ingest.WriteBack
}

var (
	_ ingest.CalendarSource = (*Calendar)(nil)
	_ domain.Scheduler      = (*Calendar)(nil)
)

// New returns a Calendar.
func New(cfg Config, d Deps) (*Calendar, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if d.Writer == nil || d.Logger == nil {
		return nil, fmt.Errorf("calendarapi: Deps.Writer and Deps.Logger are required: %w", domain.ErrInvalidInput)
	}
	// Calendar's quota counts requests, whatever the method.
	clients, err := gclient.New(cfg.Client, domain.ServiceCalendar, func(r *http.Request) (string, int) { return r.Method + " " + r.URL.Path, 1 })
	if err != nil {
		return nil, err
	}
	return &Calendar{cfg: cfg, clients: clients, log: d.Logger,
		cache: ingest.WriteBack{Writer: d.Writer, Embedder: d.Embedder, Logger: d.Logger}}, nil
}

const primary = "primary"

func (c *Calendar) service(ctx context.Context, userID uuid.UUID) (*calendar.Service, error) {
	s, err := calendar.NewService(ctx, c.clients.Options(userID, "/calendar/v3/")...)
	if err != nil {
		return nil, fmt.Errorf("calendar client: %w", err)
	}
	return s, nil
}

// Events returns one page of the primary calendar's events, recurring events
// expanded into their instances.
func (c *Calendar) Events(ctx context.Context, userID uuid.UUID, syncToken, pageToken string) (ingest.EventPage, error) {
	s, err := c.service(ctx, userID)
	if err != nil {
		return ingest.EventPage{}, err
	}
	call := s.Events.List(primary).SingleEvents(true).MaxResults(int64(c.cfg.PageSize)).Context(ctx)
	if syncToken != "" {
		call = call.SyncToken(syncToken)
	}
	if pageToken != "" {
		call = call.PageToken(pageToken)
	}
	r, err := call.Do()
	if code := gclient.Code(err); syncToken != "" && code == http.StatusGone {
		return ingest.EventPage{}, fmt.Errorf("calendar events.list: %w", domain.ErrSyncTokenExpired)
	}
	if err != nil {
		return ingest.EventPage{}, gclient.Err(err, "calendar events.list")
	}
	p := ingest.EventPage{Next: r.NextPageToken, SyncToken: r.NextSyncToken}
	for _, e := range r.Items {
		if e.Status == "cancelled" {
			p.Cancelled = append(p.Cancelled, e.Id)
			continue
		}
		ev, err := toEvent(e, r.TimeZone)
		if err != nil {
			c.log.WarnContext(ctx, "skipping unreadable event", "user", userID, "event", e.Id, "err", err)
			continue
		}
		p.Events = append(p.Events, ev)
	}
	return p, nil
}

// Watch opens a notification channel on the primary calendar: Google POSTs
// to address with X-Goog-Channel-Token: token on every change, until the
// expiry of the watch returned, which names the channel to stop.
func (c *Calendar) Watch(ctx context.Context, userID uuid.UUID, address, token string) (ingest.Watch, error) {
	s, err := c.service(ctx, userID)
	if err != nil {
		return ingest.Watch{}, err
	}
	ch := &calendar.Channel{Id: uuid.NewString(), Type: "web_hook", Address: address, Token: token}
	r, err := s.Events.Watch(primary, ch).Context(ctx).Do()
	if err != nil {
		return ingest.Watch{}, gclient.Err(err, "calendar events.watch")
	}
	return ingest.Watch{UserID: userID, Service: domain.ServiceCalendar, Expires: time.UnixMilli(r.Expiration).UTC(),
		Channel: ingest.Channel{ID: r.Id, ResourceID: r.ResourceId}}, nil
}

// Stop closes a channel Watch opened, so Google no longer notifies through
// it; an unknown or expired channel is a domain.ErrNotFound.
func (c *Calendar) Stop(ctx context.Context, userID uuid.UUID, ch ingest.Channel) error {
	s, err := c.service(ctx, userID)
	if err != nil {
		return err
	}
	if err := s.Channels.Stop(&calendar.Channel{Id: ch.ID, ResourceId: ch.ResourceID}).Context(ctx).Do(); err != nil {
		return gclient.Err(err, "calendar channels.stop")
	}
	return nil
}

// CreateEvent inserts ev with its client-chosen id (one is chosen when
// ev.EventID is empty); when that id exists already, a retry of an earlier
// call, the existing event is returned.
func (c *Calendar) CreateEvent(ctx context.Context, userID uuid.UUID, ev domain.Event) (domain.Event, error) {
	if ev.EventID == "" {
		ev.EventID = strings.ReplaceAll(uuid.NewString(), "-", "")
	}
	if n := len(ev.EventID); n < 5 || n > 1024 || !eventIDRe.MatchString(ev.EventID) {
		return domain.Event{}, fmt.Errorf("event id %q: must be 5-1024 characters of a-v and 0-9: %w", ev.EventID, domain.ErrInvalidInput)
	}
	tz, err := zone(ev.TimeZone)
	if err != nil {
		return domain.Event{}, err
	}
	s, err := c.service(ctx, userID)
	if err != nil {
		return domain.Event{}, err
	}
	in := &calendar.Event{
		Id: ev.EventID, Summary: ev.Title, Description: ev.Description, Location: ev.Location,
		Start: when(ev.Start, ev.AllDay, tz), End: when(ev.End, ev.AllDay, tz),
		Attendees: attendees(ev.Attendees),
	}
	out, err := s.Events.Insert(primary, in).SendUpdates(c.cfg.SendUpdates).Context(ctx).Do()
	if gclient.Code(err) == http.StatusConflict {
		out, err = s.Events.Get(primary, ev.EventID).Context(ctx).Do()
	}
	if err != nil {
		return domain.Event{}, gclient.Err(err, "calendar events.insert "+ev.EventID)
	}
	return c.cacheEvent(ctx, userID, out, tz.String())
}

// UpdateEvent patches the fields p sets.
func (c *Calendar) UpdateEvent(ctx context.Context, userID uuid.UUID, calendarID, eventID string, p domain.EventPatch) (domain.Event, error) {
	s, err := c.service(ctx, userID)
	if err != nil {
		return domain.Event{}, err
	}
	cur, err := s.Events.Get(calendarID, eventID).Context(ctx).Do()
	if err != nil {
		return domain.Event{}, gclient.Err(err, "calendar events.get "+eventID)
	}
	tzName := cur.Start.TimeZone
	if p.TimeZone != nil {
		tzName = *p.TimeZone
	}
	tz, err := zone(tzName)
	if err != nil {
		return domain.Event{}, err
	}
	allDay := cur.Start.Date != ""
	patch := &calendar.Event{}
	if p.Title != nil {
		patch.Summary = *p.Title
		patch.ForceSendFields = append(patch.ForceSendFields, "Summary")
	}
	if p.Description != nil {
		patch.Description = *p.Description
		patch.ForceSendFields = append(patch.ForceSendFields, "Description")
	}
	if p.Location != nil {
		patch.Location = *p.Location
		patch.ForceSendFields = append(patch.ForceSendFields, "Location")
	}
	if p.Start != nil {
		patch.Start = when(*p.Start, allDay, tz)
		if p.End == nil {
			// Moving only the start moves the whole event, keeping its length.
			if was, err := toEvent(cur, tz.String()); err == nil {
				end := p.Start.Add(was.End.Sub(was.Start))
				p.End = &end
			}
		}
	}
	if p.End != nil {
		patch.End = when(*p.End, allDay, tz)
	}
	if p.Attendees != nil {
		patch.Attendees = attendees(p.Attendees)
		patch.ForceSendFields = append(patch.ForceSendFields, "Attendees")
	}
	out, err := s.Events.Patch(calendarID, eventID, patch).SendUpdates(c.cfg.SendUpdates).Context(ctx).Do()
	if err != nil {
		return domain.Event{}, gclient.Err(err, "calendar events.patch "+eventID)
	}
	return c.cacheEvent(ctx, userID, out, tz.String())
}

// DeleteEvent deletes an event; one already gone counts as deleted.
func (c *Calendar) DeleteEvent(ctx context.Context, userID uuid.UUID, calendarID, eventID string) error {
	s, err := c.service(ctx, userID)
	if err != nil {
		return err
	}
	err = s.Events.Delete(calendarID, eventID).SendUpdates(c.cfg.SendUpdates).Context(ctx).Do()
	if code := gclient.Code(err); code != http.StatusNotFound && code != http.StatusGone && err != nil {
		return gclient.Err(err, "calendar events.delete "+eventID)
	}
	c.cache.DeleteEvent(ctx, userID, eventID)
	return nil
}

// cacheEvent converts a written event (a failure is returned) and caches it
// through WriteBack (a failure is only logged).
func (c *Calendar) cacheEvent(ctx context.Context, userID uuid.UUID, e *calendar.Event, tz string) (domain.Event, error) {
	ev, err := toEvent(e, tz)
	if err != nil {
		return domain.Event{}, err
	}
	ev.UserID = userID
	return c.cache.Event(ctx, ev), nil
}

// Calendar event ids: base32hex characters, 5 to 1024 of them.
var eventIDRe = regexp.MustCompile(`^[a-v0-9]+$`)

func zone(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("time zone %q: %w", name, domain.ErrInvalidInput)
	}
	return loc, nil
}

func when(t time.Time, allDay bool, tz *time.Location) *calendar.EventDateTime {
	if allDay {
		return &calendar.EventDateTime{Date: t.In(tz).Format(time.DateOnly), TimeZone: tz.String()}
	}
	return &calendar.EventDateTime{DateTime: t.In(tz).Format(time.RFC3339), TimeZone: tz.String()}
}

func attendees(as []domain.Attendee) []*calendar.EventAttendee {
	out := make([]*calendar.EventAttendee, len(as))
	for i, a := range as {
		out[i] = &calendar.EventAttendee{Email: a.Email, DisplayName: a.Name, ResponseStatus: a.ResponseStatus, Organizer: a.Organizer}
	}
	return out
}

// toEvent converts an API event; calendarTZ is the calendar's zone, used when
// the event names none.
func toEvent(e *calendar.Event, calendarTZ string) (domain.Event, error) {
	if e.Start == nil || e.End == nil {
		return domain.Event{}, fmt.Errorf("event %s has no start or end: %w", e.Id, domain.ErrInvalidInput)
	}
	tzName := e.Start.TimeZone
	if tzName == "" {
		tzName = calendarTZ
	}
	tz, err := zone(tzName)
	if err != nil {
		tz = time.UTC
	}
	start, allDay, err := parseWhen(e.Start, tz)
	if err != nil {
		return domain.Event{}, fmt.Errorf("event %s start: %w", e.Id, err)
	}
	end, _, err := parseWhen(e.End, tz)
	if err != nil {
		return domain.Event{}, fmt.Errorf("event %s end: %w", e.Id, err)
	}
	ev := domain.Event{
		EventID: e.Id, CalendarID: primary, Title: e.Summary, Description: e.Description, Location: e.Location,
		Start: start, End: end, AllDay: allDay, TimeZone: tz.String(), Status: e.Status, HTMLLink: e.HtmlLink,
	}
	if ev.Status == "" {
		ev.Status = "confirmed"
	}
	if e.Organizer != nil {
		ev.Organizer = strings.ToLower(e.Organizer.Email)
	}
	for _, a := range e.Attendees {
		ev.Attendees = append(ev.Attendees, domain.Attendee{
			Email: strings.ToLower(a.Email), Name: a.DisplayName, ResponseStatus: a.ResponseStatus, Organizer: a.Organizer,
		})
	}
	return ev, nil
}

func parseWhen(w *calendar.EventDateTime, tz *time.Location) (time.Time, bool, error) {
	if w.DateTime != "" {
		t, err := time.Parse(time.RFC3339, w.DateTime)
		return t.UTC(), false, err
	}
	t, err := time.ParseInLocation(time.DateOnly, w.Date, tz)
	return t.UTC(), true, err
}
