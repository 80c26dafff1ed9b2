// Package synctest runs the sync end to end: the real Google API clients
// against the loopback Workspace emulator, River jobs, PostgreSQL and Redis.
package synctest

import (
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
	"github.com/workspace-orchestrator/orchestrator/adapter/ratelimit"
	"github.com/workspace-orchestrator/orchestrator/adapter/redistest"
	"github.com/workspace-orchestrator/orchestrator/adapter/store"
	"github.com/workspace-orchestrator/orchestrator/adapter/store/secret/secrettest"
	"github.com/workspace-orchestrator/orchestrator/adapter/store/storetest"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/ingest"
)

const alice = "alice@example.com"

// offline loads the offline embedder's word vectors once for every test.
var offline = sync.OnceValues(func() (*embed.Offline, error) { return embed.NewOffline() })

// env is one user's workspace in the emulator wired through the real
// adapters to a fresh PostgreSQL schema.
type env struct {
	emu      *emulator.Server
	hs       *httptest.Server
	db       *store.DB
	store    *store.Store
	auth     *googleauth.Auth
	gmail    *gmailapi.Gmail
	calendar *calendarapi.Calendar
	drive    *driveapi.Drive
	syncer   *ingest.Syncer
	embedder domain.Embedder
	log      *slog.Logger
}

type options struct {
	emulator  emulator.Config
	pageSize  int // Gmail and Drive page size; 0 for the adapters' default
	limits    map[domain.Service]ratelimit.Limit
	workspace map[string]emulator.Workspace
}

func setup(t testing.TB, o options) *env {
	t.Helper()
	emu, hs := emulatortest.NewWithConfig(t, o.emulator, o.workspace)
	db := storetest.New(t)
	log := slog.New(slog.DiscardHandler)
	keys := secrettest.Keyring(t)
	st := store.New(db, keys, domain.SystemClock{})
	em, err := offline()
	require.NoError(t, err)

	auth, err := googleauth.New(googleauth.Config{ClientID: "emulator-client", ClientSecret: "emulator-secret", BaseURL: hs.URL,
		RedirectURL: "http://127.0.0.1/oauth/callback"},
		st, domain.SystemClock{}, log)
	require.NoError(t, err)
	cc := gclient.Config{BaseURL: hs.URL, Auth: auth}
	if o.limits != nil {
		rdb, prefix := redistest.New(t)
		lim, err := ratelimit.New(rdb, ratelimit.Config{Prefix: prefix, Limits: o.limits})
		require.NoError(t, err)
		cc.Limiter = lim
	}
	gm, err := gmailapi.New(gmailapi.Config{Client: cc, PageSize: o.pageSize}, gmailapi.Deps{Writer: st, Embedder: em, Logger: log})
	require.NoError(t, err)
	cal, err := calendarapi.New(calendarapi.Config{Client: cc}, calendarapi.Deps{Writer: st, Embedder: em, Logger: log})
	require.NoError(t, err)
	dr, err := driveapi.New(driveapi.Config{Client: cc, PageSize: o.pageSize}, log)
	require.NoError(t, err)
	syncer, err := ingest.New(ingest.Deps{
		Gmail: gm, Calendar: cal, Drive: dr, Users: st, Writer: st, Reader: st, Status: st, Tx: st,
		Embedder: em, Index: st, Clock: domain.SystemClock{}, Logger: log,
	}, ingest.Config{})
	require.NoError(t, err)
	return &env{emu: emu, hs: hs, db: db, store: st, auth: auth, gmail: gm, calendar: cal, drive: dr,
		syncer: syncer, embedder: em, log: log}
}

// connect creates the user and stores the tokens the emulator grants them,
// as the OAuth callback would.
func (e *env) connect(t testing.TB, email string) domain.User {
	t.Helper()
	ctx := context.Background()
	u, err := e.store.UpsertUser(ctx, email)
	require.NoError(t, err)
	access, refresh := e.emu.IssueToken(email)
	require.NoError(t, e.store.SaveGoogleToken(ctx, u.ID, domain.GoogleToken{
		AccessToken: access, RefreshToken: refresh, Expiry: time.Now().Add(time.Hour),
	}))
	return u
}

func (e *env) sync(t *testing.T, u domain.User, s domain.Service) {
	t.Helper()
	require.NoError(t, e.syncer.Sync(context.Background(), u.ID, s))
}

func (e *env) emails(t *testing.T, u domain.User) map[string]domain.Email {
	t.Helper()
	out := map[string]domain.Email{}
	p := domain.Page{First: 100}
	for {
		es, info, err := e.store.Emails(context.Background(), u.ID, domain.Filter{}, p)
		require.NoError(t, err)
		for _, m := range es {
			_, dup := out[m.EmailID]
			require.False(t, dup, "email %s listed twice", m.EmailID)
			out[m.EmailID] = m
		}
		if !info.HasNextPage {
			return out
		}
		p.After = info.EndCursor
	}
}

func (e *env) events(t *testing.T, u domain.User) map[string]domain.Event {
	t.Helper()
	es, info, err := e.store.Events(context.Background(), u.ID, domain.Filter{}, domain.Page{First: 100})
	require.NoError(t, err)
	require.False(t, info.HasNextPage)
	out := map[string]domain.Event{}
	for _, ev := range es {
		out[ev.EventID] = ev
	}
	return out
}

func (e *env) files(t *testing.T, u domain.User) map[string]domain.File {
	t.Helper()
	fs, info, err := e.store.Files(context.Background(), u.ID, domain.Filter{}, domain.Page{First: 100})
	require.NoError(t, err)
	require.False(t, info.HasNextPage)
	out := map[string]domain.File{}
	for _, f := range fs {
		out[f.FileID] = f
	}
	return out
}

func (e *env) status(t *testing.T, u domain.User, s domain.Service) domain.SyncStatus {
	t.Helper()
	st, err := e.store.SyncStatus(context.Background(), u.ID, s)
	require.NoError(t, err)
	return st
}

// snapshot is the emulator's view of the user's workspace.
func (e *env) snapshot(t *testing.T, email string) emulator.Workspace {
	t.Helper()
	ws, err := e.emu.Snapshot(email)
	require.NoError(t, err)
	return ws
}
