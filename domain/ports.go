package domain

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// EmbeddingDim is the one vector dimension every embedder produces (the offline
// embedder natively; OpenAI text-embedding-3-small through its `dimensions`
// parameter), so switching providers never changes the schema.
const EmbeddingDim = 256

// Embedder turns texts into unit-length vectors of EmbeddingDim.
type Embedder interface {
	// Embed returns one vector per text, in order.
	Embed(ctx context.Context, texts []string) ([][]float32, error)
	// Model names the model; rows record it so a change of model re-embeds.
	Model() string
}

// PassageDim is the dimension of passage vectors: words are hashed into it,
// wide enough that a mailbox's words rarely share a slot.
const PassageDim = 1 << 20

// Passager is an embedder that also indexes a text's passages by the words
// they hold (the offline embedder): search scores an item by its best
// passage, weighing each query word by its rarity in the user's own items.
type Passager interface {
	// Passages returns each text's passages, one unit vector of hashed word
	// weights each; the text's first line (a subject, title or file name)
	// belongs to every passage.
	Passages(texts []string) [][]Sparse
	// QueryWords returns text's hashed words and their weights, before the
	// rarity weighting that search applies.
	QueryWords(text string) Sparse
}

// Page asks for one page of a keyset-paginated list: the First items after
// After, or, when Last is set, the Last items before Before (Relay's
// backward pagination). After and Before bound the page in either direction.
type Page struct {
	First  int    // page size; 0 means the default
	After  string // opaque cursor of the last item already seen
	Last   int    // page size counted back from Before (or from the end)
	Before string // opaque cursor of the first item already seen
	// NoTotal skips counting every match (PageInfo.TotalCount stays 0), for
	// callers that never show the total: the count costs a second scan.
	NoTotal bool
}

// PageInfo describes a returned page.
type PageInfo struct {
	HasNextPage     bool
	HasPreviousPage bool
	StartCursor     string
	EndCursor       string
	TotalCount      int
	// Cursors[i] is the opaque cursor of the page's item i (Relay edges carry
	// one each, so a client can resume after any item); the last equals EndCursor.
	Cursors []string
}

// UserStore keeps users and their Google credentials.
type UserStore interface {
	UpsertUser(ctx context.Context, email string) (User, error)
	UserByID(ctx context.Context, id uuid.UUID) (User, error)
	UserByEmail(ctx context.Context, email string) (User, error)
	TouchUser(ctx context.Context, id uuid.UUID, at time.Time) error
}

// WorkspaceReader lists and fetches a user's cached workspace items.
// Every call is scoped to userID; another user's item answers ErrNotFound.
type WorkspaceReader interface {
	Email(ctx context.Context, userID, id uuid.UUID) (Email, error)
	Event(ctx context.Context, userID, id uuid.UUID) (Event, error)
	File(ctx context.Context, userID, id uuid.UUID) (File, error)
	Emails(ctx context.Context, userID uuid.UUID, f Filter, p Page) ([]Email, PageInfo, error)
	Events(ctx context.Context, userID uuid.UUID, f Filter, p Page) ([]Event, PageInfo, error)
	Files(ctx context.Context, userID uuid.UUID, f Filter, p Page) ([]File, PageInfo, error)
}

// WorkspaceSummaryReader loads many of a user's cached items by row id in one
// query per service, for callers that show items rather than read them:
// emails come without Body and files without Content, which spares reading
// (and decompressing) whole documents. Ids that are not the user's are absent
// from the map.
type WorkspaceSummaryReader interface {
	EmailSummariesByID(ctx context.Context, userID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]Email, error)
	EventsByID(ctx context.Context, userID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]Event, error)
	FileSummariesByID(ctx context.Context, userID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]File, error)
}

// Draft is a mail to create as a Gmail draft.
type Draft struct {
	To      []Address
	Cc      []Address
	Subject string
	Body    string
	// InReplyTo is the Gmail id of the message replied to, if any.
	InReplyTo string
}

// EventPatch changes some fields of an event; nil fields stay.
type EventPatch struct {
	Title       *string
	Description *string
	Location    *string
	Start, End  *time.Time
	TimeZone    *string
	Attendees   []Attendee // nil keeps, empty clears
}

// Permission is a Drive sharing grant.
type Permission struct {
	ID    string
	Email string
	Role  string // reader, commenter, writer
}

// Mailer writes to a user's Gmail. Implementations put what they wrote in
// the cache before returning (through ingest.WriteBack, the one way the
// product's own writes reach the cache): a failure to cache it never fails
// the call, since Google made the change; the next sync repairs the cache.
type Mailer interface {
	CreateDraft(ctx context.Context, userID uuid.UUID, d Draft) (draftID string, err error)
	// SendDraft sends a draft; sending an already-sent draft sends nothing and
	// returns the message it became.
	SendDraft(ctx context.Context, userID uuid.UUID, draftID string) (Email, error)
}

// Scheduler writes to a user's Calendar. Events always carry an IANA time
// zone. Like a Mailer, it caches what it wrote (ingest.WriteBack's rule).
type Scheduler interface {
	// CreateEvent inserts ev with the client-chosen ev.EventID, so a retry
	// finds the existing event instead of creating a duplicate.
	CreateEvent(ctx context.Context, userID uuid.UUID, ev Event) (Event, error)
	UpdateEvent(ctx context.Context, userID uuid.UUID, calendarID, eventID string, p EventPatch) (Event, error)
	DeleteEvent(ctx context.Context, userID uuid.UUID, calendarID, eventID string) error
}

// Sharer writes Drive permissions; Share checks existing permissions first.
type Sharer interface {
	Permissions(ctx context.Context, userID uuid.UUID, fileID string) ([]Permission, error)
	Share(ctx context.Context, userID uuid.UUID, fileID, email, role string) (Permission, error)
}

// TxRunner runs fn in one database transaction carried by ctx: every store
// call and job enqueue made with that ctx commits or rolls back together.
type TxRunner interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// WorkspaceWriter applies synced changes to a user's cache, keyed by the
// Google ids (EmailID, EventID, FileID). Upserts replace the whole row.
type WorkspaceWriter interface {
	UpsertEmails(ctx context.Context, userID uuid.UUID, es []Email) error
	DeleteEmails(ctx context.Context, userID uuid.UUID, emailIDs []string) error
	UpsertEvents(ctx context.Context, userID uuid.UUID, es []Event) error
	DeleteEvents(ctx context.Context, userID uuid.UUID, eventIDs []string) error
	UpsertFiles(ctx context.Context, userID uuid.UUID, fs []File) error
	DeleteFiles(ctx context.Context, userID uuid.UUID, fileIDs []string) error
	// MarkStale begins replacing one service's cache for a user (a full
	// sync): what is cached stays readable, but whatever no upsert rewrites
	// before DeleteStale is then deleted.
	MarkStale(ctx context.Context, userID uuid.UUID, s Service) error
	// DeleteStale ends the replacement MarkStale began.
	DeleteStale(ctx context.Context, userID uuid.UUID, s Service) error
}

// SyncStatusStore keeps where each (user, service) sync stands.
type SyncStatusStore interface {
	SyncStatus(ctx context.Context, userID uuid.UUID, s Service) (SyncStatus, error)
	SyncStatuses(ctx context.Context, userID uuid.UUID) ([]SyncStatus, error)
	SaveSyncStatus(ctx context.Context, st SyncStatus) error
}

// ConversationStore keeps conversations and their messages.
type ConversationStore interface {
	CreateConversation(ctx context.Context, userID uuid.UUID, title string) (Conversation, error)
	Conversation(ctx context.Context, userID, id uuid.UUID) (Conversation, error)
	Conversations(ctx context.Context, userID uuid.UUID, p Page) ([]Conversation, PageInfo, error)
	// CreateMessage inserts m; when m.ClientRequestID was already used by this
	// user it returns the existing message and created=false.
	CreateMessage(ctx context.Context, m Message) (msg Message, created bool, err error)
	// StartConversation creates a conversation titled title with m as its
	// first message, atomically; a used m.ClientRequestID returns the
	// existing message and created=false, creating nothing.
	StartConversation(ctx context.Context, title string, m Message) (msg Message, created bool, err error)
	Message(ctx context.Context, userID, id uuid.UUID) (Message, error)
	Messages(ctx context.Context, userID, conversationID uuid.UUID, p Page) ([]Message, PageInfo, error)
	UpdateMessage(ctx context.Context, m Message) error
	// ModifyMessage reads the user's message locked, lets fn change it and,
	// when fn reports a change, writes it back atomically: calls on one
	// message, from any instance, run one after another, so a decision made
	// in fn holds. When fn fails nothing is written and its error is returned.
	ModifyMessage(ctx context.Context, userID, id uuid.UUID, fn func(*Message) (changed bool, err error)) (Message, error)
	// UnfinishedMessages returns up to limit messages, of any user, still
	// PENDING or RUNNING and last written before the given time, oldest first.
	UnfinishedMessages(ctx context.Context, before time.Time, limit int) ([]Message, error)
	// TouchMessages marks those of ids still PENDING or RUNNING as written
	// at at (never earlier than they were): the heartbeat of the instance
	// running them.
	TouchMessages(ctx context.Context, ids []uuid.UUID, at time.Time) error
}

// ConversationBatchReader loads, for many parents in one query, what GraphQL
// field resolvers ask once per parent (a message's conversation, a
// conversation's message count), so a list does not cost a query per row.
type ConversationBatchReader interface {
	// ConversationsByID returns those of ids that are the user's conversations.
	ConversationsByID(ctx context.Context, userID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]Conversation, error)
	// MessageCounts returns how many messages each of the user's conversations
	// among ids holds; ids that are not the user's are absent.
	MessageCounts(ctx context.Context, userID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]int, error)
}

// GoogleToken is a user's OAuth token for the Google APIs, in plain text; the
// store seals it at rest.
type GoogleToken struct {
	AccessToken  string
	RefreshToken string
	Expiry       time.Time
	// Scopes granted with the token; empty keeps the stored ones.
	Scopes []string
}

// TokenStore keeps users' Google tokens (encrypted at rest) and whether the
// account needs re-authorisation. A refresh races with the user reconnecting
// or revoking access, so what follows one is a compare-and-set on the refresh
// token it used, decided atomically: a stale refresh never undoes a newer
// grant or mark. Only a new grant clears the mark.
type TokenStore interface {
	// GoogleToken returns the user's token; ErrNotFound when none is stored.
	GoogleToken(ctx context.Context, userID uuid.UUID) (GoogleToken, error)
	// SaveGoogleToken stores a new grant (connecting, signing in). With a
	// refresh token it clears the mark; without one (Google showed no
	// consent screen) it keeps the stored refresh token and any mark.
	SaveGoogleToken(ctx context.Context, userID uuid.UUID, t GoogleToken) error
	// SaveRefreshed stores t, got by refreshing with the refresh token from,
	// only while from is still the stored refresh token and the account is
	// not marked; otherwise it writes nothing and answers ErrConflict (a new
	// grant replaced from: go on with it) or ErrReauthRequired. An empty
	// t.RefreshToken keeps from.
	SaveRefreshed(ctx context.Context, userID uuid.UUID, from string, t GoogleToken) error
	// MarkReauth marks the account as needing re-authorisation because the
	// refresh token refresh ("" for none) no longer works, only while it is
	// still the stored one; otherwise it answers ErrConflict and leaves the
	// new grant unmarked.
	MarkReauth(ctx context.Context, userID uuid.UUID, refresh string) error
}

// SessionStore keeps sign-in sessions' refresh tokens, hashed. Each token is
// used once: RotateSession spends it and stores its successor.
type SessionStore interface {
	CreateSession(ctx context.Context, s Session) error
	// RotateSession spends the token with hash old and stores next (same user
	// and family) in its place, returning the session's user. An unknown,
	// expired or revoked token wraps ErrUnauthenticated; a token already spent
	// revokes its whole family and wraps ErrSessionReused.
	RotateSession(ctx context.Context, old []byte, next Session) (User, error)
	// RevokeSession revokes the family of the token with this hash; an
	// unknown token is no error (signing out twice is harmless).
	RevokeSession(ctx context.Context, tokenHash []byte) error
	// RevokeUserSessions revokes every session of the user (sign-out everywhere).
	RevokeUserSessions(ctx context.Context, userID uuid.UUID) error
}

// AccountDeleter deletes a user and every row that is theirs, in ctx's
// transaction when it carries one.
type AccountDeleter interface {
	DeleteUser(ctx context.Context, userID uuid.UUID) error
}
