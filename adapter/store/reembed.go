package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/ingest"
)

var _ ingest.ReembedStore = (*SyncStore)(nil)

// StaleItems returns up to limit items of service s, of every user, in row
// id order after the row id after, whose embedding is NULL or was made by a
// model other than model. Only the slice of s is filled; embeddings are not
// read.
func (s *SyncStore) StaleItems(ctx context.Context, svc domain.Service, model string, after uuid.UUID, limit int) (ingest.Items, error) {
	var (
		items ingest.Items
		err   error
	)
	db := s.idb(ctx)
	switch svc {
	case domain.ServiceGmail:
		items.Emails, err = staleRows(ctx, db, model, after, limit, (*emailRow).domain)
	case domain.ServiceCalendar:
		items.Events, err = staleRows(ctx, db, model, after, limit, (*eventRow).domain)
	case domain.ServiceDrive:
		items.Files, err = staleRows(ctx, db, model, after, limit, (*fileRow).domain)
	default:
		return items, fmt.Errorf("%w: service %q", domain.ErrInvalidInput, svc)
	}
	if err != nil {
		return ingest.Items{}, fmt.Errorf("store: stale %s items for model %q: %w", svc, model, err)
	}
	return items, nil
}

// staleRows walks the primary key from after, so a pass over a table reads
// each row once however many batches it takes.
func staleRows[R, T any](ctx context.Context, db bun.IDB, model string, after uuid.UUID, limit int, conv func(*R) T) ([]T, error) {
	var rows []R
	err := db.NewSelect().Model(&rows).ExcludeColumn("embedding", "passages", "passage_words").
		Where("embedding IS NULL OR embedding_model <> ?", model).
		Where("id > ?", after).
		OrderExpr("id").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]T, len(rows))
	for i := range rows {
		out[i] = conv(&rows[i])
	}
	return out, nil
}

// SetEmbeddings stores each vector (and its passages) on its row unless the row's updated_at no
// longer matches (a sync rewrote it meanwhile), and bumps the data version
// of each user with rows in vs, in one transaction. It returns how many rows
// it changed. Other columns, updated_at included, are left alone: the
// item's content did not change.
func (s *SyncStore) SetEmbeddings(ctx context.Context, svc domain.Service, vs []ingest.ItemVector) (int, error) {
	table, err := cacheTable(svc)
	if err != nil {
		return 0, err
	}
	// Parallel arrays per user, unnested into one UPDATE ... FROM each.
	type columns struct{ ids, updated, vectors, models, passages, words []string }
	byUser := map[uuid.UUID]*columns{}
	var users []uuid.UUID
	for _, v := range vs {
		pv, err := vectorValue(v.Vector, fmt.Sprintf("%s item %s", svc, v.ID))
		if err != nil {
			return 0, err
		}
		if pv == nil {
			return 0, fmt.Errorf("%w: %s item %s: no embedding to store", domain.ErrInvalidInput, svc, v.ID)
		}
		text, err := pv.Value()
		if err != nil {
			return 0, fmt.Errorf("store: %s item %s: %w", svc, v.ID, err)
		}
		ps, err := passages{v.Vector.Passages}.Value()
		if err != nil {
			return 0, fmt.Errorf("store: %s item %s: %w", svc, v.ID, err)
		}
		psText, _ := ps.(string) // "" (NULL below) when the embedder gave none
		c := byUser[v.UserID]
		if c == nil {
			c = &columns{}
			byUser[v.UserID] = c
			users = append(users, v.UserID)
		}
		c.ids = append(c.ids, v.ID.String())
		c.updated = append(c.updated, v.UpdatedAt.UTC().Format(time.RFC3339Nano))
		c.vectors = append(c.vectors, text.(string))
		c.models = append(c.models, v.Vector.Model)
		c.passages = append(c.passages, psText)
		c.words = append(c.words, intArray(passageWords(v.Vector.Passages)))
	}
	changed := 0
	err = s.InTx(ctx, func(ctx context.Context) error {
		for _, u := range users {
			c := byUser[u]
			err := s.writeCache(ctx, u, func(ctx context.Context, db bun.IDB) error {
				res, err := db.NewRaw(`UPDATE ? AS t SET embedding = v.embedding::vector, embedding_model = v.model,
						passages = nullif(v.passages, '')::sparsevec(1048576)[], passage_words = nullif(v.words, '')::integer[]
					FROM unnest(?::uuid[], ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[]) AS v(id, updated_at, embedding, model, passages, words)
					WHERE t.user_id = ? AND t.id = v.id AND t.updated_at = v.updated_at`,
					bun.Ident(table), pgdialect.Array(c.ids), pgdialect.Array(c.updated),
					pgdialect.Array(c.vectors), pgdialect.Array(c.models), pgdialect.Array(c.passages), pgdialect.Array(c.words), u).Exec(ctx)
				if err != nil {
					return err
				}
				n, err := res.RowsAffected()
				changed += int(n)
				return err
			})
			if err != nil {
				return fmt.Errorf("store: set %d %s embeddings of user %s: %w", len(c.ids), svc, u, err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return changed, nil
}

// cacheTable is the table caching service svc.
func cacheTable(svc domain.Service) (string, error) {
	switch svc {
	case domain.ServiceGmail:
		return "gmail_cache", nil
	case domain.ServiceCalendar:
		return "gcal_cache", nil
	case domain.ServiceDrive:
		return "gdrive_cache", nil
	}
	return "", fmt.Errorf("%w: service %q", domain.ErrInvalidInput, svc)
}
