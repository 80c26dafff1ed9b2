package embed_test

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/embed"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

func newOffline(tb testing.TB) *embed.Offline {
	tb.Helper()
	o, err := embed.NewOffline()
	require.NoError(tb, err)
	return o
}

func cosine(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}

func requireUnit(t *testing.T, v []float32) {
	t.Helper()
	require.Len(t, v, domain.EmbeddingDim)
	require.InDelta(t, 1, math.Sqrt(cosine(v, v)), 1e-4)
}

func TestOfflineUnitVectorsAndDeterminism(t *testing.T) {
	t.Parallel()
	o := newOffline(t)
	texts := []string{"Quarterly budget review", "", "!!! ---", "Zürich Straße ÉTÉ 2001", strings.Repeat("word ", 5000), "xqzvj"}
	a, err := o.Embed(context.Background(), texts)
	require.NoError(t, err)
	require.Len(t, a, len(texts))
	for _, v := range a {
		requireUnit(t, v)
	}
	// Another embedder instance, and a batch large enough to fan out over
	// goroutines, give the same bits.
	many := make([]string, 0, 200)
	for range 200 / len(texts) {
		many = append(many, texts...)
	}
	b, err := newOffline(t).Embed(context.Background(), many)
	require.NoError(t, err)
	for i, v := range b {
		require.Equal(t, a[i%len(texts)], v)
	}
	require.Equal(t, embed.OfflineModel, o.Model())
}

func TestOfflineCaseAndPunctuationInsensitive(t *testing.T) {
	t.Parallel()
	o := newOffline(t)
	v, err := o.Embed(context.Background(), []string{"Re: Budget-Review, Q4!", "re budget review q4"})
	require.NoError(t, err)
	require.InDelta(t, 1, cosine(v[0], v[1]), 1e-6)
}

func TestOfflineTruncatesLongTexts(t *testing.T) {
	t.Parallel()
	o := newOffline(t)
	head := strings.Repeat("energy trading desk report ", embed.MaxTokens/4)
	v, err := o.Embed(context.Background(), []string{head, head + strings.Repeat("holiday party ", 1000)})
	require.NoError(t, err)
	require.Equal(t, v[0], v[1])
}

// Related texts must score above unrelated ones: the smoke test of quality.
func TestOfflineRelatedScoresHigher(t *testing.T) {
	t.Parallel()
	o := newOffline(t)
	cases := []struct{ query, related, unrelated string }{
		{"quarterly budget review", "Q4 financial review", "team offsite planning"},
		{"quarterly budget review", "Q4 financial review", "the cat sat on the mat"},
		{"meeting with the lawyers about the contract", "legal counsel discussion of the agreement", "fantasy football league results"},
		{"gas prices in california", "natural gas pricing and the california energy crisis", "holiday party invitation"},
		{"The cat rested on the carpet.", "The kitten slept on the rug.", "The desk was in the study room."},
		{"flight to houston", "airline tickets to texas", "board of directors minutes"},
	}
	for _, c := range cases {
		v, err := o.Embed(context.Background(), []string{c.query, c.related, c.unrelated})
		require.NoError(t, err)
		rel, unrel := cosine(v[0], v[1]), cosine(v[0], v[2])
		require.Greater(t, rel, unrel, "%q: related %q %.3f, unrelated %q %.3f", c.query, c.related, rel, c.unrelated, unrel)
	}
}

func TestOfflineHonoursCancellation(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := newOffline(t).Embed(ctx, mails(500))
	require.ErrorIs(t, err, context.Canceled)
}

// mails builds n deterministic mail-like bodies of about 2 KB from a pool of
// sentences, so benchmarks need no data outside the repository.
func mails(n int) []string {
	sentences := strings.Split(`Please review the attached draft of the quarterly budget before Friday's meeting.
The California power crisis is driving natural gas prices to record highs this week.
Ken asked whether the board presentation can be moved to Tuesday afternoon.
Our legal team is still negotiating the contract terms with the pipeline operator.
Thanks for your note; I will forward it to Sherron and Rosalee for follow-up.
The trading desk reported strong results in the Northeast power markets.
Attached is the schedule for the executive committee offsite in San Antonio.
We need to finalize the press release about the Dabhol project by noon.
Could you confirm the hotel reservations for the conference in Washington?
Employees have raised questions about the 401(k) plan and the stock price.
The audit committee will meet with Arthur Andersen on Monday at 9 a.m.
Broadband services revenue fell short of the forecast for the third quarter.
Mark the calendar: the United Way campaign kickoff is on September 12.
Regulators in Sacramento are considering price caps on wholesale electricity.
Please send me the updated org chart and the list of new vice presidents.
The weather derivatives group closed several deals with utilities in Ohio.`, "\n")
	out := make([]string, n)
	var b strings.Builder
	for i := range out {
		b.Reset()
		fmt.Fprintf(&b, "Subject: update %d\n\n", i)
		for j := 0; b.Len() < 2000; j++ {
			b.WriteString(sentences[(i*7+j*j*3+j)%len(sentences)])
			b.WriteByte(' ')
		}
		out[i] = b.String()
	}
	return out
}

func BenchmarkOfflineMail2KB(b *testing.B) {
	benchMail2KB(b, func(o *embed.Offline, text []string) {
		if _, err := o.Embed(context.Background(), text); err != nil {
			b.Fatal(err)
		}
	})
}

// benchMail2KB times fn on one mail of ~2 KB.
func benchMail2KB(b *testing.B, fn func(o *embed.Offline, text []string)) {
	o := newOffline(b)
	text := mails(1)[:1]
	b.SetBytes(int64(len(text[0])))
	b.ReportAllocs()
	defer cpuTimer(b, 1)()
	for b.Loop() {
		fn(o, text)
	}
}

func BenchmarkOfflineQuery6Words(b *testing.B) {
	o := newOffline(b)
	q := []string{"emails from Sarah about budget review"}
	b.ReportAllocs()
	defer cpuTimer(b, 1)()
	for b.Loop() {
		if _, err := o.Embed(context.Background(), q); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOfflineBatch3600 embeds 3,600 mails of ~2 KB per op, in batches of
// 100 as sync does, and reports mails/s over GOMAXPROCS goroutines (wall
// clock) and items/cpu-s (per core; an idle machine gets about GOMAXPROCS
// times that).
func BenchmarkOfflineBatch3600(b *testing.B) {
	o := newOffline(b)
	ms := mails(3600)
	b.ReportAllocs()
	defer cpuTimer(b, len(ms))()
	for b.Loop() {
		for i := 0; i < len(ms); i += 100 {
			if _, err := o.Embed(context.Background(), ms[i:i+100]); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(ms)*b.N)/b.Elapsed().Seconds(), "mails/s")
	b.ReportMetric(float64(runtime.GOMAXPROCS(0)), "procs")
}

// BenchmarkNewOffline is the start-up cost: gunzip and index the vocabulary.
func BenchmarkNewOffline(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		newOffline(b)
	}
}
