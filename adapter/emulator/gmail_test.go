package emulator_test

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	gmail "google.golang.org/api/gmail/v1"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
	"github.com/workspace-orchestrator/orchestrator/adapter/emulator/emulatortest"
)

const multipartMail = "From: Carol <carol@example.com>\r\nTo: alice@example.com\r\nSubject: =?UTF-8?Q?Budget_r=C3=A9vision?=\r\n" +
	"Date: Mon, 02 Mar 2026 08:00:00 +0000\r\nMessage-ID: <budget@example.com>\r\nMIME-Version: 1.0\r\n" +
	"Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n" +
	"--b1\r\nContent-Type: multipart/alternative; boundary=\"b2\"\r\n\r\n" +
	"--b2\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nThe budget is =E2=82=AC5k.\r\n" +
	"--b2\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>The budget is &euro;5k.</p>\r\n--b2--\r\n" +
	"--b1\r\nContent-Type: text/csv; name=\"budget.csv\"\r\nContent-Disposition: attachment; filename=\"budget.csv\"\r\n" +
	"Content-Transfer-Encoding: base64\r\n\r\nYSxiCjEsMgo=\r\n--b1--\r\n"

func mailbox() emulator.Workspace {
	first := emulatortest.Mail("bob@example.com", alice, "Quarterly plan", "Let us plan Q2.", base, "INBOX", "UNREAD")
	return emulator.Workspace{Messages: []emulator.Message{
		first,
		emulatortest.Reply(first, alice, "bob@example.com", "Sounds good.", base.Add(time.Hour), "SENT"),
		emulatortest.Mail("dave@example.com", alice, "Lunch?", "Pizza on friday", base.Add(2*time.Hour), "INBOX", "Personal"),
		emulatortest.Mail("erin@example.com", alice, "Old news", "From last year", base.AddDate(-1, 0, 0), "Archive/2025"),
		{Raw: []byte(multipartMail), LabelIDs: []string{"INBOX"}},
	}}
}

func listIDs(t *testing.T, b bundle, call *gmail.UsersMessagesListCall) []string {
	t.Helper()
	var ids []string
	require.NoError(t, call.Pages(b.ctx, func(r *gmail.ListMessagesResponse) error {
		for _, m := range r.Messages {
			ids = append(ids, m.Id)
		}
		return nil
	}))
	return ids
}

func subjects(t *testing.T, b bundle, ids []string) []string {
	t.Helper()
	var out []string
	for _, id := range ids {
		m, err := b.gm.Users.Messages.Get("me", id).Format("metadata").MetadataHeaders("Subject").Context(b.ctx).Do()
		require.NoError(t, err)
		require.Len(t, m.Payload.Headers, 1)
		out = append(out, m.Payload.Headers[0].Value)
	}
	return out
}

func TestGmailListPaginatesNewestFirst(t *testing.T) {
	t.Parallel()
	b := setup(t, emulator.Config{}, mailbox())
	first, err := b.gm.Users.Messages.List("me").MaxResults(2).Context(b.ctx).Do()
	require.NoError(t, err)
	require.Len(t, first.Messages, 2)
	require.NotEmpty(t, first.NextPageToken)
	require.EqualValues(t, 5, first.ResultSizeEstimate)

	ids := listIDs(t, b, b.gm.Users.Messages.List("me").MaxResults(2))
	require.Len(t, ids, 5)
	require.Equal(t, []string{"Lunch?", "Re: Quarterly plan", "Quarterly plan", "Budget révision", "Old news"}, subjects(t, b, ids))
}

func TestGmailSearch(t *testing.T) {
	t.Parallel()
	b := setup(t, emulator.Config{}, mailbox())
	cases := map[string][]string{
		"from:bob":                           {"Quarterly plan"},
		"to:bob@example.com":                 {"Re: Quarterly plan"},
		"subject:plan":                       {"Re: Quarterly plan", "Quarterly plan"},
		"pizza":                              {"Lunch?"},
		`"budget is"`:                        {"Budget révision"},
		"label:personal":                     {"Lunch?"},
		"label:archive-2025":                 {"Old news"},
		"after:2026/03/02 before:2026/03/03": {"Lunch?", "Re: Quarterly plan", "Quarterly plan", "Budget révision"},
		"is:unread":                          {"Quarterly plan"},
		"has:attachment":                     {"Budget révision"},
		"rfc822msgid:budget@example.com":     {"Budget révision"},
		"subject:plan -from:alice":           {"Quarterly plan"},
	}
	for q, want := range cases {
		require.Equal(t, want, subjects(t, b, listIDs(t, b, b.gm.Users.Messages.List("me").Q(q))), q)
	}
	require.Equal(t, []string{"Lunch?", "Quarterly plan", "Budget révision"},
		subjects(t, b, listIDs(t, b, b.gm.Users.Messages.List("me").LabelIds("INBOX"))))
}

func TestGmailGetFormats(t *testing.T) {
	t.Parallel()
	b := setup(t, emulator.Config{}, mailbox())
	ids := listIDs(t, b, b.gm.Users.Messages.List("me").Q("has:attachment"))
	require.Len(t, ids, 1)

	full, err := b.gm.Users.Messages.Get("me", ids[0]).Format("full").Context(b.ctx).Do()
	require.NoError(t, err)
	require.Equal(t, "multipart/mixed", full.Payload.MimeType)
	require.Equal(t, "The budget is €5k.", full.Snippet)
	require.NotZero(t, full.HistoryId)
	require.Equal(t, time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC).UnixMilli(), full.InternalDate)
	require.Len(t, full.Payload.Parts, 2)
	alt := full.Payload.Parts[0]
	require.Equal(t, "0", alt.PartId)
	require.Equal(t, "0.0", alt.Parts[0].PartId)
	text, err := base64.URLEncoding.DecodeString(alt.Parts[0].Body.Data)
	require.NoError(t, err)
	require.Equal(t, "The budget is €5k.", string(text))
	att := full.Payload.Parts[1]
	require.Equal(t, "budget.csv", att.Filename)
	require.NotEmpty(t, att.Body.AttachmentId)
	body, err := b.gm.Users.Messages.Attachments.Get("me", ids[0], att.Body.AttachmentId).Context(b.ctx).Do()
	require.NoError(t, err)
	data, err := base64.URLEncoding.DecodeString(body.Data)
	require.NoError(t, err)
	require.Equal(t, "a,b\n1,2\n", string(data))

	raw, err := b.gm.Users.Messages.Get("me", ids[0]).Format("raw").Context(b.ctx).Do()
	require.NoError(t, err)
	src, err := base64.URLEncoding.DecodeString(raw.Raw)
	require.NoError(t, err)
	require.Equal(t, multipartMail, string(src))
	require.EqualValues(t, len(multipartMail), raw.SizeEstimate)

	minimal, err := b.gm.Users.Messages.Get("me", ids[0]).Format("minimal").Context(b.ctx).Do()
	require.NoError(t, err)
	require.Nil(t, minimal.Payload)
	require.Equal(t, []string{"INBOX"}, minimal.LabelIds)

	_, err = b.gm.Users.Messages.Get("me", "nope").Context(b.ctx).Do()
	apiErr(t, err, 404)
}

func TestGmailThreadsRepliesAndLabels(t *testing.T) {
	t.Parallel()
	b := setup(t, emulator.Config{}, mailbox())
	ids := listIDs(t, b, b.gm.Users.Messages.List("me").Q("subject:plan"))
	require.Len(t, ids, 2)
	a, err := b.gm.Users.Messages.Get("me", ids[0]).Format("minimal").Context(b.ctx).Do()
	require.NoError(t, err)
	c, err := b.gm.Users.Messages.Get("me", ids[1]).Format("minimal").Context(b.ctx).Do()
	require.NoError(t, err)
	require.Equal(t, a.ThreadId, c.ThreadId)

	labels, err := b.gm.Users.Labels.List("me").Context(b.ctx).Do()
	require.NoError(t, err)
	names := map[string]string{}
	for _, l := range labels.Labels {
		names[l.Name] = l.Type
	}
	require.Equal(t, "user", names["Personal"])
	require.Equal(t, "user", names["Archive/2025"])
	require.Equal(t, "system", names["INBOX"])

	p, err := b.gm.Users.GetProfile("me").Context(b.ctx).Do()
	require.NoError(t, err)
	require.Equal(t, alice, p.EmailAddress)
	require.EqualValues(t, 5, p.MessagesTotal)
	require.EqualValues(t, 4, p.ThreadsTotal)
}

func historyOf(t *testing.T, b bundle, start uint64) (*gmail.ListHistoryResponse, error) {
	t.Helper()
	out := &gmail.ListHistoryResponse{}
	err := b.gm.Users.History.List("me").StartHistoryId(start).MaxResults(2).Pages(b.ctx, func(r *gmail.ListHistoryResponse) error {
		out.History = append(out.History, r.History...)
		out.HistoryId = r.HistoryId
		return nil
	})
	return out, err
}

func TestGmailIncrementalHistory(t *testing.T) {
	t.Parallel()
	b := setup(t, emulator.Config{}, mailbox())
	p, err := b.gm.Users.GetProfile("me").Context(b.ctx).Do()
	require.NoError(t, err)
	start := p.HistoryId

	require.NoError(t, b.srv.AddWorkspace(alice, emulator.Workspace{Messages: []emulator.Message{
		emulatortest.Mail("frank@example.com", alice, "New one", "fresh", base.Add(3*time.Hour), "INBOX")}}))
	lunch := listIDs(t, b, b.gm.Users.Messages.List("me").Q("subject:lunch"))[0]
	_, err = b.gm.Users.Messages.Trash("me", lunch).Context(b.ctx).Do()
	require.NoError(t, err)
	old := listIDs(t, b, b.gm.Users.Messages.List("me").Q("subject:old"))[0]
	_, err = b.gm.Users.Messages.Modify("me", old, &gmail.ModifyMessageRequest{AddLabelIds: []string{"STARRED"}}).Context(b.ctx).Do()
	require.NoError(t, err)
	require.NoError(t, b.srv.DeleteMessage(alice, old))

	h, err := historyOf(t, b, start)
	require.NoError(t, err)
	require.Len(t, h.History, 4)
	require.Equal(t, "New one", subjects(t, b, []string{h.History[0].MessagesAdded[0].Message.Id})[0])
	require.Equal(t, lunch, h.History[1].LabelsAdded[0].Message.Id)
	require.Equal(t, []string{"TRASH"}, h.History[1].LabelsAdded[0].LabelIds)
	require.Equal(t, []string{"INBOX"}, h.History[1].LabelsRemoved[0].LabelIds)
	require.Equal(t, []string{"STARRED"}, h.History[2].LabelsAdded[0].LabelIds)
	require.Equal(t, old, h.History[3].MessagesDeleted[0].Message.Id)
	require.Equal(t, h.History[3].Id, h.HistoryId)

	// Trashed mail leaves the default listing but stays reachable with includeSpamTrash.
	require.NotContains(t, listIDs(t, b, b.gm.Users.Messages.List("me")), lunch)
	require.Contains(t, listIDs(t, b, b.gm.Users.Messages.List("me").IncludeSpamTrash(true)), lunch)
	require.Equal(t, []string{lunch}, listIDs(t, b, b.gm.Users.Messages.List("me").LabelIds("TRASH")))
	require.Equal(t, []string{lunch}, listIDs(t, b, b.gm.Users.Messages.List("me").Q("in:trash")))

	added, err := b.gm.Users.History.List("me").StartHistoryId(start).HistoryTypes("messageDeleted").Context(b.ctx).Do()
	require.NoError(t, err)
	require.Len(t, added.History, 1)

	empty, err := b.gm.Users.History.List("me").StartHistoryId(h.HistoryId).Context(b.ctx).Do()
	require.NoError(t, err)
	require.Empty(t, empty.History)
	require.Equal(t, h.HistoryId, empty.HistoryId)
}

func TestGmailHistoryTooOldAnswers404(t *testing.T) {
	t.Parallel()
	b := setup(t, emulator.Config{HistoryRetention: 3}, mailbox())
	p, err := b.gm.Users.GetProfile("me").Context(b.ctx).Do()
	require.NoError(t, err)
	_, err = historyOf(t, b, p.HistoryId-3) // the last 3 records are kept
	require.NoError(t, err)
	_, err = historyOf(t, b, p.HistoryId-4)
	gerr := apiErr(t, err, 404)
	require.Equal(t, "notFound", gerr.Errors[0].Reason)
	_, err = historyOf(t, b, p.HistoryId+1)
	apiErr(t, err, 404)

	require.NoError(t, b.srv.ResetHistory(alice))
	_, err = historyOf(t, b, p.HistoryId)
	apiErr(t, err, 404)
	p, err = b.gm.Users.GetProfile("me").Context(b.ctx).Do()
	require.NoError(t, err)
	_, err = historyOf(t, b, p.HistoryId)
	require.NoError(t, err)
}

func rawOf(s string) string { return base64.URLEncoding.EncodeToString([]byte(s)) }

func TestGmailDraftsSendOnce(t *testing.T) {
	t.Parallel()
	b := setup(t, emulator.Config{}, emulator.Workspace{})
	require.NoError(t, b.srv.AddWorkspace("bob@example.com", emulator.Workspace{}))
	d, err := b.gm.Users.Drafts.Create("me", &gmail.Draft{Message: &gmail.Message{
		Raw: rawOf("To: bob@example.com\r\nSubject: Draft one\r\n\r\nfirst text")}}).Context(b.ctx).Do()
	require.NoError(t, err)
	require.NotEmpty(t, d.Id)
	require.Equal(t, []string{"DRAFT"}, d.Message.LabelIds)

	d, err = b.gm.Users.Drafts.Update("me", d.Id, &gmail.Draft{Message: &gmail.Message{
		Raw: rawOf("To: bob@example.com\r\nSubject: Draft two\r\n\r\nsecond text")}}).Context(b.ctx).Do()
	require.NoError(t, err)
	got, err := b.gm.Users.Drafts.Get("me", d.Id).Format("full").Context(b.ctx).Do()
	require.NoError(t, err)
	require.Equal(t, "second text", got.Message.Snippet)
	list, err := b.gm.Users.Drafts.List("me").Context(b.ctx).Do()
	require.NoError(t, err)
	require.Len(t, list.Drafts, 1)

	sent, err := b.gm.Users.Drafts.Send("me", &gmail.Draft{Id: d.Id}).Context(b.ctx).Do()
	require.NoError(t, err)
	require.Equal(t, []string{"SENT"}, sent.LabelIds)
	_, err = b.gm.Users.Drafts.Send("me", &gmail.Draft{Id: d.Id}).Context(b.ctx).Do()
	apiErr(t, err, 404)
	_, err = b.gm.Users.Drafts.Get("me", d.Id).Context(b.ctx).Do()
	apiErr(t, err, 404)

	full, err := b.gm.Users.Messages.Get("me", sent.Id).Format("metadata").MetadataHeaders("From", "Subject").Context(b.ctx).Do()
	require.NoError(t, err)
	require.Equal(t, "From", full.Payload.Headers[0].Name)
	require.Equal(t, alice, full.Payload.Headers[0].Value)
	require.Equal(t, []string{"SENT"}, full.LabelIds)

	// The local recipient gets it in the inbox.
	bob, err := b.srv.Snapshot("bob@example.com")
	require.NoError(t, err)
	require.Len(t, bob.Messages, 1)
	require.ElementsMatch(t, []string{"INBOX", "UNREAD"}, bob.Messages[0].LabelIDs)

	d2, err := b.gm.Users.Drafts.Create("me", &gmail.Draft{}).Media(strings.NewReader("Subject: x\r\n\r\nuploaded")).Context(b.ctx).Do()
	require.NoError(t, err)
	up, err := b.gm.Users.Drafts.Get("me", d2.Id).Context(b.ctx).Do()
	require.NoError(t, err)
	require.Equal(t, "uploaded", up.Message.Snippet)
	require.NoError(t, b.gm.Users.Drafts.Delete("me", d2.Id).Context(b.ctx).Do())
	apiErr(t, b.gm.Users.Drafts.Delete("me", d2.Id).Context(b.ctx).Do(), 404)
}

func TestGmailSendInsertImport(t *testing.T) {
	t.Parallel()
	b := setup(t, emulator.Config{}, emulator.Workspace{})
	sent, err := b.gm.Users.Messages.Send("me", &gmail.Message{Raw: rawOf("To: zed@example.com\r\nSubject: Hi\r\n\r\nhello")}).Context(b.ctx).Do()
	require.NoError(t, err)
	require.Equal(t, []string{"SENT"}, sent.LabelIds)

	src := string(emulatortest.RawMail("old@example.com", alice, "Imported", "from takeout", base.AddDate(0, -1, 0)))
	ins, err := b.gm.Users.Messages.Insert("me", &gmail.Message{LabelIds: []string{"INBOX"}}).
		InternalDateSource("dateHeader").Media(strings.NewReader(src)).Context(b.ctx).Do()
	require.NoError(t, err)
	got, err := b.gm.Users.Messages.Get("me", ins.Id).Format("raw").Context(b.ctx).Do()
	require.NoError(t, err)
	require.Equal(t, base.AddDate(0, -1, 0).UnixMilli(), got.InternalDate)
	require.Equal(t, []string{"INBOX"}, got.LabelIds)

	imp, err := b.gm.Users.Messages.Import("me", &gmail.Message{Raw: rawOf(src)}).Context(b.ctx).Do()
	require.NoError(t, err)
	require.ElementsMatch(t, []string{"INBOX", "UNREAD"}, imp.LabelIds)

	_, err = b.gm.Users.Messages.Insert("me", &gmail.Message{LabelIds: []string{"NOPE"}, Raw: rawOf(src)}).Context(b.ctx).Do()
	apiErr(t, err, 400)

	w, err := b.gm.Users.Watch("me", &gmail.WatchRequest{TopicName: "projects/p/topics/t"}).Context(b.ctx).Do()
	require.NoError(t, err)
	require.NotZero(t, w.HistoryId)
	require.Greater(t, w.Expiration, time.Now().UnixMilli())
}
