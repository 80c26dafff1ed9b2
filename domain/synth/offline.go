package synth

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/agent"
	"github.com/workspace-orchestrator/orchestrator/domain/dates"
	"github.com/workspace-orchestrator/orchestrator/domain/executor"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
)

// Offline writes answers from templates, without a model: per question type
// (when, which, who, how many, am I free, what does it say, summarise) a
// direct first sentence grounded in the items, then every item the steps
// found, cited, in the user's zone.
type Offline struct {
	// ChunkWords is how many words each emitted chunk holds. Defaults to
	// DefaultChunkWords (12):
	// the answer exists whole before the first chunk, and every chunk costs a
	// stream append, a read and a websocket frame per subscriber.
	ChunkWords int
	// SummarySentences is how many sentences an extractive summary keeps.
	// Defaults to DefaultSummarySentences (3).
	SummarySentences int
}

// Defaults of Offline.
const (
	DefaultChunkWords       = 12
	DefaultSummarySentences = 3
)

// WithDefaults fills unset fields.
func (w Offline) WithDefaults() Offline {
	w.ChunkWords = cmp.Or(w.ChunkWords, DefaultChunkWords)
	w.SummarySentences = cmp.Or(w.SummarySentences, DefaultSummarySentences)
	return w
}

var nouns = map[domain.Service][2]string{
	domain.ServiceGmail:    {"email", "emails"},
	domain.ServiceCalendar: {"event", "events"},
	domain.ServiceDrive:    {"file", "files"},
}

var places = map[domain.Service]string{
	domain.ServiceGmail: "your mail", domain.ServiceCalendar: "your calendar", domain.ServiceDrive: "your Drive",
}

// Write writes the answer: the clarifying question or the reason nothing can
// help when there is one; otherwise what each step found (its direct answer
// first, then the items, numbered as cited), what failed or was skipped and
// why, and the actions awaiting confirmation.
func (w Offline) Write(ctx context.Context, in Input, emit func(string)) (Answer, error) {
	w = w.WithDefaults()
	loc := in.Location
	if loc == nil {
		loc = time.UTC
	}
	b := &writer{loc: loc, citations: []Citation{}, cited: map[string]int{}, in: in, sentences: w.SummarySentences,
		question: questionOf(in)}
	switch {
	case in.Intent.Clarification != "":
		b.para(in.Intent.Clarification)
	case in.Intent.Unsupported != "":
		b.para(in.Intent.Unsupported)
	case in.Intent.Reply != "":
		b.para(in.Intent.Reply)
	case len(in.Results) == 0:
		b.para("I couldn't work out what to do with that. Try asking about your emails, meetings or files.")
	}
	read := readServices(in.Results)
	b.foundSome = slices.ContainsFunc(in.Results, func(r executor.Result) bool {
		return r.Operation == intent.OpSearch && r.Status == executor.StatusSucceeded && len(r.Output.Items) > 0
	})
	for _, r := range in.Results {
		b.result(r, read)
	}
	if len(b.empty) > 0 {
		b.para(fmt.Sprintf("No %s matched.", strings.Join(b.empty, " or ")))
	}
	for _, d := range in.Intent.Declined {
		b.para(fmt.Sprintf("I can't help with %q: I only work with your mail, calendar and files.", d))
	}
	var pending []agent.Action
	for _, a := range in.Actions {
		if a.Status == agent.ActionProposed {
			pending = append(pending, a)
		}
	}
	if len(pending) > 0 {
		lines := []string{"Nothing has been changed yet. Please confirm or reject:"}
		for _, a := range pending {
			lines = append(lines, fmt.Sprintf("- %s.", strings.TrimRight(a.Summary, ".")))
		}
		b.para(strings.Join(lines, "\n"))
	}
	text := strings.Join(b.paras, "\n\n")
	for _, chunk := range Chunks(text, w.ChunkWords) {
		if err := ctx.Err(); err != nil {
			return Answer{}, err
		}
		emit(chunk)
	}
	return Answer{Text: text, Citations: b.citations}, nil
}

// questionOf is the kind of answer in wants; a request the classifier left
// unmarked that asks who gets the people named.
func questionOf(in Input) intent.Question {
	if q := in.Intent.Question; q != "" {
		return q
	}
	if whoRE.MatchString(in.Query) {
		return intent.QuestionWho
	}
	return intent.QuestionList
}

// whoRE marks a question about people, whose answer names the attendees
// of events and the owners of files.
var whoRE = regexp.MustCompile(`(?i)\b(?:who|whom|attendees?|attending|invited|invitees?|participants?|owners?)\b`)

// readServices are the services an item was read from: their searches only
// found what was read, so the read item is the answer, not the list.
func readServices(rs []executor.Result) map[domain.Service]bool {
	out := map[domain.Service]bool{}
	for _, r := range rs {
		if r.Operation == intent.OpRead && r.Status == executor.StatusSucceeded && len(r.Output.Items) > 0 {
			out[r.Service] = true
		}
	}
	return out
}

// maxPeople is how many people one item names before "and N others".
const maxPeople = 5

type writer struct {
	in        Input
	question  intent.Question
	sentences int // of a summary
	loc       *time.Location
	paras     []string
	citations []Citation
	cited     map[string]int // service/id -> citation number
	// foundSome: a search of this answer found items, so the services whose
	// searches found none are said together, once, after them (empty).
	foundSome bool
	empty     []string
}

func (b *writer) para(s string) { b.paras = append(b.paras, s) }

// cite numbers an item the first time it is shown.
func (b *writer) cite(it agent.Item) int {
	k := string(it.Service) + "/" + it.ID
	if n, ok := b.cited[k]; ok {
		return n
	}
	b.citations = append(b.citations, Citation{Service: it.Service, ItemID: it.ID, Title: it.Title, URL: it.URL})
	b.cited[k] = len(b.citations)
	return len(b.citations)
}

// reason is a failed step's error said to a person: without the name of the
// sentinel it wraps ("found no file: nothing found" says it twice).
func reason(err string) string {
	for _, e := range []error{agent.ErrNothingFound, agent.ErrAmbiguous} {
		err = strings.TrimSuffix(err, ": "+e.Error())
	}
	return strings.TrimRight(err, ".")
}

func (b *writer) result(r executor.Result, read map[domain.Service]bool) {
	switch r.Status {
	case executor.StatusFailed:
		b.para(fmt.Sprintf("I couldn't %s: %s.", task(r), reason(r.Error)))
		return
	case executor.StatusSkipped:
		b.para(fmt.Sprintf("I didn't %s because the %s.", task(r), r.Reason))
		return
	case executor.StatusCancelled:
		b.para(fmt.Sprintf("I stopped before I could %s.", task(r)))
		return
	}
	items := r.Output.Items
	switch r.Operation {
	case intent.OpSearch:
		if read[r.Service] && len(items) > 0 {
			return // the read below answers; the list only led to it
		}
		b.found(r, items)
	case intent.OpRead:
		for _, it := range items {
			b.read(it)
		}
	case intent.OpDraft:
		for _, it := range items {
			b.para(fmt.Sprintf("I drafted %q to %s; it is saved in your Gmail drafts [%d].", it.Title, strings.Join(it.People, ", "), b.cite(it)))
		}
	}
}

// found answers from a search's items: the direct answer the question wants,
// then every item.
func (b *writer) found(r executor.Result, items []agent.Item) {
	noun := nouns[r.Service]
	question := b.question
	if q := intent.Question(b.step(r.StepID).Params.String(intent.ParamQuestion)); q != "" {
		question = q // a part of a compound request asks its own
	}
	if question == intent.QuestionFree && r.Service == domain.ServiceCalendar {
		b.freeBusy(items)
		return
	}
	switch {
	case len(items) == 0 && b.foundSome:
		if !slices.Contains(b.empty, noun[1]) {
			b.empty = append(b.empty, noun[1])
		}
		return
	case len(items) == 0:
		b.para(b.nothing(noun[1], b.step(r.StepID).Params))
		return
	}
	order := intent.Order(b.step(r.StepID).Params.String(intent.ParamOrder))
	var lead string
	first := items[0]
	header := fmt.Sprintf("I found %d matching %s:", len(items), pick(noun, len(items)))
	switch question {
	case intent.QuestionCount:
		// The total once, as the list's header.
		header = fmt.Sprintf("There %s %s matching %s:", pick([2]string{"is", "are"}, len(items)), b.total(r.StepID, len(items)), pick(noun, len(items)))
		if len(items) == 1 {
			lead = strings.TrimSuffix(header, ":") + "."
		}
	case intent.QuestionWho:
		lead = b.who(first)
	case intent.QuestionWhen:
		lead = fmt.Sprintf("%s %s [%d].", ordinal(order, r.Service), b.when(first), b.cite(first))
		if first.Service == domain.ServiceGmail && first.Snippet != "" {
			// The date asked about is often the one the mail gives.
			lead += " It says: " + excerpt(strings.Join(strings.Fields(first.Snippet), " "), 200)
		}
	default:
		if order != "" && order != intent.OrderRelevance {
			lead = fmt.Sprintf("%s %s [%d].", ordinal(order, r.Service), b.when(first), b.cite(first))
		}
	}
	lines := []string{header}
	if lead != "" {
		lines = append([]string{lead}, lines...)
	}
	if len(items) == 1 && lead != "" {
		lines = []string{lead}
		if question == intent.QuestionCount || question == intent.QuestionWho {
			lines = append(lines, fmt.Sprintf("1. %s [%d]", b.describe(first), b.cite(first)))
		}
	} else {
		for _, it := range items {
			n := b.cite(it)
			lines = append(lines, fmt.Sprintf("%d. %s [%d]", n, b.describe(it), n))
		}
	}
	b.para(strings.Join(lines, "\n"))
}

// step is the step of the intent with id stepID (zero when none).
func (b *writer) step(stepID string) intent.Step {
	for _, s := range b.in.Intent.Steps {
		if s.ID == stepID {
			return s
		}
	}
	return intent.Step{}
}

// total is the count of n items a step found: "at least n" when the step
// stopped at its limit, so more may match.
func (b *writer) total(stepID string, n int) string {
	if limit, ok := b.step(stepID).Params.Int(intent.ParamLimit); ok && n >= limit && limit > 1 {
		return fmt.Sprintf("at least %d", n)
	}
	return strconv.Itoa(n)
}

// ordinal names the item an ordered search puts first.
func ordinal(o intent.Order, s domain.Service) string {
	noun := nouns[s][0]
	switch o {
	case intent.OrderUpcoming:
		return "The next " + noun + " is"
	case intent.OrderNewest:
		return "The latest " + noun + " is"
	case intent.OrderOldest:
		return "The earliest " + noun + " is"
	}
	return "The best match is"
}

// nothing says that a search found nothing, and what it looked for, so that
// the person can tell a wrong reading from an empty mailbox: "I found no
// unread emails from sarah@example.com about "budget" on Sun Dec 6 2026."
func (b *writer) nothing(noun string, p intent.Params) string {
	parts := []string{"I found no"}
	if u := p.Bool(intent.ParamUnread); u != nil && *u {
		parts = append(parts, "unread")
	}
	parts = append(parts, noun)
	for _, f := range []struct{ key, word string }{{intent.ParamFrom, "from"}, {intent.ParamTo, "to"}, {intent.ParamAttendees, "with"}} {
		if v := p.Strings(f.key); len(v) > 0 {
			parts = append(parts, f.word+" "+strings.Join(v, " or "))
		}
	}
	if q := p.String(intent.ParamQuery); q != "" {
		parts = append(parts, fmt.Sprintf("about %q", q))
	}
	after, _, errA := p.Time(intent.ParamAfter)
	before, _, errB := p.Time(intent.ParamBefore)
	if errA == nil && errB == nil {
		if s := dates.Period(after, before, b.loc); s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 2 {
		parts = slices.Insert(parts, 1, "matching")
	}
	return strings.Join(parts, " ") + "."
}

// when is an item with the date (and for events the time) it happened.
func (b *writer) when(it agent.Item) string {
	t := fmt.Sprintf("%q", CleanTitle(it.Title))
	switch {
	case it.At.IsZero():
		return t
	case it.Service == domain.ServiceCalendar:
		return t + ", on " + dates.Span(it.At, it.End, b.loc)
	case it.Service == domain.ServiceDrive:
		return t + ", last modified on " + dates.Day(it.At, b.loc)
	}
	from := ""
	if len(it.People) > 0 && it.People[0] != "" {
		from = " from " + it.People[0]
	}
	return t + from + ", received on " + dates.Day(it.At, b.loc)
}

// who names the people of an item: a mail's sender, an event's attendees, a
// file's owners.
func (b *writer) who(it agent.Item) string {
	n := b.cite(it)
	title := CleanTitle(it.Title)
	switch it.Service {
	case domain.ServiceGmail:
		if len(it.People) > 0 && it.People[0] != "" {
			return fmt.Sprintf("%q was sent by %s on %s [%d].", title, it.People[0], dates.Day(it.At, b.loc), n)
		}
	case domain.ServiceCalendar:
		names := people("with", it.People)
		if m := attendedRE.FindStringIndex(it.Body); strings.HasSuffix(names, "no one listed") && m != nil {
			// Meeting notes name who came where the invitation names no one.
			names = ": the notes say " + excerpt(strings.Join(strings.Fields(Readable(it.Body[m[0]:])), " "), 300)
		}
		return fmt.Sprintf("%q (%s)%s [%d].", title, dates.Span(it.At, it.End, b.loc), names, n)
	case domain.ServiceDrive:
		return fmt.Sprintf("%q is%s [%d].", title, strings.TrimPrefix(people("owned by", it.People), ","), n)
	}
	return fmt.Sprintf("%q names no one [%d].", title, n)
}

// DefaultFreeMinutes is how long a time asked about ("am I free at 3pm?") is
// taken to last when the request gives no duration.
const DefaultFreeMinutes = 30

// freeBusy answers "am I free": the events overlapping the time asked (or
// the whole period searched, without a time) decide.
func (b *writer) freeBusy(items []agent.Item) {
	var from, to time.Time
	if ts := b.in.Intent.Entities.Times; len(ts) > 0 {
		d := time.Duration(DefaultFreeMinutes) * time.Minute
		if ds := b.in.Intent.Entities.Durations; len(ds) > 0 && ds[0] > 0 {
			d = ds[0]
		}
		from, to = ts[0], ts[0].Add(d)
	}
	var busy, other []agent.Item
	for _, it := range items {
		if from.IsZero() || (it.At.Before(to) && (it.End.After(from) || (it.End.IsZero() && !it.At.Before(from)))) {
			busy = append(busy, it)
		} else {
			other = append(other, it)
		}
	}
	when := "then"
	if !from.IsZero() {
		when = "on " + dates.Span(from, to, b.loc)
	}
	var lines []string
	if len(busy) == 0 {
		lines = append(lines, fmt.Sprintf("Yes, you're free %s: nothing is on your calendar then.", when))
	} else {
		lines = append(lines, fmt.Sprintf("No, you're busy %s:", when))
		for _, it := range busy {
			n := b.cite(it)
			lines = append(lines, fmt.Sprintf("%d. %s [%d]", n, b.describe(it), n))
		}
	}
	if len(other) > 0 {
		lines = append(lines, "Also that day:")
		for _, it := range other {
			n := b.cite(it)
			lines = append(lines, fmt.Sprintf("%d. %s [%d]", n, b.describe(it), n))
		}
	}
	b.para(strings.Join(lines, "\n"))
}

// read shows an item read in full: its summary when asked to summarise, else
// its text.
func (b *writer) read(it agent.Item) {
	switch b.question {
	case intent.QuestionWho:
		b.para(b.who(it))
		return
	case intent.QuestionWhen:
		if !it.At.IsZero() { // "when was it last changed?": the date, not the text
			b.para(fmt.Sprintf("%s [%d].", b.when(it), b.cite(it)))
			return
		}
	}
	n := b.cite(it)
	text := it.Body
	if text == "" {
		text = it.Snippet
	}
	if b.question == intent.QuestionSummarize {
		if s := Summary(text, b.sentences); len(s) > 0 {
			b.para(fmt.Sprintf("Summary of %s [%d]:\n%s", b.describe(it), n, strings.Join(s, " ")))
			return
		}
	}
	if ps := Passages(text, b.asked(it), maxReadChars); len(ps) > 0 {
		// "what does the KEP say about templates?": where it does
		b.para(fmt.Sprintf("%s [%d]:\n%s", b.describe(it), n, strings.Join(ps, "\n")))
		return
	}
	b.para(fmt.Sprintf("%s [%d]:\n%s", b.describe(it), n, excerpt(Readable(text), maxReadChars)))
}

// asked are the words of the request's topic that it is asked about, less
// those of the title that found the item.
func (b *writer) asked(it agent.Item) []string {
	title := map[string]bool{}
	for _, w := range words(it.Title) {
		title[w] = true
	}
	var out []string
	for _, w := range words(strings.Join(b.in.Intent.Entities.Topics, " ")) {
		if !title[w] {
			out = append(out, w)
		}
	}
	return out
}

// maxReadChars bounds the text of an item shown in full.
const maxReadChars = 1500

// task names what a step was to do: "search your Drive", "delete the event".
func task(r executor.Result) string {
	if r.Operation == intent.OpSearch {
		return "search " + places[r.Service]
	}
	return fmt.Sprintf("%s the %s", r.Operation, nouns[r.Service][0])
}

func pick(noun [2]string, n int) string {
	if n == 1 {
		return noun[0]
	}
	return noun[1]
}

// describe renders an item on one line: title, people, when.
func (b *writer) describe(it agent.Item) string {
	s := fmt.Sprintf("%q", CleanTitle(it.Title))
	switch it.Service {
	case domain.ServiceGmail:
		if len(it.People) > 0 && it.People[0] != "" {
			s += " from " + it.People[0]
		}
		if !it.At.IsZero() {
			s += ", " + dates.Day(it.At, b.loc)
		}
	case domain.ServiceCalendar:
		if !it.At.IsZero() {
			s += ", " + dates.Span(it.At, it.End, b.loc)
		}
		if it.Snippet != "" {
			s += " at " + it.Snippet
		}
		if b.question == intent.QuestionWho {
			s += people("with", it.People)
		}
	case domain.ServiceDrive:
		if it.Folder != "" {
			s += " in " + it.Folder
		}
		if !it.At.IsZero() {
			s += ", modified " + dates.Day(it.At, b.loc)
		}
		if b.question == intent.QuestionWho {
			s += people("owned by", it.People)
		}
	}
	return s
}

// attendedRE finds where meeting notes list who came.
var attendedRE = regexp.MustCompile(`(?i)\b(?:attendees|attendance|attending|present|participants)\b`)

// parenRE finds asides such as "(she/her)" that name no one.
var parenRE = regexp.MustCompile(`\([^)]*\)`)

// people names up to maxPeople of ps after a linking word, or says there are none.
func people(link string, all []string) string {
	var ps []string
	for _, p := range all {
		if strings.IndexFunc(parenRE.ReplaceAllString(p, ""), unicode.IsLetter) >= 0 {
			ps = append(ps, p)
		}
	}
	switch {
	case len(ps) == 0:
		return ", " + link + " no one listed"
	case len(ps) > maxPeople:
		return fmt.Sprintf(", %s %s and %d others", link, strings.Join(ps[:maxPeople], ", "), len(ps)-maxPeople)
	}
	return ", " + link + " " + strings.Join(ps, ", ")
}

func excerpt(s string, n int) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// Chunks splits text into pieces of about n words each, keeping every
// character, so the pieces concatenate back to text.
func Chunks(text string, n int) []string {
	var out []string
	words, start := 0, 0
	inSpace := false
	for i, r := range text {
		space := unicode.IsSpace(r)
		if inSpace && !space {
			if words++; words == n {
				out = append(out, text[start:i])
				start, words = i, 0
			}
		}
		inSpace = space
	}
	if start < len(text) {
		out = append(out, text[start:])
	}
	return out
}
