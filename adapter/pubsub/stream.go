// Package pubsub carries the events of one streamed answer between instances
// on a Redis Stream per message: a subscriber that connects late, or to another
// instance, replays the stream from the start and then follows it.
package pubsub

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Config tunes the streams.
type Config struct {
	// Prefix namespaces the stream keys. Defaults to DefaultPrefix ("answer:").
	Prefix string
	// TTL is how long a stream is kept after its last event, for late
	// subscribers; the final answer is persisted in PostgreSQL anyway, and a
	// subscriber that comes later is answered from there. Defaults to DefaultTTL (10m)
	// (an answer's stream is ~20 KB: at 200 asks/s an hour would hold 14 GB).
	TTL time.Duration
	// MaxLen caps a stream's length (approximately). Defaults to
	// DefaultMaxLen (10000).
	MaxLen int64
	// Block is how long one XREAD waits before checking ctx again. Defaults
	// to DefaultBlock (5s).
	Block time.Duration
}

// Defaults of Config.
const (
	DefaultPrefix = "answer:"
	DefaultTTL    = 10 * time.Minute
	DefaultMaxLen = 10000
	DefaultBlock  = 5 * time.Second
)

// WithDefaults returns c with zero fields set to their defaults.
func (c Config) WithDefaults() Config {
	c.Prefix = cmp.Or(c.Prefix, DefaultPrefix)
	c.TTL = cmp.Or(c.TTL, DefaultTTL)
	c.MaxLen = cmp.Or(c.MaxLen, DefaultMaxLen)
	c.Block = cmp.Or(c.Block, DefaultBlock)
	return c
}

func (c Config) validate() error {
	switch {
	case c.TTL < time.Second:
		return fmt.Errorf("pubsub: Config.TTL is %s, want >= 1s", c.TTL)
	case c.MaxLen < 1:
		return fmt.Errorf("pubsub: Config.MaxLen is %d, want >= 1", c.MaxLen)
	case c.Block < time.Millisecond:
		return fmt.Errorf("pubsub: Config.Block is %s, want >= 1ms", c.Block)
	}
	return nil
}

// Streams appends to and follows Redis Streams.
type Streams struct {
	rdb redis.UniversalClient
	cfg Config

	mu    sync.Mutex
	tails map[string]*tail // streams followed from the start, by key
}

// New returns Streams on rdb.
func New(rdb redis.UniversalClient, cfg Config) (*Streams, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return &Streams{rdb: rdb, cfg: cfg, tails: map[string]*tail{}}, nil
}

// Entry is one event of a stream.
type Entry struct {
	ID      string
	Payload []byte
}

const (
	field    = "e"
	endField = "end" // set on a stream's last entry
)

// Append adds the payloads, in order, to the stream of key and refreshes the
// stream's TTL, in one round trip.
func (s *Streams) Append(ctx context.Context, key string, payloads ...[]byte) error {
	return s.append(ctx, key, false, payloads)
}

// End appends the payloads as Append does, the last of them ending the
// stream: its readers stop after it instead of waiting for more. Without it
// a shared reader only learns that the stream is over when its last
// follower leaves, and its XREAD then holds a pooled connection until it
// times out (make bench-ask: 20 connections held this way, a dozen asks
// queued for the pool).
func (s *Streams) End(ctx context.Context, key string, payloads ...[]byte) error {
	return s.append(ctx, key, true, payloads)
}

func (s *Streams) append(ctx context.Context, key string, end bool, payloads [][]byte) error {
	k := s.cfg.Prefix + key
	pipe := s.rdb.TxPipeline()
	for i, p := range payloads {
		values := []any{field, p}
		if end && i == len(payloads)-1 {
			values = append(values, endField, 1)
		}
		pipe.XAdd(ctx, &redis.XAddArgs{Stream: k, MaxLen: s.cfg.MaxLen, Approx: true, Values: values})
	}
	pipe.Expire(ctx, k, s.cfg.TTL)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("pubsub: append to %s: %w", k, err)
	}
	return nil
}

// Follow sends every entry of the stream of key after afterID ("" or "0" for
// the start) to fn, in order and once each, waiting for new ones, until fn
// returns false, the entry that ends the stream (End) has been sent, ctx
// ends, or Redis fails.
//
// Followers of one stream from its start share one reader per process: a
// blocking XREAD holds a pooled connection for up to Config.Block, so a
// reader per follower let many subscriptions to one answer exhaust the pool
// that every other request needs.
func (s *Streams) Follow(ctx context.Context, key, afterID string, fn func(Entry) bool) error {
	if afterID != "" && afterID != "0" {
		return s.read(ctx, s.cfg.Prefix+key, afterID, s.cfg.Block, func(es []Entry) bool {
			for _, e := range es {
				if !fn(e) {
					return false
				}
			}
			return true
		})
	}
	t := s.join(key)
	defer s.leave(key, t)
	for next := 0; ; {
		t.mu.Lock()
		batch, err, ended, changed := t.entries[next:], t.err, t.ended, t.changed
		t.mu.Unlock()
		for _, e := range batch {
			if !fn(e) {
				return nil
			}
		}
		next += len(batch)
		if len(batch) > 0 {
			continue
		}
		if ended {
			return nil
		}
		if err != nil {
			return err
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// tail is what the shared reader of one stream has read so far; its
// followers each keep their own position in entries.
type tail struct {
	mu        sync.Mutex
	entries   []Entry
	err       error         // why the reader stopped; followers return it
	ended     bool          // the reader read the stream's last entry
	changed   chan struct{} // closed, and replaced, when entries or err change
	followers int           // guarded by Streams.mu
	stop      context.CancelFunc
}

func (t *tail) update(f func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f()
	close(t.changed)
	t.changed = make(chan struct{})
}

// join returns the stream's tail, starting its reader for the first follower.
func (s *Streams) join(key string) *tail {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tails[key]
	if t == nil {
		ctx, stop := context.WithCancel(context.Background())
		t = &tail{changed: make(chan struct{}), stop: stop}
		s.tails[key] = t
		go func() {
			err := s.read(ctx, s.cfg.Prefix+key, "0", sharedBlock, func(es []Entry) bool {
				t.update(func() { t.entries = append(t.entries, es...) })
				return true
			})
			if ctx.Err() != nil {
				return // the last follower left
			}
			if err == nil { // the stream ended: its followers stop after its last entry
				t.update(func() { t.ended = true })
				return
			}
			s.mu.Lock()
			if s.tails[key] == t { // the next follower starts afresh
				delete(s.tails, key)
			}
			s.mu.Unlock()
			t.update(func() { t.err = err })
		}()
	}
	t.followers++
	return t
}

// leave stops the stream's reader when its last follower leaves.
func (s *Streams) leave(key string, t *tail) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t.followers--; t.followers == 0 {
		if s.tails[key] == t {
			delete(s.tails, key)
		}
		t.stop()
	}
}

// sharedBlock bounds one XREAD of a shared reader. go-redis does not
// interrupt a blocked XREAD when its context is cancelled, and a shared
// reader cannot tell the stream's last entry: after its last follower has
// left, it holds a pooled connection until its XREAD returns. With
// Config.Block (5s) every finished answer held one for 5s, which exhausted
// the pool under load (make bench-ask: 6.5 asks/s, first token p90 4.9s).
const sharedBlock = 200 * time.Millisecond

// read sends batches of the stream of k after afterID to fn until fn returns
// false or has been sent the stream's last entry (nil), ctx ends, or Redis
// fails; each XREAD waits at most block.
func (s *Streams) read(ctx context.Context, k, afterID string, block time.Duration, fn func([]Entry) bool) error {
	for {
		res, err := s.rdb.XRead(ctx, &redis.XReadArgs{Streams: []string{k, afterID}, Count: 256, Block: block}).Result()
		switch {
		case errors.Is(err, redis.Nil):
			continue // nothing new within Block
		case err != nil:
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("pubsub: follow %s: %w", k, err)
		}
		for _, st := range res {
			batch := make([]Entry, 0, len(st.Messages))
			end := false
			for _, m := range st.Messages {
				afterID = m.ID
				v, _ := m.Values[field].(string)
				batch = append(batch, Entry{ID: m.ID, Payload: []byte(v)})
				if _, end = m.Values[endField]; end {
					break
				}
			}
			if !fn(batch) || end {
				return nil
			}
		}
	}
}
