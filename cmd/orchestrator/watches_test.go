package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
	"github.com/workspace-orchestrator/orchestrator/adapter/google/webhook"
	"github.com/workspace-orchestrator/orchestrator/cmd/orchestrator/config"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

// TestWorkerOpensPushWatches: with PUBLIC_URL and GMAIL_PUSH_TOPIC set, the
// worker opens every connected user's watches at start, pointed at the
// server's webhooks with tokens of WEBHOOK_TOKEN, and records them.
func TestWorkerOpensPushWatches(t *testing.T) {
	t.Parallel()
	e := setupCmd(t)
	var (
		mu     sync.Mutex
		tokens = map[string]string{} // channel token by webhook path
	)
	public := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		tokens[r.URL.Path] = r.Header.Get("X-Goog-Channel-Token")
	}))
	t.Cleanup(public.Close)
	e.vars["PUBLIC_URL"] = public.URL + "/"
	e.vars["GMAIL_PUSH_TOPIC"] = "projects/demo/topics/gmail"
	ctx := context.Background()
	u, err := e.store.UpsertUser(ctx, importUser)
	require.NoError(t, err)
	access, refresh := e.emu.IssueToken(importUser)
	require.NoError(t, e.store.SaveGoogleToken(ctx, u.ID, domain.GoogleToken{AccessToken: access, RefreshToken: refresh, Expiry: time.Now().Add(time.Hour)}))

	e.startWorker(t)
	all := []domain.Service{domain.ServiceGmail, domain.ServiceCalendar, domain.ServiceDrive}
	require.Eventually(t, func() bool {
		recorded, err := e.store.DueWatches(ctx, all, time.Now().Add(30*24*time.Hour))
		require.NoError(t, err)
		return len(recorded) == 3 && !recorded[0].Expires.IsZero() && !recorded[1].Expires.IsZero() && !recorded[2].Expires.IsZero()
	}, 30*time.Second, 50*time.Millisecond)
	watches := e.emu.Watches(importUser)
	require.Len(t, watches, 3)
	require.Equal(t, emulator.Watch{Service: "calendar", Address: public.URL + "/webhooks/calendar", Expires: watches[0].Expires}, watches[0])
	require.Equal(t, emulator.Watch{Service: "drive", Address: public.URL + "/webhooks/drive", Expires: watches[1].Expires}, watches[1])
	require.Equal(t, "gmail", watches[2].Service)

	// Each channel announces itself with its token, which the server's
	// webhook handler (keyed by the same WEBHOOK_TOKEN) accepts.
	cfg, err := config.Load(e.vars)
	require.NoError(t, err)
	signer, err := webhook.NewTokens([]byte(cfg.WebhookToken))
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(tokens) == 2
	}, 10*time.Second, 50*time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, signer.ChannelToken(u.ID, domain.ServiceCalendar), tokens["/webhooks/calendar"])
	require.Equal(t, signer.ChannelToken(u.ID, domain.ServiceDrive), tokens["/webhooks/drive"])
}
