package importer

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
)

// LoadMaildir reads every message under dir: maildir folders (cur/ and new/,
// Maildir++ ".Folder.Sub" names) and flat folders of numbered files such as
// the Enron corpus. The folder a file sits in becomes its label: inbox, sent,
// deleted_items and the like become the Gmail system labels (see
// loadFolderLabel), other folders user labels named after the folder, and
// files directly in dir are INBOX. Maildir flags add UNREAD, STARRED, TRASH
// and DRAFT (see loadMaildirFlags). Copies of one message filed in several
// folders are merged (see Message) with the union of their labels.
func LoadMaildir(dir string) (emulator.Workspace, []LoadError, error) {
	return loadMailTree(dir, func(name string) bool {
		return !strings.HasPrefix(name, ".") && !strings.HasPrefix(name, "dovecot") &&
			!strings.HasPrefix(name, "courier") && name != "maildirfolder"
	})
}

// LoadEML reads every *.eml file under dir, labelled by folder as LoadMaildir does.
func LoadEML(dir string) (emulator.Workspace, []LoadError, error) {
	return loadMailTree(dir, func(name string) bool {
		return strings.EqualFold(filepath.Ext(name), ".eml")
	})
}

func loadMailTree(dir string, keep func(name string) bool) (emulator.Workspace, []LoadError, error) {
	var (
		m    loadMerger
		errs []LoadError
	)
	err := loadWalk(dir, &errs, func(path string, d fs.DirEntry) error {
		if d.IsDir() {
			if d.Name() == "tmp" && path != dir { // maildir deliveries in progress
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || !keep(d.Name()) {
			return nil
		}
		rel, err := filepath.Rel(dir, filepath.Dir(path))
		if err != nil {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			errs = append(errs, LoadError{Path: path, Reason: err.Error()})
			return nil
		}
		var fallback time.Time
		if info, err := d.Info(); err == nil {
			fallback = info.ModTime()
		}
		msg, err := loadParseMail(raw)
		if err != nil {
			errs = append(errs, LoadError{Path: path, Reason: err.Error()})
			return nil
		}
		labels := append([]string{loadFolderLabel(loadFolderName(rel))}, loadMaildirFlags(filepath.Base(rel), d.Name())...)
		m.add(msg, emulator.Message{
			Raw: raw, LabelIDs: labels,
			MessageIDs: loadMessageIDs(msg.Header), InternalDate: fallback,
		})
		return nil
	})
	if err != nil {
		return emulator.Workspace{}, errs, fmt.Errorf("load mail from %s: %w", dir, err)
	}
	return emulator.Workspace{Messages: m.msgs}, errs, nil
}

// loadFolderName turns a directory relative to the mail root into a folder
// name: maildir's cur/new leaves are dropped and Maildir++ ".A.B" becomes "A/B".
func loadFolderName(rel string) string {
	parts := strings.Split(filepath.ToSlash(rel), "/")
	if n := len(parts); n > 0 && (parts[n-1] == "cur" || parts[n-1] == "new") {
		parts = parts[:n-1]
	}
	var out []string
	for _, p := range parts {
		switch {
		case p == "" || p == ".":
		case strings.HasPrefix(p, ".") && len(p) > 1:
			out = append(out, strings.Split(p[1:], ".")...)
		default:
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return "INBOX"
	}
	return strings.Join(out, "/")
}

// loadMaildirFlags gives the labels a maildir file's place and flags stand
// for: new/ and cur/ files whose info ("name:2,FS"; "!" for ":" on systems
// that forbid it) lacks S (seen) are UNREAD, F is STARRED, T (trashed) TRASH,
// D DRAFT. Files outside cur/ and new/ carry no flags.
func loadMaildirFlags(leaf, name string) []string {
	if leaf != "cur" && leaf != "new" {
		return nil
	}
	i := strings.LastIndex(name, "2,")
	if i < 1 || (name[i-1] != ':' && name[i-1] != '!') {
		if leaf == "new" {
			return []string{"UNREAD"}
		}
		return nil
	}
	flags := name[i+2:]
	var out []string
	if !strings.Contains(flags, "S") {
		out = append(out, "UNREAD")
	}
	for _, f := range [][2]string{{"F", "STARRED"}, {"T", "TRASH"}, {"D", "DRAFT"}} {
		if strings.Contains(flags, f[0]) {
			out = append(out, f[1])
		}
	}
	return out
}

// loadFolderLabel maps a mail folder to a Gmail system label id where one
// fits (Outlook/Enron and common IMAP names) and otherwise keeps the folder
// name as a user label name; the emulator gives user labels their ids.
func loadFolderLabel(folder string) string {
	norm := strings.ToLower(strings.NewReplacer(" ", "_", "-", "_").Replace(folder))
	switch norm {
	case "inbox":
		return "INBOX"
	case "sent", "_sent", "sent_items", "sent_mail", "sent_messages":
		return "SENT"
	case "deleted_items", "deleted", "deleted_messages", "trash":
		return "TRASH"
	case "drafts", "draft":
		return "DRAFT"
	case "spam", "junk", "junk_e_mail", "junk_email":
		return "SPAM"
	}
	return folder
}

var errNotMail = errors.New("not an RFC 822 message: no From, Date or Message-ID header")

func loadParseMail(raw []byte) (*mail.Message, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("malformed message: %w", err)
	}
	h := msg.Header
	if h.Get("From") == "" && h.Get("Date") == "" && h.Get("Message-Id") == "" {
		return nil, errNotMail
	}
	return msg, nil
}

func loadMessageIDs(h mail.Header) []string {
	if id := strings.TrimSpace(h.Get("Message-Id")); id != "" {
		return []string{id}
	}
	return nil
}

// loadMerger merges copies of one message: same sender, Date, subject and
// body up to whitespace. The first copy added (the first path in lexical
// order for folders) supplies Raw, ThreadID and the first Message-ID.
type loadMerger struct {
	index map[[sha256.Size]byte]int
	msgs  []emulator.Message
	buf   []byte // the key being hashed, reused
}

// add adds copy c of the message msg was parsed from; c.InternalDate is
// used only when msg has no valid Date.
func (m *loadMerger) add(msg *mail.Message, c emulator.Message) {
	body, _ := io.ReadAll(msg.Body) // the whole message is in memory already
	dateKey := msg.Header.Get("Date")
	if date, err := mail.ParseDate(dateKey); err == nil {
		c.InternalDate, dateKey = date, date.UTC().Format(time.RFC3339)
	}
	m.buf = append(m.buf[:0], loadSender(msg.Header.Get("From"))...)
	m.buf = append(append(m.buf, 0), dateKey...)
	m.buf = loadAppendFields(append(m.buf, 0), []byte(loadDecodeHeader(msg.Header.Get("Subject"))))
	m.buf = loadAppendFields(append(m.buf, 0), body)
	key := sha256.Sum256(m.buf)
	if m.index == nil {
		m.index = map[[sha256.Size]byte]int{}
	}
	if i, ok := m.index[key]; ok {
		dst := &m.msgs[i]
		dst.LabelIDs = loadUnion(dst.LabelIDs, c.LabelIDs)
		dst.MessageIDs = loadUnion(dst.MessageIDs, c.MessageIDs)
		return
	}
	m.index[key] = len(m.msgs)
	c.LabelIDs, c.MessageIDs = loadUnion(nil, c.LabelIDs), loadUnion(nil, c.MessageIDs)
	m.msgs = append(m.msgs, c)
}

func loadSender(from string) string {
	if a, err := mail.ParseAddress(from); err == nil {
		return strings.ToLower(a.Address)
	}
	return strings.ToLower(string(loadAppendFields(nil, []byte(from))))
}

func loadDecodeHeader(v string) string {
	if s, err := new(mime.WordDecoder).DecodeHeader(v); err == nil {
		return s
	}
	return v
}

// loadAppendFields appends s with every run of white space made one space
// and none at either end.
func loadAppendFields(dst, s []byte) []byte {
	space := false
	start := len(dst)
	for _, c := range s {
		switch c {
		case ' ', '\t', '\n', '\r', '\v', '\f':
			space = true
		default:
			if space && len(dst) > start {
				dst = append(dst, ' ')
			}
			space = false
			dst = append(dst, c)
		}
	}
	return dst
}

func loadUnion(dst, add []string) []string {
	for _, s := range add {
		if s != "" && !slices.Contains(dst, s) {
			dst = append(dst, s)
		}
	}
	return dst
}
