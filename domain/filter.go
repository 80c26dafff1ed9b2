package domain

import (
	"slices"
	"strings"
	"time"
)

// Matches reports whether e passes f exactly: addresses and labels compared
// without case, dates as [After, Before). Query is not checked (free text is
// the search engine's); the engine only boosts by the other fields, so callers
// that must honour them (lists, agents) check its hits with this.
func (f MailFilter) Matches(e Email) bool {
	to := make([]string, 0, len(e.To)+len(e.Cc))
	for _, a := range append(slices.Clone(e.To), e.Cc...) {
		to = append(to, a.Email)
	}
	return anyFold([]string{e.From.Email}, f.From) && anyFold(to, f.To) &&
		anyFold(e.Labels, f.Labels) && anyFold(e.MessageIDs, f.MessageIDs) &&
		inRange(e.ReceivedAt, f.After, f.Before) &&
		(f.HasAttachment == nil || *f.HasAttachment == e.HasAttachment) &&
		(f.Unread == nil || *f.Unread == e.Unread)
}

// Matches reports whether e passes f: an attendee or the organiser among
// f.Attendees, and the event overlapping [After, Before).
func (f EventFilter) Matches(e Event) bool {
	who := []string{e.Organizer}
	for _, a := range e.Attendees {
		who = append(who, a.Email)
	}
	return anyFold(who, f.Attendees) &&
		(f.After.IsZero() || e.End.After(f.After)) && (f.Before.IsZero() || e.Start.Before(f.Before))
}

// Matches reports whether x passes f.
func (f FileFilter) Matches(x File) bool {
	return (len(f.MimeTypes) == 0 || slices.Contains(f.MimeTypes, x.MimeType)) &&
		anyFold(x.Owners, f.Owners) && inRange(x.ModifiedAt, f.After, f.Before)
}

// anyFold reports whether want is empty or any of have equals any of want,
// ignoring case (addresses).
func anyFold(have, want []string) bool {
	if len(want) == 0 {
		return true
	}
	for _, h := range have {
		for _, w := range want {
			if strings.EqualFold(h, w) {
				return true
			}
		}
	}
	return false
}

func inRange(t, after, before time.Time) bool {
	return (after.IsZero() || !t.Before(after)) && (before.IsZero() || t.Before(before))
}
