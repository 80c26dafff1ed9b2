// Package emulatortest starts a Workspace emulator for tests and builds test
// messages, events and files. Import it only from _test.go files.
package emulatortest

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	calendar "google.golang.org/api/calendar/v3"
	drive "google.golang.org/api/drive/v3"
	gmail "google.golang.org/api/gmail/v1"
	"google.golang.org/api/option"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
)

// New starts an emulator with the system clock holding ws (user email ->
// workspace) behind a loopback httptest server; both stop when the test ends.
func New(t testing.TB, ws map[string]emulator.Workspace) (*emulator.Server, *httptest.Server) {
	t.Helper()
	return NewWithConfig(t, emulator.Config{}, ws)
}

// NewWithConfig is New with an explicit emulator configuration (a fixed clock,
// a short history retention, a Gmail push URL...).
func NewWithConfig(t testing.TB, cfg emulator.Config, ws map[string]emulator.Workspace) (*emulator.Server, *httptest.Server) {
	t.Helper()
	srv := emulator.New(cfg)
	hs := httptest.NewServer(srv)
	t.Cleanup(func() {
		hs.Close()
		srv.Close()
	})
	for email, w := range ws {
		if err := srv.AddWorkspace(email, w); err != nil {
			t.Fatalf("emulatortest: add workspace %s: %v", email, err)
		}
	}
	return srv, hs
}

// OAuthConfig is an oauth2 configuration whose endpoints are the emulator's.
func OAuthConfig(hs *httptest.Server) *oauth2.Config {
	return &oauth2.Config{
		ClientID: "emulator-client", ClientSecret: "emulator-secret", RedirectURL: "http://127.0.0.1/callback",
		Endpoint: oauth2.Endpoint{AuthURL: hs.URL + emulator.AuthPath, TokenURL: hs.URL + emulator.TokenPath,
			AuthStyle: oauth2.AuthStyleInParams},
		Scopes: []string{gmail.GmailModifyScope, calendar.CalendarScope, drive.DriveScope},
	}
}

// HTTPClient is an *http.Client authorised as email through the emulator's
// token endpoint: it refreshes its access token as a real client would.
func HTTPClient(t testing.TB, srv *emulator.Server, hs *httptest.Server, email string) *http.Client {
	t.Helper()
	access, refresh := srv.IssueToken(email)
	tok := &oauth2.Token{AccessToken: access, RefreshToken: refresh, TokenType: "Bearer", Expiry: time.Now().Add(time.Hour)}
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, hs.Client())
	return OAuthConfig(hs).Client(ctx, tok)
}

// Services returns the real Gmail, Calendar and Drive clients for email, pointed at the emulator.
func Services(t testing.TB, srv *emulator.Server, hs *httptest.Server, email string) (*gmail.Service, *calendar.Service, *drive.Service) {
	t.Helper()
	ctx := context.Background()
	hc := option.WithHTTPClient(HTTPClient(t, srv, hs, email))
	gm, err := gmail.NewService(ctx, hc, option.WithEndpoint(hs.URL+"/"))
	if err != nil {
		t.Fatalf("emulatortest: gmail client: %v", err)
	}
	cal, err := calendar.NewService(ctx, hc, option.WithEndpoint(hs.URL+"/calendar/v3/"))
	if err != nil {
		t.Fatalf("emulatortest: calendar client: %v", err)
	}
	dr, err := drive.NewService(ctx, hc, option.WithEndpoint(hs.URL+"/drive/v3/"))
	if err != nil {
		t.Fatalf("emulatortest: drive client: %v", err)
	}
	return gm, cal, dr
}

// RawMail is an RFC 822 text message with a Message-ID derived from its content.
func RawMail(from, to, subject, body string, date time.Time, extraHeaders ...string) []byte {
	sum := sha256.Sum256([]byte(from + "\x00" + to + "\x00" + subject + "\x00" + body + "\x00" + date.String()))
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%x@emulatortest>\r\n",
		from, to, subject, date.Format(time.RFC1123Z), sum[:8])
	for _, h := range extraHeaders {
		b.WriteString(h + "\r\n")
	}
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
	b.WriteString(strings.ReplaceAll(body, "\n", "\r\n"))
	return []byte(b.String())
}

// Mail builds a plain-text message dated date with the given labels (system ids
// such as INBOX or folder names).
func Mail(from, to, subject, body string, date time.Time, labels ...string) emulator.Message {
	return emulator.Message{Raw: RawMail(from, to, subject, body, date), LabelIDs: labels, InternalDate: date}
}

// Reply builds a reply to parent from from, threaded by In-Reply-To and References.
func Reply(parent emulator.Message, from, to, body string, date time.Time, labels ...string) emulator.Message {
	subject, msgID := "", ""
	for _, line := range strings.Split(string(parent.Raw), "\r\n") {
		if v, ok := strings.CutPrefix(line, "Subject: "); ok && subject == "" {
			subject = v
		}
		if v, ok := strings.CutPrefix(line, "Message-ID: "); ok && msgID == "" {
			msgID = v
		}
	}
	raw := RawMail(from, to, "Re: "+subject, body, date, "In-Reply-To: "+msgID, "References: "+msgID)
	return emulator.Message{Raw: raw, LabelIDs: labels, InternalDate: date}
}

// Event builds a timed event in UTC with the given attendees.
func Event(summary string, start time.Time, dur time.Duration, attendees ...string) emulator.Event {
	e := emulator.Event{Summary: summary, Start: start, End: start.Add(dur), TimeZone: "UTC"}
	for _, a := range attendees {
		e.Attendees = append(e.Attendees, emulator.Attendee{Email: a, ResponseStatus: "needsAction"})
	}
	return e
}

// Doc builds a Google Doc (exported as text/plain) in the given folders.
func Doc(name, content string, modified time.Time, folders ...string) emulator.File {
	return emulator.File{Name: name, MimeType: emulator.MimeGoogleDoc, Content: []byte(content), ModifiedTime: modified, Parents: folders}
}

// TextFile builds a plain-text Drive file (downloadable with alt=media).
func TextFile(name, content string, modified time.Time, folders ...string) emulator.File {
	return emulator.File{Name: name, MimeType: "text/plain", Content: []byte(content), ModifiedTime: modified, Parents: folders}
}
