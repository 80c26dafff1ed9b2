package intent

import (
	"strings"
)

// A request to write often says what the mail is for rather than what it
// says: "thanking her for the Aspen invitation", "asking for a call next
// week", "to remind the team about Friday". letter turns that purpose into
// the mail's subject and opening sentences, written to the reader.

// purposeRE finds the purpose: a verb of purpose, as "-ing" or "to ...",
// and the rest of the request.
var purposeRE = rx(`\b(?:to\s+)?(thank(?:ing)?|ask(?:ing)?|invit(?:e|ing)|remind(?:ing)?|congratulat(?:e|ing)|apologi[sz](?:e|ing)|confirm(?:ing)?|request(?:ing)?|follow(?:ing)?\s+up|propos(?:e|ing)|suggest(?:ing)?|check(?:ing)?\s+in|welcom(?:e|ing)|offer(?:ing)?|let(?:ting)?\s+(?:\S+\s+)?know|tell(?:ing)?|inform(?:ing)?)\b\s*(.*)$`)

// readerRE is whom the purpose names as its object ("thanking her", "asking
// the team"): the reader, who is "you" in the mail.
var readerRE = rx(`^(?:him|her|them|everyone|everybody|the\s+team|all\s+of\s+them|us|me)\b\s*`)

var (
	// andRE ends the command a purpose follows: "email Bob and tell him ...".
	andRE = rx(`\band\s+$`)
	// channelRE says how the mail goes, not what it says: "let Bob know by email that ...".
	channelRE = rx(`^(?:(?:by|via|over|in)\s+(?:an?\s+)?(?:e-?mail|mail|message|note)\b\s*)`)
)

// letter returns the subject and opening of a mail written for the purpose
// q states; ok is false when q states none. A verb's plain form is a
// purpose only as the command or after "to" ("ask Bob for ...", "write to
// Bob to ask ..."), not as a noun ("about the offer").
func letter(q string, recipients []string) (subj, body string, ok bool) {
	var m []int
	for at := 0; m == nil; {
		c := purposeRE.FindStringSubmatchIndex(q[at:])
		if c == nil {
			return "", "", false
		}
		for i := range c {
			c[i] += at
		}
		if v := strings.ToLower(q[c[2]:c[3]]); c[0] == 0 || strings.Contains(v, "ing") || c[2] > c[0] || andRE.MatchString(q[:c[0]]) {
			m = c // the command, an "-ing" form, "to ask" or "... and tell him"
		}
		at = c[3]
	}
	verb := strings.ToLower(strings.Join(strings.Fields(q[m[2]:m[3]]), " "))
	rest := strings.TrimSpace(q[m[4]:m[5]])
	for _, r := range recipients {
		// "asking Bob for the numbers": Bob is the reader.
		if strings.HasPrefix(strings.ToLower(rest), strings.ToLower(r)+" ") {
			rest = strings.TrimSpace(rest[len(r):])
		}
	}
	rest = channelRE.ReplaceAllString(readerRE.ReplaceAllString(rest, ""), "")
	rest = toReader(strings.TrimRight(rest, "?!. "))
	obj := func(prep string) string { // the object after prep: "for the invitation" -> "the invitation"
		if w, r, ok := strings.Cut(rest, " "); ok && strings.EqualFold(w, prep) {
			return r
		}
		return ""
	}
	switch {
	case strings.HasPrefix(verb, "thank"):
		if x := obj("for"); x != "" {
			return "Thank you for " + x, "Thank you for " + x + ".", true
		}
		return "Thank you", "Thank you.", true
	case strings.HasPrefix(verb, "ask"):
		switch {
		case obj("for") != "":
			x := obj("for")
			return "Request for " + x, "I'd like to ask for " + x + ". Would that work for you?", true
		case obj("about") != "":
			x := obj("about")
			return "Question about " + x, "I wanted to ask you about " + x + ".", true
		case obj("to") != "":
			x := obj("to")
			return capital(x), "Could you " + x + "?", true
		case rest != "":
			return capital(rest), "Could you let me know " + rest + "?", true
		}
	case strings.HasPrefix(verb, "invit"):
		if x := obj("to"); x != "" {
			return "Invitation to " + x, "I'd like to invite you to " + x + ".", true
		}
	case strings.HasPrefix(verb, "remind"):
		for _, prep := range []string{"about", "of", "that", "to"} {
			if x := obj(prep); x != "" {
				if prep == "of" {
					prep = "about"
				}
				return "Reminder: " + x, "A quick reminder " + prep + " " + x + ".", true
			}
		}
	case strings.HasPrefix(verb, "congratulat"):
		if x := obj("on"); x != "" {
			return "Congratulations on " + x, "Congratulations on " + x + "!", true
		}
		return "Congratulations", "Congratulations!", true
	case strings.HasPrefix(verb, "apologi"):
		if x := obj("for"); x != "" {
			return "Apologies for " + x, "I'm sorry for " + x + ".", true
		}
		return "Apologies", "I'm sorry.", true
	case strings.HasPrefix(verb, "confirm"):
		if rest != "" {
			return "Confirming " + rest, "I'm writing to confirm " + rest + ".", true
		}
	case strings.HasPrefix(verb, "request"):
		if rest != "" {
			return "Request: " + rest, "I'd like to request " + rest + ".", true
		}
	case strings.HasPrefix(verb, "follow"):
		if x := obj("on"); x != "" {
			return "Following up on " + x, "I'm following up on " + x + ".", true
		}
		return "Following up", "I'm following up on my last message.", true
	case strings.HasPrefix(verb, "propos"), strings.HasPrefix(verb, "suggest"):
		if x := obj("that"); x != "" {
			return "Proposal", "I'd like to suggest that " + x + ".", true
		}
		if rest != "" {
			return "Proposal: " + rest, "I'd like to propose " + rest + ".", true
		}
	case strings.HasPrefix(verb, "check"):
		if x := obj("on"); x != "" {
			return "Checking in on " + x, "I wanted to check in on " + x + ".", true
		}
		return "Checking in", "I wanted to check in and see how things are going.", true
	case strings.HasPrefix(verb, "welcom"):
		if x := obj("to"); x != "" {
			return "Welcome to " + x, "Welcome to " + x + "!", true
		}
		return "Welcome", "Welcome!", true
	case strings.HasPrefix(verb, "offer"):
		if x := obj("to"); x != "" {
			return "Offer to " + x, "I'd be happy to " + x + ".", true
		}
		if rest != "" {
			return "Offer: " + rest, "I'd like to offer " + rest + ".", true
		}
	default: // tell, let ... know, inform
		if x := obj("about"); x != "" {
			return "About " + x, "I wanted to let you know about " + x + ".", true
		}
		if x := obj("that"); x != "" {
			rest = x
		}
		if rest != "" {
			return capital(firstWords(rest, 6)), capital(rest) + ".", true
		}
	}
	return "", "", false
}

// toReader rewrites the request's words about the reader for the mail,
// which speaks to them: "her help" is "your help", "she" is "you".
func toReader(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		switch strings.ToLower(w) {
		case "her", "his", "their":
			words[i] = "your"
			if i+1 == len(words) || strings.ToLower(w) == "her" && i+1 < len(words) && isFunctionWord(words[i+1]) {
				words[i] = "you" // "invite her to ...": the object, not a possessive
			}
		case "him", "them":
			words[i] = "you"
		case "he", "she", "they":
			words[i] = "you"
		case "he's", "she's", "they're":
			words[i] = "you're"
		}
	}
	return strings.Join(words, " ")
}

func isFunctionWord(w string) bool {
	switch strings.ToLower(w) {
	case "to", "for", "about", "on", "that", "and", "if", "whether", "at", "in", "with":
		return true
	}
	return false
}

func capital(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = []rune(strings.ToUpper(string(r[0])))[0]
	return string(r)
}
