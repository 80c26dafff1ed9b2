package synctest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
	"github.com/workspace-orchestrator/orchestrator/adapter/emulator/emulatortest"
	"github.com/workspace-orchestrator/orchestrator/adapter/google/webhook"
	"github.com/workspace-orchestrator/orchestrator/adapter/jobqueue"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/workers"
)

func TestWebhooksEnqueueSyncsAndRejectStrangers(t *testing.T) {
	t.Parallel()
	cfg := webhook.Config{Secret: []byte("0123456789abcdef0123456789abcdef")}
	var handler atomic.Pointer[webhook.Handler]
	hooks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handler.Load().ServeHTTP(w, r)
	}))
	t.Cleanup(hooks.Close)
	probe, err := webhook.New(cfg, nil, nil, nil) // only to know the push token before the emulator starts
	require.NoError(t, err)
	e := setup(t, options{
		emulator:  emulator.Config{GmailPushURL: hooks.URL + "/gmail?token=" + probe.GmailPushToken()},
		workspace: map[string]emulator.Workspace{alice: workspace()},
	})
	u := e.connect(t, alice)
	ws, _, err := workers.New(workers.Deps{Syncer: e.syncer, Users: e.store, Clock: domain.SystemClock{}, Logger: e.log})
	require.NoError(t, err)
	q, err := jobqueue.New(e.db.SQL, jobqueue.Config{Workers: ws, Logger: e.log}) // not started: jobs stay queued
	require.NoError(t, err)
	h, err := webhook.New(cfg, e.store, workers.SyncQueue{Jobs: q}, e.log)
	require.NoError(t, err)
	handler.Store(h)

	ctx := context.Background()
	_, err = e.gmail.Watch(ctx, u.ID, "projects/demo/topics/gmail")
	require.NoError(t, err)
	cal, err := e.calendar.Watch(ctx, u.ID, hooks.URL+"/calendar", h.ChannelToken(u.ID, domain.ServiceCalendar))
	require.NoError(t, err)
	require.True(t, cal.Expires.After(time.Now()))
	_, err = e.drive.Watch(ctx, u.ID, hooks.URL+"/drive", h.ChannelToken(u.ID, domain.ServiceDrive))
	require.NoError(t, err)

	require.NoError(t, e.emu.AddWorkspace(alice, emulator.Workspace{
		Messages: []emulator.Message{emulatortest.Mail("erin@example.com", alice, "Pushed", "Hi", day, "INBOX")},
		Events:   []emulator.Event{emulatortest.Event("Pushed", day, time.Hour)},
	}))
	require.NoError(t, e.emu.RenameFile(alice, e.snapshot(t, alice).Files[0].ID, "Renamed"))

	require.Eventually(t, func() bool {
		res, err := q.Client().JobList(ctx, river.NewJobListParams().Kinds("sync_gmail", "sync_calendar", "sync_drive"))
		require.NoError(t, err)
		kinds := map[string]bool{}
		for _, j := range res.Jobs {
			var args workers.SyncGmailArgs
			require.NoError(t, json.Unmarshal(j.EncodedArgs, &args))
			require.Equal(t, u.ID, args.UserID)
			kinds[j.Kind] = true
		}
		return len(kinds) == 3
	}, 10*time.Second, 50*time.Millisecond)

	post := func(path string, header map[string]string, body string) int {
		req, err := http.NewRequest(http.MethodPost, hooks.URL+path, strings.NewReader(body))
		require.NoError(t, err)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	good := `{"message":{"data":"eyJlbWFpbEFkZHJlc3MiOiJhbGljZUBleGFtcGxlLmNvbSIsImhpc3RvcnlJZCI6MX0="}}`
	require.Equal(t, http.StatusNoContent, post("/gmail?token="+h.GmailPushToken(), nil, good))
	require.Equal(t, http.StatusUnauthorized, post("/gmail", nil, good))
	require.Equal(t, http.StatusUnauthorized, post("/gmail?token=guess", nil, good))
	require.Equal(t, http.StatusBadRequest, post("/gmail?token="+h.GmailPushToken(), nil, `{"message":{"data":"!!"}}`))
	changed := map[string]string{"X-Goog-Resource-State": "exists"}
	require.Equal(t, http.StatusUnauthorized, post("/calendar", changed, ""))
	changed["X-Goog-Channel-Token"] = h.ChannelToken(u.ID, domain.ServiceDrive) // a Drive token on the Calendar endpoint
	require.Equal(t, http.StatusUnauthorized, post("/calendar", changed, ""))
	changed["X-Goog-Channel-Token"] = uuid.NewString() + ".forged"
	require.Equal(t, http.StatusUnauthorized, post("/drive", changed, ""))
	changed["X-Goog-Channel-Token"] = h.ChannelToken(u.ID, domain.ServiceDrive)
	require.Equal(t, http.StatusNoContent, post("/drive", changed, ""))
	resp, err := http.Get(hooks.URL + "/drive")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
}
