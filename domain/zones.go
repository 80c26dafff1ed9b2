package domain

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"
)

type userKey struct{}

// WithUser is ctx carrying the user who made the request, as the edge
// loaded it for this request (a token of a deleted user is refused there).
func WithUser(ctx context.Context, u User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// UserFrom is the user WithUser put in ctx; false for an anonymous request.
func UserFrom(ctx context.Context) (User, bool) {
	u, ok := ctx.Value(userKey{}).(User)
	return u, ok
}

// UserReader finds a user by id; UserStore is one.
type UserReader interface {
	UserByID(ctx context.Context, id uuid.UUID) (User, error)
}

// Zones is the one lookup of users' time zones, for reading relative dates
// ("last week", "tomorrow at 3") the way the person means them. Each zone is
// loaded once: time.LoadLocation reads a file on every call.
type Zones struct {
	users UserReader
	def   *time.Location

	mu     sync.Mutex
	loaded map[string]*time.Location
}

// NewZones looks zones up through users (nil: everyone is in def); def is
// the zone of users without a known one (nil: UTC).
func NewZones(users UserReader, def *time.Location) *Zones {
	if def == nil {
		def = time.UTC
	}
	return &Zones{users: users, def: def, loaded: map[string]*time.Location{}}
}

// Location is the user's time zone: read from the user the request loaded
// (WithUser) when it is this one, else looked up. When it cannot be known
// (no such user, a failed lookup, an unknown zone name) it is the default,
// with an error saying why for the caller to log.
func (z *Zones) Location(ctx context.Context, userID uuid.UUID) (*time.Location, error) {
	if u, ok := UserFrom(ctx); ok && u.ID == userID {
		return z.Of(u)
	}
	if z.users == nil {
		return z.def, nil
	}
	u, err := z.users.UserByID(ctx, userID)
	if err != nil {
		return z.def, fmt.Errorf("time zone of user %s: %w", userID, err)
	}
	return z.Of(u)
}

// Of is u's time zone, or the default (with an error when u names a zone
// that does not exist).
func (z *Zones) Of(u User) (*time.Location, error) {
	if u.TimeZone == "" {
		return z.def, nil
	}
	z.mu.Lock()
	loc, ok := z.loaded[u.TimeZone]
	z.mu.Unlock()
	if ok {
		return loc, nil
	}
	loc, err := time.LoadLocation(u.TimeZone)
	if err != nil {
		return z.def, fmt.Errorf("time zone %q of user %s: %v: %w", u.TimeZone, u.ID, err, ErrInvalidInput)
	}
	z.mu.Lock()
	z.loaded[u.TimeZone] = loc
	z.mu.Unlock()
	return loc, nil
}
