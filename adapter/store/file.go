package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/pgvector/pgvector-go"
	"github.com/uptrace/bun"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

type fileRow struct {
	bun.BaseModel `bun:"table:gdrive_cache"`

	ID             uuid.UUID         `bun:"id,pk,type:uuid"`
	UserID         uuid.UUID         `bun:"user_id,type:uuid"`
	FileID         string            `bun:"file_id"`
	Name           string            `bun:"name"`
	MimeType       string            `bun:"mime_type"`
	ContentPreview string            `bun:"content_preview"`
	Content        string            `bun:"content"`
	ParentFolder   string            `bun:"parent_folder"`
	Owners         []string          `bun:"owners,array"`
	Properties     map[string]string `bun:"properties,type:jsonb"`
	WebViewLink    string            `bun:"web_view_link"`
	Trashed        bool              `bun:"trashed"`
	ModifiedAt     time.Time         `bun:"modified_at"`
	Embedding      *pgvector.Vector  `bun:"embedding,type:vector(256)"`
	EmbeddingModel string            `bun:"embedding_model"`
	Passages       *passages         `bun:"passages"`
	PassageWords   []int32           `bun:"passage_words,array"`
	CreatedAt      time.Time         `bun:"created_at"`
	UpdatedAt      time.Time         `bun:"updated_at"`
}

var fileUpsertColumns = []string{"name", "mime_type", "content_preview", "content", "parent_folder", "owners",
	"properties", "web_view_link", "trashed", "modified_at", "embedding", "embedding_model", "passages", "passage_words", "updated_at", "synced_at"}

func fileRowOf(userID uuid.UUID, f *domain.File, now time.Time) (fileRow, error) {
	if f.FileID == "" {
		return fileRow{}, fmt.Errorf("%w: file without FileID", domain.ErrInvalidInput)
	}
	if f.ModifiedAt.IsZero() {
		return fileRow{}, fmt.Errorf("%w: file %s: ModifiedAt is zero", domain.ErrInvalidInput, f.FileID)
	}
	vec, err := vectorValue(f.Embedding, "file "+f.FileID)
	if err != nil {
		return fileRow{}, err
	}
	props := f.Properties
	if props == nil {
		props = map[string]string{}
	}
	return fileRow{
		ID:             uuid.Must(uuid.NewV7()),
		UserID:         userID,
		FileID:         f.FileID,
		Name:           f.Name,
		MimeType:       f.MimeType,
		ContentPreview: f.Preview,
		Content:        f.Content,
		ParentFolder:   f.ParentFolder,
		Owners:         nonNil(f.Owners),
		Properties:     props,
		WebViewLink:    f.WebViewLink,
		Trashed:        f.Trashed,
		ModifiedAt:     f.ModifiedAt.UTC().Truncate(time.Microsecond),
		Embedding:      vec,
		EmbeddingModel: f.Embedding.Model,
		Passages:       passagesOf(f.Embedding.Passages),
		PassageWords:   passageWords(f.Embedding.Passages),
		CreatedAt:      now,
		UpdatedAt:      now,
	}, nil
}

func (r *fileRow) domain() domain.File {
	return domain.File{
		ID:           r.ID,
		UserID:       r.UserID,
		FileID:       r.FileID,
		Name:         r.Name,
		MimeType:     r.MimeType,
		Content:      r.Content,
		Preview:      r.ContentPreview,
		ParentFolder: r.ParentFolder,
		Owners:       r.Owners,
		Properties:   r.Properties,
		WebViewLink:  r.WebViewLink,
		Trashed:      r.Trashed,
		ModifiedAt:   r.ModifiedAt.UTC(),
		Embedding:    domainVector(r.Embedding, r.EmbeddingModel, r.Passages),
		UpdatedAt:    r.UpdatedAt.UTC(),
	}
}

// File returns one of the user's cached files by row id, with its embedding.
func (s *DriveStore) File(ctx context.Context, userID, id uuid.UUID) (domain.File, error) {
	return owned(ctx, s.idb(ctx), userID, id, "file", (*fileRow).domain)
}

// Files lists the user's files, most recently modified first. f.Query is not
// used here. Listed files carry no embedding values.
func (s *DriveStore) Files(ctx context.Context, userID uuid.UUID, f domain.Filter, p domain.Page) ([]domain.File, domain.PageInfo, error) {
	filter := func(q *bun.SelectQuery) *bun.SelectQuery {
		q = q.Where("user_id = ?", userID)
		if len(f.MimeTypes) > 0 {
			q = q.Where("mime_type IN (?)", bun.List(f.MimeTypes))
		}
		q = whereAnyPerson(q, f.Owners, "", "EXISTS (SELECT 1 FROM unnest(owners) o WHERE o ILIKE ?)")
		if len(f.Folders) > 0 {
			q = q.Where("lower(parent_folder) IN (?)", bun.List(lowerAll(f.Folders)))
		}
		return whereRange(q, "modified_at", f.After, f.Before)
	}
	out, info, err := paginate(ctx, s.idb(ctx), keyset{column: "modified_at", desc: true}, p, filter,
		func(r *fileRow) cursor { return cursor{at: r.ModifiedAt, id: r.ID} }, (*fileRow).domain, "embedding", "passages", "passage_words")
	if err != nil {
		return nil, domain.PageInfo{}, fmt.Errorf("store: list files of user %s: %w", userID, err)
	}
	return out, info, nil
}

// UpsertFiles inserts or replaces files by (user, FileID).
func (s *DriveStore) UpsertFiles(ctx context.Context, userID uuid.UUID, fs []domain.File) error {
	return upsert(ctx, s.core, userID, fs, fileRowOf, func(r *fileRow) string { return r.FileID },
		"file_id", fileUpsertColumns)
}

// DeleteFiles removes files by Drive id; unknown ids are ignored.
func (s *DriveStore) DeleteFiles(ctx context.Context, userID uuid.UUID, fileIDs []string) error {
	return s.deleteByKeys(ctx, userID, (*fileRow)(nil), "file_id", fileIDs)
}
