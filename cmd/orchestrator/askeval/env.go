package askeval

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// checkError is a problem with the server or the cases, not a failed
// expectation (ask_check.py's CheckError).
type checkError struct{ msg string }

func (e *checkError) Error() string { return e.msg }

func errf(format string, args ...any) error { return &checkError{fmt.Sprintf(format, args...)} }

// client speaks GraphQL over HTTP with a bearer token.
type client struct {
	url   string
	token string
	http  *http.Client
}

func (c *client) gql(ctx context.Context, query string, vars map[string]any, out any) error {
	if vars == nil {
		vars = map[string]any{}
	}
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return errf("bad url %s: %v", c.url, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return errf("cannot reach %s: %v", c.url, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return errf("reading %s: %v", c.url, err)
	}
	var env struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return errf("HTTP %d from %s", resp.StatusCode, c.url)
	}
	if len(env.Errors) > 0 {
		msgs := make([]string, len(env.Errors))
		for i, e := range env.Errors {
			msgs[i] = cmp.Or(e.Message, "?")
		}
		return errf("GraphQL error: %s", strings.Join(msgs, "; "))
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(env.Data, out); err != nil {
		return errf("GraphQL answer: %v", err)
	}
	return nil
}

// item is one email, event or file in the one shape matchers read
// (ask_check.py's norm_item).
type item struct {
	Type, ID, Title string
	At, End         time.Time // zero: unknown
	From, FromName  string
	To              []string
	Text            string
	Names           []string
	Labels          []string
	TZ              string
	Status          string
	Folder          string
	Owners          []string
	Unresolved      bool
}

type person struct{ Name, Email string }

type rawNode struct {
	Typename string `json:"__typename"`
	// Email
	GmailID    string   `json:"gmailId"`
	Subject    string   `json:"subject"`
	From       person   `json:"from"`
	To         []person `json:"to"`
	Cc         []person `json:"cc"`
	ReceivedAt string   `json:"receivedAt"`
	Labels     []string `json:"labels"`
	Snippet    string   `json:"snippet"`
	Body       string   `json:"body"`
	// Event
	CalendarEventID string   `json:"calendarEventId"`
	Title           string   `json:"title"`
	Start           string   `json:"start"`
	EndAt           string   `json:"end"`
	TimeZone        string   `json:"timeZone"`
	Status          string   `json:"status"`
	Description     string   `json:"description"`
	Attendees       []person `json:"attendees"`
	// File
	DriveFileID  string   `json:"driveFileId"`
	Name         string   `json:"name"`
	ParentFolder string   `json:"parentFolder"`
	Owners       []string `json:"owners"`
	ModifiedAt   string   `json:"modifiedAt"`
	Preview      string   `json:"preview"`
}

func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

func normItem(typ string, n rawNode) item {
	switch typ {
	case "email":
		to := make([]string, 0, len(n.To)+len(n.Cc))
		for _, a := range append(append([]person{}, n.To...), n.Cc...) {
			to = append(to, strings.ToLower(a.Email))
		}
		return item{Type: "email", ID: n.GmailID, Title: n.Subject, At: parseTime(n.ReceivedAt),
			From: strings.ToLower(n.From.Email), FromName: n.From.Name, To: to,
			Text: cmp.Or(n.Body, n.Snippet), Names: []string{n.From.Name}, Labels: n.Labels}
	case "event":
		var names, to []string
		for _, a := range n.Attendees {
			names = append(names, a.Name)
			if a.Email != "" {
				to = append(to, strings.ToLower(a.Email))
			}
		}
		return item{Type: "event", ID: n.CalendarEventID, Title: n.Title, At: parseTime(n.Start), End: parseTime(n.EndAt),
			TZ: n.TimeZone, Text: n.Description, Names: names, To: to, Status: n.Status}
	}
	owners := make([]string, len(n.Owners))
	for i, o := range n.Owners {
		owners[i] = strings.ToLower(o)
	}
	return item{Type: "file", ID: n.DriveFileID, Title: n.Name, At: parseTime(n.ModifiedAt), Folder: n.ParentFolder,
		Owners: owners, Text: n.Preview}
}

const (
	emailFields = "gmailId subject from { name email } to { name email } cc { name email } receivedAt labels snippet"
	eventFields = "calendarEventId title start end timeZone status description attendees { name email }"
	fileFields  = "driveFileId name parentFolder owners modifiedAt preview"
	nodeQuery   = `query($id: ID!) { node(id: $id) {
  __typename
  ... on Email { ` + emailFields + ` body }
  ... on Event { ` + eventFields + ` }
  ... on File { ` + fileFields + ` }
} }`
)

var listingOf = map[string][3]string{
	"email": {"emails", emailFields, "EmailFilter"},
	"event": {"events", eventFields, "EventFilter"},
	"file":  {"files", fileFields, "FileFilter"},
}

// env is what a run knows: the client, the clock, the user's zone and
// lookup caches (ask_check.py's Env).
type env struct {
	c      *client
	tzname string
	tz     *time.Location
	now    time.Time

	nodes   map[string]*item
	lists   map[string][]item
	anchors map[string]time.Time
}

func newEnv(ctx context.Context, c *client, now time.Time) (*env, error) {
	var me struct {
		Me struct {
			Email    string `json:"email"`
			TimeZone string `json:"timeZone"`
		} `json:"me"`
	}
	if err := c.gql(ctx, "{ me { email timeZone } }", nil, &me); err != nil {
		return nil, err
	}
	e := &env{c: c, tzname: cmp.Or(me.Me.TimeZone, "UTC"), nodes: map[string]*item{}, lists: map[string][]item{}, anchors: map[string]time.Time{}}
	e.tz = zone(e.tzname)
	e.now = now.In(e.tz)
	return e, nil
}

func zone(name string) *time.Location {
	if name != "" {
		if loc, err := time.LoadLocation(name); err == nil {
			return loc
		}
	}
	return time.UTC
}

func (e *env) midnight(t time.Time) time.Time {
	t = t.In(e.tz)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, e.tz)
}

func (e *env) addDays(t time.Time, n int) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day()+n, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
}

// anchorEmail is the received time of the one email whose subject is subject.
func (e *env) anchorEmail(ctx context.Context, subject string) (time.Time, error) {
	if t, ok := e.anchors[subject]; ok {
		return t, nil
	}
	var out struct {
		Emails struct {
			Edges []struct {
				Node struct {
					Subject    string `json:"subject"`
					ReceivedAt string `json:"receivedAt"`
				} `json:"node"`
			} `json:"edges"`
		} `json:"emails"`
	}
	if err := e.c.gql(ctx, "query($f: EmailFilter) { emails(filter: $f, first: 50) { edges { node { subject receivedAt } } } }",
		map[string]any{"f": map[string]any{"query": subject}}, &out); err != nil {
		return time.Time{}, err
	}
	for _, ed := range out.Emails.Edges {
		if strings.EqualFold(strings.TrimSpace(ed.Node.Subject), strings.TrimSpace(subject)) {
			t := parseTime(ed.Node.ReceivedAt).In(e.tz)
			e.anchors[subject] = t
			return t, nil
		}
	}
	return time.Time{}, errf("anchor email %q not found", subject)
}

var (
	weekdayRe = regexp.MustCompile(`:(mon|tue|wed|thu|fri|sat|sun)$`)
	nDaysRe   = regexp.MustCompile(`^(next|last)_(\d+)_days$`)
	monthRe   = regexp.MustCompile(`^month:\d{4}-\d{2}$`)
	dayRe     = regexp.MustCompile(`^day:\d{4}-\d{2}-\d{2}$`)
)

var weekdays = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// weekdayIndex is Python's weekday(): Monday 0.
func weekdayIndex(t time.Time) int { return (int(t.Weekday()) + 6) % 7 }

// window is the [start, end) of a named window; a zero side is open.
func (e *env) window(ctx context.Context, name string) (start, end time.Time, err error) {
	now := e.now
	today := e.midnight(now)
	day := ""
	if weekdayRe.MatchString(name) {
		i := strings.LastIndex(name, ":")
		name, day = name[:i], name[i+1:]
	}
	monday := e.addDays(today, -weekdayIndex(today))
	firstOfMonth := func(t time.Time, add int) time.Time {
		return time.Date(t.Year(), t.Month()+time.Month(add), 1, 0, 0, 0, 0, e.tz)
	}
	m := nDaysRe.FindStringSubmatch(name)
	switch {
	case name == "today":
		start, end = today, e.addDays(today, 1)
	case name == "tomorrow":
		start, end = e.addDays(today, 1), e.addDays(today, 2)
	case name == "yesterday":
		start, end = e.addDays(today, -1), today
	case name == "this_week":
		start, end = monday, e.addDays(monday, 7)
	case name == "next_week":
		start, end = e.addDays(monday, 7), e.addDays(monday, 14)
	case name == "week_after_next":
		start, end = e.addDays(monday, 14), e.addDays(monday, 21)
	case name == "last_week":
		start, end = e.addDays(monday, -7), monday
	case name == "this_month":
		start, end = firstOfMonth(today, 0), firstOfMonth(today, 1)
	case name == "last_month":
		start, end = firstOfMonth(today, -1), firstOfMonth(today, 0)
	case name == "next_month":
		start, end = firstOfMonth(today, 1), firstOfMonth(today, 2)
	case m != nil && m[1] == "next":
		n, _ := strconv.Atoi(m[2])
		start, end = now, e.addDays(now, n)
	case m != nil:
		n, _ := strconv.Atoi(m[2])
		start, end = e.addDays(now, -n), now
	case name == "rest_of_year":
		start, end = now, time.Date(now.Year()+1, 1, 1, 0, 0, 0, 0, e.tz)
	case name == "upcoming":
		start = now
	case name == "past":
		end = now
	case name == "all":
	case strings.HasPrefix(name, "month:email:"):
		t, err := e.anchorEmail(ctx, strings.TrimPrefix(name, "month:email:"))
		if err != nil {
			return start, end, err
		}
		start, end = firstOfMonth(t, 0), firstOfMonth(t, 1)
	case monthRe.MatchString(name):
		y, _ := strconv.Atoi(name[6:10])
		mo, _ := strconv.Atoi(name[11:13])
		start = time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, e.tz)
		end = firstOfMonth(start, 1)
	case dayRe.MatchString(name):
		d, perr := time.ParseInLocation("2006-01-02", name[4:], e.tz)
		if perr != nil {
			return start, end, errf("unknown window %q", name)
		}
		start, end = d, e.addDays(d, 1)
	default:
		return start, end, errf("unknown window %q", name)
	}
	if day != "" {
		if start.IsZero() {
			return start, end, errf("window %q has no start for a weekday", name)
		}
		s := e.midnight(start)
		for weekdays[weekdayIndex(s)] != day {
			s = e.addDays(s, 1)
		}
		start, end = s, e.addDays(s, 1)
	}
	return start, end, nil
}

func utcISO(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.999999Z07:00") }

// listing lists every item of typ in [start, end) from the plain listings.
func (e *env) listing(ctx context.Context, typ string, start, end time.Time, senders []string, extra map[string]any) ([]item, error) {
	extraKey, _ := json.Marshal(extra) // map keys marshal sorted
	key := fmt.Sprintf("%s|%v|%v|%v|%s", typ, start.UnixNano(), end.UnixNano(), senders, extraKey)
	if v, ok := e.lists[key]; ok {
		return v, nil
	}
	of, ok := listingOf[typ]
	if !ok {
		return nil, errf("unknown type %q", typ)
	}
	f := map[string]any{}
	if !start.IsZero() {
		f["after"] = utcISO(start)
	}
	if !end.IsZero() {
		f["before"] = utcISO(end)
	}
	if typ == "email" {
		if len(senders) > 0 {
			f["from"] = senders
		}
		for k, v := range extra {
			f[k] = v
		}
	}
	q := fmt.Sprintf("query($f: %s, $a: String) { %s(filter: $f, first: 100, after: $a) { pageInfo { hasNextPage endCursor } edges { node { %s } } } }", of[2], of[0], of[1])
	var items []item
	var after any
	for range 40 {
		var out map[string]struct {
			PageInfo struct {
				HasNextPage bool   `json:"hasNextPage"`
				EndCursor   string `json:"endCursor"`
			} `json:"pageInfo"`
			Edges []struct {
				Node rawNode `json:"node"`
			} `json:"edges"`
		}
		if err := e.c.gql(ctx, q, map[string]any{"f": f, "a": after}, &out); err != nil {
			return nil, err
		}
		page := out[of[0]]
		for _, ed := range page.Edges {
			items = append(items, normItem(typ, ed.Node))
		}
		if !page.PageInfo.HasNextPage {
			break
		}
		after = page.PageInfo.EndCursor
	}
	if typ == "event" { // events overlapping the window; `after` admits events ending after it
		kept := items[:0]
		for _, i := range items {
			if (start.IsZero() || !i.At.Before(start) || i.End.After(start)) && (end.IsZero() || i.At.Before(end)) {
				kept = append(kept, i)
			}
		}
		items = kept
	}
	e.lists[key] = items
	return items, nil
}

func (e *env) searchByTitle(ctx context.Context, typ, text string) ([]item, error) {
	key := "search|" + typ + "|" + text
	if v, ok := e.lists[key]; ok {
		return v, nil
	}
	of, ok := listingOf[typ]
	if !ok {
		return nil, errf("unknown type %q", typ)
	}
	q := fmt.Sprintf("query($f: %s) { %s(filter: $f, first: 50) { edges { node { %s } } } }", of[2], of[0], of[1])
	var out map[string]struct {
		Edges []struct {
			Node rawNode `json:"node"`
		} `json:"edges"`
	}
	if err := e.c.gql(ctx, q, map[string]any{"f": map[string]any{"query": text}}, &out); err != nil {
		return nil, err
	}
	var items []item
	for _, ed := range out[of[0]].Edges {
		items = append(items, normItem(typ, ed.Node))
	}
	e.lists[key] = items
	return items, nil
}

// node fetches one item by its GraphQL node id; nil when it is no email,
// event or file.
func (e *env) node(ctx context.Context, id string) (*item, error) {
	if v, ok := e.nodes[id]; ok {
		return v, nil
	}
	var out struct {
		Node *rawNode `json:"node"`
	}
	if err := e.c.gql(ctx, nodeQuery, map[string]any{"id": id}, &out); err != nil {
		return nil, err
	}
	var it *item
	if out.Node != nil {
		typ := map[string]string{"Email": "email", "Event": "event", "File": "file"}[out.Node.Typename]
		if typ != "" {
			n := normItem(typ, *out.Node)
			it = &n
		}
	}
	e.nodes[id] = it
	return it, nil
}

func sortByAt(items []item) {
	sort.SliceStable(items, func(i, j int) bool { return items[i].At.Before(items[j].At) })
}
