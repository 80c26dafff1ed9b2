package emulator

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// user is one emulated Google account.
type user struct {
	email string
	mail  *mailbox
	cal   *calendarStore
	drive *driveStore
}

// userLocked returns the user for email, creating an empty account when create is set.
func (s *Server) userLocked(email string, create bool) *user {
	key := strings.ToLower(strings.TrimSpace(email))
	if u, ok := s.users[key]; ok || !create {
		return u
	}
	u := &user{email: key, mail: newMailbox(), cal: newCalendarStore(), drive: newDriveStore(s.driveID())}
	s.users[key] = u
	return u
}

// AddWorkspace merges ws into the account of userEmail, creating the account
// when it is new. Items without an id get one; an item whose id already exists
// replaces the stored one. Messages are added oldest first so replies thread
// onto their originals; every change is recorded as history, sync-token and
// change-log entries exactly as an API write would be.
func (s *Server) AddWorkspace(userEmail string, ws Workspace) error {
	if strings.TrimSpace(userEmail) == "" {
		return fmt.Errorf("add workspace: empty email: %w", domain.ErrInvalidInput)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userLocked(userEmail, true)
	now := s.cfg.Clock.Now()

	msgs := slices.Clone(ws.Messages)
	slices.SortStableFunc(msgs, func(a, b Message) int { return a.InternalDate.Compare(b.InternalDate) })
	for _, m := range msgs {
		if _, err := s.putMessage(u, m, now); err != nil {
			return fmt.Errorf("add workspace %s: message %q: %w", userEmail, m.ID, err)
		}
	}
	for _, e := range ws.Events {
		if _, err := s.putEvent(u, e, now); err != nil {
			return fmt.Errorf("add workspace %s: event %q: %w", userEmail, e.ID, err)
		}
	}
	for _, f := range ws.Files {
		if _, err := s.putFile(u, f, now); err != nil {
			return fmt.Errorf("add workspace %s: file %q: %w", userEmail, f.Name, err)
		}
	}
	if len(ws.Messages) > 0 {
		s.notifyLocked(u, svcGmail)
	}
	if len(ws.Events) > 0 {
		s.notifyLocked(u, svcCalendar)
	}
	if len(ws.Files) > 0 {
		s.notifyLocked(u, svcDrive)
	}
	return nil
}

// Snapshot returns the current content of userEmail's workspace with every id
// filled in: messages newest first, events (cancelled ones left out) by start,
// files (trashed ones included, folders left out) by name. Message.LabelIDs
// hold label ids (system ids such as INBOX, or Label_N for user labels).
func (s *Server) Snapshot(userEmail string) (Workspace, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userLocked(userEmail, false)
	if u == nil {
		return Workspace{}, errUnknownUser(userEmail)
	}
	var ws Workspace
	for _, m := range u.mail.sorted() {
		msg := m.Message
		msg.LabelIDs = slices.Clone(m.LabelIDs)
		ws.Messages = append(ws.Messages, msg)
	}
	for _, e := range u.cal.events {
		if e.Status != "cancelled" {
			ws.Events = append(ws.Events, e.Event)
		}
	}
	slices.SortFunc(ws.Events, func(a, b Event) int {
		return cmp.Or(a.Start.Compare(b.Start), strings.Compare(a.ID, b.ID))
	})
	for _, f := range u.drive.files {
		if !f.isFolder() && !f.deleted {
			ws.Files = append(ws.Files, f.File)
		}
	}
	slices.SortFunc(ws.Files, func(a, b File) int { return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID)) })
	return ws, nil
}

// Users lists the emails of every account, sorted.
func (s *Server) Users() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.users))
	for e := range s.users {
		out = append(out, e)
	}
	slices.Sort(out)
	return out
}

// ResetHistory forgets userEmail's Gmail history and invalidates its Calendar
// sync tokens, as Google does after a long absence: the next history.list
// answers 404 and the next events.list with an old syncToken 410.
func (s *Server) ResetHistory(userEmail string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userLocked(userEmail, false)
	if u == nil {
		return errUnknownUser(userEmail)
	}
	// Bumping the counters first makes even the newest token a client holds stale.
	u.mail.historyID++
	u.mail.history = nil
	u.mail.floor = u.mail.historyID
	u.cal.seq++
	u.cal.floor = u.cal.seq
	return nil
}
