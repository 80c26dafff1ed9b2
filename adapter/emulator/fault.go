package emulator

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Fault makes matching requests slow or failing, for tests of retry, backoff
// and re-authorisation paths. Admin paths (/emulator/...) are never faulted.
type Fault struct {
	// PathPrefix matches request paths that start with it, e.g.
	// "/gmail/v1/users/me/history" or "/token". Empty matches every path.
	PathPrefix string
	// User matches requests whose bearer token belongs to this email. Empty matches anyone.
	User string
	// Status is the HTTP status answered, in Google's error JSON (429, 500,
	// 503, 401, 403...). 0 lets the request through after Delay.
	Status int
	// RetryAfter, when positive, is sent as a Retry-After header in whole seconds.
	RetryAfter time.Duration
	// Delay holds the request this long before answering (or failing).
	Delay time.Duration
	// Count is how many matching requests the fault hits; 0 means until ClearFaults.
	Count int
}

type faultRule struct {
	Fault
	left int // remaining hits when Count > 0
}

// SetFault adds f after any faults already set; the first matching fault
// applies to a request.
func (s *Server) SetFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &faultRule{Fault: f, left: f.Count})
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// faultFor picks and consumes the first fault matching r.
func (s *Server) faultFor(r *http.Request) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.faults) == 0 {
		return Fault{}, false
	}
	email := s.tokenUserLocked(r)
	for i, f := range s.faults {
		if !strings.HasPrefix(r.URL.Path, f.PathPrefix) || (f.User != "" && !strings.EqualFold(f.User, email)) {
			continue
		}
		if f.Count > 0 {
			f.left--
			if f.left <= 0 {
				s.faults = slices.Delete(s.faults, i, i+1)
			}
		}
		return f.Fault, true
	}
	return Fault{}, false
}

// applyFault delays or answers r per the matching fault; true when it answered.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request) bool {
	f, ok := s.faultFor(r)
	if !ok {
		return false
	}
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return true
		}
	}
	if f.Status == 0 {
		return false
	}
	e := faultError(f.Status)
	if f.RetryAfter > 0 {
		e.header = http.Header{"Retry-After": {strconv.Itoa(int((f.RetryAfter + time.Second - 1) / time.Second))}}
	}
	writeError(w, e)
	return true
}

// faultError is the error Google sends for status.
func faultError(status int) *apiError {
	switch status {
	case http.StatusTooManyRequests:
		return &apiError{code: status, reason: "rateLimitExceeded", domain: "usageLimits", message: "Rate Limit Exceeded"}
	case http.StatusForbidden:
		return &apiError{code: status, reason: "userRateLimitExceeded", domain: "usageLimits", message: "User Rate Limit Exceeded"}
	case http.StatusUnauthorized:
		return &apiError{code: status, reason: "authError", message: "Invalid Credentials"}
	case http.StatusServiceUnavailable:
		return &apiError{code: status, reason: "backendError", message: "The service is currently unavailable."}
	}
	return &apiError{code: status, reason: "backendError", message: "Backend Error"}
}
