// Package sqltx carries the *sql.Tx of a unit of work in a context, so the
// store and the River job queue (separate adapters) write in one transaction.
package sqltx

import (
	"context"
	"database/sql"
)

type ctxKey struct{}

// With returns ctx carrying tx.
func With(ctx context.Context, tx *sql.Tx) context.Context {
	return context.WithValue(ctx, ctxKey{}, tx)
}

// From returns the transaction carried by ctx, or nil.
func From(ctx context.Context) *sql.Tx {
	tx, _ := ctx.Value(ctxKey{}).(*sql.Tx)
	return tx
}
