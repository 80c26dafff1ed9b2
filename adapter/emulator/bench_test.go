package emulator_test

import (
	"fmt"
	"testing"
	"time"

	calendar "google.golang.org/api/calendar/v3"
	gmail "google.golang.org/api/gmail/v1"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
	"github.com/workspace-orchestrator/orchestrator/adapter/emulator/emulatortest"
)

// demoSized is about the size of the demo workspace: 3,600 messages and 100
// weekly series over ten years plus 1,000 single events.
func demoSized() emulator.Workspace {
	var ws emulator.Workspace
	for i := range 3600 {
		ws.Messages = append(ws.Messages, emulatortest.Mail(fmt.Sprintf("u%d@example.com", i%50), alice,
			fmt.Sprintf("Subject %d", i), "Body text of a typical message, a few words long.", base.Add(-time.Duration(i)*time.Hour), "INBOX"))
	}
	for i := range 100 {
		e := emulatortest.Event(fmt.Sprintf("Series %d", i), base.AddDate(-10, 0, i), time.Hour)
		e.Recurrence = []string{"RRULE:FREQ=WEEKLY"}
		ws.Events = append(ws.Events, e)
	}
	for i := range 1000 {
		ws.Events = append(ws.Events, emulatortest.Event(fmt.Sprintf("Meeting %d", i), base.AddDate(0, 0, -i), time.Hour))
	}
	return ws
}

// BenchmarkGmailFullListing measures listing every message id and fetching each in metadata format.
func BenchmarkGmailFullListing(b *testing.B) {
	srv, hs := emulatortest.New(b, map[string]emulator.Workspace{alice: demoSized()})
	gm, _, _ := emulatortest.Services(b, srv, hs, alice)
	for b.Loop() {
		var ids []string
		if err := gm.Users.Messages.List("me").MaxResults(500).Pages(b.Context(), func(r *gmail.ListMessagesResponse) error {
			for _, m := range r.Messages {
				ids = append(ids, m.Id)
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		for _, id := range ids {
			if _, err := gm.Users.Messages.Get("me", id).Format("full").Do(); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkCalendarExpandedListing pages through every expanded instance.
func BenchmarkCalendarExpandedListing(b *testing.B) {
	srv, hs := emulatortest.New(b, map[string]emulator.Workspace{alice: demoSized()})
	_, cal, _ := emulatortest.Services(b, srv, hs, alice)
	for b.Loop() {
		n := 0
		if err := cal.Events.List("primary").SingleEvents(true).MaxResults(2500).Pages(b.Context(), func(r *calendar.Events) error {
			n += len(r.Items)
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n), "events")
	}
}
