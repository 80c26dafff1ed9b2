package gmailapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"mime"
	"net/http"
	"net/mail"
	"strings"

	"github.com/google/uuid"
	"google.golang.org/api/gmail/v1"

	"github.com/workspace-orchestrator/orchestrator/adapter/google/gclient"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

// draftKeyHeader carries a digest of what a draft says (draftKey), so that a
// repeated request finds the draft it already made.
const draftKeyHeader = "X-Orchestrator-Draft-Key"

// draftsChecked bounds how many of the newest drafts CreateDraft looks
// through for an identical one (one drafts.get each).
const draftsChecked = 50

// CreateDraft creates a Gmail draft (threaded under d.InReplyTo when set) and
// caches it; when an unsent draft saying exactly the same (recipients,
// subject, body, thread) exists, it returns that one instead of a copy. The
// draft's Message-ID is derived from its draft id, so that SendDraft can find
// the message a draft became even after a lost response.
func (g *Gmail) CreateDraft(ctx context.Context, userID uuid.UUID, d domain.Draft) (string, error) {
	s, err := g.service(ctx, userID)
	if err != nil {
		return "", err
	}
	key := draftKey(d)
	if id, err := existingDraft(ctx, s, key); err != nil || id != "" {
		return id, err
	}
	var reply replyTo
	if d.InReplyTo != "" {
		if reply, err = replyHeaders(ctx, s, d.InReplyTo); err != nil {
			return "", err
		}
		if d.Subject == "" {
			d.Subject = "Re: " + strings.TrimPrefix(reply.subject, "Re: ")
		}
	}
	msg := &gmail.Message{Raw: encodeRaw(buildRaw(d, reply, "", key)), ThreadId: reply.threadID}
	dr, err := s.Users.Drafts.Create("me", &gmail.Draft{Message: msg}).Context(ctx).Do()
	if err != nil {
		return "", gclient.Err(err, "gmail drafts.create")
	}
	msg.Raw = encodeRaw(buildRaw(d, reply, draftMessageID(dr.Id), key))
	dr, err = s.Users.Drafts.Update("me", dr.Id, &gmail.Draft{Id: dr.Id, Message: msg}).Context(ctx).Do()
	if err != nil {
		return "", gclient.Err(err, "gmail drafts.update "+dr.Id)
	}
	if dr.Message != nil {
		// The draft exists either way: reading it back for the cache may fail.
		if _, err := g.cacheMessage(ctx, s, userID, dr.Message.Id); err != nil {
			g.cache.Logger.WarnContext(ctx, "draft made but not cached; the next sync caches it", "user", userID, "draft", dr.Id, "err", err)
		}
	}
	return dr.Id, nil
}

// SendDraft sends a draft and caches the sent message. A draft already sent
// (a retry after a lost response) sends nothing and returns the sent message.
func (g *Gmail) SendDraft(ctx context.Context, userID uuid.UUID, draftID string) (domain.Email, error) {
	s, err := g.service(ctx, userID)
	if err != nil {
		return domain.Email{}, err
	}
	dr, err := s.Users.Drafts.Get("me", draftID).Format("minimal").Context(ctx).Do()
	if gclient.Code(err) == http.StatusNotFound {
		return g.sentDraft(ctx, s, userID, draftID)
	}
	if err != nil {
		return domain.Email{}, gclient.Err(err, "gmail drafts.get "+draftID)
	}
	sent, err := s.Users.Drafts.Send("me", &gmail.Draft{Id: draftID}).Context(ctx).Do()
	if gclient.Code(err) == http.StatusNotFound {
		return g.sentDraft(ctx, s, userID, draftID)
	}
	if err != nil {
		return domain.Email{}, gclient.Err(err, "gmail drafts.send "+draftID)
	}
	if dr.Message != nil && dr.Message.Id != sent.Id {
		g.cache.DeleteEmail(ctx, userID, dr.Message.Id)
	}
	return g.cacheMessage(ctx, s, userID, sent.Id)
}

// sentDraft finds the message a draft that no longer exists became.
func (g *Gmail) sentDraft(ctx context.Context, s *gmail.Service, userID uuid.UUID, draftID string) (domain.Email, error) {
	r, err := s.Users.Messages.List("me").Q("rfc822msgid:" + draftMessageID(draftID)).MaxResults(1).Context(ctx).Do()
	if err != nil {
		return domain.Email{}, gclient.Err(err, "gmail messages.list for sent draft "+draftID)
	}
	if len(r.Messages) == 0 {
		return domain.Email{}, fmt.Errorf("gmail draft %s: %w", draftID, domain.ErrNotFound)
	}
	return g.cacheMessage(ctx, s, userID, r.Messages[0].Id)
}

// cacheMessage reads a message the write side made back from Gmail (a
// failure to do so is returned) and caches it through WriteBack (a failure
// to do so is only logged).
func (g *Gmail) cacheMessage(ctx context.Context, s *gmail.Service, userID uuid.UUID, id string) (domain.Email, error) {
	m, err := s.Users.Messages.Get("me", id).Format("full").Context(ctx).Do()
	if err != nil {
		return domain.Email{}, gclient.Err(err, "gmail messages.get "+id)
	}
	names, err := labelNames(ctx, s)
	if err != nil {
		return domain.Email{}, err
	}
	e := toEmail(m, names)
	e.UserID = userID
	return g.cache.Email(ctx, e), nil
}

type replyTo struct {
	threadID, messageID, references, subject string
}

func replyHeaders(ctx context.Context, s *gmail.Service, id string) (replyTo, error) {
	m, err := s.Users.Messages.Get("me", id).Format("metadata").
		MetadataHeaders("Message-ID", "References", "Subject").Context(ctx).Do()
	if err != nil {
		return replyTo{}, gclient.Err(err, "gmail messages.get (reply to) "+id)
	}
	r := replyTo{threadID: m.ThreadId}
	if m.Payload != nil {
		for _, h := range m.Payload.Headers {
			switch strings.ToLower(h.Name) {
			case "message-id":
				r.messageID = strings.TrimSpace(h.Value)
			case "references":
				r.references = strings.TrimSpace(h.Value)
			case "subject":
				r.subject = decodeHeader(h.Value)
			}
		}
	}
	if r.messageID != "" {
		r.references = strings.TrimSpace(r.references + " " + r.messageID)
	}
	return r, nil
}

// draftKey digests what a draft says: its recipients, subject, body and the
// message it replies to.
func draftKey(d domain.Draft) string {
	h := sha256.New()
	for _, part := range []string{addressList(d.To), addressList(d.Cc), d.Subject, d.Body, d.InReplyTo} {
		fmt.Fprintf(h, "%d:%s", len(part), part)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// existingDraft returns the id of one of the newest drafts carrying key, ""
// when none does.
func existingDraft(ctx context.Context, s *gmail.Service, key string) (string, error) {
	r, err := s.Users.Drafts.List("me").MaxResults(draftsChecked).Context(ctx).Do()
	if err != nil {
		return "", gclient.Err(err, "gmail drafts.list")
	}
	for _, d := range r.Drafts {
		dr, err := s.Users.Drafts.Get("me", d.Id).Format("metadata").Context(ctx).Do()
		if gclient.Code(err) == http.StatusNotFound {
			continue // sent or deleted meanwhile
		}
		if err != nil {
			return "", gclient.Err(err, "gmail drafts.get "+d.Id)
		}
		if dr.Message == nil || dr.Message.Payload == nil {
			continue
		}
		for _, h := range dr.Message.Payload.Headers {
			if strings.EqualFold(h.Name, draftKeyHeader) && h.Value == key {
				return d.Id, nil
			}
		}
	}
	return "", nil
}

// draftMessageID is the Message-ID given to the draft with this id.
func draftMessageID(draftID string) string {
	return "<draft-" + draftID + "@workspace-orchestrator>"
}

// buildRaw writes d as an RFC 822 message in UTF-8; Gmail adds From and Date.
func buildRaw(d domain.Draft, r replyTo, messageID, key string) []byte {
	var b bytes.Buffer
	header := func(name, value string) {
		if value != "" {
			fmt.Fprintf(&b, "%s: %s\r\n", name, value)
		}
	}
	header("To", addressList(d.To))
	header("Cc", addressList(d.Cc))
	header("Subject", mime.QEncoding.Encode("utf-8", d.Subject))
	header("Message-ID", messageID)
	header("In-Reply-To", r.messageID)
	header("References", r.references)
	header(draftKeyHeader, key)
	header("MIME-Version", "1.0")
	header("Content-Type", `text/plain; charset="UTF-8"`)
	header("Content-Transfer-Encoding", "8bit")
	b.WriteString("\r\n")
	b.WriteString(strings.ReplaceAll(strings.ReplaceAll(d.Body, "\r\n", "\n"), "\n", "\r\n"))
	return b.Bytes()
}

func addressList(as []domain.Address) string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = (&mail.Address{Name: a.Name, Address: a.Email}).String()
	}
	return strings.Join(out, ", ")
}

func encodeRaw(b []byte) string { return base64.URLEncoding.EncodeToString(b) }
