package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// deadPostgres is the error of a query while PostgreSQL is down: nothing
// listens on its port.
func deadPostgres(t *testing.T) error {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	_, err = pgx.Connect(context.Background(), "postgres://postgres@"+addr+"/x?sslmode=disable&connect_timeout=2")
	require.Error(t, err)
	return err
}

func TestClassifyMapsSentinels(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		err  error
		code string
	}{
		{fmt.Errorf("ask x: %w", domain.ErrCancelled), codeCancelled},
		{fmt.Errorf("bad: %w", domain.ErrInvalidInput), codeBadUserInput},
		{fmt.Errorf("gone: %w", domain.ErrNotFound), codeNotFound},
		{errors.New("relation x does not exist"), codeInternal},
		{fmt.Errorf("google: %w", domain.ErrUnavailable), codeUnavailable},
		{fmt.Errorf("store: create message: %w", deadPostgres(t)), codeUnavailable},
		// PostgreSQL shutting down, crashed, starting up; a lost connection.
		{fmt.Errorf("store: messages: %w", &pgconn.PgError{Severity: "FATAL", Code: "57P01"}), codeUnavailable},
		{fmt.Errorf("store: messages: %w", &pgconn.PgError{Severity: "FATAL", Code: "57P02"}), codeUnavailable},
		{fmt.Errorf("connect: %w", &pgconn.PgError{Severity: "FATAL", Code: "57P03"}), codeUnavailable},
		{fmt.Errorf("store: messages: %w", &pgconn.PgError{Code: "08006"}), codeUnavailable},
		{fmt.Errorf("store: messages: %w", &pgconn.PgError{Code: "42P01"}), codeInternal},
	} {
		code, _ := classify(c.err)
		require.Equal(t, c.code, code, "%v", c.err)
	}
	_, msg := classify(fmt.Errorf("ask x: %w", domain.ErrCancelled))
	require.Equal(t, "the request was cancelled before it finished", msg)
}
