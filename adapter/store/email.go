package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/pgvector/pgvector-go"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

type emailRow struct {
	bun.BaseModel `bun:"table:gmail_cache"`

	ID             uuid.UUID        `bun:"id,pk,type:uuid"`
	UserID         uuid.UUID        `bun:"user_id,type:uuid"`
	EmailID        string           `bun:"email_id"`
	ThreadID       string           `bun:"thread_id"`
	HistoryID      int64            `bun:"history_id"`
	MessageIDs     []string         `bun:"message_ids,array"`
	Subject        string           `bun:"subject"`
	Sender         string           `bun:"sender"`
	SenderName     string           `bun:"sender_name"`
	Recipients     []recipientJSON  `bun:"recipients,type:jsonb"`
	RecipientAddrs []string         `bun:"recipient_addrs,array"`
	BodyPreview    string           `bun:"body_preview"`
	Body           string           `bun:"body"`
	Labels         []string         `bun:"labels,array"`
	HasAttachment  bool             `bun:"has_attachment"`
	Unread         bool             `bun:"unread"`
	ReceivedAt     time.Time        `bun:"received_at"`
	Embedding      *pgvector.Vector `bun:"embedding,type:vector(256)"`
	EmbeddingModel string           `bun:"embedding_model"`
	Passages       *passages        `bun:"passages"`
	PassageWords   []int32          `bun:"passage_words,array"`
	CreatedAt      time.Time        `bun:"created_at"`
	UpdatedAt      time.Time        `bun:"updated_at"`
}

// recipientJSON is one element of gmail_cache.recipients.
type recipientJSON struct {
	Kind  string `json:"kind"` // to or cc
	Name  string `json:"name,omitempty"`
	Email string `json:"email"`
}

// emailUpsertColumns are replaced on conflict: everything but the keys and created_at.
var emailUpsertColumns = []string{"thread_id", "history_id", "message_ids", "subject", "sender", "sender_name",
	"recipients", "recipient_addrs", "body_preview", "body", "labels", "has_attachment", "unread",
	"received_at", "embedding", "embedding_model", "passages", "passage_words", "updated_at", "synced_at"}

func emailRowOf(userID uuid.UUID, e *domain.Email, now time.Time) (emailRow, error) {
	if e.EmailID == "" {
		return emailRow{}, fmt.Errorf("%w: email without EmailID", domain.ErrInvalidInput)
	}
	if e.ReceivedAt.IsZero() {
		return emailRow{}, fmt.Errorf("%w: email %s: ReceivedAt is zero", domain.ErrInvalidInput, e.EmailID)
	}
	vec, err := vectorValue(e.Embedding, "email "+e.EmailID)
	if err != nil {
		return emailRow{}, err
	}
	recipients := make([]recipientJSON, 0, len(e.To)+len(e.Cc))
	addrs := make([]string, 0, len(e.To)+len(e.Cc))
	for _, a := range e.To {
		recipients = append(recipients, recipientJSON{Kind: "to", Name: a.Name, Email: a.Email})
	}
	for _, a := range e.Cc {
		recipients = append(recipients, recipientJSON{Kind: "cc", Name: a.Name, Email: a.Email})
	}
	for _, r := range recipients {
		addrs = append(addrs, strings.ToLower(strings.TrimSpace(r.Email)))
	}
	return emailRow{
		ID:             uuid.Must(uuid.NewV7()),
		UserID:         userID,
		EmailID:        e.EmailID,
		ThreadID:       e.ThreadID,
		HistoryID:      int64(e.HistoryID),
		MessageIDs:     nonNil(e.MessageIDs),
		Subject:        e.Subject,
		Sender:         strings.ToLower(strings.TrimSpace(e.From.Email)),
		SenderName:     e.From.Name,
		Recipients:     recipients,
		RecipientAddrs: addrs,
		BodyPreview:    e.Snippet,
		Body:           e.Body,
		Labels:         nonNil(e.Labels),
		HasAttachment:  e.HasAttachment,
		Unread:         e.Unread,
		ReceivedAt:     e.ReceivedAt.UTC().Truncate(time.Microsecond),
		Embedding:      vec,
		EmbeddingModel: e.Embedding.Model,
		Passages:       passagesOf(e.Embedding.Passages),
		PassageWords:   passageWords(e.Embedding.Passages),
		CreatedAt:      now,
		UpdatedAt:      now,
	}, nil
}

func (r *emailRow) domain() domain.Email {
	e := domain.Email{
		ID:            r.ID,
		UserID:        r.UserID,
		EmailID:       r.EmailID,
		ThreadID:      r.ThreadID,
		MessageIDs:    r.MessageIDs,
		Subject:       r.Subject,
		From:          domain.Address{Name: r.SenderName, Email: r.Sender},
		Snippet:       r.BodyPreview,
		Body:          r.Body,
		Labels:        r.Labels,
		HasAttachment: r.HasAttachment,
		Unread:        r.Unread,
		ReceivedAt:    r.ReceivedAt.UTC(),
		HistoryID:     uint64(r.HistoryID),
		Embedding:     domainVector(r.Embedding, r.EmbeddingModel, r.Passages),
		UpdatedAt:     r.UpdatedAt.UTC(),
	}
	for _, rc := range r.Recipients {
		a := domain.Address{Name: rc.Name, Email: rc.Email}
		if rc.Kind == "cc" {
			e.Cc = append(e.Cc, a)
		} else {
			e.To = append(e.To, a)
		}
	}
	return e
}

// Email returns one of the user's cached emails by row id, with its embedding.
func (s *MailStore) Email(ctx context.Context, userID, id uuid.UUID) (domain.Email, error) {
	return owned(ctx, s.idb(ctx), userID, id, "email", (*emailRow).domain)
}

// Emails lists the user's emails, newest first. f.Query is not used here
// (the search engine handles free text). Listed emails carry no embedding values.
func (s *MailStore) Emails(ctx context.Context, userID uuid.UUID, f domain.Filter, p domain.Page) ([]domain.Email, domain.PageInfo, error) {
	filter := func(q *bun.SelectQuery) *bun.SelectQuery {
		q = q.Where("user_id = ?", userID)
		q = whereAnyPerson(q, f.From, "lower(sender) = ?", "sender ILIKE ? OR sender_name ILIKE ?")
		q = whereAnyPerson(q, f.To, "recipient_addrs @> ARRAY[?]::text[]", `EXISTS (SELECT 1 FROM jsonb_array_elements(recipients) r
			WHERE r->>'email' ILIKE ? OR r->>'name' ILIKE ?)`)
		if len(f.Labels) > 0 {
			q = q.Where("labels && ?", pgdialect.Array(f.Labels))
		}
		if len(f.NotLabels) > 0 {
			q = q.Where("NOT labels && ?", pgdialect.Array(f.NotLabels))
		}
		if len(f.MessageIDs) > 0 {
			q = q.Where("message_ids && ?", pgdialect.Array(f.MessageIDs))
		}
		q = whereRange(q, "received_at", f.After, f.Before)
		if f.HasAttachment != nil {
			q = q.Where("has_attachment = ?", *f.HasAttachment)
		}
		if f.Unread != nil {
			q = q.Where("unread = ?", *f.Unread)
		}
		return q
	}
	out, info, err := paginate(ctx, s.idb(ctx), keyset{column: "received_at", desc: true}, p, filter,
		func(r *emailRow) cursor { return cursor{at: r.ReceivedAt, id: r.ID} }, (*emailRow).domain, "embedding", "passages", "passage_words")
	if err != nil {
		return nil, domain.PageInfo{}, fmt.Errorf("store: list emails of user %s: %w", userID, err)
	}
	return out, info, nil
}

// UpsertEmails inserts or replaces emails by (user, EmailID).
func (s *MailStore) UpsertEmails(ctx context.Context, userID uuid.UUID, es []domain.Email) error {
	return upsert(ctx, s.core, userID, es, emailRowOf, func(r *emailRow) string { return r.EmailID },
		"email_id", emailUpsertColumns)
}

// DeleteEmails removes emails by Gmail id; unknown ids are ignored.
func (s *MailStore) DeleteEmails(ctx context.Context, userID uuid.UUID, emailIDs []string) error {
	return s.deleteByKeys(ctx, userID, (*emailRow)(nil), "email_id", emailIDs)
}

// deleteByKeys deletes the user's rows of model whose key column is in keys.
func (s *core) deleteByKeys(ctx context.Context, userID uuid.UUID, model any, column string, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	return s.writeCache(ctx, userID, func(ctx context.Context, db bun.IDB) error {
		_, err := db.NewDelete().Model(model).
			Where("user_id = ?", userID).
			Where("? IN (?)", bun.Ident(column), bun.List(keys)).
			Exec(ctx)
		if err != nil {
			return fmt.Errorf("store: delete %d items by %s of user %s: %w", len(keys), column, userID, err)
		}
		return nil
	})
}

// nonNil keeps NOT NULL array columns from receiving NULL.
func nonNil(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}
