package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

type userRow struct {
	bun.BaseModel `bun:"table:users,alias:u"`

	ID                 uuid.UUID  `bun:"id,pk,type:uuid"`
	Email              string     `bun:"email"`
	DisplayName        string     `bun:"display_name"`
	TimeZone           string     `bun:"time_zone"`
	GoogleAccessToken  []byte     `bun:"google_access_token"`
	GoogleRefreshToken []byte     `bun:"google_refresh_token"`
	TokenKeyID         *string    `bun:"token_key_id"`
	TokenExpiresAt     *time.Time `bun:"token_expires_at"`
	NeedsReauth        bool       `bun:"needs_reauth"`
	GoogleScopes       []string   `bun:"google_scopes,array"`
	GoogleConnected    bool       `bun:"google_connected,scanonly"`
	Plan               string     `bun:"plan"`
	LastActiveAt       *time.Time `bun:"last_active_at"`
	CreatedAt          time.Time  `bun:"created_at"`
	UpdatedAt          time.Time  `bun:"updated_at"`
}

func (r *userRow) domain() domain.User {
	return domain.User{
		ID:              r.ID,
		Email:           r.Email,
		DisplayName:     r.DisplayName,
		TimeZone:        r.TimeZone,
		NeedsReauth:     r.NeedsReauth,
		Plan:            domain.Plan(r.Plan),
		GoogleConnected: r.GoogleConnected,
		Scopes:          r.GoogleScopes,
		LastActiveAt:    derefTime(r.LastActiveAt).UTC(),
		CreatedAt:       r.CreatedAt.UTC(),
	}
}

// userColumns leaves out the sealed tokens, which only the token methods
// read; whether a refresh token is held is all the rest need to know.
const userColumns = "u.id, u.email, u.display_name, u.time_zone, u.needs_reauth, u.plan, u.google_scopes, " +
	"u.google_refresh_token IS NOT NULL AS google_connected, u.last_active_at, u.created_at, u.updated_at"

// UpsertUser returns the user with this email (case-insensitively), creating it if missing.
func (s *AccountStore) UpsertUser(ctx context.Context, email string) (domain.User, error) {
	email = strings.TrimSpace(email)
	if email == "" || !strings.Contains(email, "@") {
		return domain.User{}, fmt.Errorf("%w: email %q is not an address", domain.ErrInvalidInput, email)
	}
	now := s.now()
	row := userRow{ID: uuid.Must(uuid.NewV7()), Email: email, TimeZone: "UTC", CreatedAt: now, UpdatedAt: now}
	// DO UPDATE (not DO NOTHING) so RETURNING yields the existing row too.
	_, err := s.idb(ctx).NewInsert().Model(&row).
		Column("id", "email", "time_zone", "created_at", "updated_at").
		On("CONFLICT ((lower(email))) DO UPDATE").
		Set("updated_at = u.updated_at").
		Returning(userColumns).
		Exec(ctx)
	if err != nil {
		return domain.User{}, fmt.Errorf("store: upsert user %q: %w", email, err)
	}
	return row.domain(), nil
}

// UserByID returns a user; ErrNotFound when there is none.
func (s *AccountStore) UserByID(ctx context.Context, id uuid.UUID) (domain.User, error) {
	var row userRow
	err := s.idb(ctx).NewSelect().Model(&row).ColumnExpr(userColumns).Where("id = ?", id).Scan(ctx)
	if err != nil {
		return domain.User{}, notFound(err, "user", id)
	}
	return row.domain(), nil
}

// UserByEmail returns a user by email, case-insensitively; ErrNotFound when there is none.
func (s *AccountStore) UserByEmail(ctx context.Context, email string) (domain.User, error) {
	var row userRow
	err := s.idb(ctx).NewSelect().Model(&row).ColumnExpr(userColumns).
		Where("lower(email) = lower(?)", strings.TrimSpace(email)).Scan(ctx)
	if err != nil {
		return domain.User{}, notFound(err, "user", email)
	}
	return row.domain(), nil
}

// TouchUser records when the user was last active.
func (s *AccountStore) TouchUser(ctx context.Context, id uuid.UUID, at time.Time) error {
	res, err := s.idb(ctx).NewUpdate().Model((*userRow)(nil)).
		Set("last_active_at = ?", nullTime(at)).
		Where("id = ?", id).Exec(ctx)
	return affectedOne(res, err, "user", id)
}

// SetPlan puts the user on a plan, which sets their hourly API budget.
func (s *AccountStore) SetPlan(ctx context.Context, id uuid.UUID, plan domain.Plan) error {
	res, err := s.idb(ctx).NewUpdate().Model((*userRow)(nil)).
		Set("plan = ?", string(plan)).
		Where("id = ?", id).Exec(ctx)
	return affectedOne(res, err, "user", id)
}

// ActiveUsers returns the users active since the given time whose accounts
// do not need re-authorisation, most recently active first: the ones the
// periodic schedule keeps in sync (ingest.ActiveUsers).
func (s *AccountStore) ActiveUsers(ctx context.Context, since time.Time) ([]domain.User, error) {
	var rows []userRow
	err := s.idb(ctx).NewSelect().Model(&rows).ColumnExpr(userColumns).
		Where("last_active_at >= ?", since).Where("NOT needs_reauth").
		Order("last_active_at DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: active users: %w", err)
	}
	out := make([]domain.User, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}

// affectedOne turns an update or delete that matched no row into ErrNotFound.
func affectedOne(res sql.Result, err error, what string, id any) error {
	if err != nil {
		return fmt.Errorf("store: %s %v: %w", what, id, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("store: %s %v: %w", what, id, domain.ErrNotFound)
	}
	return nil
}

// GoogleToken opens the user's sealed Google token. ErrNotFound when the user
// has none (never connected Google).
func (s *AccountStore) GoogleToken(ctx context.Context, userID uuid.UUID) (domain.GoogleToken, error) {
	t, _, err := s.token(ctx, userID, false)
	if err == nil && t.AccessToken == "" && t.RefreshToken == "" {
		return domain.GoogleToken{}, fmt.Errorf("store: google token of user %s: %w", userID, domain.ErrNotFound)
	}
	return t, err
}

// token opens the user's sealed token (the zero token when none is stored)
// and reads whether the account needs re-authorisation. lock holds the row
// (FOR UPDATE) until ctx's transaction ends: the tokens are sealed, so a
// compare-and-set compares them here rather than in SQL.
func (s *AccountStore) token(ctx context.Context, userID uuid.UUID, lock bool) (domain.GoogleToken, bool, error) {
	var row userRow
	q := s.idb(ctx).NewSelect().Model(&row).
		Column("google_access_token", "google_refresh_token", "token_key_id", "token_expires_at", "needs_reauth").
		Where("id = ?", userID)
	if lock {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return domain.GoogleToken{}, false, notFound(err, "user", userID)
	}
	if row.TokenKeyID == nil {
		return domain.GoogleToken{}, row.NeedsReauth, nil
	}
	access, err := s.open(row.GoogleAccessToken, *row.TokenKeyID)
	if err != nil {
		return domain.GoogleToken{}, false, fmt.Errorf("store: google access token of user %s: %w", userID, err)
	}
	refresh, err := s.open(row.GoogleRefreshToken, *row.TokenKeyID)
	if err != nil {
		return domain.GoogleToken{}, false, fmt.Errorf("store: google refresh token of user %s: %w", userID, err)
	}
	return domain.GoogleToken{AccessToken: access, RefreshToken: refresh, Expiry: derefTime(row.TokenExpiresAt).UTC()}, row.NeedsReauth, nil
}

func (s *AccountStore) open(sealed []byte, keyID string) (string, error) {
	if sealed == nil {
		return "", nil
	}
	plain, err := s.keys.Open(sealed, keyID)
	return string(plain), err
}

// seal encrypts a non-empty secret with the primary key; "" stays NULL.
func (s *AccountStore) seal(plain string) ([]byte, string, error) {
	if plain == "" {
		return nil, "", nil
	}
	return s.keys.Seal([]byte(plain))
}

// SaveGoogleToken stores a new grant (connecting, signing in). One with a
// refresh token clears needs_reauth; one without keeps the stored refresh
// token and the mark, which says that token no longer works.
func (s *AccountStore) SaveGoogleToken(ctx context.Context, userID uuid.UUID, t domain.GoogleToken) error {
	if t.RefreshToken != "" {
		return s.writeToken(ctx, userID, t, false)
	}
	return s.InTx(ctx, func(ctx context.Context) error {
		cur, reauth, err := s.token(ctx, userID, true)
		if err != nil {
			return err
		}
		t.RefreshToken = cur.RefreshToken
		return s.writeToken(ctx, userID, t, reauth)
	})
}

// SaveRefreshed stores t, which refreshing with the refresh token from
// returned, while from is still the stored refresh token and the account is
// not marked; it never clears the mark. An empty t.RefreshToken keeps from.
func (s *AccountStore) SaveRefreshed(ctx context.Context, userID uuid.UUID, from string, t domain.GoogleToken) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		cur, reauth, err := s.token(ctx, userID, true)
		switch {
		case err != nil:
			return err
		case reauth:
			return fmt.Errorf("store: refreshed google token of user %s: the account is marked for re-authorisation: %w", userID, domain.ErrReauthRequired)
		case cur.RefreshToken != from:
			return fmt.Errorf("store: refreshed google token of user %s: another grant replaced the one refreshed: %w", userID, domain.ErrConflict)
		}
		if t.RefreshToken == "" {
			t.RefreshToken = from
		}
		return s.writeToken(ctx, userID, t, false)
	})
}

// writeToken seals t and stores it with needs_reauth. Both tokens are sealed
// again so they share one key id. Scopes left empty keep the stored ones.
func (s *AccountStore) writeToken(ctx context.Context, userID uuid.UUID, t domain.GoogleToken, reauth bool) error {
	access, keyID, err := s.seal(t.AccessToken)
	if err != nil {
		return fmt.Errorf("store: seal google access token: %w", err)
	}
	refresh, refreshKeyID, err := s.seal(t.RefreshToken)
	if err != nil {
		return fmt.Errorf("store: seal google refresh token: %w", err)
	}
	if keyID == "" {
		keyID = refreshKeyID
	}
	res, err := s.idb(ctx).NewUpdate().Model((*userRow)(nil)).
		Set("google_access_token = ?", access).
		Set("google_refresh_token = ?", refresh).
		Set("token_key_id = ?", keyID).
		Set("token_expires_at = ?", nullTime(t.Expiry)).
		Set("google_scopes = CASE WHEN cardinality(?::text[]) > 0 THEN ?::text[] ELSE google_scopes END",
			pgdialect.Array(t.Scopes), pgdialect.Array(t.Scopes)).
		Set("needs_reauth = ?", reauth).
		Set("updated_at = ?", s.now()).
		Where("id = ?", userID).Exec(ctx)
	return affectedOne(res, err, "user", userID)
}

// MarkReauth records that the user must connect Google again, while refresh
// is still their stored refresh token. Such an account has likely lost its
// push watches with its grant: they are marked expired, to be renewed once
// it reconnects.
func (s *AccountStore) MarkReauth(ctx context.Context, userID uuid.UUID, refresh string) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		cur, _, err := s.token(ctx, userID, true)
		if err != nil {
			return err
		}
		if cur.RefreshToken != refresh {
			return fmt.Errorf("store: mark user %s for re-authorisation: another grant replaced the refused one: %w", userID, domain.ErrConflict)
		}
		res, err := s.idb(ctx).NewUpdate().Model((*userRow)(nil)).
			Set("needs_reauth = true").
			Set("updated_at = ?", s.now()).
			Where("id = ?", userID).Exec(ctx)
		if err := affectedOne(res, err, "user", userID); err != nil {
			return err
		}
		return s.lapseWatches(ctx, userID)
	})
}

// deletedFirst are the user's tables DeleteUser empties itself, in order,
// before the cascade: the caches first, while the user still exists, since
// their triggers write the search index (which a cascade would make them do
// for a user already gone); then the index, whose postings, statistics,
// vectors and passage word counts have no foreign key for a cascade to
// follow.
var deletedFirst = []string{"gmail_cache", "gcal_cache", "gdrive_cache",
	"search_terms", "search_tail", "search_docs", "search_stats", "search_vectors", "search_people", "search_passage_words"}

// DeleteUser deletes the user and every row that is theirs, in one
// transaction: the caches and search index explicitly, everything else
// (conversations, sync state, watches, sessions) by the schema's cascades.
// ErrNotFound when there is no such user.
func (s *AccountStore) DeleteUser(ctx context.Context, userID uuid.UUID) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		db := s.idb(ctx)
		for _, table := range deletedFirst {
			if _, err := db.NewDelete().TableExpr(table).Where("user_id = ?", userID).Exec(ctx); err != nil {
				return fmt.Errorf("store: delete user %s from %s: %w", userID, table, err)
			}
		}
		res, err := db.NewDelete().Model((*userRow)(nil)).Where("id = ?", userID).Exec(ctx)
		return affectedOne(res, err, "user", userID)
	})
}
