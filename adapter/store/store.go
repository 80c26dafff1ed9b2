package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"

	"github.com/workspace-orchestrator/orchestrator/adapter/store/secret"
	"github.com/workspace-orchestrator/orchestrator/adapter/store/sqltx"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

// Store is every aggregate's store over one PostgreSQL database: wiring
// hands each port the aggregate that serves it (Store.Accounts, ...), and
// the whole Store to ports that span aggregates (the workspace reader and
// writer over mail, calendar and drive; the transaction runner).
type Store struct {
	*core
	*AccountStore      // users, their Google tokens and sign-in sessions
	*ConversationStore // conversations and their messages
	*MailStore         // cached Gmail messages
	*CalendarStore     // cached Calendar events
	*DriveStore        // cached Drive files
	*SyncStore         // sync statuses, push watches, statistics, re-embedding, data versions
}

// core is what the aggregates' stores share: the pool (or the transaction a
// context carries), the keyring sealing Google tokens and the clock.
type core struct {
	db    *DB
	keys  *secret.Keyring
	clock domain.Clock
}

// AccountStore keeps users, their Google tokens and their sign-in sessions.
type AccountStore struct{ *core }

// ConversationStore keeps conversations and their messages.
type ConversationStore struct{ *core }

// MailStore is the cache of Gmail messages.
type MailStore struct{ *core }

// CalendarStore is the cache of Calendar events.
type CalendarStore struct{ *core }

// DriveStore is the cache of Drive files.
type DriveStore struct{ *core }

// SyncStore keeps what the sync needs beside the items: per service status,
// push watches, table statistics, re-embedding and the users' data versions;
// and it marks and drops the items a full sync did not see again.
type SyncStore struct{ *core }

// New returns a Store over db; keys seal Google tokens at rest.
func New(db *DB, keys *secret.Keyring, clock domain.Clock) *Store {
	c := &core{db: db, keys: keys, clock: clock}
	return &Store{core: c, AccountStore: &AccountStore{c}, ConversationStore: &ConversationStore{c},
		MailStore: &MailStore{c}, CalendarStore: &CalendarStore{c}, DriveStore: &DriveStore{c}, SyncStore: &SyncStore{c}}
}

var (
	_ domain.UserStore         = (*AccountStore)(nil)
	_ domain.TokenStore        = (*AccountStore)(nil)
	_ domain.ConversationStore = (*ConversationStore)(nil)
	_ domain.SyncStatusStore   = (*SyncStore)(nil)
	_ domain.WorkspaceReader   = (*Store)(nil)
	_ domain.WorkspaceWriter   = (*Store)(nil)
	_ domain.TxRunner          = (*Store)(nil)
)

type txKey struct{}

// InTx runs fn in one transaction. ctx passed to fn carries it twice: as a
// bun.Tx for this store and as its *sql.Tx (package sqltx) for the job queue,
// so both commit or roll back together. Called inside a transaction, InTx
// joins it.
func (s *core) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(bun.Tx); ok {
		return fn(ctx)
	}
	return unavailable(s.db.Bun.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		ctx = context.WithValue(ctx, txKey{}, tx)
		return fn(sqltx.With(ctx, tx.Tx))
	}))
}

// unavailable wraps err with domain.ErrUnavailable when PostgreSQL could not
// serve it for now, so the edges answer UNAVAILABLE (retry) and jobs retry:
// the server shutting down or starting up (SQLSTATE 57P01 admin_shutdown,
// 57P02 crash_shutdown, 57P03 cannot_connect_now), any connection exception
// (class 08), or a connection refused, reset or cut off.
func unavailable(err error) error {
	if err == nil || errors.Is(err, domain.ErrUnavailable) {
		return err
	}
	var pgErr *pgconn.PgError
	var netErr net.Error
	switch {
	case errors.As(err, &pgErr):
		switch {
		case pgErr.Code == "57P01", pgErr.Code == "57P02", pgErr.Code == "57P03", strings.HasPrefix(pgErr.Code, "08"):
		default:
			return err
		}
	case errors.As(err, &netErr), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, driver.ErrBadConn), pgconn.SafeToRetry(err):
	default:
		return err
	}
	return fmt.Errorf("%w: %w", domain.ErrUnavailable, err)
}

// idb is the transaction carried by ctx, or the pool.
func (s *core) idb(ctx context.Context) bun.IDB {
	if tx, ok := ctx.Value(txKey{}).(bun.Tx); ok {
		return tx
	}
	return s.db.Bun
}

// now is the clock's time at the database's precision, so values read back
// compare equal to the ones written.
func (s *core) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

// DataVersion is a per-user counter that every write to the user's workspace
// cache increases; 0 before the first write. Caches of derived results keep
// the version they were computed at.
func (s *SyncStore) DataVersion(ctx context.Context, userID uuid.UUID) (int64, error) {
	var v int64
	err := s.idb(ctx).NewSelect().Table("workspace_versions").Column("version").
		Where("user_id = ?", userID).Scan(ctx, &v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: data version of user %s: %w", userID, err)
	}
	return v, nil
}

// writeCache runs fn in a transaction and bumps the user's data version in it.
// An unknown user answers ErrNotFound.
func (s *core) writeCache(ctx context.Context, userID uuid.UUID, fn func(ctx context.Context, db bun.IDB) error) error {
	err := s.InTx(ctx, func(ctx context.Context) error {
		db := s.idb(ctx)
		if err := fn(ctx, db); err != nil {
			return err
		}
		_, err := db.NewRaw(`INSERT INTO workspace_versions (user_id, version, updated_at) VALUES (?, 1, ?)
			ON CONFLICT (user_id) DO UPDATE SET version = workspace_versions.version + 1, updated_at = EXCLUDED.updated_at`,
			userID, s.now()).Exec(ctx)
		if err != nil {
			return fmt.Errorf("store: bump data version of user %s: %w", userID, err)
		}
		return nil
	})
	return userMissing(err, userID)
}

// userMissing turns a foreign key violation, on tables whose only foreign
// key is the user, into ErrNotFound.
func userMissing(err error, userID uuid.UUID) error {
	if pgErr := (*pgconn.PgError)(nil); errors.As(err, &pgErr) && pgErr.Code == "23503" { // foreign_key_violation
		return fmt.Errorf("store: user %s: %w", userID, domain.ErrNotFound)
	}
	return unavailable(err)
}

// notFound maps sql.ErrNoRows to domain.ErrNotFound, naming what was missing.
func notFound(err error, what string, id any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: %s %v: %w", what, id, domain.ErrNotFound)
	}
	return fmt.Errorf("store: %s %v: %w", what, id, unavailable(err))
}

// owned reads the row of model R with this id when it is userID's, converted
// by conv; another user's row answers ErrNotFound like a missing one.
func owned[R, D any](ctx context.Context, db bun.IDB, userID, id uuid.UUID, what string, conv func(*R) D) (D, error) {
	var row R
	if err := db.NewSelect().Model(&row).Where("user_id = ? AND id = ?", userID, id).Scan(ctx); err != nil {
		var zero D
		return zero, notFound(err, what, id)
	}
	return conv(&row), nil
}

// whereAnyPerson keeps rows where at least one of values names a person. A
// whole address (domain.IsAddress) is matched by byAddr, whose one ? is bound to
// the address in lower case (stored addresses are, and indexes serve the
// equality); anything else, and every value when byAddr is "", by byLike,
// whose every ? is bound to the value as a case-insensitive substring pattern.
func whereAnyPerson(q *bun.SelectQuery, values []string, byAddr, byLike string) *bun.SelectQuery {
	if len(values) == 0 {
		return q
	}
	return q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		for _, v := range values {
			if byAddr != "" && domain.IsAddress(v) {
				q = q.WhereOr(byAddr, strings.ToLower(strings.TrimSpace(v)))
				continue
			}
			args := make([]any, strings.Count(byLike, "?"))
			for i := range args {
				args[i] = likePattern(v)
			}
			q = q.WhereOr(byLike, args...)
		}
		return q
	})
}

// lowerAll is values in lower case, to compare with a column lower() reads.
func lowerAll(values []string) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = strings.ToLower(v)
	}
	return out
}

// whereRange keeps rows with after <= col < before; zero bounds are open.
func whereRange(q *bun.SelectQuery, col string, after, before time.Time) *bun.SelectQuery {
	if !after.IsZero() {
		q = q.Where("? >= ?", bun.Ident(col), after)
	}
	if !before.IsZero() {
		q = q.Where("? < ?", bun.Ident(col), before)
	}
	return q
}

// excludedSet is the SET list of an upsert that replaces every given column.
func excludedSet(cols ...string) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = c + " = EXCLUDED." + c
	}
	return strings.Join(parts, ", ")
}

// likePattern matches s anywhere, with LIKE's wildcards in s taken literally.
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.TrimSpace(s)) + "%"
}

// nullTime is nil for the zero time, so it is stored as NULL.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC().Truncate(time.Microsecond)
	return &t
}

func derefTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// batchRows is how many rows one upsert statement carries: bodies can be
// large, and bun inlines values into the statement text.
const batchRows = 200

// chunks calls fn with consecutive slices of at most n items.
func chunks[T any](items []T, n int, fn func([]T) error) error {
	for len(items) > 0 {
		k := min(n, len(items))
		if err := fn(items[:k]); err != nil {
			return err
		}
		items = items[k:]
	}
	return nil
}

// upsert converts items to rows and writes them in batched INSERT ... ON
// CONFLICT (user_id, keyCol) DO UPDATE statements replacing cols.
func upsert[T, R any](ctx context.Context, s *core, userID uuid.UUID, items []T,
	toRow func(uuid.UUID, *T, time.Time) (R, error), key func(*R) string, keyCol string, cols []string,
) error {
	if len(items) == 0 {
		return nil
	}
	now := s.now()
	rows := make([]R, 0, len(items))
	seen := make(map[string]int, len(items))
	for i := range items {
		row, err := toRow(userID, &items[i], now)
		if err != nil {
			return err
		}
		// One statement cannot update a row twice: the last copy wins.
		if j, dup := seen[key(&row)]; dup {
			rows[j] = row
			continue
		}
		seen[key(&row)] = len(rows)
		rows = append(rows, row)
	}
	return s.writeCache(ctx, userID, func(ctx context.Context, db bun.IDB) error {
		return chunks(rows, batchRows, func(batch []R) error {
			_, err := db.NewInsert().Model(&batch).
				On("CONFLICT (user_id, ?) DO UPDATE", bun.Ident(keyCol)).
				Set(excludedSet(cols...)).
				Exec(ctx)
			if err != nil {
				return fmt.Errorf("store: upsert %d rows by %s of user %s: %w", len(batch), keyCol, userID, err)
			}
			return nil
		})
	})
}
