package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/demo"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

var emulatorURL = regexp.MustCompile(`Workspace emulator at (http://\S+) `)

func TestEmulatorServesTheDemoUntilInterrupted(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"emulator", "--addr", "127.0.0.1:0", "--demo", "--demo-user", "dana@example.com"},
			map[string]string{}, &out, &errb)
	}()
	var url string
	require.Eventually(t, func() bool {
		m := emulatorURL.FindStringSubmatch(out.String())
		if m != nil {
			url = m[1]
		}
		return m != nil
	}, 4*time.Minute, 20*time.Millisecond, "stdout %q, stderr %q", out.String(), errb.String())
	require.Contains(t, errb.String(), `"msg":"demo workspace loaded"`)

	resp, err := http.Get(url + "/emulator/users")
	require.NoError(t, err)
	var users []string
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&users))
	require.NoError(t, resp.Body.Close())
	require.Equal(t, []string{"dana@example.com"}, users)

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("the emulator did not stop on interrupt")
	}
	_, err = http.Get(url + "/emulator/users")
	require.Error(t, err, "no longer listening")
}

func TestEmulatorListensOnLoopbackOnly(t *testing.T) {
	t.Parallel()
	for _, addr := range []string{"0.0.0.0:8085", ":8085", "192.0.2.1:8085"} {
		var out, errb lockedBuffer
		err := run(context.Background(), []string{"emulator", "--addr", addr}, map[string]string{}, &out, &errb)
		require.ErrorIs(t, err, domain.ErrInvalidInput, addr)
		require.ErrorContains(t, err, "loopback", addr)
	}
}

func TestEmulatorHelp(t *testing.T) {
	t.Parallel()
	var out, errb lockedBuffer
	require.NoError(t, run(context.Background(), []string{"emulator", "--help"}, map[string]string{}, &out, &errb))
	for _, want := range []string{"Gmail v1, Calendar v3, Drive v3 and OAuth 2.0", "GOOGLE_URL", "loopback",
		"--addr", "--demo", "--demo-user", "--no-shift", "re-anchored"} {
		require.Contains(t, out.String(), want)
	}
}

// The served demo is re-anchored to the clock's now, not to demo.Now(), so
// "next week" keeps finding meetings whenever the demo runs.
func TestEmulatorAnchorsTheDemoToNow(t *testing.T) {
	t.Parallel()
	now := time.Date(2030, 3, 6, 9, 0, 0, 0, time.UTC)
	var logs lockedBuffer
	emu, err := startEmulator(context.Background(), emulatorOptions{Addr: "127.0.0.1:0", Demo: true, DemoUser: "dana@example.com", Shift: true},
		domain.FixedClock{T: now}, slog.New(slog.NewJSONHandler(&logs, nil)))
	require.NoError(t, err)
	defer emu.Close(context.Background())
	_, off, err := demo.Load(demo.Options{Shift: true, Now: now})
	require.NoError(t, err)
	require.Equal(t, 2030-2002, off.MailYears)
	require.Contains(t, logs.String(), fmt.Sprintf(`"calendar_days":%d`, off.CalendarDays))
	require.Contains(t, logs.String(), `"mail_years":28`)
}
