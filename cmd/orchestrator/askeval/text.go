package askeval

import (
	"cmp"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// The answer-text tests of ask_check.py. Go's regexp has no lookaround, so
// a pattern's "(?<!\d)" and "(?!\d)" become guards checked around a match
// (see guarded).

const q = "['\u2019]" // straight or curly apostrophe

var (
	refusalRe = regexp.MustCompile(`(?i)\b(can` + q + `?t|can\s*not|cannot|not able|unable|do(?:n` + q + `?t| not) support|does(?:n` + q + `?t| not) support|` +
		`not supported|isn` + q + `?t supported|no way to|not possible|outside what i can|beyond what i can)\b`)
	nothingRe = regexp.MustCompile(`(?i)\b(no|none|nothing|not find|couldn` + q + `?t find|could not find|didn` + q + `?t find|did not find|found no|free|clear|` +
		`don` + q + `?t have|do not have|there are no|there were no|0 (?:matching )?(?:events|meetings|emails|files))\b`)
	freeRe = regexp.MustCompile(`(?i)\b(free|available|nothing (?:is )?(?:scheduled|on|booked)|no (?:\w+ )?(?:events?|meetings?|conflicts?)|` +
		`clear|open|not busy)\b`)
	saysFreeRe = regexp.MustCompile(`(?i)\byou(?:` + q + `?re| are) (?:free|available)\b`)
	saysBusyRe = regexp.MustCompile(`(?i)\byou(?:` + q + `?re| are) (?:busy|not free)\b`)
)

var numberWords = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
	"twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"}

var months = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
	"November", "December"}

// guard says which characters may not touch a match (or its group 1) on one side.
type guard func(r rune) bool

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func numberNeighbour(r rune) bool { return isDigit(r) || strings.ContainsRune(".,:/-", r) }

// guarded is a pattern whose group 1 (or whole match, without a group) may
// not be preceded by a rune for which before is true, nor followed by one
// for which after is true.
type guarded struct {
	re            *regexp.Regexp
	before, after guard
}

// find is the start of the leftmost match that passes the guards, or -1.
func (g guarded) find(text string) int {
	pos := 0
	for pos <= len(text) {
		loc := g.re.FindStringSubmatchIndex(text[pos:])
		if loc == nil {
			return -1
		}
		s, e := loc[0], loc[1]
		if len(loc) >= 4 && loc[2] >= 0 {
			s, e = loc[2], loc[3]
		}
		ok := true
		if g.before != nil && pos+s > 0 {
			r, _ := utf8.DecodeLastRuneInString(text[:pos+s])
			ok = !g.before(r)
		}
		if ok && g.after != nil && pos+e < len(text) {
			r, _ := utf8.DecodeRuneInString(text[pos+e:])
			ok = !g.after(r)
		}
		if ok {
			return pos + loc[0]
		}
		_, size := utf8.DecodeRuneInString(text[pos+loc[0]:])
		pos += loc[0] + max(size, 1)
	}
	return -1
}

func pat(before, after guard, format string, args ...any) guarded {
	return guarded{re: regexp.MustCompile("(?i)" + fmt.Sprintf(format, args...)), before: before, after: after}
}

func dateForms(d time.Time) []guarded {
	m := months[d.Month()-1]
	day, mon := d.Day(), int(d.Month())
	return []guarded{
		pat(nil, isDigit, `%s\.? 0?%d`, m[:3], day),
		pat(nil, isDigit, `%s 0?%d`, m, day),
		pat(isDigit, nil, `(%d)(?:st|nd|rd|th)? (?:of )?%s`, day, m[:3]),
		pat(isDigit, isDigit, `%d/%d`, mon, day),
		pat(nil, nil, `%04d-%02d-%02d`, d.Year(), mon, day),
		pat(nil, isDigit, `%s 0?%d(?:st|nd|rd|th)`, m[:3], day),
	}
}

func sameDay(a, b time.Time) bool {
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}

// mentionsDate is where in text the date of at is first named (in the
// user's or the item's zone), or -1.
func (e *env) mentionsDate(text string, at time.Time, tzname string) int {
	best := -1
	dates := []time.Time{at.In(e.tz)}
	if tzname != "" {
		if d := at.In(zone(tzname)); !sameDay(d, dates[0]) {
			dates = append(dates, d)
		}
	}
	tomorrow := e.addDays(e.now, 1)
	for _, d := range dates {
		pats := dateForms(d)
		if sameDay(d, e.now) {
			pats = append(pats, pat(nil, nil, `\btoday\b`))
		}
		if sameDay(d, tomorrow) {
			pats = append(pats, pat(nil, nil, `\btomorrow\b`))
		}
		for _, p := range pats {
			if i := p.find(text); i >= 0 && (best < 0 || i < best) {
				best = i
			}
		}
	}
	return best
}

func timeForms(t time.Time) []guarded {
	h12 := t.Hour() % 12
	if h12 == 0 {
		h12 = 12
	}
	ap := "a"
	if t.Hour() >= 12 {
		ap = "p"
	}
	forms := []guarded{
		pat(isDigit, isDigit, `%d:%02d`, t.Hour(), t.Minute()),
		pat(isDigit, isDigit, `%02d:%02d`, t.Hour(), t.Minute()),
		pat(isDigit, nil, `(%d:%02d)\s*%s\.?m\.?`, h12, t.Minute(), ap),
	}
	if t.Minute() == 0 {
		forms = append(forms, pat(isDigit, nil, `(%d)\s*%s\.?m\.?`, h12, ap))
	}
	return forms
}

func (e *env) mentionsTime(text string, at time.Time, tzname string) bool {
	for _, z := range []*time.Location{e.tz, zone(cmp.Or(tzname, e.tzname))} {
		for _, p := range timeForms(at.In(z)) {
			if p.find(text) >= 0 {
				return true
			}
		}
	}
	return false
}

const countNouns = `(?:meetings?|events?|e-?mails?|messages?|mails?|files?|keps?|documents?|docs?|proposals?|items?|results?|matches|occurrences?|sessions?|times)`

// mentionsNumber says whether text gives n as a count ("8 meetings",
// "eight SIG Node meetings", "found 8", "a total of 8").
func mentionsNumber(text string, n int) bool {
	type num struct {
		re            string
		before, after guard
	}
	nums := []num{{fmt.Sprintf(`(%d)`, n), numberNeighbour, numberNeighbour}}
	if n >= 0 && n < len(numberWords) {
		nums = append(nums, num{`\b(` + numberWords[n] + `)\b`, nil, nil})
	}
	for _, x := range nums {
		pats := []guarded{
			pat(x.before, x.after, "%s", x.re+`\s+(?:[\w:/'-]+\s+){0,4}?`+countNouns+`\b`),
			pat(x.before, x.after, "%s", `\b(?:found|total(?: of)?|count(?: is)?|there (?:are|were|is)|you have|you've got|you had)\s+(?:only |just |exactly )?`+x.re),
		}
		for _, p := range pats {
			if p.find(text) >= 0 {
				return true
			}
		}
	}
	return false
}

// short collapses white space and cuts s to n characters.
func short(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-3]) + "..."
}

// renderQuery fills {{day:WINDOW}} ("Tuesday, December 8") and
// {{month:email:SUBJECT}} ("November 2025").
var templateRe = regexp.MustCompile(`\{\{(day|month):([^}]+)\}\}`)
