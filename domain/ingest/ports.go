// Package ingest keeps a user's cached workspace in step with Google: a first
// full sync (paginated and checkpointed, so a crash resumes where it stopped),
// then incremental syncs from Gmail history ids, Calendar sync tokens and Drive
// change page tokens. Every item is embedded before it is cached.
package ingest

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// GmailSource reads one user's Gmail. Messages in TRASH or SPAM are left out
// of listings, as Gmail's own list does by default.
type GmailSource interface {
	// HistoryID returns the mailbox's current history id; taken before a full
	// sync, it is where the incremental sync after it starts.
	HistoryID(ctx context.Context, userID uuid.UUID) (uint64, error)
	// ListMessages returns one page of message ids and the next page token ("" on the last page).
	ListMessages(ctx context.Context, userID uuid.UUID, pageToken string) (ids []string, next string, err error)
	// GetMessages fetches messages in full; ids that no longer exist are left out.
	GetMessages(ctx context.Context, userID uuid.UUID, ids []string) ([]domain.Email, error)
	// History returns one page of changes since startHistoryID; ErrSyncTokenExpired
	// when Google no longer has history that old.
	History(ctx context.Context, userID uuid.UUID, startHistoryID uint64, pageToken string) (GmailHistory, error)
}

// GmailHistory is one page of Gmail history.
type GmailHistory struct {
	// Changed holds ids of messages added or relabelled: fetch them again.
	Changed []string
	// Deleted holds ids of messages deleted for good.
	Deleted []string
	// Next is the next page token, "" on the last page.
	Next string
	// HistoryID is the mailbox's history id at the time of the call.
	HistoryID uint64
}

// CalendarSource reads one user's primary calendar.
type CalendarSource interface {
	// Events returns one page of events: all of them without a sync token,
	// the changes since syncToken with one (ErrSyncTokenExpired when Google no
	// longer accepts it). The last page carries the next sync token.
	Events(ctx context.Context, userID uuid.UUID, syncToken, pageToken string) (EventPage, error)
}

// EventPage is one page of Calendar events.
type EventPage struct {
	Events    []domain.Event
	Cancelled []string // ids of deleted or cancelled events
	Next      string   // next page token, "" on the last page
	SyncToken string   // set on the last page
}

// DriveSource reads one user's Drive.
type DriveSource interface {
	// StartPageToken returns the change token of now; taken before a full sync,
	// it is where the incremental sync after it starts.
	StartPageToken(ctx context.Context, userID uuid.UUID) (string, error)
	// ListFiles returns one page of files with their text content.
	ListFiles(ctx context.Context, userID uuid.UUID, pageToken string) (FilePage, error)
	// Changes returns one page of changes from pageToken (a start or change page token).
	Changes(ctx context.Context, userID uuid.UUID, pageToken string) (ChangePage, error)
}

// FilePage is one page of Drive files.
type FilePage struct {
	Files []domain.File
	Next  string // "" on the last page
}

// ChangePage is one page of Drive changes.
type ChangePage struct {
	Files   []domain.File // changed files, trashed ones included with Trashed set
	Removed []string      // ids of files deleted or no longer visible
	Next    string        // next change page token, "" on the last page
	// NewStartPageToken is set on the last page: where the next sync starts.
	NewStartPageToken string
}

// Job priorities, as River counts them: 1 runs first.
const (
	PriorityUrgent = 1 // asked for by the user (syncNow, a webhook)
	PriorityActive = 2 // user active in the last hour
	PriorityIdle   = 3 // user active in the last day
)

// SyncQueue enqueues sync jobs. When ctx carries a transaction, the job is
// enqueued in it, so it exists only if the change that called for it commits.
// A job for a (user, service) already waiting or running is not enqueued twice.
type SyncQueue interface {
	EnqueueSync(ctx context.Context, userID uuid.UUID, s domain.Service, priority int) error
}

// ActiveUsers lists users to keep in sync.
type ActiveUsers interface {
	// ActiveUsers returns users active since the given time that do not need
	// re-authorisation.
	ActiveUsers(ctx context.Context, since time.Time) ([]domain.User, error)
}

// Watch is a push watch of one (user, service): a Gmail users.watch or a
// Calendar or Drive notification channel, through which Google tells the
// webhook of every change until Expires, so a sync runs at once instead of
// at the next poll.
type Watch struct {
	UserID  uuid.UUID
	Service domain.Service
	Expires time.Time // zero: none was ever opened
	// Channel names a Calendar or Drive channel, so that it can be stopped
	// once a new one supersedes it; zero for Gmail, whose new watch replaces
	// the old one by itself.
	Channel Channel
}

// Channel identifies a Calendar or Drive notification channel to
// channels.stop: the id it was opened with and the id Google gave the
// resource it watches.
type Channel struct {
	ID, ResourceID string
}

// WatchStore records when each (user, service) watch expires, and which
// channel it is.
type WatchStore interface {
	// DueWatches returns, for every user connected to Google who does not
	// need re-authorisation, the watches of services that were never opened
	// or expire before the given time, ordered by user, each with the
	// channel recorded for it (the one a renewal supersedes).
	DueWatches(ctx context.Context, services []domain.Service, before time.Time) ([]Watch, error)
	// SaveWatch records a watch just opened, replacing the user's previous
	// one of that service; a Calendar or Drive watch must name its channel,
	// a Gmail watch none.
	SaveWatch(ctx context.Context, w Watch) error
}
