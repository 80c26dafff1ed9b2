package emulator_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"golang.org/x/oauth2"
	gmail "google.golang.org/api/gmail/v1"
	"google.golang.org/api/option"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
)

// A real Gmail client reads a seeded mailbox from the emulator. Calendar and
// Drive clients take hs.URL+"/calendar/v3/" and hs.URL+"/drive/v3/".
func ExampleServer() {
	srv := emulator.New(emulator.Config{})
	defer srv.Close()
	hs := httptest.NewServer(srv)
	defer hs.Close()

	raw := "From: bob@example.com\r\nTo: demo@example.com\r\nSubject: Hello\r\nDate: Mon, 02 Mar 2026 09:00:00 +0000\r\n\r\nHi there, demo."
	if err := srv.AddWorkspace("demo@example.com", emulator.Workspace{
		Messages: []emulator.Message{{Raw: []byte(raw), LabelIDs: []string{"INBOX", "Projects"}}},
	}); err != nil {
		panic(err)
	}
	access, _ := srv.IssueToken("demo@example.com")

	ctx := context.Background()
	gm, err := gmail.NewService(ctx, option.WithEndpoint(hs.URL+"/"),
		option.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: access})))
	if err != nil {
		panic(err)
	}
	list, err := gm.Users.Messages.List("me").Q("label:projects from:bob").Do()
	if err != nil {
		panic(err)
	}
	m, err := gm.Users.Messages.Get("me", list.Messages[0].Id).Format("metadata").MetadataHeaders("Subject").Do()
	if err != nil {
		panic(err)
	}
	fmt.Println(m.Payload.Headers[0].Value, "|", m.Snippet, "|", m.LabelIds)
	// Output: Hello | Hi there, demo. | [INBOX Label_1]
}
