package importer

import (
	"bufio"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	ical "github.com/emersion/go-ical"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
)

// LoadICS reads the VEVENTs of one or more VCALENDARs. Times keep their
// TZID zone (IANA, or Outlook's and Lightning's names for one; floating
// times use the calendar's X-WR-TIMEZONE, else UTC);
// DATE values are all-day events; RRULE/RDATE/EXDATE lines are kept as the
// event's Recurrence, as Google returns them. An event with no DTSTART or an
// unknown zone is reported as "#<UID>" and skipped.
func LoadICS(r io.Reader) (emulator.Workspace, []LoadError, error) {
	var (
		ws   emulator.Workspace
		errs []LoadError
	)
	dec := ical.NewDecoder(r)
	for {
		cal, err := decodeICS(dec)
		if errors.Is(err, io.EOF) {
			return ws, errs, nil
		}
		if err != nil {
			return emulator.Workspace{}, errs, fmt.Errorf("load ics: %w", err)
		}
		floating := time.UTC
		if tz, _ := cal.Props.Text("X-WR-TIMEZONE"); tz != "" {
			if loc, err := time.LoadLocation(tz); err == nil {
				floating = loc
			}
		}
		for _, ve := range cal.Events() {
			ev, err := loadICSEvent(ve, floating)
			if err != nil {
				uid, _ := ve.Props.Text(ical.PropUID)
				errs = append(errs, LoadError{Path: "#" + uid, Reason: err.Error()})
				continue
			}
			ws.Events = append(ws.Events, ev)
		}
	}
}

// decodeICS reads the next calendar. go-ical panics on some malformed
// content lines (a parameter cut short: "X;A="); that is a bad file, not a
// crash of the import.
func decodeICS(dec *ical.Decoder) (cal *ical.Calendar, err error) {
	defer func() {
		if p := recover(); p != nil {
			cal, err = nil, fmt.Errorf("malformed content line: %v", p)
		}
	}()
	return dec.Decode()
}

func loadICSEvent(ve ical.Event, floating *time.Location) (emulator.Event, error) {
	startProp := ve.Props.Get(ical.PropDateTimeStart)
	if startProp == nil {
		return emulator.Event{}, errors.New("no DTSTART")
	}
	for _, props := range ve.Props {
		for i := range props {
			if tz := props[i].Params.Get(ical.PropTimezoneID); tz != "" {
				props[i].Params.Set(ical.PropTimezoneID, loadICSZone(tz))
			}
		}
	}
	start, err := ve.DateTimeStart(floating)
	if err != nil {
		return emulator.Event{}, fmt.Errorf("DTSTART: %w", err)
	}
	end, err := ve.DateTimeEnd(floating)
	if err != nil {
		return emulator.Event{}, fmt.Errorf("DTEND: %w", err)
	}
	text := func(name string) string { s, _ := ve.Props.Text(name); return s }
	ev := emulator.Event{
		Summary:     text(ical.PropSummary),
		Description: text(ical.PropDescription),
		Location:    text(ical.PropLocation),
		Start:       start,
		End:         end,
		AllDay:      startProp.ValueType() == ical.ValueDate || len(startProp.Value) == len("20060102"),
		TimeZone:    startProp.Params.Get(ical.PropTimezoneID),
		Status:      strings.ToLower(text(ical.PropStatus)),
	}
	if ev.TimeZone == "" {
		ev.TimeZone = start.Location().String()
	}
	if ev.Status == "" {
		ev.Status = "confirmed"
	}
	if org := ve.Props.Get(ical.PropOrganizer); org != nil {
		ev.Organizer = loadMailto(org.Value)
	}
	for _, a := range ve.Props.Values(ical.PropAttendee) {
		email := loadMailto(a.Value)
		ev.Attendees = append(ev.Attendees, emulator.Attendee{
			Email:          email,
			DisplayName:    a.Params.Get(ical.ParamCommonName),
			ResponseStatus: loadPartStat(a.Params.Get(ical.ParamParticipationStatus)),
			Organizer:      email != "" && strings.EqualFold(email, ev.Organizer),
		})
	}
	for _, name := range []string{ical.PropRecurrenceRule, ical.PropRecurrenceDates, ical.PropExceptionDates} {
		for _, p := range ve.Props.Values(name) {
			line := name
			if tz := p.Params.Get(ical.PropTimezoneID); tz != "" {
				line += ";TZID=" + tz
			}
			ev.Recurrence = append(ev.Recurrence, line+":"+p.Value)
		}
	}
	return ev, nil
}

// loadICSZone turns the TZIDs other calendars write into IANA names where
// it can: Outlook's Windows names ("W. Europe Standard Time") and
// Lightning's "/mozilla.org/20050126_1/Europe/Berlin". Others are returned
// as they are, to fail when loaded.
func loadICSZone(tzid string) string {
	if _, err := time.LoadLocation(tzid); err == nil {
		return tzid
	}
	parts := strings.Split(strings.Trim(tzid, "/"), "/")
	for n := 3; n >= 2; n-- {
		if len(parts) >= n {
			if name := strings.Join(parts[len(parts)-n:], "/"); loadZoneExists(name) {
				return name
			}
		}
	}
	switch strings.TrimSpace(tzid) {
	case "Pacific Standard Time":
		return "America/Los_Angeles"
	case "Mountain Standard Time":
		return "America/Denver"
	case "Central Standard Time":
		return "America/Chicago"
	case "Eastern Standard Time":
		return "America/New_York"
	case "GMT Standard Time":
		return "Europe/London"
	case "W. Europe Standard Time":
		return "Europe/Berlin"
	case "Romance Standard Time":
		return "Europe/Paris"
	case "Central Europe Standard Time":
		return "Europe/Budapest"
	case "Central European Standard Time":
		return "Europe/Warsaw"
	case "India Standard Time":
		return "Asia/Kolkata"
	case "China Standard Time":
		return "Asia/Shanghai"
	case "Tokyo Standard Time":
		return "Asia/Tokyo"
	case "AUS Eastern Standard Time":
		return "Australia/Sydney"
	case "UTC", "Coordinated Universal Time":
		return "UTC"
	}
	return tzid
}

func loadZoneExists(name string) bool {
	_, err := time.LoadLocation(name)
	return err == nil && strings.Contains(name, "/")
}

func loadMailto(v string) string {
	if len(v) > 7 && strings.EqualFold(v[:7], "mailto:") {
		return v[7:]
	}
	return v
}

// loadPartStat maps iCalendar PARTSTAT to Calendar API responseStatus.
func loadPartStat(s string) string {
	switch strings.ToUpper(s) {
	case "ACCEPTED":
		return "accepted"
	case "DECLINED":
		return "declined"
	case "TENTATIVE":
		return "tentative"
	}
	return "needsAction"
}

// The Kubernetes community meeting formats (../shared/data/k8s-meetings).
type loadMeeting struct {
	UID       string   `json:"uid"`
	Group     string   `json:"group"`
	Date      string   `json:"date"`
	Title     string   `json:"title"`
	Cancelled bool     `json:"cancelled"`
	Attendees []string `json:"attendees"`
	Agenda    string   `json:"agenda"`
	Source    string   `json:"source"`
}

// RecurringSeries is one line of recurring_meetings.jsonl: a meeting series
// as kubernetes/community's sigs.yaml describes it, in free text
// ("Tuesday", "10:00", "PT (Pacific Time)", "biweekly starting ...").
type RecurringSeries struct {
	Group     string   `json:"group"` // "Node", "Cloud Provider / provider-aws", "Steering"
	Kind      string   `json:"kind"`  // sigs, workinggroups, committees
	Title     string   `json:"title"`
	Day       string   `json:"day"`
	Time      string   `json:"time"`
	TZ        string   `json:"tz"`
	Frequency string   `json:"frequency"`
	Leads     []string `json:"leads"`
	Source    string   `json:"source"`
}

// Meetings without a matching series start at this time of day, in UTC, and
// every meeting lasts loadMeetingLength.
const (
	loadDefaultHour   = 17
	loadMeetingLength = time.Hour
)

// LoadEventsJSONL reads the Kubernetes meetings format (one JSON object per
// line: uid, group, title, date, attendees, agenda, cancelled, source) into
// events on the meeting's date. The time of day and IANA zone come from the
// series of the same group (SeriesGroup) in series, preferring one held on
// the meeting's weekday, then the group's regular/main/public meeting;
// meetings of a group without a series start at 17:00 UTC. Every meeting
// lasts one hour. Cancelled meetings have status "cancelled". Attendees are
// names without addresses, so they are kept as display names and listed in
// the description. Bad lines are reported as "#<line>" and skipped.
func LoadEventsJSONL(r io.Reader, series []RecurringSeries) (emulator.Workspace, []LoadError, error) {
	var (
		ws   emulator.Workspace
		errs []LoadError
	)
	scheds := make([]loadSchedule, 0, len(series))
	for _, s := range series {
		if sc, err := s.schedule(); err == nil {
			scheds = append(scheds, sc)
		}
	}
	err := loadJSONLines(r, func(n int, line []byte) {
		var m loadMeeting
		if err := json.Unmarshal(line, &m); err != nil {
			errs = append(errs, LoadError{Path: fmt.Sprintf("#%d", n), Reason: err.Error()})
			return
		}
		day, err := time.Parse(time.DateOnly, m.Date)
		if err != nil {
			errs = append(errs, LoadError{Path: fmt.Sprintf("#%d", n), Reason: "date: " + err.Error()})
			return
		}
		start := time.Date(day.Year(), day.Month(), day.Day(), loadDefaultHour, 0, 0, 0, time.UTC)
		if sc, ok := loadPickSchedule(scheds, m.Group, day.Weekday()); ok {
			start = time.Date(day.Year(), day.Month(), day.Day(), sc.hour, sc.min, 0, 0, sc.loc)
		}
		ws.Events = append(ws.Events, loadMeetingEvent(m, start))
	})
	if err != nil {
		return emulator.Workspace{}, errs, fmt.Errorf("load events: %w", err)
	}
	return ws, errs, nil
}

func loadMeetingEvent(m loadMeeting, start time.Time) emulator.Event {
	var names []string
	for _, a := range m.Attendees {
		if a = strings.TrimSpace(a); a != "" && a != "?" {
			names = append(names, a)
		}
	}
	desc := strings.TrimSpace(m.Agenda)
	if len(names) > 0 {
		desc += "\n\nAttendees: " + strings.Join(names, ", ")
	}
	if m.Source != "" {
		desc += "\n\nNotes: " + m.Source
	}
	ev := emulator.Event{
		ID:          loadEventID(strings.ReplaceAll(m.UID, "-", "")),
		Summary:     m.Title,
		Description: strings.TrimSpace(desc),
		Start:       start,
		End:         start.Add(loadMeetingLength),
		TimeZone:    start.Location().String(),
		Status:      "confirmed",
	}
	if m.Cancelled {
		ev.Status = "cancelled"
	}
	for _, n := range names {
		ev.Attendees = append(ev.Attendees, emulator.Attendee{DisplayName: n, ResponseStatus: "accepted"})
	}
	return ev
}

// loadEventID keeps id when Calendar accepts it (base32hex, 5-1024 chars),
// so events keep their ids across loads; otherwise the emulator assigns one.
func loadEventID(id string) string {
	id = strings.ToLower(id)
	if len(id) < 5 || len(id) > 1024 || strings.Trim(id, "0123456789abcdefghijklmnopqrstuv") != "" {
		return ""
	}
	return id
}

// LoadRecurringSeries reads recurring_meetings.jsonl. A series whose day,
// time, zone or frequency cannot be understood is reported as "#<line>" and
// skipped.
func LoadRecurringSeries(r io.Reader) ([]RecurringSeries, []LoadError, error) {
	var (
		out  []RecurringSeries
		errs []LoadError
	)
	err := loadJSONLines(r, func(n int, line []byte) {
		var s RecurringSeries
		err := json.Unmarshal(line, &s)
		if err == nil {
			_, err = s.schedule()
		}
		if err != nil {
			errs = append(errs, LoadError{Path: fmt.Sprintf("#%d", n), Reason: err.Error()})
			return
		}
		out = append(out, s)
	})
	if err != nil {
		return nil, errs, fmt.Errorf("load recurring series: %w", err)
	}
	return out, errs, nil
}

func loadJSONLines(r io.Reader, fn func(n int, line []byte)) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for n := 1; sc.Scan(); n++ {
		if line := sc.Bytes(); len(strings.TrimSpace(string(line))) > 0 {
			fn(n, line)
		}
	}
	return sc.Err()
}

// SeriesGroup names the series group a meeting group belongs to:
// "SIG Node" -> "Node", "Steering Committee" -> "Steering".
func SeriesGroup(meetingGroup string) string {
	g := strings.TrimSpace(meetingGroup)
	for _, p := range []string{"SIG ", "WG "} {
		g = strings.TrimPrefix(g, p)
	}
	return strings.TrimSuffix(g, " Committee")
}

// Occurrences returns the series' meetings that start in (after, until],
// each one hour long, with an id derived from the series and date, and a
// description saying they were generated from the series.
func (s RecurringSeries) Occurrences(after, until time.Time) ([]emulator.Event, error) {
	sc, err := s.schedule()
	if err != nil {
		return nil, err
	}
	prefix := map[string]string{"sigs": "SIG ", "workinggroups": "WG "}[s.Kind]
	desc := fmt.Sprintf("Generated from recurring_meetings.jsonl (%s): %s %s %s, %s.",
		s.Source, s.Day, s.Time, s.TZ, s.Frequency)
	if len(s.Leads) > 0 {
		desc += "\nLeads: " + strings.Join(s.Leads, ", ")
	}
	var out []emulator.Event
	for _, start := range sc.between(after, until) {
		sum := sha1.Sum([]byte(s.Group + "\x00" + s.Title + "\x00" + start.Format(time.RFC3339)))
		out = append(out, emulator.Event{
			ID:          hex.EncodeToString(sum[:]),
			Summary:     fmt.Sprintf("%s%s: %s", prefix, s.Group, s.Title),
			Description: desc,
			Start:       start,
			End:         start.Add(loadMeetingLength),
			TimeZone:    sc.loc.String(),
			Status:      "confirmed",
		})
	}
	return out, nil
}

// loadSchedule is a RecurringSeries understood: a weekday and time in a zone,
// repeating every intervalDays days from anchor (the first occurrence after
// the window opens when no anchor is given), or monthly on the nth (-1: last)
// weekday; with afterNth, on the first series weekday after the nth afterDay.
type loadSchedule struct {
	group        string
	title        string
	day          time.Weekday
	hour, min    int
	loc          *time.Location
	intervalDays int
	anchor       time.Time
	nth          int
	afterNth     bool
	afterDay     time.Weekday
}

var (
	loadClockRe   = regexp.MustCompile(`^(\d{1,2})(?::(\d{2}))?\s*([AaPp][Mm])?$`)
	loadOrdinalRe = regexp.MustCompile(`\b(first|second|third|fourth|last|1st|2nd|3rd|4th)\b`)
	loadAfterRe   = regexp.MustCompile(`after the (first|second|third|fourth|last|1st|2nd|3rd|4th) (\w+day)`)
	loadStartRe   = regexp.MustCompile(`starting (?:\w+day )?([a-z]{3})[a-z]*\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})`)
)

func (s RecurringSeries) schedule() (loadSchedule, error) {
	sc := loadSchedule{group: s.Group, title: s.Title}
	day, ok := loadWeekday(s.Day)
	if !ok {
		return sc, fmt.Errorf("day %q: no weekday", s.Day)
	}
	sc.day = day
	m := loadClockRe.FindStringSubmatch(strings.TrimSpace(s.Time))
	if m == nil {
		return sc, fmt.Errorf("time %q: not a clock time", s.Time)
	}
	sc.hour, _ = strconv.Atoi(m[1])
	if m[2] != "" {
		sc.min, _ = strconv.Atoi(m[2])
	}
	if strings.EqualFold(m[3], "pm") && sc.hour < 12 {
		sc.hour += 12
	}
	if sc.hour > 23 || sc.min > 59 {
		return sc, fmt.Errorf("time %q: out of range", s.Time)
	}
	loc, err := loadSeriesZone(s.TZ)
	if err != nil {
		return sc, err
	}
	sc.loc = loc
	text := strings.ToLower(s.Day + " " + s.Frequency)
	switch {
	case loadAfterRe.MatchString(text):
		am := loadAfterRe.FindStringSubmatch(text)
		sc.nth, sc.afterNth = loadOrdinal(am[1]), true
		sc.afterDay, _ = loadWeekday(am[2])
	case strings.Contains(text, "four weeks"):
		sc.intervalDays = 28
	case strings.Contains(text, "month") || loadOrdinalRe.MatchString(text):
		sc.nth = 1
		if om := loadOrdinalRe.FindStringSubmatch(text); om != nil {
			sc.nth = loadOrdinal(om[1])
		}
	case strings.Contains(text, "biweekly") || strings.Contains(text, "bi-weekly"):
		sc.intervalDays = 14
	case strings.Contains(text, "weekly"):
		sc.intervalDays = 7
	default:
		return sc, fmt.Errorf("frequency %q: not understood", s.Frequency)
	}
	if sm := loadStartRe.FindStringSubmatch(text); sm != nil && sc.intervalDays > 0 {
		if t, err := time.ParseInLocation("Jan 2 2006", strings.ToUpper(sm[1][:1])+sm[1][1:]+" "+sm[2]+" "+sm[3], loc); err == nil {
			sc.anchor = t
		}
	}
	return sc, nil
}

func loadWeekday(s string) (time.Weekday, bool) {
	for _, w := range strings.Fields(strings.ToLower(s)) {
		w = strings.TrimSuffix(strings.Trim(w, "(),."), "s")
		for d := time.Sunday; d <= time.Saturday; d++ {
			if w == strings.ToLower(d.String()) {
				return d, true
			}
		}
	}
	return 0, false
}

func loadOrdinal(s string) int {
	switch s {
	case "second", "2nd":
		return 2
	case "third", "3rd":
		return 3
	case "fourth", "4th":
		return 4
	case "last":
		return -1
	}
	return 1
}

// loadSeriesZone maps sigs.yaml's zone names to IANA zones ("CET" is taken
// as Europe/Berlin, "IST" as India).
func loadSeriesZone(tz string) (*time.Location, error) {
	f := strings.Fields(strings.ToUpper(tz))
	name := ""
	if len(f) > 0 {
		switch f[0] {
		case "PT", "PST", "PDT", "PACIFIC":
			name = "America/Los_Angeles"
		case "ET", "EST", "EDT", "EASTERN":
			name = "America/New_York"
		case "CET", "CEST":
			name = "Europe/Berlin"
		case "POLAND":
			name = "Europe/Warsaw"
		case "IST":
			name = "Asia/Kolkata"
		case "UTC", "GMT":
			name = "UTC"
		}
	}
	if name == "" {
		return nil, fmt.Errorf("zone %q: unknown", tz)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("zone %q: %w", tz, err)
	}
	return loc, nil
}

func loadPickSchedule(scheds []loadSchedule, meetingGroup string, day time.Weekday) (loadSchedule, bool) {
	group := SeriesGroup(meetingGroup)
	best, bestScore := loadSchedule{}, -1
	for _, sc := range scheds {
		if sc.group != group {
			continue
		}
		score := 0
		if sc.day == day {
			score += 2
		}
		if t := strings.ToLower(sc.title); strings.Contains(t, "regular") || strings.Contains(t, "main") || strings.Contains(t, "public") {
			score++
		}
		if score > bestScore {
			best, bestScore = sc, score
		}
	}
	return best, bestScore >= 0
}

// between lists the starts in (after, until].
func (sc loadSchedule) between(after, until time.Time) []time.Time {
	var out []time.Time
	first := time.Time{}
	a := after.In(sc.loc)
	for d := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, sc.loc); !d.After(until); d = d.AddDate(0, 0, 1) {
		start := time.Date(d.Year(), d.Month(), d.Day(), sc.hour, sc.min, 0, 0, sc.loc)
		if !start.After(after) || start.After(until) || !sc.on(d) {
			continue
		}
		if sc.intervalDays > 0 {
			anchor := sc.anchor
			if anchor.IsZero() {
				if first.IsZero() {
					first = d
				}
				anchor = first
			}
			if days := loadDaysBetween(anchor, d); days < 0 || days%sc.intervalDays != 0 {
				continue
			}
		}
		out = append(out, start)
	}
	return out
}

// on says whether the series meets on date d (ignoring the interval phase).
func (sc loadSchedule) on(d time.Time) bool {
	if d.Weekday() != sc.day {
		return false
	}
	switch {
	case sc.afterNth:
		base := loadNthWeekday(d.Year(), d.Month(), sc.afterDay, sc.nth, sc.loc)
		next := base.AddDate(0, 0, 1+(int(sc.day)-int(base.Weekday())+6)%7)
		return loadDaysBetween(next, d) == 0
	case sc.intervalDays == 0:
		return loadDaysBetween(loadNthWeekday(d.Year(), d.Month(), sc.day, sc.nth, sc.loc), d) == 0
	}
	return true
}

func loadNthWeekday(year int, month time.Month, day time.Weekday, nth int, loc *time.Location) time.Time {
	if nth < 0 {
		last := time.Date(year, month+1, 0, 0, 0, 0, 0, loc)
		return last.AddDate(0, 0, -((int(last.Weekday()) - int(day) + 7) % 7))
	}
	first := time.Date(year, month, 1, 0, 0, 0, 0, loc)
	return first.AddDate(0, 0, (int(day)-int(first.Weekday())+7)%7+7*(nth-1))
}

// loadDaysBetween counts calendar days from a to b, immune to DST changes.
func loadDaysBetween(a, b time.Time) int {
	da := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	db := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
	return int(db.Sub(da).Hours() / 24)
}
