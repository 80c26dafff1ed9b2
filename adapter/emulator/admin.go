package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// Mutation helpers: what a user would do in the Gmail, Calendar or Drive UI,
// for tests and the admin endpoints. Each records history/changes and
// notifies watchers like the matching API call. Adding or replacing items is
// AddWorkspace.

// ModifyLabels adds and removes labels (ids, or names of user labels) on a message.
func (s *Server) ModifyLabels(email, messageID string, add, remove []string) error {
	return s.withUser(email, func(u *user, now time.Time) error {
		resolve := func(names []string) []string {
			out := make([]string, 0, len(names))
			for _, n := range names {
				if _, ok := u.mail.labels[n]; ok {
					out = append(out, n)
				} else {
					out = append(out, u.mail.workspaceLabel(n))
				}
			}
			return out
		}
		_, aerr := s.modifyLabels(u, messageID, resolve(add), resolve(remove))
		return asError(aerr)
	})
}

// TrashMessage moves a message to the trash (TRASH added, INBOX removed).
func (s *Server) TrashMessage(email, messageID string) error {
	return s.ModifyLabels(email, messageID, []string{"TRASH"}, []string{"INBOX"})
}

// DeleteMessage deletes a message for good (history: messageDeleted).
func (s *Server) DeleteMessage(email, messageID string) error {
	return s.withUser(email, func(u *user, now time.Time) error {
		m, ok := u.mail.msgs[messageID]
		if !ok {
			return fmt.Errorf("message %s: %w", messageID, domain.ErrNotFound)
		}
		for id, mid := range u.mail.drafts {
			if mid == messageID {
				delete(u.mail.drafts, id)
			}
		}
		s.deleteMessage(u, m)
		s.notifyLocked(u, svcGmail)
		return nil
	})
}

// DeleteEvent cancels an event (it stays as a cancelled tombstone for sync).
func (s *Server) DeleteEvent(email, eventID string) error {
	return s.withUser(email, func(u *user, now time.Time) error {
		ce, ok := u.cal.events[eventID]
		if !ok || ce.Status == "cancelled" {
			return fmt.Errorf("event %s: %w", eventID, domain.ErrNotFound)
		}
		s.cancelEvent(u, ce, now)
		return nil
	})
}

// RenameFile renames a Drive file, moving its modifiedTime.
func (s *Server) RenameFile(email, fileID, name string) error {
	return s.editFile(email, fileID, func(f *driveFile) { f.Name = name })
}

// TrashFile moves a Drive file to the trash (a change with trashed=true).
func (s *Server) TrashFile(email, fileID string) error {
	return s.editFile(email, fileID, func(f *driveFile) { f.trashed = true })
}

// DeleteFile deletes a Drive file for good (a change with removed=true).
func (s *Server) DeleteFile(email, fileID string) error {
	return s.editFile(email, fileID, func(f *driveFile) { f.deleted = true })
}

func (s *Server) editFile(email, fileID string, edit func(*driveFile)) error {
	return s.withUser(email, func(u *user, now time.Time) error {
		f, ok := u.drive.files[fileID]
		if !ok || f.deleted {
			return fmt.Errorf("file %s: %w", fileID, domain.ErrNotFound)
		}
		edit(f)
		s.touchFile(u, f, now, true)
		return nil
	})
}

func (s *Server) withUser(email string, fn func(u *user, now time.Time) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userLocked(email, false)
	if u == nil {
		return errUnknownUser(email)
	}
	return fn(u, s.cfg.Clock.Now())
}

func asError(aerr *apiError) error {
	switch {
	case aerr == nil:
		return nil
	case aerr.code == http.StatusNotFound:
		return fmt.Errorf("%s: %w", aerr.message, domain.ErrNotFound)
	}
	return fmt.Errorf("%s: %w", aerr.message, domain.ErrInvalidInput)
}

// FaultSpec is the JSON form of a Fault for POST /emulator/faults.
type FaultSpec struct {
	PathPrefix        string `json:"pathPrefix,omitempty"`
	User              string `json:"user,omitempty"`
	Status            int    `json:"status,omitempty"`
	RetryAfterSeconds int    `json:"retryAfterSeconds,omitempty"`
	DelayMillis       int    `json:"delayMillis,omitempty"`
	Count             int    `json:"count,omitempty"`
}

// Op is the JSON body of POST /emulator/users/{email}/ops.
type Op struct {
	// Op is one of trashMessage, deleteMessage, modifyLabels, deleteEvent,
	// renameFile, trashFile, deleteFile, expireTokens, revokeTokens, resetHistory.
	Op     string   `json:"op"`
	ID     string   `json:"id,omitempty"`
	Name   string   `json:"name,omitempty"`   // renameFile
	Add    []string `json:"add,omitempty"`    // modifyLabels
	Remove []string `json:"remove,omitempty"` // modifyLabels
}

// routeAdmin serves the admin JSON API (no authentication: loopback only):
//
//	GET    /emulator/users                        -> ["email", ...]
//	POST   /emulator/users/{email}/workspace      Workspace JSON (Message.Raw base64) -> merged
//	GET    /emulator/users/{email}/workspace      -> Snapshot
//	POST   /emulator/users/{email}/token          -> {"access_token","refresh_token"}
//	POST   /emulator/users/{email}/ops            Op JSON
//	POST   /emulator/faults                       FaultSpec JSON
//	DELETE /emulator/faults
func (s *Server) routeAdmin() {
	s.mux.HandleFunc("GET /emulator/users", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.Users())
	})
	s.mux.HandleFunc("POST /emulator/users/{email}/workspace", func(w http.ResponseWriter, r *http.Request) {
		var ws Workspace
		if !readAdmin(w, r, s.cfg.MaxBodyBytes, &ws) {
			return
		}
		adminResult(w, s.AddWorkspace(r.PathValue("email"), ws), map[string]any{
			"messages": len(ws.Messages), "events": len(ws.Events), "files": len(ws.Files)})
	})
	s.mux.HandleFunc("GET /emulator/users/{email}/workspace", func(w http.ResponseWriter, r *http.Request) {
		ws, err := s.Snapshot(r.PathValue("email"))
		adminResult(w, err, ws)
	})
	s.mux.HandleFunc("POST /emulator/users/{email}/token", func(w http.ResponseWriter, r *http.Request) {
		access, refresh := s.IssueToken(r.PathValue("email"))
		writeJSON(w, http.StatusOK, map[string]string{"access_token": access, "refresh_token": refresh})
	})
	s.mux.HandleFunc("POST /emulator/users/{email}/ops", func(w http.ResponseWriter, r *http.Request) {
		var op Op
		if !readAdmin(w, r, 1<<20, &op) {
			return
		}
		adminResult(w, s.apply(r.PathValue("email"), op), map[string]bool{"ok": true})
	})
	s.mux.HandleFunc("POST /emulator/faults", func(w http.ResponseWriter, r *http.Request) {
		var f FaultSpec
		if !readAdmin(w, r, 1<<20, &f) {
			return
		}
		s.SetFault(Fault{PathPrefix: f.PathPrefix, User: f.User, Status: f.Status, Count: f.Count,
			RetryAfter: time.Duration(f.RetryAfterSeconds) * time.Second, Delay: time.Duration(f.DelayMillis) * time.Millisecond})
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	})
	s.mux.HandleFunc("DELETE /emulator/faults", func(w http.ResponseWriter, r *http.Request) {
		s.ClearFaults()
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	})
}

func (s *Server) apply(email string, op Op) error {
	switch op.Op {
	case "trashMessage":
		return s.TrashMessage(email, op.ID)
	case "deleteMessage":
		return s.DeleteMessage(email, op.ID)
	case "modifyLabels":
		return s.ModifyLabels(email, op.ID, op.Add, op.Remove)
	case "deleteEvent":
		return s.DeleteEvent(email, op.ID)
	case "renameFile":
		return s.RenameFile(email, op.ID, op.Name)
	case "trashFile":
		return s.TrashFile(email, op.ID)
	case "deleteFile":
		return s.DeleteFile(email, op.ID)
	case "expireTokens":
		s.ExpireTokens(email)
		return nil
	case "revokeTokens":
		s.RevokeTokens(email)
		return nil
	case "resetHistory":
		return s.ResetHistory(email)
	}
	known := []string{"trashMessage", "deleteMessage", "modifyLabels", "deleteEvent", "renameFile", "trashFile",
		"deleteFile", "expireTokens", "revokeTokens", "resetHistory"}
	return fmt.Errorf("op %q is not one of %v: %w", op.Op, known, domain.ErrInvalidInput)
}

func readAdmin(w http.ResponseWriter, r *http.Request, limit int64, v any) bool {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err == nil {
		err = json.Unmarshal(body, v)
	}
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return false
	}
	return true
}

func adminResult(w http.ResponseWriter, err error, ok any) {
	switch {
	case err == nil:
		writeJSON(w, http.StatusOK, ok)
	case errors.Is(err, domain.ErrNotFound):
		writeJSON(w, http.StatusNotFound, map[string]string{"error": err.Error()})
	default:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
	}
}
