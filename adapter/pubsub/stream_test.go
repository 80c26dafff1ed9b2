package pubsub_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/pubsub"
	"github.com/workspace-orchestrator/orchestrator/adapter/redistest"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/orchestrator"
)

func setup(t *testing.T) (*pubsub.Streams, *pubsub.Streams) {
	t.Helper()
	first, prefix := redistest.New(t)
	// Two clients stand for two server instances sharing one Redis.
	second := redis.NewClient(first.Options())
	t.Cleanup(func() { _ = second.Close() })
	var streams []*pubsub.Streams
	for _, rdb := range []*redis.Client{first, second} {
		s, err := pubsub.New(rdb, pubsub.Config{Prefix: prefix, Block: 50 * time.Millisecond})
		require.NoError(t, err)
		streams = append(streams, s)
	}
	return streams[0], streams[1]
}

func TestFollowReplaysThenFollowsInOrderOnce(t *testing.T) {
	t.Parallel()
	pub, sub := setup(t)
	ctx := context.Background()
	require.NoError(t, pub.Append(ctx, "m1", []byte("0"), []byte("1"), []byte("2")), "a batch keeps its order")
	var (
		mu  sync.Mutex
		got []string
	)
	done := make(chan error, 1)
	go func() {
		done <- sub.Follow(ctx, "m1", "", func(e pubsub.Entry) bool {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, string(e.Payload))
			return string(e.Payload) != "last"
		})
	}()
	for i := 3; i < 50; i++ {
		err := pub.Append(ctx, "m1", []byte(fmt.Sprint(i)))
		require.NoError(t, err)
	}
	err := pub.Append(ctx, "m1", []byte("last"))
	require.NoError(t, err)
	require.NoError(t, <-done)
	want := []string{}
	for i := range 50 {
		want = append(want, fmt.Sprint(i))
	}
	require.Equal(t, strings.Join(append(want, "last"), ","), strings.Join(got, ","))
}

func TestFollowStopsWithContext(t *testing.T) {
	t.Parallel()
	_, sub := setup(t)
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Millisecond)
	defer cancel()
	err := sub.Follow(ctx, "silent", "", func(pubsub.Entry) bool { return true })
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	_, err := pubsub.New(nil, pubsub.Config{MaxLen: -1})
	require.ErrorContains(t, err, "Config.MaxLen")
}

func TestAnswersStopAfterDone(t *testing.T) {
	t.Parallel()
	pubS, subS := setup(t)
	pub, sub := pubsub.NewAnswers(pubS), pubsub.NewAnswers(subS)
	ctx := context.Background()
	id := uuid.New()
	for i, ev := range []orchestrator.Event{
		{Type: orchestrator.EventStatus, Status: orchestrator.StatusClassifying},
		{Type: orchestrator.EventToken, Token: "Hello"},
		{Type: orchestrator.EventDone, Text: "Hello", MessageStatus: domain.MessageDone},
		{Type: orchestrator.EventToken, Token: "after the end"},
	} {
		ev.Seq = i + 1
		require.NoError(t, pub.Publish(ctx, id, ev))
	}
	var got []orchestrator.Event
	require.NoError(t, sub.Follow(ctx, id, func(ev orchestrator.Event) bool {
		got = append(got, ev)
		return true
	}))
	require.Len(t, got, 3)
	require.Equal(t, orchestrator.EventDone, got[2].Type)
	require.Equal(t, []int{1, 2, 3}, []int{got[0].Seq, got[1].Seq, got[2].Seq})
}

// xreadCounter is a go-redis hook that records how many XREADs run at once.
type xreadCounter struct {
	mu        sync.Mutex
	now, most int
}

func (c *xreadCounter) DialHook(next redis.DialHook) redis.DialHook { return next }

func (c *xreadCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}

// countingClient is a second client on rdb's server whose XREADs counter counts.
func countingClient(t *testing.T, rdb *redis.Client) (*redis.Client, *xreadCounter) {
	t.Helper()
	counter := &xreadCounter{}
	sub := redis.NewClient(rdb.Options())
	sub.AddHook(counter)
	t.Cleanup(func() { _ = sub.Close() })
	return sub, counter
}

func (c *xreadCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if cmd.Name() != "xread" {
			return next(ctx, cmd)
		}
		c.mu.Lock()
		c.now++
		c.most = max(c.most, c.now)
		c.mu.Unlock()
		defer func() {
			c.mu.Lock()
			c.now--
			c.mu.Unlock()
		}()
		return next(ctx, cmd)
	}
}

// Many subscribers of one answer share one reader, so they hold one Redis
// connection between them, not one each (issue: 140 subscriptions exhausted
// the pool and another user's search waited 14 s).
func TestFollowersOfOneStreamShareOneReader(t *testing.T) {
	t.Parallel()
	rdb, prefix := redistest.New(t)
	sub, counter := countingClient(t, rdb)
	pub, err := pubsub.New(rdb, pubsub.Config{Prefix: prefix, Block: 50 * time.Millisecond})
	require.NoError(t, err)
	streams, err := pubsub.New(sub, pubsub.Config{Prefix: prefix, Block: 50 * time.Millisecond})
	require.NoError(t, err)
	ctx := context.Background()
	require.NoError(t, pub.Append(ctx, "m", []byte("0")))

	const followers = 30
	got := make([][]string, followers)
	var wg sync.WaitGroup
	for i := range followers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			require.NoError(t, streams.Follow(ctx, "m", "", func(e pubsub.Entry) bool {
				got[i] = append(got[i], string(e.Payload))
				return string(e.Payload) != "end"
			}))
		}()
	}
	time.Sleep(100 * time.Millisecond) // let them all join and read the first entry
	require.NoError(t, pub.Append(ctx, "m", []byte("1"), []byte("end")))
	wg.Wait()
	for i := range followers {
		require.Equal(t, []string{"0", "1", "end"}, got[i], "follower %d", i)
	}
	counter.mu.Lock()
	most := counter.most
	counter.mu.Unlock()
	require.Equal(t, 1, most, "one XREAD at a time for one stream")

	// A follower that comes after the others left reads from the start again.
	var late []string
	require.NoError(t, streams.Follow(ctx, "m", "", func(e pubsub.Entry) bool {
		late = append(late, string(e.Payload))
		return string(e.Payload) != "end"
	}))
	require.Equal(t, []string{"0", "1", "end"}, late)
}

// A stream ended by End stops its readers at its last entry: followers
// return without fn asking to stop, and no XREAD is left waiting on a
// pooled connection after them (make bench-ask: such leftover reads held
// the whole pool and queued every other Redis call).
func TestEndStopsReadersAtTheLastEntry(t *testing.T) {
	t.Parallel()
	rdb, prefix := redistest.New(t)
	sub, counter := countingClient(t, rdb)
	pub, err := pubsub.New(rdb, pubsub.Config{Prefix: prefix})
	require.NoError(t, err)
	streams, err := pubsub.New(sub, pubsub.Config{Prefix: prefix}) // Block 5s: a leftover read would show
	require.NoError(t, err)
	ctx := context.Background()
	require.NoError(t, pub.Append(ctx, "m", []byte("0")))

	var firstID string
	follow := func(afterID string) ([]string, error) {
		var got []string
		err := streams.Follow(ctx, "m", afterID, func(e pubsub.Entry) bool {
			if firstID == "" {
				firstID = e.ID
			}
			got = append(got, string(e.Payload))
			return true
		})
		return got, err
	}
	done := make(chan []string, 1)
	go func() {
		got, err := follow("")
		assert.NoError(t, err)
		done <- got
	}()
	require.NoError(t, pub.End(ctx, "m", []byte("1"), []byte("last")))
	require.Equal(t, []string{"0", "1", "last"}, <-done)
	require.Eventually(t, func() bool {
		counter.mu.Lock()
		defer counter.mu.Unlock()
		return counter.now == 0
	}, time.Second, 5*time.Millisecond, "the shared reader stopped at the end, not after its XREAD timed out")

	require.NoError(t, pub.Append(ctx, "m", []byte("after the end")))
	got, err := follow("")
	require.NoError(t, err)
	require.Equal(t, []string{"0", "1", "last"}, got, "a late follower stops at the end too")
	got, err = follow(firstID)
	require.NoError(t, err)
	require.Equal(t, []string{"1", "last"}, got, "so does one reading after an id")
}
