// RFC 822 / MIME: what the emulator reads from a message's source when it is stored.

package emulator

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	gmail "google.golang.org/api/gmail/v1"
)

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
