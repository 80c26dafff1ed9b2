// Package dates finds natural-language dates, ranges, clock times and
// durations in free text ("last week", "in June 2001", "since Monday",
// "next Tuesday at 10am for 30 minutes") relative to a given now and time zone.
//
// It is hand-written rather than built on github.com/olebedev/when because
// callers need ranges (a month, a week), every match in the text with its byte
// span (to strip it from a search query) and combined date+time+duration
// expressions; `when` yields one instant per text.
package dates

import (
	"sort"
	"time"
)

// Range is a half-open period [Start, End). A zero Start or End leaves that
// side open ("before June 2001" has no Start, "since Monday" ends at now).
// An instant without a length has Start == End.
type Range struct {
	Start time.Time `json:"start,omitzero"`
	End   time.Time `json:"end,omitzero"`
}

// IsZero reports whether r bounds nothing.
func (r Range) IsZero() bool { return r.Start.IsZero() && r.End.IsZero() }

// Contains reports whether t falls in r (open sides admit everything).
func (r Range) Contains(t time.Time) bool {
	return (r.Start.IsZero() || !t.Before(r.Start)) && (r.End.IsZero() || t.Before(r.End) || t.Equal(r.Start))
}

// Match is one date/time expression found in a text.
type Match struct {
	// Text is the matched text, text[Start:End].
	Text string
	// Start and End are byte offsets into the parsed text.
	Start, End int
	// Range is the period meant: a day, week, month or year for dates; from
	// Time to Time+Duration when a clock time was given; zero for a bare
	// duration ("for 30 minutes").
	Range Range
	// Time is the instant meant when a clock time was given ("at 4pm",
	// "next Tuesday at 10am"); on the matched day, or on now's day in loc.
	Time *time.Time
	// Duration is the length given ("for 30 minutes", "from 3 to 4pm"); 0 when none.
	Duration time.Duration
}

// Parse returns every date, range, time and duration expression in text, in
// order of appearance and without overlaps. Adjacent parts of one expression
// ("next Tuesday" "at 10am" "for 30 minutes") come back as one Match.
// Conventions: weeks start on Monday; a bare or "on"/"this" weekday is its
// next occurrence, today included, "last Friday" the one before today and
// "next Friday" the first after today; a bare month ("in June") is the most
// recent one not starting in the future; "on the 15th" is in now's month.
func Parse(text string, now time.Time, loc *time.Location) []Match {
	if loc == nil {
		loc = time.UTC
	}
	p := parser{text: text, now: now.In(loc), loc: loc}
	parts := p.scan()
	sort.SliceStable(parts, func(i, j int) bool {
		if parts[i].start != parts[j].start {
			return parts[i].start < parts[j].start
		}
		return parts[i].end-parts[i].start > parts[j].end-parts[j].start
	})
	var kept []part
	for _, pt := range parts {
		if len(kept) > 0 && pt.start < kept[len(kept)-1].end {
			continue
		}
		kept = append(kept, pt)
	}
	return p.combine(kept)
}
