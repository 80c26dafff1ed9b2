package intent

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// The model's intents (domain/nlu/corpus.txt): what a request wants done.
const (
	doSearchMail     = "search_mail"
	doSearchCalendar = "search_calendar"
	doSearchDrive    = "search_drive"
	doSearchAny      = "search_any"
	doReadMail       = "read_mail"
	doReadFile       = "read_file"
	doPrepare        = "prepare"
	doDraft          = "draft_mail"
	doSend           = "send_mail"
	doReply          = "reply_mail"
	doForward        = "forward_mail"
	doCreate         = "create_event"
	doUpdate         = "update_event"
	doDelete         = "delete_event"
	doShare          = "share_file"
	doRefRead        = "ref_read"
	doRepeat         = "repeat"
	doConfirm        = "confirm"
	doReject         = "reject"
	doSmallTalk      = "smalltalk"
	doUnsupported    = "unsupported"
	doUnsupportedOp  = "unsupported_op"
)

// searchOf is the service a search intent is about.
var searchOf = map[string]domain.Service{
	doSearchMail: domain.ServiceGmail, doSearchCalendar: domain.ServiceCalendar, doSearchDrive: domain.ServiceDrive,
	doReadMail: domain.ServiceGmail, doReadFile: domain.ServiceDrive,
}

// canDo is what the product can do, said when it declines.
const canDo = "I can search and read your Gmail, draft and send emails, find, create, move and cancel Calendar events, and find, read and share Drive files."

// understand runs the model over the request: its intent, question and slots.
func (a *analysis) understand() {
	a.ent.Topics = nil
	type part struct {
		at   int
		text string
	}
	var parts []part
	for _, s := range a.read.Slots {
		if s.Name == "topic" && !a.inSpan(s.Start) && !inAny(googleMentionRE.FindAllStringIndex(a.q, -1), s.Start) {
			// A person's name inside a topic slot is the person ("email
			// Sarah the KEP"); Google's product names name a service.
			start := a.topicStart(s.Start)
			t := a.q[start:a.topicEnd(s.End)]
			for _, p := range a.people {
				t = strings.Replace(t, p.Name, "", 1)
			}
			if t = trimTopic(googleProductRE.ReplaceAllString(strings.Join(strings.Fields(t), " "), "")); t != "" {
				parts = append(parts, part{start, t})
			}
		}
	}
	// An acronym the tagger left out is what the request is most about ("the
	// AEI event invitations"), in its place among the topic's words.
	for _, m := range acronymRE.FindAllStringIndex(a.q, -1) {
		w := a.q[m[0]:m[1]]
		if a.inSpan(m[0]) || a.inAnySlot(m[0]) || askedKindRE.MatchString(a.q[:m[0]]) || isKeyword(w) || isKeyword(strings.TrimSuffix(w, "s")) || stopWords[strings.ToLower(w)] {
			continue
		}
		parts = append(parts, part{m[0], w})
	}
	// A name no contact bears is searched for as words ("emails about Davos").
	for _, n := range a.unknown {
		if at := strings.Index(strings.ToLower(a.q), strings.ToLower(n)); at >= 0 && !slices.ContainsFunc(parts, func(p part) bool {
			return strings.Contains(strings.ToLower(p.text), strings.ToLower(n))
		}) {
			parts = append(parts, part{at, n})
		}
	}
	if searchOf[a.read.Intent] != "" || a.read.Intent == doSearchAny {
		// A full name nobody the user writes with bears ("Pete Sessions on
		// TV", "Houston Endowment support") is what is searched for; it
		// stands for any part of it the tagger kept.
		for _, m := range a.fullNames() {
			n := a.q[m[0]:m[1]]
			if a.inSpan(m[0]) || googleProductRE.MatchString(n) {
				continue
			}
			parts = slices.DeleteFunc(parts, func(p part) bool { return strings.Contains(n, p.text) })
			if !slices.ContainsFunc(parts, func(p part) bool { return strings.Contains(p.text, n) }) {
				parts = append(parts, part{m[0], n})
			}
		}
	}
	slices.SortStableFunc(parts, func(x, y part) int { return x.at - y.at })
	var topics []string
	for _, p := range parts {
		topics = append(topics, p.text)
	}
	topics = append(topics, a.also...)
	if searchOf[a.read.Intent] != "" || a.read.Intent == doSearchAny || a.read.Intent == doPrepare {
		topics = append(topics, a.discussed(topics)...)
	}
	if id := kepRE.FindStringSubmatchIndex(a.q); id != nil {
		// An identifier names the file outright: "KEP number 3063" is "KEP-3063".
		kep := "KEP-" + strings.TrimLeft(a.q[id[2]:id[3]], "0")
		var rest []string
		for _, t := range topics {
			if t = strings.TrimSpace(kepRE.ReplaceAllString(t, "")); t != "" && !strings.EqualFold(t, "number") && "KEP-"+strings.TrimLeft(t, "0") != kep {
				rest = append(rest, t)
			}
		}
		topics = append([]string{kep}, rest...)
	}
	t := strings.TrimSpace(strings.Join(topics, " "))
	switch a.read.Intent {
	case doSmallTalk, doUnsupported, doUnsupportedOp, doConfirm, doReject, doRepeat, doRefRead, doCreate, doDraft, doSend:
	default:
		if t == "" {
			// Words the tagger never saw ("KEPs about kustomize", "my weekly
			// sync"): the request less its stop words, dates and people.
			t = a.topic()
		}
	}
	if a.read.Intent == doSearchAny {
		// A bare phrase ("shareholder saying lay it on the line") is all
		// topic: its words less the stop words, when the tagger kept fewer.
		if all := a.topic(); len(strings.Fields(all)) > len(strings.Fields(t)) {
			t = all
		}
	}
	if t != "" {
		a.ent.Topics = []string{t}
	}
}

// topicEnd is where a topic slot ending at end really ends: the tagger may
// stop short of words it never saw ("about choosing his | successor", "the
// blackmore | report"), so the topic runs on over the words that follow it
// up to punctuation, a date or a name, another slot, a stop word ("from",
// "in", "last", "please") or a word naming a service.
func (a *analysis) topicEnd(end int) int {
	base, last := end, end // last: the end of the last word read, a determiner included
	for _, m := range wordRE.FindAllStringIndex(a.q[base:], -1) {
		i, j := base+m[0], base+m[1]
		w := strings.ToLower(strings.TrimRight(a.q[i:j], ".'"))
		if strings.TrimSpace(a.q[last:i]) != "" || a.inSpan(i) || a.inAnySlot(i) || namesService(w) {
			break
		}
		if determiners[w] && last == end { // "his successor", "the report": on to the noun
			last = j
			continue
		}
		if stopWords[w] {
			break
		}
		end, last = j, j
	}
	return end
}

// topicStart is where a topic slot starting at start really starts: the
// tagger may begin late ("disclosure | committee proposal"), so the topic
// runs back over the words just before it that topicEnd would run on over,
// unless it starts with a determiner.
func (a *analysis) topicStart(start int) int {
	if first := wordRE.FindString(a.q[start:]); determiners[strings.ToLower(first)] {
		return start // "the pod overhead": the phrase starts where it says
	}
	ws, keps := wordRE.FindAllStringIndex(a.q[:start], -1), kepRE.FindAllStringIndex(a.q, -1)
	for k := len(ws) - 1; k >= 0; k-- {
		i, j := ws[k][0], ws[k][1]
		w := strings.ToLower(strings.TrimRight(a.q[i:j], ".'"))
		if strings.TrimSpace(a.q[j:start]) != "" || a.inSpan(i) || a.inAnySlot(i) || inAny(keps, i) || namesService(w) || stopWords[w] || determiners[w] {
			break
		}
		start = i
	}
	return start
}

// sayAboutRE asks what an item says about something.
var sayAboutRE = rx(`\b(?:say|says|said|write|writes|wrote|mention|mentions|propose|proposes)\s+(?:about|on|regarding)\s+`)

// acronymRE is a word of capitals ("AEI", "DRA", "NDAs"); after askedKindRE
// it is the kind of answer asked for ("which SIG owns it"), not a topic.
var (
	acronymRE   = regexp.MustCompile(`\b[A-Z]{2,6}s?\b`)
	askedKindRE = rx(`\b(?:which|what|whose)\s+$`)
)

// googleMentionRE is a name of Google's that names a service where it stands.
var googleMentionRE = rx(`\bgoogle\s+(?:docs|drive|sheets|slides|calendar|mail|gmail)\b`)

// inAny reports whether byte i lies in one of spans.
func inAny(spans [][]int, i int) bool {
	for _, sp := range spans {
		if i >= sp[0] && i < sp[1] {
			return true
		}
	}
	return false
}

// determiners lead the rest of a noun phrase a topic runs on over.
var determiners = map[string]bool{"the": true, "a": true, "an": true, "his": true, "her": true, "their": true, "its": true, "our": true, "your": true}

// namesService reports whether w names a service outright ("emails", "drive").
func namesService(w string) bool {
	for _, re := range serviceWords {
		if re.MatchString(w) {
			return true
		}
	}
	return false
}

// inAnySlot reports whether byte i lies in any slot the tagger marked.
func (a *analysis) inAnySlot(i int) bool {
	for _, s := range a.read.Slots {
		if i >= s.Start && i < s.End {
			return true
		}
	}
	return false
}

// discussedRE introduces what an item discusses, which runs to the end of
// the request: "the meeting where they discussed the mentorship program
// with 3 groups of 4 mentees".
var discussedRE = rx(`\b(?:discuss(?:ed|es|ing)?|talk(?:ed|s|ing)?\s+about|cover(?:ed|s|ing)|mention(?:ed|s|ing)?|went\s+over|about|regarding|concerning)\s+`)

// discussed are the words after the last cue of what an item discusses
// that the tagger's topics left out (it cuts long topics short), less
// dates, people and stop words.
func (a *analysis) discussed(topics []string) []string {
	ms := discussedRE.FindAllStringIndex(a.q, -1)
	if len(ms) == 0 {
		return nil
	}
	have := map[string]bool{}
	for _, t := range topics {
		for _, w := range wordRE.FindAllString(strings.ToLower(t), -1) {
			have[w] = true
		}
	}
	var out []string
	start := ms[len(ms)-1][1]
	for _, m := range wordRE.FindAllStringIndex(a.q[start:a.sayAt()], -1) {
		at := start + m[0]
		w := strings.TrimRight(a.q[at:start+m[1]], ".'")
		lw := strings.ToLower(w)
		if a.inSpan(at) || a.inSlot(at, "person") || stopWords[lw] || have[lw] || len(w) < 2 && !unicode.IsDigit([]rune(w)[0]) {
			continue
		}
		out = append(out, w)
	}
	return out
}

var (
	kepRE     = rx(`\bkeps?[\s-]*(?:numbered|number|no\.?|#)?\s*-?\s*(\d{1,5})\b`)
	topicTrim = rx(`^(?:the|a|an|my|our|any|some|this|that|those|these|about|regarding|on|for|re|through|in|anything about|everything about|same|updated|latest|newest|new|recent|last|previous|full|whole|entire|contents? of|(?:e-?mails?|mails?|messages?|docs?|documents?|files?|meetings?|events?|keps?)\s+(?:about|on|regarding|re))\s+|\s+as\s+(?:an?\s+)?(?:viewer|editor|commenter|reader|writer)$|\s+(?:if|when|in case)\s+.*$|[?.!,;:'"]+$`)
	ofThoseRE = rx(`\b(?:of|among)\s+(?:those|these|them)\b`)
	// cancelVerbRE is how an operation no service offers may still be a
	// cancel ("delete the dentist appointment"), unlike "play the recording
	// of the meeting" or "accept the invite".
	cancelVerbRE = rx(`\b(?:delete|remove|cancel|call\s+off|drop|clear)\b`)
	unsupMail    = rx(`\b(?:e-?mails?|mail|messages?|inbox|unsubscribe|label|archive)\b`)
	unsupDrive   = rx(`\b(?:kep|doc|docs|document|file|files|folder|spreadsheet|rename)\b`)
)

func trimTopic(s string) string {
	for {
		t := topicTrim.ReplaceAllString(strings.TrimSpace(s), "")
		if t == s {
			return t
		}
		s = t
	}
}

// addressAskRE asks for someone's address: "what's Rosalee's email
// address?", "how do I reach Tori Wells?".
var addressAskRE = rx(`^(?:(?:so|and|ok|okay|hey),?\s+)?(?:what(?:'s|\s+is|\s+are)|give\s+me|tell\s+me|find|get|look\s+up|do\s+you\s+have|i\s+need)\b.*\b(?:e-?mail\s+)?address(?:es)?\b|\bhow\s+(?:do|can|should|would)\s+i\s+(?:reach|contact)\b`)

var addressWordRE = rx(`^(?:e-?mail|address(?:es)?)$`)

// addresses answers a question for the addresses of the people it names
// from the user's contacts, most used first; no search is needed.
func (a *analysis) addresses() (Intent, bool) {
	if !addressAskRE.MatchString(a.q) || len(a.people) == 0 || a.chain.back {
		return Intent{}, false
	}
	var lines []string
	for _, p := range a.people {
		if addressWordRE.MatchString(p.Name) {
			continue // the word asked with ("address" is a word of no.address@...)
		}
		if len(p.Addresses) == 0 {
			return Intent{}, false
		}
		var emails []string
		for _, ad := range p.Addresses[:min(len(p.Addresses), maxChoices)] {
			emails = append(emails, ad.Email)
		}
		line := fmt.Sprintf("%s: %s", p.Name, emails[0])
		if len(emails) > 1 {
			line += " (also " + strings.Join(emails[1:], ", ") + ")"
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		return Intent{}, false
	}
	return Intent{Confidence: 0.9, Question: QuestionWho, Reply: "From your mail and calendar, the address used most comes first:\n" + strings.Join(lines, "\n")}, true
}

// askedItemsRE are a service's items asked for by what they are about or
// who sent them ("docs on the offsite", "emails from the bank about ...");
// "meetings" and "events" are not among them, as they often describe mail
// (weakWords).
var askedItemsRE = map[domain.Service]*regexp.Regexp{
	domain.ServiceGmail:    rx(`\b(?:e-?mails?|mails?|messages?|threads?|newsletters?)\s+(?:about|on|regarding|re|from|mentioning|that|which)\b`),
	domain.ServiceCalendar: rx(`\b(?:appointments?|calendar\s+(?:events?|entries))\s+(?:about|on|regarding|with|that|which)\b`),
	domain.ServiceDrive:    rx(`\b(?:docs?|documents?|files?|spreadsheets?|pdfs?|slides|folders?)\s+(?:about|on|regarding|re|from|mentioning|that|which)\b`),
}

// alsoAskedRE ends the words before a second thing asked for ("... and my").
var alsoAskedRE = rx(`\b(?:and|or|plus)\s+(?:(?:my|the|any|all|our)\s+)?$`)

// searchLabel is the search intent of each service.
var searchLabel = map[domain.Service]string{domain.ServiceGmail: doSearchMail, domain.ServiceCalendar: doSearchCalendar, domain.ServiceDrive: doSearchDrive}

// askedItems is the service whose items the request asks for first, or "".
func askedItems(q string) domain.Service {
	var svc domain.Service
	at := len(q)
	for s, re := range askedItemsRE {
		if m := re.FindStringIndex(q); m != nil && m[0] < at {
			svc, at = s, m[0]
		}
	}
	return svc
}

// decideModel builds the intent from what the model read.
var (
	// payRE orders money moved: no service can, whoever it is for ("wire
	// $500 to Linda's account", "pay Bob's invoice"), so it is declined
	// before anyone named is looked up.
	payRE = rx(`^(?:(?:please|can you|could you|would you|i need you to|i want you to|go ahead and|now|ok|okay),?\s+)*(?:(?:wire|pay|transfer|remit|venmo|zelle|reimburse|refund)\b|send\b.*(?:\$\s?\d|\d\s*(?:dollars|usd|eur|euros|bucks|pounds)\b))`)
	// existsRE asks whether something exists ("is there a design doc for
	// X?", "do we have a KEP on Y?"): a search.
	existsRE = rx(`^(?:(?:so|hey|and|also|ok|okay),?\s+)?(?:is\s+there|are\s+there|do\s+(?:we|i|you)\s+have|have\s+(?:we|i)\s+got|does\s+(?:anyone|anybody|someone)\s+have|has\s+(?:anyone|anybody|someone)\s+(?:written|drafted|made)|did\s+(?:anyone|anybody|someone)\s+write)\b`)
)

func (a *analysis) decideModel() Intent {
	q, label := a.q, a.read.Intent
	if payRE.MatchString(q) {
		return Intent{Confidence: 0.9, Unsupported: "I can't move money or pay anyone. " + canDo}
	}
	if in, ok := a.addresses(); ok {
		return in
	}
	if existsRE.MatchString(q) && fileRefRE.MatchString(q) && (label == doUnsupported || label == doUnsupportedOp || label == doSmallTalk || writes[label]) {
		label, a.read.Intent = doSearchDrive, doSearchDrive // "is there a design doc for X?": look for it
	}
	if svc := askedItems(q); svc != "" && (label == doSearchAny || searchOf[label] != "" && searchOf[label] != svc && label != doReadMail && label != doReadFile) {
		// "documents about the board meeting agenda": the items asked for
		// name the service, whatever the words about them suggest.
		label, a.read.Intent = searchLabel[svc], searchLabel[svc]
	}
	last, hasLast := a.req.Context.Last()
	if hasLast && !a.chain.back {
		if in, ok := a.revise(last); ok {
			return in // whatever the model read, a change to what was just proposed
		}
	}
	if smallTalkRE.MatchString(q) && label != doConfirm && label != doReject {
		label = doSmallTalk // a closed class of phrases: no model needed
	}
	if label == doSmallTalk && !smallTalkRE.MatchString(q) && hasLast && a.aboutShown() {
		label, a.read.Intent = doSearchAny, doSearchAny // "how many are there?" asks about what was shown
	}
	if (label == doReadMail || label == doReadFile) && a.topicWithOrgs() == "" && len(a.people) == 0 && pronounRE.MatchString(q) {
		// "tell me the contents of that doc": the item shown, not a search.
		label, a.read.Intent = doRefRead, doRefRead
	}
	if hasLast && (!writes[label] || label == doCreate) && a.movesShown(last) {
		label, a.read.Intent = doUpdate, doUpdate // "30 minutes later": the event shown, moved
	}
	if label == doUnsupported {
		if named, handles := a.driveNamed(); len(named)+len(handles) > 0 {
			label, a.read.Intent = doSearchDrive, doSearchDrive // "what's inside the wg-batch folder?"
		}
	}
	if writes[label] && askedRE.MatchString(q) && !a.chain.back {
		// "why did Sarah cancel the review?" asks about a change, it orders none.
		label, a.read.Intent = doSearchAny, doSearchAny
	}
	if m, _ := a.ordinal(); label == doRefRead && !a.chain.back && a.topicWithOrgs() != "" && m == nil && !pronounRE.MatchString(q) {
		// "pull up the most recent EnronOnline executive summary": nothing
		// shown is pointed at, so it is a search for what it names.
		label, a.read.Intent = doSearchAny, doSearchAny
	}
	if !hasLast && !a.chain.back && a.asksRecords(label) {
		// "notes from Mark on Berlusconi", "what did Rob want to call his
		// book?" as a first request: what the user's items say, searched.
		label, a.read.Intent = doSearchAny, doSearchAny
		a.understand()
	}
	if (label == doUnsupported || label == doUnsupportedOp || writes[label]) && !hasLast && !a.chain.back && (nounPhrase(q) || a.inPerson(len(politeRE.FindString(q)))) {
		// "Rockets term sheet draft", "invite to the AEI event": a first
		// request that orders nothing names what to find, as in a search
		// box. (After an answer, "15 minutes earlier" changes what it showed.)
		label, a.read.Intent = doSearchAny, doSearchAny
		a.understand() // its topic is all its words, as for a search
	}
	if label == doRefRead && !hasLast && !pronounRE.MatchString(q) {
		if m, _ := a.ordinal(); m == nil {
			// "notes from Mark Frevert on Berlusconi" with nothing shown: what it names is searched for.
			label, a.read.Intent = doSearchAny, doSearchAny
			a.understand()
		}
	}
	switch label {
	case doSmallTalk:
		return Intent{Confidence: 1, Question: QuestionSmallTalk, Reply: smallTalkReply(q)}
	case doUnsupported:
		return Intent{Confidence: 0.9, Unsupported: "I can't do that. " + canDo}
	case doUnsupportedOp:
		switch {
		case a.says(unsupDrive):
			return Intent{Confidence: 0.9, Unsupported: "I can't rename, edit, move or delete files: I can find, read and share them. " + canDo}
		case unsupMail.MatchString(q):
			return Intent{Confidence: 0.9, Unsupported: "I can't delete, archive, label or mark emails (read, starred, spam): I can search, read, draft and send them."}
		case eventNounRE.MatchString(q) && cancelVerbRE.MatchString(q):
			// "delete the dentist appointment": an event, which can be cancelled.
			label, a.read.Intent = doDelete, doDelete
		case eventNounRE.MatchString(q):
			return Intent{Confidence: 0.9, Unsupported: "I can't accept, decline, join or record meetings: I can find, create, move and cancel Calendar events. " + canDo}
		default:
			return Intent{Confidence: 0.9, Unsupported: "I can't do that. " + canDo}
		}
	case doConfirm, doReject:
		d, draft := lastDraft(last)
		if !draft || label == doReject || len(pendingOf(last)) > 0 {
			// Its sending already proposed, a draft is sent by that proposal's confirmation.
			return a.answerProposal(last, hasLast, label == doConfirm)
		}
		return a.actOn(d, doSend) // "go ahead" with a draft shown: propose sending it
	}
	if a.chain.back {
		// "... and share it with Bob": "it" is what the part before found.
		if in, ok := a.chained(label); ok {
			return in
		}
	} else if hasLast {
		if in, ok := a.followUpModel(last); ok {
			return in
		}
	}
	if q == "" {
		return Intent{Confidence: 0, Clarification: "What would you like me to look for in your mail, calendar or files?"}
	}
	if !hasLast && (refersBack(q) || label == doRefRead || label == doRepeat) {
		return a.clarify("Nothing has been shown in this conversation yet. What should I look for: an email, a meeting or a file?")
	}
	conf := min(0.95, 0.5+a.read.IntentProb/2)
	if q := questionOf(q); (q == QuestionSummarize || q == QuestionRead) && (label == doSearchMail || label == doSearchDrive) {
		// "what's the sidecar proposal about?": the text answers, not a list.
		label = map[string]string{doSearchMail: doReadMail, doSearchDrive: doReadFile}[label]
	}
	switch label {
	case doSearchMail, doSearchCalendar, doSearchDrive:
		services := []domain.Service{searchOf[label]}
		if named := a.named(); len(named) > 1 || len(named) == 1 && named[0] != services[0] && !slices.Contains(a.services(), services[0]) {
			// "emails and files about the budget"; "everything in the
			// sig-cli folder" is about files whatever the model read
			services = named
		}
		in := a.searchAll(services)
		in.Confidence = conf
		return in
	case doReadMail, doReadFile:
		s := searchOf[label]
		p := a.searchParams(s)
		if _, words := p[ParamQuery]; !words && len(p.Strings(ParamFolders))+len(p.Strings(ParamOwners)) > 0 {
			// "what's in the sig-apps folder?": a folder's or an owner's files, listed
			in := a.searchAll([]domain.Service{s})
			in.Confidence, in.Question = conf, QuestionList
			return in
		}
		if m := sayAboutRE.FindStringIndex(q); m != nil {
			// "what does the sidecar KEP say about restart policy?": find
			// the KEP; what it says about restarts is read from it.
			item := a.topicBefore(m[0])
			if id := kepRE.FindStringSubmatch(q[:m[0]]); id != nil {
				item = strings.TrimSpace("KEP-" + strings.TrimLeft(id[1], "0") + " " + strings.TrimSpace(strings.Replace(item, id[1], "", 1)))
			}
			if item != "" {
				p[ParamQuery] = item
			}
		}
		p[ParamLimit] = 1
		f := a.add(Step{Service: s, Operation: OpSearch, Params: p})
		a.add(Step{Service: s, Operation: OpRead, Params: Params{}, DependsOn: []string{f.ID}})
		return a.intent(conf)
	case doPrepare:
		return a.prepare()
	case doDraft:
		return a.compose(false, "")
	case doSend:
		return a.compose(true, "")
	case doReply:
		return a.compose(true, "reply")
	case doForward:
		return a.compose(true, "forward")
	case doCreate:
		return a.createEvent()
	case doUpdate:
		return a.updateEvent(nil)
	case doDelete:
		return a.deleteEvent()
	case doShare:
		return a.share(nil)
	}
	services := a.services()
	switch {
	case len(services) == 0 && a.onlyAhead():
		// "what do I have tomorrow?": no mail or file is dated ahead of now.
		services = []domain.Service{domain.ServiceCalendar}
	case len(services) == 0:
		services = a.widen(domain.Services)
	default:
		services = a.widen(services)
	}
	in := a.searchAll(services)
	in.Confidence = conf
	return in
}

// onlyAhead reports whether the request's dates all lie ahead of now.
func (a *analysis) onlyAhead() bool {
	ahead := false
	for _, m := range a.matches {
		if m.Range.IsZero() {
			continue
		}
		if m.Range.Start.Before(a.now) {
			return false
		}
		ahead = true
	}
	return ahead
}

// back is the step of an earlier part of the request that found the items
// of service s this part refers back to ("find the Q3 report and share it").
func (a *analysis) back(s domain.Service) (string, bool) {
	if !a.chain.back {
		return "", false
	}
	st, ok := a.chain.found(s)
	return st.ID, ok
}

// chained serves a part that reads or mails what an earlier part found:
// "... and summarise it", "... and email it to Sam" (a file is linked, an
// email forwarded). Sharing, moving and cancelling find their item through
// back themselves. False leaves the part to be read as written.
func (a *analysis) chained(label string) (Intent, bool) {
	switch label {
	case doReply:
		if id, ok := a.back(domain.ServiceGmail); ok {
			return a.composeWith(true, "reply", []string{id}), true
		}
	case doSend, doDraft, doForward:
		if id, ok := a.back(domain.ServiceDrive); ok {
			return a.composeFrom(label != doDraft, id), true
		}
		if id, ok := a.back(domain.ServiceGmail); ok {
			return a.composeWith(label != doDraft, "forward", []string{id}), true
		}
	case doRefRead, doReadMail, doReadFile:
		st, ok := a.chain.found("")
		if !ok {
			return Intent{}, false
		}
		a.add(Step{Service: st.Service, Operation: OpRead, Params: Params{}, DependsOn: []string{st.ID}})
		in := a.intent(0.85)
		in.Question = QuestionRead
		if summarizeRE.MatchString(a.q) {
			in.Question = QuestionSummarize
		}
		return in, true
	case doShare:
		in := a.share(nil)
		return in, in.Clarification == ""
	case doDelete:
		in := a.deleteEvent()
		return in, in.Clarification == ""
	case doUpdate:
		in := a.updateEvent(nil)
		return in, in.Clarification == ""
	}
	return Intent{}, false
}

// prepare finds the next meeting that matches and what the mail and files
// say about it.
func (a *analysis) prepare() Intent {
	p := a.searchParams(domain.ServiceCalendar)
	p[ParamOrder], p[ParamLimit] = string(OrderUpcoming), 1
	if _, ok := p[ParamAfter]; !ok {
		p[ParamAfter] = a.now.Format(time.RFC3339)
	}
	meeting := a.add(Step{Service: domain.ServiceCalendar, Operation: OpSearch, Params: p})
	for _, s := range []domain.Service{domain.ServiceGmail, domain.ServiceDrive} {
		sp := Params{ParamOrder: string(OrderRelevance)}
		var deps []string
		if t := a.topicWithOrgs(); t != "" {
			sp[ParamQuery] = t
		} else {
			deps = []string{meeting.ID} // "my next meeting": what the meeting found is about
		}
		a.add(Step{Service: s, Operation: OpSearch, Params: sp, DependsOn: deps})
	}
	in := a.intent(0.85)
	in.Question = QuestionSummarize
	return in
}

// answerProposal answers "yes", "looks good", "no": they confirm or reject
// nothing by themselves (only the proposal's own confirmation does), so the
// answer points at the proposal awaiting the user.
func (a *analysis) answerProposal(last Turn, hasLast, yes bool) Intent {
	var pending []ActionRef
	if hasLast {
		pending = pendingOf(last)
	}
	in := Intent{Confidence: 1, Question: QuestionSmallTalk}
	switch {
	case len(pending) == 0 && yes:
		in.Reply = "OK. There is nothing waiting for your confirmation. What would you like to do next?"
	case len(pending) == 0:
		in.Reply = "OK, nothing will be changed."
	case yes:
		in.Reply = fmt.Sprintf("To go ahead, confirm the proposed action (%s); nothing changes until you do.", strings.TrimRight(pending[0].Summary, "."))
	default:
		in.Reply = fmt.Sprintf("OK: leave the proposed action (%s) unconfirmed, or reject it, and nothing changes.", strings.TrimRight(pending[0].Summary, "."))
	}
	return in
}

// nounPhrase reports whether q orders nothing: it neither starts with a verb
// of command (after "please", "can you" and the like) nor asks a question.
// A verb that is also a noun followed by a preposition is the noun ("invite
// to the gala", "draft of the memo").
func nounPhrase(q string) bool {
	ws := strings.Fields(strings.ToLower(politeRE.ReplaceAllString(q, "")))
	if len(ws) == 0 {
		return false
	}
	head := strings.Trim(ws[0], ".,;:!?\"'()")
	switch {
	case questionWords[head]:
		return false
	case nounVerbs[head] && len(ws) > 1 && prepositions[strings.Trim(ws[1], ".,;:!?")]:
		return true
	}
	return !commandVerbs[head]
}

// asksRecords reports whether a first request the model read as nothing to
// search for asks what the user's own items hold: a follow-up with nothing
// before it that names something of its own ("notes from Mark on
// Berlusconi"), a question of what someone did ("what did Rob want to call
// his book?"), or a greeting's words naming an item ("thank you note from
// the Omaha office"). Questions of the world ("what's the weather?") and
// orders stay what the model read.
func (a *analysis) asksRecords(label string) bool {
	q := a.q
	switch label {
	case doRepeat:
		return !refersBack(q) && !followRE.MatchString(q) && !againRE.MatchString(q) && (a.topic() != "" || len(a.people)+len(a.unknown) > 0)
	case doSmallTalk:
		return !smallTalkRE.MatchString(q) && nounPhrase(q) && itemNounRE.MatchString(q)
	case doUnsupported, doUnsupportedOp:
		return pastActRE.MatchString(q) && (len(a.people)+len(a.unknown) > 0 || weRE.MatchString(q))
	}
	return false
}

var (
	// againRE asks for the last thing again, changed or not.
	againRE = rx(`\b(?:again|same|repeat|redo|instead)\b`)
	// pastActRE asks what someone did ("what did Rob want", "who asked Ken").
	pastActRE = rx(`^(?:(?:so|and|but),?\s+)?(?:(?:what|who|whom|which|where|when|why|how(?:\s+much|\s+many)?)\s+(?:\w+\s+)?(?:did|had)|did|didn't)\b`)
	weRE      = rx(`\b(?:we|our|us)\b`)
	// itemNounRE names an item a search finds.
	itemNounRE = rx(`\b(?:e-?mails?|mails?|messages?|notes?|letters?|memos?|cards?|invitations?|invites?|files?|docs?|documents?|meetings?|events?)\b`)
)

// politeRE is what may come before a command's verb.
var politeRE = rx(`^(?:(?:please|pls|kindly|hey|ok|okay|so|also|and|then|now|can you|could you|would you|will you|i want to|i'd like to|i would like to|i need to|we need to|help me|go ahead and|let's|lets)[,\s]+)+`)

var (
	// commandVerbs start a command: what the product does, or declines to.
	commandVerbs = wordSet(`write send email e-mail mail message draft compose reply respond answer forward fwd
		schedule book set setup create add make put arrange organize organise plan move reschedule push shift
		postpone bump change update rename cancel delete remove trash archive clear share give grant invite
		tell let notify inform remind mark flag star order buy get play watch stream download call text
		translate proofread print fax scan convert turn open start join dial record transcribe unsubscribe
		edit copy wire pay transfer decline accept rsvp block find show search look list read check pull
		bring summarize summarise sum prepare prep help ask ping contact reach drop save upload attach sign
		approve reject confirm go do use fetch display`)
	// questionWords start a question, which the model reads as it stands.
	questionWords = wordSet(`what what's whats when when's where where's who who's whom whose which why how
		how's is are was were do does did can could will would should has have had am any anything`)
	// nounVerbs are verbs of commandVerbs that are nouns as often.
	nounVerbs = wordSet(`invite draft call order schedule plan mail message text email`)
	// prepositions after a nounVerb show it is the noun.
	prepositions = wordSet(`to for from about on of at with in by regarding re`)
)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// askedRE starts a question about something, not a request to do it
// ("can you move ..." is a request; "did Bob move ..." is not).
var askedRE = rx(`^(?:so\s+)?(?:why|when|where|who|whom|whose|how\s+(?:come|much|many|often|long)|did|does|do\s+(?:i|we|you\s+know)|was|were|has|have|had|is|are)\b`)

// pendingOf are the actions of turn t still awaiting confirmation.
func pendingOf(t Turn) []ActionRef {
	var out []ActionRef
	for _, ac := range t.Actions {
		if ac.Status == "" || strings.EqualFold(ac.Status, "proposed") {
			out = append(out, ac)
		}
	}
	return out
}

// followUpModel resolves a request against the conversation: an ordinal or
// a pronoun names an item shown; "which of those" narrows the last search;
// a reply with no one named answers the email shown.
func (a *analysis) followUpModel(last Turn) (Intent, bool) {
	label := a.read.Intent
	if questionOf(a.q) == QuestionCount && a.aboutShown() {
		// "how many is that?": the things shown, not one of them.
		if in, ok := a.again(last); ok {
			return in, true
		}
	}
	if ref, ok, in := a.referent(last); in != nil {
		return *in, true
	} else if ok {
		return a.actOn(ref, label), true
	}
	switch {
	case label == doRepeat || followRE.MatchString(a.q) || relWindowRE.MatchString(a.q) && len(a.ent.Dates) == 0 && !writes[label]:
		turns := a.req.Context.Turns
		for i := len(turns) - 1; i >= 0; i-- {
			if in, ok := a.repeat(turns[i]); ok {
				return in, true
			}
		}
	case ofThoseRE.MatchString(a.q):
		if in, ok := a.narrow(last); ok {
			return in, true
		}
	case a.aboutShown():
		if in, ok := a.again(last); ok {
			return in, true
		}
	case label == doRefRead:
		if items := last.Items; len(items) > 0 {
			return a.actOn(items[0], label), true
		}
	case (label == doReply || label == doForward) && len(a.people) == 0 && a.topicWithOrgs() == "":
		if mails := ofKind(last.Items, "email"); len(mails) > 0 {
			return a.actOn(mails[0], label), true
		}
	}
	return Intent{}, false
}

// referent is the item of the last turn the request points at: by ordinal
// ("the second one", "the last email"), by pronoun ("it", "that") when one
// item fits the action, or the item a proposal acted on. A nil *Intent and
// false mean no reference; a non-nil one asks which item.
func (a *analysis) referent(last Turn) (ItemRef, bool, *Intent) {
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
			fmt.Sscan(m[3], &n)
		}
		if n < 1 || n > len(items) {
			in := a.clarify(fmt.Sprintf("I only showed %d item(s); which one do you mean?", len(items)))
			return ItemRef{}, false, &in
		}
		return items[n-1], true, nil
	}
	if moving := a.read.Intent == doUpdate && a.movesShown(last); (!pronounRE.MatchString(a.q) || pronounTargetRE.MatchString(a.q)) && !moving {
		return ItemRef{}, false, nil
	}
	// What was proposed is what "it" means first: "actually move it instead".
	for _, ac := range last.Actions {
		for _, t := range ac.Targets {
			for _, it := range last.Items {
				if it.ID == t {
					return it, true, nil
				}
			}
		}
	}
	if d, ok := lastDraft(last); ok && (a.read.Intent == doSend || a.read.Intent == doConfirm) {
		return d, true, nil // "send it": the draft written
	}
	kind := kindOf(a.read.Intent)
	cands := last.Items
	if kind != "" {
		cands = ofKind(cands, kind)
	}
	switch {
	case len(cands) == 1:
		return cands[0], true, nil
	case len(cands) > 1 && kind == "draft":
		return cands[0], true, nil
	case len(cands) > 1 && !sideEffectIntent(a.read.Intent):
		// "tell me more about that", "reply to it", "send a link to it":
		// the first shown, the best match; a change asks which.
		return cands[0], true, nil
	case len(cands) > 1:
		in := a.clarify("Which one do you mean: " + listRefs(cands, a.loc) + "?")
		return ItemRef{}, false, &in
	}
	return ItemRef{}, false, nil
}

// kindOf is the kind of item an intent acts on.
func kindOf(label string) string {
	switch label {
	case doUpdate, doDelete, doCreate:
		return "event"
	case doShare:
		return "file"
	case doReply, doForward:
		return "email"
	}
	return ""
}

// actOn does what the intent says to one item shown earlier.
func (a *analysis) actOn(ref ItemRef, label string) Intent {
	a.ent.Items = []ItemRef{ref}
	switch {
	case label == doDelete && ref.Service == domain.ServiceCalendar:
		a.add(Step{Service: domain.ServiceCalendar, Operation: OpDelete, Params: refParams(ref)})
		return a.intent(0.9)
	case label == doUpdate && ref.Service == domain.ServiceCalendar:
		return a.updateEvent(&ref)
	case label == doShare && ref.Service == domain.ServiceDrive:
		return a.share(&ref)
	case label == doSend && ref.Kind == "draft":
		a.add(Step{Service: domain.ServiceGmail, Operation: OpSend, Params: Params{ParamDraftID: ref.ID, ParamSubject: ref.Title}})
		return a.intent(0.9)
	case (label == doReply || label == doForward) && ref.Service == domain.ServiceGmail && ref.Kind != "draft":
		return a.respond(ref, label == doReply)
	case (label == doSend || label == doDraft) && ref.Service == domain.ServiceDrive:
		// "send a link to it to Bob": a mail linking the file.
		r := a.add(Step{Service: domain.ServiceDrive, Operation: OpRead, Params: refParams(ref)})
		return a.composeFrom(label == doSend, r.ID)
	}
	a.add(Step{Service: ref.Service, Operation: OpRead, Params: refParams(ref)})
	in := a.intent(0.9)
	switch q := questionOf(a.q); q {
	case QuestionWho, QuestionWhen, QuestionSummarize:
		in.Question = q // "who owns it?": the owners, not the text
	default:
		in.Question = QuestionRead
	}
	return in
}

// aboutShown reports whether the request asks a question about what was
// shown and names nothing of its own: no service, person, date or topic
// ("how many are there?", "which one changed most recently?").
func (a *analysis) aboutShown() bool {
	if len(a.people)+len(a.unknown)+len(a.ent.Dates) > 0 || a.topic() != "" || len(a.services()) > 0 || writes[a.read.Intent] {
		return false
	}
	switch questionOf(a.q) {
	case QuestionCount, QuestionWhich, QuestionWhen, QuestionWho:
		return true
	}
	return orderOf(a.q, a.spans) != ""
}

// writes are the intents that write or change something.
var writes = map[string]bool{doDraft: true, doSend: true, doReply: true, doForward: true, doCreate: true, doUpdate: true, doDelete: true, doShare: true}

// again runs the last turn's searches again, sorted as the request says, to
// answer its question about what they found.
func (a *analysis) again(last Turn) (Intent, bool) {
	order := orderOf(a.q, a.spans)
	for _, s := range last.Intent.Steps {
		if s.Operation != OpSearch {
			continue
		}
		p := maps.Clone(s.Params)
		if order != "" {
			p[ParamOrder] = string(order)
		}
		a.add(Step{Service: s.Service, Operation: OpSearch, Params: p})
	}
	return a.intent(0.85), len(a.steps) > 0
}

// narrow runs the last turn's searches again, keeping only what also
// matches this request ("which of those are SIG Docs meetings?").
func (a *analysis) narrow(last Turn) (Intent, bool) {
	for _, s := range last.Intent.Steps {
		if s.Operation != OpSearch {
			continue
		}
		p := Params{}
		for k, v := range s.Params {
			p[k] = v
		}
		if t := a.topicWithOrgs(); t != "" {
			p[ParamQuery] = strings.TrimSpace(t)
		}
		a.add(Step{Service: s.Service, Operation: OpSearch, Params: p})
	}
	return a.intent(0.8), len(a.steps) > 0
}

// replyFound answers the mail a search finds, to its sender: "reply to the
// email about the offsite saying I'll come".
func (a *analysis) replyFound(send bool) Intent {
	p := Params{ParamLimit: 1, ParamOrder: string(OrderNewest)}
	body := ""
	if say := a.message(); say != "" {
		body = subject(say) + "."
	}
	if t := a.topicWithOrgs(); t != "" {
		p[ParamQuery] = t
	}
	var from []string
	for _, person := range a.people {
		from = append(from, addressesOf(person)...)
	}
	setList(p, ParamFrom, from)
	s := a.add(Step{Service: domain.ServiceGmail, Operation: OpSearch, Params: p})
	d := a.add(Step{Service: domain.ServiceGmail, Operation: OpDraft, Params: Params{ParamMode: "reply", ParamBody: body}, DependsOn: []string{s.ID}})
	if send {
		a.add(Step{Service: domain.ServiceGmail, Operation: OpSend, Params: Params{}, DependsOn: []string{d.ID}})
	}
	return a.intent(0.85)
}

// question is the kind of answer wanted: the model's reading, unless a
// plain cue says more ("how many" is a count whatever else is asked).
func (a *analysis) question() Question {
	if q := questionOf(a.q); q != QuestionList {
		return q
	}
	return Question(a.read.Question)
}

// sideEffectIntent reports whether an intent changes an item in place.
func sideEffectIntent(label string) bool {
	return label == doUpdate || label == doDelete || label == doShare
}

// says reports whether re matches outside a capitalised name ("SIG Docs"
// names no documents).
func (a *analysis) says(re *regexp.Regexp) bool {
	if re == nil {
		return false
	}
	for _, m := range re.FindAllStringIndex(a.q, -1) {
		if !a.names[m[0]] {
			return true
		}
	}
	return false
}

// named are the services the request names outside its topic ("emails
// and meetings about the budget", not "emails about the board meeting").
func (a *analysis) named() []domain.Service {
	var out []domain.Service
	// Of the weak words only the calendar's: "reports" and "notes" are as
	// often what mail is about; and when the request asks for another
	// service's items outright, only as a thing asked for beside them
	// ("emails from Sarah and my meetings with her"), not as what those
	// items are about ("documents about the board meeting").
	asked := askedItems(a.q)
	says := func(re *regexp.Regexp, weak bool) bool {
		if re == nil {
			return false
		}
		for _, m := range re.FindAllStringIndex(a.q, -1) {
			if !a.inSlot(m[0], "topic") && !a.names[m[0]] && (!weak || asked == "" || asked == domain.ServiceCalendar || alsoAskedRE.MatchString(a.q[:m[0]])) {
				return true
			}
		}
		return false
	}
	for _, s := range domain.Services {
		if says(serviceWords[s], false) || s == domain.ServiceCalendar && says(weakWords[s], true) {
			out = append(out, s)
		}
	}
	return out
}

// inSlot reports whether byte i of the request lies in a slot of that name.
func (a *analysis) inSlot(i int, name string) bool {
	for _, s := range a.read.Slots {
		if s.Name == name && i >= s.Start && i < s.End {
			return true
		}
	}
	return false
}
