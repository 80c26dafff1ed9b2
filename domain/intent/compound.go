package intent

import (
	"context"
	"fmt"
	"strings"
)

// A compound request joins independent requests ("draft a note to Bob about
// the offsite and show my meetings next week"): each part is classified on
// its own, so that the dates and people of one do not leak into the other's
// steps, and the parts' steps run side by side.
var (
	// joinRE finds where a next request may start: "and", "also", "then" or a
	// semicolon between two parts.
	joinRE = rx(`\s*(?:;|,?\s+(?:and\s+(?:also\s+|then\s+)?|also\s+|then\s+))`)
	// starterRE is how a request starts: a command or a question.
	starterRE = rx(`^(?:(?:please\s+)?(?:show|find|list|get|search|look\s+up|check|tell\s+me|give\s+me|what|what's|whats|when|where|who|which|how|any|are\s+there|is\s+there|do\s+i|did|has|have|had|was|were|am\s+i|draft|compose|write|send|email|schedule|book|set\s+up|create|cancel|delete|move|reschedule|share|open|read|summari[sz]e)\b)`)
	// aboutItRE is a message about what the part before acts on ("cancel
	// the review and email Bob about it"): the part stands on its own with
	// that part's topic.
	aboutItRE = rx(`\b(?:about|regarding|re)\s+(?:it|that|this|them)\b`)
	// backRE refers to something an earlier part found ("share it with Bob",
	// "tell her I'm late"): such a part depends on the previous one and is
	// not split off.
	backRE = rx(`\b(it|its|that|them|this|those|these|him|her|they|there)\b`)
)

// splitRequests cuts q into independent requests, or returns it whole.
func splitRequests(q string) []string {
	var parts []string
	rest := q
	for {
		cut := -1
		var next string
		for _, m := range joinRE.FindAllStringIndex(rest, -1) {
			head, tail := strings.TrimSpace(rest[:m[0]]), strings.TrimSpace(rest[m[1]:])
			if len(strings.Fields(head)) >= 2 && starterRE.MatchString(tail) && !backRE.MatchString(aboutItRE.ReplaceAllString(tail, "")) {
				cut, next = m[0], tail
				break
			}
		}
		if cut < 0 {
			return append(parts, strings.TrimSpace(rest))
		}
		parts = append(parts, strings.TrimSpace(rest[:cut]))
		rest = next
	}
}

// compound classifies each part and joins the results: the steps of every
// part, renumbered in order, at the lowest confidence of the parts. A part
// that needs a clarification asks it for the whole; a part nothing can serve
// is declined while another part can be served.
func (c *Offline) compound(ctx context.Context, r Request, parts []string) (Intent, error) {
	var (
		out         = Intent{Confidence: 1}
		unsupported string
		served      bool
	)
	topic := ""
	for _, p := range parts {
		pr := r
		pr.Query = p
		if topic != "" {
			pr.Query = aboutItRE.ReplaceAllString(p, "about "+topic)
		}
		in, err := c.classifyOne(ctx, pr)
		if err != nil {
			return Intent{}, err
		}
		switch {
		case in.Clarification != "":
			return in, nil
		case in.Unsupported != "":
			unsupported = in.Unsupported
			out.Declined = append(out.Declined, p)
			continue
		}
		served = true
		if len(in.Entities.Topics) > 0 {
			topic = in.Entities.Topics[0]
		}
		renumber(in.Steps, len(out.Steps))
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

// renumber gives steps the ids s<offset+1>, ... and rewrites their
// dependencies to match.
func renumber(steps []Step, offset int) {
	ids := map[string]string{}
	for i := range steps {
		ids[steps[i].ID] = fmt.Sprintf("s%d", offset+i+1)
		steps[i].ID = ids[steps[i].ID]
	}
	for i := range steps {
		for j, d := range steps[i].DependsOn {
			steps[i].DependsOn[j] = ids[d]
		}
	}
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
