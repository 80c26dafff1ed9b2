package pubsub

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"
)

// Cancels carries cancel requests for asks between server instances over a
// Redis pub/sub channel (orchestrator.Cancels). Delivery is fire and forget,
// which suits it: an instance that misses one is down and runs nothing.
type Cancels struct {
	rdb     redis.UniversalClient
	channel string
}

// NewCancels returns Cancels on rdb's channel named channel ("" for "ask:cancel").
func NewCancels(rdb redis.UniversalClient, channel string) *Cancels {
	if channel == "" {
		channel = "ask:cancel"
	}
	return &Cancels{rdb: rdb, channel: channel}
}

// RequestCancel publishes the message id to every listening instance.
func (c *Cancels) RequestCancel(ctx context.Context, messageID uuid.UUID) error {
	return c.rdb.Publish(ctx, c.channel, messageID.String()).Err()
}

// ListenCancels calls fn with each requested message id until ctx ends. It
// returns once subscribing fails; go-redis resubscribes by itself after a
// dropped connection.
func (c *Cancels) ListenCancels(ctx context.Context, fn func(messageID uuid.UUID)) error {
	ps := c.rdb.Subscribe(ctx, c.channel)
	defer ps.Close()
	if _, err := ps.Receive(ctx); err != nil { // the subscription's confirmation
		return err
	}
	ch := ps.Channel()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case m, ok := <-ch:
			if !ok {
				return errors.New("pubsub: cancel channel closed")
			}
			if id, err := uuid.Parse(m.Payload); err == nil {
				fn(id)
			}
		}
	}
}
