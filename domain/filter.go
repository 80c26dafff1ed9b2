package domain

import (
	"slices"
	"strings"
	"time"
)

// Filter restricts the items a list or a search returns: the one filter type
// of every service, read by the list ports, the search engine, the query
// parser and the agents alike. Zero fields do not filter. Each service reads
// the fields that apply to its items (MatchesEmail, MatchesEvent,
// MatchesFile); a search skips a service whose items cannot meet a field set
// (labels on events, say).
type Filter struct {
	// Query is free text, ranked by the hybrid search engine when set.
	Query string `json:"query,omitempty"`
	// Services a search covers; none means every service. Lists ignore it.
	Services  []Service `json:"services,omitempty"`
	From      []string  `json:"from,omitempty"`      // mail senders (a search also reads event organisers and file owners)
	To        []string  `json:"to,omitempty"`        // mail recipients, to or cc
	Attendees []string  `json:"attendees,omitempty"` // event attendees or organiser ("with": a mail's sender or recipients)
	Labels    []string  `json:"labels,omitempty"`    // mail labels, any of
	NotLabels []string  `json:"notLabels,omitempty"` // mail labels, none of ("DRAFT": mail that was sent or received)
	// MessageIDs are RFC 822 Message-IDs, any of.
	MessageIDs []string `json:"messageIds,omitempty"`
	MimeTypes  []string `json:"mimeTypes,omitempty"` // file MIME types, any of
	Owners     []string `json:"owners,omitempty"`    // file owners, any of
	Folders    []string `json:"folders,omitempty"`   // files' parent folders, any of (case-insensitive)
	// After and Before bound when an item happened, [After, Before): mail
	// received, file modified; an event counts while it lasts.
	After         time.Time `json:"after,omitzero"`
	Before        time.Time `json:"before,omitzero"`
	HasAttachment *bool     `json:"hasAttachment,omitempty"`
	Unread        *bool     `json:"unread,omitempty"`
}

// IsZero reports whether f restricts nothing beyond the query and the services.
func (f Filter) IsZero() bool {
	return len(f.From) == 0 && len(f.To) == 0 && len(f.Attendees) == 0 && len(f.Labels) == 0 && len(f.NotLabels) == 0 &&
		len(f.MessageIDs) == 0 && len(f.MimeTypes) == 0 && len(f.Owners) == 0 && len(f.Folders) == 0 &&
		f.After.IsZero() && f.Before.IsZero() && f.HasAttachment == nil && f.Unread == nil
}

// Merge returns f narrowed by g as well: lists are joined, the later After
// and the earlier Before win, a flag set in g wins, and g's query is
// appended to f's.
func (f Filter) Merge(g Filter) Filter {
	f.Query = strings.TrimSpace(f.Query + " " + g.Query)
	f.Services = union(f.Services, g.Services)
	f.From = union(f.From, g.From)
	f.To = union(f.To, g.To)
	f.Attendees = union(f.Attendees, g.Attendees)
	f.Labels = union(f.Labels, g.Labels)
	f.NotLabels = union(f.NotLabels, g.NotLabels)
	f.MessageIDs = union(f.MessageIDs, g.MessageIDs)
	f.MimeTypes = union(f.MimeTypes, g.MimeTypes)
	f.Owners = union(f.Owners, g.Owners)
	f.Folders = union(f.Folders, g.Folders)
	if g.After.After(f.After) {
		f.After = g.After
	}
	if !g.Before.IsZero() && (f.Before.IsZero() || g.Before.Before(f.Before)) {
		f.Before = g.Before
	}
	if g.HasAttachment != nil {
		f.HasAttachment = g.HasAttachment
	}
	if g.Unread != nil {
		f.Unread = g.Unread
	}
	return f
}

func union[T comparable](a, b []T) []T {
	out := slices.Clip(a)
	for _, v := range b {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// MatchesEmail reports whether e passes f exactly: addresses and labels
// compared without case, dates as [After, Before). Query is not checked
// (free text is the search engine's); the engine only boosts by the other
// fields unless asked to be strict, so callers that must honour them (lists,
// agents) check its hits with this.
func (f Filter) MatchesEmail(e Email) bool {
	to := make([]string, 0, len(e.To)+len(e.Cc))
	for _, a := range append(slices.Clone(e.To), e.Cc...) {
		to = append(to, a.Email)
	}
	return anyFold([]string{e.From.Email}, f.From) && anyFold(to, f.To) &&
		anyFold(e.Labels, f.Labels) && (len(f.NotLabels) == 0 || !anyFold(e.Labels, f.NotLabels)) && anyFold(e.MessageIDs, f.MessageIDs) &&
		inRange(e.ReceivedAt, f.After, f.Before) &&
		(f.HasAttachment == nil || *f.HasAttachment == e.HasAttachment) &&
		(f.Unread == nil || *f.Unread == e.Unread)
}

// MatchesEvent reports whether e passes f: an attendee or the organiser among
// f.Attendees, and the event overlapping [After, Before).
func (f Filter) MatchesEvent(e Event) bool {
	who := []string{e.Organizer}
	for _, a := range e.Attendees {
		who = append(who, a.Email)
	}
	return anyFold(who, f.Attendees) &&
		(f.After.IsZero() || e.End.After(f.After)) && (f.Before.IsZero() || e.Start.Before(f.Before))
}

// MatchesFile reports whether x passes f.
func (f Filter) MatchesFile(x File) bool {
	return (len(f.MimeTypes) == 0 || slices.Contains(f.MimeTypes, x.MimeType)) &&
		anyFold(x.Owners, f.Owners) && anyFold([]string{x.ParentFolder}, f.Folders) && inRange(x.ModifiedAt, f.After, f.Before)
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
