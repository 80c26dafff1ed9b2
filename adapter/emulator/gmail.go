// One user's Gmail in the emulator: messages, threads, labels and the history of their changes.

package emulator

import (
	"cmp"
	"fmt"
	"math"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"

	gmail "google.golang.org/api/gmail/v1"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// systemLabels are Gmail's built-in label ids.
var systemLabels = []string{"INBOX", "SENT", "DRAFT", "TRASH", "SPAM", "UNREAD", "STARRED", "IMPORTANT", "CHAT",
	"CATEGORY_PERSONAL", "CATEGORY_SOCIAL", "CATEGORY_PROMOTIONS", "CATEGORY_UPDATES", "CATEGORY_FORUMS"}

const firstHistoryID = 1000

// mailbox is one user's Gmail.
type mailbox struct {
	historyID uint64
	floor     uint64           // a startHistoryId below this answers 404
	history   []*gmail.History // retained records, ascending id
	msgs      map[string]*mailMsg
	threadOf  map[string]string // RFC 822 Message-ID -> threadId
	subjectOf map[string]string // normalised subject -> threadId
	labels    map[string]*gmail.Label
	drafts    map[string]string // draft id -> message id
	nextLabel int
	watchEnd  time.Time  // users.watch expiry; zero when not watching
	order     []*mailMsg // sorted() cache; nil when stale
}

type mailMsg struct {
	Message
	key       string // sortKey
	historyID uint64
	parsed    *parsedMail
}

func newMailbox() *mailbox {
	mb := &mailbox{historyID: firstHistoryID, floor: firstHistoryID, msgs: map[string]*mailMsg{},
		threadOf: map[string]string{}, subjectOf: map[string]string{}, labels: map[string]*gmail.Label{}, drafts: map[string]string{}}
	for _, id := range systemLabels {
		mb.labels[id] = &gmail.Label{Id: id, Name: id, Type: "system"}
	}
	return mb
}

// sortKey orders messages newest first, as messages.list does.
func sortKey(m Message) string {
	return fmt.Sprintf("%020d/%s", math.MaxInt64-m.InternalDate.UnixMilli(), m.ID)
}

// sorted lists messages newest first; the order is cached until a message is added or removed.
func (mb *mailbox) sorted() []*mailMsg {
	if mb.order != nil {
		return mb.order
	}
	out := make([]*mailMsg, 0, len(mb.msgs))
	for _, m := range mb.msgs {
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b *mailMsg) int { return strings.Compare(a.key, b.key) })
	mb.order = out
	return out
}

// record appends a history record, moving historyId and trimming old records.
func (s *Server) record(mb *mailbox, h *gmail.History) {
	mb.historyID++
	h.Id = mb.historyID
	mb.history = append(mb.history, h)
	if over := len(mb.history) - s.cfg.HistoryRetention; over > 0 {
		mb.floor = mb.history[over-1].Id
		mb.history = slices.Clone(mb.history[over:])
	}
}

func (m *mailMsg) ref() *gmail.Message {
	return &gmail.Message{Id: m.ID, ThreadId: m.ThreadID, LabelIds: slices.Clone(m.LabelIDs)}
}

// workspaceLabel maps a loader's label (a label id, a system id in any case or a folder name) to a label id,
// creating a user label for a new name.
func (mb *mailbox) workspaceLabel(name string) string {
	if l, ok := mb.labels[name]; ok {
		return l.Id
	}
	if l, ok := mb.labels[strings.ToUpper(name)]; ok && l.Type == "system" {
		return l.Id
	}
	for _, l := range mb.labels {
		if l.Type == "user" && strings.EqualFold(l.Name, name) {
			return l.Id
		}
	}
	mb.nextLabel++
	id := fmt.Sprintf("Label_%d", mb.nextLabel)
	mb.labels[id] = &gmail.Label{Id: id, Name: name, Type: "user", LabelListVisibility: "labelShow", MessageListVisibility: "show"}
	return id
}

var replyPrefix = regexp.MustCompile(`(?i)^\s*((re|fwd?|aw|sv|wg)\s*(\[\d+\])?\s*:\s*)+`)

func normSubject(s string) (norm string, isReply bool) {
	stripped := replyPrefix.ReplaceAllString(s, "")
	return strings.ToLower(strings.Join(strings.Fields(stripped), " ")), stripped != s
}

// putMessage stores m for u (replacing a message with the same id) and records history.
func (s *Server) putMessage(u *user, m Message, now time.Time) (*mailMsg, error) {
	mb := u.mail
	if m.ID == "" {
		m.ID = fmt.Sprintf("%016x", 0x18c0000000000000+s.newID())
	}
	p, err := parseMail(m.Raw, m.ID)
	if err != nil {
		return nil, fmt.Errorf("parse message: %w: %w", err, domain.ErrInvalidInput)
	}
	if m.InternalDate.IsZero() {
		if t, err := mailDate(p.date); err == nil {
			m.InternalDate = t
		} else {
			m.InternalDate = now
		}
	}
	labels := make([]string, 0, len(m.LabelIDs))
	for _, l := range m.LabelIDs {
		if id := mb.workspaceLabel(l); !slices.Contains(labels, id) {
			labels = append(labels, id)
		}
	}
	m.LabelIDs = labels
	for _, id := range p.messageIDs {
		if !slices.Contains(m.MessageIDs, id) {
			m.MessageIDs = append(m.MessageIDs, id)
		}
	}
	if len(m.MessageIDs) > len(p.messageIDs) {
		p.showMessageIDs(m.MessageIDs)
	}
	if old, ok := mb.msgs[m.ID]; ok {
		m.ThreadID = cmp.Or(m.ThreadID, old.ThreadID)
		old.Message, old.parsed, old.key = m, p, sortKey(m)
		mb.order = nil
		s.setLabels(u, old, m.LabelIDs)
		return old, nil
	}
	if m.ThreadID == "" {
		m.ThreadID = mb.threadFor(m.MessageIDs, p)
	}
	if m.ThreadID == "" {
		m.ThreadID = m.ID
	}
	for _, id := range append(slices.Clone(m.MessageIDs), p.references...) {
		if _, ok := mb.threadOf[id]; !ok {
			mb.threadOf[id] = m.ThreadID
		}
	}
	if norm, _ := normSubject(p.subject); norm != "" {
		if _, ok := mb.subjectOf[norm]; !ok {
			mb.subjectOf[norm] = m.ThreadID
		}
	}
	mm := &mailMsg{Message: m, parsed: p, key: sortKey(m)}
	mb.msgs[m.ID] = mm
	mb.order = nil
	s.record(mb, &gmail.History{Messages: []*gmail.Message{{Id: m.ID, ThreadId: m.ThreadID}},
		MessagesAdded: []*gmail.HistoryMessageAdded{{Message: mm.ref()}}})
	mm.historyID = mb.historyID
	return mm, nil
}

// threadFor finds the thread of a message by its own and referenced Message-IDs,
// then, for a reply or forward, by normalised subject.
func (mb *mailbox) threadFor(ids []string, p *parsedMail) string {
	for _, id := range append(slices.Clone(ids), p.references...) {
		if t, ok := mb.threadOf[id]; ok {
			return t
		}
	}
	if norm, reply := normSubject(p.subject); reply && norm != "" {
		return mb.subjectOf[norm]
	}
	return ""
}

func mailDate(v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, fmt.Errorf("no Date header")
	}
	t, err := mail.ParseDate(v)
	if err != nil {
		return time.Time{}, err
	}
	return t.UTC(), nil
}

// setLabels replaces m's labels, recording labelAdded/labelRemoved history.
func (s *Server) setLabels(u *user, m *mailMsg, labels []string) {
	var added, removed []string
	for _, l := range labels {
		if !slices.Contains(m.LabelIDs, l) {
			added = append(added, l)
		}
	}
	for _, l := range m.LabelIDs {
		if !slices.Contains(labels, l) {
			removed = append(removed, l)
		}
	}
	m.LabelIDs = slices.Clone(labels)
	if len(added) == 0 && len(removed) == 0 {
		return
	}
	h := &gmail.History{Messages: []*gmail.Message{{Id: m.ID, ThreadId: m.ThreadID}}}
	if len(added) > 0 {
		h.LabelsAdded = []*gmail.HistoryLabelAdded{{LabelIds: added, Message: m.ref()}}
	}
	if len(removed) > 0 {
		h.LabelsRemoved = []*gmail.HistoryLabelRemoved{{LabelIds: removed, Message: m.ref()}}
	}
	s.record(u.mail, h)
	m.historyID = u.mail.historyID
}

func (s *Server) deleteMessage(u *user, m *mailMsg) {
	delete(u.mail.msgs, m.ID)
	u.mail.order = nil
	s.record(u.mail, &gmail.History{Messages: []*gmail.Message{{Id: m.ID, ThreadId: m.ThreadID}},
		MessagesDeleted: []*gmail.HistoryMessageDeleted{{Message: m.ref()}}})
}

// modifyLabels adds and removes label ids on message id of u.
func (s *Server) modifyLabels(u *user, id string, add, remove []string) (*mailMsg, *apiError) {
	m, ok := u.mail.msgs[id]
	if !ok {
		return nil, errNotFound("Requested entity was")
	}
	for _, l := range append(slices.Clone(add), remove...) {
		if _, ok := u.mail.labels[l]; !ok {
			return nil, errInvalid("Invalid label: " + l)
		}
	}
	labels := slices.DeleteFunc(slices.Clone(m.LabelIDs), func(l string) bool { return slices.Contains(remove, l) })
	for _, l := range add {
		if !slices.Contains(labels, l) {
			labels = append(labels, l)
		}
	}
	s.setLabels(u, m, labels)
	s.notifyLocked(u, svcGmail)
	return m, nil
}
