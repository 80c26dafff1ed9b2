// Package redistest gives a test a Redis client and a key prefix of its own,
// so tests share one Redis in parallel. Import it only from _test.go files.
package redistest

import (
	"context"
	"crypto/rand"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// DefaultURL is used when TEST_REDIS_URL is unset: database 1, away from the
// application's default database 0.
const DefaultURL = "redis://127.0.0.1:6379/1"

// URL is the test Redis: TEST_REDIS_URL or DefaultURL.
func URL() string {
	if u := os.Getenv("TEST_REDIS_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// New returns a client for URL() and a key prefix ("test:<random>:") unique
// to the test. When the test ends, the keys under the prefix are deleted and
// the client is closed. It fails the test at once when Redis does not answer.
func New(t testing.TB) (*redis.Client, string) {
	t.Helper()
	opts, err := redis.ParseURL(URL())
	if err != nil {
		t.Fatalf("redistest: TEST_REDIS_URL: %v", err)
	}
	rdb := redis.NewClient(opts)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		_ = rdb.Close()
		t.Fatalf("redistest: ping %s (run scripts/services.sh): %v", opts.Addr, err)
	}
	prefix := "test:" + rand.Text() + ":"
	t.Cleanup(func() {
		defer func() { _ = rdb.Close() }()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		var keys []string
		for iter.Next(ctx) {
			keys = append(keys, iter.Val())
		}
		if err := iter.Err(); err != nil {
			t.Logf("redistest: listing keys under %s: %v", prefix, err)
			return
		}
		if len(keys) > 0 {
			if err := rdb.Unlink(ctx, keys...).Err(); err != nil {
				t.Logf("redistest: deleting %d keys under %s: %v", len(keys), prefix, err)
			}
		}
	})
	return rdb, prefix
}
