package intent

import (
	"fmt"
	"regexp"
	"strconv"
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

// followUp resolves a request against the previous turn: "the second one",
// "send it", "move it to 4pm", "what about last month?".
func (a *analysis) followUp(last Turn) (Intent, bool) {
	if m, at := a.ordinal(); m != nil && len(last.Items) > 0 && (m[2] != "" || m[3] != "" || !a.inSpan(at)) {
		items := last.Items
		if k := kindWords[strings.ToLower(m[2])]; k != "" {
			items = ofKind(items, k)
		}
		n := ordinals[strings.ToLower(m[1])]
		if strings.EqualFold(m[1], "last") {
			n = len(items)
		}
		if m[3] != "" {
			n, _ = strconv.Atoi(m[3])
		}
		if n < 1 || n > len(items) {
			return a.clarify(fmt.Sprintf("I only showed %d item(s); which one do you mean?", len(items))), true
		}
		ref := items[n-1]
		return a.onItem(ref), true
	}
	if m := pronounActRE.FindStringSubmatch(a.q); m != nil {
		verb := strings.ToLower(m[1])
		if verb == "send" {
			if ref, ok := lastDraft(last); ok {
				a.ent.Items = []ItemRef{ref}
				a.add(Step{Service: domain.ServiceGmail, Operation: OpSend, Params: Params{ParamDraftID: ref.ID, ParamSubject: ref.Title}})
				return a.intent(0.9), true
			}
			return Intent{}, false
		}
		kind := "event" // move, cancel and the like act on events
		switch strings.Fields(verb)[0] {
		case "share":
			kind = "file"
		case "forward", "reply", "respond", "answer":
			kind = "email"
		case "read", "open", "show":
			kind = ""
		}
		cands := last.Items
		if kind != "" {
			cands = ofKind(cands, kind)
		}
		switch len(cands) {
		case 0:
			return Intent{}, false
		case 1:
			return a.onItem(cands[0]), true
		default:
			return a.clarify("Which one do you mean: " + listRefs(cands, a.loc) + "?"), true
		}
	}
	if followRE.MatchString(a.q) {
		// The latest turn that searched: "open the second one" may lie between.
		turns := a.req.Context.Turns
		for i := len(turns) - 1; i >= 0; i-- {
			if in, ok := a.repeat(turns[i]); ok {
				return in, true
			}
		}
	}
	return Intent{}, false
}

// respond replies to or forwards an email shown earlier: read it, draft the
// answer from it (a reply goes to its sender unless someone is named) and
// propose sending.
func (a *analysis) respond(ref ItemRef) Intent {
	mode := "forward"
	if replyRE.MatchString(a.q) {
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
	if m := sayingRE.FindStringSubmatch(a.q); m != nil {
		draft[ParamBody] = subject(strings.TrimRight(m[1], "?!. ")) + "."
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

// onItem acts on one item of an earlier turn, by what the request says.
func (a *analysis) onItem(ref ItemRef) Intent {
	a.ent.Items = []ItemRef{ref}
	q := a.q
	switch {
	case ref.Service == domain.ServiceCalendar && deleteRE.MatchString(q):
		a.add(Step{Service: domain.ServiceCalendar, Operation: OpDelete, Params: refParams(ref)})
		return a.intent(0.9)
	case ref.Service == domain.ServiceCalendar && (updateRE.MatchString(q) || len(a.ent.Times) > 0):
		return a.updateEvent(&ref)
	case ref.Service == domain.ServiceDrive && shareRE.MatchString(q):
		return a.share(&ref)
	case ref.Kind == "draft" && sendRE.MatchString(q):
		a.add(Step{Service: domain.ServiceGmail, Operation: OpSend, Params: Params{ParamDraftID: ref.ID, ParamSubject: ref.Title}})
		return a.intent(0.9)
	case ref.Service == domain.ServiceGmail && ref.Kind != "draft" && (replyRE.MatchString(q) || forwardRE.MatchString(q)):
		return a.respond(ref)
	}
	a.add(Step{Service: ref.Service, Operation: OpRead, Params: refParams(ref)})
	return a.intent(0.9)
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
		if len(a.ent.Dates) > 0 || len(a.ent.Times) > 0 {
			delete(p, ParamAfter)
			delete(p, ParamBefore)
			for _, k := range []string{ParamAfter, ParamBefore} {
				if v, ok := fresh[k]; ok {
					p[k] = v
				}
			}
		}
		if len(a.people) > 0 {
			for _, k := range []string{ParamFrom, ParamTo, ParamAttendees} {
				delete(p, k)
				if v, ok := fresh[k]; ok {
					p[k] = v
				}
			}
		}
		if len(a.ent.Dates) == 0 && len(a.ent.Times) == 0 && len(a.people) == 0 && rest != "" {
			p[ParamQuery] = strings.TrimRight(rest, "?!. ")
		}
		a.add(Step{Service: s.Service, Operation: OpSearch, Params: p})
	}
	if len(a.steps) == 0 {
		return Intent{}, false
	}
	return a.intent(0.8), true
}
