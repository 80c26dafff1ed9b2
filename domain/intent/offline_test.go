package intent_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/intent"
)

// contacts is an in-memory address book.
type contacts map[string][]domain.Address

func (c contacts) Resolve(_ context.Context, _ uuid.UUID, name string) ([]domain.Address, error) {
	return c[strings.ToLower(name)], nil
}

type bundle struct {
	cls *intent.Offline
	now time.Time
	loc *time.Location
}

func setup(t *testing.T) bundle {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Istanbul")
	require.NoError(t, err)
	c := contacts{
		"sarah":      {{Name: "Sarah Fleming", Email: "sarah.fleming@example.com"}},
		"bob":        {{Name: "Bob", Email: "bob@example.com"}},
		"john":       {{Name: "John Smith", Email: "john.smith@example.com"}, {Name: "John Doe", Email: "jdoe@example.com"}},
		"team":       {{Email: "outlook.team@example.com"}},
		"priya nair": {{Email: "priya.nair@example.com"}, {Name: "Priya Nairobi", Email: "pn@example.com"}},
		"4":          {{Email: "team.4@example.com"}},
		"address":    {{Email: "no.address@example.com"}},
		"acme air":   {{Name: "Acme Air", Email: "noreply@acmeair.example"}},
		"tori wells": {{Name: "Tori L Wells", Email: "tori.wells@example.com"}, {Name: "Wells, Tori L.", Email: "l..wells@example.com"}},
		"tom": {{Email: "tom.a@example.com"}, {Email: "tom.b@example.com"}, {Email: "tom.c@example.com"},
			{Email: "tom.d@example.com"}, {Email: "tom.e@example.com"}},
	}
	return bundle{cls: intent.NewOffline(c), now: time.Date(2026, 6, 17, 14, 30, 0, 0, loc), loc: loc}
}

func (b bundle) classify(t *testing.T, q string, cc intent.ConversationContext) intent.Intent {
	t.Helper()
	in, err := b.cls.Classify(context.Background(), intent.Request{Query: q, UserID: uuid.New(), Now: b.now, Location: b.loc, Context: cc})
	require.NoError(t, err)
	require.NoError(t, intent.Validate(in))
	return in
}

// shape renders steps as "id:service.op<deps[!]" for compact expectations.
func shape(in intent.Intent) string {
	var parts []string
	for _, s := range in.Steps {
		p := fmt.Sprintf("%s:%s.%s", s.ID, s.Service, s.Operation)
		if len(s.DependsOn) > 0 {
			p += "<" + strings.Join(s.DependsOn, ",")
		}
		if s.SideEffect {
			p += "!"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " ")
}

func TestOfflineClassify(t *testing.T) {
	t.Parallel()
	b := setup(t)
	tests := []struct {
		q      string
		shape  string
		params map[string]any // params of the last step that must match
	}{
		{"emails from Sarah about the budget last week", "s1:gmail.search",
			map[string]any{"query": "budget", "from": []string{"sarah.fleming@example.com"}, "after": "2026-06-08T00:00:00+03:00", "before": "2026-06-15T00:00:00+03:00"}},
		{"what meetings do I have tomorrow?", "s1:calendar.search",
			map[string]any{"after": "2026-06-18T00:00:00+03:00", "before": "2026-06-19T00:00:00+03:00"}},
		{"find the KEP about sidecar containers", "s1:drive.search", map[string]any{"query": "sidecar containers"}},
		{"is there a KEP numbered 0427?", "s1:drive.search", map[string]any{"query": "KEP-427"}},
		{"find my docs about sidecar containers", "s1:drive.search", map[string]any{"query": "sidecar containers"}},
		{"audit meeting with Dynegy about Enron", "s1:gmail.search s2:calendar.search", map[string]any{"query": "audit Dynegy Enron"}},
		{"shareholder saying lay it on the line", "s1:gmail.search s2:calendar.search s3:drive.search",
			map[string]any{"query": "shareholder lay line"}},
		{"budget numbers in June 2001", "s1:gmail.search s2:calendar.search s3:drive.search",
			map[string]any{"after": "2001-06-01T00:00:00+03:00"}},
		{"emails and files about the Q3 launch", "s1:gmail.search s2:drive.search", map[string]any{"query": "Q3 launch"}},
		{"read the latest email from Bob", "s1:gmail.search s2:gmail.read<s1", nil},
		{"draft an email to Bob about the offsite", "s1:gmail.draft",
			map[string]any{"to": []string{"bob@example.com"}, "subject": "Offsite"}},
		{"email Sarah the KEP about sidecar containers", "s1:drive.search s2:gmail.draft<s1 s3:gmail.send<s2!", nil},
		{"schedule a meeting with Bob tomorrow at 3pm for 45 minutes", "s1:calendar.create!",
			map[string]any{"start": "2026-06-18T15:00:00+03:00", "end": "2026-06-18T15:45:00+03:00", "timeZone": "Europe/Istanbul",
				"attendees": []string{"bob@example.com"}, "title": "Meeting with Bob", "durationMinutes": 45}},
		{"move my meeting with Bob to 4pm", "s1:calendar.search s2:calendar.update<s1!", map[string]any{"clock": "16:00"}},
		{"cancel my Turkish Airlines flight", "s1:gmail.search s2:calendar.search<s1 s3:calendar.delete<s2!", nil},
		{"share the Q3 report with Bob", "s1:drive.search s2:drive.share<s1!", map[string]any{"to": []string{"bob@example.com"}, "role": "reader"}},
		{"share the Q3 report with Bob so he can edit", "s1:drive.search s2:drive.share<s1!", map[string]any{"role": "writer"}},
		{"reply to Sarah saying I'll be late", "s1:gmail.search s2:gmail.draft<s1 s3:gmail.send<s2!", nil},
		{"forward the invoice to Bob", "s1:gmail.search s2:gmail.draft<s1 s3:gmail.send<s2!", nil},
		{"did anyone email me about the audit yesterday", "s1:gmail.search", map[string]any{"query": "audit"}},
		{"Did Sarah send me anything about the offsite?", "s1:gmail.search",
			map[string]any{"query": "offsite", "from": []string{"sarah.fleming@example.com"}}},
		{"do I have anything tomorrow afternoon?", "s1:calendar.search",
			map[string]any{"after": "2026-06-18T12:00:00+03:00", "before": "2026-06-18T18:00:00+03:00"}},
		{"why did Sarah cancel the budget review meeting?", "s1:gmail.search s2:calendar.search", map[string]any{"query": "budget review"}},
		{"what does the Q3 report say?", "s1:drive.search s2:drive.read<s1", nil},
		{"what does the Q3 report say about margins?", "s1:drive.search s2:drive.read<s1", nil},
		{"unread emails with attachments since Monday", "s1:gmail.search",
			map[string]any{"unread": true, "hasAttachment": true, "after": "2026-06-15T00:00:00+03:00"}},
		// Compound requests: each part keeps its own dates and people.
		{"what's on my calendar tomorrow and any emails from Sarah", "s1:calendar.search s2:gmail.search",
			map[string]any{"from": []string{"sarah.fleming@example.com"}, "after": nil, "before": nil}},
		{"draft an email to Bob about the offsite and show my meetings next week", "s1:gmail.draft s2:calendar.search",
			map[string]any{"after": "2026-06-22T00:00:00+03:00", "before": "2026-06-29T00:00:00+03:00"}},
		{"emails from Sarah about the budget; then share the Q3 report with Bob", "s1:gmail.search s2:drive.search s3:drive.share<s2!",
			map[string]any{"to": []string{"bob@example.com"}}},
		// A message about what another part acts on is about its topic.
		{"cancel the budget review and email Bob about it", "s1:calendar.search s2:calendar.delete<s1! s3:gmail.draft s4:gmail.send<s3!",
			map[string]any{}},
		// ...but not a part that refers back to the one before it.
		{"find the Q3 report and share it with Bob", "s1:drive.search s2:drive.share<s1!", nil},
		// Names keep their words ("Docs" is no stop word in "SIG Docs", nor names Drive there).
		{"SIG Docs meetings next week", "s1:calendar.search", map[string]any{"query": "SIG Docs"}},
		{"find my Google Docs about the budget", "s1:drive.search", map[string]any{"query": "budget"}},
		{"send Sarah a note saying I'll be late", "s1:gmail.draft s2:gmail.send<s1!", nil},
		{"email Bob about the offsite next week", "s1:gmail.draft s2:gmail.send<s1!", nil},
		// A part of a day without a clock time starts at its usual hour.
		{"set up a call with Bob tomorrow morning", "s1:calendar.create!",
			map[string]any{"start": "2026-06-18T09:00:00+03:00", "end": "2026-06-18T09:30:00+03:00"}},
		{"block 2 hours for focus time on Friday afternoon", "s1:calendar.create!",
			map[string]any{"start": "2026-06-19T14:00:00+03:00", "end": "2026-06-19T16:00:00+03:00"}},
		// A name given outright is the title, and names no one.
		{"create an event called Team offsite on June 20 from 9am to 5pm", "s1:calendar.create!",
			map[string]any{"title": "Team offsite", "start": "2026-06-20T09:00:00+03:00", "end": "2026-06-20T17:00:00+03:00", "attendees": nil}},
		{"schedule a meeting called Budget Review with Bob tomorrow at 3pm", "s1:calendar.create!",
			map[string]any{"title": "Budget Review", "attendees": []string{"bob@example.com"}}},
		// A move: the date before "to" finds the event, the time after it is where it goes.
		{"move the budget review on Thursday to 11am", "s1:calendar.search s2:calendar.update<s1!", map[string]any{"clock": "11:00"}},
		// A part nothing can serve is declined; the rest is served.
		{"what's the weather and what's on my calendar tomorrow", "s1:calendar.search", nil},
		// A part that refers back acts on what the part before found.
		{"look up the pod security KEP and mail it to ann@example.org", "s1:drive.search s2:gmail.draft<s1 s3:gmail.send<s2!",
			map[string]any{}},
		{"get the newest email from Sarah then send it on to bob@example.com", "s1:gmail.search s2:gmail.draft<s1 s3:gmail.send<s2!",
			map[string]any{}},
		{"read the checkpointing proposal and share it with ann@example.org as an editor", "s1:drive.search s2:drive.read<s1 s3:drive.share<s2!",
			map[string]any{"to": []string{"ann@example.org"}, "role": "writer"}},
		{"find tomorrow's design review and push it to 4pm", "s1:calendar.search s2:calendar.update<s1!", map[string]any{"clock": "16:00"}},
		{"find the newest mail from Sarah and reply saying count me in", "s1:gmail.search s2:gmail.draft<s1 s3:gmail.send<s2!",
			map[string]any{}},
		{"look up the runbook and forward it to bob@example.com", "s1:drive.search s2:gmail.draft<s1 s3:gmail.send<s2!", map[string]any{}},
		// A question about a change orders none.
		{"did Sarah move the budget review?", "s1:gmail.search s2:calendar.search s3:drive.search", nil},
		// A part naming only other items shares the first part's command and keeps its own date.
		{"show unread mail from Sarah and my meetings on Thursday", "s1:gmail.search s2:calendar.search",
			map[string]any{"after": "2026-06-18T00:00:00+03:00", "before": "2026-06-19T00:00:00+03:00"}},
		// A message with nothing of its own to say tells of the action before it.
		{"call off tomorrow's design review and tell ann@example.org", "s1:calendar.search s2:calendar.delete<s1! s3:gmail.draft s4:gmail.send<s3!",
			map[string]any{}},
		// Titles run whole: quoted, given outright up to the date, or as the tagger began them.
		{"add a “Hiring panel prep” to my calendar tomorrow at 9am", "s1:calendar.create!", map[string]any{"title": "Hiring panel prep"}},
		{"set up an event named Release sync 42 Thursday at 11am", "s1:calendar.create!", map[string]any{"title": "Release sync 42"}},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			t.Parallel()
			in := b.classify(t, tt.q, intent.ConversationContext{})
			require.Empty(t, in.Clarification)
			require.Equal(t, tt.shape, shape(in))
			last := in.Steps[len(in.Steps)-1]
			for k, v := range tt.params {
				require.Equal(t, v, last.Params[k], "param %s", k)
			}
		})
	}
}

func TestOfflineFindsWhatTheRequestIsAbout(t *testing.T) {
	t.Parallel()
	b := setup(t)
	// What a meeting discussed runs on past where the tagger stops.
	in := b.classify(t, "which SIG Apps meetings covered the release blockers for version 1.30", intent.ConversationContext{})
	require.Contains(t, in.Steps[0].Params.String(intent.ParamQuery), "release blockers")
	require.Contains(t, in.Steps[0].Params.String(intent.ParamQuery), "1.30")
	// One weekday is one day for every service a request names.
	in = b.classify(t, "mail and meetings about the audit on Friday", intent.ConversationContext{})
	require.Len(t, in.Steps, 2)
	require.Equal(t, in.Steps[0].Params[intent.ParamAfter], in.Steps[1].Params[intent.ParamAfter])
	// A number is nobody, whatever address holds it.
	in = b.classify(t, "who came to the mentoring session with 4 pairs of mentees", intent.ConversationContext{})
	require.Empty(t, in.Entities.People)
	// A topic in "my calendar" is searched whenever it was.
	in = b.classify(t, "look in my calendar for anything about etcd", intent.ConversationContext{})
	require.Equal(t, "s1:calendar.search", shape(in))
	require.Nil(t, in.Steps[0].Params[intent.ParamAfter])
	// Naming a thing to read, with nothing shown yet, is a search for it.
	in = b.classify(t, "bring up the latest Globex quarterly summary", intent.ConversationContext{})
	require.Empty(t, in.Clarification)
	require.NotEmpty(t, in.Steps)
	// Preparing for "my next meeting" searches mail and files for what it is about.
	in = b.classify(t, "prep me for my next meeting", intent.ConversationContext{})
	require.Equal(t, "s1:calendar.search s2:gmail.search<s1 s3:drive.search<s1", shape(in))
	require.Nil(t, in.Steps[1].Params[intent.ParamQuery])
	// Someone's email: they sent it; the rest is what it is about.
	in = b.classify(t, "answer Bob's offsite email saying count me in", intent.ConversationContext{})
	require.Equal(t, "s1:gmail.search s2:gmail.draft<s1 s3:gmail.send<s2!", shape(in))
	require.Equal(t, []string{"bob@example.com"}, in.Steps[0].Params[intent.ParamFrom])
	require.Equal(t, "offsite", in.Steps[0].Params[intent.ParamQuery])
}

func TestOfflineDraftsSayWhatTheMailIsFor(t *testing.T) {
	t.Parallel()
	b := setup(t)
	draftOf := func(in intent.Intent) intent.Params {
		for _, s := range in.Steps {
			if s.Operation == intent.OpDraft {
				return s.Params
			}
		}
		t.Fatalf("no draft in %s", shape(in))
		return nil
	}
	d := draftOf(b.classify(t, "compose a mail to Bob thanking him for the quick turnaround", intent.ConversationContext{}))
	require.Equal(t, "Thank you for the quick turnaround.", d.String(intent.ParamBody))
	d = draftOf(b.classify(t, "write to Sarah asking her to review the contract by Friday", intent.ConversationContext{}))
	require.Equal(t, "Could you review the contract by Friday?", d.String(intent.ParamBody))
	d = draftOf(b.classify(t, "move the vendor call to Thursday at 10am and let Bob know", intent.ConversationContext{}))
	require.Equal(t, "I'm moving the vendor call to Thursday at 10am.", d.String(intent.ParamBody))
	// A file sent on is linked; its title is the subject, never a stray word.
	d = draftOf(b.classify(t, "find the onboarding guide and send it to Bob", intent.ConversationContext{}))
	require.Empty(t, d.String(intent.ParamSubject))
}

func TestOfflineMoveFindsTheEventByTheDateBeforeTo(t *testing.T) {
	t.Parallel()
	b := setup(t)
	in := b.classify(t, "move the budget review on Thursday to 11am", intent.ConversationContext{})
	require.Equal(t, "2026-06-18T00:00:00+03:00", in.Steps[0].Params["after"], "Thursday is when the event is")
	require.Equal(t, "2026-06-19T00:00:00+03:00", in.Steps[0].Params["before"])
	require.Equal(t, "budget review", in.Steps[0].Params["query"])
	in = b.classify(t, "email Bob about the offsite next week", intent.ConversationContext{})
	require.Equal(t, "Offsite", in.Steps[0].Params["subject"], "the date is not the subject")
}

func TestOfflineDeclinesWhatItCannotServeOfACompoundRequest(t *testing.T) {
	t.Parallel()
	b := setup(t)
	in := b.classify(t, "what's the weather and what's on my calendar tomorrow", intent.ConversationContext{})
	require.Equal(t, []string{"what's the weather"}, in.Declined)
	require.Empty(t, in.Unsupported)
	in = b.classify(t, "what's the weather and tell me a joke", intent.ConversationContext{})
	require.Empty(t, in.Steps)
	require.NotEmpty(t, in.Unsupported, "when no part can be served, the whole is refused")
}

func TestOfflineKeepsTheCountOfOnePartOfACompoundRequest(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, q := range []string{
		"show my meetings tomorrow and how many emails did Bob send me",
		"count the emails Alice sent me and show my meetings next week",
	} {
		in := b.classify(t, q, intent.ConversationContext{})
		var counted []domain.Service
		for _, s := range in.Steps {
			if s.Params.String(intent.ParamQuestion) == string(intent.QuestionCount) {
				counted = append(counted, s.Service)
			}
		}
		require.Equal(t, []domain.Service{domain.ServiceGmail}, counted, "%s: %+v", q, in.Steps)
	}
}

func TestOfflineClarifiesAndRefuses(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for q, want := range map[string]string{
		"show my meetings tomorrow and email John about lunch": "Which John",
		"send it":                            "Nothing has been shown in this conversation yet",
		"show me the second one":             "Nothing has been shown in this conversation yet",
		"schedule a meeting with Bob":        "When should it be",
		"schedule a meeting with Bob Friday": "What time",
		"email John about lunch":             "Which John",
		"email Tom about lunch":              "Which Tom do you mean: tom.a@example.com, tom.b@example.com, tom.c@example.com, or one of 2 others?",
		"email Zed about lunch":              "couldn't find an address for Zed",
		"share the Q3 report":                "Who should I share it with",
		// A move of "my meeting" says neither which nor when it is now.
		"reschedule my call to Monday": "Which meeting should I move",
	} {
		in := b.classify(t, q, intent.ConversationContext{})
		require.Empty(t, in.Steps, q)
		require.Contains(t, in.Clarification, want, q)
		require.Less(t, in.Confidence, 0.5)
	}
	for _, q := range []string{"hello", "cool", "okay", "thanks!"} {
		in := b.classify(t, q, intent.ConversationContext{})
		require.Empty(t, in.Steps, q)
		require.Equal(t, intent.QuestionSmallTalk, in.Question, q)
		require.NotEmpty(t, in.Reply, q)
	}
	for _, q := range []string{"what's the weather?", "tell me a joke", "delete the email from Bob",
		"star all the messages from Sarah", "stream the replay of the design review", "mark those as unread"} {
		in := b.classify(t, q, intent.ConversationContext{})
		require.Empty(t, in.Steps, q)
		require.NotEmpty(t, in.Unsupported, q)
	}
}

func TestOfflineFollowUps(t *testing.T) {
	t.Parallel()
	b := setup(t)
	evStart := time.Date(2026, 6, 18, 10, 0, 0, 0, b.loc)
	cc := intent.ConversationContext{Turns: []intent.Turn{{
		Query: "emails from Sarah last week",
		Intent: intent.Intent{Steps: []intent.Step{{ID: "s1", Service: domain.ServiceGmail, Operation: intent.OpSearch,
			Params: intent.Params{"from": []string{"sarah.fleming@example.com"}, "query": "budget", "after": "2026-06-08T00:00:00+03:00"}}}},
		Items: []intent.ItemRef{
			{Service: domain.ServiceGmail, Kind: "email", ID: "m1", Title: "Budget v1"},
			{Service: domain.ServiceGmail, Kind: "email", ID: "m2", Title: "Budget v2"},
			{Service: domain.ServiceCalendar, Kind: "event", ID: "e1", CalendarID: "primary", Title: "Budget review", At: evStart, End: evStart.Add(time.Hour)},
			{Service: domain.ServiceGmail, Kind: "draft", ID: "d1", Title: "Re: Budget"},
		},
	}}}

	// A full name a contact bears is a person, even where the tagger saw a topic.
	in := b.classify(t, "and what about Priya Nair?", cc)
	require.Equal(t, "s1:gmail.search", shape(in))
	require.Contains(t, in.Steps[0].Params.Strings(intent.ParamFrom), "priya.nair@example.com")

	in = b.classify(t, "open the second one", cc)
	require.Equal(t, "s1:gmail.read", shape(in))
	require.Equal(t, "m2", in.Steps[0].Params[intent.ParamItemID])

	in = b.classify(t, "send it", cc)
	require.Equal(t, "s1:gmail.send!", shape(in))
	require.Equal(t, "d1", in.Steps[0].Params[intent.ParamDraftID])

	in = b.classify(t, "move it to 4pm", cc)
	require.Equal(t, "s1:calendar.update!", shape(in))
	require.Equal(t, "e1", in.Steps[0].Params[intent.ParamItemID])
	require.Equal(t, "2026-06-18T16:00:00+03:00", in.Steps[0].Params[intent.ParamStart])
	require.Equal(t, "2026-06-18T17:00:00+03:00", in.Steps[0].Params[intent.ParamEnd])

	in = b.classify(t, "what about last month?", cc)
	require.Equal(t, "s1:gmail.search", shape(in))
	require.Equal(t, "budget", in.Steps[0].Params[intent.ParamQuery])
	require.Equal(t, "2026-05-01T00:00:00+03:00", in.Steps[0].Params[intent.ParamAfter])
	require.Equal(t, "2026-06-01T00:00:00+03:00", in.Steps[0].Params[intent.ParamBefore])

	in = b.classify(t, "the fifth one", cc)
	require.Empty(t, in.Steps)
	require.Contains(t, in.Clarification, "only showed 4")

	// Approval of a draft whose sending is already proposed runs nothing: only
	// the proposal's own confirmation sends it.
	proposed := cc
	proposed.Turns = []intent.Turn{cc.Turns[0]}
	proposed.Turns[0].Actions = []intent.ActionRef{{ID: "a1", Kind: "send_email", Service: domain.ServiceGmail, Summary: "Send the draft \"Re: Budget\"", Targets: []string{"d1"}, Status: "PROPOSED"}}
	for _, q := range []string{"looks good", "great, go ahead"} {
		in = b.classify(t, q, proposed)
		require.Empty(t, in.Steps, q)
		require.Contains(t, in.Reply, "confirm the proposed action", q)
	}
}

func TestIntentJSON(t *testing.T) {
	t.Parallel()
	b := setup(t)
	in := b.classify(t, "cancel my Turkish Airlines flight", intent.ConversationContext{})
	raw, err := json.Marshal(in)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw, &m))
	for _, k := range []string{"services", "steps", "entities", "confidence"} {
		require.Contains(t, m, k)
	}
	step := m["steps"].([]any)[2].(map[string]any)
	for _, k := range []string{"id", "service", "operation", "params", "dependsOn", "sideEffect"} {
		require.Contains(t, step, k)
	}
	back, err := intent.Decode(raw)
	require.NoError(t, err)
	require.Equal(t, shape(in), shape(back))
	require.Contains(t, in.Entities.Organisations, "Turkish Airlines")
}

func TestDecodeRejects(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct{ json, want string }{
		"unknown service":   {`{"steps":[{"id":"s1","service":"slack","operation":"search"}],"confidence":1}`, "unknown service"},
		"unknown operation": {`{"steps":[{"id":"s1","service":"gmail","operation":"archive"}],"confidence":1}`, "unknown operation"},
		"unsupported op":    {`{"steps":[{"id":"s1","service":"drive","operation":"send"}],"confidence":1}`, "drive cannot send"},
		"duplicate id":      {`{"steps":[{"id":"s1","service":"gmail","operation":"search"},{"id":"s1","service":"drive","operation":"search"}],"confidence":1}`, "used twice"},
		"missing dep":       {`{"steps":[{"id":"s1","service":"gmail","operation":"read","dependsOn":["s0"]}],"confidence":1}`, "missing step"},
		"not json":          {`{"steps":`, "decode intent"},
		"unknown field":     {`{"steps":[],"mood":"happy"}`, "unknown field"},
		"confidence":        {`{"steps":[],"confidence":7}`, "confidence"},
	} {
		_, err := intent.Decode([]byte(tc.json))
		require.ErrorIs(t, err, domain.ErrInvalidInput, name)
		require.ErrorContains(t, err, tc.want, name)
	}
	// A model cannot mark a delete harmless.
	in, err := intent.Decode([]byte(`{"steps":[{"id":"s1","service":"calendar","operation":"delete","params":{"itemId":"e1"},"sideEffect":false}],"confidence":0.9}`))
	require.NoError(t, err)
	require.True(t, in.Steps[0].SideEffect)
	require.Equal(t, []domain.Service{domain.ServiceCalendar}, in.Services)
}

func TestBuildPrompt(t *testing.T) {
	t.Parallel()
	b := setup(t)
	p := intent.BuildPrompt(intent.Request{Query: "send it", Now: b.now, Location: b.loc, Context: intent.ConversationContext{
		Turns: []intent.Turn{{Query: "draft a mail to Bob", Items: []intent.ItemRef{{Service: domain.ServiceGmail, Kind: "draft", ID: "d1"}}}},
	}}, intent.Entities{})
	require.Equal(t, "send it", p.User)
	require.NotContains(t, p.System, "resolved in the person's own mail")

	// The model plans from the people, dates and words the offline reading resolved.
	r := intent.Request{Query: "emails from Sarah about the budget last week", UserID: uuid.New(), Now: b.now, Location: b.loc}
	ent, err := b.cls.Resolve(context.Background(), r)
	require.NoError(t, err)
	withEnt := intent.BuildPrompt(r, ent)
	require.Contains(t, withEnt.System, `"Email":"sarah.fleming@example.com"`)
	require.Contains(t, withEnt.System, `"topics":["budget"]`)
	require.Contains(t, withEnt.System, `"start":"2026-06-08T00:00:00+03:00"`)
	require.Contains(t, p.System, "2026-06-17T14:30:00+03:00 (Wednesday), time zone Europe/Istanbul")
	require.Contains(t, p.System, `"id":"d1"`)
	require.Contains(t, p.System, `"dependsOn"`)
}

func BenchmarkOfflineClassify(b *testing.B) {
	loc, err := time.LoadLocation("Europe/Istanbul")
	require.NoError(b, err)
	cls := intent.NewOffline(contacts{"sarah": {{Name: "Sarah Fleming", Email: "sarah.fleming@example.com"}}})
	r := intent.Request{Query: "emails from Sarah about the budget last week", UserID: uuid.New(),
		Now: time.Date(2026, 6, 17, 14, 30, 0, 0, loc), Location: loc}
	for b.Loop() {
		if _, err := cls.Classify(context.Background(), r); err != nil {
			b.Fatal(err)
		}
	}
}

// A correction of a proposed cancel never proposes the cancel again: "it" is
// the event the proposal acted on, and the move is what is proposed.
func TestOfflineCorrectionNeverProposesTheNegatedAction(t *testing.T) {
	t.Parallel()
	b := setup(t)
	evStart := time.Date(2026, 6, 18, 10, 0, 0, 0, b.loc)
	cc := intent.ConversationContext{Turns: []intent.Turn{{
		Query: "cancel the budget review",
		Intent: intent.Intent{Steps: []intent.Step{
			{ID: "s1", Service: domain.ServiceCalendar, Operation: intent.OpSearch, Params: intent.Params{"query": "budget review"}},
			{ID: "s2", Service: domain.ServiceCalendar, Operation: intent.OpDelete, DependsOn: []string{"s1"}}}},
		Items: []intent.ItemRef{
			{Service: domain.ServiceCalendar, Kind: "event", ID: "e0", CalendarID: "primary", Title: "Budget prep", At: evStart.Add(-time.Hour), End: evStart},
			{Service: domain.ServiceCalendar, Kind: "event", ID: "e1", CalendarID: "primary", Title: "Budget review", At: evStart, End: evStart.Add(time.Hour)},
		},
		Actions: []intent.ActionRef{{ID: "s2-a1", Kind: "DELETE_EVENT", Service: domain.ServiceCalendar, Summary: "cancel Budget review", Targets: []string{"e1"}, Status: "PROPOSED"}},
	}}}
	for q, start := range map[string]string{
		"actually don't cancel it, move it to Thursday at 10am instead": "2026-06-18T10:00:00+03:00",
		"Actually keep it, just move it an hour later.":                 "2026-06-18T11:00:00+03:00",
		"don't cancel it, push it to 4pm":                               "2026-06-18T16:00:00+03:00",
	} {
		in := b.classify(t, q, cc)
		require.Equal(t, "s1:calendar.update!", shape(in), q)
		require.Equal(t, "e1", in.Steps[0].Params[intent.ParamItemID], q)
		require.Equal(t, start, in.Steps[0].Params[intent.ParamStart], q)
		require.NotContains(t, in.Operations, intent.OpDelete, q)
	}
	for _, q := range []string{"yes", "looks good", "no, don't"} {
		in := b.classify(t, q, cc)
		require.Empty(t, in.Steps, "%q confirms nothing by itself", q)
		require.Contains(t, in.Reply, "cancel Budget review", q)
	}
}

// BenchmarkOfflineClassifyP99 classifies varied requests (searches,
// actions, compounds, follow-ups) and reports the 99th percentile.
func BenchmarkOfflineClassifyP99(b *testing.B) {
	loc, err := time.LoadLocation("Europe/Istanbul")
	require.NoError(b, err)
	cls := intent.NewOffline(contacts{"sarah": {{Name: "Sarah Fleming", Email: "sarah.fleming@example.com"}}, "bob": {{Name: "Bob", Email: "bob@example.com"}}})
	now := time.Date(2026, 6, 17, 14, 30, 0, 0, loc)
	queries := []string{
		"emails from Sarah about the budget last week", "what's on my calendar next Tuesday?", "summarize the Q3 report",
		"cancel the next budget review and email Bob about it", "share KEP-2400 with bob@example.com as a viewer",
		"move my weekly sync with Bob to Thursday at 10am", "how many meetings do I have next week?", "am I free Friday at 4pm?",
		"draft a thank-you note to Bob for the offsite", "what's the weather tomorrow?", "thanks!",
		"look through my drive and calendar for anything about cgroup v2",
	}
	var took []time.Duration
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if _, err := cls.Classify(context.Background(), intent.Request{Query: queries[i%len(queries)], UserID: uuid.New(), Now: now, Location: loc}); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)*99/100])/float64(time.Millisecond), "p99-ms")
}

// library is an address book that also knows the user's Drive folders and
// file owners (intent.Directory).
type library struct {
	contacts
	folders, owners []string
}

func (l library) Directory(context.Context, uuid.UUID) ([]string, []string, error) {
	return l.folders, l.owners, nil
}

func TestOfflineReadsDriveFoldersAndOwners(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.cls = intent.NewOffline(library{contacts: contacts{}, folders: []string{"wg-batch", "sig-storage"},
		owners: []string{"msau42@users.noreply.github.com", "alice@example.com"}})
	for q, want := range map[string]intent.Params{
		"list the proposals under wg-batch":              {"folders": []string{"wg-batch"}},
		"docs in the SIG Storage folder about snapshots": {"folders": []string{"sig-storage"}, "query": "snapshots"},
		"which KEPs has msau42 written?":                 {"owners": []string{"msau42@users.noreply.github.com"}},
		"KEPs where msau42 is an author":                 {"owners": []string{"msau42@users.noreply.github.com"}},
		"find the storage capacity KEP":                  {"query": "storage capacity KEP"}, // a word of a folder is no folder
		"proposals authored by msau42 in wg-batch":       {"folders": []string{"wg-batch"}, "owners": []string{"msau42@users.noreply.github.com"}},
		"what's inside the wg-batch folder?":             {"folders": []string{"wg-batch"}}, // a folder is listed, not read
		"show me everything in the sig-storage folder":   {"folders": []string{"sig-storage"}},
	} {
		in := b.classify(t, q, intent.ConversationContext{})
		require.Equal(t, "s1:drive.search", shape(in), q)
		for _, k := range []string{"folders", "owners", "query"} {
			require.Equal(t, want[k], in.Steps[0].Params[k], "%s: %s", q, k)
		}
	}
}

func TestOfflineAsksAboutWhatWasShown(t *testing.T) {
	t.Parallel()
	b := setup(t)
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, b.loc)
	cc := intent.ConversationContext{Turns: []intent.Turn{{
		Query: "proposals in wg-batch",
		Intent: intent.Intent{Steps: []intent.Step{{ID: "s1", Service: domain.ServiceDrive, Operation: intent.OpSearch,
			Params: intent.Params{"folders": []string{"wg-batch"}}}}},
		Items: []intent.ItemRef{
			{Service: domain.ServiceDrive, Kind: "file", ID: "f1", Title: "Job API", At: at},
			{Service: domain.ServiceDrive, Kind: "file", ID: "f2", Title: "Queueing", At: at.AddDate(0, 1, 0)},
		},
	}}}
	in := b.classify(t, "and how many is that in total?", cc)
	require.Equal(t, "s1:drive.search", shape(in))
	require.Equal(t, intent.QuestionCount, in.Question)
	require.Equal(t, []string{"wg-batch"}, in.Steps[0].Params["folders"])

	in = b.classify(t, "how many are there?", cc)
	require.Equal(t, "s1:drive.search", shape(in))
	require.Equal(t, intent.QuestionCount, in.Question)

	in = b.classify(t, "which one was modified most recently?", cc)
	require.Equal(t, "s1:drive.search", shape(in))
	require.Equal(t, string(intent.OrderNewest), in.Steps[0].Params[intent.ParamOrder])

	in = b.classify(t, "who wrote the second one?", cc)
	require.Equal(t, "s1:drive.read", shape(in))
	require.Equal(t, intent.QuestionWho, in.Question, "the owners are the answer, not the text")

	in = b.classify(t, "how many emails did Bob send me?", cc)
	require.Equal(t, "s1:gmail.search", shape(in), "a question naming what it counts is a search of its own")
}

func TestOfflineTopicsAndPlaces(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.cls = intent.NewOffline(contacts{"bob": {{Name: "Bob", Email: "bob@example.com"}}, "brazil": {{Email: "brazilsummit@example.org"}}})
	for _, tt := range []struct {
		q, shape, query string
	}{
		// The topic runs on over words the tagger never saw.
		{"what did Bob say about hiring his replacement?", "s1:gmail.search s2:gmail.read<s1", "hiring his replacement"},
		{"mail from Bob about the quarterly hedging memo", "s1:gmail.search", "quarterly hedging memo"},
		// A capitalised word after "in" is a place, whatever address begins so.
		{"any mail about the wind farm deal in Brazil?", "s1:gmail.search", "wind farm deal"},
		// An acronym the tagger leaves out is searched for; the kind asked for is not.
		{"any mail from Bob about the NDA terms?", "s1:gmail.search", "NDA"},
		{"which SIG owns the pod overhead proposal?", "s1:drive.search", "pod overhead"},
		// "what does X say about Y" finds X; Y is read from it.
		{"what does the pod quota KEP say about limits?", "s1:drive.search s2:drive.read<s1", "pod quota"},
		{"what does KEP 0427 say about rollback?", "s1:drive.search s2:drive.read<s1", "KEP-427"},
		// "what is X about" reads X.
		{"what is the sidecar containers proposal about?", "s1:drive.search s2:drive.read<s1", ""},
	} {
		in := b.classify(t, tt.q, intent.ConversationContext{})
		require.Equal(t, tt.shape, shape(in), tt.q)
		if tt.query != "" {
			require.True(t, strings.HasPrefix(in.Steps[0].Params.String(intent.ParamQuery), tt.query), "%s: %v", tt.q, in.Steps[0].Params)
		}
		if strings.Contains(tt.q, "say about") {
			require.Equal(t, tt.query, in.Steps[0].Params[intent.ParamQuery], tt.q)
		}
		if strings.Contains(tt.q, "Brazil") {
			require.Nil(t, in.Steps[0].Params[intent.ParamFrom], tt.q)
		}
	}
}

func TestOfflineWhatAboutSomeoneElse(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.cls = intent.NewOffline(contacts{"mirela kovac": {{Name: "Mirela Kovac", Email: "mirela.kovac@example.com"}}})
	cc := intent.ConversationContext{Turns: []intent.Turn{{
		Query: "mail from Sarah",
		Intent: intent.Intent{Steps: []intent.Step{{ID: "s1", Service: domain.ServiceGmail, Operation: intent.OpSearch,
			Params: intent.Params{"from": []string{"sarah.fleming@example.com"}}}}},
		Items: []intent.ItemRef{{Service: domain.ServiceGmail, Kind: "email", ID: "m1", Title: "Budget v1"}},
	}}}
	in := b.classify(t, "what about Mirela Kovac?", cc)
	require.Equal(t, "s1:gmail.search", shape(in))
	require.Equal(t, []string{"mirela.kovac@example.com"}, in.Steps[0].Params.Strings(intent.ParamFrom))
	require.Empty(t, in.Steps[0].Params.String(intent.ParamQuery))
}

// A follow-up naming a window relative to the one shown shifts that window
// and keeps the earlier search's services and filters.
func TestOfflineFollowUpShiftsWindow(t *testing.T) {
	t.Parallel()
	b := setup(t)
	day := intent.ConversationContext{Turns: []intent.Turn{{
		Query: "meetings with Bob on Friday",
		Intent: intent.Intent{Steps: []intent.Step{
			{ID: "s1", Service: domain.ServiceCalendar, Operation: intent.OpSearch,
				Params: intent.Params{"attendees": []string{"bob@example.com"}, "after": "2026-06-19T00:00:00+03:00", "before": "2026-06-20T00:00:00+03:00"}},
			{ID: "s2", Service: domain.ServiceGmail, Operation: intent.OpSearch,
				Params: intent.Params{"from": []string{"bob@example.com"}, "after": "2026-06-19T00:00:00+03:00", "before": "2026-06-20T00:00:00+03:00"}},
		}},
	}}}
	for _, c := range []struct{ q, after, before string }{
		{"and the day after?", "2026-06-20", "2026-06-21"},
		{"what about the following day", "2026-06-20", "2026-06-21"},
		{"and the day before that?", "2026-06-18", "2026-06-19"},
		{"how about a week later?", "2026-06-20", "2026-06-27"},
	} {
		in := b.classify(t, c.q, day)
		require.Equal(t, "s1:calendar.search s2:gmail.search", shape(in), c.q)
		for _, s := range in.Steps {
			require.Equal(t, c.after+"T00:00:00+03:00", s.Params[intent.ParamAfter], c.q)
			require.Equal(t, c.before+"T00:00:00+03:00", s.Params[intent.ParamBefore], c.q)
			require.Nil(t, s.Params[intent.ParamQuery], c.q)
		}
		require.Equal(t, []string{"bob@example.com"}, in.Steps[0].Params.Strings(intent.ParamAttendees), c.q)
	}
	week := intent.ConversationContext{Turns: []intent.Turn{{
		Query: "what's on next week",
		Intent: intent.Intent{Steps: []intent.Step{{ID: "s1", Service: domain.ServiceCalendar, Operation: intent.OpSearch,
			Params: intent.Params{"after": "2026-06-22T00:00:00+03:00", "before": "2026-06-29T00:00:00+03:00"}}}},
	}}}
	in := b.classify(t, "and the week after that?", week)
	require.Equal(t, "2026-06-29T00:00:00+03:00", in.Steps[0].Params[intent.ParamAfter])
	require.Equal(t, "2026-07-06T00:00:00+03:00", in.Steps[0].Params[intent.ParamBefore])
	in = b.classify(t, "what about tomorrow?", week)
	require.Equal(t, "2026-06-18T00:00:00+03:00", in.Steps[0].Params[intent.ParamAfter])
}

// Sharing an item shown earlier carries its title, so the proposal names it.
func TestOfflineShareShownCarriesTitle(t *testing.T) {
	t.Parallel()
	b := setup(t)
	row := uuid.New()
	cc := intent.ConversationContext{Turns: []intent.Turn{{
		Query: "design docs about autoscaling",
		Intent: intent.Intent{Steps: []intent.Step{{ID: "s1", Service: domain.ServiceDrive, Operation: intent.OpSearch,
			Params: intent.Params{"query": "autoscaling design"}}}},
		Items: []intent.ItemRef{
			{Service: domain.ServiceDrive, Kind: "file", ID: "f1", RowID: row, Title: "Autoscaler design"},
			{Service: domain.ServiceDrive, Kind: "file", ID: "f2", Title: "Autoscaler FAQ"},
		},
	}}}
	for _, q := range []string{"share the first one with Bob", "give bob@example.com edit access to the first file"} {
		in := b.classify(t, q, cc)
		require.Equal(t, "s1:drive.share!", shape(in), q)
		require.Equal(t, "f1", in.Steps[0].Params[intent.ParamItemID], q)
		require.Equal(t, "Autoscaler design", in.Steps[0].Params[intent.ParamTitle], q)
		require.Equal(t, row.String(), in.Steps[0].Params[intent.ParamRowID], q)
	}
}

// A change to a pending new event proposes that event again, changed; a
// move by an amount is computed from where the event is.
func TestOfflineReviseProposalAndMoveBy(t *testing.T) {
	t.Parallel()
	b := setup(t)
	pending := intent.ConversationContext{Turns: []intent.Turn{{
		Query: "set up a planning session with Bob on Thursday at 11",
		Intent: intent.Intent{Steps: []intent.Step{{ID: "s1", Service: domain.ServiceCalendar, Operation: intent.OpCreate,
			Params: intent.Params{"title": "Planning session", "start": "2026-06-18T11:00:00+03:00", "end": "2026-06-18T11:30:00+03:00",
				"timeZone": "Europe/Istanbul", "attendees": []string{"bob@example.com"}}}}},
		Actions: []intent.ActionRef{{ID: "s1-a1", Kind: "create_event", Service: domain.ServiceCalendar, Status: "PROPOSED"}},
	}}}
	for _, c := range []struct{ q, title, start, end string }{
		{"hmm, make it 2pm instead", "Planning session", "2026-06-18T14:00:00+03:00", "2026-06-18T14:30:00+03:00"},
		{"actually let's do Friday", "Planning session", "2026-06-19T11:00:00+03:00", "2026-06-19T11:30:00+03:00"},
		{"rename it to Roadmap review", "Roadmap review", "2026-06-18T11:00:00+03:00", "2026-06-18T11:30:00+03:00"},
		{"and make it 45 minutes long", "Planning session", "2026-06-18T11:00:00+03:00", "2026-06-18T11:45:00+03:00"},
	} {
		in := b.classify(t, c.q, pending)
		require.Equal(t, "s1:calendar.create!", shape(in), c.q)
		require.Equal(t, c.title, in.Steps[0].Params[intent.ParamTitle], c.q)
		require.Equal(t, c.start, in.Steps[0].Params[intent.ParamStart], c.q)
		require.Equal(t, c.end, in.Steps[0].Params[intent.ParamEnd], c.q)
	}
	in := b.classify(t, "add Sarah as well", pending)
	require.Equal(t, "s1:calendar.create!", shape(in))
	require.Equal(t, []string{"bob@example.com", "sarah.fleming@example.com"}, in.Steps[0].Params.Strings(intent.ParamAttendees))
	for _, q := range []string{"actually don't schedule it", "no, cancel that"} {
		in = b.classify(t, q, pending)
		require.NotContains(t, shape(in), "create", q)
	}

	ev := time.Date(2026, 6, 18, 10, 0, 0, 0, b.loc)
	shown := intent.ConversationContext{Turns: []intent.Turn{{
		Query: "my next meeting with Bob",
		Intent: intent.Intent{Steps: []intent.Step{{ID: "s1", Service: domain.ServiceCalendar, Operation: intent.OpSearch,
			Params: intent.Params{"attendees": []string{"bob@example.com"}}}}},
		Items: []intent.ItemRef{{Service: domain.ServiceCalendar, Kind: "event", ID: "e1", CalendarID: "primary", Title: "Budget review", At: ev, End: ev.Add(time.Hour)}},
	}}}
	for _, c := range []struct{ q, start string }{
		{"bump it 45 minutes later", "2026-06-18T10:45:00+03:00"},
		{"15 minutes earlier", "2026-06-18T09:45:00+03:00"},
		{"shift it to the day after, same time", "2026-06-19T10:00:00+03:00"},
		{"push it a week later", "2026-06-25T10:00:00+03:00"},
	} {
		in := b.classify(t, c.q, shown)
		require.Equal(t, "s1:calendar.update!", shape(in), c.q)
		require.Equal(t, "e1", in.Steps[0].Params[intent.ParamItemID], c.q)
		require.Equal(t, c.start, in.Steps[0].Params[intent.ParamStart], c.q)
	}
	// Asked about, a day after what was shown is a window, not a move.
	in = b.classify(t, "and the day after?", shown)
	require.Equal(t, "s1:calendar.search", shape(in))
	in = b.classify(t, "move the budget review two hours later", intent.ConversationContext{})
	require.Equal(t, "s1:calendar.search s2:calendar.update<s1!", shape(in))
	require.Equal(t, 120, in.Steps[1].Params[intent.ParamShift])
	require.Equal(t, "budget review", in.Steps[0].Params[intent.ParamQuery])
}

// Moving money is declined before anyone named is looked up; asking whether
// a document exists is a search for it.
func TestOfflineDeclinesPaymentsSearchesExistence(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, q := range []string{"wire $200 to John's account", "please pay John's invoice", "transfer 50 euros to John", "send John 300 dollars"} {
		in := b.classify(t, q, intent.ConversationContext{})
		require.Empty(t, in.Steps, q)
		require.Empty(t, in.Clarification, q)
		require.Contains(t, in.Unsupported, "can't", q)
	}
	for _, q := range []string{"is there a design doc for the scheduler rewrite?", "do we have a KEP on graceful shutdown?", "have we got a proposal for node autoscaling?"} {
		in := b.classify(t, q, intent.ConversationContext{})
		require.Empty(t, in.Unsupported, q)
		require.Contains(t, shape(in), "drive.search", q)
		require.NotContains(t, shape(in), "!", q)
	}
	in := b.classify(t, "remind Bob to pay the invoice", intent.ConversationContext{})
	require.Empty(t, in.Unsupported, "a message about paying is a message")
}

// A mail's body carries what the request asks to say, said to the reader;
// its subject comes from that content, never from how it is sent.
func TestOfflineDraftSaysWhatWasAsked(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, c := range []struct{ q, body, subject string }{
		{"write to Bob and tell him I'd appreciate the numbers early", "I'd appreciate the numbers early.", "I'd appreciate the numbers early"},
		{"drop Sarah a short note by email and tell her she can present first", "You can present first.", "You can present first"},
		{"let Bob know over email that the venue changed to Room 4", "The venue changed to Room 4.", "The venue changed to Room 4"},
		{"message Sarah to say I'll be ten minutes late", "I'll be ten minutes late.", "I'll be ten minutes late"},
		{"email Bob saying the build is green again", "The build is green again.", "The build is green again"},
	} {
		in := b.classify(t, c.q, intent.ConversationContext{})
		var draft intent.Step
		for _, s := range in.Steps {
			if s.Operation == intent.OpDraft {
				draft = s
			}
		}
		require.Equal(t, c.body, draft.Params[intent.ParamBody], c.q)
		require.Equal(t, c.subject, draft.Params[intent.ParamSubject], c.q)
	}
}

// onlySearch is the params of the one search of service svc q is read as.
func (b bundle) onlySearch(t *testing.T, q string, svc domain.Service) intent.Params {
	t.Helper()
	in := b.classify(t, q, intent.ConversationContext{})
	require.Len(t, in.Steps, 1, q)
	require.Equal(t, svc, in.Steps[0].Service, q)
	require.Equal(t, intent.OpSearch, in.Steps[0].Operation, q)
	return in.Steps[0].Params
}

func TestOfflineLastMeetingHasHappenedAndNextIsToCome(t *testing.T) {
	t.Parallel()
	b := setup(t)
	now := b.now.Format(time.RFC3339)
	for _, q := range []string{
		"when did the platform guild meeting last happen?",
		"when did we last meet with the platform guild",
		"most recent platform guild meeting",
		"when was the last platform guild sync",
		"when did we meet with the platform guild",
	} {
		p := b.onlySearch(t, q, domain.ServiceCalendar)
		require.Equal(t, string(intent.OrderNewest), p.String(intent.ParamOrder), q)
		require.Equal(t, now, p.String(intent.ParamBefore), "%s: the latest before now", q)
		require.Empty(t, p.String(intent.ParamAfter), q)
	}
	in := b.classify(t, "when does the platform guild meet next?", intent.ConversationContext{})
	require.Equal(t, string(intent.OrderUpcoming), in.Steps[0].Params.String(intent.ParamOrder))
	require.Equal(t, now, in.Steps[0].Params.String(intent.ParamAfter), "the soonest after now")
}

func TestOfflineSentMailIsTheUsersWithThePeopleNamedAsRecipients(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, q := range []string{
		"what did I send Sarah last week?",
		"emails I sent to Sarah",
		"show the mail I've emailed Sarah",
		"check my sent mail for anything to Sarah",
	} {
		p := b.onlySearch(t, q, domain.ServiceGmail)
		require.Equal(t, []string{intent.LabelSent}, p.Strings(intent.ParamLabels), q)
		require.Equal(t, []string{"sarah.fleming@example.com"}, p.Strings(intent.ParamTo), q)
		require.Empty(t, p.Strings(intent.ParamFrom), q)
	}
	in := b.classify(t, "emails Sarah sent me", intent.ConversationContext{})
	require.Empty(t, in.Steps[0].Params.Strings(intent.ParamLabels), "mail sent to the user is received mail")
	require.Equal(t, []string{"sarah.fleming@example.com"}, in.Steps[0].Params.Strings(intent.ParamFrom))
}

// A first request that orders nothing, typed as into a search box, is a
// search for what it names, whatever its words resemble; commands stay
// commands and questions stay as the model reads them.
func TestOfflineNounPhrasesAreSearches(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, q := range []string{
		"quarterly vendor contract renewal memo",
		"invite to the charity gala in the spring",
		"draft of the merger announcement",
		"letter to the mayor about the stadium vote",
		"Lisa leaving to open her own bakery",
	} {
		in := b.classify(t, q, intent.ConversationContext{})
		require.Empty(t, in.Unsupported, q)
		require.Empty(t, in.Clarification, q)
		require.Contains(t, shape(in), ".search", q)
		require.NotContains(t, shape(in), "!", q)
		require.NotEmpty(t, in.Steps[0].Params.String(intent.ParamQuery), "%s: searched for its words, not listed", q)
	}
	for q, want := range map[string]string{
		"please draft an email to bob@example.com about lunch":         "gmail.draft",
		"invite bob@example.com to the budget review on Friday at 3pm": "calendar.create!",
	} {
		require.Contains(t, shape(b.classify(t, q, intent.ConversationContext{})), want, q)
	}
	for _, q := range []string{"book me a flight to Paris", "what's the weather tomorrow"} {
		require.NotEmpty(t, b.classify(t, q, intent.ConversationContext{}).Unsupported, q)
	}
}

// An ordinary word is no one, whatever address it begins: a lowercase word
// the tagger left is a person only as a whole word of an address, and a
// request's first word only when it owns something.
func TestOfflineOrdinaryWordsAreNoOne(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.cls = intent.NewOffline(contacts{
		"help": {{Email: "helpdesk@example.com"}}, "fly": {{Email: "flynn.barry@example.com"}},
		"no": {{Email: "no.address@example.com"}}, "dora": {{Email: "dora.ng@example.com"}},
		"nina": {{Email: "nina.garcia@example.com"}},
	})
	people := func(in intent.Intent) []string {
		var out []string
		for _, s := range in.Steps {
			for _, k := range []string{intent.ParamFrom, intent.ParamTo, intent.ParamAttendees} {
				out = append(out, s.Params.Strings(k)...)
			}
		}
		return out
	}
	for _, q := range []string{
		"did the board agree to help with the library fundraiser?",
		"who wanted the jet to fly the interns to denver",
		"lunch with no speeches, only sandwiches and tea",
	} {
		in := b.classify(t, q, intent.ConversationContext{})
		require.Empty(t, in.Entities.People, q)
		require.Empty(t, people(in), q)
	}
	in := b.classify(t, "Dora's plan for the summer picnic", intent.ConversationContext{})
	require.Contains(t, people(in), "dora.ng@example.com")
	require.NotContains(t, in.Steps[0].Params.String(intent.ParamQuery), "Dora")
	in = b.classify(t, "send the picnic plan to nina", intent.ConversationContext{})
	require.Equal(t, "nina", in.Entities.People[0].Name)
}

// What the mail should say may be typed after a colon or in quotes, and
// names in it are part of the message, not people to write to or search for.
func TestOfflineDraftsTheMessageAsTyped(t *testing.T) {
	t.Parallel()
	b := setup(t)
	step := func(in intent.Intent, op intent.Operation) intent.Params {
		for _, s := range in.Steps {
			if s.Operation == op {
				return s.Params
			}
		}
		t.Fatalf("no %s in %s", op, shape(in))
		return nil
	}
	in := b.classify(t, "reply to Sarah's email about the budget with: Thanks, I'll take a look", intent.ConversationContext{})
	require.Equal(t, "Thanks, I'll take a look.", step(in, intent.OpDraft).String(intent.ParamBody))
	require.Equal(t, "budget", step(in, intent.OpSearch).String(intent.ParamQuery), "the message is not searched for")

	in = b.classify(t, "email Sarah: running ten minutes late", intent.ConversationContext{})
	d := step(in, intent.OpDraft)
	require.Equal(t, "Running ten minutes late.", d.String(intent.ParamBody))
	require.Equal(t, []string{"sarah.fleming@example.com"}, d.Strings(intent.ParamTo))
	require.NotContains(t, d.String(intent.ParamSubject), "Sarah")

	in = b.classify(t, `reply to the contract email "Sounds good, see you Friday"`, intent.ConversationContext{})
	require.Equal(t, "Sounds good, see you Friday.", step(in, intent.OpDraft).String(intent.ParamBody))

	in = b.classify(t, `reply to Sarah's email about "the offsite"`, intent.ConversationContext{})
	require.Empty(t, step(in, intent.OpDraft).String(intent.ParamBody), "a quoted topic is no message")

	in = b.classify(t, "reply to Sarah's email saying I'll call Bob tomorrow", intent.ConversationContext{})
	require.Equal(t, []string{"sarah.fleming@example.com"}, step(in, intent.OpSearch).Strings(intent.ParamFrom), "Bob is in the message")
	require.Equal(t, "I'll call Bob tomorrow.", step(in, intent.OpDraft).String(intent.ParamBody))

	in = b.classify(t, "email Bob about the 10:30 review", intent.ConversationContext{})
	require.Empty(t, step(in, intent.OpDraft).String(intent.ParamBody), "a time's colon starts no message")
}

// The items a request asks for name the service, whatever the words about
// them suggest: documents about a meeting are files.
func TestOfflineSearchesTheServiceOfTheItemsAskedFor(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for q, want := range map[string]string{
		"show me documents about the board meeting agenda": "s1:drive.search",
		"any docs on the offsite meeting?":                 "s1:drive.search",
		"emails about the meeting agenda":                  "s1:gmail.search",
		"appointments about the budget spreadsheet":        "s1:calendar.search",
		"emails about the budget and my meetings":          "s1:gmail.search s2:calendar.search",
	} {
		require.Equal(t, want, shape(b.classify(t, q, intent.ConversationContext{})), q)
	}
}

// A person's name as typed is theirs whatever initials or order their
// addresses' display names add ("Tori L Wells", "Wells, Tori L."): the
// address used most is taken, not asked about.
func TestOfflineTakesTheAddressOfTheNameTyped(t *testing.T) {
	t.Parallel()
	b := setup(t)
	in := b.classify(t, "email Tori Wells about lunch on Friday", intent.ConversationContext{})
	require.Empty(t, in.Clarification)
	require.Equal(t, []string{"tori.wells@example.com"}, in.Steps[0].Params.Strings(intent.ParamTo))
}

// In a search of mail, whoever is named plays the part the words around the
// name give: written to after a verb of asking or writing, the writer after
// "from" or as the one asking or owning, and otherwise either.
func TestOfflinePeopleTakeTheRoleTheirWordsGive(t *testing.T) {
	t.Parallel()
	b := setup(t)
	sf := []domain.Address{{Name: "Sarah Fleming", Email: "sarah.fleming@example.com"}}
	b.cls = intent.NewOffline(contacts{"sarah": sf, "sarah fleming": sf})
	sarah := []string{"sarah.fleming@example.com"}
	mail := func(q string) intent.Params {
		t.Helper()
		in := b.classify(t, q, intent.ConversationContext{})
		for _, s := range in.Steps {
			if s.Service == domain.ServiceGmail {
				return s.Params
			}
		}
		t.Fatalf("%s: no mail search in %s", q, shape(in))
		return nil
	}
	for _, q := range []string{
		"emails thanking Sarah for the audit work",
		"mail that told Sarah the venue was booked",
		"who emailed Sarah about the venue",
		"emails that invited Sarah to speak",
	} {
		p := mail(q)
		require.Equal(t, sarah, p.Strings(intent.ParamTo), q)
		require.Empty(t, p.Strings(intent.ParamFrom), q)
	}
	for _, q := range []string{
		"bad news from Globex's Sarah Fleming",
		"emails Sarah last sent about the audit",
		"mail Sarah wrote about the audit",
		"Sarah's mail about the audit",
	} {
		p := mail(q)
		require.Equal(t, sarah, p.Strings(intent.ParamFrom), q)
		require.Empty(t, p.Strings(intent.ParamTo), q)
	}
	p := mail("the audit mail with Sarah")
	require.Equal(t, sarah, p.Strings(intent.ParamAttendees), "her part unsaid: she sent it or received it")
	require.Empty(t, p.Strings(intent.ParamFrom))
}

// A name a mail domain bears is a company's, searched for as a word.
func TestOfflineACompanyIsNoOne(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.cls = intent.NewOffline(contacts{"acme": {{Email: "acme.news@acme.com"}, {Email: "acmebot@example.com"}}})
	in := b.classify(t, "emails about the Acme merger terms", intent.ConversationContext{})
	require.Empty(t, in.Entities.People)
	require.Contains(t, in.Steps[0].Params.String(intent.ParamQuery), "Acme")
}

// A first request the model reads as a follow-up, a greeting or something
// no service does is a search when it asks what the user's own items hold;
// questions of the world stay declined.
func TestOfflineQuestionsOfTheUsersItemsAreSearches(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, q := range []string{
		"what did Bob want to name the new product line",
		"minutes from Bob on the Lisbon visit",
		"thank you card from the Denver office staff",
		"how much did Bob give to the museum appeal",
		"where was the photo shoot for the annual report?",
	} {
		in := b.classify(t, q, intent.ConversationContext{})
		require.Empty(t, in.Unsupported, q)
		require.Empty(t, in.Clarification, q)
		require.Empty(t, in.Reply, q)
		require.Contains(t, shape(in), ".search", q)
		require.NotContains(t, shape(in), "!", q)
		require.NotEqual(t, intent.QuestionCount, in.Question, "%s: an amount, not a count", q)
	}
	for _, q := range []string{"what's the weather in Lisbon tomorrow?", "play some music", "convert 30 euros to dollars"} {
		require.NotEmpty(t, b.classify(t, q, intent.ConversationContext{}).Unsupported, q)
	}
	require.Equal(t, intent.QuestionCount, b.classify(t, "how much mail did Bob send me this week?", intent.ConversationContext{}).Question)
}

// Asked for again with nothing shown, a request has nothing to repeat.
func TestOfflineNothingToRepeat(t *testing.T) {
	t.Parallel()
	b := setup(t)
	in := b.classify(t, "same again for the budget review", intent.ConversationContext{})
	require.Empty(t, in.Steps)
}

// A search is for every word of what it names, where the tagger began late
// or left a name out: a full name no contact bears is searched for, and a
// place gone to is no one.
func TestOfflineTopicKeepsWhatTheTaggerLeft(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.cls = intent.NewOffline(contacts{"bob": {{Name: "Bob", Email: "bob@example.com"}}, "denver": {{Email: "denver.smith@example.com"}}})
	for q, want := range map[string][]string{
		"compliance committee proposal":                        {"compliance committee"},
		"Wanda Pike on the radio":                              {"Wanda Pike", "radio"},
		"Global Health Fund grant for Save The Children Kenya": {"Global Health Fund", "Children Kenya"},
	} {
		in := b.classify(t, q, intent.ConversationContext{})
		require.NotEmpty(t, in.Steps, q)
		for _, w := range want {
			require.Contains(t, in.Steps[0].Params.String(intent.ParamQuery), w, q)
		}
	}
	in := b.classify(t, "when does Bob get to denver for the holidays", intent.ConversationContext{})
	require.Len(t, in.Entities.People, 1)
	require.Equal(t, "Bob", in.Entities.People[0].Name)
}

// Mail not yet read is asked for in many words; they are the unread flag,
// not words to search for.
func TestOfflineReadsUnreadInOtherWords(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, q := range []string{"any emails I haven't read?", "show me mail I have not opened yet", "unread emails"} {
		in := b.classify(t, q, intent.ConversationContext{})
		require.Equal(t, "s1:gmail.search", shape(in), q)
		unread := in.Steps[0].Params.Bool(intent.ParamUnread)
		require.True(t, unread != nil && *unread, q)
		require.Empty(t, in.Steps[0].Params.String(intent.ParamQuery), q)
	}
}

// What lies ahead of now can only be an event: no mail or file is dated in
// the future.
func TestOfflineLooksAheadInTheCalendarOnly(t *testing.T) {
	t.Parallel()
	b := setup(t)
	require.Equal(t, "s1:calendar.search", shape(b.classify(t, "what do I have tomorrow?", intent.ConversationContext{})))
	require.Equal(t, "s1:calendar.search", shape(b.classify(t, "anything going on next week?", intent.ConversationContext{})))
	require.Contains(t, shape(b.classify(t, "what came in yesterday?", intent.ConversationContext{})), "gmail.search")
}

// A question for someone's address is answered from the contacts, most used
// address first, with no search.
func TestOfflineAnswersAddressesFromTheContacts(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, q := range []string{"what's Sarah's email address?", "how do I reach Sarah?"} {
		in := b.classify(t, q, intent.ConversationContext{})
		require.Empty(t, in.Steps, q)
		require.Contains(t, in.Reply, "Sarah: sarah.fleming@example.com", q)
		require.NotContains(t, in.Reply, "no.address", "the word asked with is no one")
	}
	in := b.classify(t, "send Sarah the address of the venue", intent.ConversationContext{})
	require.Empty(t, in.Reply, "an address to send is no question")
}

// An automated sender attends nothing: a calendar search for its flight
// looks for the flight, not for events it is invited to.
func TestOfflineAutomatedSendersAttendNothing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	in := b.classify(t, "when is my Acme Air flight?", intent.ConversationContext{})
	for _, s := range in.Steps {
		if s.Service == domain.ServiceCalendar {
			require.Empty(t, s.Params.Strings(intent.ParamAttendees), shape(in))
		}
	}
}
