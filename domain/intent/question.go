package intent

import "strings"

var (
	// "how much" counts items ("how much mail came today"), not amounts
	// ("how much did Ken pledge").
	countRE     = rx(`\b(?:how many|how much\s+(?:\w+\s+)?(?:e-?mails?|mail|messages?|meetings?|events?|files?|docs?|time)|count|number of)\b`)
	freeRE      = rx(`\b(?:am i|are we|is \w+) (?:free|busy|available)\b|\b(?:free|busy|available) (?:on|at|this|next|tomorrow|today)\b|\bdo i have (?:time|anything)\b`)
	whenRE      = rx(`^(?:so\s+)?when\b|\bwhat time\b|\bwhen (?:is|was|does|did|do|will)\b`)
	whoRE       = rx(`^who\b|\bwho (?:is|was|were|sent|attended|attends|owns|wrote|is going|else)\b`)
	whichRE     = rx(`^(?:which|what)\s+(?:\w+\s+)?(?:sig|team|one|ones|of|keps?|meetings?|emails?|files?|docs?)\b|^which\b`)
	summarizeRE = rx(`\b(?:summari[sz]e|summary|tl;?dr|gist|recap|brief me|prepare me|get me ready|prep me)\b|^what(?:'s|s| is| was| are| were)\b.*\babout[?.!\s]*$`)
	readAskRE   = rx(`\bwhat does (?:it|that|this|the \w+|\w+) say\b|\b(?:full|whole|entire) (?:email|message|text|document|doc)\b|\btell me more\b|\b(?:contents?|body) of\b|\bread (?:it|that|me)\b|\bopen (?:it|that|the)\b`)
	smallTalkRE = rx(`^(?:ok(?:ay)?|cool|great|nice|thanks|thank you|thx|ty|awesome|perfect|got it|good|fine|sounds good|alright|all right|hi|hello|hey|good (?:morning|afternoon|evening)|bye|goodbye|lol|wow|hmm+)(?:\s+(?:thanks|thank you|there|then|so much|a lot))*[\s!.,]*$`)
)

// questionOf is the kind of answer q asks for.
func questionOf(q string) Question {
	switch {
	case smallTalkRE.MatchString(q):
		return QuestionSmallTalk
	case countRE.MatchString(q):
		return QuestionCount
	case freeRE.MatchString(q):
		return QuestionFree
	case summarizeRE.MatchString(q):
		return QuestionSummarize
	case readAskRE.MatchString(q):
		return QuestionRead
	case whoRE.MatchString(q):
		return QuestionWho
	case whenRE.MatchString(q):
		return QuestionWhen
	case whichRE.MatchString(q):
		return QuestionWhich
	}
	return QuestionList
}

var (
	newestRE   = rx(`\b(?:latest|most recent|newest|last|recent|recently|lately)\b`)
	oldestRE   = rx(`\b(?:oldest|earliest|first)\b`)
	upcomingRE = rx(`\b(?:next|upcoming|coming up|soonest)\b`)
)

// orderOf is how the results of a search of service s should be sorted:
// "next" asks for the soonest to come, "latest"/"last" for the newest, "first"
// for the earliest; "" leaves relevance. A date span ("last week") is not an order.
func orderOf(q string, spans [][2]int) Order {
	outside := func(m []int) bool {
		for _, s := range spans {
			if m[0] >= s[0] && m[0] < s[1] {
				return false
			}
		}
		return true
	}
	first := func(re interface{ FindAllStringIndex(string, int) [][]int }) int {
		for _, m := range re.FindAllStringIndex(q, -1) {
			if outside(m) {
				return m[0]
			}
		}
		return -1
	}
	best, order := len(q)+1, Order("")
	for _, c := range []struct {
		at int
		o  Order
	}{{first(upcomingRE), OrderUpcoming}, {first(newestRE), OrderNewest}, {first(oldestRE), OrderOldest}} {
		if c.at >= 0 && c.at < best {
			best, order = c.at, c.o
		}
	}
	return order
}

// smallTalkReply is the short answer to small talk.
func smallTalkReply(q string) string {
	lq := strings.ToLower(q)
	switch {
	case strings.Contains(lq, "thank") || strings.HasPrefix(lq, "thx") || strings.HasPrefix(lq, "ty"):
		return "You're welcome! Ask me about your mail, calendar or files whenever you need."
	case strings.HasPrefix(lq, "hi") || strings.HasPrefix(lq, "hello") || strings.HasPrefix(lq, "hey") || strings.HasPrefix(lq, "good "):
		return "Hi! I can find and act on your mail, calendar and files: what would you like?"
	case strings.Contains(lq, "bye"):
		return "Goodbye!"
	}
	return "Glad that helps. Anything else in your mail, calendar or files?"
}
