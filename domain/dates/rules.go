package dates

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// part is one recognised piece before adjacent pieces are combined.
type part struct {
	start, end int
	date       *Range // a calendar period (day, week, month, year) or a rolling span
	weekday    bool   // date came from a weekday name, so "since" may move it back a week
	span       bool   // date joins two dates ("from June 1 to June 15")
	clock      *clock
	dur        time.Duration
	pod        *[2]int // part of the day, in hours: morning is [6, 12)
}

type clock struct{ hour, min int }

type parser struct {
	text string
	now  time.Time
	loc  *time.Location
}

type rule struct {
	re *regexp.Regexp
	// build turns the submatches (strings, "" for unmatched groups) into a part;
	// false rejects the match.
	build func(p *parser, g []string) (part, bool)
}

const (
	monthRE   = `jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?`
	weekdayRE = `monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun`
	numberRE  = `\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty-five|ninety`
	ampmRE    = `(?:(am|pm)\b|(a\.m\.|p\.m\.))`
)

func re(s string) *regexp.Regexp { return regexp.MustCompile(`(?i)` + s) }

// rules are tried everywhere in the text; at one position the longest wins.
var rules = []rule{
	// 2001-06-15
	{re(`\b(\d{4})-(\d{1,2})-(\d{1,2})\b`), func(p *parser, g []string) (part, bool) {
		return p.day(atoi(g[1]), atoi(g[2]), atoi(g[3]))
	}},
	// 6/15/2001 (US order, as in the mail this product reads)
	{re(`\b(\d{1,2})/(\d{1,2})/(\d{4})\b`), func(p *parser, g []string) (part, bool) {
		return p.day(atoi(g[3]), atoi(g[1]), atoi(g[2]))
	}},
	// 2000-06, in 2000-06 (the preposition is part of it, or "in 2000" below would claim the year)
	{re(`\b(?:(?:in|during)\s+)?(\d{4})-(\d{1,2})\b`), func(p *parser, g []string) (part, bool) {
		return p.month(atoi(g[1]), atoi(g[2]))
	}},
	// June 15, June 15th 2001, on June 15, Wednesday, December 16 (the date
	// wins over the weekday written with it)
	{re(`\b(?:on\s+)?(?:(?:` + weekdayRE + `),?\s+)?(?:the\s+)?(` + monthRE + `)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4})\b)?`), func(p *parser, g []string) (part, bool) {
		return p.day(p.yearOr(g[3]), monthNum(g[1]), atoi(g[2]))
	}},
	// 15 June, the 15th of June 2001
	{re(`\b(?:on\s+)?(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(` + monthRE + `)\b(?:,?\s+(\d{4})\b)?`), func(p *parser, g []string) (part, bool) {
		return p.day(p.yearOr(g[3]), monthNum(g[2]), atoi(g[1]))
	}},
	// June 2001, in June 2001
	{re(`\b(?:(?:in|during)\s+)?(` + monthRE + `)\.?,?\s+(\d{4})\b`), func(p *parser, g []string) (part, bool) {
		return p.month(atoi(g[2]), monthNum(g[1]))
	}},
	// in June, last June, next June ("May" alone is too often a verb)
	{re(`\b(in|during|this|last|next)\s+(` + monthRE + `)\b`), func(p *parser, g []string) (part, bool) {
		return p.namedMonth(strings.ToLower(g[1]), monthNum(g[2]))
	}},
	// in 2001
	{re(`\b(?:in|during)\s+((?:19|20)\d{2})\b`), func(p *parser, g []string) (part, bool) {
		start := time.Date(atoi(g[1]), 1, 1, 0, 0, 0, 0, p.loc)
		return dateSpan(start, start.AddDate(1, 0, 0)), true
	}},
	// today, tomorrow, yesterday
	{re(`\b(today|tomorrow|yesterday)\b`), func(p *parser, g []string) (part, bool) {
		off := map[string]int{"today": 0, "tomorrow": 1, "yesterday": -1}[strings.ToLower(g[1])]
		return p.dayOffset(off), true
	}},
	// this morning, in the afternoon, tonight
	{re(`\b(?:(?:this|in\s+the)\s+)?(morning|afternoon|evening|tonight)\b`), func(p *parser, g []string) (part, bool) {
		h := map[string][2]int{"morning": {6, 12}, "afternoon": {12, 18}, "evening": {18, 24}, "tonight": {18, 24}}[strings.ToLower(g[1])]
		return part{pod: &h}, true
	}},
	{re(`\b(?:the\s+)?day\s+(after\s+tomorrow|before\s+yesterday)\b`), func(p *parser, g []string) (part, bool) {
		if strings.HasPrefix(strings.ToLower(g[1]), "after") {
			return p.dayOffset(2), true
		}
		return p.dayOffset(-2), true
	}},
	// the week after next
	{re(`\b(?:in\s+|for\s+)?(?:the\s+)?week\s+after\s+next\b`), func(p *parser, g []string) (part, bool) {
		start := p.weekStart(p.now).AddDate(0, 0, 14)
		return dateSpan(start, start.AddDate(0, 0, 7)), true
	}},
	// this week, last month, next year, past week, this weekend
	{re(`\b(this|last|next|past|previous|coming)\s+(week|weekend|month|year)\b`), func(p *parser, g []string) (part, bool) {
		return p.relativeUnit(strings.ToLower(g[1]), strings.ToLower(g[2]))
	}},
	// the last 7 days, past two weeks, in the last 3 hours
	{re(`\b(?:(?:in|over|during|within)\s+)?(?:the\s+)?(?:last|past|previous)\s+(` + numberRE + `)\s+(hours?|days?|weeks?|months?|years?)\b`), func(p *parser, g []string) (part, bool) {
		n, ok := number(g[1])
		if !ok || n <= 0 {
			return part{}, false
		}
		return dateSpan(p.back(n, g[2]), p.now), true
	}},
	// 3 days ago, a week ago
	{re(`\b(` + numberRE + `)\s+(days?|weeks?|months?|years?)\s+ago\b`), func(p *parser, g []string) (part, bool) {
		n, ok := number(g[1])
		if !ok {
			return part{}, false
		}
		return p.ago(n, g[2]), true
	}},
	// Friday, on Friday, last Friday, next Tue
	{re(`\b(?:(on|this|last|next|coming|past)\s+)?(` + weekdayRE + `)\b`), func(p *parser, g []string) (part, bool) {
		wd, full := weekday(g[2])
		if !full && g[1] == "" {
			return part{}, false // "sun", "sat", "wed" alone are ordinary words
		}
		return p.weekday(strings.ToLower(g[1]), wd), true
	}},
	// on the 15th
	{re(`\b(?:on\s+)?the\s+(\d{1,2})(?:st|nd|rd|th)\b`), func(p *parser, g []string) (part, bool) {
		return p.day(p.now.Year(), int(p.now.Month()), atoi(g[1]))
	}},
	// from 3 to 4pm, 2-3pm, between 10am and noon
	{re(`\b(?:(?:from|between)\s+)?(\d{1,2})(?::(\d{2}))?\s*` + ampmRE + `?\s*(?:-|–|to|until|till|and)\s*(\d{1,2})(?::(\d{2}))?\s*` + ampmRE), func(p *parser, g []string) (part, bool) {
		return clockRange(g[1], g[2], g[3]+g[4], g[5], g[6], g[7]+g[8])
	}},
	{re(`\b(?:(?:from|between)\s+)?(\d{1,2}):(\d{2})\s*(?:-|–|to|until|till|and)\s*(\d{1,2}):(\d{2})\b`), func(p *parser, g []string) (part, bool) {
		return clockRange(g[1], g[2], "", g[3], g[4], "")
	}},
	// at 4pm, 10:30am, at 16:00, at noon, at 4
	{re(`\b(?:at\s+|@\s*)?(\d{1,2})(?::(\d{2}))?\s*` + ampmRE), func(p *parser, g []string) (part, bool) {
		return clockPart(g[1], g[2], g[3]+g[4])
	}},
	{re(`\b(?:at\s+|@\s*)?(\d{1,2}):(\d{2})\b`), func(p *parser, g []string) (part, bool) {
		return clockPart(g[1], g[2], "")
	}},
	{re(`\b(?:at\s+)?(noon|midday|midnight)\b`), func(p *parser, g []string) (part, bool) {
		if strings.EqualFold(g[1], "midnight") {
			return part{clock: &clock{0, 0}}, true
		}
		return part{clock: &clock{12, 0}}, true
	}},
	{re(`\bat\s+(\d{1,2})\b`), func(p *parser, g []string) (part, bool) {
		h := atoi(g[1])
		if h < 1 || h > 12 {
			return part{}, false
		}
		if h < 8 { // "at 4" means the afternoon in office hours
			h += 12
		}
		return part{clock: &clock{h, 0}}, true
	}},
	// for 30 minutes, for an hour, 1.5 hours, half an hour
	{re(`\b(?:for\s+)?(\d+(?:\.\d+)?|` + numberRE + `|half\s+an?)\s*-?\s*(minutes?|mins?|hours?|hrs?)\b`), func(p *parser, g []string) (part, bool) {
		return durationPart(g[1], g[2])
	}},
}

func (p *parser) scan() []part {
	var parts []part
	for _, r := range rules {
		for _, idx := range r.re.FindAllStringSubmatchIndex(p.text, -1) {
			g := make([]string, len(idx)/2)
			for i := range g {
				if idx[2*i] >= 0 {
					g[i] = p.text[idx[2*i]:idx[2*i+1]]
				}
			}
			pt, ok := r.build(p, g)
			if !ok {
				continue
			}
			pt.start, pt.end = idx[0], idx[1]
			parts = append(parts, pt)
		}
	}
	return parts
}

var (
	// joinRE is what may separate pieces of one expression.
	joinRE = regexp.MustCompile(`^[\s,]*$`)
	// spanRE joins two dates into one period ("from June 1 to June 15").
	spanRE = regexp.MustCompile(`(?i)^\s*(?:-|–|to|until|till|through|thru|and)\s*$`)
	// modRE is a word before a date that opens or closes it.
	modRE = regexp.MustCompile(`(?i)\b(since|after|before|until|till|from|between)\s+$`)
)

// combine merges adjacent parts into matches and applies since/before/after.
func (p *parser) combine(parts []part) []Match {
	var out []Match
	for i := 0; i < len(parts); {
		cur := parts[i]
		j := i + 1
		for ; j < len(parts); j++ {
			next := parts[j]
			if d, ok := p.weekdayOf(cur, next); ok {
				// "Wednesday next week": that weekday of that week.
				cur.end, cur.date = next.end, &d
				continue
			}
			if !joinRE.MatchString(p.text[cur.end:next.start]) || (cur.date != nil && next.date != nil) ||
				(cur.clock != nil && next.clock != nil) || (cur.dur != 0 && next.dur != 0) || (cur.pod != nil && next.pod != nil) {
				break
			}
			cur = merge(cur, next)
		}
		// "from June 1 to June 15", "between Monday and Wednesday"
		if j < len(parts) && cur.date != nil && cur.clock == nil && parts[j].date != nil && parts[j].clock == nil &&
			spanRE.MatchString(p.text[cur.end:parts[j].start]) {
			end := parts[j]
			cur.date = &Range{Start: cur.date.Start, End: end.date.End}
			cur.end = end.end
			cur.weekday, cur.span = false, true
			j++
		}
		out = append(out, p.finish(cur))
		i = j
	}
	return out
}

// weekdayOf is the day a weekday names within the week that follows it
// ("Wednesday next week", "Friday of last week"); false unless wd is a
// weekday and week a whole week.
func (p *parser) weekdayOf(wd, week part) (Range, bool) {
	if !wd.weekday || wd.date == nil || wd.clock != nil || week.date == nil || week.weekday ||
		week.date.End.Sub(week.date.Start) < 6*24*time.Hour || week.date.End.Sub(week.date.Start) > 8*24*time.Hour ||
		week.date.Start.Weekday() != time.Monday || !weekJoinRE.MatchString(p.text[wd.end:week.start]) {
		return Range{}, false
	}
	day := week.date.Start.AddDate(0, 0, (int(wd.date.Start.Weekday())+6)%7)
	return Range{Start: day, End: day.AddDate(0, 0, 1)}, true
}

// weekJoinRE joins a weekday to the week it lies in.
var weekJoinRE = regexp.MustCompile(`(?i)^[\s,]*(?:of|in)?\s*$`)

func merge(a, b part) part {
	a.end = b.end
	if a.date == nil {
		a.date, a.weekday = b.date, b.weekday
	}
	if a.clock == nil {
		a.clock = b.clock
	}
	if a.dur == 0 {
		a.dur = b.dur
	}
	if a.pod == nil {
		a.pod = b.pod
	}
	return a
}

func (p *parser) finish(pt part) Match {
	m := Match{Start: pt.start, End: pt.end, Duration: pt.dur}
	if pt.date != nil && pt.clock == nil {
		if loc := modRE.FindStringSubmatchIndex(p.text[:pt.start]); loc != nil {
			mod := strings.ToLower(p.text[loc[2]:loc[3]])
			if r, ok := p.modify(mod, pt); ok {
				m.Start = loc[0]
				m.Range = r
			}
		}
		if m.Range.IsZero() {
			m.Range = *pt.date
		}
	}
	if pt.pod != nil && pt.clock == nil {
		day := p.now
		if pt.date != nil {
			day = pt.date.Start
		}
		d := p.midnight(day)
		m.Range = Range{Start: d.Add(time.Duration(pt.pod[0]) * time.Hour), End: d.Add(time.Duration(pt.pod[1]) * time.Hour)}
	}
	if pt.clock != nil {
		day := p.now
		if pt.date != nil {
			day = pt.date.Start
		}
		t := time.Date(day.Year(), day.Month(), day.Day(), pt.clock.hour, pt.clock.min, 0, 0, p.loc)
		m.Time = &t
		m.Range = Range{Start: t, End: t.Add(pt.dur)}
	}
	m.Text = p.text[m.Start:m.End]
	return m
}

// modify applies a word before a date; from/between only matter for spans.
func (p *parser) modify(mod string, pt part) (Range, bool) {
	r := *pt.date
	switch mod {
	case "since":
		if pt.weekday && r.Start.After(p.now) {
			r.Start = r.Start.AddDate(0, 0, -7)
		}
		if r.Start.After(p.now) {
			return Range{Start: r.Start}, true
		}
		return Range{Start: r.Start, End: p.now}, true
	case "after":
		return Range{Start: r.End}, true
	case "before":
		return Range{End: r.Start}, true
	case "until", "till":
		return Range{End: r.End}, true
	case "from", "between":
		return r, pt.span // "from June 1 to 15" keeps its word; "mail from yesterday" does not
	}
	return Range{}, false
}

func dateSpan(start, end time.Time) part { return part{date: &Range{Start: start, End: end}} }

func (p *parser) midnight(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, p.loc)
}

func (p *parser) day(y, m, d int) (part, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return part{}, false
	}
	start := time.Date(y, time.Month(m), d, 0, 0, 0, 0, p.loc)
	if start.Day() != d { // June 31 does not exist
		return part{}, false
	}
	return dateSpan(start, start.AddDate(0, 0, 1)), true
}

func (p *parser) dayOffset(n int) part {
	start := p.midnight(p.now).AddDate(0, 0, n)
	return dateSpan(start, start.AddDate(0, 0, 1))
}

func (p *parser) month(y, m int) (part, bool) {
	if m < 1 || m > 12 || y < 1900 || y > 2200 {
		return part{}, false
	}
	start := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, p.loc)
	return dateSpan(start, start.AddDate(0, 1, 0)), true
}

func (p *parser) namedMonth(mod string, m int) (part, bool) {
	y := p.now.Year()
	cur := int(p.now.Month())
	switch mod {
	case "last":
		if m >= cur {
			y--
		}
	case "next":
		if m <= cur {
			y++
		}
	case "in", "during":
		if m > cur {
			y--
		}
	}
	return p.month(y, m)
}

func (p *parser) yearOr(s string) int {
	if s == "" {
		return p.now.Year()
	}
	return atoi(s)
}

func (p *parser) weekStart(t time.Time) time.Time {
	d := p.midnight(t)
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

func (p *parser) relativeUnit(mod, unit string) (part, bool) {
	n := map[string]int{"this": 0, "coming": 1, "next": 1, "last": -1, "previous": -1, "past": -1}[mod]
	if mod == "past" && unit != "weekend" { // "the past week" rolls back from now
		return dateSpan(p.back(1, unit), p.now), true
	}
	switch unit {
	case "week":
		start := p.weekStart(p.now).AddDate(0, 0, 7*n)
		return dateSpan(start, start.AddDate(0, 0, 7)), true
	case "weekend":
		start := p.weekStart(p.now).AddDate(0, 0, 5+7*n)
		return dateSpan(start, start.AddDate(0, 0, 2)), true
	case "month":
		start := time.Date(p.now.Year(), p.now.Month()+time.Month(n), 1, 0, 0, 0, 0, p.loc)
		return dateSpan(start, start.AddDate(0, 1, 0)), true
	default:
		start := time.Date(p.now.Year()+n, 1, 1, 0, 0, 0, 0, p.loc)
		return dateSpan(start, start.AddDate(1, 0, 0)), true
	}
}

// back is now minus n units; days and longer start at midnight.
func (p *parser) back(n int, unit string) time.Time {
	switch strings.TrimSuffix(strings.ToLower(unit), "s") {
	case "hour":
		return p.now.Add(-time.Duration(n) * time.Hour)
	case "day":
		return p.midnight(p.now).AddDate(0, 0, -n+1)
	case "week": // as many whole days as the weeks hold, today the last of them
		return p.midnight(p.now).AddDate(0, 0, -7*n+1)
	case "month":
		return p.midnight(p.now).AddDate(0, -n, 0)
	default:
		return p.midnight(p.now).AddDate(-n, 0, 0)
	}
}

func (p *parser) ago(n int, unit string) part {
	switch strings.TrimSuffix(strings.ToLower(unit), "s") {
	case "day":
		return p.dayOffset(-n)
	case "week":
		start := p.weekStart(p.now).AddDate(0, 0, -7*n)
		return dateSpan(start, start.AddDate(0, 0, 7))
	case "month":
		start := time.Date(p.now.Year(), p.now.Month()-time.Month(n), 1, 0, 0, 0, 0, p.loc)
		return dateSpan(start, start.AddDate(0, 1, 0))
	default:
		start := time.Date(p.now.Year()-n, 1, 1, 0, 0, 0, 0, p.loc)
		return dateSpan(start, start.AddDate(1, 0, 0))
	}
}

func (p *parser) weekday(mod string, wd time.Weekday) part {
	today := p.midnight(p.now)
	ahead := (int(wd) - int(today.Weekday()) + 7) % 7
	switch mod {
	case "last", "past":
		ahead -= 7
	case "next", "coming":
		if ahead == 0 {
			ahead = 7
		}
	}
	start := today.AddDate(0, 0, ahead)
	pt := dateSpan(start, start.AddDate(0, 0, 1))
	pt.weekday = true
	return pt
}

func clockPart(h, m, ampm string) (part, bool) {
	c, ok := toClock(atoi(h), atoi(m), ampm)
	if !ok {
		return part{}, false
	}
	return part{clock: &c}, true
}

// clockRange reads "3 to 4pm": the start takes the end's am/pm unless that
// would put it after the end ("11 to 1pm").
func clockRange(h1, m1, ap1, h2, m2, ap2 string) (part, bool) {
	end, ok := toClock(atoi(h2), atoi(m2), ap2)
	if !ok {
		return part{}, false
	}
	startAP := ap1
	if startAP == "" {
		startAP = ap2
	}
	start, ok := toClock(atoi(h1), atoi(m1), startAP)
	if !ok {
		return part{}, false
	}
	d := time.Duration(end.hour*60+end.min-start.hour*60-start.min) * time.Minute
	if d <= 0 && ap1 == "" && ap2 != "" {
		start, _ = toClock(atoi(h1), atoi(m1), "am")
		d = time.Duration(end.hour*60+end.min-start.hour*60-start.min) * time.Minute
	}
	if d <= 0 {
		return part{}, false
	}
	return part{clock: &start, dur: d}, true
}

func toClock(h, m int, ampm string) (clock, bool) {
	ampm = strings.ToLower(strings.ReplaceAll(ampm, ".", ""))
	if m > 59 {
		return clock{}, false
	}
	switch ampm {
	case "":
		if h > 23 {
			return clock{}, false
		}
	case "am", "pm":
		if h < 1 || h > 12 {
			return clock{}, false
		}
		h %= 12
		if ampm == "pm" {
			h += 12
		}
	}
	return clock{h, m}, true
}

func durationPart(n, unit string) (part, bool) {
	var v float64
	if strings.HasPrefix(strings.ToLower(n), "half") {
		v = 0.5
	} else if f, err := strconv.ParseFloat(n, 64); err == nil {
		v = f
	} else if i, ok := number(n); ok {
		v = float64(i)
	}
	if v <= 0 {
		return part{}, false
	}
	u := time.Minute
	if strings.HasPrefix(strings.ToLower(unit), "h") {
		u = time.Hour
	}
	return part{dur: time.Duration(v * float64(u))}, true
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

var numberWords = map[string]int{
	"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
	"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
	"thirty": 30, "forty-five": 45, "ninety": 90,
}

func number(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, true
	}
	n, ok := numberWords[strings.ToLower(s)]
	return n, ok
}

func monthNum(s string) int {
	s = strings.ToLower(s)
	for i, m := range []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"} {
		if strings.HasPrefix(s, m) {
			return i + 1
		}
	}
	return 0
}

// weekday reads a weekday name; full is false for abbreviations.
func weekday(s string) (time.Weekday, bool) {
	s = strings.ToLower(s)
	for i, d := range []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"} {
		if strings.HasPrefix(s, d) {
			return time.Weekday(i), strings.HasSuffix(s, "day")
		}
	}
	return 0, false
}
