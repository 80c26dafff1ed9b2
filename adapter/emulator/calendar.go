package emulator

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/teambition/rrule-go"
	calendar "google.golang.org/api/calendar/v3"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// calendarStore is one user's primary calendar. Deleted events stay as
// cancelled tombstones so incremental sync can report them.
type calendarStore struct {
	seq    uint64 // bumped by every change; sync tokens name a seq
	floor  uint64 // sync tokens below this answer 410
	events map[string]*calEvent
	cache  *eventListing // the last listing, reused while paging through it
}

// eventListing is one computed events.list result, valid for its query at seq.
type eventListing struct {
	query string
	seq   uint64
	items []instance
	keys  []string
}

type calEvent struct {
	Event
	seq              uint64
	created, updated time.Time
	sequence         int64
	loc              *time.Location // of TimeZone; UTC when unknown
	// An exception (a changed or cancelled occurrence of a series) names its
	// series and the start the occurrence had; expansion skips that occurrence.
	parent        string
	originalStart time.Time
}

func newCalendarStore() *calendarStore { return &calendarStore{events: map[string]*calEvent{}} }

// expansionHorizon bounds recurrence expansion past now when timeMax is absent.
const expansionHorizon = 365 * 24 * time.Hour

var eventIDRe = regexp.MustCompile(`^[a-v0-9]{5,}$`)

// putEvent stores e for u, replacing an event with the same id, and records the change.
func (s *Server) putEvent(u *user, e Event, now time.Time) (*calEvent, error) {
	if e.ID == "" {
		e.ID = fmt.Sprintf("emu%013d", s.newID())
	}
	if e.End.Before(e.Start) {
		return nil, fmt.Errorf("event %q ends before it starts: %w", e.ID, domain.ErrInvalidInput)
	}
	e.Status = cmp.Or(e.Status, "confirmed")
	cal := u.cal
	cal.seq++
	ce, ok := cal.events[e.ID]
	if !ok {
		ce = &calEvent{created: now}
		cal.events[e.ID] = ce
	} else {
		ce.sequence++
	}
	ce.Event, ce.seq, ce.updated, ce.loc = e, cal.seq, now, s.location(e.TimeZone)
	return ce, nil
}

func rfc3339ms(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func (ce *calEvent) eventTime(t time.Time) *calendar.EventDateTime {
	if ce.AllDay {
		return &calendar.EventDateTime{Date: t.Format("2006-01-02")}
	}
	return &calendar.EventDateTime{DateTime: t.In(ce.loc).Format(time.RFC3339), TimeZone: ce.TimeZone}
}

// location resolves an IANA zone once per server: LoadLocation reads tzdata from disk.
func (s *Server) location(tz string) *time.Location {
	if loc, ok := s.zones[tz]; ok {
		return loc
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		loc = time.UTC
	}
	s.zones[tz] = loc
	return loc
}

// apiEvent renders e as Calendar's JSON for owner.
func (ce *calEvent) apiEvent(owner string) *calendar.Event {
	e := ce.Event
	out := &calendar.Event{
		Kind: "calendar#event", Etag: fmt.Sprintf(`"%d"`, ce.seq), Id: e.ID, Status: e.Status,
		HtmlLink: "https://calendar.google.com/calendar/event?eid=" + e.ID,
		Created:  rfc3339ms(ce.created), Updated: rfc3339ms(ce.updated),
		Summary: e.Summary, Description: e.Description, Location: e.Location,
		Start: ce.eventTime(e.Start), End: ce.eventTime(e.End),
		Recurrence: e.Recurrence, ICalUID: e.ID + "@google.com", Sequence: ce.sequence, EventType: "default",
	}
	if ce.parent != "" {
		out.RecurringEventId, out.OriginalStartTime = ce.parent, ce.eventTime(ce.originalStart)
	}
	org := cmp.Or(e.Organizer, owner)
	out.Organizer = &calendar.EventOrganizer{Email: org, Self: strings.EqualFold(org, owner)}
	out.Creator = &calendar.EventCreator{Email: org, Self: strings.EqualFold(org, owner)}
	for _, a := range e.Attendees {
		out.Attendees = append(out.Attendees, &calendar.EventAttendee{Email: a.Email, DisplayName: a.DisplayName,
			ResponseStatus: cmp.Or(a.ResponseStatus, "needsAction"), Organizer: a.Organizer, Self: strings.EqualFold(a.Email, owner)})
	}
	return out
}

func parseEventTime(dt *calendar.EventDateTime, field string) (t time.Time, allDay bool, tz string, aerr *apiError) {
	switch {
	case dt == nil:
		return t, false, "", errInvalid("Missing " + field + " time.")
	case dt.Date != "":
		t, err := time.Parse("2006-01-02", dt.Date)
		if err != nil {
			return t, false, "", errInvalid("Invalid " + field + " date.")
		}
		return t, true, dt.TimeZone, nil
	case dt.DateTime != "":
		t, err := time.Parse(time.RFC3339, dt.DateTime)
		if err != nil {
			return t, false, "", errInvalid("Invalid " + field + " time.")
		}
		return t, false, dt.TimeZone, nil
	}
	return t, false, "", errInvalid("Missing " + field + " time.")
}

// fromAPIEvent converts a client's Event into the stored form.
func fromAPIEvent(in *calendar.Event) (Event, *apiError) {
	e := Event{ID: in.Id, Summary: in.Summary, Description: in.Description, Location: in.Location,
		Recurrence: in.Recurrence, Status: in.Status}
	var aerr *apiError
	if e.Start, e.AllDay, e.TimeZone, aerr = parseEventTime(in.Start, "start"); aerr != nil {
		return e, aerr
	}
	if e.End, _, _, aerr = parseEventTime(in.End, "end"); aerr != nil {
		return e, aerr
	}
	if e.End.Before(e.Start) {
		return e, errInvalid("The specified time range is empty.")
	}
	if in.Organizer != nil {
		e.Organizer = in.Organizer.Email
	}
	for _, a := range in.Attendees {
		e.Attendees = append(e.Attendees, Attendee{Email: a.Email, DisplayName: a.DisplayName, ResponseStatus: a.ResponseStatus, Organizer: a.Organizer})
	}
	return e, nil
}

func (s *Server) routeCalendar() {
	for _, pre := range []string{"", "/calendar/v3"} {
		s.handle(s.calendarList, "GET "+pre+"/users/me/calendarList")
		s.handle(s.calendarListGet, "GET "+pre+"/users/me/calendarList/{calendarId}")
		ev := pre + "/calendars/{calendarId}/events"
		s.handle(s.eventsList, "GET "+ev)
		s.handle(s.eventsInsert, "POST "+ev)
		s.handle(s.eventsWatch, "POST "+ev+"/watch")
		s.handle(s.eventsGet, "GET "+ev+"/{eventId}")
		s.handle(s.eventsPatch(true), "PATCH "+ev+"/{eventId}")
		s.handle(s.eventsPatch(false), "PUT "+ev+"/{eventId}")
		s.handle(s.eventsDelete, "DELETE "+ev+"/{eventId}")
		s.handle(s.channelsStop, "POST "+pre+"/channels/stop")
	}
}

func primaryEntry(u *user) *calendar.CalendarListEntry {
	return &calendar.CalendarListEntry{Kind: "calendar#calendarListEntry", Id: u.email, Summary: u.email, Primary: true,
		AccessRole: "owner", Selected: true, TimeZone: "UTC"}
}

func (s *Server) calendarList(c *call) (any, *apiError) {
	return &calendar.CalendarList{Kind: "calendar#calendarList", Items: []*calendar.CalendarListEntry{primaryEntry(c.u)}}, nil
}

func (s *Server) calendarListGet(c *call) (any, *apiError) {
	if !ownCalendar(c) {
		return nil, errNotFound("Calendar")
	}
	return primaryEntry(c.u), nil
}

// ownCalendar: only the user's primary calendar exists.
func ownCalendar(c *call) bool {
	id := c.r.PathValue("calendarId")
	return id == "primary" || strings.EqualFold(id, c.u.email)
}

func (s *Server) calendarEvent(c *call) (*calEvent, *apiError) {
	if !ownCalendar(c) {
		return nil, errNotFound("Calendar")
	}
	id := c.r.PathValue("eventId")
	if ce, ok := c.u.cal.events[id]; ok {
		return ce, nil
	}
	if ce := c.u.cal.occurrence(id); ce != nil {
		return ce, nil
	}
	return nil, errNotFound("Event")
}

// instanceID is Google's id of the occurrence of series ce starting at st.
func (ce *calEvent) instanceID(st time.Time) string {
	if ce.AllDay {
		return ce.ID + "_" + st.Format("20060102")
	}
	return ce.ID + "_" + st.UTC().Format("20060102T150405Z")
}

// occurrence returns an unstored event for an instance id of a series, or nil
// when id names no occurrence.
func (cal *calendarStore) occurrence(id string) *calEvent {
	i := strings.LastIndex(id, "_")
	if i < 0 {
		return nil
	}
	master, ok := cal.events[id[:i]]
	if !ok || len(master.Recurrence) == 0 {
		return nil
	}
	st, err := time.ParseInLocation("20060102T150405Z", id[i+1:], time.UTC)
	if master.AllDay {
		st, err = time.ParseInLocation("20060102", id[i+1:], master.loc)
	}
	if err != nil {
		return nil
	}
	for _, in := range expand(cal, master, "", true, st, st.Add(time.Second), st) {
		if in.ev.Id == id {
			occ := *master
			occ.Recurrence, occ.ID, occ.parent, occ.originalStart = nil, id, master.ID, in.start
			occ.Start, occ.End = in.start, in.end
			return &occ
		}
	}
	return nil
}

func (s *Server) eventsGet(c *call) (any, *apiError) {
	ce, aerr := s.calendarEvent(c)
	if aerr != nil {
		return nil, aerr
	}
	return ce.apiEvent(c.u.email), nil
}

func (s *Server) eventsInsert(c *call) (any, *apiError) {
	if !ownCalendar(c) {
		return nil, errNotFound("Calendar")
	}
	var in calendar.Event
	if aerr := c.decode(&in); aerr != nil {
		return nil, aerr
	}
	e, aerr := fromAPIEvent(&in)
	if aerr != nil {
		return nil, aerr
	}
	if e.ID != "" {
		if !eventIDRe.MatchString(e.ID) || len(e.ID) > 1024 {
			return nil, errInvalid("Invalid resource id value.")
		}
		if _, ok := c.u.cal.events[e.ID]; ok {
			return nil, &apiError{code: http.StatusConflict, reason: "duplicate", message: "The requested identifier already exists."}
		}
	}
	ce, err := s.putEvent(c.u, e, c.now)
	if err != nil {
		return nil, errInvalid(err.Error())
	}
	s.notifyLocked(c.u, svcCalendar)
	return ce.apiEvent(c.u.email), nil
}

// eventsPatch serves PATCH (merge the given fields) and PUT (replace).
func (s *Server) eventsPatch(merge bool) apiFunc {
	return func(c *call) (any, *apiError) {
		ce, aerr := s.calendarEvent(c)
		if aerr != nil {
			return nil, aerr
		}
		body := c.body
		if merge {
			cur, err := json.Marshal(ce.apiEvent(c.u.email))
			if err != nil {
				return nil, &apiError{code: 500, reason: "backendError", message: err.Error()}
			}
			var fields, patch map[string]json.RawMessage
			if err := json.Unmarshal(cur, &fields); err != nil {
				return nil, &apiError{code: 500, reason: "backendError", message: err.Error()}
			}
			if err := json.Unmarshal(c.body, &patch); err != nil {
				return nil, errInvalid("invalid JSON payload: " + err.Error())
			}
			for k, v := range patch {
				fields[k] = v
			}
			if body, err = json.Marshal(fields); err != nil {
				return nil, errInvalid(err.Error())
			}
		}
		var in calendar.Event
		if err := json.Unmarshal(body, &in); err != nil {
			return nil, errInvalid("invalid JSON payload: " + err.Error())
		}
		e, aerr := fromAPIEvent(&in)
		if aerr != nil {
			return nil, aerr
		}
		e.ID = ce.ID
		ce, err := s.storeEvent(c.u, ce, e, c.now)
		if err != nil {
			return nil, errInvalid(err.Error())
		}
		s.notifyLocked(c.u, svcCalendar)
		return ce.apiEvent(c.u.email), nil
	}
}

func (s *Server) eventsDelete(c *call) (any, *apiError) {
	ce, aerr := s.calendarEvent(c)
	if aerr != nil {
		return nil, aerr
	}
	if ce.Status == "cancelled" {
		return nil, &apiError{code: http.StatusGone, reason: "deleted", message: "Resource has been deleted"}
	}
	s.cancelEvent(c.u, ce, c.now)
	return nil, nil
}

// cancelEvent cancels an event, an occurrence, or a series with its exceptions.
func (s *Server) cancelEvent(u *user, ce *calEvent, now time.Time) {
	for _, ex := range u.cal.events {
		if ex.parent == ce.ID && ex.Status != "cancelled" {
			s.cancelEvent(u, ex, now)
		}
	}
	e := ce.Event
	e.Status = "cancelled"
	_, _ = s.storeEvent(u, ce, e, now) // cannot fail: the stored event was valid
	s.notifyLocked(u, svcCalendar)
}

// storeEvent saves e as the new state of was, which may be an unstored
// occurrence: saving one makes it an exception of its series.
func (s *Server) storeEvent(u *user, was *calEvent, e Event, now time.Time) (*calEvent, error) {
	ce, err := s.putEvent(u, e, now)
	if err == nil {
		ce.parent, ce.originalStart = was.parent, was.originalStart
	}
	return ce, err
}

// syncTokenFor and parseSyncToken encode a change sequence number.
func syncTokenFor(seq uint64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("cal:" + strconv.FormatUint(seq, 10)))
}

func parseSyncToken(tok string, cal *calendarStore) (uint64, *apiError) {
	gone := &apiError{code: http.StatusGone, reason: "fullSyncRequired", message: "Sync token is no longer valid, a full sync is required."}
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || !strings.HasPrefix(string(raw), "cal:") {
		return 0, gone
	}
	seq, err := strconv.ParseUint(strings.TrimPrefix(string(raw), "cal:"), 10, 64)
	if err != nil || seq < cal.floor || seq > cal.seq {
		return 0, gone
	}
	return seq, nil
}

// instance is one listed item: an event or one occurrence of a recurring event.
type instance struct {
	ev         *calendar.Event
	start, end time.Time
	seq        uint64
}

// expand returns ce as listed: itself, or with singleEvents its occurrences in
// [from, to); a cancelled series lists each occurrence as cancelled, so a
// client that stored instances can drop them by id.
func expand(cal *calendarStore, ce *calEvent, owner string, single bool, from, to, now time.Time) []instance {
	base := instance{ev: ce.apiEvent(owner), start: ce.Start, end: ce.End, seq: ce.seq}
	if !single || len(ce.Recurrence) == 0 {
		return []instance{base}
	}
	loc := ce.loc
	set, err := rrule.StrSliceToRRuleSetInLoc(ce.Recurrence, loc)
	if err != nil {
		return []instance{base}
	}
	set.DTStart(ce.Start.In(loc))
	dur := ce.End.Sub(ce.Start)
	if to.IsZero() {
		to = maxTime(maxTime(from, now), ce.Start).Add(expansionHorizon)
	}
	var out []instance
	for _, st := range set.Between(from.Add(-dur), to, true) {
		if !st.Add(dur).After(from) && !from.IsZero() {
			continue
		}
		id := ce.instanceID(st)
		if _, changed := cal.events[id]; changed {
			continue // the exception is listed on its own
		}
		ev := *base.ev
		ev.Recurrence = nil
		ev.RecurringEventId = ce.ID
		ev.Id = id
		ev.Start = ce.eventTime(st)
		ev.End = ce.eventTime(st.Add(dur))
		ev.OriginalStartTime = ev.Start
		out = append(out, instance{ev: &ev, start: st, end: st.Add(dur), seq: ce.seq})
	}
	return out
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func queryTime(c *call, name string) (time.Time, *apiError) {
	v := c.query(name)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return t, errInvalid("Bad Request: " + name)
	}
	return t, nil
}

// eventsList serves a full listing (window, q, order) or, with syncToken, the
// changes since that token including cancelled events. Page tokens carry the
// change sequence of the first page so nextSyncToken misses nothing changed
// while the client was paging.
func (s *Server) eventsList(c *call) (any, *apiError) {
	if !ownCalendar(c) {
		return nil, errNotFound("Calendar")
	}
	cal := c.u.cal
	size, aerr := pageSize(c, "maxResults", 250, 2500)
	if aerr != nil {
		return nil, aerr
	}
	single := c.query("singleEvents") == "true"
	orderBy := c.query("orderBy")
	if orderBy == "startTime" && !single {
		return nil, errInvalid("The requested ordering is not available for the particular query.")
	}
	from, aerr := queryTime(c, "timeMin")
	if aerr != nil {
		return nil, aerr
	}
	to, aerr := queryTime(c, "timeMax")
	if aerr != nil {
		return nil, aerr
	}
	snapSeq, inner := cal.seq, c.query("pageToken")
	if inner != "" {
		head, rest, ok := strings.Cut(inner, ".")
		n, err := strconv.ParseUint(head, 10, 64)
		if !ok || err != nil || n > cal.seq {
			return nil, errInvalid("Invalid pageToken")
		}
		snapSeq, inner = n, rest
	}
	var since uint64
	syncing := c.query("syncToken") != ""
	if syncing {
		for _, p := range []string{"timeMin", "timeMax", "q", "orderBy", "updatedMin", "iCalUID"} {
			if c.query(p) != "" {
				return nil, errInvalid("Parameter " + p + " is not compatible with syncToken.")
			}
		}
		if since, aerr = parseSyncToken(c.query("syncToken"), cal); aerr != nil {
			return nil, aerr
		}
	}
	listing, aerr := s.listing(c, since, syncing, single, from, to)
	if aerr != nil {
		return nil, aerr
	}
	items, keys := listing.items, listing.keys
	lo, hi, next, aerr := page(keys, inner, size)
	if aerr != nil {
		return nil, aerr
	}
	res := &calendar.Events{Kind: "calendar#events", Summary: c.u.email, TimeZone: "UTC", AccessRole: "owner",
		Updated: rfc3339ms(c.now), Etag: fmt.Sprintf(`"%d"`, cal.seq)}
	for _, in := range items[lo:hi] {
		res.Items = append(res.Items, in.ev)
	}
	if next != "" {
		res.NextPageToken = strconv.FormatUint(snapSeq, 10) + "." + next
	} else {
		res.NextSyncToken = syncTokenFor(snapSeq)
	}
	return res, nil
}

func eventMatches(ce *calEvent, q string) bool {
	text := []string{ce.Summary, ce.Description, ce.Location, ce.Organizer}
	for _, a := range ce.Attendees {
		text = append(text, a.Email, a.DisplayName)
	}
	hay := strings.ToLower(strings.Join(text, "\n"))
	for _, w := range strings.Fields(q) {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

// listing computes (or, while the client pages through an unchanged calendar,
// reuses) the sorted items of an events.list query.
func (s *Server) listing(c *call, since uint64, syncing, single bool, from, to time.Time) (*eventListing, *apiError) {
	cal := c.u.cal
	params := c.r.URL.Query()
	params.Del("pageToken")
	params.Del("maxResults")
	query := params.Encode()
	if l := cal.cache; l != nil && l.seq == cal.seq && l.query == query {
		return l, nil
	}
	updatedMin, aerr := queryTime(c, "updatedMin")
	if aerr != nil {
		return nil, aerr
	}
	q := strings.ToLower(c.query("q"))
	showDeleted := c.query("showDeleted") == "true" || !updatedMin.IsZero()
	var items []instance
	for _, ce := range cal.events {
		switch {
		case syncing && ce.seq <= since:
			continue
		case !syncing && ce.Status == "cancelled" && !showDeleted:
			continue
		case ce.updated.Before(updatedMin):
			continue
		case q != "" && !eventMatches(ce, q):
			continue
		}
		for _, in := range expand(cal, ce, c.u.email, single, from, to, c.now) {
			if (!from.IsZero() && !in.end.After(from)) || (!to.IsZero() && !in.start.Before(to)) {
				continue
			}
			items = append(items, in)
		}
	}
	key := func(in instance) string { return rfc3339ms(in.start) + "/" + in.ev.Id }
	if c.query("orderBy") == "updated" {
		key = func(in instance) string { return fmt.Sprintf("%020d/%s", in.seq, in.ev.Id) }
	}
	keys := make([]string, len(items))
	for i, in := range items {
		keys[i] = key(in)
	}
	sort.Sort(byKey{items, keys})
	cal.cache = &eventListing{query: query, seq: cal.seq, items: items, keys: keys}
	return cal.cache, nil
}

// byKey sorts instances and their precomputed keys together.
type byKey struct {
	items []instance
	keys  []string
}

func (b byKey) Len() int           { return len(b.items) }
func (b byKey) Less(i, j int) bool { return b.keys[i] < b.keys[j] }
func (b byKey) Swap(i, j int) {
	b.items[i], b.items[j] = b.items[j], b.items[i]
	b.keys[i], b.keys[j] = b.keys[j], b.keys[i]
}
