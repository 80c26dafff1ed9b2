package gclient_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/api/googleapi"

	"github.com/workspace-orchestrator/orchestrator/adapter/google/gclient"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

func TestErrMapsGoogleErrorsToSentinels(t *testing.T) {
	t.Parallel()
	retry := http.Header{"Retry-After": {"17"}}
	for _, c := range []struct {
		err   error
		want  error
		after int64
	}{
		{&googleapi.Error{Code: 429, Header: retry}, domain.ErrRateLimited, 17},
		{&googleapi.Error{Code: 403, Errors: []googleapi.ErrorItem{{Reason: "userRateLimitExceeded"}}}, domain.ErrRateLimited, 0},
		{&googleapi.Error{Code: 503, Header: retry}, domain.ErrUnavailable, 17},
		{&googleapi.Error{Code: 500}, domain.ErrUnavailable, 0},
		{&googleapi.Error{Code: 401}, domain.ErrReauthRequired, -1},
		{&googleapi.Error{Code: 403}, domain.ErrForbidden, -1},
		{&googleapi.Error{Code: 404}, domain.ErrNotFound, -1},
		{&googleapi.Error{Code: 409}, domain.ErrConflict, -1},
		{&googleapi.Error{Code: 400}, domain.ErrInvalidInput, -1},
		{&url.Error{Op: "Get", URL: "x", Err: fmt.Errorf("refresh: %w", domain.ErrReauthRequired)}, domain.ErrReauthRequired, -1},
		{&url.Error{Op: "Get", URL: "x", Err: errors.New("connection refused")}, domain.ErrUnavailable, 0},
		{&url.Error{Op: "Get", URL: "x", Err: context.Canceled}, context.Canceled, -1},
	} {
		got := gclient.Err(c.err, "call")
		require.ErrorIs(t, got, c.want, "%v", c.err)
		var ra *domain.RetryAfterError
		if c.after < 0 {
			require.False(t, errors.As(got, &ra), "%v", c.err)
			continue
		}
		require.True(t, errors.As(got, &ra), "%v", c.err)
		require.Equal(t, c.after, ra.RetryAfter)
	}
	require.NoError(t, gclient.Err(nil, "call"))
}
