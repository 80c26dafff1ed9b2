// Package calendaragent serves the Calendar operations: search and read
// through the cache; create, update and delete only as proposed actions that
// Confirm executes, each safe to retry.
package calendaragent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/agent"
	"github.com/workspace-orchestrator/orchestrator/domain/dates"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
)

// DefaultCalendar is the calendar events are created on.
const DefaultCalendar = "primary"

// Agent is the Calendar agent.
type Agent struct {
	search agent.Searcher
	reader domain.WorkspaceReader
	sched  domain.Scheduler
}

// New builds the Calendar agent. What it writes reaches the cache through
// the Scheduler (see domain.Scheduler), never through the agent.
func New(s agent.Searcher, r domain.WorkspaceReader, sched domain.Scheduler) *Agent {
	return &Agent{search: s, reader: r, sched: sched}
}

// Service is calendar.
func (a *Agent) Service() domain.Service { return domain.ServiceCalendar }

// Do runs a Calendar step.
func (a *Agent) Do(ctx context.Context, userID uuid.UUID, step intent.Step, inputs []agent.Input) (agent.Output, error) {
	switch step.Operation {
	case intent.OpSearch:
		return a.searchStep(ctx, userID, step, inputs)
	case intent.OpRead:
		return a.read(ctx, userID, step, inputs)
	case intent.OpCreate:
		return proposeCreate(step)
	case intent.OpUpdate:
		return a.proposeUpdate(ctx, userID, step, inputs)
	case intent.OpDelete:
		return a.proposeDelete(ctx, userID, step, inputs)
	}
	return agent.Output{}, fmt.Errorf("calendar cannot %s: %w", step.Operation, domain.ErrInvalidInput)
}

// flightRE finds flight numbers ("TK 1982", "LH401") in booking mails.
var flightRE = regexp.MustCompile(`\b([A-Z][A-Z0-9])\s?(\d{2,4})\b`)

// searchStep searches events; mails it depends on (a booking) lend their
// flight numbers, and then the events naming them are what is looked for:
// the booking's words ("Turkish Airlines") need not be in the event.
func (a *Agent) searchStep(ctx context.Context, userID uuid.UUID, step intent.Step, inputs []agent.Input) (agent.Output, error) {
	var codes, spaced []string
	for _, it := range agent.Candidates(inputs, domain.ServiceGmail, "") {
		for _, m := range flightRE.FindAllStringSubmatch(it.Title+" "+it.Snippet+" "+it.Body, -1) {
			codes = append(codes, m[1]+m[2])
			spaced = append(spaced, m[1]+" "+m[2])
		}
	}
	if len(codes) > 0 {
		step.Params = clone(step.Params)
		step.Params[intent.ParamQuery] = strings.Join(spaced, " ")
	}
	out, err := agent.SearchStep(ctx, a.search, userID, domain.ServiceCalendar, step, nil) // inputs lent their flight codes above
	if err != nil {
		return out, err
	}
	if step.Params.String(intent.ParamQuery) == "" {
		// Without words to rank by, an agenda reads best in time order.
		sort.SliceStable(out.Items, func(i, j int) bool { return out.Items[i].At.Before(out.Items[j].At) })
	}
	if len(codes) == 0 {
		return out, nil
	}
	var named []agent.Item
	for _, it := range out.Items {
		text := strings.ReplaceAll(strings.ToUpper(it.Title+" "+it.Snippet), " ", "")
		for _, c := range codes {
			if strings.Contains(text, c) {
				named = append(named, it)
				break
			}
		}
	}
	if len(named) > 0 {
		out.Items = named
	}
	return out, nil
}

func clone(p intent.Params) intent.Params {
	out := make(intent.Params, len(p)+1)
	for k, v := range p {
		out[k] = v
	}
	return out
}

// read returns the named event, or the best match of the search it depends on.
func (a *Agent) read(ctx context.Context, userID uuid.UUID, step intent.Step, inputs []agent.Input) (agent.Output, error) {
	return agent.ReadStep(ctx, step, inputs, domain.ServiceCalendar, "event", func(ctx context.Context, rowID uuid.UUID) (agent.Item, error) {
		ev, err := a.reader.Event(ctx, userID, rowID)
		return Item(ev), err
	})
}

// Item is a cached event as an agent item.
func Item(e domain.Event) agent.Item {
	var people []string
	for _, at := range e.Attendees {
		people = append(people, at.Email)
	}
	return agent.Item{
		Service: domain.ServiceCalendar, Kind: "event", ID: e.EventID, RowID: e.ID, CalendarID: e.CalendarID,
		Title: e.Title, Snippet: e.Location, Body: e.Description, People: people, At: e.Start, End: e.End,
		TimeZone: e.TimeZone, URL: e.HTMLLink,
	}
}

// target is the one event a step acts on: named by its params (read back
// from the cache when its row is known), or the single match among the
// events the step depends on.
func (a *Agent) target(ctx context.Context, userID uuid.UUID, step intent.Step, inputs []agent.Input) (agent.Item, error) {
	p := step.Params
	if id, ok, err := agent.ReadRow(step, nil, domain.ServiceCalendar); err != nil || ok {
		if err != nil {
			return agent.Item{}, err
		}
		ev, err := a.reader.Event(ctx, userID, id)
		if err != nil {
			return agent.Item{}, fmt.Errorf("event %s: %w", p.String(intent.ParamItemID), err)
		}
		return Item(ev), nil
	}
	if id := p.String(intent.ParamItemID); id != "" {
		cal := p.String(intent.ParamCalendarID)
		if cal == "" {
			cal = DefaultCalendar
		}
		return agent.Item{Service: domain.ServiceCalendar, Kind: "event", ID: id, CalendarID: cal, Title: p.String(intent.ParamTitle)}, nil
	}
	return agent.PickOne(agent.Candidates(inputs, domain.ServiceCalendar, "event"), p.String(intent.ParamQuery), "event", nil)
}

// createPayload is what Confirm needs to insert an event.
type createPayload struct {
	Title     string    `json:"title"`
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	TimeZone  string    `json:"timeZone"`
	Attendees []string  `json:"attendees,omitempty"`
}

func proposeCreate(step intent.Step) (agent.Output, error) {
	p := step.Params
	pl := createPayload{Title: p.String(intent.ParamTitle), TimeZone: p.String(intent.ParamTimeZone), Attendees: p.Strings(intent.ParamAttendees)}
	loc, err := zone(pl.TimeZone)
	if err != nil {
		return agent.Output{}, err
	}
	start, ok, err := p.Time(intent.ParamStart)
	if err != nil || !ok {
		return agent.Output{}, fmt.Errorf("new event needs a start time: %w", domain.ErrInvalidInput)
	}
	end, ok, err := p.Time(intent.ParamEnd)
	if err != nil {
		return agent.Output{}, fmt.Errorf("%w: %w", err, domain.ErrInvalidInput)
	}
	if !ok {
		mins, has := p.Int(intent.ParamDuration)
		if !has || mins <= 0 {
			mins = int(intent.DefaultEventLength / time.Minute)
		}
		end = start.Add(time.Duration(mins) * time.Minute)
	}
	if !end.After(start) {
		return agent.Output{}, fmt.Errorf("event ends before it starts: %w", domain.ErrInvalidInput)
	}
	if pl.Title == "" {
		pl.Title = "Meeting"
	}
	pl.Start, pl.End = start.In(loc), end.In(loc)
	summary := fmt.Sprintf("Create the event %q on %s (%s)", pl.Title, dates.Span(pl.Start, pl.End, loc), pl.TimeZone)
	if len(pl.Attendees) > 0 {
		summary += " and invite " + strings.Join(pl.Attendees, ", ")
	}
	act, err := agent.NewAction(step, 0, agent.ActionCreateEvent, summary, nil, pl)
	if err != nil {
		return agent.Output{}, err
	}
	return agent.Output{Actions: []agent.Action{act}}, nil
}

// zone checks an IANA zone name; events always carry one.
func zone(name string) (*time.Location, error) {
	if name == "" {
		return nil, fmt.Errorf("event needs an IANA time zone: %w", domain.ErrInvalidInput)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("time zone %q: %w", name, domain.ErrInvalidInput)
	}
	return loc, nil
}

// shownZone is the zone a proposal shows times in: the user's (the step's
// timeZone), else the event's own, else UTC.
func shownZone(p intent.Params, ev agent.Item) *time.Location {
	for _, name := range []string{p.String(intent.ParamTimeZone), ev.TimeZone} {
		if loc, err := zone(name); err == nil {
			return loc
		}
	}
	return time.UTC
}

// changePayload names the exact event changed or deleted.
type changePayload struct {
	CalendarID string    `json:"calendarId"`
	EventID    string    `json:"eventId"`
	Title      string    `json:"title"`
	Start      time.Time `json:"start,omitzero"`
	End        time.Time `json:"end,omitzero"`
	TimeZone   string    `json:"timeZone,omitempty"`
}

// proposeUpdate moves one event to a new start, keeping its length: to
// params.start, or to params.clock on the event's own day in its own zone.
func (a *Agent) proposeUpdate(ctx context.Context, userID uuid.UUID, step intent.Step, inputs []agent.Input) (agent.Output, error) {
	ev, err := a.target(ctx, userID, step, inputs)
	if err != nil {
		return agent.Output{}, err
	}
	p := step.Params
	tz := ev.TimeZone
	if tz == "" {
		tz = p.String(intent.ParamTimeZone)
	}
	if _, err := zone(tz); err != nil {
		return agent.Output{}, err
	}
	// The person speaks and reads in their own zone: "at 4pm" and the
	// summary are theirs; the event keeps its zone.
	loc := shownZone(p, ev)
	length := ev.End.Sub(ev.At)
	start, hasStart, err := p.Time(intent.ParamStart)
	if err != nil {
		return agent.Output{}, fmt.Errorf("%w: %w", err, domain.ErrInvalidInput)
	}
	day, hasDay, err := p.Time(intent.ParamDay)
	if err != nil {
		return agent.Output{}, fmt.Errorf("%w: %w", err, domain.ErrInvalidInput)
	}
	oldStart := ev.At.In(loc)
	if !hasDay {
		day = oldStart
	}
	day = day.In(loc)
	switch clock := p.String(intent.ParamClock); {
	case clock != "":
		c, err := time.Parse("15:04", clock)
		if err != nil {
			return agent.Output{}, fmt.Errorf("param clock %q: %w", clock, domain.ErrInvalidInput)
		}
		start = time.Date(day.Year(), day.Month(), day.Day(), c.Hour(), c.Minute(), 0, 0, loc)
	case hasDay:
		start = time.Date(day.Year(), day.Month(), day.Day(), oldStart.Hour(), oldStart.Minute(), 0, 0, loc)
	case !hasStart:
		mins, ok := p.Int(intent.ParamShift)
		if !ok || mins == 0 {
			return agent.Output{}, fmt.Errorf("moving an event needs a new start: %w", domain.ErrInvalidInput)
		}
		start = oldStart.Add(time.Duration(mins) * time.Minute) // "an hour later": from where it is now
	}
	end, hasEnd, err := p.Time(intent.ParamEnd)
	if err != nil {
		return agent.Output{}, fmt.Errorf("%w: %w", err, domain.ErrInvalidInput)
	}
	if !hasEnd {
		if length <= 0 {
			length = intent.DefaultEventLength
		}
		end = start.Add(length)
	}
	pl := changePayload{CalendarID: ev.CalendarID, EventID: ev.ID, Title: ev.Title, Start: start.In(loc), End: end.In(loc), TimeZone: tz}
	if pl.CalendarID == "" {
		pl.CalendarID = DefaultCalendar
	}
	summary := fmt.Sprintf("Move the event %q", ev.Title)
	if !ev.At.IsZero() {
		summary += " from " + dates.Span(oldStart, ev.End, loc)
	}
	summary += fmt.Sprintf(" to %s (%s)", dates.Span(pl.Start, pl.End, loc), loc)
	act, err := agent.NewAction(step, 0, agent.ActionUpdateEvent, summary, []string{ev.ID}, pl)
	if err != nil {
		return agent.Output{}, err
	}
	return agent.Output{Items: []agent.Item{ev}, Actions: []agent.Action{act}}, nil
}

func (a *Agent) proposeDelete(ctx context.Context, userID uuid.UUID, step intent.Step, inputs []agent.Input) (agent.Output, error) {
	ev, err := a.target(ctx, userID, step, inputs)
	if err != nil {
		return agent.Output{}, err
	}
	pl := changePayload{CalendarID: ev.CalendarID, EventID: ev.ID, Title: ev.Title}
	if pl.CalendarID == "" {
		pl.CalendarID = DefaultCalendar
	}
	summary := fmt.Sprintf("Delete the event %q", ev.Title)
	if !ev.At.IsZero() {
		summary += " on " + dates.Span(ev.At, ev.End, shownZone(step.Params, ev))
	}
	summary += " from your calendar"
	act, err := agent.NewAction(step, 0, agent.ActionDeleteEvent, summary, []string{ev.ID}, pl)
	if err != nil {
		return agent.Output{}, err
	}
	return agent.Output{Items: []agent.Item{ev}, Actions: []agent.Action{act}}, nil
}

// Confirm executes a proposed calendar action. A created event gets an id
// derived from the message and the action, so a retry finds it instead of
// duplicating it; deleting an event already gone counts as done.
func (a *Agent) Confirm(ctx context.Context, userID, messageID uuid.UUID, act agent.Action) (agent.Action, error) {
	var ev domain.Event
	var err error
	switch act.Kind {
	case agent.ActionCreateEvent:
		var p createPayload
		if err := json.Unmarshal(act.Payload, &p); err != nil {
			return act, fmt.Errorf("action %s payload: %v: %w", act.ID, err, domain.ErrInvalidInput)
		}
		ev = domain.Event{
			UserID: userID, EventID: agent.StableID(messageID, act.ID), CalendarID: DefaultCalendar, Title: p.Title,
			Start: p.Start, End: p.End, TimeZone: p.TimeZone, Status: "confirmed",
		}
		for _, at := range p.Attendees {
			ev.Attendees = append(ev.Attendees, domain.Attendee{Email: at, ResponseStatus: "needsAction"})
		}
		if ev, err = a.sched.CreateEvent(ctx, userID, ev); err != nil {
			return act, fmt.Errorf("create event: %w", err)
		}
		act.Result = fmt.Sprintf("Created %q", ev.Title)
	case agent.ActionUpdateEvent:
		var p changePayload
		if err := json.Unmarshal(act.Payload, &p); err != nil {
			return act, fmt.Errorf("action %s payload: %v: %w", act.ID, err, domain.ErrInvalidInput)
		}
		if ev, err = a.sched.UpdateEvent(ctx, userID, p.CalendarID, p.EventID, domain.EventPatch{Start: &p.Start, End: &p.End, TimeZone: &p.TimeZone}); err != nil {
			return act, fmt.Errorf("update event %s: %w", p.EventID, err)
		}
		loc, _ := zone(p.TimeZone) // nil: the payload's own offset
		act.Result = fmt.Sprintf("Moved %q to %s", ev.Title, dates.Span(p.Start, p.End, loc))
	case agent.ActionDeleteEvent:
		var p changePayload
		if err := json.Unmarshal(act.Payload, &p); err != nil {
			return act, fmt.Errorf("action %s payload: %v: %w", act.ID, err, domain.ErrInvalidInput)
		}
		if err := a.sched.DeleteEvent(ctx, userID, p.CalendarID, p.EventID); err != nil && !errors.Is(err, domain.ErrNotFound) {
			return act, fmt.Errorf("delete event %s: %w", p.EventID, err)
		}
		act.Result = fmt.Sprintf("Deleted %q", p.Title)
		return act, nil
	default:
		return act, fmt.Errorf("calendar cannot execute %s: %w", act.Kind, domain.ErrInvalidInput)
	}
	it := Item(ev)
	act.Item = &it
	return act, nil
}
