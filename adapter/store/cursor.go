package store

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

const (
	defaultPageSize = 20
	maxPageSize     = 100
)

// cursor is the sort key of a list item and its id, which breaks ties.
type cursor struct {
	at time.Time
	id uuid.UUID
}

// encode is opaque to clients: base64 of "<unix microseconds>:<uuid>".
func (c cursor) encode() string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(c.at.UnixMicro(), 10) + ":" + c.id.String()))
}

func decodeCursor(s string) (cursor, error) {
	bad := fmt.Errorf("%w: cursor %q is not one this list returned", domain.ErrInvalidCursor, s)
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursor{}, bad
	}
	ts, id, ok := strings.Cut(string(raw), ":")
	if !ok {
		return cursor{}, bad
	}
	micros, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return cursor{}, bad
	}
	u, err := uuid.Parse(id)
	if err != nil {
		return cursor{}, bad
	}
	return cursor{at: time.UnixMicro(micros).UTC(), id: u}, nil
}

func pageSize(first int) (int, error) {
	switch {
	case first < 0:
		return 0, fmt.Errorf("%w: page size %d is negative", domain.ErrInvalidInput, first)
	case first == 0:
		return defaultPageSize, nil
	default:
		return min(first, maxPageSize), nil
	}
}

// keyset says how a list is ordered: by column, then id, both ascending or
// both descending.
type keyset struct {
	column string
	desc   bool
}

// paginate reads one page of the rows selected by filter, in keyset order,
// converted by conv, and counts all of them. key returns a row's sort key.
// With p.Last it reads backward from p.Before (the rows just before it, in
// reverse order, then turned back), as Relay's last/before asks.
func paginate[R, D any](ctx context.Context, db bun.IDB, ks keyset, p domain.Page,
	filter func(*bun.SelectQuery) *bun.SelectQuery, key func(*R) cursor, conv func(*R) D, exclude ...string,
) ([]D, domain.PageInfo, error) {
	backward := p.Last > 0
	limit, err := pageSize(p.First)
	if backward {
		limit, err = pageSize(p.Last)
	}
	if err != nil {
		return nil, domain.PageInfo{}, err
	}
	var rows []R
	q := db.NewSelect().Model(&rows).Apply(filter).Limit(int64(limit + 1))
	if len(exclude) > 0 {
		q = q.ExcludeColumn(exclude...)
	}
	dir, after, before := "ASC", ">", "<"
	if ks.desc {
		dir, after, before = "DESC", "<", ">"
	}
	if backward { // read from the end: the rows nearest Before first
		dir = map[string]string{"ASC": "DESC", "DESC": "ASC"}[dir]
	}
	q = q.OrderExpr("? "+dir+", id "+dir, bun.Ident(ks.column))
	for _, bound := range []struct{ cursor, cmp string }{{p.After, after}, {p.Before, before}} {
		if bound.cursor == "" {
			continue
		}
		c, err := decodeCursor(bound.cursor)
		if err != nil {
			return nil, domain.PageInfo{}, err
		}
		q = q.Where("(?, id) "+bound.cmp+" (?, ?)", bun.Ident(ks.column), c.at, c.id)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, domain.PageInfo{}, unavailable(err)
	}
	var info domain.PageInfo
	if !p.NoTotal {
		total, err := db.NewSelect().Model((*R)(nil)).Apply(filter).Count(ctx)
		if err != nil {
			return nil, domain.PageInfo{}, unavailable(err)
		}
		info.TotalCount = int(total)
	}
	more := len(rows) > limit
	if more {
		rows = rows[:limit]
	}
	// A cursor given means items lie beyond it on that side.
	if backward {
		slices.Reverse(rows)
		info.HasPreviousPage, info.HasNextPage = more, p.Before != ""
	} else {
		info.HasNextPage, info.HasPreviousPage = more, p.After != ""
	}
	out := make([]D, len(rows))
	for i := range rows {
		out[i] = conv(&rows[i])
		info.Cursors = append(info.Cursors, key(&rows[i]).encode())
	}
	if len(rows) > 0 {
		info.StartCursor, info.EndCursor = info.Cursors[0], info.Cursors[len(rows)-1]
	}
	return out, info, nil
}
