package intent

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/dates"
	"github.com/workspace-orchestrator/orchestrator/domain/nlu"
	"github.com/workspace-orchestrator/orchestrator/domain/query"
)

// Offline is the rule-based classifier used without an LLM: keyword rules for
// services and operations, domain/dates for dates, Contacts for people and
// the conversation context for follow-ups.
type Offline struct {
	contacts Contacts
	dir      Directory // the contacts' Drive names, when they have them
	model    *nlu.Model
}

// OfflineVersion names the offline rules; change it with them.
const OfflineVersion = "offline-2026-12-05-automated"

// Version implements Versioned.
func (*Offline) Version() string { return OfflineVersion + "-" + nlu.ShippedVersion() }

// NewOffline builds the offline classifier; contacts may be nil (names then
// stay unresolved, which only matters for steps that need an address).
// It panics if the model shipped in the binary does not decode: a build defect.
func NewOffline(contacts Contacts) *Offline {
	m, err := nlu.Shipped()
	if err != nil {
		panic(err)
	}
	dir, _ := contacts.(Directory)
	return &Offline{contacts: contacts, dir: dir, model: m}
}

// DefaultEventLength is the length of a new event when the request gives none.
const DefaultEventLength = 30 * time.Minute

func rx(s string) *regexp.Regexp { return regexp.MustCompile(`(?i)` + s) }

var (
	eventNounRE = rx(`\b(meeting|call|event|appointment|sync|lunch|dinner|breakfast|coffee|1:1|one-on-one|standup|stand-up|review|session|interview|reminder|catch-up|catch up|focus time)s?\b`)
	travelRE    = rx(`\b(flight|flights|booking|reservation|trip|hotel|train|ticket)\b`)
	fileRefRE   = rx(`\b(kep|doc|docs|document|file|spreadsheet|sheet|slides|deck|presentation|pdf|proposal|report|notes|memo|draft of)\b`)
	followRE    = rx(`^(?:and\s+)?(?:what|how)\s+about\b|^and\s+(?:for|from|in|on|with)?\b|^what of\b`)
	ordinalRE   = rx(`\b(?:the\s+)?(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|sixth|6th|seventh|7th|eighth|8th|ninth|9th|tenth|10th|last)\s*(one|email|mail|message|event|meeting|file|doc|document|result|item)?\b|\b(?:number|#|no\.?)\s*(\d{1,2})\b`)
	pronounRE   = rx(`\b(it|that|this one|that one|them)\b`)
	emailAddrRE = regexp.MustCompile(`[\w.+-]+@[\w-]+(?:\.[\w-]+)+`)
	capsRE      = regexp.MustCompile(`\b[A-Z][\w&'-]*(?:\s+[A-Z][\w&'-]*)*`)
	// sayingRE finds the words of a message to write: after a cue ("saying",
	// "that reads") or a colon ("reply with: sounds good", "email Bob: I'm
	// late"; "10:30" has no space after its colon).
	sayingRE = rx(`(?:\b(?:saying|to say|that says|that reads|telling (?:him|her|them)|and say)\s+(?:that\s+)?|(?:\bwith|\b):\s+)(.+)$`)
	// quotedEndRE is a "quoted message" ending a request to write, unless
	// the word before it makes it the item's title or topic ("titled",
	// "about": titledRE) or it is a file name.
	quotedEndRE = rx(`(?:^|\s)["“]([^"“”]+)["”][.!?]?$`)
	titledRE    = rx(`\b(?:titled|called|named|subject(?:\s+line)?|re|about|regarding|on|for|from|to)\s*:?\s*$`)
	fileNameRE  = rx(`\.[a-z0-9]{2,4}$`)
	// automatedRE is a machine's address: it sends, nobody meets it.
	automatedRE  = rx(`^(?:no-?reply|do-?not-?reply|notifications?|notify|mailer-daemon|bounces?|alerts?)(?:[+._-][^@]*)?@`)
	unreadRE     = rx(`\b(?:unread|unopened|(?:have\s*n[o']t|have\s+not|not\s+yet|never|did\s*n[o']t|did\s+not)\s+(?:yet\s+)?(?:read|opened|seen)(?:\s+yet)?)\b`)
	attachmentRE = rx(`\battachments?\b`)
	aheadRE      = rx(`\b(next|upcoming|coming up|future|my)\b`)
	behindRE     = rx(`\b(last|past|previous|ago)\b`)
	sentRE       = rx(`\bi(?:'ve| have| had)?\s+(?:\w+\s+)?(?:sent|send|emailed|e-mailed|mailed|wrote)\b|\b(?:my )?sent (?:mail|e-?mails?|messages?|folder|items|box)\b|\b(?:e-?mails?|mail|messages?) from me\b|\boutbox\b`)
	pastRE       = rx(`^(?:so\s+)?when (?:did|was|were)\b|\b(?:did|have) (?:i|we|they) (?:\w+ )?(?:meet|met)\b|\bmet\b`)
	aboutRE      = rx(`\b(?:about|regarding|re:|on the subject of|titled|called|named)\s+(.+)$`)
	roleRE       = rx(`\b(edit|editor|write|writer|comment|commenter|view|viewer|read-only|read only)\b`)
	wordRE       = regexp.MustCompile(`[\p{L}\p{N}][\p{L}\p{N}'&.-]*`)
	weekdayRE    = rx(`\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b`)
)

// NamesService reports whether q names service s outright ("emails",
// "calendar", "files"), not merely by something it may hold ("meeting").
func NamesService(q string, s domain.Service) bool {
	re := serviceWords[s]
	return re != nil && re.MatchString(q)
}

// serviceWords name a service outright; weakWords suggest one but as often
// describe mail ("audit meeting with Dynegy", "disclosure committee proposal").
var (
	serviceWords = map[domain.Service]*regexp.Regexp{
		domain.ServiceGmail:    rx(`\b(e-?mails?|e-?mailed|mails?|inbox|messages?|send|sent|wrote|writes|replied|repl(?:y|ies)|threads?|attachments?|newsletters?|unread|gmail|cc'?d)\b`),
		domain.ServiceCalendar: rx(`\b(calendar|appointments?|busy|free|schedule|standups?|1:1s?|syncs?)\b`),
		domain.ServiceDrive:    rx(`\b(files?|docs?|documents?|drive|folders?|spreadsheets?|slides|pdfs?)\b`),
	}
	weakWords = map[domain.Service]*regexp.Regexp{
		domain.ServiceCalendar: rx(`\b(meetings?|events?|calls?|agenda|invites?|lunch|flights?)\b`),
		domain.ServiceDrive:    rx(`\b(sheets?|decks?|presentations?|keps?|proposals?|reports?|notes|memos?)\b`),
	}
	// personalRE marks a question about the person's own agenda or files,
	// which weak words then answer on their own ("what meetings do I have").
	personalRE = rx(`\b(my|mine|do i|have i|am i|i have|i've got|what's on|whats on|upcoming|next)\b`)
)

// stopWords never make a search topic.
var stopWords = wordSet(`a an the my me i im i'm to from with about for of on in at and or please can could would you
	show find search get list look up tell give what whats what's which who when where why how is are was were be been did do does
	have has had any all some there that this these those it its them their our your us we he him his she her hers they latest recent new newest most
	email emails e-mail mail mails message messages inbox meeting meetings calendar event events appointment appointments
	file files doc docs document documents drive folder folders sent send wrote received got anything everything something
	due regarding re by cc invite draft compose write reply forward schedule book set arrange create add put block cancel delete
	remove move reschedule postpone update change rename share grant access open read summarise summarize say says said
	up out into over then than also just need want like know let see check am pm one ones details detail next upcoming attachment attachments unread emailed free busy time
	anyone anybody someone somebody everyone everybody called titled named attending attend attendees invited invitees participants
	through everywhere stuff related regarding keps kep shared new recently lately saying telling asking written authored
	first changed modified edited updated created oldest earliest newest many much count total altogether
	prepare prep ready brief briefing answer respond grab locate fetch retrieve no not none nobody nothing`)

// Classify understands r without a model; a compound request is split
// into its parts first (compound.go).
func (c *Offline) Classify(ctx context.Context, r Request) (Intent, error) {
	var (
		in  Intent
		err error
	)
	if parts := splitRequests(strings.TrimSpace(r.Query)); len(parts) > 1 {
		in, err = c.compound(ctx, r, parts)
	} else {
		in, err = c.classifyPart(ctx, r, chain{})
	}
	if err != nil {
		return Intent{}, err
	}
	if err := Validate(in); err != nil {
		return Intent{}, fmt.Errorf("offline classifier produced an invalid intent: %w", err)
	}
	return in, nil
}

// classifyPart understands one request, or one part of a compound request
// after the parts ch holds.
func (c *Offline) classifyPart(ctx context.Context, r Request, ch chain) (Intent, error) {
	a, err := c.analyse(ctx, r)
	if err != nil {
		return Intent{}, err
	}
	a.chain = ch
	in := a.decideModel()
	if in.Question == "" {
		in.Question = a.question()
	}
	in.Entities = a.ent
	in.Normalize()
	return in, nil
}

// analyse reads r: its dates, the model's intent and slots, the people
// resolved against the user's contacts, the topic.
func (c *Offline) analyse(ctx context.Context, r Request) (*analysis, error) {
	loc := r.Location
	if loc == nil {
		loc = time.UTC
	}
	a := &analysis{req: r, loc: loc, now: r.Now.In(loc), q: strings.TrimSpace(r.Query)}
	a.names = a.nameWords()
	a.matches = dates.Parse(a.q, a.now, loc)
	for _, m := range a.matches {
		a.spans = append(a.spans, [2]int{m.Start, m.End})
	}
	for _, m := range unreadRE.FindAllStringIndex(a.q, -1) {
		a.spans = append(a.spans, [2]int{m[0], m[1]}) // "emails I haven't read": a flag, no topic
	}
	a.read = c.model.Parse(a.q, a.inSpan)
	if err := c.people(ctx, a); err != nil {
		return nil, err
	}
	if c.dir != nil && (drivish[a.read.Intent] || serviceWords[domain.ServiceDrive].MatchString(a.q) || weakWords[domain.ServiceDrive].MatchString(a.q)) {
		var err error
		if a.folders, a.owners, err = c.dir.Directory(ctx, r.UserID); err != nil {
			return nil, fmt.Errorf("drive folders and owners: %w", err)
		}
	}
	a.entities()
	a.understand()
	return a, nil
}

// Resolve implements Resolver: what r names, resolved against the user's
// workspace, for a model that plans from it.
func (c *Offline) Resolve(ctx context.Context, r Request) (Entities, error) {
	a, err := c.analyse(ctx, r)
	if err != nil {
		return Entities{}, err
	}
	return a.ent, nil
}

// analysis is the working state of one classification.
type analysis struct {
	req      Request
	loc      *time.Location
	now      time.Time
	q        string
	matches  []dates.Match
	people   []Person
	spans    [][2]int     // byte spans of dates and names, removed from the topic
	names    map[int]bool // offsets of the words of capitalised names (nameWords)
	say      string       // the message to write ("saying I'll be late")
	peopleAt []int        // where each of people is named
	unknown  []string     // names the contacts do not know
	also     []string     // topic words the tagger put in a person's slot ("Beau's Astros")
	ent      Entities
	read     nlu.Result // what the model read
	steps    []Step
	// folders and owners are the user's Drive folders and file owners
	// (Directory), loaded for requests about files.
	folders, owners []string
	chain           chain // the parts of a compound request before this one
}

// drivish are the intents whose searches may name a Drive folder or owner.
var drivish = map[string]bool{doSearchDrive: true, doReadFile: true, doShare: true, doSearchAny: true}

// people resolves the addresses and the names the tagger marked as people
// against the user's contacts. A name nobody the user corresponds with
// bears is a company, a place or a word of the topic ("Davos"), not a person.
func (c *Offline) people(ctx context.Context, a *analysis) error {
	type cand struct {
		name       string
		start, end int
	}
	var cands []cand
	say := a.sayAt() // where the message to write begins, if any
	for _, m := range emailAddrRE.FindAllStringIndex(a.q, -1) {
		cands = append(cands, cand{name: a.q[m[0]:m[1]], start: m[0], end: m[1]})
	}
	for _, sl := range a.read.Slots {
		if sl.Name != "person" || strings.Contains(sl.Text, "@") {
			continue
		}
		if i := possessiveRE.FindStringIndex(sl.Text); i != nil && i[1] < len(sl.Text) {
			// "Beau's Astros email": Beau wrote it, the Astros are what it is about.
			cands = append(cands, cand{name: sl.Text[:i[0]], start: sl.Start, end: sl.Start + i[1]})
			a.also = append(a.also, strings.TrimSpace(sl.Text[i[1]:]))
			continue
		}
		end := min(sl.End, max(sl.Start, say)) // a name ends where the message begins ("email Sarah: running late")
		cands = append(cands, cand{name: strings.TrimSpace(a.q[sl.Start:end]), start: sl.Start, end: end})
	}
	// The tagger may miss a name it never saw where people are named
	// ("email Sarah the KEP", "from peter blackmore"): such words count only
	// when the user's contacts know them.
	known := len(cands)
	if a.read.Intent == doRepeat && lastNamedPeople(a.req.Context) {
		// "what about Tori Wells?" after a search for someone's mail: a
		// name in the place of the topic is the next person to look for.
		for _, sl := range a.read.Slots {
			if sl.Name == "topic" && unicode.IsUpper([]rune(sl.Text)[0]) {
				cands = append(cands, cand{name: sl.Text, start: sl.Start, end: sl.End})
			}
		}
	}
	for _, m := range personPrefixRE.FindAllStringSubmatchIndex(a.q, -1) {
		if !a.inSlot(m[2], "title") && !placeBeforeRE.MatchString(a.q[:m[2]]) {
			cands = append(cands, cand{name: a.q[m[2]:m[3]], start: m[2], end: m[3]})
		}
	}
	for _, m := range loneCapRE.FindAllStringIndex(a.q, -1) {
		// "the project in India", "get to Aspen": a place, whatever address begins so; a
		// request's capitalised first word is a name only when it owns
		// something ("Beau's idea for the kids").
		if (m[0] > 0 || strings.HasSuffix(a.q[m[0]:m[1]], "'s")) && !a.inSlot(m[0], "topic") && !a.inSlot(m[0], "title") && !a.names[m[0]] && !placeBeforeRE.MatchString(a.q[:m[0]]) {
			cands = append(cands, cand{name: a.q[m[0]:m[1]], start: m[0], end: m[1]})
		}
	}
	// A full name the tagger read as a topic ("what about Tori Wells?") is a
	// person when a contact bears exactly that name.
	strict := len(cands)
	for _, m := range a.fullNames() {
		cands = append(cands, cand{name: a.q[m[0]:m[1]], start: m[0], end: m[1]})
	}
	seen := map[string]bool{}
	for i, cd := range cands {
		name := strings.TrimSuffix(strings.TrimSuffix(cd.name, "'s"), "’s")
		if i >= known {
			name = leadingName(name)
		}
		// A name in the message to write is no one to write to or search
		// for: "reply saying I'll call Barb tomorrow".
		if !strings.ContainsFunc(name, unicode.IsLetter) || a.inSpan(cd.start) || a.inPerson(cd.start) || cd.start >= say || seen[strings.ToLower(name)] ||
			stopWords[strings.ToLower(name)] || i >= known && c.contacts == nil {
			continue
		}
		seen[strings.ToLower(name)] = true
		p := Person{Name: name}
		if strings.Contains(name, "@") {
			p.Addresses = []domain.Address{{Email: name}}
		} else if c.contacts != nil {
			addrs, err := c.contacts.Resolve(ctx, a.req.UserID, name)
			if err != nil {
				return fmt.Errorf("resolve %q: %w", name, err)
			}
			p.Addresses = addrs
		}
		if i >= strict {
			p.Addresses = bearing(p.Addresses, name)
		} else if i >= known && !unicode.IsUpper([]rune(name)[0]) {
			// A lowercase word the tagger left is a person only by a whole
			// word of an address: "to help" is no helpdesk@, "to fly" no flynn@.
			p.Addresses = byWords(p.Addresses, name)
		}
		if len(p.Addresses) == 0 && i >= known {
			continue
		}
		if !strings.Contains(name, " ") && ofDomain(p.Addresses, name) {
			// "an Enron contact": a name a mail domain bears is a company's,
			// whoever's address begins with it too; a word of the topic.
			a.unknown = append(a.unknown, name)
			continue
		}
		if len(p.Addresses) == 0 && (c.contacts != nil || !unicode.IsUpper([]rune(name)[0])) {
			a.unknown = append(a.unknown, name)
			continue
		}
		a.people = append(a.people, p)
		a.peopleAt = append(a.peopleAt, cd.start)
		a.spans = append(a.spans, [2]int{cd.start, cd.end})
	}
	return nil
}

// fullNames are the spans of the capitalised names of two words or more
// outside titles, less the stop words and keywords they start with ("Show
// Tori Wells" is Tori Wells).
func (a *analysis) fullNames() [][]int {
	var out [][]int
	for _, m := range fullNameRE.FindAllStringIndex(a.q, -1) {
		for _, w := range wordRE.FindAllStringIndex(a.q[m[0]:m[1]], -1) {
			if lw := strings.ToLower(a.q[m[0]+w[0] : m[0]+w[1]]); !stopWords[lw] && !isKeyword(lw) {
				m[0] += w[0]
				break
			}
		}
		if len(strings.Fields(a.q[m[0]:m[1]])) >= 2 && !a.inSlot(m[0], "title") {
			out = append(out, m)
		}
	}
	return out
}

// lastNamedPeople reports whether the last turn searched for someone's items.
func lastNamedPeople(cc ConversationContext) bool {
	last, ok := cc.Last()
	if !ok {
		return false
	}
	for _, s := range last.Intent.Steps {
		if s.Operation == OpSearch && len(s.Params.Strings(ParamFrom))+len(s.Params.Strings(ParamTo))+len(s.Params.Strings(ParamAttendees)) > 0 {
			return true
		}
	}
	return false
}

// bearing are the addresses of exactly that name: by display name, or by
// the letters of the address's local part ("tori.wells@" is Tori Wells).
func bearing(addrs []domain.Address, name string) []domain.Address {
	letters := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) {
				return unicode.ToLower(r)
			}
			return -1
		}, s)
	}
	var out []domain.Address
	for _, ad := range addrs {
		local, _, _ := strings.Cut(ad.Email, "@")
		if strings.EqualFold(ad.Name, name) || letters(local) == letters(name) {
			out = append(out, ad)
		}
	}
	return out
}

// ofDomain reports whether name is a word of the domain of any of addrs
// ("Enron" of someone@enron.com).
func ofDomain(addrs []domain.Address, name string) bool {
	return slices.ContainsFunc(addrs, func(ad domain.Address) bool {
		_, host, _ := strings.Cut(strings.ToLower(ad.Email), "@")
		return slices.Contains(strings.Split(host, "."), strings.ToLower(name))
	})
}

// byWords are the addresses whose local part has every word of name as a
// whole word ("ken" is ken.rice@, not kenroman@).
func byWords(addrs []domain.Address, name string) []domain.Address {
	var out []domain.Address
	for _, ad := range addrs {
		local, _, _ := strings.Cut(strings.ToLower(ad.Email), "@")
		parts := strings.FieldsFunc(local, func(r rune) bool { return !unicode.IsLetter(r) })
		if !slices.ContainsFunc(strings.Fields(strings.ToLower(name)), func(w string) bool { return !slices.Contains(parts, w) }) {
			out = append(out, ad)
		}
	}
	return out
}

// personPrefixRE and loneCapRE find names the tagger missed, kept only when
// the user's contacts know them; fullNameRE finds full names in topics.
var (
	fullNameRE     = regexp.MustCompile(`\b[A-Z][a-z]+(?:\s+[A-Z][a-z'’-]+){1,3}\b`)
	possessiveRE   = regexp.MustCompile(`['’]s\b\s*`)
	personPrefixRE = rx(`\b(?:from|to|with|cc|email|e-mail|message|ping|tell|ask|invite)\s+([a-z][\w'-]*(?:\s+[a-z][\w'-]*)?)`)
	loneCapRE      = regexp.MustCompile(`\b[A-Z][a-z][\w'-]*\b`)
	placeBeforeRE  = rx(`\b(?:in|at|near|around|across|outside|inside|within|throughout|(?:get|gets|got|getting|go|goes|going|went|come|comes|coming|came|fly|flies|flying|flew|drive|driving|drove|travel\w*|trip|move|moving|moved|back|head\w*|return\w*)\s+to)\s+(?:the\s+)?$`)
)

// leadingName is the words of name before the first stop word or keyword
// ("Sarah the" is Sarah).
func leadingName(name string) string {
	var out []string
	for _, w := range strings.Fields(name) {
		if stopWords[strings.ToLower(w)] || isKeyword(w) {
			break
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

// inPerson reports whether byte i lies in the name of someone resolved.
func (a *analysis) inPerson(i int) bool {
	for _, at := range a.peopleAt {
		for _, sp := range a.spans {
			if sp[0] == at && i >= sp[0] && i < sp[1] {
				return true
			}
		}
	}
	return false
}

func (a *analysis) inSpan(i int) bool {
	for _, s := range a.spans {
		if i >= s[0] && i < s[1] {
			return true
		}
	}
	return false
}

func isKeyword(w string) bool {
	if namesService(w) {
		return true
	}
	for _, re := range weakWords {
		if re.MatchString(w) {
			return true
		}
	}
	return weekdayRE.MatchString(w) || travelRE.MatchString(w) || fileRefRE.MatchString(w) || eventNounRE.MatchString(w)
}

// entities fills dates, times, durations, organisations and topics.
func (a *analysis) entities() {
	a.ent.People = a.people
	for _, m := range a.matches {
		if !m.Range.IsZero() && m.Time == nil {
			a.ent.Dates = append(a.ent.Dates, DateRef{Text: m.Text, Range: m.Range})
		}
		if m.Time != nil {
			a.ent.Times = append(a.ent.Times, *m.Time)
		}
		if m.Duration > 0 {
			a.ent.Durations = append(a.ent.Durations, m.Duration)
		}
	}
	for _, m := range capsRE.FindAllStringIndex(a.q, -1) {
		phrase := a.q[m[0]:m[1]]
		if m[0] == 0 || a.inSpan(m[0]) || len(strings.Fields(phrase)) < 2 && !isAcronymOrg(phrase) ||
			googleProductRE.MatchString(phrase) {
			continue
		}
		if !slices.Contains(a.ent.Organisations, phrase) {
			a.ent.Organisations = append(a.ent.Organisations, phrase)
		}
	}
	if t := a.topic(); t != "" {
		a.ent.Topics = []string{t}
	}
}

// isAcronymOrg keeps single capitalised words like "Enron" but not "I".
func isAcronymOrg(w string) bool {
	return len(w) > 2 && !strings.ContainsRune(w, '\'') && !stopWords[strings.ToLower(w)] && !isKeyword(w) && strings.ToUpper(w) != w
}

// topic is the query without dates, names, commands and service words.
func (a *analysis) topic() string { return a.topicBefore(a.sayAt()) }

// topicBefore is the topic of the request's first end bytes.
func (a *analysis) topicBefore(end int) string {
	var words []string
	for _, m := range wordRE.FindAllStringIndex(a.q, -1) {
		if a.inSpan(m[0]) || a.inSlot(m[0], "body") && writes[a.read.Intent] || a.inSlot(m[0], "title") || m[0] >= end {
			continue // a date, a person, the message to write, a new title
		}
		w := strings.TrimRight(a.q[m[0]:m[1]], ".'")
		lw := strings.ToLower(w)
		if !a.names[m[0]] && (stopWords[lw] || stopWords[strings.TrimSuffix(lw, "'s")]) || len(w) < 2 && !unicode.IsDigit([]rune(w)[0]) {
			continue
		}
		words = append(words, w)
	}
	return strings.Join(words, " ")
}

// sayAt is where the message to write starts ("reply saying glad you
// came"), or the request's end: nothing after it is what to search for.
func (a *analysis) sayAt() int {
	switch a.read.Intent {
	case doDraft, doSend, doReply, doForward:
		if at, _, ok := saying(a.q); ok {
			return at
		}
	}
	return len(a.q) // "emails saying the deal is off": what they say is searched
}

// saying finds the message a request to write gives: where its cue starts
// and the message.
func saying(q string) (at int, msg string, ok bool) {
	if m := sayingRE.FindStringSubmatchIndex(q); m != nil {
		return m[0], q[m[2]:m[3]], true
	}
	if m := quotedEndRE.FindStringSubmatchIndex(q); m != nil && !titledRE.MatchString(q[:m[0]]) && !fileNameRE.MatchString(strings.ToLower(q[m[2]:m[3]])) {
		return m[0], q[m[2]:m[3]], true
	}
	return 0, "", false
}

// googleProductRE is a name of Google's that names a service, not a topic.
var googleProductRE = rx(`^google\s+(?:docs|drive|sheets|slides|calendar|mail|gmail)$`)

// nameWords are the offsets of the words of capitalised names of two words
// or more ("SIG Docs", "Board Meeting Minutes"), which stay whole in the
// topic even where a word alone would be a stop word; leading command words
// ("Show SIG Docs") are not part of the name, and Google's own product names
// ("Google Docs") name the service.
func (a *analysis) nameWords() map[int]bool {
	out := map[int]bool{}
	for _, m := range capsRE.FindAllStringIndex(a.q, -1) {
		ws := wordRE.FindAllStringIndex(a.q[m[0]:m[1]], -1)
		for len(ws) > 0 && stopWords[strings.ToLower(a.q[m[0]+ws[0][0]:m[0]+ws[0][1]])] {
			ws = ws[1:]
		}
		if len(ws) < 2 || googleProductRE.MatchString(a.q[m[0]+ws[0][0]:m[0]+ws[len(ws)-1][1]]) {
			continue
		}
		for _, w := range ws {
			out[m[0]+w[0]] = true
		}
	}
	return out
}

// refersBack reports whether q is only a reference to something shown
// earlier ("the second one", "send it", "move it to 4pm").
func refersBack(q string) bool {
	return bareOrdinalRE.MatchString(q) || pronounActRE.MatchString(q) && !pronounTargetRE.MatchString(q)
}

var (
	bareOrdinalRE = rx(`^(?:(?:show|open|read|give|pick|take|use)\s+(?:me\s+)?)?(?:the\s+)?(?:first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last)\s*(?:one|item|result)?[?.!]*$`)
	// pronounTargetRE names what "it" is in the same request ("find the
	// KEP and share it"), which then refers to nothing earlier.
	pronounTargetRE = rx(`\b(?:find|search|look\s+up|get)\b`)
)

// services are the services the request names or suggests; a word of a
// name ("SIG Docs") names no service.
func (a *analysis) services() []domain.Service {
	var out []domain.Service
	for _, s := range domain.Services {
		if a.says(serviceWords[s]) || a.says(weakWords[s]) {
			out = append(out, s)
		}
	}
	return out
}

// widen adds mail to a search that only weak words pointed elsewhere.
func (a *analysis) widen(services []domain.Service) []domain.Service {
	if slices.Contains(services, domain.ServiceGmail) || personalRE.MatchString(a.q) {
		return services
	}
	for _, s := range services {
		if serviceWords[s].MatchString(a.q) {
			return services
		}
	}
	return append([]domain.Service{domain.ServiceGmail}, services...)
}

// id numbers steps after those of the parts before.
func (a *analysis) id() string { return fmt.Sprintf("s%d", len(a.chain.steps)+len(a.steps)+1) }

func (a *analysis) add(s Step) Step {
	s.ID = a.id()
	if s.Params == nil {
		s.Params = Params{}
	}
	a.steps = append(a.steps, s)
	return s
}

func (a *analysis) intent(conf float64) Intent {
	return Intent{Steps: a.steps, Confidence: conf}
}

func (a *analysis) clarify(q string) Intent {
	a.steps = nil
	return Intent{Confidence: 0.3, Clarification: q}
}

// searchParams turns the entities into a search step's params for service s.
func (a *analysis) searchParams(s domain.Service) Params {
	p := Params{}
	if t := a.topicWithOrgs(); t != "" {
		p[ParamQuery] = t
	}
	var from, to, with []string
	lq := strings.ToLower(a.q)
	for i, person := range a.people {
		addrs := addressesOf(person)
		switch {
		case s != domain.ServiceGmail:
			from = append(from, addrs...)
		case strings.Contains(lq, "to "+strings.ToLower(person.Name)) || a.addressed(i):
			to = append(to, addrs...)
		case a.writer(i):
			from = append(from, addrs...)
		default:
			with = append(with, addrs...)
		}
	}
	switch s {
	case domain.ServiceGmail:
		if sentRE.MatchString(a.q) {
			// "what did I send Bob": the user's sent mail, whoever is named
			// its recipients.
			p[ParamLabels] = []string{LabelSent}
			to, from, with = append(append(to, from...), with...), nil, nil
		}
		setList(p, ParamFrom, from)
		setList(p, ParamTo, to)
		setList(p, ParamAttendees, with)
		if unreadRE.MatchString(a.q) {
			p[ParamUnread] = true
		}
		if attachmentRE.MatchString(a.q) {
			p[ParamAttachment] = true
		}
	case domain.ServiceCalendar:
		// An automated sender ("Cancel my Turkish Airlines flight": noreply@thy.com)
		// attends nothing: its name is what the event is about.
		setList(p, ParamAttendees, slices.DeleteFunc(slices.Concat(from, to), automatedRE.MatchString))
	case domain.ServiceDrive:
		setList(p, ParamFrom, from) // owners
		a.driveNames(p)
	}
	o := orderOf(a.q, a.spans)
	if o == "" && s == domain.ServiceCalendar && pastRE.MatchString(a.q) {
		o = OrderNewest // "when did SIG Auth meet?": its latest occurrence so far
	}
	if o != "" {
		p[ParamOrder] = string(o)
	}
	if r, ok := a.dateRange(s); ok {
		if !r.Start.IsZero() {
			p[ParamAfter] = r.Start.Format(time.RFC3339)
		}
		if !r.End.IsZero() {
			p[ParamBefore] = r.End.Format(time.RFC3339)
		}
	} else if s == domain.ServiceCalendar && a.ahead() {
		p[ParamAfter] = a.now.Format(time.RFC3339) // "my next meeting" is in the future
	} else if s == domain.ServiceCalendar && o == OrderNewest {
		p[ParamBefore] = a.now.Format(time.RFC3339) // "the last SIG Auth meeting" has happened: a calendar holds future ones too
	}
	return p
}

// addressed reports whether person i of the request is who a mail went to:
// named after a verb of writing or asking ("who asked Ken for his bio?",
// "Josh thanking Ken").
func (a *analysis) addressed(i int) bool {
	return addressedRE.MatchString(a.q[:a.peopleAt[i]])
}

// writer reports whether person i wrote what is asked about: named after
// "from" or "by", owning it ("Beau's idea"), or doing the writing or asking
// ("what did Rob want", "emails Sarah sent"). Anyone else named ("is Ken
// selling the tickets") sent or received it.
func (a *analysis) writer(i int) bool {
	at := a.peopleAt[i]
	end := at + len(a.people[i].Name)
	for _, sp := range a.spans {
		if sp[0] == at {
			end = sp[1]
		}
	}
	return fromByRE.MatchString(a.q[:at]) || writingRE.MatchString(a.q[end:]) || strings.HasPrefix(a.q[end:], "'s") || strings.HasPrefix(a.q[end:], "’s") ||
		possessiveRE.MatchString(a.q[at:end])
}

var (
	addressedRE = rx(`\b(?:to|ask|asks|asked|asking|tell|tells|told|telling|thank|thanks|thanked|thanking|emailed|emailing|mailed|wrote|writing|sent|sending|invite|invited|inviting|cc|cc'd|forward|forwarded|remind|reminded|ping|pinged|congratulate|congratulated|congratulating|urge|urged|urging|answer|answered)\s+$`)
	fromByRE    = rx(`\b(?:from|by)\s+(?:(?:the|a|an|our|my|their|his|her)\s+)?(?:[\w.&-]+['’]s\s+)?$`) // "from Compaq's Michael Capellas"
	// writingRE follows a writer's name: what they wrote, asked or wanted.
	writingRE = rx(`^\s+(?:(?:had|has|have|just|also|ever|never|then|once|last|first|recently|lately|finally|already|still|actually|really|originally|personally)\s+)*(?:say|says|said|saying|write|writes|wrote|writing|send|sends|sent|sending|email|emails|emailed|emailing|mail|mailed|reply|replies|replied|respond|responded|answer|answered|ask|asks|asked|asking|want|wants|wanted|wanting|tell|tells|told|mention|mentions|mentioned|propose|proposes|proposed|suggest|suggests|suggested|recommend|recommended|thank|thanks|thanked|thanking|forward|forwarded|share|shared|announce|announced|request|requested|complain|complained|explain|explained|warn|warned|invite|invited|note|notes|memo|letter|message|messages|update|think|thinks|thought|need|needs|needed|offer|offered|promise|promised|agree|agreed|report|reported)\b`)
)

// driveNames moves the words of a search that name one of the user's Drive
// folders ("sig-node", "SIG Node") or a file owner by the name before the @
// of their address ("andrewsykim") from the search text into folder and
// owner filters: such words name where a file is or who owns it, and a text
// search for them finds every file that merely mentions them.
func (a *analysis) driveNames(p Params) {
	if len(a.folders)+len(a.owners) == 0 {
		return
	}
	var folders, owners, rest []string
	words := strings.Fields(p.String(ParamQuery))
	for i := 0; i < len(words); i++ {
		if f, n := a.folderAt(words[i:]); n > 0 {
			folders = appendNew(folders, f)
			i += n - 1
			continue
		}
		if o := a.ownerNamed(words[i]); o != "" {
			owners = appendNew(owners, o)
			continue
		}
		rest = append(rest, words[i])
	}
	// The tagger may leave a handle or a folder out of the topic ("KEPs
	// owned by thockin in sig-network"): the request's other words name them too.
	named, handles := a.driveNamed()
	for _, f := range named {
		folders = appendNew(folders, f)
	}
	for _, o := range handles {
		owners = appendNew(owners, o)
	}
	if len(folders)+len(owners) == 0 {
		return
	}
	rest = slices.DeleteFunc(rest, func(w string) bool {
		lw := strings.ToLower(w)
		return placeWords[lw] || stopWords[lw] || isKeyword(w)
	})
	setList(p, ParamFolders, folders)
	setList(p, ParamOwners, owners)
	if len(rest) == 0 {
		delete(p, ParamQuery)
	} else {
		p[ParamQuery] = strings.Join(rest, " ")
	}
}

// driveNamed are the Drive folders and file owners the request names.
func (a *analysis) driveNamed() (folders, owners []string) {
	var said []string
	for _, m := range wordRE.FindAllStringIndex(a.q, -1) {
		if !a.inSpan(m[0]) {
			said = append(said, a.q[m[0]:m[1]])
		}
	}
	for i := range said {
		if f, n := a.folderAt(said[i:]); n > 0 {
			folders = appendNew(folders, f)
		} else if o := a.ownerNamed(said[i]); o != "" {
			owners = appendNew(owners, o)
		}
	}
	return folders, owners
}

// placeWords say that a folder or an owner is named ("the sig-node folder",
// "KEPs jpbetz is an owner of"): with the filter read, they search for nothing.
var placeWords = map[string]bool{"folder": true, "folders": true, "directory": true, "under": true, "inside": true, "within": true,
	"owner": true, "owners": true, "author": true, "authors": true}

// folderAt is the folder the first one to three words name, written with
// any separators ("SIG Node", "sig-node"), and how many words name it.
func (a *analysis) folderAt(words []string) (string, int) {
	for n := min(3, len(words)); n > 0; n-- {
		want := query.Squash(strings.Join(words[:n], ""))
		if len(want) < 3 {
			continue
		}
		for _, f := range a.folders {
			if query.Squash(f) == want {
				return f, n
			}
		}
	}
	return "", 0
}

// ownerNamed is the owner whose address begins with word and an @.
func (a *analysis) ownerNamed(word string) string {
	w := strings.ToLower(strings.Trim(word, `'"?.,!`))
	if len(w) < 3 {
		return ""
	}
	for _, o := range a.owners {
		if local, _, ok := strings.Cut(o, "@"); ok && local == w {
			return o
		}
	}
	return ""
}

func appendNew(xs []string, y string) []string {
	if slices.Contains(xs, y) {
		return xs
	}
	return append(xs, y)
}

// ahead reports whether a calendar search is about what is to come: "my
// next meeting", "my meetings"; not "my calendar ... about cgroup v2" (a
// topic, searched whenever it was) nor "my last meeting".
func (a *analysis) ahead() bool {
	if behindRE.MatchString(a.q) {
		return false
	}
	for _, m := range aheadRE.FindAllString(a.q, -1) {
		if !strings.EqualFold(m, "my") || a.topicWithOrgs() == "" {
			return true
		}
	}
	return false
}

// dateRange is the first date of the request; mail and files are in the past,
// so a bare weekday that lies ahead means the previous one there, unless the
// request is also about the calendar: one weekday is one day for every
// service it names ("emails and meetings on Wednesday").
func (a *analysis) dateRange(s domain.Service) (dates.Range, bool) {
	for _, m := range a.matches {
		r := m.Range
		if r.IsZero() {
			continue
		}
		if s != domain.ServiceCalendar && r.Start.After(a.now) && weekdayRE.MatchString(m.Text) &&
			!strings.Contains(strings.ToLower(m.Text), "next") && !slices.Contains(a.services(), domain.ServiceCalendar) {
			r.Start, r.End = r.Start.AddDate(0, 0, -7), r.End.AddDate(0, 0, -7)
		}
		if m.Time != nil && r.Start.Equal(r.End) { // "meetings at 4pm": that hour
			r.End = r.Start.Add(time.Hour)
		}
		return r, true
	}
	return dates.Range{}, false
}

// topicWithOrgs is the search text: the topic slots the tagger marked,
// nothing else of the request; without any, the names of organisations
// ("cancel my Turkish Airlines flight").
func (a *analysis) topicWithOrgs() string {
	if len(a.ent.Topics) == 0 {
		return strings.Join(a.ent.Organisations, " ")
	}
	return strings.Join(a.ent.Topics, " ")
}

func addressesOf(p Person) []string {
	if len(p.Addresses) == 0 {
		return []string{p.Name} // the search engine matches names too
	}
	out := make([]string, 0, len(p.Addresses))
	for _, ad := range p.Addresses {
		out = append(out, ad.Email)
	}
	return out
}

func setList(p Params, key string, v []string) {
	if len(v) > 0 {
		p[key] = v
	}
}

func (a *analysis) searchAll(services []domain.Service) Intent {
	for _, s := range services {
		a.add(Step{Service: s, Operation: OpSearch, Params: a.searchParams(s)})
	}
	return a.intent(0.85)
}

// recipient returns the one address of each person, or a question.
func (a *analysis) recipients(what string) ([]string, string) {
	if len(a.people) == 0 && len(a.unknown) > 0 {
		return nil, fmt.Sprintf("I couldn't find an address for %s in your mail or calendar. What is their email address?", a.unknown[0])
	}
	if len(a.people) == 0 {
		return nil, fmt.Sprintf("Who should I %s?", what)
	}
	var out []string
	for _, p := range a.people {
		switch {
		case len(p.Addresses) == 0:
			return nil, fmt.Sprintf("I couldn't find an address for %s in your mail or calendar. What is their email address?", p.Name)
		case len(p.Addresses) > 1 && !exactName(p) && !onePerson(p.Addresses):
			return nil, whichOne(p)
		}
		out = append(out, p.Addresses[0].Email)
	}
	return out, ""
}

// maxChoices is how many addresses a clarifying question offers: the ones
// the user corresponds with most come first.
const maxChoices = 3

// whichOne asks which of a name's addresses is meant.
func whichOne(p Person) string {
	var opts []string
	for _, ad := range p.Addresses[:min(len(p.Addresses), maxChoices)] {
		opts = append(opts, ad.Email)
	}
	switch more := len(p.Addresses) - maxChoices; {
	case more == 1:
		return fmt.Sprintf("Which %s do you mean: %s, or one other? Their email address would settle it.", p.Name, strings.Join(opts, ", "))
	case more > 1:
		return fmt.Sprintf("Which %s do you mean: %s, or one of %d others? Their email address would settle it.", p.Name, strings.Join(opts, ", "), more)
	}
	return fmt.Sprintf("Which %s do you mean: %s?", p.Name, strings.Join(opts, " or "))
}

// onePerson reports whether addresses are one person's: the same name
// written with other separators at one domain ("rosalee.fleming@" and
// "rosalee_fleming@"), or the same display name.
func onePerson(addrs []domain.Address) bool {
	key := func(ad domain.Address) string {
		local, host, _ := strings.Cut(strings.ToLower(ad.Email), "@")
		return strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return r
			}
			return -1
		}, local) + "@" + host
	}
	for _, ad := range addrs[1:] {
		sameName := nameKey(ad.Name) != "" && nameKey(ad.Name) == nameKey(addrs[0].Name)
		if key(ad) != key(addrs[0]) && !sameName {
			return false
		}
	}
	return true
}

// exactName reports whether the first address belongs to exactly that name.
func exactName(p Person) bool {
	return nameKey(p.Addresses[0].Name) == nameKey(p.Name) && nameKey(p.Name) != "" || strings.EqualFold(p.Addresses[0].Email, p.Name)
}

// nameKey is a display name's words in any order, lowercased, without
// initials or punctuation: "Tori L Wells", "Wells, Tori L." and "tori wells"
// are one name.
func nameKey(name string) string {
	ws := strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' })
	ws = slices.DeleteFunc(ws, func(w string) bool { return len([]rune(w)) < 2 })
	slices.Sort(ws)
	return strings.Join(ws, " ")
}

// compose drafts a mail to the people named, after finding the file it is
// about when it names one; with send it also proposes sending the draft.
func (a *analysis) compose(send bool, mode string) Intent {
	return a.composeWith(send, mode, nil)
}

// composeFrom writes a mail built on what step dep found (a file to link).
func (a *analysis) composeFrom(send bool, dep string) Intent {
	return a.composeWith(send, "", []string{dep})
}

// composeWith drafts a mail; mode "reply" or "forward" finds the mail
// answered first, and deps are steps whose items the mail is built on.
func (a *analysis) composeWith(send bool, mode string, deps []string) Intent {
	senders, recipients := a.people, a.people
	if mode == "forward" {
		// "forward Rosalee's latest email to Bob": Rosalee wrote it, Bob gets it.
		senders, recipients = a.splitPeople()
	}
	if mode == "reply" && deps == nil {
		// A reply goes to the sender of the mail it answers, found from
		// any address of the person named ("reply to Beau's email").
		return a.replyFound(send)
	}
	saved := a.people
	a.people = recipients
	to, question := a.recipients("write to")
	a.people = saved
	if mode == "reply" && len(recipients) == 0 {
		to, question = nil, "" // "... and reply saying thanks": to the sender of the mail found
	}
	if question != "" {
		return a.clarify(question)
	}
	a.say = a.message()
	topic := a.topicWithOrgs()
	draft := Params{ParamTo: to, ParamSubject: subject(topic), ParamBody: ""}
	var names []string
	for _, p := range recipients {
		names = append(names, p.Name)
	}
	subj, body, ok := letter(a.q, names)
	if ok && a.say != "" && len(body) > len(a.say)+1 && strings.Contains(strings.ToLower(body), strings.ToLower(toReader(a.say))) {
		// "tell him I'd love an early copy": the tagger kept part of what
		// the purpose says whole.
		a.say = ""
	}
	if ok && a.say == "" {
		// "thanking her for the invitation": what the mail is for, said to the reader.
		draft[ParamSubject], draft[ParamBody] = subj, body
	}
	if channelOnlyRE.MatchString(draft.String(ParamSubject)) {
		draft[ParamSubject] = subject(firstWords(strings.TrimSuffix(draft.String(ParamBody), "."), 6))
	}
	switch {
	case a.say != "":
		draft[ParamBody] = subject(a.say) + "."
		if topic == "" {
			draft[ParamSubject] = subject(firstWords(a.say, 6))
		}
	case draft.String(ParamBody) != "":
	case a.chain.news != "":
		// "cancel the review and let Bob know": the mail tells of the action.
		draft[ParamBody] = a.chain.news
		if topic == "" {
			draft[ParamSubject] = capital(strings.TrimSuffix(strings.TrimPrefix(a.chain.news, "I'm "), "."))
		}
	case thanksRE.MatchString(a.q):
		// "a thank-you note for the press release" says thank you.
		draft[ParamBody] = "Thank you"
		if topic != "" {
			draft[ParamBody] = "Thank you for the " + topic
		}
		draft[ParamBody] = draft.String(ParamBody) + "."
		draft[ParamSubject] = subject(strings.TrimSpace("Thank you " + topic))
	}
	if mode != "" {
		draft[ParamMode] = mode
	}
	if mode == "reply" {
		delete(draft, ParamSubject) // "Re: " and the subject answered
	}
	if len(to) == 0 {
		delete(draft, ParamTo)
	}
	switch {
	case deps != nil:
	case mode != "":
		// Reply to or forward the latest matching mail: from the person for a
		// reply, from the sender named and about the topic for a forward.
		p := Params{ParamLimit: 1, ParamOrder: string(OrderNewest)}
		if mode == "reply" {
			setList(p, ParamFrom, to)
			delete(draft, ParamSubject)
		} else {
			var from []string
			for _, s := range senders {
				from = append(from, addressesOf(s)...)
			}
			setList(p, ParamFrom, from)
		}
		if topic != "" {
			p[ParamQuery] = topic
		}
		s := a.add(Step{Service: domain.ServiceGmail, Operation: OpSearch, Params: p})
		deps = []string{s.ID}
	case topic != "" && (fileRefRE.MatchString(emailAddrRE.ReplaceAllString(a.q, "")) || len(kepRE.FindStringIndex(a.q)) > 0):
		// "email Bob the Q3 report": the file is linked ("docs@x.org" names none).
		s := a.add(Step{Service: domain.ServiceDrive, Operation: OpSearch, Params: Params{ParamQuery: topic, ParamLimit: 3}})
		deps = []string{s.ID}
	}
	d := a.add(Step{Service: domain.ServiceGmail, Operation: OpDraft, Params: draft, DependsOn: deps})
	if send {
		a.add(Step{Service: domain.ServiceGmail, Operation: OpSend, Params: Params{}, DependsOn: []string{d.ID}})
	}
	return a.intent(0.85)
}

var thanksRE = rx(`\bthank(?:s|-you| you)\b`)

// message is what the mail should say: the tagger's body slot ("saying I'll
// be late", "reply that I'm happy to meet"), or what follows "saying".
func (a *analysis) message() string {
	_, cued, _ := saying(a.q)
	cued = trimMessage(cued)
	for _, sl := range a.read.Slots {
		if sl.Name == "body" {
			// Dates are no slot, but a message's own date is part of it:
			// "saying I'll send the names on Friday".
			// The message runs on to the end unless another slot follows
			// ("... saying I'm happy to meet next week").
			end := len(a.q)
			for _, o := range a.read.Slots {
				if o.Start >= sl.End && o.Start < end {
					end = o.Start
				}
			}
			said := trimMessage(trailingLinkRE.ReplaceAllString(strings.TrimSpace(a.q[sl.Start:end]), ""))
			if len(cued) > len(said) && strings.HasPrefix(cued, said) {
				// "to say I'll be ten minutes late": the slot stopped short of
				// what runs on to the end after the cue.
				return cued
			}
			return said
		}
	}
	return cued
}

// trimMessage drops the end of the request's sentence and the quotes a
// message may be typed in ("reply \"sounds good\"").
func trimMessage(s string) string {
	return strings.Trim(strings.TrimRight(strings.TrimSpace(s), "?!. "), "\"“”")
}

// splitPeople separates the people a request sends to (named after "to",
// "cc") from the others.
func (a *analysis) splitPeople() (others, recipients []Person) {
	for i, p := range a.people {
		if i < len(a.peopleAt) && recipientRE.MatchString(a.q[:a.peopleAt[i]]) {
			recipients = append(recipients, p)
		} else {
			others = append(others, p)
		}
	}
	return others, recipients
}

var recipientRE = rx(`\b(?:to|cc)\s+$`)

func firstWords(s string, n int) string {
	w := strings.Fields(s)
	if len(w) > n {
		return strings.Join(w[:n], " ") + "…"
	}
	return s
}

// about is the subject written after "about" in q[start:end], up to the
// first person or date named after it ("about sidecars to bob@x.com").
func (a *analysis) about(start, end int) string {
	for _, sp := range a.spans {
		if sp[0] > start && sp[0] < end {
			end = sp[0]
		}
	}
	return trailingLinkRE.ReplaceAllString(strings.TrimRight(a.q[start:end], "?.! "), "")
}

var trailingLinkRE = rx(`\s+(?:to|for|with|and|cc|from|on|at|by)$`)

// channelOnlyRE is a topic that only says how to write ("by email", "a
// quick note"): never a subject.
var channelOnlyRE = rx(`^(?:(?:by|via|over|in|through|with)\s+)?(?:an?\s+)?(?:quick\s+|short\s+)?(?:e-?mail|mail|message|note|text|line)?$`)

// subject is topic as a subject line; empty without one (the draft then
// takes the file's title, the replied mail's subject or its first words).
func subject(topic string) string { return capital(topic) }

// when is the new start and length an event request gives.
func (a *analysis) when() (start time.Time, length time.Duration, ok bool) {
	length = DefaultEventLength
	var part *dates.Range
	for _, m := range a.matches {
		if m.Duration > 0 {
			length = m.Duration
		}
		if m.Time != nil {
			start, ok = *m.Time, true
		} else if d := m.Range.End.Sub(m.Range.Start); d > 0 && d <= 6*time.Hour {
			part = &m.Range
		}
	}
	if !ok && part != nil {
		// "tomorrow morning": the usual hour of that part of the day; the
		// proposal shows it, and nothing is created until it is confirmed.
		return partOfDayStart(*part), length, true
	}
	return start, length, ok
}

// partOfDayStart is when an event in a part of a day usually starts:
// 9:00 in the morning, 14:00 in the afternoon, 19:00 in the evening.
func partOfDayStart(r dates.Range) time.Time {
	switch r.Start.Hour() {
	case 6:
		return r.Start.Add(3 * time.Hour)
	case 12:
		return r.Start.Add(2 * time.Hour)
	case 18:
		return r.Start.Add(time.Hour)
	}
	return r.Start
}

func (a *analysis) createEvent() Intent {
	start, length, ok := a.when()
	if !ok {
		if len(a.ent.Dates) > 0 {
			return a.clarify("What time should it start?")
		}
		return a.clarify("When should it be? Please give a day and a time.")
	}
	p := Params{
		ParamTitle: eventTitle(a), ParamStart: start.Format(time.RFC3339), ParamEnd: start.Add(length).Format(time.RFC3339),
		ParamTimeZone: a.loc.String(), ParamDuration: int(length / time.Minute),
	}
	if len(a.people) > 0 {
		to, question := a.recipients("invite")
		if question != "" {
			return a.clarify(question)
		}
		p[ParamAttendees] = to
	}
	a.add(Step{Service: domain.ServiceCalendar, Operation: OpCreate, Params: p})
	return a.intent(0.85)
}

// titleRE introduces a name given outright: "an event called Team offsite".
var titleRE = rx(`\b(?:called|titled|named)\s+`)

// titleEndRE ends a name given outright: who comes or what it is for.
var titleEndRE = rx(`\s+(?:with|inviting|invite|for|and)\s+`)

// titleSpan is the byte span of a name given outright, up to the first date,
// person or purpose after it ("called Team offsite with Bob on December
// 10"); empty (0, 0) without one.
func (a *analysis) titleSpan() (start, end int) {
	m := titleRE.FindStringIndex(a.q)
	if m == nil {
		return 0, 0
	}
	start, end = m[1], len(a.q)
	if e := titleEndRE.FindStringIndex(a.q[start:]); e != nil {
		end = start + e[0]
	}
	for _, d := range a.matches {
		if d.Start >= start && d.Start < end {
			end = d.Start
		}
	}
	return start, end
}

// eventTitle is the new event's title: a quoted name ("put a 'Memory QoS
// review' on my calendar"), a name given outright ("called Browser check
// 87279"), the name the tagger marked, run on to the words of the name it
// cut short, or else what and with whom.
func eventTitle(a *analysis) string {
	if m := quotedRE.FindStringSubmatch(a.q); m != nil {
		return strings.TrimSpace(m[1])
	}
	if start, end := a.titleSpan(); end > start {
		if t := a.about(start, end); t != "" {
			return t
		}
	}
	for _, sl := range a.read.Slots {
		if sl.Name == "title" {
			return strings.Trim(a.q[a.titleStart(sl.Start):a.titleEnd(sl.End)], `'"‘’“” `)
		}
	}
	noun := "Meeting"
	if m := eventNounRE.FindString(a.q); m != "" {
		noun = subject(strings.ToLower(m))
	}
	t := noun
	if len(a.people) > 0 {
		var names []string
		for _, p := range a.people {
			names = append(names, p.Name)
		}
		t += " with " + strings.Join(names, ", ")
	}
	topic := strings.TrimSpace(eventNounRE.ReplaceAllString(a.topic(), ""))
	if m := aboutRE.FindStringSubmatch(a.q); m != nil {
		topic = strings.TrimRight(m[1], "?.! ")
	}
	if topic != "" {
		t += ": " + topic
	}
	return t
}

// quotedRE is a name in quotes; an apostrophe inside a word ("Bob's") is none.
var quotedRE = regexp.MustCompile(`(?:^|\s)['"‘“]([^'"‘’“”]{2,80})['"’”](?:\s|$|[.,;:!?])`)

// titleEnd runs a title the tagger cut short on over the words that follow
// it up to a date, a person or a word that ends a name ("a Memory QoS review
// on Friday", not "Memory").
func (a *analysis) titleEnd(end int) int {
	for _, m := range wordRE.FindAllStringIndex(a.q[end:], -1) {
		at := end + m[0]
		w := strings.ToLower(a.q[at : end+m[1]])
		if a.inSpan(at) || titleStop[w] || stopWords[w] || strings.TrimSpace(a.q[end:at]) != "" {
			break
		}
		end = end + m[1]
	}
	return end
}

// titleStart runs a title the tagger started late back over the words of
// the name before it ("put a Memory QoS review", not "QoS review").
func (a *analysis) titleStart(start int) int {
	ws := wordRE.FindAllStringIndex(a.q[:start], -1)
	for i := len(ws) - 1; i >= 0; i-- {
		w := strings.ToLower(a.q[ws[i][0]:ws[i][1]])
		if a.inSpan(ws[i][0]) || titleStop[w] || stopWords[w] || strings.TrimSpace(a.q[ws[i][1]:start]) != "" || i == 0 {
			break // the first word is the command ("schedule")
		}
		start = ws[i][0]
	}
	return start
}

// titleStop are words that end a title: what follows says when, where or with whom.
var titleStop = map[string]bool{"on": true, "at": true, "for": true, "with": true, "to": true, "in": true, "from": true,
	"inviting": true, "and": true, "next": true, "this": true, "tomorrow": true, "today": true, "tonight": true, "every": true}

// pickParams tell an acting step which of the found items it means: the one
// whose title holds the request's topic words.
func (a *analysis) pickParams() Params {
	p := Params{}
	if t := a.topicWithOrgs(); t != "" {
		p[ParamQuery] = t
	}
	return p
}

// findEvent adds the steps that find the one event a request acts on.
func (a *analysis) findEvent() string {
	if id, ok := a.back(domain.ServiceCalendar); ok {
		return id // "find my next call with Bob and cancel it"
	}
	var deps []string
	if travelRE.MatchString(a.q) {
		// The booking mail names the flight; the calendar search uses it.
		s := a.add(Step{Service: domain.ServiceGmail, Operation: OpSearch, Params: Params{ParamQuery: strings.TrimSpace(a.topicWithOrgs() + " booking confirmation")}})
		deps = []string{s.ID}
	}
	p := a.searchParams(domain.ServiceCalendar)
	if w := travelRE.FindString(a.q); w != "" && !strings.Contains(strings.ToLower(p.String(ParamQuery)), strings.ToLower(w)) {
		// The event of a trip is named by what it is: "Flight TK 1234".
		p[ParamQuery] = strings.TrimSpace(p.String(ParamQuery) + " " + w)
	}
	// Only upcoming events can be cancelled or moved.
	if after, ok, _ := p.Time(ParamAfter); !ok || after.Before(a.now) {
		p[ParamAfter] = a.now.Format(time.RFC3339)
	}
	if o := p.String(ParamOrder); o == string(OrderUpcoming) || o == string(OrderNewest) || o == string(OrderOldest) {
		p[ParamLimit] = 1 // "the next SIG Docs meeting" is one occurrence of the series
	}
	s := a.add(Step{Service: domain.ServiceCalendar, Operation: OpSearch, Params: p, DependsOn: deps})
	return s.ID
}

func (a *analysis) deleteEvent() Intent {
	if _, back := a.back(domain.ServiceCalendar); !back && a.topicWithOrgs() == "" && len(a.people) == 0 && len(a.ent.Dates) == 0 {
		return a.clarify("Which event should I cancel?")
	}
	s := a.findEvent()
	a.add(Step{Service: domain.ServiceCalendar, Operation: OpDelete, Params: a.pickParams(), DependsOn: []string{s}})
	return a.intent(0.8)
}

// updateEvent moves an event: the one referenced, or the one a search finds.
func (a *analysis) updateEvent(ref *ItemRef) Intent {
	target, moveTo := a.moveParts()
	var newStart *time.Time
	var newDay *dates.Range
	for _, m := range moveTo {
		if m.Time != nil {
			newStart = m.Time
		} else if !m.Range.IsZero() {
			newDay = &m.Range
		}
	}
	offset := a.offset()
	if newStart == nil && newDay == nil && ref != nil && offset != 0 {
		// "an hour later", "the next day at the same time": shifted from where it is.
		t := ref.At.In(a.loc).Add(offset)
		newStart = &t
	}
	if newStart == nil && newDay == nil && offset == 0 {
		return a.clarify("When should it move to?")
	}
	if _, back := a.back(domain.ServiceCalendar); ref == nil && !back && len(target) == 0 && len(a.people) == 0 &&
		strings.TrimSpace(genericEventRE.ReplaceAllString(a.topicWithOrgs(), "")) == "" && !travelRE.MatchString(a.q) {
		// "move my meeting to Friday": which of them?
		return a.clarify("Which meeting should I move? Tell me its name, who it's with or when it is now.")
	}
	p := a.pickParams()
	p[ParamTimeZone] = a.loc.String()
	if offset != 0 {
		unshifted(p)
	}
	clockOnly := newStart != nil && !hasDatePart(moveTo) && offset == 0
	if ref != nil {
		for k, v := range refParams(*ref) {
			p[k] = v
		}
		start := a.moved(ref.At, newStart, newDay, clockOnly)
		p[ParamStart] = start.Format(time.RFC3339)
		if !ref.End.IsZero() {
			p[ParamEnd] = start.Add(ref.End.Sub(ref.At)).Format(time.RFC3339)
		}
		a.add(Step{Service: domain.ServiceCalendar, Operation: OpUpdate, Params: p})
		return a.intent(0.85)
	}
	// Search with what describes the event ("on Tuesday"), not with where it goes.
	saved := a.matches
	a.matches = target
	s := a.findEvent()
	a.matches = saved
	if offset != 0 {
		for i := range a.steps {
			unshifted(a.steps[i].Params)
		}
	}
	switch {
	case newStart == nil && newDay == nil:
		p[ParamShift] = int(offset / time.Minute) // from where the event found is
	case clockOnly:
		p[ParamClock] = newStart.Format("15:04")
	case newStart != nil:
		p[ParamStart] = newStart.Format(time.RFC3339)
	default:
		p[ParamDay] = newDay.Start.Format(time.RFC3339)
	}
	a.add(Step{Service: domain.ServiceCalendar, Operation: OpUpdate, Params: p, DependsOn: []string{s}})
	return a.intent(0.8)
}

// genericEventRE are words that say an item is an event, not which one.
var genericEventRE = rx(`\b(?:meeting|call|event|appointment|session)s?\b`)

// moveParts splits the dates of a move into those naming the event ("the
// meeting on Tuesday") and those saying where it goes ("to 11am"): the ones
// after the last "to" that no date contains. Without such a "to" every date
// says where it goes.
func (a *analysis) moveParts() (target, moveTo []dates.Match) {
	cut := -1
	for _, m := range toRE.FindAllStringIndex(a.q, -1) {
		inside := false
		for _, d := range a.matches {
			inside = inside || m[0] >= d.Start && m[0] < d.End
		}
		if !inside {
			cut = m[0]
		}
	}
	for _, d := range a.matches {
		if cut >= 0 && d.Start < cut {
			target = append(target, d)
		} else {
			moveTo = append(moveTo, d)
		}
	}
	if len(moveTo) == 0 { // "move Tuesday's meeting to the afternoon": nothing after "to" is a date
		return nil, a.matches
	}
	return target, moveTo
}

var (
	toRE    = rx(`\bto\b`)
	shiftRE = rx(`\b(later|earlier|back|forward|ahead)\b`)
)

// shift is how far "an hour later" or "30 minutes earlier" moves an event.
func (a *analysis) shift() time.Duration {
	m := shiftRE.FindStringSubmatch(a.q)
	if m == nil {
		return 0
	}
	for _, d := range a.matches {
		if d.Duration > 0 {
			if w := strings.ToLower(m[1]); w == "earlier" || w == "forward" || w == "ahead" {
				return -d.Duration
			}
			return d.Duration
		}
	}
	return 0
}

// offset is how far a move shifts an event from where it is: "an hour
// later", "30 minutes earlier", "the next day", "a week later".
func (a *analysis) offset() time.Duration {
	if d := a.shift(); d != 0 {
		return d
	}
	switch unit, dir, ok := relativeWindow(a.q); {
	case ok && unit == "day":
		return time.Duration(dir) * 24 * time.Hour
	case ok && unit == "week":
		return time.Duration(dir) * 7 * 24 * time.Hour
	}
	return 0
}

// shiftWords say how far an event moves, never which event it is.
var shiftWords = rx(`\b(?:push(?:ed)?|pull(?:ed)?|bring|shift(?:ed)?|back|later|earlier|forward|ahead|same|day|week|following|previous|after|before)\b`)

// unshifted takes the words of a shift out of a search's text ("push the
// budget review back a day" looks for "budget review").
func unshifted(p Params) {
	q, ok := p[ParamQuery].(string)
	if !ok {
		return
	}
	if q = strings.Join(strings.Fields(shiftWords.ReplaceAllString(q, " ")), " "); q == "" {
		delete(p, ParamQuery)
	} else {
		p[ParamQuery] = q
	}
}

// moveVerbRE orders a move: "push it to the next day".
var moveVerbRE = rx(`\b(?:move|push|pull|shift|bump|reschedule|postpone|bring|make\s+it)\b`)

// movesShown reports whether a request only shifts what was shown ("30
// minutes later", "push it to the next day"): no topic, person or date of
// its own, and an event shown to move.
func (a *analysis) movesShown(last Turn) bool {
	return a.offset() != 0 && !followRE.MatchString(a.q) && (shiftRE.MatchString(a.q) || moveVerbRE.MatchString(a.q)) && len(a.people)+len(a.unknown) == 0 && !hasDatePart(a.matches) &&
		len(ofKind(last.Items, "event")) > 0 && strings.TrimSpace(genericEventRE.ReplaceAllString(a.topicWithOrgs(), "")) == ""
}

// hasDatePart reports whether ms name a day, not only a clock time.
func hasDatePart(ms []dates.Match) bool {
	for _, m := range ms {
		if m.Time != nil && strings.ContainsFunc(clockWords.ReplaceAllString(m.Text, ""), unicode.IsLetter) {
			return true
		}
		if m.Time == nil && !m.Range.IsZero() {
			return true
		}
	}
	return false
}

// clockWords are the words of a clock time or length, leaving a date's words.
var clockWords = rx(`\d+(?:[:.]\d+)?\s*(?:[ap]\.?m\.?)?|\b(?:at|from|to|between|and|until|till|noon|midday|midnight|for|minutes?|mins?|hours?|hrs?|an?|half)\b`)

// moved is old moved to a new clock time (same day) or a new day (same time).
func (a *analysis) moved(old time.Time, newStart *time.Time, newDay *dates.Range, clockOnly bool) time.Time {
	old = old.In(a.loc)
	switch {
	case newStart != nil && clockOnly:
		return time.Date(old.Year(), old.Month(), old.Day(), newStart.Hour(), newStart.Minute(), 0, 0, a.loc)
	case newStart != nil:
		return *newStart
	default:
		d := newDay.Start
		return time.Date(d.Year(), d.Month(), d.Day(), old.Hour(), old.Minute(), 0, 0, a.loc)
	}
}

// share grants the people named access to a file: the one referenced or the
// one a search finds.
func (a *analysis) share(ref *ItemRef) Intent {
	to, question := a.recipients("share it with")
	if question != "" {
		return a.clarify(question)
	}
	p := a.pickParams()
	p[ParamTo], p[ParamRole] = to, role(a.q)
	if ref != nil {
		maps.Copy(p, refParams(*ref)) // its title too: the proposal names the file
		a.add(Step{Service: domain.ServiceDrive, Operation: OpShare, Params: p})
		return a.intent(0.85)
	}
	found, back := a.back(domain.ServiceDrive)
	switch {
	case back:
	case a.topicWithOrgs() == "":
		return a.clarify("Which file should I share?")
	default:
		found = a.add(Step{Service: domain.ServiceDrive, Operation: OpSearch, Params: Params{ParamQuery: a.topicWithOrgs()}}).ID
	}
	a.add(Step{Service: domain.ServiceDrive, Operation: OpShare, Params: p, DependsOn: []string{found}})
	return a.intent(0.8)
}

func role(q string) string {
	switch m := strings.ToLower(roleRE.FindString(q)); {
	case strings.HasPrefix(m, "edit"), strings.HasPrefix(m, "write"):
		return "writer"
	case strings.HasPrefix(m, "comment"):
		return "commenter"
	}
	return "reader"
}
