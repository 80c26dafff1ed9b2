package storetest

import (
	"context"
	"fmt"

	"github.com/workspace-orchestrator/orchestrator/adapter/store"
)

// IndexSize is what the BM25 index of a database takes against the text it
// indexes (issue 11's target: at most 1.2x).
type IndexSize struct {
	Items, Postings float64
	// Bytes counts the index's tables with their indexes and TOAST: the
	// packed postings (each service's partition), the tail and the items'
	// numbers.
	Bytes float64
	// Text is what the index covers: subjects and bodies, event titles and
	// descriptions, file names and contents.
	Text float64
}

// MeasureIndex reads the size of the BM25 index of every user in db. Run a
// VACUUM first to count what autovacuum leaves.
func MeasureIndex(ctx context.Context, db *store.DB) (IndexSize, error) {
	var s IndexSize
	err := db.Pool.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM gmail_cache) + (SELECT count(*) FROM gcal_cache) + (SELECT count(*) FROM gdrive_cache),
		(SELECT coalesce(sum(cardinality(postings)), 0) FROM search_terms) + (SELECT coalesce(sum(cardinality(postings)), 0) FROM search_tail),
		(SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('search_terms'))
		+ pg_total_relation_size('search_tail') + pg_total_relation_size('search_docs'),
		(SELECT coalesce(sum(octet_length(subject) + octet_length(body)), 0) FROM gmail_cache)
		+ (SELECT coalesce(sum(octet_length(title) + octet_length(coalesce(description, ''))), 0) FROM gcal_cache)
		+ (SELECT coalesce(sum(octet_length(name) + octet_length(coalesce(content, ''))), 0) FROM gdrive_cache)`).
		Scan(&s.Items, &s.Postings, &s.Bytes, &s.Text)
	if err != nil {
		return IndexSize{}, fmt.Errorf("storetest: measure the index: %w", err)
	}
	return s, nil
}

// Ratio is the index's size over the text's.
func (s IndexSize) Ratio() float64 { return s.Bytes / s.Text }

func (s IndexSize) String() string {
	return fmt.Sprintf("%.0f items, %.0f postings per item, %.2f KB per item (%.1f MB), %.2fx the %.1f KB of text per item it indexes",
		s.Items, s.Postings/s.Items, s.Bytes/s.Items/1024, s.Bytes/1024/1024, s.Ratio(), s.Text/s.Items/1024)
}
