package intent

import (
	"context"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// A compound request joins requests ("draft a note to Bob about the offsite
// and show my meetings next week"): each part is classified on its own, so
// that the dates and people of one do not leak into the other's steps, and
// the parts' steps run side by side. A part that refers back ("find the Q3
// report and share it with Bob") is chained: it acts on what the part
// before found.
var (
	// joinRE finds where a next request may start: "and", "also", "then" or a
	// semicolon between two parts.
	joinRE = rx(`\s*(?:;|,?\s+(?:and\s+(?:also\s+|then\s+)?|also\s+|then\s+))`)
	// starterRE is how a request starts: a command or a question.
	starterRE = rx(`^(?:(?:please\s+)?(?:show|find|locate|grab|fetch|retrieve|pull\s+up|bring\s+up|dig\s+up|look\s+for|list|get|search|look\s+up|check|tell|give\s+me|what|what's|whats|when|where|who|which|how|any|are\s+there|is\s+there|do\s+i|did|has|have|had|was|were|am\s+i|draft|compose|write|send|e-?mail|mail|message|ping|notify|inform|let|ask|remind|invite|forward|reply|respond|schedule|book|set\s+up|create|add|put|block|cancel|delete|remove|move|reschedule|postpone|push|share|give|grant|open|read|summari[sz]e|prepare|mark|play|order|print|call|text|upload|download|rename|archive)\b)`)
	// aboutItRE is a message about what the part before acts on ("cancel
	// the review and email Bob about it"): the part stands on its own with
	// that part's topic.
	aboutItRE = rx(`\b(?:about|regarding|re)\s+(?:it|that|this|them)\b`)
	// backRE refers to something an earlier part found ("share it with Bob").
	backRE = rx(`\b(it|its|that|them|this|those|these)\b`)
	// samePersonRE refers to someone the part before names ("email Bob the
	// notes and ask him to ..."): one message, not two.
	samePersonRE = rx(`\b(him|her|they|there)\b`)
	// leadVerbRE is the command a part starts with, which a part that names
	// only what to find ("... and my meetings on Friday") shares.
	leadVerbRE = rx(`^(?:please\s+)?(?:show(?:\s+me)?|find(?:\s+me)?|locate|grab|fetch|list|get(?:\s+me)?|search(?:\s+for)?|look\s+(?:up|for)|check|give\s+me|pull\s+up|bring\s+up)\b`)
	// answerFoundRE answers what the part before found without naming it:
	// "... and reply saying thanks", "... and forward to Bob".
	answerFoundRE = rx(`^(?:reply|respond|answer|write\s+back)(?:\s+(?:saying|that|with|and\s+say)\b|\s*$)|^forward\s+to\b`)
)

// part is one request of a compound request.
type part struct {
	text string
	// chained parts act on what the part before found ("share it with Bob").
	chained bool
}

// splitRequests cuts q into its requests, or returns it whole.
func splitRequests(q string) []part {
	var parts []part
	rest, chained := q, false
	for {
		cut := -1
		var next part
		for _, m := range joinRE.FindAllStringIndex(rest, -1) {
			head, tail := strings.TrimSpace(rest[:m[0]]), strings.TrimSpace(rest[m[1]:])
			if len(strings.Fields(head)) < 2 || samePersonRE.MatchString(tail) {
				continue // "... and ask him to", "... and my meetings with her": one request about that person
			}
			switch {
			case starterRE.MatchString(tail):
				back := backRE.MatchString(aboutItRE.ReplaceAllString(tail, "")) || answerFoundRE.MatchString(tail)
				if back && sayingRE.MatchString(head) || !back && !hasContent(tail) {
					continue // "... and ask him to start", "... and what time?": one request
				}
				cut, next = m[0], part{text: tail, chained: back}
			case namesOtherService(head, tail):
				// "the latest email from Paula and my meetings on Friday": the
				// second part shares the first's command.
				verb := strings.TrimSpace(leadVerbRE.FindString(head))
				if verb == "" {
					verb = "show"
				}
				cut, next = m[0], part{text: verb + " " + tail}
			}
			if cut >= 0 {
				break
			}
		}
		if cut < 0 {
			return append(parts, part{text: strings.TrimSpace(rest), chained: chained})
		}
		parts = append(parts, part{text: strings.TrimSpace(rest[:cut]), chained: chained})
		rest, chained = next.text, next.chained
	}
}

// hasContent reports whether s names anything of its own: a word that is
// no command, filler or kind of item, an address or a date ("and what
// time?" names nothing; "and let bob@x.com know" does).
func hasContent(s string) bool {
	return emailAddrRE.MatchString(s) || slices.ContainsFunc(wordRE.FindAllString(s, -1), func(w string) bool {
		return !stopWords[strings.ToLower(w)] && !isKeyword(w)
	})
}

// namesOtherService reports whether tail, a phrase with no command of its
// own, starts by naming items of a service head does not name, while head
// asks for something of its own: "emails from Paula and my meetings on
// Friday", not "my drive and calendar" nor "emails from Bob and Alice".
func namesOtherService(head, tail string) bool {
	if !leadVerbRE.MatchString(head) && !starterRE.MatchString(head) {
		return false
	}
	if !hasContent(head) {
		return false
	}
	words := strings.Fields(tail)
	first := strings.Join(words[:min(len(words), 5)], " ")
	tailSvc, ok := firstService(first)
	if !ok {
		return false
	}
	for _, s := range domain.Services {
		if s == tailSvc && (says(serviceWords[s], head) || says(weakWords[s], head)) {
			return false
		}
	}
	return true
}

// firstService is the service of the first service word in s.
func firstService(s string) (domain.Service, bool) {
	best, at := domain.Service(""), len(s)+1
	for _, svc := range domain.Services {
		for _, re := range []*regexp.Regexp{serviceWords[svc], weakWords[svc]} {
			if re == nil {
				continue
			}
			if m := re.FindStringIndex(s); m != nil && m[0] < at {
				best, at = svc, m[0]
			}
		}
	}
	return best, best != ""
}

func says(re *regexp.Regexp, s string) bool { return re != nil && re.MatchString(s) }

// compound classifies each part and joins the results: the steps of every
// part in order, at the lowest confidence of the parts. A part that needs a
// clarification asks it for the whole; a part nothing can serve is declined
// while another part can be served. A mail part that says nothing of its
// own after an action ("cancel the review and let Bob know") tells of that
// action.
func (c *Offline) compound(ctx context.Context, r Request, parts []part) (Intent, error) {
	var (
		out         = Intent{Confidence: 1}
		unsupported string
		served      bool
		topic, news string
	)
	for _, p := range parts {
		pr := r
		pr.Query = p.text
		if topic != "" {
			pr.Query = aboutItRE.ReplaceAllString(p.text, "about "+topic)
		}
		ch := chain{steps: out.Steps, news: news}
		if p.chained {
			ch.back = true
		}
		in, err := c.classifyPart(ctx, pr, ch)
		if err != nil {
			return Intent{}, err
		}
		if p.chained && in.Clarification != "" && topic != "" {
			// Nothing found before fits what the part does to "it": it names
			// the previous part's subject instead.
			pr.Query = backRE.ReplaceAllString(p.text, "the "+topic)
			if in, err = c.classifyPart(ctx, pr, chain{steps: out.Steps, news: news}); err != nil {
				return Intent{}, err
			}
		}
		switch {
		case in.Clarification != "":
			return in, nil
		case in.Unsupported != "":
			unsupported = in.Unsupported
			out.Declined = append(out.Declined, p.text)
			continue
		}
		served = true
		if len(in.Entities.Topics) > 0 {
			topic = in.Entities.Topics[0]
		}
		news = newsOf(p.text, in.Steps)
		if in.Question != "" && in.Question != QuestionList {
			// The request's question is one part's: each part's searches
			// carry their own ("how many emails …, and show my meetings").
			for i, s := range in.Steps {
				if s.Operation == OpSearch && s.Params.String(ParamQuestion) == "" {
					p := maps.Clone(s.Params)
					if p == nil {
						p = Params{}
					}
					p[ParamQuestion] = string(in.Question)
					in.Steps[i].Params = p
				}
			}
		}
		out.Steps = append(out.Steps, in.Steps...)
		out.Entities = mergeEntities(out.Entities, in.Entities)
		out.Confidence = min(out.Confidence, in.Confidence)
	}
	if !served {
		return Intent{Confidence: 0.9, Unsupported: unsupported}, nil
	}
	out.Normalize()
	return out, nil
}

// chain is what the parts before a part left it: their steps (a chained
// part acts on what they found) and the news of their action, which a
// message with nothing of its own to say tells.
type chain struct {
	steps []Step
	back  bool // the part refers back ("share it with Bob")
	news  string
}

// found is the last step of the parts before that finds items of service s
// (any service when s is empty): a search or a read.
func (ch chain) found(s domain.Service) (Step, bool) {
	for i := len(ch.steps) - 1; i >= 0; i-- {
		st := ch.steps[i]
		if (st.Operation == OpSearch || st.Operation == OpRead) && (s == "" || st.Service == s) {
			return st, true
		}
	}
	return Step{}, false
}

// actVerbs are how a changing part says what it does, for the message
// that tells of it: "cancel the review" becomes "I'm cancelling the review."
var actVerbs = map[string]string{
	"cancel": "cancelling", "delete": "cancelling", "remove": "cancelling", "call off": "calling off",
	"move": "moving", "reschedule": "rescheduling", "postpone": "postponing", "push": "pushing", "shift": "moving",
	"schedule": "scheduling", "book": "booking", "set up": "setting up", "create": "scheduling", "add": "adding",
	"put": "putting", "block": "blocking", "share": "sharing", "give": "giving", "grant": "granting",
}

var actVerbRE = rx(`^(?:please\s+)?(cancel|delete|remove|call\s+off|move|reschedule|postpone|push|shift|schedule|book|set\s+up|create|add|put|block|share|give|grant)\s+(.+?)[.!?]*$`)

// newsOf is what a part that changes something does, told in a sentence
// ("I'm cancelling the SIG Release meeting next week."); empty for a part
// that changes nothing.
func newsOf(text string, steps []Step) string {
	changes := false
	for _, s := range steps {
		changes = changes || s.SideEffect && s.Service != domain.ServiceGmail
	}
	m := actVerbRE.FindStringSubmatch(strings.TrimSpace(text))
	if !changes || m == nil {
		return ""
	}
	verb := strings.ToLower(strings.Join(strings.Fields(m[1]), " "))
	return "I'm " + actVerbs[verb] + " " + m[2] + "."
}

func mergeEntities(a, b Entities) Entities {
	a.People = append(a.People, b.People...)
	a.Organisations = append(a.Organisations, b.Organisations...)
	a.Topics = append(a.Topics, b.Topics...)
	a.Dates = append(a.Dates, b.Dates...)
	a.Times = append(a.Times, b.Times...)
	a.Durations = append(a.Durations, b.Durations...)
	a.Items = append(a.Items, b.Items...)
	return a
}
