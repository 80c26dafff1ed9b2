package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

var _ domain.ConversationBatchReader = (*ConversationStore)(nil)

// ConversationsByID returns those of ids that are the user's conversations,
// in one query (GraphQL dataloaders call it for Message.conversation).
func (s *ConversationStore) ConversationsByID(ctx context.Context, userID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]domain.Conversation, error) {
	var rows []conversationRow
	err := s.idb(ctx).NewSelect().Model(&rows).
		Where("user_id = ? AND id IN (?)", userID, bun.List(ids)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: conversations of user %s by id: %w", userID, err)
	}
	out := make(map[uuid.UUID]domain.Conversation, len(rows))
	for i := range rows {
		out[rows[i].ID] = rows[i].domain()
	}
	return out, nil
}

// MessageCounts returns how many messages each of the user's conversations
// among ids holds, in one query (for Conversation.messageCount).
func (s *ConversationStore) MessageCounts(ctx context.Context, userID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]int, error) {
	var rows []struct {
		ID    uuid.UUID `bun:"id"`
		Count int       `bun:"count"`
	}
	err := s.idb(ctx).NewSelect().
		TableExpr("conversations AS c").
		ColumnExpr("c.id, count(m.id) AS count").
		Join("LEFT JOIN messages AS m ON m.conversation_id = c.id").
		Where("c.user_id = ? AND c.id IN (?)", userID, bun.List(ids)).
		GroupExpr("c.id").
		Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("store: message counts of user %s: %w", userID, err)
	}
	out := make(map[uuid.UUID]int, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Count
	}
	return out, nil
}
