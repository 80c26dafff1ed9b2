package synth

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/agent"
	"github.com/workspace-orchestrator/orchestrator/domain/dates"
	"github.com/workspace-orchestrator/orchestrator/domain/executor"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
)

// Offline writes answers from templates, without a model.
type Offline struct {
	// PerStep is how many items of one step are listed. Defaults to 5.
	PerStep int
	// ChunkWords is how many words each emitted chunk holds. Defaults to 12:
	// the answer exists whole before the first chunk, and every chunk costs a
	// stream append, a read and a websocket frame per subscriber.
	ChunkWords int
}

// WithDefaults fills unset fields.
func (w Offline) WithDefaults() Offline {
	if w.PerStep <= 0 {
		w.PerStep = 5
	}
	if w.ChunkWords <= 0 {
		w.ChunkWords = 12
	}
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
// help when there is one; otherwise what each step found (numbered, with the
// cited items in that order), what failed or was skipped and why, and the
// actions awaiting confirmation.
func (w Offline) Write(ctx context.Context, in Input, emit func(string)) (Answer, error) {
	w = w.WithDefaults()
	loc := in.Location
	if loc == nil {
		loc = time.UTC
	}
	b := &writer{loc: loc, citations: []Citation{}, cited: map[string]int{}, who: whoRE.MatchString(in.Query)}
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
	for _, r := range in.Results {
		b.result(r, w.PerStep)
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

// whoRE marks a question about people, whose answer names the attendees
// of events and the owners of files.
var whoRE = regexp.MustCompile(`(?i)\b(?:who|whom|attendees?|attending|invited|invitees?|participants?|owners?)\b`)

// maxPeople is how many people one item names before "and N others".
const maxPeople = 5

type writer struct {
	who       bool // the request asks who
	loc       *time.Location
	paras     []string
	citations []Citation
	cited     map[string]int // service/id -> citation number
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

func (b *writer) result(r executor.Result, perStep int) {
	noun := nouns[r.Service]
	switch r.Status {
	case executor.StatusFailed:
		b.para(fmt.Sprintf("I couldn't %s: %s.", task(r), strings.TrimRight(r.Error, ".")))
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
		if len(items) == 0 {
			b.para(fmt.Sprintf("I found no matching %s.", noun[1]))
			return
		}
		lines := []string{fmt.Sprintf("I found %d matching %s:", len(items), pick(noun, len(items)))}
		for i, it := range items {
			if i == perStep {
				lines = append(lines, fmt.Sprintf("…and %d more.", len(items)-perStep))
				break
			}
			lines = append(lines, fmt.Sprintf("%d. %s [%d]", b.cite(it), b.describe(it), b.cite(it)))
		}
		b.para(strings.Join(lines, "\n"))
	case intent.OpRead:
		for _, it := range items {
			n := b.cite(it)
			text := excerpt(it.Body, 700)
			if text == "" {
				text = it.Snippet
			}
			b.para(fmt.Sprintf("%s [%d]:\n%s", b.describe(it), n, text))
		}
	case intent.OpDraft:
		for _, it := range items {
			b.para(fmt.Sprintf("I drafted %q to %s; it is saved in your Gmail drafts [%d].", it.Title, strings.Join(it.People, ", "), b.cite(it)))
		}
	}
}

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
	s := fmt.Sprintf("%q", it.Title)
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
		if b.who {
			s += people("with", it.People)
		}
	case domain.ServiceDrive:
		if !it.At.IsZero() {
			s += ", modified " + dates.Day(it.At, b.loc)
		}
		if b.who {
			s += people("owned by", it.People)
		}
	}
	return s
}

// people names up to maxPeople of ps after a linking word, or says there are none.
func people(link string, ps []string) string {
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
