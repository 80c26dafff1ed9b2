package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
	"github.com/workspace-orchestrator/orchestrator/adapter/emulator/emulatortest"
	"github.com/workspace-orchestrator/orchestrator/adapter/redistest"
	"github.com/workspace-orchestrator/orchestrator/adapter/store"
	"github.com/workspace-orchestrator/orchestrator/adapter/store/secret"
	"github.com/workspace-orchestrator/orchestrator/adapter/store/storetest"
	"github.com/workspace-orchestrator/orchestrator/cmd/orchestrator/config"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

// cmdEnv is an emulator on a loopback server and a migrated schema of its own,
// with the environment that points the commands at both and at the test Redis.
type cmdEnv struct {
	emu   *emulator.Server
	hs    *httptest.Server
	db    *store.DB
	store *store.Store
	vars  map[string]string
}

func setupCmd(t testing.TB) *cmdEnv {
	t.Helper()
	emu, hs := emulatortest.New(t, nil)
	db := storetest.New(t)
	keys, err := secret.ParseKeyring(config.DevTokenKeys) // the commands' default TOKEN_KEYS
	require.NoError(t, err)
	return &cmdEnv{
		emu: emu, hs: hs, db: db,
		store: store.New(db, keys, domain.SystemClock{}),
		vars: map[string]string{
			// The pool's connection string carries the test schema's search_path.
			"DATABASE_URL":       db.Pool.Config().ConnString(),
			"DATABASE_MAX_CONNS": "4",
			"GOOGLE_URL":         hs.URL,
			// Caches and answer streams are keyed by user and message ids,
			// which are unique to each test's schema.
			"REDIS_URL": redistest.URL(),
			"LOG_LEVEL": "warn",
		},
	}
}

// run runs one command line against e and returns what it printed.
func (e *cmdEnv) run(ctx context.Context, args ...string) (stdout, stderr string, err error) {
	var out, errb lockedBuffer
	err = run(ctx, args, e.vars, &out, &errb)
	return out.String(), errb.String(), err
}

// startApp opens the app on e as every command does, with clock as its time
// (nil is the system clock), builds the production stack with the River
// workers and starts them, as `orchestrator worker` does. Everything stops when
// the test ends; the app's log is shown if the test failed.
func (e *cmdEnv) startApp(t testing.TB, clock domain.Clock) (*app, *stack) {
	t.Helper()
	ctx := context.Background()
	var logs lockedBuffer
	c := &cli{vars: e.vars, stdout: &lockedBuffer{}, stderr: &logs, clock: clock}
	a, err := c.openApp(ctx)
	require.NoError(t, err)
	t.Cleanup(func() {
		a.Close()
		if t.Failed() {
			t.Logf("app log:\n%s", logs.String())
		}
	})
	st, err := a.buildStack(ctx, true)
	require.NoError(t, err)
	require.NoError(t, st.queue.Start(ctx))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		require.NoError(t, st.orch.Close(ctx))
		require.NoError(t, st.queue.Stop(ctx))
	})
	return a, st
}

// startWorker runs the sync workers of the production stack on e.
func (e *cmdEnv) startWorker(t testing.TB) { e.startApp(t, nil) }

// runningClock starts at a pinned instant and then runs with the wall clock,
// so "now" is fixed for the data while later writes still sort after earlier ones.
type runningClock struct {
	domain.SystemClock // timers
	from               time.Time
	start              time.Time
}

func startClock(at time.Time) runningClock { return runningClock{from: at, start: time.Now()} }

func (c runningClock) Now() time.Time { return c.from.Add(time.Since(c.start)) }

// lockedBuffer is a bytes.Buffer safe to read while a command writes to it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
