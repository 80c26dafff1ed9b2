package gmailapi

import (
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/api/gmail/v1"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

func b64(s string) string { return base64.URLEncoding.EncodeToString([]byte(s)) }

func TestToEmailPrefersPlainTextAndFindsAttachments(t *testing.T) {
	t.Parallel()
	m := &gmail.Message{
		Id: "m1", ThreadId: "t1", LabelIds: []string{"INBOX", "UNREAD", "Label_7"}, Snippet: "it&#39;s here", InternalDate: 1700000000000,
		Payload: &gmail.MessagePart{
			MimeType: "multipart/mixed",
			Headers: []*gmail.MessagePartHeader{
				{Name: "Subject", Value: "=?iso-8859-1?q?Caf=E9?="},
				{Name: "From", Value: "Ann <ANN@Example.com>"},
				{Name: "To", Value: "bob@example.com, broken <<x"},
				{Name: "Message-ID", Value: "<a@x> <b@x>"},
			},
			Parts: []*gmail.MessagePart{
				{MimeType: "multipart/alternative", Parts: []*gmail.MessagePart{
					{MimeType: "text/plain", Body: &gmail.MessagePartBody{Data: b64("Hello\r\n\r\n\r\n\r\nthere\x00")}},
					{MimeType: "text/html", Body: &gmail.MessagePartBody{Data: b64("<p>Hello</p>")}},
				}},
				{MimeType: "image/png", Filename: "a.png", Body: &gmail.MessagePartBody{AttachmentId: "att"}},
			},
		},
	}
	e := toEmail(m, map[string]string{"Label_7": "Projects"})
	require.Equal(t, "Café", e.Subject)
	require.Equal(t, "it's here", e.Snippet)
	require.Equal(t, domain.Address{Name: "Ann", Email: "ann@example.com"}, e.From)
	require.Equal(t, "bob@example.com", e.To[0].Email)
	require.Len(t, e.To, 2, "a malformed entry is kept, not the whole list lost")
	require.Equal(t, []string{"<a@x>", "<b@x>"}, e.MessageIDs)
	require.Equal(t, "Hello\n\nthere", e.Body)
	require.True(t, e.HasAttachment)
	require.True(t, e.Unread)
	require.Equal(t, []string{"INBOX", "UNREAD", "Projects"}, e.Labels)
}

func TestDecodeBodyReadsDeclaredCharset(t *testing.T) {
	t.Parallel()
	require.Equal(t, "naïve", decodeBody(b64("na\xefve"), "iso-8859-1"))
	require.Equal(t, "naïve", decodeBody(b64("naïve"), "iso-8859-1"), "valid UTF-8 is kept as it is")
	require.Equal(t, "“quoted”", decodeBody(b64("\x93quoted\x94"), ""), "no charset reads as Windows-1252")
}

func TestHTMLText(t *testing.T) {
	t.Parallel()
	got := htmlText(`<html><head><title>T</title><style>p{}</style></head><body><p>One &amp; two</p><div>three<br>four</div><script>alert(1)</script></body></html>`)
	require.Equal(t, "One & two\n\nthree\nfour", clean(got))
}

func TestToEmailTakesTheSenderNameFromXFrom(t *testing.T) {
	t.Parallel()
	msg := func(from, xFrom string) *gmail.Message {
		return &gmail.Message{Id: "m", Payload: &gmail.MessagePart{MimeType: "text/plain", Headers: []*gmail.MessagePartHeader{
			{Name: "From", Value: from}, {Name: "X-From", Value: xFrom},
		}}}
	}
	require.Equal(t, "Rosalee Fleming", toEmail(msg("rosalee.fleming@enron.com", "Rosalee Fleming"), nil).From.Name)
	require.Equal(t, "Kenneth Lay", toEmail(msg("kenneth.lay@enron.com", "Kenneth Lay@ENRON"), nil).From.Name)
	require.Equal(t, "Jeff Dasovich", toEmail(msg("jeff.dasovich@enron.com", "Jeff Dasovich <Jeff Dasovich/NA/Enron@Enron>"), nil).From.Name)
	require.Equal(t, "Ann", toEmail(msg("Ann <ann@example.com>", "Someone Else"), nil).From.Name, "From's own name wins")
	require.Empty(t, toEmail(msg("x@example.com", "x@example.com"), nil).From.Name)
}
