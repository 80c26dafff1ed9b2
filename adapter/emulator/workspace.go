package emulator

import "time"

// Workspace is the content of one user's Google Workspace as the emulator holds
// it and as the loaders (maildir, mbox, .eml, .ics, JSONL, docs folder) produce it.
type Workspace struct {
	Messages []Message
	Events   []Event
	Files    []File
}

// Message is one Gmail message. Raw is the RFC 822 source; copies of one
// message filed in several folders are merged by the loaders into one Message
// whose LabelIDs hold every folder and whose MessageIDs hold every copy's id.
type Message struct {
	ID           string // Gmail id; assigned by the emulator when empty
	ThreadID     string // assigned from References/In-Reply-To/subject when empty
	Raw          []byte
	LabelIDs     []string
	MessageIDs   []string // every RFC 822 Message-ID of the merged copies
	InternalDate time.Time
}

// Attendee is one Calendar attendee.
type Attendee struct {
	Email          string
	DisplayName    string
	ResponseStatus string
	Organizer      bool
}

// Event is one Calendar event on the user's primary calendar.
type Event struct {
	ID          string // assigned by the emulator when empty
	Summary     string
	Description string
	Location    string
	Start, End  time.Time
	AllDay      bool
	TimeZone    string // IANA
	Attendees   []Attendee
	Organizer   string
	Recurrence  []string
	Status      string // confirmed (default), tentative, cancelled
}

// File is one Drive file. Google Docs (MimeType
// application/vnd.google-apps.document) export as text/plain.
type File struct {
	ID           string // assigned by the emulator when empty
	Name         string
	MimeType     string
	Content      []byte
	Parents      []string // folder names
	Owners       []string // owner email addresses
	Description  string
	Properties   map[string]string
	ModifiedTime time.Time
}
