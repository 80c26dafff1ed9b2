// The Gmail v1 REST handlers: messages, history, labels, watches and drafts.

package emulator

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	gmail "google.golang.org/api/gmail/v1"
)

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
