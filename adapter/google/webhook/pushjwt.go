package webhook

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/workspace-orchestrator/orchestrator/adapter/google/oidc"
)

// GoogleCertsURL serves the keys Google signs Pub/Sub push tokens with (JWKS).
const GoogleCertsURL = oidc.GoogleCertsURL

// pushVerifier checks the OIDC token Pub/Sub puts in a push request's
// Authorization header: signed by Google, issued by accounts.google.com, for
// the configured audience, unexpired, and (when configured) for the push
// subscription's service account.
type pushVerifier struct {
	oidc  *oidc.Verifier
	email string
}

func (v *pushVerifier) verify(ctx context.Context, authorization string) error {
	raw, ok := strings.CutPrefix(authorization, "Bearer ")
	if !ok {
		return errors.New("no bearer token")
	}
	claims, err := v.oidc.Verify(ctx, raw)
	if err != nil {
		return err
	}
	if v.email != "" && (!claims.EmailVerified || !strings.EqualFold(claims.Email, v.email)) {
		return fmt.Errorf("token of %q, want %q", claims.Email, v.email)
	}
	return nil
}
