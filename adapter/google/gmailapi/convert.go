package gmailapi

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding/htmlindex"
	"google.golang.org/api/gmail/v1"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// toEmail converts a message fetched with format=full; labelNames maps label
// ids to names (user labels have opaque ids).
func toEmail(m *gmail.Message, labelNames map[string]string) domain.Email {
	e := domain.Email{
		EmailID:    m.Id,
		ThreadID:   m.ThreadId,
		Snippet:    html.UnescapeString(m.Snippet),
		HistoryID:  m.HistoryId,
		ReceivedAt: time.UnixMilli(m.InternalDate).UTC(),
		Labels:     make([]string, 0, len(m.LabelIds)),
	}
	for _, id := range m.LabelIds {
		if id == "UNREAD" {
			e.Unread = true
		}
		name := id
		if n, ok := labelNames[id]; ok {
			name = n
		}
		e.Labels = append(e.Labels, name)
	}
	if m.Payload == nil {
		return e
	}
	var xFrom string
	for _, h := range m.Payload.Headers {
		v := decodeHeader(h.Value)
		switch strings.ToLower(h.Name) {
		case "x-from":
			xFrom = v
		case "subject":
			e.Subject = clean(v)
		case "from":
			if as := addresses(v); len(as) > 0 {
				e.From = as[0]
			}
		case "to":
			e.To = append(e.To, addresses(v)...)
		case "cc":
			e.Cc = append(e.Cc, addresses(v)...)
		case "message-id":
			for _, id := range msgIDRe.FindAllString(v, -1) {
				if !slices.Contains(e.MessageIDs, id) {
					e.MessageIDs = append(e.MessageIDs, id)
				}
			}
		}
	}
	if e.From.Name == "" {
		e.From.Name = exchangeName(xFrom)
	}
	var plain, htm strings.Builder
	e.HasAttachment = walk(m.Payload, &plain, &htm)
	e.Body = plain.String()
	if strings.TrimSpace(e.Body) == "" {
		e.Body = htmlText(htm.String())
	}
	e.Body = clean(e.Body)
	return e
}

var msgIDRe = regexp.MustCompile(`<[^<>\s]+>`)

// exchangeName reads a sender's display name from an X-From header, which
// Exchange and Lotus Notes exports (Enron's among them) keep when From holds
// only the address: `Rosalee Fleming <...>` or `Kenneth Lay@ENRON`.
func exchangeName(xFrom string) string {
	name := xFrom
	if i := strings.Index(name, "<"); i > 0 {
		name = name[:i]
	}
	name = strings.TrimSuffix(strings.TrimSpace(name), "@ENRON")
	if strings.Contains(name, "@") {
		return "" // an address, not a name
	}
	return strings.Trim(name, `" `)
}

// walk collects the text/plain and text/html bodies of a MIME tree and
// reports whether it holds an attachment.
func walk(p *gmail.MessagePart, plain, htm *strings.Builder) (attachment bool) {
	if p.Filename != "" || strings.EqualFold(disposition(p), "attachment") {
		return true
	}
	switch mt := strings.ToLower(p.MimeType); {
	case strings.HasPrefix(mt, "multipart/"):
		for _, c := range p.Parts {
			if walk(c, plain, htm) {
				attachment = true
			}
		}
	case mt == "text/plain" || mt == "" || mt == "text/html":
		if p.Body == nil || p.Body.Data == "" {
			return p.Body != nil && p.Body.AttachmentId != ""
		}
		text := decodeBody(p.Body.Data, charset(p))
		out := plain
		if mt == "text/html" {
			out = htm
		}
		if out.Len() > 0 {
			out.WriteString("\n\n")
		}
		out.WriteString(text)
	default:
		// Anything else (images, application/*, message/rfc822) is an attachment.
		return true
	}
	return attachment
}

func disposition(p *gmail.MessagePart) string {
	for _, h := range p.Headers {
		if strings.EqualFold(h.Name, "Content-Disposition") {
			d, _, _ := mime.ParseMediaType(h.Value)
			return d
		}
	}
	return ""
}

func charset(p *gmail.MessagePart) string {
	for _, h := range p.Headers {
		if strings.EqualFold(h.Name, "Content-Type") {
			if _, params, err := mime.ParseMediaType(h.Value); err == nil {
				return params["charset"]
			}
		}
	}
	return ""
}

// decodeBody decodes Gmail's base64url body data into UTF-8: bytes that are
// already valid UTF-8 are kept, others are read in their declared charset
// (Windows-1252 when none or unknown, the usual reality of old mail).
func decodeBody(data, cs string) string {
	raw, err := base64.URLEncoding.DecodeString(data)
	if err != nil {
		if raw, err = base64.RawURLEncoding.DecodeString(strings.TrimRight(data, "=")); err != nil {
			return ""
		}
	}
	if utf8.Valid(raw) {
		return string(raw)
	}
	enc, err := htmlindex.Get(cs)
	if err != nil {
		enc, _ = htmlindex.Get("windows-1252")
	}
	out, err := enc.NewDecoder().Bytes(raw)
	if err != nil {
		return strings.ToValidUTF8(string(raw), "\uFFFD")
	}
	return string(out)
}

var wordDecoder = mime.WordDecoder{CharsetReader: func(cs string, r io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(cs)
	if err != nil {
		return nil, fmt.Errorf("charset %q: %w", cs, err)
	}
	return enc.NewDecoder().Reader(r), nil
}}

// decodeHeader decodes RFC 2047 encoded words, if Google left any.
func decodeHeader(v string) string {
	if !strings.Contains(v, "=?") {
		return v
	}
	if d, err := wordDecoder.DecodeHeader(v); err == nil {
		return d
	}
	return v
}

// addresses parses an address list leniently: old mail is full of malformed
// lists, so entries that do not parse are kept as bare addresses.
func addresses(v string) []domain.Address {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	if list, err := mail.ParseAddressList(v); err == nil {
		out := make([]domain.Address, len(list))
		for i, a := range list {
			out[i] = domain.Address{Name: a.Name, Email: strings.ToLower(a.Address)}
		}
		return out
	}
	var out []domain.Address
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if a, err := mail.ParseAddress(part); err == nil {
			out = append(out, domain.Address{Name: a.Name, Email: strings.ToLower(a.Address)})
			continue
		}
		out = append(out, domain.Address{Email: strings.ToLower(strings.Trim(part, "<>\"' "))})
	}
	return out
}

// htmlText renders HTML as plain text: no scripts or styles, line breaks for
// blocks, entities decoded.
func htmlText(s string) string {
	if s == "" {
		return ""
	}
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			if skip == 0 {
				b.Write(bytes.Join(bytes.Fields(z.Text()), []byte(" ")))
				b.WriteByte(' ')
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style", "head", "title":
				skip++
			case "br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "hr":
				b.WriteByte('\n')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style", "head", "title":
				skip = max(skip-1, 0)
			case "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table":
				b.WriteByte('\n')
			}
		}
	}
}

// clean makes text safe for PostgreSQL (no NUL) and tidy: CRLF to LF, no
// trailing blanks, no runs of blank lines, trimmed.
func clean(s string) string {
	s = strings.ReplaceAll(s, "\x00", "")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = trailingBlanks.ReplaceAllString(s, "\n")
	s = blankRuns.ReplaceAllString(s, "\n\n")
	return strings.TrimSpace(s)
}

var (
	trailingBlanks = regexp.MustCompile(`[ \t]+\n`)
	blankRuns      = regexp.MustCompile(`\n{3,}`)
)
