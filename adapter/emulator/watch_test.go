package emulator_test

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	calendar "google.golang.org/api/calendar/v3"
	drive "google.golang.org/api/drive/v3"
	gmail "google.golang.org/api/gmail/v1"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
	"github.com/workspace-orchestrator/orchestrator/adapter/emulator/emulatortest"
)

type push struct {
	header http.Header
	body   []byte
}

// receiver is a webhook endpoint that hands every push to the test.
func receiver(t *testing.T) (string, <-chan push) {
	t.Helper()
	got := make(chan push, 16)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- push{header: r.Header.Clone(), body: body}
	}))
	t.Cleanup(hs.Close)
	return hs.URL, got
}

func next(t *testing.T, got <-chan push) push {
	t.Helper()
	select {
	case p := <-got:
		return p
	case <-time.After(5 * time.Second):
		t.Fatal("no push notification arrived")
		return push{}
	}
}

func TestCalendarAndDriveChannels(t *testing.T) {
	t.Parallel()
	b := setup(t, emulator.Config{}, docs())
	url, got := receiver(t)

	ch, err := b.cal.Events.Watch("primary", &calendar.Channel{Id: "chan-cal", Type: "web_hook", Address: url, Token: "secret-1"}).Context(b.ctx).Do()
	require.NoError(t, err)
	require.NotEmpty(t, ch.ResourceId)
	require.Greater(t, ch.Expiration, time.Now().UnixMilli())
	p := next(t, got)
	require.Equal(t, "sync", p.header.Get("X-Goog-Resource-State"))
	require.Equal(t, "chan-cal", p.header.Get("X-Goog-Channel-Id"))
	require.Equal(t, "secret-1", p.header.Get("X-Goog-Channel-Token"))
	require.Equal(t, []emulator.Watch{{Service: "calendar", Address: url, Expires: time.UnixMilli(ch.Expiration).UTC()}}, b.srv.Watches(alice))

	_, err = b.cal.Events.Insert("primary", &calendar.Event{Summary: "New",
		Start: &calendar.EventDateTime{DateTime: base.Format(time.RFC3339)},
		End:   &calendar.EventDateTime{DateTime: base.Add(time.Hour).Format(time.RFC3339)}}).Context(b.ctx).Do()
	require.NoError(t, err)
	p = next(t, got)
	require.Equal(t, "exists", p.header.Get("X-Goog-Resource-State"))
	require.Equal(t, ch.ResourceId, p.header.Get("X-Goog-Resource-Id"))

	require.NoError(t, b.cal.Channels.Stop(&calendar.Channel{Id: "chan-cal", ResourceId: ch.ResourceId}).Context(b.ctx).Do())
	apiErr(t, b.cal.Channels.Stop(&calendar.Channel{Id: "chan-cal", ResourceId: ch.ResourceId}).Context(b.ctx).Do(), 404)
	require.Empty(t, b.srv.Watches(alice), "a stopped channel is no longer open")

	start, err := b.dr.Changes.GetStartPageToken().Context(b.ctx).Do()
	require.NoError(t, err)
	dch, err := b.dr.Changes.Watch(start.StartPageToken, &drive.Channel{Id: "chan-drive", Type: "web_hook", Address: url}).Context(b.ctx).Do()
	require.NoError(t, err)
	require.Equal(t, "sync", next(t, got).header.Get("X-Goog-Resource-State"))
	require.Equal(t, []emulator.Watch{{Service: "drive", Address: url, Expires: time.UnixMilli(dch.Expiration).UTC()}}, b.srv.Watches(alice))
	require.NoError(t, b.srv.RenameFile(alice, listFiles(t, b, "name = 'Roadmap'")[0].Id, "Roadmap v2"))
	p = next(t, got)
	require.Equal(t, "change", p.header.Get("X-Goog-Resource-State"))
	require.Equal(t, dch.ResourceId, p.header.Get("X-Goog-Resource-Id"))
	require.NoError(t, b.dr.Channels.Stop(&drive.Channel{Id: "chan-drive", ResourceId: dch.ResourceId}).Context(b.ctx).Do())
}

// TestChannelsStop: channels.stop answers as Google's does (204 for a
// channel of the caller, 404 for an unknown channel or a wrong resource id)
// for Calendar and Drive, and a stopped channel pushes no more.
func TestChannelsStop(t *testing.T) {
	t.Parallel()
	b := setup(t, emulator.Config{}, docs())
	url, got := receiver(t)
	cal, err := b.cal.Events.Watch("primary", &calendar.Channel{Id: "cal-1", Type: "web_hook", Address: url}).Context(b.ctx).Do()
	require.NoError(t, err)
	require.Equal(t, "sync", next(t, got).header.Get("X-Goog-Resource-State"))
	start, err := b.dr.Changes.GetStartPageToken().Context(b.ctx).Do()
	require.NoError(t, err)
	dr, err := b.dr.Changes.Watch(start.StartPageToken, &drive.Channel{Id: "drive-1", Type: "web_hook", Address: url}).Context(b.ctx).Do()
	require.NoError(t, err)
	require.Equal(t, "sync", next(t, got).header.Get("X-Goog-Resource-State"))

	apiErr(t, b.cal.Channels.Stop(&calendar.Channel{Id: "cal-1", ResourceId: dr.ResourceId}).Context(b.ctx).Do(), 404)
	apiErr(t, b.cal.Channels.Stop(&calendar.Channel{Id: "nope", ResourceId: cal.ResourceId}).Context(b.ctx).Do(), 404)
	apiErr(t, b.dr.Channels.Stop(&drive.Channel{Id: "drive-1", ResourceId: cal.ResourceId}).Context(b.ctx).Do(), 404)
	apiErr(t, b.dr.Channels.Stop(&drive.Channel{Id: "nope", ResourceId: dr.ResourceId}).Context(b.ctx).Do(), 404)
	require.Len(t, b.srv.Watches(alice), 2, "a refused stop closes nothing")

	// The generated clients hide the status: Google answers 204, no content.
	hc := emulatortest.HTTPClient(t, b.srv, b.hs, alice)
	res, err := hc.Post(b.hs.URL+"/calendar/v3/channels/stop", "application/json",
		strings.NewReader(`{"id":"cal-1","resourceId":"`+cal.ResourceId+`"}`))
	require.NoError(t, err)
	require.NoError(t, res.Body.Close())
	require.Equal(t, http.StatusNoContent, res.StatusCode)
	require.NoError(t, b.dr.Channels.Stop(&drive.Channel{Id: "drive-1", ResourceId: dr.ResourceId}).Context(b.ctx).Do())
	apiErr(t, b.cal.Channels.Stop(&calendar.Channel{Id: "cal-1", ResourceId: cal.ResourceId}).Context(b.ctx).Do(), 404)
	apiErr(t, b.dr.Channels.Stop(&drive.Channel{Id: "drive-1", ResourceId: dr.ResourceId}).Context(b.ctx).Do(), 404)
	require.Empty(t, b.srv.Watches(alice))

	// Changes after the stops push nothing: the emulator delivers in order,
	// so the next push is the one of a channel opened after them.
	_, err = b.cal.Events.Insert("primary", &calendar.Event{Summary: "Unseen",
		Start: &calendar.EventDateTime{DateTime: base.Format(time.RFC3339)},
		End:   &calendar.EventDateTime{DateTime: base.Add(time.Hour).Format(time.RFC3339)}}).Context(b.ctx).Do()
	require.NoError(t, err)
	require.NoError(t, b.srv.RenameFile(alice, listFiles(t, b, "name = 'Roadmap'")[0].Id, "Roadmap v2"))
	_, err = b.cal.Events.Watch("primary", &calendar.Channel{Id: "cal-2", Type: "web_hook", Address: url}).Context(b.ctx).Do()
	require.NoError(t, err)
	p := next(t, got)
	require.Equal(t, "cal-2", p.header.Get("X-Goog-Channel-Id"))
	require.Equal(t, "sync", p.header.Get("X-Goog-Resource-State"))
}

func TestGmailPubSubPush(t *testing.T) {
	t.Parallel()
	url, got := receiver(t)
	b := setup(t, emulator.Config{GmailPushURL: url}, emulator.Workspace{})
	w, err := b.gm.Users.Watch("me", &gmail.WatchRequest{TopicName: "projects/p/topics/gmail"}).Context(b.ctx).Do()
	require.NoError(t, err)
	require.Equal(t, []emulator.Watch{{Service: "gmail", Expires: time.UnixMilli(w.Expiration).UTC()}}, b.srv.Watches(alice))
	require.Empty(t, b.srv.Watches("nobody@example.com"))
	require.NoError(t, b.srv.AddWorkspace(alice, emulator.Workspace{Messages: []emulator.Message{
		emulatortest.Mail("bob@example.com", alice, "ping", "pong", base, "INBOX")}}))
	p, err := b.gm.Users.GetProfile("me").Context(b.ctx).Do()
	require.NoError(t, err)

	var env struct {
		Message struct {
			Data string `json:"data"`
		} `json:"message"`
		Subscription string `json:"subscription"`
	}
	pushed := next(t, got)
	claims := verifyPushToken(t, b, pushed.header.Get("Authorization"))
	require.Equal(t, url, claims["aud"])
	require.Equal(t, "https://accounts.google.com", claims["iss"])
	require.NoError(t, json.Unmarshal(pushed.body, &env))
	data, err := base64.StdEncoding.DecodeString(env.Message.Data)
	require.NoError(t, err)
	var note struct {
		EmailAddress string `json:"emailAddress"`
		HistoryID    uint64 `json:"historyId"`
	}
	require.NoError(t, json.Unmarshal(data, &note))
	require.Equal(t, alice, note.EmailAddress)
	require.Equal(t, p.HistoryId, note.HistoryID)
}

// verifyPushToken checks the RS256 signature of a push's bearer token against
// the emulator's JWKS and returns its claims.
func verifyPushToken(t *testing.T, b bundle, authz string) map[string]any {
	t.Helper()
	tok, ok := strings.CutPrefix(authz, "Bearer ")
	require.True(t, ok, authz)
	parts := strings.Split(tok, ".")
	require.Len(t, parts, 3)

	res, err := http.Get(b.hs.URL + emulator.CertsPath)
	require.NoError(t, err)
	defer res.Body.Close()
	var jwks struct {
		Keys []struct{ Kid, N, E string } `json:"keys"`
	}
	require.NoError(t, json.NewDecoder(res.Body).Decode(&jwks))
	require.Len(t, jwks.Keys, 1)
	n, err := base64.RawURLEncoding.DecodeString(jwks.Keys[0].N)
	require.NoError(t, err)
	e, err := base64.RawURLEncoding.DecodeString(jwks.Keys[0].E)
	require.NoError(t, err)
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	require.NoError(t, err)
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	require.NoError(t, rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig))

	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	var claims map[string]any
	require.NoError(t, json.Unmarshal(payload, &claims))
	return claims
}
