package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// statsTables are the tables a service's sync fills, cache and search index.
var statsTables = map[domain.Service]string{
	domain.ServiceGmail:    "gmail_cache, search_terms, search_docs, search_people, search_vectors, search_stats, search_passage_words",
	domain.ServiceCalendar: "gcal_cache, search_terms, search_docs, search_people, search_vectors, search_stats, search_passage_words",
	domain.ServiceDrive:    "gdrive_cache, search_terms, search_docs, search_vectors, search_stats, search_passage_words",
}

// RefreshStats analyzes the tables a service's sync fills, so the planner
// sees a bulk load at once instead of after autovacuum: before it, the BM25
// leg took 2-3 s on the demo workspace, after it 30-150 ms.
func (s *SyncStore) RefreshStats(ctx context.Context, svc domain.Service) error {
	tables, ok := statsTables[svc]
	if !ok {
		return fmt.Errorf("store: refresh stats: unknown service %q: %w", svc, domain.ErrInvalidInput)
	}
	if _, err := s.db.Pool.Exec(ctx, "ANALYZE "+tables); err != nil {
		return fmt.Errorf("store: analyze %s: %w", tables, err)
	}
	return nil
}

// mergeRows is how many tail rows one merge statement takes at most, so
// that no statement holds a large mailbox's whole sync.
const mergeRows = 20000

// MergeIndex moves the postings that writes of the user's svc items appended
// to the search index's tail into its packed rows (migration search_tail),
// in key order, a range of terms per statement: a user's first sync then
// appends to the end of each partition's primary key, blocks of 4,096 items
// and all. Then it empties the tail's files if no other write holds rows
// there. Searches read both tables, so a merge changes no result and needs
// no transaction of its own.
func (s *SyncStore) MergeIndex(ctx context.Context, userID uuid.UUID, svc domain.Service) error {
	return s.mergeIndex(ctx, userID, svc, mergeRows)
}

// mergeIndex is MergeIndex taking at most rows tail rows per statement.
func (s *SyncStore) mergeIndex(ctx context.Context, userID uuid.UUID, svc domain.Service, rows int) error {
	if !svc.Valid() {
		return fmt.Errorf("store: merge index: unknown service %q: %w", svc, domain.ErrInvalidInput)
	}
	db := s.db.Bun
	for lo := ""; ; { // "" sorts before every term
		var hi *string
		if err := db.NewRaw(`SELECT max(term) FROM (SELECT term FROM search_tail
			WHERE user_id = ? AND service = ? AND term > ? ORDER BY term LIMIT ?) t`, userID, string(svc), lo, rows).
			Scan(ctx, &hi); err != nil {
			return fmt.Errorf("store: merge index of user %s: %w", userID, unavailable(err))
		}
		if hi == nil {
			break
		}
		if _, err := db.NewRaw(`SELECT search_merge(?, ?, ?, ?)`, string(svc), userID, lo, *hi).Exec(ctx); err != nil {
			return fmt.Errorf("store: merge the %s index of user %s after %q: %w", svc, userID, lo, unavailable(err))
		}
		lo = *hi
	}
	if _, err := db.ExecContext(ctx, `SELECT search_reset_tail()`); err != nil {
		return fmt.Errorf("store: reset the index's tail: %w", unavailable(err))
	}
	return nil
}
