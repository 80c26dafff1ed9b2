// Package query reads a search query as people type it ("emails from Sarah
// last week about the budget -lunch") into metadata filters, ranked terms and
// the residual free text, and says which words produced each filter.
package query

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/dates"
)

// Contacts resolves what a query names against the user's own data.
type Contacts interface {
	// People returns the addresses of everyone whose name or address, as they
	// appear in the user's mail and events, contains every word of name (the
	// last word as a prefix when prefix is set), most frequent first.
	People(ctx context.Context, userID uuid.UUID, name []string, prefix bool) ([]string, error)
	// Labels returns the user's mail labels.
	Labels(ctx context.Context, userID uuid.UUID) ([]string, error)
}

// Term is one thing to rank by: a word, a "quoted phrase" or a word* prefix.
type Term struct {
	Text   string `json:"text"`
	Phrase bool   `json:"phrase,omitempty"` // every word, adjacent and in order
	Prefix bool   `json:"prefix,omitempty"`
	// People: the word is part of a name after from, to, by or with in a
	// question, and ranks by the people fields only (sender, recipients,
	// attendees, owners): "the letter from Morris" is about who wrote it,
	// not about every mail that mentions a Morris.
	People bool `json:"people,omitempty"`
}

// Source says which words of the query produced a filter, and whether the
// filter is trusted.
type Source struct {
	Field string `json:"field"` // domain.Filter field name: from, to, after, labels, ...
	Words string `json:"words"` // the words as typed
	Start int    `json:"start"` // byte offsets into the query
	End   int    `json:"end"`
	// Hint: words in a question that merely resemble a name, a date or a
	// kind of item. The filter is shown (Parsed.Hints) but neither restricts
	// nor boosts, and the words stay terms to rank by.
	Hint bool `json:"hint,omitempty"`
}

// Parsed is a query read into its parts.
type Parsed struct {
	Query   string   `json:"query"`
	Text    string   `json:"text"`              // residual free text, for embedding
	Terms   []Term   `json:"terms,omitempty"`   // ranked, none required but phrases
	Exclude []string `json:"exclude,omitempty"` // -words: items containing them are dropped
	// Idents are identifiers as typed: ticket-like ids ("KEP-2381", "KEP
	// 536", "INC0012345", "ticket #4521") and file names ("q3_budget.xlsx").
	// Items whose title holds one match first; their words are terms too.
	Idents []string `json:"idents,omitempty"`
	// Filters are the trusted filters: operators (from:, label:, after:,
	// has:attachment, ...) and the words of a request for a service's items
	// ("emails from Sarah last week", "pdfs about the budget", "unread mail").
	Filters domain.Filter `json:"filters"`
	// Hints are what words in a question resemble ("which deal did the team
	// from Houston close?", "the rescue at the tower today"): shown, unused.
	Hints   domain.Filter `json:"hints"`
	Sources []Source      `json:"sources,omitempty"`
}

// Parser reads queries. Contacts may be nil (names then stay free text).
type Parser struct {
	Contacts Contacts
}

// Parse reads text typed by userID at now in loc.
func (p Parser) Parse(ctx context.Context, userID uuid.UUID, text string, now time.Time, loc *time.Location) (Parsed, error) {
	s := &state{ctx: ctx, userID: userID, contacts: p.Contacts, out: Parsed{Query: text}, toks: tokenize(text)}
	var ms []dates.Match
	if len(s.toks) == 0 || s.toks[0].lower() != "when" { // "when is the party in December?" asks for a date: the date is content
		ms = dates.Parse(text, now, loc)
	}
	s.command = s.isCommand(ms)
	s.dates(ms)
	if err := s.operators(); err != nil {
		return Parsed{}, err
	}
	if err := s.words(); err != nil {
		return Parsed{}, err
	}
	s.identifiers()
	s.residual()
	return s.out, nil
}

// token is a word, a "quoted phrase" or an operator (x:y, -x) of the query.
type token struct {
	text       string // as typed, without quotes or a leading -
	start, end int
	quoted     bool
	negated    bool
	person     bool // part of a name in a question (a hint)
	comma      bool // followed by a comma ("Fleming, Rosalee")
	used       bool // consumed by a filter or dropped as syntax
}

func (t token) lower() string { return strings.ToLower(t.text) }

func tokenize(s string) []token {
	var toks []token
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case isSep(c):
			if c == ',' && len(toks) > 0 && toks[len(toks)-1].end == i {
				toks[len(toks)-1].comma = true
			}
			i++
		case c == '"' || (c == '-' && i+1 < len(s) && s[i+1] == '"'):
			start := i
			neg := c == '-'
			if neg {
				i++
			}
			open := i + 1
			closing := strings.IndexByte(s[open:], '"')
			if closing < 0 { // an unclosed quote while typing runs to the end
				closing = len(s) - open
			}
			phrase := s[open : open+closing]
			i = min(open+closing+1, len(s))
			// "AEI event"@ENRON: a quoted display name glued to a domain is one token
			tailStart := i
			for i < len(s) && !isSep(s[i]) {
				i++
			}
			tail := s[tailStart:i]
			toks = append(toks, token{text: phrase + tail, start: start, end: i, quoted: tail == "", negated: neg})
		default:
			start := i
			for i < len(s) && !isSep(s[i]) {
				i++
			}
			w := strings.TrimRight(s[start:i], ".:")
			t := token{text: w, start: start, end: start + len(w)}
			if strings.HasPrefix(w, "-") && len(w) > 1 {
				t.text, t.negated = w[1:], true
			}
			if t.text != "" {
				toks = append(toks, t)
			}
		}
	}
	return toks
}

func isSep(c byte) bool { return strings.IndexByte(" \t\n,?!;", c) >= 0 }

type state struct {
	ctx      context.Context
	userID   uuid.UUID
	contacts Contacts
	toks     []token
	out      Parsed
	labels   []string // loaded on first use
	// command: the query asks for a service's items ("emails from ...",
	// "show me my meetings next week"); the filters its words name are then
	// trusted, in a question they are hints.
	command bool
	hint    bool // what is being read now is a hint
}

// filter is where what is being read goes: the trusted filters or the hints.
func (s *state) filter() *domain.Filter {
	if s.hint {
		return &s.out.Hints
	}
	return &s.out.Filters
}

// source records the words of a filter; a trusted filter consumes them, a
// hint leaves them to rank by.
func (s *state) source(field string, from, to int) {
	a, b := s.toks[from].start, s.toks[to].end
	s.out.Sources = append(s.out.Sources, Source{Field: field, Words: s.out.Query[a:b], Start: a, End: b, Hint: s.hint})
	for i := from; i <= to && !s.hint; i++ {
		s.toks[i].used = true
	}
}

func (s *state) addService(sv domain.Service) {
	f := s.filter()
	if !slices.Contains(f.Services, sv) {
		f.Services = append(f.Services, sv)
	}
}

// isCommand reports whether the query leads with what it asks for: a
// service, a kind of file, unread mail, attachments or a person ("from
// Sarah", "to Ken about the merger"), after nothing but fillers, dates and
// operators ("show me unread emails", "last week's meetings", "from:sarah pdfs").
func (s *state) isCommand(ms []dates.Match) bool {
	inDate := func(t token) bool {
		for _, m := range ms {
			if t.start >= m.Start && t.end <= m.End+1 {
				return true
			}
		}
		return false
	}
	for _, t := range s.toks {
		w := strings.TrimSuffix(t.lower(), "'s")
		switch {
		case t.quoted && !t.negated:
			return false
		case serviceWords[w] != "" || mimeWords[w] != "" || w == "unread" || strings.HasPrefix(w, "attachment") || cues[w] != "":
			return true
		case fillers[w] || t.negated || strings.Contains(w, ":") || inDate(t):
		default:
			return false
		}
	}
	return false
}

// datePrepositions are absorbed into a date match just before it.
var datePrepositions = map[string]bool{"in": true, "on": true, "during": true, "from": true, "dated": true, "of": true, "sent": true}

// dates turns date expressions into After/Before, intersecting several;
// in a question they are hints ("who won the game on Sunday?").
func (s *state) dates(ms []dates.Match) {
	s.hint = !s.command
	defer func() { s.hint = false }()
	for _, m := range ms {
		if m.Range.IsZero() || (m.Time != nil && m.Duration == 0 && m.Range.Start.Equal(m.Range.End)) {
			continue // a bare clock time or duration bounds no search
		}
		first, last := -1, -1
		for i, t := range s.toks {
			if t.start >= m.Start && t.end <= m.End+1 && !t.quoted {
				if first < 0 {
					first = i
				}
				last = i
			}
		}
		if first < 0 {
			continue
		}
		if first > 0 && datePrepositions[s.toks[first-1].lower()] && !s.toks[first-1].used {
			first--
		}
		r := m.Range
		f := s.filter()
		if !r.Start.IsZero() && (f.After.IsZero() || r.Start.After(f.After)) {
			f.After = r.Start
		}
		end := r.End
		if end.Equal(r.Start) && !end.IsZero() { // an instant: its whole day
			end = end.AddDate(0, 0, 1)
		}
		if !end.IsZero() && (f.Before.IsZero() || end.Before(f.Before)) {
			f.Before = end
		}
		s.source("date", first, last)
		if absoluteDate.MatchString(m.Text) && !s.hint {
			// "september 27" also names itself in the text (a subject, a
			// body): its words stay terms to rank by, the preposition does not
			for i := first; i <= last; i++ {
				s.toks[i].used = datePrepositions[s.toks[i].lower()]
			}
		}
	}
}

// absoluteDate matches dates written with a month name, whose words also
// appear in what people write about that day (unlike "2000-06" or "last week").
var absoluteDate = regexp.MustCompile(`(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b`)

// mimeGroups maps what people call file types to Drive MIME types.
var mimeGroups = map[string][]string{
	"pdf":          {"application/pdf"},
	"doc":          {"application/vnd.google-apps.document", "application/msword", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "text/markdown", "text/plain"},
	"spreadsheet":  {"application/vnd.google-apps.spreadsheet", "application/vnd.ms-excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/csv"},
	"presentation": {"application/vnd.google-apps.presentation", "application/vnd.ms-powerpoint", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
	"image":        {"image/png", "image/jpeg", "image/gif"},
}

var mimeWords = map[string]string{
	"pdf": "pdf", "pdfs": "pdf",
	"doc": "doc", "docs": "doc", "word": "doc", "gdoc": "doc", "gdocs": "doc",
	"spreadsheet": "spreadsheet", "spreadsheets": "spreadsheet", "sheet": "spreadsheet", "sheets": "spreadsheet", "xls": "spreadsheet", "xlsx": "spreadsheet", "csv": "spreadsheet",
	"presentation": "presentation", "presentations": "presentation", "slides": "presentation", "deck": "presentation", "decks": "presentation", "ppt": "presentation",
	"image": "image", "images": "image", "photo": "image", "photos": "image", "picture": "image", "pictures": "image",
}

func (s *state) addMime(group string) {
	f := s.filter()
	for _, m := range mimeGroups[group] {
		if !slices.Contains(f.MimeTypes, m) {
			f.MimeTypes = append(f.MimeTypes, m)
		}
	}
	s.addService(domain.ServiceDrive)
}

// operators reads Gmail-style x:y operators and -exclusions.
func (s *state) operators() error {
	for i := range s.toks {
		t := &s.toks[i]
		if t.used || t.quoted && !t.negated {
			continue
		}
		if t.negated {
			s.out.Exclude = append(s.out.Exclude, t.text)
			t.used = true
			continue
		}
		key, val, ok := strings.Cut(t.text, ":")
		if !ok || val == "" || strings.Contains(key, "@") {
			continue
		}
		f := s.filter()
		switch strings.ToLower(key) {
		case "from", "to", "with", "attendee":
			addrs, err := s.people(strings.FieldsFunc(val, nameSep), true)
			if err != nil {
				return err
			}
			if len(addrs) == 0 && strings.Contains(val, "@") {
				addrs = []string{strings.ToLower(val)}
			}
			if len(addrs) == 0 {
				continue
			}
			s.addPeople(strings.ToLower(key), addrs)
		case "label", "in":
			f.Labels = appendNew(f.Labels, s.label(val))
			s.addService(domain.ServiceGmail)
			key = "labels"
		case "has":
			if !strings.HasPrefix(strings.ToLower(val), "attachment") {
				continue
			}
			f.HasAttachment = &yes
			s.addService(domain.ServiceGmail)
		case "is":
			if strings.ToLower(val) != "unread" {
				continue
			}
			f.Unread = &yes
			s.addService(domain.ServiceGmail)
		case "type", "filetype":
			g, ok := mimeWords[strings.ToLower(val)]
			if !ok {
				continue
			}
			s.addMime(g)
		case "after", "before", "since", "until":
			d, err := time.Parse("2006-01-02", strings.ReplaceAll(val, "/", "-"))
			if err != nil {
				return fmt.Errorf("query: %s:%s is not a YYYY-MM-DD date: %w", key, val, domain.ErrInvalidInput)
			}
			if k := strings.ToLower(key); k == "after" || k == "since" {
				f.After = d
			} else {
				f.Before = d
			}
			key = "date"
		default:
			// "lay-k:business": a folder path whose last part is one of the user's labels
			l := s.label(val)
			if l == "" || systemLabels[strings.ToLower(val)] == l {
				continue
			}
			f.Labels = appendNew(f.Labels, l)
			s.addService(domain.ServiceGmail)
			key = "labels"
		}
		s.source(strings.ToLower(key), i, i)
	}
	return nil
}

// yes is what a flag the query sets points to.
var yes = true

func nameSep(r rune) bool { return r == '.' || r == '_' || r == ' ' }

func appendNew(xs []string, ys ...string) []string {
	for _, y := range ys {
		if y != "" && !slices.Contains(xs, y) {
			xs = append(xs, y)
		}
	}
	return xs
}

func (s *state) addPeople(field string, addrs []string) {
	f := s.filter()
	switch field {
	case "from":
		f.From = appendNew(f.From, addrs...)
		s.addService(domain.ServiceGmail)
	case "to":
		f.To = appendNew(f.To, addrs...)
		s.addService(domain.ServiceGmail)
	default: // with, attendee
		f.Attendees = appendNew(f.Attendees, addrs...)
	}
}

// label resolves a typed folder or label name to one of the user's labels.
func (s *state) label(name string) string {
	if s.labels == nil && s.contacts != nil {
		s.labels, _ = s.contacts.Labels(s.ctx, s.userID)
		if s.labels == nil {
			s.labels = []string{}
		}
	}
	want := Squash(name)
	for _, l := range s.labels {
		if Squash(l) == want {
			return l
		}
	}
	for _, l := range s.labels { // "business" names "lay-k:business"
		if i := strings.LastIndexAny(l, ":/"); i >= 0 && Squash(l[i+1:]) == want {
			return l
		}
	}
	if sys, ok := systemLabels[strings.ToLower(name)]; ok {
		return sys
	}
	return ""
}

var systemLabels = map[string]string{
	"inbox": "INBOX", "sent": "SENT", "starred": "STARRED", "important": "IMPORTANT",
	"drafts": "DRAFT", "draft": "DRAFT", "spam": "SPAM", "trash": "TRASH",
}

// Squash lower-cases s and drops everything but letters and digits, so that
// names written with other separators compare equal ("SIG Node", "sig-node").
func Squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

func (s *state) people(words []string, prefix bool) ([]string, error) {
	if s.contacts == nil || len(words) == 0 {
		return nil, nil
	}
	addrs, err := s.contacts.People(s.ctx, s.userID, words, prefix)
	if err != nil {
		return nil, fmt.Errorf("query: resolve %q: %w", strings.Join(words, " "), err)
	}
	return addrs, nil
}

// serviceWords name a service; they restrict the search to it.
var serviceWords = map[string]domain.Service{
	"email": domain.ServiceGmail, "emails": domain.ServiceGmail, "mail": domain.ServiceGmail, "mails": domain.ServiceGmail,
	"e-mail": domain.ServiceGmail, "e-mails": domain.ServiceGmail, "message": domain.ServiceGmail, "messages": domain.ServiceGmail,
	"meeting": domain.ServiceCalendar, "meetings": domain.ServiceCalendar, "event": domain.ServiceCalendar, "events": domain.ServiceCalendar,
	"calendar": domain.ServiceCalendar, "appointment": domain.ServiceCalendar, "appointments": domain.ServiceCalendar,
	"file": domain.ServiceDrive, "files": domain.ServiceDrive, "document": domain.ServiceDrive, "documents": domain.ServiceDrive, "drive": domain.ServiceDrive,
}

// cues introduce a person: the filter field they fill.
var cues = map[string]string{
	"from": "from", "by": "from", "sender": "from",
	"to": "to", "cc": "to", "recipient": "to",
	"with": "with", "attendee": "with", "attendees": "with", "attended": "with",
}

// stopNames end a name: these words never start or continue one.
var stopNames = map[string]bool{
	"about": true, "regarding": true, "re": true, "on": true, "in": true, "and": true, "or": true, "the": true,
	"a": true, "an": true, "for": true, "of": true, "that": true, "which": true, "who": true, "with": true,
	"from": true, "to": true, "last": true, "this": true, "next": true, "since": true, "before": true, "after": true,
	"me": true, "my": true, "i": true, "any": true, "all": true, "some": true,
}

// fillers carry no meaning for ranking; they are dropped from the residual.
var fillers = map[string]bool{
	"show": true, "find": true, "search": true, "list": true, "get": true, "give": true, "me": true, "my": true,
	"all": true, "any": true, "please": true, "look": true, "for": true, "about": true, "regarding": true,
	"what": true, "which": true, "where": true, "did": true, "do": true, "does": true, "is": true, "are": true,
	"was": true, "were": true, "there": true, "i": true, "we": true, "someone": true, "anyone": true, "sent": true,
	"received": true, "got": true, "have": true, "has": true, "had": true, "the": true, "a": true, "an": true,
	"from": true, "to": true, "with": true, "by": true, "in": true, "on": true, "of": true, "at": true,
}

// words reads the bare words: people after cues, labels, file types, flags and services.
func (s *state) words() error {
	defer func() { s.hint = false }()
	// "with Sarah" names a participant only once a service is named ("emails
	// with", "meetings with"); in free text it is often the topic ("the
	// program with Anthony Harrington").
	scoped := false
	for i, t := range s.toks {
		scoped = scoped || (serviceWords[t.lower()] != "" && s.leading(i))
	}
	for i := 0; i < len(s.toks); i++ {
		t := s.toks[i]
		if t.used || t.negated {
			continue
		}
		w := t.lower()
		next := func(k int) string {
			if i+k < len(s.toks) && !s.toks[i+k].used {
				return s.toks[i+k].lower()
			}
			return ""
		}
		s.hint = !s.command
		f := s.filter()
		switch {
		case w == "unread":
			f.Unread = &yes
			s.addService(domain.ServiceGmail)
			s.source("unread", i, i)
		case (w == "attachment" || w == "attachments") || ((w == "with" || w == "has") && strings.HasPrefix(next(1), "attachment")) ||
			((w == "with" || w == "has") && (next(1) == "an" || next(1) == "a") && strings.HasPrefix(next(2), "attachment")):
			j := i
			for j < len(s.toks) && !strings.HasPrefix(s.toks[j].lower(), "attachment") {
				j++
			}
			f.HasAttachment = &yes
			s.addService(domain.ServiceGmail)
			s.source("hasAttachment", i, j)
			i = j
		case (w == "in" || w == "under") && next(1) != "":
			if end, label := s.folder(i + 1); label != "" {
				// "in my business folder" names a label outright
				s.hint = !s.command && !slices.Contains([]string{"folder", "label"}, s.toks[end].lower())
				f = s.filter()
				f.Labels = appendNew(f.Labels, label)
				s.addService(domain.ServiceGmail)
				s.source("labels", i, end)
				i = end
			}
		case mimeWords[w] != "" && !t.quoted:
			s.addMime(mimeWords[w])
			s.source("mimeTypes", i, i)
		case cues[w] != "" && !t.quoted && (cues[w] != "with" || scoped):
			end, addrs, err := s.name(i + 1)
			if err != nil {
				return err
			}
			if len(addrs) > 0 {
				s.addPeople(cues[w], addrs)
				s.source(cues[w], i, end)
				for j := i + 1; j <= end && s.hint; j++ {
					s.toks[j].person = true
				}
				i = end
			}
		case serviceWords[w] != "" && !t.quoted && s.leading(i):
			s.hint = false
			s.addService(serviceWords[w])
			s.toks[i].used = true // a service word is syntax, not a filter on content
		}
	}
	return nil
}

// leading reports whether token i starts what the query asks for ("emails
// from", "show me my meetings", "unread mail"): only there does a service word
// name a service; elsewhere ("the board meeting") it is a word to rank by.
func (s *state) leading(i int) bool {
	for _, t := range s.toks[:i] {
		if w := t.lower(); !t.used && !fillers[w] && serviceWords[w] == "" && w != "unread" && (!t.quoted || !t.negated) {
			return false
		}
	}
	return true
}

// folder reads "[my|the] NAME [folder|label]" at i; it returns the last token used.
func (s *state) folder(i int) (int, string) {
	for i < len(s.toks) && (s.toks[i].lower() == "my" || s.toks[i].lower() == "the") {
		i++
	}
	if i >= len(s.toks) || s.toks[i].used {
		return 0, ""
	}
	label := s.label(s.toks[i].text)
	if label == "" {
		return 0, ""
	}
	if i+1 < len(s.toks) && (s.toks[i+1].lower() == "folder" || s.toks[i+1].lower() == "label") {
		i++
	}
	return i, label
}

// name reads the longest run of up to four words at i that names someone the
// user knows; it returns the last token used and the person's addresses.
func (s *state) name(i int) (int, []string, error) {
	var words []string
	for j := i; j < len(s.toks) && j < i+4; j++ {
		t := s.toks[j]
		if t.used || t.negated || (stopNames[t.lower()] && !t.quoted) {
			break
		}
		afterComma := false
		for k := i; k < j; k++ {
			afterComma = afterComma || s.toks[k].comma
		}
		// "Fleming, Rosalee" ends after the first name and its initials ("Kean, Steven J.")
		if afterComma && !s.toks[j-1].comma && len(strings.Trim(t.text, ".")) > 2 {
			break
		}
		words = append(words, t.text)
	}
	for n := len(words); n > 0; n-- {
		// the last word may be unfinished only when it ends the query
		prefix := i+n-1 == len(s.toks)-1 && !s.toks[i+n-1].quoted
		ws := splitName(words[:n])
		addrs, err := s.people(ws, false)
		if err == nil && len(addrs) == 0 && prefix {
			addrs, err = s.people(ws, true)
		}
		if err != nil {
			return 0, nil, err
		}
		if len(addrs) > 0 {
			return i + n - 1, addrs, nil
		}
	}
	return 0, nil, nil
}

// splitName turns typed name words (which may be "AEI event"@ENRON or an
// address) into the lower-case words Contacts matches.
func splitName(words []string) []string {
	var out []string
	for _, w := range words {
		// Lotus Notes names end in "@ENRON", a domain without a dot: what
		// precedes it is an address or a name.
		if i := strings.LastIndexByte(w, '@'); i > 0 && !strings.Contains(w[i:], ".") {
			w = w[:i]
		}
		if local, domain, ok := strings.Cut(w, "@"); ok && local != "" && strings.Contains(domain, ".") && !strings.Contains(local, " ") {
			out = append(out, strings.ToLower(w))
			continue
		}
		for _, p := range strings.FieldsFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' }) {
			if len(p) > 1 || len(words) == 1 { // initials ("David W Delainey") are often left out
				out = append(out, strings.ToLower(p))
			}
		}
	}
	return out
}

// idNouns name things that are numbered ("ticket 4521", "invoice 77").
var idNouns = map[string]bool{
	"ticket": true, "issue": true, "case": true, "bug": true, "pr": true, "invoice": true, "order": true,
	"incident": true, "request": true, "kep": true, "rfc": true, "po": true, "no": true, "number": true,
}

var (
	// notAnID are numbers with a unit or an ordinal ("3pm", "22nd", "1990s", "10mb").
	notAnID  = regexp.MustCompile(`(?i)^\d+(st|nd|rd|th|s|am|pm|k|m|kb|mb|gb|x)$`)
	fileName = regexp.MustCompile(`(?i)^[\pL\d][\pL\d_\-. ]*\.(pdf|docx?|xlsx?|csv|pptx?|txt|md|rtf|zip|png|jpe?g|gif|html?|json|xml|od[tsp]|mp[34]|mov|wav)$`)
)

// identifiers reads ids and file names: a token of letters and at least two
// digits ("kep-2381", "INC0012345"), a number after an upper-case code, a
// numbered noun or "#" ("KEP 536", "ticket #4521"), or a name with an
// extension ("budget_q3.xlsx"). Dates were read before, so "2000-06" is none.
func (s *state) identifiers() {
	for i, t := range s.toks {
		if t.used || t.negated {
			continue
		}
		w := strings.TrimPrefix(t.text, "#")
		letters, digits := 0, 0
		for _, r := range w {
			switch {
			case unicode.IsLetter(r):
				letters++
			case unicode.IsDigit(r):
				digits++
			}
		}
		switch {
		case fileName.MatchString(t.text):
			s.out.Idents = append(s.out.Idents, t.text)
		case letters > 0 && digits >= 2 && len(w) >= 4 && !notAnID.MatchString(w) && !strings.Contains(w, "@"):
			s.out.Idents = append(s.out.Idents, w)
		case letters == 0 && digits >= 2 && digits == len(w) && i > 0 && !s.toks[i-1].used:
			prev := s.toks[i-1].text
			if strings.HasPrefix(t.text, "#") || idNouns[strings.ToLower(prev)] || (len(prev) >= 2 && strings.ToUpper(prev) == prev && strings.ToLower(prev) != prev) {
				s.out.Idents = append(s.out.Idents, prev+" "+w)
			}
		}
	}
}

// residual collects the unused words as the free text and the ranked terms.
func (s *state) residual() {
	var text []string
	for _, t := range s.toks {
		if t.used || t.negated {
			continue
		}
		if t.quoted {
			s.out.Terms = append(s.out.Terms, Term{Text: t.text, Phrase: strings.ContainsAny(strings.TrimSpace(t.text), " -")})
			text = append(text, t.text)
			continue
		}
		w := t.lower()
		if fillers[w] {
			continue
		}
		term := Term{Text: strings.TrimRight(t.text, "*"), People: t.person}
		term.Prefix = strings.HasSuffix(t.text, "*") && term.Text != ""
		if term.Text == "" {
			continue
		}
		s.out.Terms = append(s.out.Terms, term)
		text = append(text, term.Text)
	}
	s.out.Text = strings.Join(text, " ")
}
