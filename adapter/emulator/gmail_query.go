// Gmail search (the q parameter of messages.list): the subset the product uses.

package emulator

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// mailTerm is one condition of a Gmail search; neg inverts it.
type mailTerm struct {
	neg   bool
	match func(m *mailMsg) bool
}

type mailQuery struct {
	terms          []mailTerm
	wantsSpamTrash bool
}

func (q mailQuery) match(m *mailMsg) bool {
	for _, t := range q.terms {
		if t.match(m) == t.neg {
			return false
		}
	}
	return true
}

// tokenizeQuery splits a Gmail query on spaces, keeping "quoted phrases" (also after op:) whole.
func tokenizeQuery(q string) []string {
	var out []string
	var cur strings.Builder
	quoted := false
	for _, r := range q {
		switch {
		case r == '"':
			quoted = !quoted
		case (r == ' ' || r == '\t') && !quoted:
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// labelMatcher resolves a label: or in: argument (id or name, Gmail-normalised).
func labelMatcher(mb *mailbox, arg string) func(m *mailMsg) bool {
	norm := func(s string) string {
		return strings.NewReplacer(" ", "-", "/", "-", "_", "-").Replace(strings.ToLower(s))
	}
	var ids []string
	for _, l := range mb.labels {
		if strings.EqualFold(l.Id, arg) || norm(l.Name) == norm(arg) {
			ids = append(ids, l.Id)
		}
	}
	return func(m *mailMsg) bool {
		return slices.ContainsFunc(ids, func(id string) bool { return slices.Contains(m.LabelIDs, id) })
	}
}

// queryDate reads after:/before: values: YYYY/MM/DD, YYYY-MM-DD or epoch seconds.
func queryDate(v string) (time.Time, error) {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.Unix(n, 0), nil
	}
	for _, layout := range []string{"2006/1/2", "2006-1-2", "2006/01/02", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad date %q", v)
}

// parseMailQuery understands the subset of Gmail search the product uses:
// from: to: cc: bcc: subject: label: in: is: after: before: newer_than:
// older_than: has:attachment rfc822msgid: and plain words or "phrases"; a
// leading - negates a term. Unknown operators are searched as words.
func parseMailQuery(q string, mb *mailbox, now time.Time) (mailQuery, *apiError) {
	var out mailQuery
	for _, tok := range tokenizeQuery(q) {
		t := mailTerm{}
		if strings.HasPrefix(tok, "-") && len(tok) > 1 {
			t.neg, tok = true, tok[1:]
		}
		op, arg, hasOp := strings.Cut(tok, ":")
		op, larg := strings.ToLower(op), strings.ToLower(arg)
		if !hasOp || arg == "" {
			op, larg = "", strings.ToLower(tok)
		}
		switch op {
		case "from":
			t.match = func(m *mailMsg) bool { return strings.Contains(m.parsed.from, larg) }
		case "to", "cc", "bcc":
			t.match = func(m *mailMsg) bool { return strings.Contains(m.parsed.to, larg) }
		case "subject":
			t.match = func(m *mailMsg) bool { return strings.Contains(strings.ToLower(m.parsed.subject), larg) }
		case "label", "in", "is":
			if larg == "trash" || larg == "spam" || larg == "anywhere" {
				out.wantsSpamTrash = true
			}
			if larg == "anywhere" {
				continue
			}
			if op == "is" && larg == "read" {
				t.neg, larg = !t.neg, "unread"
			}
			t.match = labelMatcher(mb, larg)
		case "after", "before":
			d, err := queryDate(arg)
			if err != nil {
				return out, errInvalid("Invalid query: " + err.Error())
			}
			if op == "after" {
				t.match = func(m *mailMsg) bool { return !m.InternalDate.Before(d) }
			} else {
				t.match = func(m *mailMsg) bool { return m.InternalDate.Before(d) }
			}
		case "newer_than", "older_than":
			n, err := strconv.Atoi(larg[:max(len(larg)-1, 0)])
			if err != nil || len(larg) < 2 {
				return out, errInvalid("Invalid query: " + tok)
			}
			var d time.Time
			switch larg[len(larg)-1] {
			case 'd':
				d = now.AddDate(0, 0, -n)
			case 'm':
				d = now.AddDate(0, -n, 0)
			case 'y':
				d = now.AddDate(-n, 0, 0)
			default:
				return out, errInvalid("Invalid query: " + tok)
			}
			if op == "newer_than" {
				t.match = func(m *mailMsg) bool { return !m.InternalDate.Before(d) }
			} else {
				t.match = func(m *mailMsg) bool { return m.InternalDate.Before(d) }
			}
		case "has":
			t.match = func(m *mailMsg) bool { return larg == "attachment" && len(m.parsed.attachments) > 0 }
		case "rfc822msgid":
			id := "<" + strings.Trim(arg, "<>") + ">"
			t.match = func(m *mailMsg) bool { return slices.Contains(m.MessageIDs, id) }
		default:
			word := strings.ToLower(tok)
			t.match = func(m *mailMsg) bool { return strings.Contains(m.parsed.text, word) }
		}
		out.terms = append(out.terms, t)
	}
	return out, nil
}
