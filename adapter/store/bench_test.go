package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// BenchmarkUpsertEmails measures one sync batch: 200 emails with embeddings.
func BenchmarkUpsertEmails(b *testing.B) {
	f := setupB(b)
	batch := make([]domain.Email, 200)
	for i := range batch {
		batch[i] = testEmail(i, f.now.Add(-time.Duration(i)*time.Minute))
		batch[i].Body = fmt.Sprintf("Body of message %d with some words to index. ", i)
		batch[i].Embedding = domain.Vector{Values: unitVector(i), Model: "bench"}
	}
	b.ResetTimer()
	for b.Loop() {
		require.NoError(b, f.store.UpsertEmails(f.ctx, f.user.ID, batch))
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(batch)), "µs/email")
}

// BenchmarkEmailsPage measures listing a filtered page of 20 out of 5,000
// emails of one user (after a cursor, with the total count).
func BenchmarkEmailsPage(b *testing.B) {
	f := setupB(b)
	var all []domain.Email
	for i := range 5000 {
		e := testEmail(i, f.now.Add(-time.Duration(i)*time.Minute))
		e.EmailID = fmt.Sprintf("m%05d", i)
		if i%3 == 0 {
			e.Labels = []string{"INBOX", "IMPORTANT"}
		}
		all = append(all, e)
	}
	require.NoError(b, f.store.UpsertEmails(f.ctx, f.user.ID, all))
	_, info, err := f.store.Emails(f.ctx, f.user.ID, domain.Filter{}, domain.Page{First: 100})
	require.NoError(b, err)
	filter := domain.Filter{Labels: []string{"IMPORTANT"}, From: []string{"carol"}}
	b.ResetTimer()
	for b.Loop() {
		list, _, err := f.store.Emails(f.ctx, f.user.ID, filter, domain.Page{After: info.EndCursor})
		require.NoError(b, err)
		require.Len(b, list, 20)
	}
}
