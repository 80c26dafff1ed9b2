package main

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/embed"
	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
	"github.com/workspace-orchestrator/orchestrator/adapter/emulator/emulatortest"
	"github.com/workspace-orchestrator/orchestrator/adapter/google/calendarapi"
	"github.com/workspace-orchestrator/orchestrator/adapter/google/driveapi"
	"github.com/workspace-orchestrator/orchestrator/adapter/google/gclient"
	"github.com/workspace-orchestrator/orchestrator/adapter/google/gmailapi"
	"github.com/workspace-orchestrator/orchestrator/adapter/google/googleauth"
	"github.com/workspace-orchestrator/orchestrator/adapter/jobqueue"
	"github.com/workspace-orchestrator/orchestrator/adapter/store"
	"github.com/workspace-orchestrator/orchestrator/adapter/store/storetest"
	"github.com/workspace-orchestrator/orchestrator/config"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/ingest"
	"github.com/workspace-orchestrator/orchestrator/secret"
	"github.com/workspace-orchestrator/orchestrator/workers"
)

// cmdEnv is an emulator on a loopback server and a migrated schema of its own,
// with the environment that points the commands at both.
type cmdEnv struct {
	emu   *emulator.Server
	hs    *httptest.Server
	db    *store.DB
	store *store.Store
	vars  map[string]string
}

func setupCmd(t *testing.T) *cmdEnv {
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
			"LOG_LEVEL":          "warn",
		},
	}
}

// run runs one command line against e and returns what it printed.
func (e *cmdEnv) run(ctx context.Context, args ...string) (stdout, stderr string, err error) {
	var out, errb lockedBuffer
	err = run(ctx, args, e.vars, &out, &errb)
	return out.String(), errb.String(), err
}

// offline loads the offline embedder's vectors once for every test.
var offline = sync.OnceValues(func() (*embed.Offline, error) { return embed.NewOffline() })

// startWorker runs the sync workers over the real Google clients against the
// emulator in a River client on e's schema, as `orchestrator worker` does.
func (e *cmdEnv) startWorker(t *testing.T) {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	clock := domain.SystemClock{}
	em, err := offline()
	require.NoError(t, err)
	auth, err := googleauth.New(googleauth.Config{ClientID: "orchestrator-local", BaseURL: e.hs.URL}, e.store, clock, log)
	require.NoError(t, err)
	cc := gclient.Config{BaseURL: e.hs.URL, Auth: auth}
	gm, err := gmailapi.New(gmailapi.Config{Client: cc}, gmailapi.Deps{Writer: e.store, Embedder: em, Logger: log})
	require.NoError(t, err)
	cal, err := calendarapi.New(calendarapi.Config{Client: cc}, calendarapi.Deps{Writer: e.store, Embedder: em, Logger: log})
	require.NoError(t, err)
	dr, err := driveapi.New(driveapi.Config{Client: cc}, log)
	require.NoError(t, err)
	syncer, err := ingest.New(ingest.Deps{
		Gmail: gm, Calendar: cal, Drive: dr, Users: e.store, Writer: e.store, Reader: e.store, Status: e.store, Tx: e.store,
		Embedder: em, Clock: clock, Logger: log,
	}, ingest.Config{})
	require.NoError(t, err)
	ws, _, err := workers.New(workers.Deps{Syncer: syncer, Users: jobqueue.Users{DB: e.db.SQL}, Clock: clock, Logger: log})
	require.NoError(t, err)
	q, err := jobqueue.New(e.db.SQL, jobqueue.Config{Workers: ws, FetchPollInterval: 50 * time.Millisecond, Logger: log})
	require.NoError(t, err)
	require.NoError(t, q.Start(context.Background()))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		require.NoError(t, q.Stop(ctx))
	})
}

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
