package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

type conversationRow struct {
	bun.BaseModel `bun:"table:conversations"`

	ID        uuid.UUID `bun:"id,pk,type:uuid"`
	UserID    uuid.UUID `bun:"user_id,type:uuid"`
	Title     string    `bun:"title"`
	CreatedAt time.Time `bun:"created_at"`
	UpdatedAt time.Time `bun:"updated_at"`
}

func (r *conversationRow) domain() domain.Conversation {
	return domain.Conversation{ID: r.ID, UserID: r.UserID, Title: r.Title, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

type messageRow struct {
	bun.BaseModel `bun:"table:messages"`

	ID              uuid.UUID       `bun:"id,pk,type:uuid"`
	ConversationID  uuid.UUID       `bun:"conversation_id,type:uuid"`
	UserID          uuid.UUID       `bun:"user_id,type:uuid"`
	ClientRequestID *string         `bun:"client_request_id"`
	Query           string          `bun:"query"`
	Status          string          `bun:"status"`
	Intent          json.RawMessage `bun:"intent,type:jsonb,nullzero"`
	Plan            json.RawMessage `bun:"plan,type:jsonb,nullzero"`
	Response        string          `bun:"response"`
	Citations       json.RawMessage `bun:"citations,type:jsonb"`
	ActionsTaken    json.RawMessage `bun:"actions_taken,type:jsonb"`
	StepResults     json.RawMessage `bun:"step_results,type:jsonb"`
	Timings         json.RawMessage `bun:"timings,type:jsonb"`
	Error           string          `bun:"error"`
	CreatedAt       time.Time       `bun:"created_at"`
	UpdatedAt       time.Time       `bun:"updated_at"`
}

func messageRowOf(m *domain.Message) messageRow {
	var crid *string
	if m.ClientRequestID != "" {
		crid = &m.ClientRequestID
	}
	return messageRow{
		ID:              m.ID,
		ConversationID:  m.ConversationID,
		UserID:          m.UserID,
		ClientRequestID: crid,
		Query:           m.Query,
		Status:          string(m.Status),
		Intent:          m.Intent,
		Plan:            m.Plan,
		Response:        m.Response,
		// The NOT NULL json columns get their empty value, never JSON null.
		Citations:    jsonOr(m.Citations, "[]"),
		ActionsTaken: jsonOr(m.Actions, "[]"),
		StepResults:  jsonOr(m.StepResults, "[]"),
		Timings:      jsonOr(m.Timings, "{}"),
		Error:        m.Error,
		CreatedAt:    m.CreatedAt,
		UpdatedAt:    m.UpdatedAt,
	}
}

func jsonOr(v json.RawMessage, empty string) json.RawMessage {
	if len(v) == 0 {
		return json.RawMessage(empty)
	}
	return v
}

func (r *messageRow) domain() domain.Message {
	m := domain.Message{
		ID:             r.ID,
		ConversationID: r.ConversationID,
		UserID:         r.UserID,
		Query:          r.Query,
		Status:         domain.MessageStatus(r.Status),
		Intent:         r.Intent,
		Plan:           r.Plan,
		Response:       r.Response,
		Citations:      r.Citations,
		Actions:        r.ActionsTaken,
		StepResults:    r.StepResults,
		Timings:        r.Timings,
		Error:          r.Error,
		CreatedAt:      r.CreatedAt.UTC(),
		UpdatedAt:      r.UpdatedAt.UTC(),
	}
	if r.ClientRequestID != nil {
		m.ClientRequestID = *r.ClientRequestID
	}
	return m
}

// CreateConversation starts a conversation for the user.
func (s *ConversationStore) CreateConversation(ctx context.Context, userID uuid.UUID, title string) (domain.Conversation, error) {
	now := s.now()
	row := conversationRow{ID: uuid.Must(uuid.NewV7()), UserID: userID, Title: title, CreatedAt: now, UpdatedAt: now}
	if _, err := s.idb(ctx).NewInsert().Model(&row).Exec(ctx); err != nil {
		return domain.Conversation{}, fmt.Errorf("store: create conversation: %w", userMissing(err, userID))
	}
	return row.domain(), nil
}

// Conversation returns one of the user's conversations.
func (s *ConversationStore) Conversation(ctx context.Context, userID, id uuid.UUID) (domain.Conversation, error) {
	return owned(ctx, s.idb(ctx), userID, id, "conversation", (*conversationRow).domain)
}

// Conversations lists the user's conversations, most recently active first.
func (s *ConversationStore) Conversations(ctx context.Context, userID uuid.UUID, p domain.Page) ([]domain.Conversation, domain.PageInfo, error) {
	out, info, err := paginate(ctx, s.idb(ctx), keyset{column: "updated_at", desc: true}, p,
		func(q *bun.SelectQuery) *bun.SelectQuery { return q.Where("user_id = ?", userID) },
		func(r *conversationRow) cursor { return cursor{at: r.UpdatedAt, id: r.ID} }, (*conversationRow).domain)
	if err != nil {
		return nil, domain.PageInfo{}, fmt.Errorf("store: list conversations of user %s: %w", userID, err)
	}
	return out, info, nil
}

// CreateMessage inserts m into one of the user's conversations and marks the
// conversation active. When m.ClientRequestID was already used by this user it
// returns the existing message and created=false.
func (s *ConversationStore) CreateMessage(ctx context.Context, m domain.Message) (domain.Message, bool, error) {
	row, err := s.newMessageRow(m)
	if err != nil {
		return domain.Message{}, false, err
	}
	var created bool
	err = s.InTx(ctx, func(ctx context.Context) error {
		db := s.idb(ctx)
		// Touching the conversation both checks it is the user's and locks it.
		res, err := db.NewUpdate().Model((*conversationRow)(nil)).Set("updated_at = ?", row.CreatedAt).
			Where("id = ? AND user_id = ?", m.ConversationID, m.UserID).Exec(ctx)
		if err := affectedOne(res, err, "conversation", m.ConversationID); err != nil {
			return err
		}
		created, err = insertMessage(ctx, db, &row)
		return err
	})
	if err != nil {
		return domain.Message{}, false, err
	}
	return row.domain(), created, nil
}

// StartConversation creates a conversation titled title with m as its first
// message, in one transaction. When m.ClientRequestID was already used by
// this user it returns the existing message and created=false, and creates
// nothing.
func (s *ConversationStore) StartConversation(ctx context.Context, title string, m domain.Message) (domain.Message, bool, error) {
	conv := conversationRow{ID: uuid.Must(uuid.NewV7()), UserID: m.UserID, Title: title}
	m.ConversationID = conv.ID
	row, err := s.newMessageRow(m)
	if err != nil {
		return domain.Message{}, false, err
	}
	conv.CreatedAt, conv.UpdatedAt = row.CreatedAt, row.CreatedAt
	// One statement, one round trip (an ask's first write; a transaction
	// took four): the message goes in first, and the conversation only when
	// it did, so a repeated client request id creates nothing. The foreign
	// key from the message to its conversation is checked at the end of
	// the statement, when both rows are there.
	db := s.idb(ctx)
	res, err := db.NewRaw(`WITH message AS (?) INSERT INTO conversations (id, user_id, title, created_at, updated_at) SELECT ?, ?, ?, ?, ? FROM message`,
		insertMessageQuery(db, &row).Returning("id"), conv.ID, conv.UserID, conv.Title, conv.CreatedAt, conv.UpdatedAt).Exec(ctx)
	if err != nil {
		return domain.Message{}, false, fmt.Errorf("store: create conversation: %w", userMissing(err, m.UserID))
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return row.domain(), true, nil
	}
	if err := repeatedMessage(ctx, db, &row); err != nil {
		return domain.Message{}, false, err
	}
	return row.domain(), false, nil
}

// newMessageRow stamps a new message (id, times, default status).
func (s *ConversationStore) newMessageRow(m domain.Message) (messageRow, error) {
	if m.Query == "" {
		return messageRow{}, fmt.Errorf("%w: message without query", domain.ErrInvalidInput)
	}
	now := s.now()
	m.ID = uuid.Must(uuid.NewV7())
	m.CreatedAt, m.UpdatedAt = now, now
	if m.Status == "" {
		m.Status = domain.MessagePending
	}
	return messageRowOf(&m), nil
}

// insertMessage inserts row; when its client request id was already used it
// loads that message into row instead and reports created=false.
func insertMessage(ctx context.Context, db bun.IDB, row *messageRow) (bool, error) {
	res, err := insertMessageQuery(db, row).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("store: create message: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return true, nil
	}
	return false, repeatedMessage(ctx, db, row)
}

// insertMessageQuery inserts row unless its client request id was already used.
func insertMessageQuery(db bun.IDB, row *messageRow) *bun.InsertQuery {
	return db.NewInsert().Model(row).
		On("CONFLICT (user_id, client_request_id) WHERE client_request_id IS NOT NULL DO NOTHING")
}

// repeatedMessage loads into row the message that already has row's client
// request id.
func repeatedMessage(ctx context.Context, db bun.IDB, row *messageRow) error {
	userID, requestID := row.UserID, ""
	if row.ClientRequestID != nil {
		requestID = *row.ClientRequestID
	}
	*row = messageRow{}
	if err := db.NewSelect().Model(row).Where("user_id = ? AND client_request_id = ?", userID, requestID).Scan(ctx); err != nil {
		return fmt.Errorf("store: message with client request id %q: %w", requestID, err)
	}
	return nil
}

// Message returns one of the user's messages.
func (s *ConversationStore) Message(ctx context.Context, userID, id uuid.UUID) (domain.Message, error) {
	return owned(ctx, s.idb(ctx), userID, id, "message", (*messageRow).domain)
}

// ModifyMessage reads the user's message locked (SELECT ... FOR UPDATE), lets
// fn change it and, when fn reports a change, writes it back in the same
// transaction: calls on one message, from any instance, run one after
// another. When fn fails nothing is written and its error is returned.
func (s *ConversationStore) ModifyMessage(ctx context.Context, userID, id uuid.UUID, fn func(*domain.Message) (bool, error)) (domain.Message, error) {
	var out domain.Message
	err := s.InTx(ctx, func(ctx context.Context) error {
		var row messageRow
		err := s.idb(ctx).NewSelect().Model(&row).Where("user_id = ? AND id = ?", userID, id).For("UPDATE").Scan(ctx)
		if err != nil {
			return notFound(err, "message", id)
		}
		m := row.domain()
		changed, err := fn(&m)
		if err != nil {
			return err
		}
		if changed {
			if err := s.UpdateMessage(ctx, m); err != nil {
				return err
			}
		}
		out = m
		return nil
	})
	return out, err
}

// UnfinishedMessages returns up to limit PENDING or RUNNING messages, of
// any user, last written before the given time, oldest first.
func (s *ConversationStore) UnfinishedMessages(ctx context.Context, before time.Time, limit int) ([]domain.Message, error) {
	var rows []messageRow
	err := s.idb(ctx).NewSelect().Model(&rows).
		Where("status IN (?) AND updated_at < ?", bun.List([]domain.MessageStatus{domain.MessagePending, domain.MessageRunning}), before).
		Order("updated_at").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: unfinished messages: %w", unavailable(err))
	}
	out := make([]domain.Message, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}

// TouchMessages marks those of ids still PENDING or RUNNING as written at at,
// unless they were written later.
func (s *ConversationStore) TouchMessages(ctx context.Context, ids []uuid.UUID, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := s.idb(ctx).NewUpdate().Model((*messageRow)(nil)).Set("updated_at = ?", at.UTC()).
		Where("id IN (?) AND status IN (?) AND updated_at < ?", bun.List(ids),
			bun.List([]domain.MessageStatus{domain.MessagePending, domain.MessageRunning}), at.UTC()).Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: touch %d unfinished messages: %w", len(ids), unavailable(err))
	}
	return nil
}

// Messages lists a conversation's messages, oldest first; ErrNotFound when the
// conversation is not the user's.
func (s *ConversationStore) Messages(ctx context.Context, userID, conversationID uuid.UUID, p domain.Page) ([]domain.Message, domain.PageInfo, error) {
	db := s.idb(ctx)
	exists, err := db.NewSelect().Model((*conversationRow)(nil)).
		Where("id = ? AND user_id = ?", conversationID, userID).Exists(ctx)
	if err != nil {
		return nil, domain.PageInfo{}, fmt.Errorf("store: conversation %s: %w", conversationID, err)
	}
	if !exists {
		return nil, domain.PageInfo{}, notFound(sql.ErrNoRows, "conversation", conversationID)
	}
	out, info, err := paginate(ctx, db, keyset{column: "created_at"}, p,
		func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("conversation_id = ? AND user_id = ?", conversationID, userID)
		},
		func(r *messageRow) cursor { return cursor{at: r.CreatedAt, id: r.ID} }, (*messageRow).domain)
	if err != nil {
		return nil, domain.PageInfo{}, fmt.Errorf("store: list messages of conversation %s: %w", conversationID, err)
	}
	return out, info, nil
}

// UpdateMessage replaces what the ask pipeline writes: status, intent, plan,
// response, citations, actions, step results, timings and error.
func (s *ConversationStore) UpdateMessage(ctx context.Context, m domain.Message) error {
	if m.Status == "" {
		return fmt.Errorf("%w: message %s: Status is empty", domain.ErrInvalidInput, m.ID)
	}
	row := messageRowOf(&m)
	row.UpdatedAt = s.now()
	res, err := s.idb(ctx).NewUpdate().Model(&row).
		Column("status", "intent", "plan", "response", "citations", "actions_taken", "step_results", "timings", "error", "updated_at").
		Where("id = ? AND user_id = ?", m.ID, m.UserID).Exec(ctx)
	return affectedOne(res, err, "message", m.ID)
}
