package emulator

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"maps"
	"math"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

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

func (s *Server) routeGmail() {
	const p = "/gmail/v1/users/{userId}"
	s.handle(s.gmailProfile, "GET "+p+"/profile")
	s.handle(s.gmailList, "GET "+p+"/messages")
	s.handle(s.gmailGet, "GET "+p+"/messages/{id}")
	s.handle(s.gmailAttachment, "GET "+p+"/messages/{messageId}/attachments/{id}")
	s.handle(s.gmailSend, "POST "+p+"/messages/send", "POST /upload"+p+"/messages/send")
	s.handle(s.gmailInsert("receivedTime"), "POST "+p+"/messages", "POST /upload"+p+"/messages")
	s.handle(s.gmailInsert("dateHeader"), "POST "+p+"/messages/import", "POST /upload"+p+"/messages/import")
	s.handle(s.gmailTrash, "POST "+p+"/messages/{id}/trash")
	s.handle(s.gmailUntrash, "POST "+p+"/messages/{id}/untrash")
	s.handle(s.gmailModify, "POST "+p+"/messages/{id}/modify")
	s.handle(s.gmailDelete, "DELETE "+p+"/messages/{id}")
	s.handle(s.gmailHistory, "GET "+p+"/history")
	s.handle(s.gmailLabels, "GET "+p+"/labels")
	s.handle(s.gmailWatch, "POST "+p+"/watch")
	s.handle(s.gmailStop, "POST "+p+"/stop")
	s.handle(s.draftCreate, "POST "+p+"/drafts", "POST /upload"+p+"/drafts")
	s.handle(s.draftList, "GET "+p+"/drafts")
	s.handle(s.draftGet, "GET "+p+"/drafts/{id}")
	s.handle(s.draftUpdate, "PUT "+p+"/drafts/{id}", "PUT /upload"+p+"/drafts/{id}")
	s.handle(s.draftDelete, "DELETE "+p+"/drafts/{id}")
	s.handle(s.draftSend, "POST "+p+"/drafts/send", "POST /upload"+p+"/drafts/send")
}

func (s *Server) gmailProfile(c *call) (any, *apiError) {
	threads := map[string]bool{}
	for _, m := range c.u.mail.msgs {
		threads[m.ThreadID] = true
	}
	return &gmail.Profile{EmailAddress: c.u.email, MessagesTotal: int64(len(c.u.mail.msgs)),
		ThreadsTotal: int64(len(threads)), HistoryId: c.u.mail.historyID}, nil
}

func (s *Server) gmailList(c *call) (any, *apiError) {
	size, aerr := pageSize(c, "maxResults", 100, 500)
	if aerr != nil {
		return nil, aerr
	}
	q, aerr := parseMailQuery(c.query("q"), c.u.mail, c.now)
	if aerr != nil {
		return nil, aerr
	}
	labelIDs := c.r.URL.Query()["labelIds"]
	// Trash and spam are left out unless asked for, by parameter, label or query.
	spamTrash := c.query("includeSpamTrash") == "true" || q.wantsSpamTrash ||
		slices.Contains(labelIDs, "TRASH") || slices.Contains(labelIDs, "SPAM")
	var hits []*mailMsg
	for _, m := range c.u.mail.sorted() {
		if !spamTrash && (slices.Contains(m.LabelIDs, "TRASH") || slices.Contains(m.LabelIDs, "SPAM")) {
			continue
		}
		if !containsAll(m.LabelIDs, labelIDs) || !q.match(m) {
			continue
		}
		hits = append(hits, m)
	}
	keys := make([]string, len(hits))
	for i, m := range hits {
		keys[i] = m.key
	}
	from, to, next, aerr := page(keys, c.query("pageToken"), size)
	if aerr != nil {
		return nil, aerr
	}
	res := &gmail.ListMessagesResponse{NextPageToken: next, ResultSizeEstimate: int64(len(hits))}
	for _, m := range hits[from:to] {
		res.Messages = append(res.Messages, &gmail.Message{Id: m.ID, ThreadId: m.ThreadID})
	}
	return res, nil
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// view renders m in a messages.get format.
func view(m *mailMsg, format string, metadataHeaders []string) (*gmail.Message, *apiError) {
	out := &gmail.Message{Id: m.ID, ThreadId: m.ThreadID, LabelIds: slices.Clone(m.LabelIDs), Snippet: m.parsed.snippet,
		SizeEstimate: int64(len(m.Raw)), HistoryId: m.historyID, InternalDate: m.InternalDate.UnixMilli()}
	switch format {
	case "", "full":
		out.Payload = m.parsed.payload
	case "metadata":
		top := m.parsed.payload
		md := &gmail.MessagePart{PartId: top.PartId, MimeType: top.MimeType, Filename: top.Filename}
		for _, h := range top.Headers {
			if len(metadataHeaders) == 0 || slices.ContainsFunc(metadataHeaders, func(n string) bool { return strings.EqualFold(n, h.Name) }) {
				md.Headers = append(md.Headers, h)
			}
		}
		out.Payload = md
	case "raw":
		out.Raw = encodeRaw(m.Raw)
	case "minimal":
	default:
		return nil, errInvalid("Invalid value for format: " + format)
	}
	return out, nil
}

func (s *Server) gmailGet(c *call) (any, *apiError) {
	m, ok := c.u.mail.msgs[c.r.PathValue("id")]
	if !ok {
		return nil, errNotFound("Requested entity was")
	}
	return view(m, c.query("format"), c.r.URL.Query()["metadataHeaders"])
}

func (s *Server) gmailAttachment(c *call) (any, *apiError) {
	m, ok := c.u.mail.msgs[c.r.PathValue("messageId")]
	if !ok {
		return nil, errNotFound("Requested entity was")
	}
	data, ok := m.parsed.attachments[c.r.PathValue("id")]
	if !ok {
		return nil, errNotFound("Requested entity was")
	}
	return &gmail.MessagePartBody{Data: encodeRaw(data), Size: int64(len(data))}, nil
}

// uploadedMessage reads a message from a JSON body (raw field) or a media upload.
func uploadedMessage(c *call) (*gmail.Message, []byte, *apiError) {
	var meta gmail.Message
	if c.query("uploadType") == "" {
		if aerr := c.decode(&meta); aerr != nil {
			return nil, nil, aerr
		}
		raw, err := decodeRaw(meta.Raw)
		if err != nil || len(raw) == 0 {
			return nil, nil, errInvalid("'raw' RFC822 payload message string or uploading message via /upload/* URL required")
		}
		return &meta, raw, nil
	}
	raw, aerr := mediaUpload(c, &meta)
	return &meta, raw, aerr
}

// mediaUpload reads an /upload request: the media, and its JSON metadata into meta.
func mediaUpload(c *call, meta any) ([]byte, *apiError) {
	switch c.query("uploadType") {
	case "media":
		return c.body, nil
	case "multipart":
	default:
		return nil, &apiError{code: http.StatusNotImplemented, reason: "notImplemented", message: "the emulator supports uploadType media and multipart only"}
	}
	_, params, err := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if err != nil || params["boundary"] == "" {
		return nil, errInvalid("multipart upload without a boundary")
	}
	r := multipart.NewReader(bytes.NewReader(c.body), params["boundary"])
	var parts [2][]byte
	for i := range parts {
		part, err := r.NextRawPart()
		if err == nil {
			parts[i], err = io.ReadAll(part)
		}
		if err != nil {
			return nil, errInvalid("malformed multipart upload: " + err.Error())
		}
	}
	if len(bytes.TrimSpace(parts[0])) == 0 {
		return parts[1], nil
	}
	if err := json.Unmarshal(parts[0], meta); err != nil {
		return nil, errInvalid("invalid metadata part: " + err.Error())
	}
	return parts[1], nil
}

// completeHeaders adds the From, Date and Message-ID headers Gmail fills in on send.
func completeHeaders(raw []byte, from string, now time.Time, id string) []byte {
	hs, _ := splitMessage(raw)
	var add strings.Builder
	if headerValue(hs, "From") == "" {
		fmt.Fprintf(&add, "From: %s\r\n", from)
	}
	if headerValue(hs, "Date") == "" {
		fmt.Fprintf(&add, "Date: %s\r\n", now.Format(time.RFC1123Z))
	}
	if headerValue(hs, "Message-ID") == "" {
		fmt.Fprintf(&add, "Message-ID: <%s@mail.emulator.local>\r\n", id)
	}
	return append([]byte(add.String()), raw...)
}

// sendLocked stores raw as sent by u and delivers it to local recipients' inboxes.
func (s *Server) sendLocked(u *user, raw []byte, threadID string, now time.Time) (*mailMsg, *apiError) {
	id := fmt.Sprintf("%016x", 0x18c0000000000000+s.newID())
	raw = completeHeaders(raw, u.email, now, id)
	if !u.mail.hasThread(threadID) {
		threadID = ""
	}
	m, err := s.putMessage(u, Message{ID: id, ThreadID: threadID, Raw: raw, LabelIDs: []string{"SENT"}, InternalDate: now}, now)
	if err != nil {
		return nil, errInvalid(err.Error())
	}
	hs, _ := splitMessage(raw)
	for _, addr := range addressList(strings.Join([]string{headerValue(hs, "To"), headerValue(hs, "Cc"), headerValue(hs, "Bcc")}, ", ")) {
		if rcpt := s.userLocked(addr, false); rcpt != nil && rcpt != u {
			if _, err := s.putMessage(rcpt, Message{Raw: raw, LabelIDs: []string{"INBOX", "UNREAD"}, InternalDate: now}, now); err == nil {
				s.notifyLocked(rcpt, svcGmail)
			}
		}
	}
	s.notifyLocked(u, svcGmail)
	return m, nil
}

func (mb *mailbox) hasThread(id string) bool {
	if id == "" {
		return false
	}
	for _, m := range mb.msgs {
		if m.ThreadID == id {
			return true
		}
	}
	return false
}

func (s *Server) gmailSend(c *call) (any, *apiError) {
	meta, raw, aerr := uploadedMessage(c)
	if aerr != nil {
		return nil, aerr
	}
	m, aerr := s.sendLocked(c.u, raw, meta.ThreadId, c.now)
	if aerr != nil {
		return nil, aerr
	}
	return &gmail.Message{Id: m.ID, ThreadId: m.ThreadID, LabelIds: slices.Clone(m.LabelIDs)}, nil
}

// gmailInsert serves messages.insert and messages.import: the message is
// stored as given (no sending); internalDateSource picks its date.
func (s *Server) gmailInsert(defaultDateSource string) apiFunc {
	return func(c *call) (any, *apiError) {
		meta, raw, aerr := uploadedMessage(c)
		if aerr != nil {
			return nil, aerr
		}
		for _, l := range meta.LabelIds {
			if _, ok := c.u.mail.labels[l]; !ok {
				return nil, errInvalid("Invalid label: " + l)
			}
		}
		labels := meta.LabelIds
		if strings.HasSuffix(c.r.URL.Path, "/import") && len(labels) == 0 {
			labels = []string{"INBOX", "UNREAD"}
		}
		msg := Message{Raw: raw, LabelIDs: labels, ThreadID: meta.ThreadId}
		if !c.u.mail.hasThread(meta.ThreadId) {
			msg.ThreadID = ""
		}
		if cmp.Or(c.query("internalDateSource"), defaultDateSource) == "receivedTime" {
			msg.InternalDate = c.now
		}
		m, err := s.putMessage(c.u, msg, c.now)
		if err != nil {
			return nil, errInvalid(err.Error())
		}
		s.notifyLocked(c.u, svcGmail)
		return &gmail.Message{Id: m.ID, ThreadId: m.ThreadID, LabelIds: slices.Clone(m.LabelIDs)}, nil
	}
}

func (s *Server) gmailTrash(c *call) (any, *apiError) {
	m, aerr := s.modifyLabels(c.u, c.r.PathValue("id"), []string{"TRASH"}, []string{"INBOX"})
	if aerr != nil {
		return nil, aerr
	}
	return view(m, "minimal", nil)
}

func (s *Server) gmailUntrash(c *call) (any, *apiError) {
	m, aerr := s.modifyLabels(c.u, c.r.PathValue("id"), []string{"INBOX"}, []string{"TRASH"})
	if aerr != nil {
		return nil, aerr
	}
	return view(m, "minimal", nil)
}

func (s *Server) gmailModify(c *call) (any, *apiError) {
	var req gmail.ModifyMessageRequest
	if aerr := c.decode(&req); aerr != nil {
		return nil, aerr
	}
	m, aerr := s.modifyLabels(c.u, c.r.PathValue("id"), req.AddLabelIds, req.RemoveLabelIds)
	if aerr != nil {
		return nil, aerr
	}
	return view(m, "minimal", nil)
}

func (s *Server) gmailDelete(c *call) (any, *apiError) {
	m, ok := c.u.mail.msgs[c.r.PathValue("id")]
	if !ok {
		return nil, errNotFound("Requested entity was")
	}
	s.deleteMessage(c.u, m)
	s.notifyLocked(c.u, svcGmail)
	return nil, nil
}

func (s *Server) gmailHistory(c *call) (any, *apiError) {
	mb := c.u.mail
	start, err := strconv.ParseUint(c.query("startHistoryId"), 10, 64)
	if err != nil {
		return nil, errInvalid("Invalid startHistoryId")
	}
	// A start beyond the mailbox's history comes from another mailbox's life
	// (an emulator restarted without the imports): only a full sync helps.
	if start < mb.floor || start > mb.historyID {
		return nil, errNotFound("Requested entity was")
	}
	size, aerr := pageSize(c, "maxResults", 100, 500)
	if aerr != nil {
		return nil, aerr
	}
	types := c.r.URL.Query()["historyTypes"]
	label := c.query("labelId")
	var recs []*gmail.History
	var keys []string
	for _, h := range mb.history {
		if h.Id <= start {
			continue
		}
		if h = filterHistory(h, types, label); h != nil {
			recs = append(recs, h)
			keys = append(keys, fmt.Sprintf("%020d", h.Id))
		}
	}
	from, to, next, aerr := page(keys, c.query("pageToken"), size)
	if aerr != nil {
		return nil, aerr
	}
	return &gmail.ListHistoryResponse{History: recs[from:to], HistoryId: mb.historyID, NextPageToken: next}, nil
}

// filterHistory keeps the parts of h of the wanted types touching label; nil when nothing is left.
func filterHistory(h *gmail.History, types []string, label string) *gmail.History {
	want := func(t string) func(*gmail.Message) bool {
		return func(msg *gmail.Message) bool {
			return (len(types) == 0 || slices.Contains(types, t)) && (label == "" || slices.Contains(msg.LabelIds, label))
		}
	}
	out := &gmail.History{Id: h.Id, Messages: h.Messages,
		MessagesAdded:   keepIf(h.MessagesAdded, func(a *gmail.HistoryMessageAdded) *gmail.Message { return a.Message }, want("messageAdded")),
		MessagesDeleted: keepIf(h.MessagesDeleted, func(d *gmail.HistoryMessageDeleted) *gmail.Message { return d.Message }, want("messageDeleted")),
		LabelsAdded:     keepIf(h.LabelsAdded, func(a *gmail.HistoryLabelAdded) *gmail.Message { return a.Message }, want("labelAdded")),
		LabelsRemoved:   keepIf(h.LabelsRemoved, func(r *gmail.HistoryLabelRemoved) *gmail.Message { return r.Message }, want("labelRemoved")),
	}
	if len(out.MessagesAdded)+len(out.MessagesDeleted)+len(out.LabelsAdded)+len(out.LabelsRemoved) == 0 {
		return nil
	}
	return out
}

func keepIf[T any](items []T, msg func(T) *gmail.Message, ok func(*gmail.Message) bool) []T {
	var out []T
	for _, it := range items {
		if ok(msg(it)) {
			out = append(out, it)
		}
	}
	return out
}

func (s *Server) gmailLabels(c *call) (any, *apiError) {
	res := &gmail.ListLabelsResponse{}
	for _, l := range c.u.mail.labels {
		res.Labels = append(res.Labels, l)
	}
	slices.SortFunc(res.Labels, func(a, b *gmail.Label) int { return strings.Compare(a.Id, b.Id) })
	return res, nil
}

func (s *Server) gmailWatch(c *call) (any, *apiError) {
	var req gmail.WatchRequest
	if aerr := c.decode(&req); aerr != nil {
		return nil, aerr
	}
	if req.TopicName == "" {
		return nil, errInvalid("Invalid topicName")
	}
	c.u.mail.watchEnd = c.now.Add(7 * 24 * time.Hour)
	return &gmail.WatchResponse{HistoryId: c.u.mail.historyID, Expiration: c.u.mail.watchEnd.UnixMilli()}, nil
}

func (s *Server) gmailStop(c *call) (any, *apiError) {
	c.u.mail.watchEnd = time.Time{}
	return nil, nil
}

// Drafts.

func (s *Server) draftView(c *call, id, format string) (*gmail.Draft, *apiError) {
	m, ok := c.u.mail.msgs[c.u.mail.drafts[id]]
	if !ok {
		return nil, errNotFound("Requested entity was")
	}
	msg, aerr := view(m, format, nil)
	if aerr != nil {
		return nil, aerr
	}
	return &gmail.Draft{Id: id, Message: msg}, nil
}

// draftBody reads a Draft (JSON or upload) and its raw message, nil when absent.
func draftBody(c *call) (*gmail.Draft, []byte, *apiError) {
	d := &gmail.Draft{}
	var raw []byte
	if c.query("uploadType") == "" {
		if aerr := c.decode(d); aerr != nil {
			return nil, nil, aerr
		}
		if d.Message != nil && d.Message.Raw != "" {
			var err error
			if raw, err = decodeRaw(d.Message.Raw); err != nil {
				return nil, nil, errInvalid(err.Error())
			}
		}
	} else {
		var aerr *apiError
		if raw, aerr = mediaUpload(c, d); aerr != nil {
			return nil, nil, aerr
		}
	}
	if d.Message == nil {
		d.Message = &gmail.Message{}
	}
	return d, raw, nil
}

func (s *Server) storeDraft(c *call, raw []byte, threadID string) (*mailMsg, *apiError) {
	if !c.u.mail.hasThread(threadID) {
		threadID = ""
	}
	m, err := s.putMessage(c.u, Message{Raw: raw, ThreadID: threadID, LabelIDs: []string{"DRAFT"}, InternalDate: c.now}, c.now)
	if err != nil {
		return nil, errInvalid(err.Error())
	}
	return m, nil
}

func (s *Server) draftCreate(c *call) (any, *apiError) {
	d, raw, aerr := draftBody(c)
	if aerr != nil {
		return nil, aerr
	}
	if raw == nil {
		return nil, errInvalid("Missing draft message")
	}
	m, aerr := s.storeDraft(c, raw, d.Message.ThreadId)
	if aerr != nil {
		return nil, aerr
	}
	id := fmt.Sprintf("r%d", 5000000000+s.newID())
	c.u.mail.drafts[id] = m.ID
	s.notifyLocked(c.u, svcGmail)
	return s.draftView(c, id, "minimal")
}

func (s *Server) draftGet(c *call) (any, *apiError) {
	return s.draftView(c, c.r.PathValue("id"), c.query("format"))
}

func (s *Server) draftList(c *call) (any, *apiError) {
	size, aerr := pageSize(c, "maxResults", 100, 500)
	if aerr != nil {
		return nil, aerr
	}
	ids := make([]string, 0, len(c.u.mail.drafts))
	for id := range c.u.mail.drafts {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	from, to, next, aerr := page(ids, c.query("pageToken"), size)
	if aerr != nil {
		return nil, aerr
	}
	res := &gmail.ListDraftsResponse{NextPageToken: next, ResultSizeEstimate: int64(len(ids))}
	for _, id := range ids[from:to] {
		m := c.u.mail.msgs[c.u.mail.drafts[id]]
		res.Drafts = append(res.Drafts, &gmail.Draft{Id: id, Message: &gmail.Message{Id: m.ID, ThreadId: m.ThreadID}})
	}
	return res, nil
}

func (s *Server) draftUpdate(c *call) (any, *apiError) {
	id := c.r.PathValue("id")
	old, ok := c.u.mail.msgs[c.u.mail.drafts[id]]
	if !ok {
		return nil, errNotFound("Requested entity was")
	}
	d, raw, aerr := draftBody(c)
	if aerr != nil {
		return nil, aerr
	}
	if raw == nil {
		return nil, errInvalid("Missing draft message")
	}
	m, aerr := s.storeDraft(c, raw, cmp.Or(d.Message.ThreadId, old.ThreadID))
	if aerr != nil {
		return nil, aerr
	}
	s.deleteMessage(c.u, old)
	c.u.mail.drafts[id] = m.ID
	s.notifyLocked(c.u, svcGmail)
	return s.draftView(c, id, "minimal")
}

func (s *Server) draftDelete(c *call) (any, *apiError) {
	id := c.r.PathValue("id")
	m, ok := c.u.mail.msgs[c.u.mail.drafts[id]]
	if !ok {
		return nil, errNotFound("Requested entity was")
	}
	delete(c.u.mail.drafts, id)
	s.deleteMessage(c.u, m)
	s.notifyLocked(c.u, svcGmail)
	return nil, nil
}

// draftSend sends a draft once: the draft and its DRAFT message go away and a
// SENT message appears, so a second send of the same id answers 404 as Gmail does.
func (s *Server) draftSend(c *call) (any, *apiError) {
	d, raw, aerr := draftBody(c)
	if aerr != nil {
		return nil, aerr
	}
	old, ok := c.u.mail.msgs[c.u.mail.drafts[d.Id]]
	if d.Id == "" || !ok {
		return nil, errNotFound("Requested entity was")
	}
	if raw == nil {
		raw = old.Raw
	}
	delete(c.u.mail.drafts, d.Id)
	s.deleteMessage(c.u, old)
	m, aerr := s.sendLocked(c.u, raw, old.ThreadID, c.now)
	if aerr != nil {
		return nil, aerr
	}
	return &gmail.Message{Id: m.ID, ThreadId: m.ThreadID, LabelIds: slices.Clone(m.LabelIDs)}, nil
}

// encodeRaw is Gmail's encoding of raw messages and bodies: base64url, padded.
func encodeRaw(b []byte) string { return base64.URLEncoding.EncodeToString(b) }

// mailTerm is one condition of a Gmail search; neg inverts it.
type mailTerm struct {
	neg   bool
	match func(m *mailMsg) bool
}

type mailQuery struct {
	terms          []mailTerm
	wantsSpamTrash bool
}

func (q mailQuery) match(m *mailMsg) bool {
	for _, t := range q.terms {
		if t.match(m) == t.neg {
			return false
		}
	}
	return true
}

// tokenizeQuery splits a Gmail query on spaces, keeping "quoted phrases" (also after op:) whole.
func tokenizeQuery(q string) []string {
	var out []string
	var cur strings.Builder
	quoted := false
	for _, r := range q {
		switch {
		case r == '"':
			quoted = !quoted
		case (r == ' ' || r == '\t') && !quoted:
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// labelMatcher resolves a label: or in: argument (id or name, Gmail-normalised).
func labelMatcher(mb *mailbox, arg string) func(m *mailMsg) bool {
	norm := func(s string) string {
		return strings.NewReplacer(" ", "-", "/", "-", "_", "-").Replace(strings.ToLower(s))
	}
	var ids []string
	for _, l := range mb.labels {
		if strings.EqualFold(l.Id, arg) || norm(l.Name) == norm(arg) {
			ids = append(ids, l.Id)
		}
	}
	return func(m *mailMsg) bool {
		return slices.ContainsFunc(ids, func(id string) bool { return slices.Contains(m.LabelIDs, id) })
	}
}

// queryDate reads after:/before: values: YYYY/MM/DD, YYYY-MM-DD or epoch seconds.
func queryDate(v string) (time.Time, error) {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.Unix(n, 0), nil
	}
	for _, layout := range []string{"2006/1/2", "2006-1-2", "2006/01/02", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad date %q", v)
}

// parseMailQuery understands the subset of Gmail search the product uses:
// from: to: cc: bcc: subject: label: in: is: after: before: newer_than:
// older_than: has:attachment rfc822msgid: and plain words or "phrases"; a
// leading - negates a term. Unknown operators are searched as words.
func parseMailQuery(q string, mb *mailbox, now time.Time) (mailQuery, *apiError) {
	var out mailQuery
	for _, tok := range tokenizeQuery(q) {
		t := mailTerm{}
		if strings.HasPrefix(tok, "-") && len(tok) > 1 {
			t.neg, tok = true, tok[1:]
		}
		op, arg, hasOp := strings.Cut(tok, ":")
		op, larg := strings.ToLower(op), strings.ToLower(arg)
		if !hasOp || arg == "" {
			op, larg = "", strings.ToLower(tok)
		}
		switch op {
		case "from":
			t.match = func(m *mailMsg) bool { return strings.Contains(m.parsed.from, larg) }
		case "to", "cc", "bcc":
			t.match = func(m *mailMsg) bool { return strings.Contains(m.parsed.to, larg) }
		case "subject":
			t.match = func(m *mailMsg) bool { return strings.Contains(strings.ToLower(m.parsed.subject), larg) }
		case "label", "in", "is":
			if larg == "trash" || larg == "spam" || larg == "anywhere" {
				out.wantsSpamTrash = true
			}
			if larg == "anywhere" {
				continue
			}
			if op == "is" && larg == "read" {
				t.neg, larg = !t.neg, "unread"
			}
			t.match = labelMatcher(mb, larg)
		case "after", "before":
			d, err := queryDate(arg)
			if err != nil {
				return out, errInvalid("Invalid query: " + err.Error())
			}
			if op == "after" {
				t.match = func(m *mailMsg) bool { return !m.InternalDate.Before(d) }
			} else {
				t.match = func(m *mailMsg) bool { return m.InternalDate.Before(d) }
			}
		case "newer_than", "older_than":
			n, err := strconv.Atoi(larg[:max(len(larg)-1, 0)])
			if err != nil || len(larg) < 2 {
				return out, errInvalid("Invalid query: " + tok)
			}
			var d time.Time
			switch larg[len(larg)-1] {
			case 'd':
				d = now.AddDate(0, 0, -n)
			case 'm':
				d = now.AddDate(0, -n, 0)
			case 'y':
				d = now.AddDate(-n, 0, 0)
			default:
				return out, errInvalid("Invalid query: " + tok)
			}
			if op == "newer_than" {
				t.match = func(m *mailMsg) bool { return !m.InternalDate.Before(d) }
			} else {
				t.match = func(m *mailMsg) bool { return m.InternalDate.Before(d) }
			}
		case "has":
			t.match = func(m *mailMsg) bool { return larg == "attachment" && len(m.parsed.attachments) > 0 }
		case "rfc822msgid":
			id := "<" + strings.Trim(arg, "<>") + ">"
			t.match = func(m *mailMsg) bool { return slices.Contains(m.MessageIDs, id) }
		default:
			word := strings.ToLower(tok)
			t.match = func(m *mailMsg) bool { return strings.Contains(m.parsed.text, word) }
		}
		out.terms = append(out.terms, t)
	}
	return out, nil
}

// parsedMail is what the emulator derives from a message's RFC 822 source once,
// when it is stored.
type parsedMail struct {
	payload     *gmail.MessagePart // format=full; attachment bodies carry attachmentId only
	attachments map[string][]byte  // attachmentId -> decoded bytes
	snippet     string
	messageIDs  []string // Message-ID of this source
	references  []string // In-Reply-To and References ids
	subject     string
	from, to    string // lower-case; to holds To, Cc and Bcc
	text        string // lower-case searchable text: headers and plain text
	date        string // Date header
}

// showMessageIDs puts every merged copy's Message-ID in the Message-ID
// header that format=full and metadata return, so a client keeps them all;
// the raw source keeps its own.
func (p *parsedMail) showMessageIDs(ids []string) {
	v := strings.Join(ids, " ")
	for _, h := range p.payload.Headers {
		if strings.EqualFold(h.Name, "Message-ID") {
			h.Value = v
			return
		}
	}
	p.payload.Headers = append(p.payload.Headers, &gmail.MessagePartHeader{Name: "Message-ID", Value: v})
}

// header is one header line in source order, value decoded from RFC 2047.
type header struct{ name, value string }

// splitMessage splits raw into ordered, unfolded headers and the body.
func splitMessage(raw []byte) ([]header, []byte) {
	head, body := raw, []byte(nil)
	if i := bytes.Index(raw, []byte("\n\n")); i >= 0 {
		head, body = raw[:i], raw[i+2:]
	}
	if i := bytes.Index(raw, []byte("\r\n\r\n")); i >= 0 && i < len(head) {
		head, body = raw[:i], raw[i+4:]
	}
	var hs []header
	dec := mime.WordDecoder{}
	for _, line := range strings.Split(strings.ReplaceAll(string(head), "\r\n", "\n"), "\n") {
		if line == "" {
			continue
		}
		if (line[0] == ' ' || line[0] == '\t') && len(hs) > 0 {
			hs[len(hs)-1].value += " " + strings.TrimSpace(line)
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		hs = append(hs, header{name: strings.TrimSpace(name), value: strings.TrimSpace(value)})
	}
	for i := range hs {
		if v, err := dec.DecodeHeader(hs[i].value); err == nil {
			hs[i].value = v
		}
	}
	return hs, body
}

func headerValue(hs []header, name string) string {
	for _, h := range hs {
		if strings.EqualFold(h.name, name) {
			return h.value
		}
	}
	return ""
}

var msgIDRe = regexp.MustCompile(`<[^<>\s]+>`)

// parseMail derives the Gmail view of raw. msgID names attachments.
func parseMail(raw []byte, msgID string) (*parsedMail, error) {
	hs, body := splitMessage(raw)
	if len(hs) == 0 {
		return nil, fmt.Errorf("no RFC 822 headers")
	}
	p := &parsedMail{attachments: map[string][]byte{}, subject: headerValue(hs, "Subject"), date: headerValue(hs, "Date")}
	p.messageIDs = msgIDRe.FindAllString(headerValue(hs, "Message-ID"), -1)
	p.references = append(msgIDRe.FindAllString(headerValue(hs, "In-Reply-To"), -1),
		msgIDRe.FindAllString(headerValue(hs, "References"), -1)...)
	p.from = strings.ToLower(headerValue(hs, "From"))
	p.to = strings.ToLower(strings.Join([]string{headerValue(hs, "To"), headerValue(hs, "Cc"), headerValue(hs, "Bcc")}, ", "))

	var plain, htmlText strings.Builder
	p.payload = p.part(hs, body, "", msgID, &plain, &htmlText)
	text := plain.String()
	if strings.TrimSpace(text) == "" {
		text = stripTags(htmlText.String())
	}
	p.snippet = snippet(text)
	p.text = strings.ToLower(strings.Join([]string{p.subject, p.from, p.to, text}, "\n"))
	return p, nil
}

// part builds the MessagePart for one MIME entity and its children.
func (p *parsedMail) part(hs []header, body []byte, partID, msgID string, plain, htmlText *strings.Builder) *gmail.MessagePart {
	ctype := headerValue(hs, "Content-Type")
	mediaType, params, err := mime.ParseMediaType(ctype)
	if err != nil || ctype == "" {
		mediaType, params = "text/plain", map[string]string{}
	}
	mp := &gmail.MessagePart{PartId: partID, MimeType: mediaType, Body: &gmail.MessagePartBody{}}
	for _, h := range hs {
		mp.Headers = append(mp.Headers, &gmail.MessagePartHeader{Name: h.name, Value: h.value})
	}
	if _, dparams, err := mime.ParseMediaType(headerValue(hs, "Content-Disposition")); err == nil && dparams["filename"] != "" {
		mp.Filename = dparams["filename"]
	} else if params["name"] != "" {
		mp.Filename = params["name"]
	}
	if strings.HasPrefix(mediaType, "multipart/") && params["boundary"] != "" {
		r := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for i := 0; ; i++ {
			rp, err := r.NextRawPart()
			if err != nil {
				break
			}
			data, err := io.ReadAll(rp)
			if err != nil {
				break
			}
			var chs []header
			for _, k := range slices.Sorted(maps.Keys(rp.Header)) {
				chs = append(chs, header{name: k, value: rp.Header.Get(k)})
			}
			childID := fmt.Sprint(i)
			if partID != "" {
				childID = partID + "." + childID
			}
			mp.Parts = append(mp.Parts, p.part(chs, data, childID, msgID, plain, htmlText))
		}
		return mp
	}
	data := decodeTransfer(headerValue(hs, "Content-Transfer-Encoding"), body)
	mp.Body.Size = int64(len(data))
	if mp.Filename != "" {
		id := fmt.Sprintf("ANGjdJ_%s_%s", msgID, strings.ReplaceAll(cmp.Or(partID, "0"), ".", "_"))
		p.attachments[id] = data
		mp.Body.AttachmentId = id
		return mp
	}
	mp.Body.Data = base64.URLEncoding.EncodeToString(data)
	switch mediaType {
	case "text/plain":
		plain.Write(data)
		plain.WriteString("\n")
	case "text/html":
		htmlText.Write(data)
		htmlText.WriteString("\n")
	}
	return mp
}

func decodeTransfer(cte string, body []byte) []byte {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "base64":
		clean := bytes.Map(func(r rune) rune {
			if r == '\r' || r == '\n' || r == ' ' || r == '\t' {
				return -1
			}
			return r
		}, body)
		if out, err := base64.StdEncoding.DecodeString(string(clean)); err == nil {
			return out
		}
		if out, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(string(clean), "=")); err == nil {
			return out
		}
	case "quoted-printable":
		if out, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body))); err == nil {
			return out
		}
	}
	return body
}

var tagRe = regexp.MustCompile(`(?s)<style.*?</style>|<script.*?</script>|<[^>]*>`)

func stripTags(s string) string { return html.UnescapeString(tagRe.ReplaceAllString(s, " ")) }

// snippet is Gmail's preview: whitespace collapsed, about 200 characters, HTML-escaped.
func snippet(text string) string {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "")
	}
	s := strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(s) > 200 {
		s = string([]rune(s)[:200])
	}
	return html.EscapeString(s)
}

// decodeRaw accepts the base64url (padded or not) or standard base64 Gmail clients send.
func decodeRaw(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.URLEncoding, base64.RawURLEncoding, base64.StdEncoding, base64.RawStdEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, fmt.Errorf("raw is not base64url")
}

// addressList extracts the bare addresses of a header value, lower-case.
func addressList(v string) []string {
	list, err := mail.ParseAddressList(v)
	if err != nil {
		return nil
	}
	out := make([]string, 0, len(list))
	for _, a := range list {
		out = append(out, strings.ToLower(a.Address))
	}
	return out
}
