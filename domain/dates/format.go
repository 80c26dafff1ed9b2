package dates

import "time"

// Layouts of times shown to people.
const (
	dayLayout   = "Mon Jan 2 2006"
	clockLayout = "15:04"
)

// Day renders t's date in loc: "Mon Nov 30 2026".
func Day(t time.Time, loc *time.Location) string {
	return in(t, loc).Format(dayLayout)
}

// Instant renders t in loc with the zone's abbreviation, so that times shown
// in different zones never read alike: "Mon Nov 30 2026 17:00 UTC".
func Instant(t time.Time, loc *time.Location) string {
	return in(t, loc).Format(dayLayout + " " + clockLayout + " MST")
}

// Span renders [start, end) in loc with the zone's abbreviation, naming the
// end's date only when it falls on another day:
// "Mon Nov 30 2026 17:00–18:00 PST", "Mon Nov 30 2026 23:00 – Tue Dec 1 2026 01:00 UTC".
// A zero end renders the start alone, as Instant does.
func Span(start, end time.Time, loc *time.Location) string {
	if end.IsZero() {
		return Instant(start, loc)
	}
	start, end = in(start, loc), in(end, loc)
	s := start.Format(dayLayout + " " + clockLayout)
	if end.Year() == start.Year() && end.YearDay() == start.YearDay() {
		return s + "–" + end.Format(clockLayout+" MST")
	}
	return s + " – " + end.Format(dayLayout+" "+clockLayout+" MST")
}

// Period renders a searched period [start, end) in loc, either bound zero
// for none, by its days when it runs from midnight to midnight: "on Sun Dec
// 6 2026", "from Mon Dec 7 2026 to Sun Dec 13 2026", "since Tue Dec 1 2026",
// "before ..."; other periods as Span.
func Period(start, end time.Time, loc *time.Location) string {
	start, end = in(start, loc), in(end, loc)
	midnight := func(t time.Time) bool { return t.IsZero() || t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 }
	switch {
	case start.IsZero() && end.IsZero():
		return ""
	case !midnight(start) || !midnight(end):
		if end.IsZero() {
			return "since " + Instant(start, loc)
		}
		if start.IsZero() {
			return "before " + Instant(end, loc)
		}
		return "on " + Span(start, end, loc)
	case end.IsZero():
		return "since " + Day(start, loc)
	case start.IsZero():
		return "before " + Day(end, loc)
	}
	last := end.AddDate(0, 0, -1)
	if last.Year() == start.Year() && last.YearDay() == start.YearDay() {
		return "on " + Day(start, loc)
	}
	return "from " + Day(start, loc) + " to " + Day(last, loc)
}

// in is t in loc; a nil loc keeps t's own zone.
func in(t time.Time, loc *time.Location) time.Time {
	if loc == nil {
		return t
	}
	return t.In(loc)
}
