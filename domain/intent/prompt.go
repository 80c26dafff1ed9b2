package intent

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Schema is the JSON Schema of an intent as Decode accepts it; the LLM adapter
// sends it as the structured-output format.
const Schema = `{
  "type": "object",
  "additionalProperties": false,
  "required": ["services", "operations", "entities", "steps", "confidence"],
  "properties": {
    "services": {"type": "array", "items": {"enum": ["gmail", "calendar", "drive"]}},
    "operations": {"type": "array", "items": {"enum": ["search", "read", "draft", "send", "create", "update", "delete", "share"]}},
    "entities": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "people": {"type": "array", "items": {"type": "object", "additionalProperties": false, "required": ["name"],
          "properties": {"name": {"type": "string"}, "addresses": {"type": "array", "items": {"type": "object",
            "properties": {"Name": {"type": "string"}, "Email": {"type": "string"}}}}}}},
        "organisations": {"type": "array", "items": {"type": "string"}},
        "topics": {"type": "array", "items": {"type": "string"}},
        "dates": {"type": "array", "items": {"type": "object", "additionalProperties": false, "required": ["text", "range"],
          "properties": {"text": {"type": "string"}, "range": {"type": "object", "additionalProperties": false,
            "properties": {"start": {"type": "string", "format": "date-time"}, "end": {"type": "string", "format": "date-time"}}}}}},
        "times": {"type": "array", "items": {"type": "string", "format": "date-time"}},
        "durations": {"type": "array", "items": {"type": "integer", "description": "nanoseconds"}},
        "items": {"type": "array", "items": {"type": "object", "required": ["service", "id"],
          "properties": {"service": {"enum": ["gmail", "calendar", "drive"]}, "id": {"type": "string"},
            "calendarId": {"type": "string"}, "title": {"type": "string"}, "at": {"type": "string"},
            "end": {"type": "string"}, "kind": {"type": "string"}}}}
      }
    },
    "steps": {"type": "array", "items": {
      "type": "object",
      "additionalProperties": false,
      "required": ["id", "service", "operation", "params", "dependsOn", "sideEffect"],
      "properties": {
        "id": {"type": "string"},
        "service": {"enum": ["gmail", "calendar", "drive"]},
        "operation": {"enum": ["search", "read", "draft", "send", "create", "update", "delete", "share"]},
        "params": {"type": "object"},
        "dependsOn": {"type": "array", "items": {"type": "string"}},
        "sideEffect": {"type": "boolean"}
      }
    }},
    "confidence": {"type": "number", "minimum": 0, "maximum": 1},
    "clarification": {"type": "string"},
    "unsupported": {"type": "string"},
    "question": {"enum": ["list", "when", "which", "who", "count", "free", "read", "summarize", "smalltalk"]},
    "reply": {"type": "string"},
    "declined": {"type": "array", "items": {"type": "string"}}
  }
}`

const instructions = `You turn a person's request about their own Gmail, Google Calendar and Google Drive into a JSON intent.
Answer with one JSON object matching the schema below and nothing else.

Services and the operations each supports:
- gmail: search, read, draft, send
- calendar: search, read, create, update, delete
- drive: search, read, share

Steps:
- Give each step a short unique id ("s1", "s2", ...). A step that needs another step's results lists that step in dependsOn.
- sideEffect is true for send, create, update, delete and share; these are only proposed to the person, never done at once.
- A step acting on one item (read, update, delete, send, share) either depends on the step that finds it or names it with params.itemId from the conversation.
- Params keys: query, from, to, attendees, after, before (RFC 3339), itemId, calendarId, title, start, end (RFC 3339), timeZone (IANA),
  durationMinutes, shiftMinutes (an update moving the found event by that many minutes from where it is), subject, body, role (reader|commenter|writer), limit, draftId, mimeTypes, hasAttachment, unread,
  labels (["SENT"] for mail the person sent: "what did I send Bob" searches labels ["SENT"] with Bob in to),
  order (newest|oldest|upcoming|relevance: "latest"/"last" is newest, "next"/"upcoming" is upcoming).
- Resolve relative dates against today's date in the person's time zone; new events carry that time zone.

When a required detail is missing or the request is ambiguous, return no steps and put one short question in "clarification".
When no service can serve the request (weather, news, arithmetic, booking travel), return no steps and explain in "unsupported".
Set "question" to the kind of answer wanted: list, when, which, who, count, free (am I free/busy), read (what does it say), summarize, or smalltalk
("thanks", "cool": no steps, a short "reply").
Set confidence in [0, 1].`

// Prompt is what the LLM adapter sends to classify one request.
type Prompt struct {
	System string // instructions, today's date, the time zone, the schema and the conversation so far
	User   string // the request itself
}

// BuildPrompt renders the prompt for r. It includes what the request names,
// resolved against the user's workspace (people with their addresses, dates
// as ranges, the topic: resolved may be empty), and the last turns of the
// conversation (their queries, the items they showed with ids, the actions
// they proposed) so follow-ups like "the second one" or "send it" resolve.
func BuildPrompt(r Request, resolved Entities) Prompt {
	loc := r.Location
	if loc == nil {
		loc = time.UTC
	}
	now := r.Now.In(loc)
	var b strings.Builder
	b.WriteString(instructions)
	fmt.Fprintf(&b, "\n\nNow: %s (%s), time zone %s.\n", now.Format(time.RFC3339), now.Weekday(), loc)
	if ent, _ := json.Marshal(resolved); string(ent) != "{}" {
		b.WriteString("\nWhat the request names, resolved in the person's own mail, calendar and files (use these addresses, ranges and search words in params; one person may have several addresses):\n")
		b.Write(ent)
		b.WriteString("\n")
	}
	if len(r.Context.Turns) > 0 {
		b.WriteString("\nConversation so far, oldest first:\n")
		for i, t := range r.Context.Turns {
			fmt.Fprintf(&b, "Turn %d: %q\n", i+1, t.Query)
			for j, it := range t.Items {
				line, _ := json.Marshal(it)
				fmt.Fprintf(&b, "  item %d: %s\n", j+1, line)
			}
			for _, a := range t.Actions {
				line, _ := json.Marshal(a)
				fmt.Fprintf(&b, "  action: %s\n", line)
			}
		}
	}
	b.WriteString("\nJSON schema:\n")
	b.WriteString(Schema)
	return Prompt{System: b.String(), User: r.Query}
}
