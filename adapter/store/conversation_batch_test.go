package store_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

func TestConversationBatchReader(t *testing.T) {
	t.Parallel()
	f := setup(t)

	empty, err := f.store.CreateConversation(f.ctx, f.user.ID, "empty")
	require.NoError(t, err)
	busy, err := f.store.CreateConversation(f.ctx, f.user.ID, "busy")
	require.NoError(t, err)
	theirs, err := f.store.CreateConversation(f.ctx, f.other.ID, "theirs")
	require.NoError(t, err)
	for range 3 {
		_, _, err := f.store.CreateMessage(f.ctx, domain.Message{ConversationID: busy.ID, UserID: f.user.ID, Query: "q"})
		require.NoError(t, err)
	}
	_, _, err = f.store.CreateMessage(f.ctx, domain.Message{ConversationID: theirs.ID, UserID: f.other.ID, Query: "q"})
	require.NoError(t, err)

	ids := []uuid.UUID{empty.ID, busy.ID, theirs.ID, uuid.New()}
	convs, err := f.store.ConversationsByID(f.ctx, f.user.ID, ids)
	require.NoError(t, err)
	require.Equal(t, map[uuid.UUID]domain.Conversation{empty.ID: empty, busy.ID: busy}, convs)

	counts, err := f.store.MessageCounts(f.ctx, f.user.ID, ids)
	require.NoError(t, err)
	require.Equal(t, map[uuid.UUID]int{empty.ID: 0, busy.ID: 3}, counts)
}
