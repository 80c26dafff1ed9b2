// Package domain holds the core of Workspace Orchestrator: its types, its ports
// (interfaces that adapters implement) and its errors. It imports no I/O library.
package domain

import (
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Service is one of the Google Workspace services the product covers.
type Service string

const (
	ServiceGmail    Service = "gmail"
	ServiceCalendar Service = "calendar"
	ServiceDrive    Service = "drive"
)

// Services lists every service in a stable order.
var Services = []Service{ServiceGmail, ServiceCalendar, ServiceDrive}

// Valid reports whether s is a known service.
func (s Service) Valid() bool {
	return s == ServiceGmail || s == ServiceCalendar || s == ServiceDrive
}

// User is a person whose workspace the product serves.
type User struct {
	ID          uuid.UUID
	Email       string
	DisplayName string
	TimeZone    string // IANA name, e.g. "Europe/Istanbul"
	NeedsReauth bool
	Plan        Plan // what the user may spend on the API; "" reads as PlanFree
	// GoogleConnected: the user holds a Google refresh token (they may
	// still need to reconnect it when NeedsReauth is set).
	GoogleConnected bool
	// Scopes are the OAuth scopes granted with the stored Google token.
	Scopes       []string
	LastActiveAt time.Time
	CreatedAt    time.Time
}

// GoogleIdentity is who signed in with Google, as its OpenID Connect
// userinfo says.
type GoogleIdentity struct {
	Subject       string // Google's stable account id
	Email         string
	EmailVerified bool
	Name          string
}

// Session is one refresh token of a sign-in session, kept only as a hash.
// Every rotation adds the next token of the same family.
type Session struct {
	UserID    uuid.UUID
	FamilyID  uuid.UUID
	TokenHash []byte
	ExpiresAt time.Time
}

// Plan is a user's tier: it sets the hourly request budget.
type Plan string

// The plans (the users.plan column allows these only).
const (
	PlanFree       Plan = "free"
	PlanPro        Plan = "pro"
	PlanEnterprise Plan = "enterprise"
)

// Address is a mail address with its display name.
type Address struct {
	Name  string
	Email string
}

// IsAddress reports whether s is a whole mail address ("sarah@acme.example"):
// not part of one ("sarah@", "@acme", "sarah@acme"), a name, or what mangled
// headers leave behind ("e-mail <.bob@x.com", `jo."j"@mail.x.com@x.com`).
func IsAddress(s string) bool {
	local, host, ok := strings.Cut(strings.TrimSpace(s), "@")
	return ok && local != "" && !strings.HasPrefix(local, ".") && !strings.ContainsAny(local+host, " \t@<>\"(),;") &&
		strings.Contains(host, ".") && !strings.HasPrefix(host, ".") && !strings.HasSuffix(host, ".")
}

// Email is one cached Gmail message.
type Email struct {
	ID            uuid.UUID // row id
	UserID        uuid.UUID
	EmailID       string   // Gmail message id
	ThreadID      string   // Gmail thread id
	MessageIDs    []string // RFC 822 Message-IDs (one per merged copy)
	Subject       string
	From          Address
	To            []Address
	Cc            []Address
	Snippet       string // short preview
	Body          string // plain-text body, as indexed
	Labels        []string
	HasAttachment bool
	Unread        bool
	ReceivedAt    time.Time
	HistoryID     uint64
	Embedding     Vector
	UpdatedAt     time.Time
}

// Attendee is a calendar event attendee.
type Attendee struct {
	Email          string
	Name           string
	ResponseStatus string // needsAction, accepted, declined, tentative
	Organizer      bool
}

// Event is one cached Calendar event.
type Event struct {
	ID          uuid.UUID
	UserID      uuid.UUID
	EventID     string
	CalendarID  string
	Title       string
	Description string
	Location    string
	Start       time.Time
	End         time.Time
	AllDay      bool
	TimeZone    string // IANA
	Attendees   []Attendee
	Organizer   string
	Status      string // confirmed, tentative, cancelled
	HTMLLink    string
	Embedding   Vector
	UpdatedAt   time.Time
}

// File is one cached Drive file.
type File struct {
	ID           uuid.UUID
	UserID       uuid.UUID
	FileID       string
	Name         string
	MimeType     string
	Content      string // extracted text, as indexed
	Preview      string // short preview
	ParentFolder string
	Owners       []string
	Properties   map[string]string // Drive appProperties/properties (e.g. KEP metadata)
	WebViewLink  string
	Trashed      bool
	ModifiedAt   time.Time
	Embedding    Vector
	UpdatedAt    time.Time
}

// SyncState is where a service's sync stands for one user.
type SyncState string

const (
	SyncIdle        SyncState = "idle"
	SyncRunning     SyncState = "running"
	SyncFailed      SyncState = "failed"
	SyncRateLimited SyncState = "rate_limited" // Google asked to wait; the sync resumes by itself
	SyncReauth      SyncState = "reauth_required"
	SyncNeverSynced SyncState = "never_synced"
)

// SyncStatus tracks one (user, service) sync.
type SyncStatus struct {
	UserID     uuid.UUID
	Service    Service
	State      SyncState
	LastSyncAt time.Time
	Token      string // history id, sync token or change page token
	// Checkpoint is the page token of an unfinished full sync, so a crash resumes there.
	Checkpoint string
	// StartToken is the token taken before an unfinished full sync; it
	// becomes Token only when the full sync's last page commits.
	StartToken string
	Error      string
	ItemCount  int
	UpdatedAt  time.Time
}

// Conversation groups the messages of one dialogue with the assistant.
type Conversation struct {
	ID        uuid.UUID
	UserID    uuid.UUID
	Title     string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// MessageStatus is where an ask stands.
type MessageStatus string

const (
	MessagePending   MessageStatus = "pending"
	MessageRunning   MessageStatus = "running"
	MessageDone      MessageStatus = "done"
	MessageFailed    MessageStatus = "failed"
	MessageCancelled MessageStatus = "cancelled"
)

// Ended reports whether the ask has ended: done, failed or cancelled.
func (s MessageStatus) Ended() bool {
	return s == MessageDone || s == MessageFailed || s == MessageCancelled
}

// EndStatus is the status an ask that stopped on err is stored with:
// cancelled when it was stopped on request (ErrCancelled), failed otherwise.
func EndStatus(err error) MessageStatus {
	if errors.Is(err, ErrCancelled) {
		return MessageCancelled
	}
	return MessageFailed
}

// Vector is an embedding and the model that produced it.
type Vector struct {
	Values []float32 // EmbeddingDim values, unit length; nil when not embedded yet
	Model  string
	// Passages are the sparse vectors of the text's passages, from an
	// embedder that is also a Passager; nil otherwise.
	Passages []Sparse
}

// Sparse is a sparse vector of PassageDim: the indices of its non-zero
// components, ascending and below PassageDim, and their values.
type Sparse struct {
	Indices []int32
	Values  []float32
}

// Message is one ask in a conversation: the query, what was understood and
// planned, what happened and the answer. The JSON fields are the ask
// pipeline's orchestrator.Record, stored as they are: only that type encodes
// and decodes them.
type Message struct {
	ID              uuid.UUID
	ConversationID  uuid.UUID
	UserID          uuid.UUID
	ClientRequestID string // idempotency key chosen by the client; "" for none
	Query           string
	Status          MessageStatus
	Intent          json.RawMessage
	Plan            json.RawMessage
	Response        string
	Citations       json.RawMessage
	Actions         json.RawMessage // proposed and executed actions with their state
	StepResults     json.RawMessage
	Timings         json.RawMessage
	Error           string
	CreatedAt       time.Time
	UpdatedAt       time.Time
}
