// Package webhook receives Google's change notifications and turns each into
// a sync job: Gmail Pub/Sub push messages, and Calendar and Drive channel
// notifications. Anything not carrying the expected token is rejected.
//
// Mount the Handler under a prefix with http.StripPrefix; it serves
// POST /gmail (Pub/Sub push: with ?token=T, T being GmailPushToken, or, when
// Config.PushAudience is set, with Pub/Sub's signed OIDC token) and
// POST /calendar and POST /drive (channels opened with ChannelToken as their
// token).
package webhook

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/workspace-orchestrator/orchestrator/adapter/google/oidc"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/ingest"
)

// Config configures a Handler.
type Config struct {
	// Secret keys the tokens; at least 16 bytes. Required.
	Secret []byte
	// MaxBodyBytes bounds a notification body. Defaults to
	// DefaultMaxBodyBytes (64 KiB).
	MaxBodyBytes int64
	// PushAudience, when set, makes Gmail push requests prove themselves with
	// the OIDC token Pub/Sub signs for this audience (as configured on the push
	// subscription) instead of the ?token= parameter. Defaults to "".
	PushAudience string
	// PushServiceAccount, when set with PushAudience, is the only service
	// account whose tokens are accepted. Defaults to "" (any).
	PushServiceAccount string
	// PushCertsURL serves the signing keys (JWKS). Defaults to GoogleCertsURL.
	PushCertsURL string
	// HTTPClient fetches the signing keys. Defaults to a client with a 10s timeout.
	HTTPClient *http.Client
	// Clock checks token expiry. Defaults to domain.SystemClock{}.
	Clock domain.Clock
}

// DefaultMaxBodyBytes is Config.MaxBodyBytes's default.
const DefaultMaxBodyBytes = 64 << 10

// WithDefaults fills zero fields with their defaults.
func (c Config) WithDefaults() Config {
	c.MaxBodyBytes = cmp.Or(c.MaxBodyBytes, DefaultMaxBodyBytes)
	c.PushCertsURL = cmp.Or(c.PushCertsURL, GoogleCertsURL)
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if c.Clock == nil {
		c.Clock = domain.SystemClock{}
	}
	return c
}

func (c Config) validate() error {
	if c.MaxBodyBytes < 1 {
		return fmt.Errorf("webhook: MaxBodyBytes must be positive: %w", domain.ErrInvalidInput)
	}
	return nil
}

// Handler is the webhook endpoint.
type Handler struct {
	Tokens
	cfg   Config
	push  *pushVerifier // nil: Gmail pushes carry ?token= instead
	users domain.UserStore
	queue ingest.SyncQueue
	log   *slog.Logger
	mux   *http.ServeMux
}

// New returns a Handler that enqueues syncs on queue.
func New(cfg Config, users domain.UserStore, queue ingest.SyncQueue, log *slog.Logger) (*Handler, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	tokens, err := NewTokens(cfg.Secret)
	if err != nil {
		return nil, err
	}
	h := &Handler{Tokens: tokens, cfg: cfg, users: users, queue: queue, log: log, mux: http.NewServeMux()}
	if cfg.PushAudience != "" {
		h.push = &pushVerifier{email: cfg.PushServiceAccount, oidc: &oidc.Verifier{
			Audience: cfg.PushAudience, CertsURL: cfg.PushCertsURL, Client: cfg.HTTPClient, Now: cfg.Clock.Now}}
	}
	h.mux.HandleFunc("POST /gmail", h.gmail)
	h.mux.HandleFunc("POST /calendar", h.channel(domain.ServiceCalendar))
	h.mux.HandleFunc("POST /drive", h.channel(domain.ServiceDrive))
	return h, nil
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// Tokens makes the tokens a Handler with the same secret accepts; whatever
// opens the watches (the renew_watches worker) needs them without serving.
type Tokens struct{ secret []byte }

// NewTokens returns the Tokens of secret, which must be at least 16 bytes.
func NewTokens(secret []byte) (Tokens, error) {
	if len(secret) < 16 {
		return Tokens{}, fmt.Errorf("webhook: Secret must be at least 16 bytes, got %d: %w", len(secret), domain.ErrInvalidInput)
	}
	return Tokens{secret: secret}, nil
}

// GmailPushToken is the token the Pub/Sub push subscription's URL carries
// as ?token=.
func (t Tokens) GmailPushToken() string { return t.mac("gmail-push") }

// ChannelToken is the token of a Calendar or Drive channel opened for
// userID: it names the user and is signed, so no channel table is needed.
func (t Tokens) ChannelToken(userID uuid.UUID, s domain.Service) string {
	return userID.String() + "." + t.mac(string(s)+"/"+userID.String())
}

func (t Tokens) mac(msg string) string {
	m := hmac.New(sha256.New, t.secret)
	m.Write([]byte(msg))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// pushMessage is a Pub/Sub push request; data holds Gmail's notification.
type pushMessage struct {
	Message struct {
		Data string `json:"data"`
	} `json:"message"`
}

type gmailNotification struct {
	EmailAddress string `json:"emailAddress"`
	HistoryID    uint64 `json:"historyId"`
}

func (h *Handler) gmail(w http.ResponseWriter, r *http.Request) {
	if h.push != nil {
		if err := h.push.verify(r.Context(), r.Header.Get("Authorization")); err != nil {
			h.log.WarnContext(r.Context(), "webhook: gmail push refused", "err", err)
			http.Error(w, "invalid push token", http.StatusUnauthorized)
			return
		}
	} else if subtle.ConstantTimeCompare([]byte(r.URL.Query().Get("token")), []byte(h.GmailPushToken())) != 1 {
		http.Error(w, "invalid token", http.StatusUnauthorized)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.cfg.MaxBodyBytes))
	if err != nil {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	var msg pushMessage
	var n gmailNotification
	data, err := decodeData(body, &msg)
	if err == nil {
		err = json.Unmarshal(data, &n)
	}
	if err != nil || n.EmailAddress == "" {
		http.Error(w, "not a Gmail push message", http.StatusBadRequest)
		return
	}
	u, err := h.users.UserByEmail(r.Context(), n.EmailAddress)
	if errors.Is(err, domain.ErrNotFound) {
		// Acknowledge, or Pub/Sub would redeliver it forever.
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if err != nil {
		h.fail(w, r, "look up user", err)
		return
	}
	h.enqueue(w, r, u.ID, domain.ServiceGmail)
}

func decodeData(body []byte, msg *pushMessage) ([]byte, error) {
	if err := json.Unmarshal(body, msg); err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(msg.Message.Data)
}

func (h *Handler) channel(s domain.Service) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token := r.Header.Get("X-Goog-Channel-Token")
		idPart, _, _ := strings.Cut(token, ".")
		userID, err := uuid.Parse(idPart)
		if err != nil || subtle.ConstantTimeCompare([]byte(token), []byte(h.ChannelToken(userID, s))) != 1 {
			http.Error(w, "invalid channel token", http.StatusUnauthorized)
			return
		}
		switch state := r.Header.Get("X-Goog-Resource-State"); state {
		case "sync":
			// Sent once when the channel opens; nothing changed yet.
			w.WriteHeader(http.StatusNoContent)
		case "exists", "not_exists", "change", "update", "add", "remove", "trash", "untrash":
			h.enqueue(w, r, userID, s)
		default:
			http.Error(w, "unknown resource state", http.StatusBadRequest)
		}
	}
}

func (h *Handler) enqueue(w http.ResponseWriter, r *http.Request, userID uuid.UUID, s domain.Service) {
	if err := h.queue.EnqueueSync(r.Context(), userID, s, ingest.PriorityUrgent); err != nil {
		h.fail(w, r, "enqueue sync", err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// fail answers 500 so Google redelivers the notification later.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, what string, err error) {
	h.log.ErrorContext(r.Context(), "webhook: "+what, "path", r.URL.Path, "err", err)
	http.Error(w, "temporarily unavailable", http.StatusInternalServerError)
}
