package workers_test

import (
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/store"
	"github.com/workspace-orchestrator/orchestrator/adapter/store/secret/secrettest"
	"github.com/workspace-orchestrator/orchestrator/adapter/store/storetest"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/workers"
)

// The end-to-end behaviour of renew_watches is in workers/synctest; here,
// that a configuration unable to open any watch is refused by name.
func TestWatchesConfigIsChecked(t *testing.T) {
	t.Parallel()
	db := storetest.New(t)
	st := store.New(db, secrettest.Keyring(t), domain.SystemClock{})
	for want, w := range map[string]workers.Watches{
		"Watches.Store is required":                                         {GmailTopic: "projects/p/topics/t"},
		"Watches needs a GmailTopic, a WebhookURL or both":                  {Store: st},
		"Watches.Gmail is required with a GmailTopic":                       {Store: st, GmailTopic: "projects/p/topics/t"},
		"Watches.Calendar, Drive and Tokens are required with a WebhookURL": {Store: st, WebhookURL: "https://orchestrator.example.com/webhooks"},
	} {
		_, _, err := workers.New(workers.Deps{Syncer: noSync{}, Users: st, Clock: domain.SystemClock{},
			Logger: slog.New(slog.DiscardHandler), Watches: &w})
		require.ErrorIs(t, err, domain.ErrInvalidInput, want)
		require.ErrorContains(t, err, want)
	}
}
