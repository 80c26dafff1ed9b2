package emulator_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	calendar "google.golang.org/api/calendar/v3"
	drive "google.golang.org/api/drive/v3"
	gmail "google.golang.org/api/gmail/v1"
	"google.golang.org/api/googleapi"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
	"github.com/workspace-orchestrator/orchestrator/adapter/emulator/emulatortest"
)

const alice = "alice@example.com"

// base is the fixed date test data is built around.
var base = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

type bundle struct {
	srv *emulator.Server
	hs  *httptest.Server
	gm  *gmail.Service
	cal *calendar.Service
	dr  *drive.Service
	ctx context.Context
}

// setup starts an emulator holding ws for alice and real clients authorised as alice.
func setup(t *testing.T, cfg emulator.Config, ws emulator.Workspace) bundle {
	t.Helper()
	srv, hs := emulatortest.NewWithConfig(t, cfg, map[string]emulator.Workspace{alice: ws})
	gm, cal, dr := emulatortest.Services(t, srv, hs, alice)
	return bundle{srv: srv, hs: hs, gm: gm, cal: cal, dr: dr, ctx: t.Context()}
}

// apiErr asserts err is a googleapi.Error with code and returns it.
func apiErr(t *testing.T, err error, code int) *googleapi.Error {
	t.Helper()
	var gerr *googleapi.Error
	require.True(t, errors.As(err, &gerr), "want googleapi.Error, got %v", err)
	require.Equal(t, code, gerr.Code, gerr.Error())
	return gerr
}

func TestConcurrentClientsAreSafe(t *testing.T) {
	t.Parallel()
	b := setup(t, emulator.Config{}, emulator.Workspace{})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := emulatortest.Mail("bob@example.com", alice, "hello", "body", base.Add(time.Duration(i)*time.Minute), "INBOX")
			require.NoError(t, b.srv.AddWorkspace(alice, emulator.Workspace{Messages: []emulator.Message{m}}))
			_, err := b.gm.Users.Messages.List("me").Context(b.ctx).Do()
			require.NoError(t, err)
			_, err = b.cal.Events.List("primary").Context(b.ctx).Do()
			require.NoError(t, err)
		}()
	}
	wg.Wait()
	p, err := b.gm.Users.GetProfile("me").Context(b.ctx).Do()
	require.NoError(t, err)
	require.EqualValues(t, 8, p.MessagesTotal)
}

func TestOtherUsersMailboxIsForbidden(t *testing.T) {
	t.Parallel()
	b := setup(t, emulator.Config{}, emulator.Workspace{})
	_, err := b.gm.Users.GetProfile("mallory@example.com").Context(b.ctx).Do()
	apiErr(t, err, 403)
}

func TestUnknownRouteAnswersGoogleJSON(t *testing.T) {
	t.Parallel()
	b := setup(t, emulator.Config{}, emulator.Workspace{})
	_, err := b.gm.Users.Threads.List("me").Context(b.ctx).Do()
	gerr := apiErr(t, err, 404)
	require.Contains(t, gerr.Message, "GET /gmail/v1/users/me/threads")
}
