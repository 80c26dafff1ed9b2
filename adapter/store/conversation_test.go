package store_test

import (
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/store"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

func messageID(m domain.Message) uuid.UUID { return m.ID }

func TestConversationsAndMessages(t *testing.T) {
	t.Parallel()
	f := setup(t)

	c, err := f.store.CreateConversation(f.ctx, f.user.ID, "Planning")
	require.NoError(t, err)
	got, err := f.store.Conversation(f.ctx, f.user.ID, c.ID)
	require.NoError(t, err)
	require.Equal(t, c, got)
	_, err = f.store.Conversation(f.ctx, f.other.ID, c.ID)
	require.ErrorIs(t, err, domain.ErrNotFound)

	m, created, err := f.store.CreateMessage(f.ctx, domain.Message{ConversationID: c.ID, UserID: f.user.ID,
		ClientRequestID: "req-1", Query: "what is on my calendar?"})
	require.NoError(t, err)
	require.True(t, created)
	require.Equal(t, domain.MessagePending, m.Status)
	require.JSONEq(t, "[]", string(m.Citations))
	require.JSONEq(t, "{}", string(m.Timings))
	require.Nil(t, m.Intent)

	// The same client request id answers the first message, even with another query.
	again, created, err := f.store.CreateMessage(f.ctx, domain.Message{ConversationID: c.ID, UserID: f.user.ID,
		ClientRequestID: "req-1", Query: "something else"})
	require.NoError(t, err)
	require.False(t, created)
	require.Equal(t, m.ID, again.ID)
	require.Equal(t, "what is on my calendar?", again.Query)

	// Another user may use the same key, but not this conversation.
	_, _, err = f.store.CreateMessage(f.ctx, domain.Message{ConversationID: c.ID, UserID: f.other.ID,
		ClientRequestID: "req-1", Query: "hi"})
	require.ErrorIs(t, err, domain.ErrNotFound)
	oc, err := f.store.CreateConversation(f.ctx, f.other.ID, "")
	require.NoError(t, err)
	om, created, err := f.store.CreateMessage(f.ctx, domain.Message{ConversationID: oc.ID, UserID: f.other.ID,
		ClientRequestID: "req-1", Query: "hi"})
	require.NoError(t, err)
	require.True(t, created)
	_, err = f.store.Message(f.ctx, f.user.ID, om.ID)
	require.ErrorIs(t, err, domain.ErrNotFound)

	// Messages without a key are never deduplicated.
	for range 4 {
		_, created, err := f.store.CreateMessage(f.ctx, domain.Message{ConversationID: c.ID, UserID: f.user.ID, Query: "again"})
		require.NoError(t, err)
		require.True(t, created)
	}
	_, _, err = f.store.CreateMessage(f.ctx, domain.Message{ConversationID: c.ID, UserID: f.user.ID})
	require.ErrorIs(t, err, domain.ErrInvalidInput)

	// Oldest first, across pages; with a fixed clock the ids keep insertion order.
	p1, info, err := f.store.Messages(f.ctx, f.user.ID, c.ID, domain.Page{First: 3})
	require.NoError(t, err)
	require.Equal(t, 5, info.TotalCount)
	require.True(t, info.HasNextPage)
	require.Equal(t, m.ID, p1[0].ID)
	p2, info, err := f.store.Messages(f.ctx, f.user.ID, c.ID, domain.Page{First: 3, After: info.EndCursor})
	require.NoError(t, err)
	require.False(t, info.HasNextPage)
	require.Len(t, p2, 2)
	require.Len(t, uniq(ids(append(p1, p2...), messageID)), 5)
	require.True(t, info.HasPreviousPage)
	require.Equal(t, info.Cursors[0], info.StartCursor)

	// Backward (Relay's last/before): the same order, read from the end.
	b2, info, err := f.store.Messages(f.ctx, f.user.ID, c.ID, domain.Page{Last: 2})
	require.NoError(t, err)
	require.Equal(t, ids(p2, messageID), ids(b2, messageID))
	require.True(t, info.HasPreviousPage)
	require.False(t, info.HasNextPage)
	b1, info, err := f.store.Messages(f.ctx, f.user.ID, c.ID, domain.Page{Last: 3, Before: info.StartCursor})
	require.NoError(t, err)
	require.Equal(t, ids(p1, messageID), ids(b1, messageID))
	require.False(t, info.HasPreviousPage)
	require.True(t, info.HasNextPage)
	_, _, err = f.store.Messages(f.ctx, f.user.ID, c.ID, domain.Page{Last: 1, Before: "nope"})
	require.ErrorIs(t, err, domain.ErrInvalidCursor)
	_, _, err = f.store.Messages(f.ctx, f.other.ID, c.ID, domain.Page{})
	require.ErrorIs(t, err, domain.ErrNotFound)

	m.Status = domain.MessageDone
	m.Intent = json.RawMessage(`{"kind":"calendar"}`)
	m.Response = "Two meetings."
	m.Citations = json.RawMessage(`[{"id":"e1"}]`)
	m.Actions = json.RawMessage(`[{"kind":"draft","state":"proposed"}]`)
	require.NoError(t, f.store.UpdateMessage(f.ctx, m))
	upd, err := f.store.Message(f.ctx, f.user.ID, m.ID)
	require.NoError(t, err)
	require.Equal(t, domain.MessageDone, upd.Status)
	require.JSONEq(t, `{"kind":"calendar"}`, string(upd.Intent))
	require.JSONEq(t, `[{"id":"e1"}]`, string(upd.Citations))
	require.JSONEq(t, `[{"kind":"draft","state":"proposed"}]`, string(upd.Actions))
	require.Equal(t, "Two meetings.", upd.Response)
	require.Equal(t, "req-1", upd.ClientRequestID)

	m.UserID = f.other.ID
	require.ErrorIs(t, f.store.UpdateMessage(f.ctx, m), domain.ErrNotFound)
}

func TestConversationsListMostRecentFirst(t *testing.T) {
	t.Parallel()
	f := setup(t)
	var made []domain.Conversation
	for i := range 5 {
		// A clock that moves, so updated_at orders them.
		s := store.New(f.db, nil, domain.FixedClock{T: f.now.Add(time.Duration(i) * time.Minute)})
		c, err := s.CreateConversation(f.ctx, f.user.ID, "")
		require.NoError(t, err)
		made = append(made, c)
	}
	// A new message makes the oldest conversation the most recent.
	later := store.New(f.db, nil, domain.FixedClock{T: f.now.Add(time.Hour)})
	_, _, err := later.CreateMessage(f.ctx, domain.Message{ConversationID: made[0].ID, UserID: f.user.ID, Query: "q"})
	require.NoError(t, err)

	var got []uuid.UUID
	page := domain.Page{First: 2}
	for {
		list, info, err := f.store.Conversations(f.ctx, f.user.ID, page)
		require.NoError(t, err)
		require.Equal(t, 5, info.TotalCount)
		for _, c := range list {
			got = append(got, c.ID)
		}
		if !info.HasNextPage {
			break
		}
		page.After = info.EndCursor
	}
	require.Equal(t, []uuid.UUID{made[0].ID, made[4].ID, made[3].ID, made[2].ID, made[1].ID}, got)

	other, info, err := f.store.Conversations(f.ctx, f.other.ID, domain.Page{})
	require.NoError(t, err)
	require.Empty(t, other)
	require.Zero(t, info.TotalCount)
}

func TestStartConversationIsAtomicAndIdempotent(t *testing.T) {
	t.Parallel()
	f := setup(t)
	m, created, err := f.store.StartConversation(f.ctx, "calendar", domain.Message{UserID: f.user.ID,
		ClientRequestID: "req-1", Query: "what is on my calendar?"})
	require.NoError(t, err)
	require.True(t, created)
	require.Equal(t, domain.MessagePending, m.Status)
	c, err := f.store.Conversation(f.ctx, f.user.ID, m.ConversationID)
	require.NoError(t, err)
	require.Equal(t, "calendar", c.Title)
	require.Equal(t, m.CreatedAt, c.UpdatedAt)

	// A retry answers the first message and leaves no second conversation.
	again, created, err := f.store.StartConversation(f.ctx, "other", domain.Message{UserID: f.user.ID,
		ClientRequestID: "req-1", Query: "something else"})
	require.NoError(t, err)
	require.False(t, created)
	require.Equal(t, m.ID, again.ID)
	require.Equal(t, m.ConversationID, again.ConversationID)
	_, info, err := f.store.Conversations(f.ctx, f.user.ID, domain.Page{})
	require.NoError(t, err)
	require.Equal(t, 1, info.TotalCount)

	// A bad message creates no conversation either.
	_, _, err = f.store.StartConversation(f.ctx, "empty", domain.Message{UserID: f.user.ID})
	require.ErrorIs(t, err, domain.ErrInvalidInput)
	_, _, err = f.store.StartConversation(f.ctx, "nobody", domain.Message{UserID: uuid.New(), Query: "hi"})
	require.ErrorIs(t, err, domain.ErrNotFound)
	_, info, err = f.store.Conversations(f.ctx, f.user.ID, domain.Page{})
	require.NoError(t, err)
	require.Equal(t, 1, info.TotalCount)
}

// TestModifyMessageRunsOneAtATime has many writers read-modify-write one
// message at once, as confirmations on several instances do: none of their
// changes is lost, and a failing change writes nothing.
func TestModifyMessageRunsOneAtATime(t *testing.T) {
	t.Parallel()
	f := setup(t)
	c, err := f.store.CreateConversation(f.ctx, f.user.ID, "race")
	require.NoError(t, err)
	m, _, err := f.store.CreateMessage(f.ctx, domain.Message{ConversationID: c.ID, UserID: f.user.ID, Query: "q",
		Status: domain.MessageDone})
	require.NoError(t, err)

	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			_, err := f.store.ModifyMessage(f.ctx, f.user.ID, m.ID, func(m *domain.Message) (bool, error) {
				read := m.Response
				time.Sleep(5 * time.Millisecond) // another writer would overwrite here without the lock
				m.Response = read + "x"
				return true, nil
			})
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	got, err := f.store.Message(f.ctx, f.user.ID, m.ID)
	require.NoError(t, err)
	require.Equal(t, "xxxxxxxx", got.Response)

	_, err = f.store.ModifyMessage(f.ctx, f.user.ID, m.ID, func(m *domain.Message) (bool, error) {
		m.Response = "lost"
		return true, domain.ErrConflict
	})
	require.ErrorIs(t, err, domain.ErrConflict)
	_, err = f.store.ModifyMessage(f.ctx, f.other.ID, m.ID, func(*domain.Message) (bool, error) { return true, nil })
	require.ErrorIs(t, err, domain.ErrNotFound, "another user's message")
	got, err = f.store.Message(f.ctx, f.user.ID, m.ID)
	require.NoError(t, err)
	require.Equal(t, "xxxxxxxx", got.Response)
}

func TestUnfinishedMessagesOfAnyUserByAge(t *testing.T) {
	t.Parallel()
	f := setup(t)
	for _, u := range []uuid.UUID{f.user.ID, f.other.ID} {
		c, err := f.store.CreateConversation(f.ctx, u, "c")
		require.NoError(t, err)
		for _, st := range []domain.MessageStatus{domain.MessagePending, domain.MessageRunning, domain.MessageDone} {
			m, _, err := f.store.CreateMessage(f.ctx, domain.Message{ConversationID: c.ID, UserID: u, Query: "q"})
			require.NoError(t, err)
			m.Status = st
			require.NoError(t, f.store.UpdateMessage(f.ctx, m))
		}
	}
	got, err := f.store.UnfinishedMessages(f.ctx, f.now.Add(time.Second), 10)
	require.NoError(t, err)
	require.Len(t, got, 4, "pending and running, of both users")
	for _, m := range got {
		require.False(t, m.Status.Ended())
	}
	got, err = f.store.UnfinishedMessages(f.ctx, f.now.Add(time.Second), 3)
	require.NoError(t, err)
	require.Len(t, got, 3)
	got, err = f.store.UnfinishedMessages(f.ctx, f.now, 10)
	require.NoError(t, err)
	require.Empty(t, got, "written at f.now: not before it")
}

// TestTouchMessagesIsAHeartbeatOfUnfinishedOnes: touched unfinished
// messages count as written then (the sweep leaves them); finished ones and
// later writes keep their time.
func TestTouchMessagesIsAHeartbeatOfUnfinishedOnes(t *testing.T) {
	t.Parallel()
	f := setup(t)
	c, err := f.store.CreateConversation(f.ctx, f.user.ID, "c")
	require.NoError(t, err)
	var ids []uuid.UUID
	for _, st := range []domain.MessageStatus{domain.MessagePending, domain.MessageRunning, domain.MessageDone} {
		m, _, err := f.store.CreateMessage(f.ctx, domain.Message{ConversationID: c.ID, UserID: f.user.ID, Query: "q"})
		require.NoError(t, err)
		m.Status = st
		require.NoError(t, f.store.UpdateMessage(f.ctx, m))
		ids = append(ids, m.ID)
	}
	later := f.now.Add(time.Minute)
	require.NoError(t, f.store.TouchMessages(f.ctx, ids, later))
	require.NoError(t, f.store.TouchMessages(f.ctx, nil, later))
	got, err := f.store.UnfinishedMessages(f.ctx, later, 10)
	require.NoError(t, err)
	require.Empty(t, got, "both unfinished ones beat at later")
	require.NoError(t, f.store.TouchMessages(f.ctx, ids, f.now), "an older beat moves nothing back")
	for i, id := range ids {
		m, err := f.store.Message(f.ctx, f.user.ID, id)
		require.NoError(t, err)
		if i < 2 {
			require.Equal(t, later, m.UpdatedAt)
		} else {
			require.Equal(t, f.now, m.UpdatedAt, "a finished message is no heartbeat's")
		}
	}
}
