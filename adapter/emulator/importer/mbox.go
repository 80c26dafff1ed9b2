package importer

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
)

// Headers Google Takeout (and WriteMbox) put in front of each message. They
// describe the mailbox, not the message, so LoadMbox drops them from Raw.
const (
	loadLabelsHeader  = "X-Gmail-Labels"
	loadThreadHeader  = "X-GM-THRID"
	loadMsgIDsHeader  = "X-Orchestrator-Message-IDs" // WriteMbox's own: every merged copy's Message-ID
	loadMboxFromSpace = "From "
)

// LoadMbox reads an mbox (mboxrd, as Google Takeout writes it). Labels come
// from Takeout's X-Gmail-Labels header ("Inbox", "Sent", "Trash", "Unread",
// "Starred", "Important", "Category Updates", ... become system label ids,
// "Opened" and "Archived" are dropped, anything else is a user label); a
// message without that header is in INBOX. X-GM-THRID gives the thread id.
// Copies of one message are merged as LoadMaildir does. Items are named "#<line>" in LoadErrors.
func LoadMbox(r io.Reader) (emulator.Workspace, []LoadError, error) {
	var (
		m    loadMerger
		errs []LoadError
	)
	err := loadSplitMbox(r, func(line int, fromLine string, raw []byte) {
		msg, err := loadParseMail(raw)
		if err != nil {
			errs = append(errs, LoadError{Path: fmt.Sprintf("#%d", line), Reason: err.Error()})
			return
		}
		labels := []string{"INBOX"}
		if v := msg.Header.Get(loadLabelsHeader); v != "" {
			labels = loadTakeoutLabels(v)
		}
		ids := strings.Fields(msg.Header.Get(loadMsgIDsHeader))
		if len(ids) == 0 {
			ids = loadMessageIDs(msg.Header)
		}
		c := emulator.Message{
			Raw:      loadStripHeaders(raw, loadLabelsHeader, loadThreadHeader, loadMsgIDsHeader),
			LabelIDs: labels, MessageIDs: ids, InternalDate: loadFromLineDate(fromLine),
		}
		// Takeout's X-GM-THRID is the decimal form of Gmail's hex thread id.
		if thrid, err := strconv.ParseUint(strings.TrimSpace(msg.Header.Get(loadThreadHeader)), 10, 64); err == nil {
			c.ThreadID = strconv.FormatUint(thrid, 16)
		}
		m.add(msg, c)
	})
	if err != nil {
		return emulator.Workspace{}, errs, fmt.Errorf("load mbox: %w", err)
	}
	return emulator.Workspace{Messages: m.msgs}, errs, nil
}

var errNotMbox = errors.New("not an mbox: text before the first \"From \" line")

// loadSplitMbox calls fn with each message of an mboxrd stream, its From_
// line and the line number it starts on, with ">From " quoting undone.
func loadSplitMbox(r io.Reader, fn func(line int, fromLine string, raw []byte)) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var (
		cur       []byte
		fromLine  string
		start     int
		inMsg     bool
		prevBlank = true
	)
	flush := func() {
		if inMsg {
			// The blank line before the next From_ line separates messages.
			switch {
			case bytes.HasSuffix(cur, []byte("\n\n")):
				cur = cur[:len(cur)-1]
			case bytes.HasSuffix(cur, []byte("\n\r\n")):
				cur = cur[:len(cur)-2]
			}
			fn(start, fromLine, cur)
		}
	}
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			switch {
			case loadIsFromLine(line, prevBlank):
				flush()
				cur, fromLine, start, inMsg = nil, strings.TrimSpace(string(line)), n, true
			case !inMsg:
				if len(bytes.TrimSpace(line)) > 0 {
					return errNotMbox
				}
			default:
				if q := bytes.TrimLeft(line, ">"); len(q) < len(line) && bytes.HasPrefix(q, []byte(loadMboxFromSpace)) {
					line = line[1:]
				}
				cur = append(cur, line...)
			}
			prevBlank = len(bytes.TrimRight(line, "\r\n")) == 0
		}
		if errors.Is(err, io.EOF) {
			flush()
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// loadIsFromLine tells a From_ line from a body line that starts with
// "From " and that the writer did not quote: it carries a date, or at least
// follows a blank line and names an address.
func loadIsFromLine(line []byte, prevBlank bool) bool {
	if !bytes.HasPrefix(line, []byte(loadMboxFromSpace)) {
		return false
	}
	if !loadFromLineDate(string(line)).IsZero() {
		return true
	}
	f := strings.Fields(string(line))
	return prevBlank && len(f) > 1 && strings.Contains(f[1], "@")
}

// loadFromLineDate reads the delivery date of a From_ line
// ("From 1601@xxx Thu Jan 19 21:05:34 +0000 2021" in Takeout).
func loadFromLineDate(fromLine string) time.Time {
	f := strings.Fields(fromLine)
	if len(f) < 3 {
		return time.Time{}
	}
	s := strings.Join(f[2:], " ")
	for _, layout := range []string{"Mon Jan _2 15:04:05 -0700 2006", time.ANSIC, time.UnixDate} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// loadSystemLabels pairs Gmail system label ids with Takeout's names for them.
func loadSystemLabels() [][2]string {
	return [][2]string{
		{"INBOX", "Inbox"}, {"SENT", "Sent"}, {"TRASH", "Trash"}, {"SPAM", "Spam"},
		{"DRAFT", "Draft"}, {"STARRED", "Starred"}, {"IMPORTANT", "Important"},
		{"UNREAD", "Unread"}, {"CHAT", "Chat"},
		{"CATEGORY_PERSONAL", "Category Personal"}, {"CATEGORY_SOCIAL", "Category Social"},
		{"CATEGORY_PROMOTIONS", "Category Promotions"}, {"CATEGORY_UPDATES", "Category Updates"},
		{"CATEGORY_FORUMS", "Category Forums"},
	}
}

// loadTakeoutLabels splits an X-Gmail-Labels value (comma separated, names
// containing commas in double quotes) into label ids and user label names.
func loadTakeoutLabels(v string) []string {
	var (
		out   []string
		name  strings.Builder
		quote bool
	)
	add := func() {
		s := strings.TrimSpace(name.String())
		name.Reset()
		switch {
		case s == "", strings.EqualFold(s, "Opened"), strings.EqualFold(s, "Archived"):
			return
		case strings.EqualFold(s, "Drafts"):
			s = "Draft"
		}
		for _, p := range loadSystemLabels() {
			if strings.EqualFold(s, p[1]) {
				s = p[0]
				break
			}
		}
		out = loadUnion(out, []string{s})
	}
	for _, r := range v {
		switch {
		case r == '"':
			quote = !quote
		case r == ',' && !quote:
			add()
		default:
			name.WriteRune(r)
		}
	}
	add()
	return out
}

// loadNextLine splits off the first line of b, with its line ending.
func loadNextLine(b []byte) (line, rest []byte) {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i+1], b[i+1:]
	}
	return b, nil
}

// loadStripHeaders removes the named header fields (with their continuation
// lines) from the header section of raw.
func loadStripHeaders(raw []byte, names ...string) []byte {
	var out []byte
	skipping := false
	for rest := raw; len(rest) > 0; {
		var line []byte
		line, rest = loadNextLine(rest)
		if len(bytes.TrimRight(line, "\r\n")) == 0 { // end of the header section
			return append(append(out, line...), rest...)
		}
		if line[0] != ' ' && line[0] != '\t' {
			skipping = false
			if colon := bytes.IndexByte(line, ':'); colon > 0 {
				field := string(bytes.TrimSpace(line[:colon]))
				for _, n := range names {
					skipping = skipping || strings.EqualFold(field, n)
				}
			}
		}
		if !skipping {
			out = append(out, line...)
		}
	}
	return out
}

// WriteMbox writes messages as Google Takeout does (mboxrd with a From_ line
// per message, X-GM-THRID for a hex ThreadID and an X-Gmail-Labels header),
// so LoadMbox reads them back with the same labels and threads. Messages merged from several copies also get an
// X-Orchestrator-Message-IDs header listing every copy's Message-ID.
func WriteMbox(w io.Writer, msgs []emulator.Message) error {
	bw := bufio.NewWriter(w)
	for i, msg := range msgs {
		eol := "\n"
		if j := bytes.IndexByte(msg.Raw, '\n'); j > 0 && msg.Raw[j-1] == '\r' {
			eol = "\r\n"
		}
		fmt.Fprintf(bw, "From %d@xxx %s\n", i+1, msg.InternalDate.UTC().Format("Mon Jan _2 15:04:05 -0700 2006"))
		if thrid, err := strconv.ParseUint(msg.ThreadID, 16, 64); err == nil {
			fmt.Fprintf(bw, "%s: %d%s", loadThreadHeader, thrid, eol)
		}
		fmt.Fprintf(bw, "%s: %s%s", loadLabelsHeader, loadTakeoutNames(msg.LabelIDs), eol)
		if len(msg.MessageIDs) > 1 {
			fmt.Fprintf(bw, "%s: %s%s", loadMsgIDsHeader, strings.Join(msg.MessageIDs, eol+" "), eol)
		}
		for rest := msg.Raw; len(rest) > 0; {
			var line []byte
			line, rest = loadNextLine(rest)
			if bytes.HasPrefix(bytes.TrimLeft(line, ">"), []byte(loadMboxFromSpace)) {
				bw.WriteByte('>')
			}
			bw.Write(line)
		}
		if !bytes.HasSuffix(msg.Raw, []byte("\n")) {
			bw.WriteString(eol)
		}
		bw.WriteString("\n")
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write mbox: %w", err)
	}
	return nil
}

func loadTakeoutNames(labelIDs []string) string {
	names := make([]string, 0, len(labelIDs))
	for _, id := range labelIDs {
		name := id
		for _, p := range loadSystemLabels() {
			if id == p[0] {
				name = p[1]
				break
			}
		}
		if strings.ContainsAny(name, ",\"") {
			name = `"` + strings.ReplaceAll(name, `"`, "") + `"`
		}
		names = append(names, name)
	}
	return strings.Join(names, ",")
}
