package intent

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/dates"
)

var (
	pronounActRE = rx(`\b(send|move|reschedule|postpone|push|shift|change|cancel|delete|remove|share|read|open|show|forward|reply(?:\s+to)?|respond(?:\s+to)?|answer)\s+(?:it|that|this|this one|that one|them)\b`)
	ordinals     = map[string]int{"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
		"fifth": 5, "5th": 5, "sixth": 6, "6th": 6, "seventh": 7, "7th": 7, "eighth": 8, "8th": 8, "ninth": 9, "9th": 9, "tenth": 10, "10th": 10}
	kindWords = map[string]string{"email": "email", "mail": "email", "message": "email", "event": "event", "meeting": "event",
		"file": "file", "doc": "file", "document": "file"}
)

// respond replies to or forwards an email shown earlier: read it, draft the
// answer from it (a reply goes to its sender unless someone is named) and
// propose sending.
func (a *analysis) respond(ref ItemRef, reply bool) Intent {
	mode := "forward"
	if reply {
		mode = "reply"
	}
	draft := Params{ParamMode: mode, ParamBody: ""}
	if mode == "forward" || len(a.people)+len(a.unknown) > 0 {
		to, question := a.recipients(mode + " it to")
		if question != "" {
			return a.clarify(question)
		}
		setList(draft, ParamTo, to)
	}
	if say := a.message(); say != "" {
		draft[ParamBody] = subject(say) + "."
	}
	read := a.add(Step{Service: domain.ServiceGmail, Operation: OpRead, Params: refParams(ref)})
	d := a.add(Step{Service: domain.ServiceGmail, Operation: OpDraft, Params: draft, DependsOn: []string{read.ID}})
	a.add(Step{Service: domain.ServiceGmail, Operation: OpSend, Params: Params{}, DependsOn: []string{d.ID}})
	return a.intent(0.85)
}

// ordinal finds "the second one", "the last email", "number 3"; at is its offset.
func (a *analysis) ordinal() ([]string, int) {
	idx := ordinalRE.FindStringSubmatchIndex(a.q)
	if idx == nil {
		return nil, 0
	}
	m := make([]string, len(idx)/2)
	for i := range m {
		if idx[2*i] >= 0 {
			m[i] = a.q[idx[2*i]:idx[2*i+1]]
		}
	}
	return m, idx[2]
}

func ofKind(items []ItemRef, kind string) []ItemRef {
	var out []ItemRef
	for _, it := range items {
		if it.Kind == kind {
			out = append(out, it)
		}
	}
	return out
}

func lastDraft(t Turn) (ItemRef, bool) {
	for _, it := range t.Items {
		if it.Kind == "draft" {
			return it, true
		}
	}
	return ItemRef{}, false
}

func listRefs(refs []ItemRef, loc *time.Location) string {
	var parts []string
	for i, r := range refs {
		s := fmt.Sprintf("%d. %q", i+1, r.Title)
		if !r.At.IsZero() {
			s += " (" + dates.Instant(r.At, loc) + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

func refParams(ref ItemRef) Params {
	p := Params{ParamItemID: ref.ID, ParamTitle: ref.Title}
	if ref.CalendarID != "" {
		p[ParamCalendarID] = ref.CalendarID
	}
	if ref.RowID != uuid.Nil {
		p[ParamRowID] = ref.RowID.String()
	}
	return p
}

var aboutOnlyRE = regexp.MustCompile(`(?i)^(?:and\s+)?(?:what|how)\s+about\s+|^and\s+|^what\s+of\s+`)

// repeat runs the previous turn's searches again with what this request
// changes: its dates, people or topic.
func (a *analysis) repeat(last Turn) (Intent, bool) {
	rest := strings.TrimSpace(aboutOnlyRE.ReplaceAllString(a.q, ""))
	for _, s := range last.Intent.Steps {
		if s.Operation != OpSearch {
			continue
		}
		p := Params{}
		for k, v := range s.Params {
			p[k] = v
		}
		fresh := a.searchParams(s.Service)
		if unit, dir, ok := relativeWindow(a.q); ok {
			shiftWindow(p, unit, dir, a.now, a.loc)
		} else if len(a.ent.Dates) > 0 || len(a.ent.Times) > 0 {
			delete(p, ParamAfter)
			delete(p, ParamBefore)
			for _, k := range []string{ParamAfter, ParamBefore} {
				if v, ok := fresh[k]; ok {
					p[k] = v
				}
			}
		}
		if len(a.people) > 0 {
			// Someone named with no role of their own ("what about Tori?")
			// takes the place of whoever was searched for before.
			if with, ok := fresh[ParamAttendees]; ok && s.Service == domain.ServiceGmail && len(fresh.Strings(ParamFrom))+len(fresh.Strings(ParamTo)) == 0 {
				for _, k := range []string{ParamFrom, ParamTo} {
					if _, had := s.Params[k]; had {
						delete(fresh, ParamAttendees)
						fresh[k] = with
						break
					}
				}
			}
			for _, k := range []string{ParamFrom, ParamTo, ParamAttendees} {
				delete(p, k)
				if v, ok := fresh[k]; ok {
					p[k] = v
				}
			}
		}
		if _, _, rel := relativeWindow(a.q); !rel && len(a.ent.Dates) == 0 && len(a.ent.Times) == 0 && len(a.people) == 0 && rest != "" {
			p[ParamQuery] = strings.TrimRight(rest, "?!. ")
		}
		a.add(Step{Service: s.Service, Operation: OpSearch, Params: p})
	}
	if len(a.steps) == 0 {
		return Intent{}, false
	}
	return a.intent(0.8), true
}

// relWindowRE finds a window named relative to the one shown: "the day
// after", "the week after that", "the next day", "the previous month".
// "next week" alone counts from today and is the date parser's.
var relWindowRE = rx(`\b(?:the\s+)?(day|week|month|year)\s+(after|before)(?:\s+that)?\b|\bthe\s+(next|following|previous|preceding)\s+(day|week|month|year)\b|\b(?:a|one)\s+(day|week|month)\s+(later|earlier)\b`)

// relativeWindow reads relWindowRE's unit and direction (+1 after, -1 before).
func relativeWindow(q string) (unit string, dir int, ok bool) {
	m := relWindowRE.FindStringSubmatch(q)
	if m == nil {
		return "", 0, false
	}
	unit, word := m[1]+m[4]+m[5], strings.ToLower(m[2]+m[3]+m[6])
	dir = 1
	if word == "before" || word == "previous" || word == "preceding" || word == "earlier" {
		dir = -1
	}
	return strings.ToLower(unit), dir, true
}

// shiftWindow moves a search's after/before to the unit after (dir 1) or
// before (-1) the window it had: a window of that unit's length is shifted
// by it ("Friday" -> "the day after" is Saturday); a window of another
// length gives the unit next to it ("this week" -> "the day after" is the
// day after the week). A search with no window counts from today.
func shiftWindow(p Params, unit string, dir int, now time.Time, loc *time.Location) {
	step := func(t time.Time, n int) time.Time {
		switch unit {
		case "week":
			return t.AddDate(0, 0, 7*n)
		case "month":
			return t.AddDate(0, n, 0)
		case "year":
			return t.AddDate(n, 0, 0)
		}
		return t.AddDate(0, 0, n)
	}
	parse := func(k string) (time.Time, bool) {
		v, _ := p[k].(string)
		t, err := time.Parse(time.RFC3339, v)
		return t.In(loc), err == nil
	}
	after, hasAfter := parse(ParamAfter)
	before, hasBefore := parse(ParamBefore)
	if !hasAfter && !hasBefore {
		y, mo, d := now.In(loc).Date()
		after, before = time.Date(y, mo, d, 0, 0, 0, 0, loc), time.Date(y, mo, d+1, 0, 0, 0, 0, loc)
	} else if !hasBefore {
		before = step(after, 1)
	} else if !hasAfter {
		after = step(before, -1)
	}
	var from, to time.Time
	switch {
	case step(after, 1).Equal(before):
		from, to = step(after, dir), step(before, dir)
	case dir > 0:
		from, to = before, step(before, 1)
	default:
		from, to = step(after, -1), after
	}
	p[ParamAfter], p[ParamBefore] = from.Format(time.RFC3339), to.Format(time.RFC3339)
}

var (
	// reviseRE are the words of a change to something just proposed.
	reviseRE = rx(`\b(?:instead|rather|make\s+(?:it|that)|change|rename|retitle|call\s+it|title|invite|add|include|also|too|as\s+well|move\s+it|push\s+it|shift\s+it|actually|long)\b`)
	// retitleRE gives a new title: "change the title to X", "call it X".
	retitleRE = rx(`\b(?:(?:change|set|update|make)\s+(?:the\s+|its\s+)?(?:title|name)\s+(?:to|as)|(?:rename|retitle)\s+(?:it|that|the\s+(?:event|meeting))?\s*(?:to|as)?|call\s+(?:it|that))\s+(.+)$`)
	// keepOffRE says not to do something: never a revision.
	keepOffRE = rx(`\b(?:don'?t|do\s+not|never\s*mind|forget\s+(?:it|that|about)|no\s+need)\b`)
)

// revise changes the event a pending proposal would create ("make it 4pm
// instead", "change the title to Budget review", "invite Ann too"): the
// same event proposed again with the change, in place of searching for an
// existing event. Nothing is created until the new proposal is confirmed.
func (a *analysis) revise(last Turn) (Intent, bool) {
	var proposed *Step
	for _, ac := range pendingOf(last) {
		if ac.Kind != doCreate {
			continue
		}
		for i, s := range last.Intent.Steps {
			if s.Service == domain.ServiceCalendar && s.Operation == OpCreate {
				proposed = &last.Intent.Steps[i]
			}
		}
	}
	if proposed == nil || !reviseRE.MatchString(a.q) || keepOffRE.MatchString(a.q) || cancelVerbRE.MatchString(a.q) {
		return Intent{}, false
	}
	p := maps.Clone(proposed.Params)
	changed := false
	end := len(a.q)
	if m := retitleRE.FindStringSubmatchIndex(a.q); m != nil {
		p[ParamTitle] = capital(strings.Trim(a.q[m[2]:m[3]], `"'“”?.! `))
		end, changed = m[0], true
	}
	old, err := time.Parse(time.RFC3339, p.String(ParamStart))
	if err != nil {
		return Intent{}, false
	}
	length := DefaultEventLength
	if e, err := time.Parse(time.RFC3339, p.String(ParamEnd)); err == nil && e.After(old) {
		length = e.Sub(old)
	}
	var at []dates.Match
	for _, m := range a.matches {
		if m.Start < end {
			at = append(at, m)
		}
	}
	start := old
	var newStart *time.Time
	var newDay *dates.Range
	for _, m := range at {
		if m.Duration > 0 && !shiftRE.MatchString(a.q) {
			length, changed = m.Duration, true // "make it an hour long", "from 3 to 4pm"
		}
		if m.Time != nil {
			newStart = m.Time
		} else if !m.Range.IsZero() {
			newDay = &m.Range
		}
	}
	if newStart != nil || newDay != nil {
		start, changed = a.moved(old, newStart, newDay, newStart != nil && !hasDatePart(at)), true
	} else if d := a.shift(); d != 0 {
		start, changed = old.Add(d), true
	}
	if len(a.people)+len(a.unknown) > 0 {
		to, question := a.recipients("invite")
		if question != "" {
			return a.clarify(question), true
		}
		attendees := p.Strings(ParamAttendees)
		for _, e := range to {
			if !slices.Contains(attendees, e) {
				attendees = append(attendees, e)
			}
		}
		p[ParamAttendees], changed = attendees, true
	}
	if !changed {
		return Intent{}, false
	}
	p[ParamStart], p[ParamEnd] = start.Format(time.RFC3339), start.Add(length).Format(time.RFC3339)
	p[ParamDuration] = int(length / time.Minute)
	a.add(Step{Service: domain.ServiceCalendar, Operation: OpCreate, Params: p})
	return a.intent(0.85), true
}
