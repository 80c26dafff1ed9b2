package importer_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator/importer"
)

// Two copies of one message in a Takeout mbox become one message with both
// copies' labels and Message-IDs.
func ExampleLoadMbox() {
	mbox := `From 1@xxx Mon Jan 15 10:00:00 +0000 2024
X-Gmail-Labels: Inbox,Opened,Projects/Alpha
Message-ID: <one@example.com>
Date: Mon, 15 Jan 2024 10:00:00 +0000
From: dana@example.com
Subject: Plan

See you Friday.

From 2@xxx Mon Jan 15 10:00:00 +0000 2024
X-Gmail-Labels: Sent
Message-ID: <two@example.com>
Date: Mon, 15 Jan 2024 10:00:00 +0000
From: dana@example.com
Subject: Plan

See you   Friday.
`
	ws, errs, err := importer.LoadMbox(strings.NewReader(mbox))
	fmt.Println(len(ws.Messages), len(errs), err)
	fmt.Println(ws.Messages[0].LabelIDs, ws.Messages[0].MessageIDs)
	// Output:
	// 1 0 <nil>
	// [INBOX Projects/Alpha SENT] [<one@example.com> <two@example.com>]
}

func ExampleRecurringSeries_Occurrences() {
	s := importer.RecurringSeries{
		Group: "Steering", Kind: "committees", Title: "Public Steering Committee Meeting",
		Day: "first Wednesday", Time: "8:00", TZ: "PT (Pacific Time)", Frequency: "monthly",
	}
	after := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	evs, err := s.Occurrences(after, after.AddDate(0, 0, 56))
	fmt.Println(err)
	for _, e := range evs {
		fmt.Println(e.Start.Format("Mon 2006-01-02 15:04 MST"), e.TimeZone, e.Summary)
	}
	// Output:
	// <nil>
	// Wed 2026-12-02 08:00 PST America/Los_Angeles Steering: Public Steering Committee Meeting
	// Wed 2027-01-06 08:00 PST America/Los_Angeles Steering: Public Steering Committee Meeting
}
