package emulator_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
)

func TestFaultRateLimitWithRetryAfter(t *testing.T) {
	t.Parallel()
	b := setup(t, emulator.Config{}, mailbox())
	b.srv.SetFault(emulator.Fault{PathPrefix: "/gmail/v1/users/me/messages", Status: 429, RetryAfter: 7 * time.Second, Count: 2})

	_, err := b.gm.Users.GetProfile("me").Context(b.ctx).Do()
	require.NoError(t, err, "other paths are not faulted")
	for range 2 {
		_, err = b.gm.Users.Messages.List("me").Context(b.ctx).Do()
		gerr := apiErr(t, err, 429)
		require.Equal(t, "7", gerr.Header.Get("Retry-After"))
		require.Equal(t, "rateLimitExceeded", gerr.Errors[0].Reason)
		require.Equal(t, "Rate Limit Exceeded", gerr.Message)
	}
	_, err = b.gm.Users.Messages.List("me").Context(b.ctx).Do()
	require.NoError(t, err, "the fault was count-limited")
}

func TestFaultPerUserServerErrorsAndDelay(t *testing.T) {
	t.Parallel()
	b := setup(t, emulator.Config{}, docs())
	b.srv.SetFault(emulator.Fault{User: "someone@example.com", Status: 500})
	_, err := b.dr.Files.List().Context(b.ctx).Do()
	require.NoError(t, err, "the fault is for another user")

	b.srv.SetFault(emulator.Fault{User: alice, PathPrefix: "/drive/", Status: 503})
	_, err = b.dr.Files.List().Context(b.ctx).Do()
	gerr := apiErr(t, err, 503)
	require.Equal(t, "backendError", gerr.Errors[0].Reason)
	b.srv.ClearFaults()

	b.srv.SetFault(emulator.Fault{Delay: 50 * time.Millisecond, Count: 1})
	start := time.Now()
	_, err = b.dr.Files.List().Context(b.ctx).Do()
	require.NoError(t, err)
	require.GreaterOrEqual(t, time.Since(start), 50*time.Millisecond)
}
