package emulator

import (
	"cmp"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	drive "google.golang.org/api/drive/v3"

	"github.com/workspace-orchestrator/orchestrator/domain"
)

// MIME types Drive gives special meaning.
const (
	MimeFolder    = "application/vnd.google-apps.folder"
	MimeGoogleDoc = "application/vnd.google-apps.document"
)

// driveStore is one user's My Drive with its change log.
type driveStore struct {
	seq     uint64 // last change; page tokens name the next one
	changes []driveChange
	files   map[string]*driveFile
	rootID  string
}

type driveFile struct {
	File
	parentIDs []string
	created   time.Time
	trashed   bool
	deleted   bool
	version   int64
	perms     []*drive.Permission
}

type driveChange struct {
	seq    uint64
	fileID string
	at     time.Time
}

func newDriveStore(rootID string) *driveStore {
	return &driveStore{files: map[string]*driveFile{}, rootID: rootID}
}

func (s *Server) driveID() string { return fmt.Sprintf("1Emu%029d", s.newID()) }

func (f *driveFile) isFolder() bool { return f.MimeType == MimeFolder }

func (d *driveStore) recordChange(id string, now time.Time) {
	d.seq++
	d.changes = append(d.changes, driveChange{seq: d.seq, fileID: id, at: now})
}

// folderID resolves a parent given as a folder id or a folder name, creating a
// folder under My Drive for a new name.
func (s *Server) folderID(u *user, parent string, now time.Time) string {
	d := u.drive
	if parent == "root" || parent == d.rootID {
		return d.rootID
	}
	if f, ok := d.files[parent]; ok && f.isFolder() {
		return f.ID
	}
	for _, f := range d.files {
		if f.isFolder() && !f.deleted && f.Name == parent {
			return f.ID
		}
	}
	f := &driveFile{File: File{ID: s.driveID(), Name: parent, MimeType: MimeFolder, Owners: []string{u.email}, ModifiedTime: now},
		parentIDs: []string{d.rootID}, created: now, version: 1}
	d.files[f.ID] = f
	d.recordChange(f.ID, now)
	return f.ID
}

// putFile stores f for u, replacing a file with the same id, and records a change.
func (s *Server) putFile(u *user, f File, now time.Time) (*driveFile, error) {
	if strings.TrimSpace(f.Name) == "" {
		return nil, fmt.Errorf("file without a name: %w", domain.ErrInvalidInput)
	}
	if f.ID == "" {
		f.ID = s.driveID()
	}
	f.MimeType = cmp.Or(f.MimeType, "application/octet-stream")
	if len(f.Owners) == 0 {
		f.Owners = []string{u.email}
	}
	if f.ModifiedTime.IsZero() {
		f.ModifiedTime = now
	}
	parents := []string{}
	for _, p := range f.Parents {
		parents = append(parents, s.folderID(u, p, now))
	}
	if len(parents) == 0 {
		parents = []string{u.drive.rootID}
	}
	df, ok := u.drive.files[f.ID]
	if !ok {
		df = &driveFile{created: now}
		u.drive.files[f.ID] = df
	}
	df.File, df.parentIDs, df.deleted = f, parents, false
	df.version++
	u.drive.recordChange(f.ID, now)
	return df, nil
}

func (f *driveFile) apiFile(owner string) *drive.File {
	out := &drive.File{Kind: "drive#file", Id: f.ID, Name: f.Name, MimeType: f.MimeType, Description: f.Description,
		Parents: slices.Clone(f.parentIDs), CreatedTime: rfc3339ms(f.created), ModifiedTime: rfc3339ms(f.ModifiedTime),
		Trashed: f.trashed, ExplicitlyTrashed: f.trashed, Version: f.version, Properties: f.Properties,
		WebViewLink: "https://drive.google.com/file/d/" + f.ID + "/view", Spaces: []string{"drive"}, Shared: len(f.perms) > 0}
	if strings.HasPrefix(f.MimeType, "application/vnd.google-apps.") {
		out.WebViewLink = "https://docs.google.com/document/d/" + f.ID + "/edit"
	} else {
		sum := md5.Sum(f.Content)
		out.Size, out.Md5Checksum = int64(len(f.Content)), hex.EncodeToString(sum[:])
	}
	for _, o := range f.Owners {
		me := strings.EqualFold(o, owner)
		out.OwnedByMe = out.OwnedByMe || me
		out.Owners = append(out.Owners, &drive.User{Kind: "drive#user", EmailAddress: o, DisplayName: o, Me: me})
	}
	return out
}

func (s *Server) routeDrive() {
	for _, pre := range []string{"", "/drive/v3"} {
		s.handle(withFields(s.filesList, defaultListFields), "GET "+pre+"/files")
		s.handle(withFields(s.filesGet, defaultFileFields), "GET "+pre+"/files/{fileId}")
		s.handle(withFields(s.filesUpdate, defaultFileFields), "PATCH "+pre+"/files/{fileId}")
		s.handle(s.filesExport, "GET "+pre+"/files/{fileId}/export")
		s.handle(s.permissionsList, "GET "+pre+"/files/{fileId}/permissions")
		s.handle(s.permissionsCreate, "POST "+pre+"/files/{fileId}/permissions")
		s.handle(s.startPageToken, "GET "+pre+"/changes/startPageToken")
		s.handle(withFields(s.changesList, defaultChangesFields), "GET "+pre+"/changes")
		s.handle(s.changesWatch, "POST "+pre+"/changes/watch")
		s.handle(s.filesWatch, "POST "+pre+"/files/{fileId}/watch")
	}
	// channels.stop under the bare prefix is registered by routeCalendar and serves both APIs.
	s.handle(s.channelsStop, "POST /drive/v3/channels/stop")
}

func errFileNotFound(id string) *apiError {
	return &apiError{code: http.StatusNotFound, reason: "notFound", message: "File not found: " + id + "."}
}

func (s *Server) file(c *call) (*driveFile, *apiError) {
	id := c.r.PathValue("fileId")
	if id == "root" {
		id = c.u.drive.rootID
	}
	if id == c.u.drive.rootID {
		return &driveFile{File: File{ID: id, Name: "My Drive", MimeType: MimeFolder, Owners: []string{c.u.email}}, version: 1}, nil
	}
	f, ok := c.u.drive.files[id]
	if !ok || f.deleted {
		return nil, errFileNotFound(id)
	}
	return f, nil
}

func (s *Server) filesGet(c *call) (any, *apiError) {
	f, aerr := s.file(c)
	if aerr != nil {
		return nil, aerr
	}
	if c.query("alt") != "media" {
		return f.apiFile(c.u.email), nil
	}
	if strings.HasPrefix(f.MimeType, "application/vnd.google-apps.") {
		return nil, &apiError{code: http.StatusForbidden, reason: "fileNotDownloadable",
			message: "Only files with binary content can be downloaded. Use Export with Docs Editors files."}
	}
	return media{contentType: f.MimeType, data: f.Content}, nil
}

func (s *Server) filesExport(c *call) (any, *apiError) {
	f, aerr := s.file(c)
	if aerr != nil {
		return nil, aerr
	}
	if f.MimeType != MimeGoogleDoc {
		return nil, &apiError{code: http.StatusForbidden, reason: "fileNotExportable", message: "Export only supports Docs Editors files."}
	}
	switch mt := c.query("mimeType"); mt {
	case "text/plain", "text/markdown":
		return media{contentType: mt, data: f.Content}, nil
	case "":
		return nil, &apiError{code: http.StatusBadRequest, reason: "required", message: "Required parameter: mimeType"}
	default:
		return nil, &apiError{code: http.StatusBadRequest, reason: "badRequest", message: "The requested conversion is not supported."}
	}
}

// filesUpdate applies a metadata-only PATCH: name, description, trashed, properties.
func (s *Server) filesUpdate(c *call) (any, *apiError) {
	f, aerr := s.file(c)
	if aerr != nil {
		return nil, aerr
	}
	var in drive.File
	if aerr := c.decode(&in); aerr != nil {
		return nil, aerr
	}
	var fields map[string]json.RawMessage
	_ = json.Unmarshal(c.body, &fields) // decoded above, cannot fail
	if in.Name != "" {
		f.Name = in.Name
	}
	if _, ok := fields["description"]; ok {
		f.Description = in.Description
	}
	if _, ok := fields["trashed"]; ok {
		f.trashed = in.Trashed
	}
	if in.Properties != nil {
		f.Properties = in.Properties
	}
	s.touchFile(c.u, f, c.now, true)
	return f.apiFile(c.u.email), nil
}

// touchFile records a change to f; sharing changes do not move modifiedTime.
func (s *Server) touchFile(u *user, f *driveFile, now time.Time, modified bool) {
	if modified {
		f.ModifiedTime = now
	}
	f.version++
	u.drive.recordChange(f.ID, now)
	s.notifyLocked(u, svcDrive)
}

func (s *Server) filesList(c *call) (any, *apiError) {
	size, aerr := pageSize(c, "pageSize", 100, 1000)
	if aerr != nil {
		return nil, aerr
	}
	match, aerr := parseDriveQuery(c.query("q"), c.u.drive.rootID)
	if aerr != nil {
		return nil, aerr
	}
	key := func(f *driveFile) string { return strings.ToLower(f.Name) + "\x00" + f.ID }
	switch strings.TrimSpace(c.query("orderBy")) {
	case "modifiedTime desc":
		key = func(f *driveFile) string {
			return fmt.Sprintf("%020d/%s", math.MaxInt64-f.ModifiedTime.UnixMilli(), f.ID)
		}
	case "modifiedTime":
		key = func(f *driveFile) string { return fmt.Sprintf("%020d/%s", f.ModifiedTime.UnixMilli(), f.ID) }
	}
	var hits []*driveFile
	for _, f := range c.u.drive.files {
		if !f.deleted && match(f) {
			hits = append(hits, f)
		}
	}
	slices.SortFunc(hits, func(a, b *driveFile) int { return strings.Compare(key(a), key(b)) })
	keys := make([]string, len(hits))
	for i, f := range hits {
		keys[i] = key(f)
	}
	lo, hi, next, aerr := page(keys, c.query("pageToken"), size)
	if aerr != nil {
		return nil, aerr
	}
	res := &drive.FileList{Kind: "drive#fileList", NextPageToken: next, Files: []*drive.File{}}
	for _, f := range hits[lo:hi] {
		res.Files = append(res.Files, f.apiFile(c.u.email))
	}
	return res, nil
}

// driveToken is one lexical token of a Drive query.
type driveToken struct {
	text   string
	quoted bool
}

func tokenizeDriveQuery(q string) ([]driveToken, *apiError) {
	var out []driveToken
	for i := 0; i < len(q); {
		switch ch := q[i]; {
		case ch == ' ' || ch == '\t' || ch == '\n':
			i++
		case ch == '\'':
			var b strings.Builder
			i++
			for ; i < len(q) && q[i] != '\''; i++ {
				if q[i] == '\\' && i+1 < len(q) {
					i++
				}
				b.WriteByte(q[i])
			}
			if i >= len(q) {
				return nil, errInvalid("Invalid Value: unterminated string in q")
			}
			i++
			out = append(out, driveToken{text: b.String(), quoted: true})
		case strings.ContainsRune("=!<>", rune(ch)):
			j := i + 1
			if j < len(q) && q[j] == '=' {
				j++
			}
			out = append(out, driveToken{text: q[i:j]})
			i = j
		default:
			j := i
			for j < len(q) && !strings.ContainsRune(" \t\n'=!<>", rune(q[j])) {
				j++
			}
			out = append(out, driveToken{text: q[i:j]})
			i = j
		}
	}
	return out, nil
}

// parseDriveQuery understands clauses joined by "and": name contains|=|!= 'x',
// fullText contains 'x', mimeType =|!= 'x', modifiedTime|createdTime <op> 'RFC3339',
// trashed = true|false, 'id' (or 'root') in parents, 'email' in owners. Anything else answers 400.
func parseDriveQuery(q, rootID string) (func(*driveFile) bool, *apiError) {
	toks, aerr := tokenizeDriveQuery(q)
	if aerr != nil {
		return nil, aerr
	}
	var preds []func(*driveFile) bool
	for len(toks) > 0 {
		if len(toks) < 3 {
			return nil, errInvalid("Invalid Value: incomplete clause in q")
		}
		p, aerr := driveClause(toks[0], toks[1], toks[2], rootID)
		if aerr != nil {
			return nil, aerr
		}
		preds = append(preds, p)
		toks = toks[3:]
		if len(toks) > 0 {
			if toks[0].quoted || !strings.EqualFold(toks[0].text, "and") {
				return nil, errInvalid("Invalid Value: only 'and' joins clauses in the emulator's q")
			}
			toks = toks[1:]
		}
	}
	return func(f *driveFile) bool {
		for _, p := range preds {
			if !p(f) {
				return false
			}
		}
		return true
	}, nil
}

func driveClause(a, op, b driveToken, rootID string) (func(*driveFile) bool, *apiError) {
	bad := errInvalid(fmt.Sprintf("Invalid Value: unsupported clause %s %s %s", a.text, op.text, b.text))
	if a.quoted && op.text == "in" {
		switch b.text {
		case "parents":
			if a.text == "root" {
				a.text = rootID
			}
			return func(f *driveFile) bool { return slices.Contains(f.parentIDs, a.text) }, nil
		case "owners":
			return func(f *driveFile) bool {
				return slices.ContainsFunc(f.Owners, func(o string) bool { return strings.EqualFold(o, a.text) })
			}, nil
		}
		return nil, bad
	}
	val, lval := b.text, strings.ToLower(b.text)
	switch a.text + " " + op.text {
	case "name contains":
		return func(f *driveFile) bool { return strings.Contains(strings.ToLower(f.Name), lval) }, nil
	case "name =":
		return func(f *driveFile) bool { return f.Name == val }, nil
	case "name !=":
		return func(f *driveFile) bool { return f.Name != val }, nil
	case "fullText contains":
		return func(f *driveFile) bool {
			return strings.Contains(strings.ToLower(f.Name+"\n"+f.Description+"\n"+string(f.Content)), lval)
		}, nil
	case "mimeType =":
		return func(f *driveFile) bool { return f.MimeType == val }, nil
	case "mimeType !=":
		return func(f *driveFile) bool { return f.MimeType != val }, nil
	case "trashed =", "trashed !=":
		want := lval == "true"
		if lval != "true" && lval != "false" {
			return nil, bad
		}
		if op.text == "!=" {
			want = !want
		}
		return func(f *driveFile) bool { return f.trashed == want }, nil
	}
	if a.text != "modifiedTime" && a.text != "createdTime" {
		return nil, bad
	}
	t, err := time.Parse(time.RFC3339, val)
	if err != nil {
		return nil, errInvalid("Invalid Value: bad time " + val)
	}
	pick := func(f *driveFile) time.Time { return f.ModifiedTime }
	if a.text == "createdTime" {
		pick = func(f *driveFile) time.Time { return f.created }
	}
	cmpFn := map[string]func(int) bool{
		"=": func(c int) bool { return c == 0 }, "!=": func(c int) bool { return c != 0 },
		"<": func(c int) bool { return c < 0 }, "<=": func(c int) bool { return c <= 0 },
		">": func(c int) bool { return c > 0 }, ">=": func(c int) bool { return c >= 0 },
	}[op.text]
	if cmpFn == nil {
		return nil, bad
	}
	return func(f *driveFile) bool { return cmpFn(pick(f).Compare(t)) }, nil
}

func (s *Server) startPageToken(c *call) (any, *apiError) {
	return &drive.StartPageToken{Kind: "drive#startPageToken", StartPageToken: strconv.FormatUint(c.u.drive.seq+1, 10)}, nil
}

// changesList lists changes from the pageToken's position; each change shows
// the file as it is now, or removed when it was deleted for good.
func (s *Server) changesList(c *call) (any, *apiError) {
	d := c.u.drive
	start, err := strconv.ParseUint(c.query("pageToken"), 10, 64)
	if err != nil || start == 0 || start > d.seq+1 {
		return nil, &apiError{code: http.StatusBadRequest, reason: "invalid", message: "Invalid Value"}
	}
	size, aerr := pageSize(c, "pageSize", 100, 1000)
	if aerr != nil {
		return nil, aerr
	}
	includeRemoved := c.query("includeRemoved") != "false"
	res := &drive.ChangeList{Kind: "drive#changeList", Changes: []*drive.Change{}}
	i, _ := slices.BinarySearchFunc(d.changes, start, func(ch driveChange, seq uint64) int { return cmp.Compare(ch.seq, seq) })
	for ; i < len(d.changes); i++ {
		ch := d.changes[i]
		if len(res.Changes) == size {
			res.NextPageToken = strconv.FormatUint(ch.seq, 10)
			return res, nil
		}
		f := d.files[ch.fileID]
		out := &drive.Change{Kind: "drive#change", Type: "file", ChangeType: "file", FileId: ch.fileID, Time: rfc3339ms(ch.at)}
		if f == nil || f.deleted {
			if !includeRemoved {
				continue
			}
			out.Removed = true
		} else {
			out.File = f.apiFile(c.u.email)
		}
		res.Changes = append(res.Changes, out)
	}
	res.NewStartPageToken = strconv.FormatUint(d.seq+1, 10)
	return res, nil
}

func (s *Server) permissionsList(c *call) (any, *apiError) {
	f, aerr := s.file(c)
	if aerr != nil {
		return nil, aerr
	}
	res := &drive.PermissionList{Kind: "drive#permissionList"}
	for i, o := range f.Owners {
		res.Permissions = append(res.Permissions, &drive.Permission{Kind: "drive#permission", Id: fmt.Sprintf("owner%d", i),
			Type: "user", Role: "owner", EmailAddress: o, DisplayName: o})
	}
	res.Permissions = append(res.Permissions, f.perms...)
	return res, nil
}

var permissionRoles = []string{"owner", "organizer", "fileOrganizer", "writer", "commenter", "reader"}

func (s *Server) permissionsCreate(c *call) (any, *apiError) {
	f, aerr := s.file(c)
	if aerr != nil {
		return nil, aerr
	}
	var in drive.Permission
	if aerr := c.decode(&in); aerr != nil {
		return nil, aerr
	}
	switch {
	case !slices.Contains(permissionRoles, in.Role):
		return nil, &apiError{code: 400, reason: "invalid", message: "The permission role field is required and must be valid."}
	case !slices.Contains([]string{"user", "group", "domain", "anyone"}, in.Type):
		return nil, &apiError{code: 400, reason: "invalid", message: "The permission type field is required and must be valid."}
	case (in.Type == "user" || in.Type == "group") && in.EmailAddress == "":
		return nil, &apiError{code: 400, reason: "invalid", message: "The permission emailAddress field is required for user and group permissions."}
	}
	p := &drive.Permission{Kind: "drive#permission", Id: fmt.Sprintf("%020d", s.newID()), Type: in.Type, Role: in.Role,
		EmailAddress: in.EmailAddress, DisplayName: in.EmailAddress, Domain: in.Domain}
	f.perms = append(f.perms, p)
	s.touchFile(c.u, f, c.now, false)
	return p, nil
}

// Drive answers only the requested fields, and without a fields parameter only
// a method's default set, as Drive v3 does: a client that forgets fields gets
// no modifiedTime here either.
const (
	defaultFileFields    = "kind,id,name,mimeType"
	defaultListFields    = "kind,nextPageToken,incompleteSearch,files(" + defaultFileFields + ")"
	defaultChangesFields = "kind,nextPageToken,newStartPageToken,changes(kind,type,changeType,time,removed,fileId,file(" + defaultFileFields + "))"
)

// withFields applies the request's fields mask (or def) to fn's JSON result.
func withFields(fn apiFunc, def string) apiFunc {
	return func(c *call) (any, *apiError) {
		res, aerr := fn(c)
		if aerr != nil || res == nil {
			return res, aerr
		}
		if _, raw := res.(media); raw {
			return res, nil
		}
		spec := cmp.Or(c.query("fields"), def)
		if strings.TrimSpace(spec) == "*" {
			return res, nil
		}
		m, err := parseFields(spec)
		if err != nil {
			return nil, &apiError{code: http.StatusBadRequest, reason: "invalidParameter", message: "Invalid field selection " + spec}
		}
		b, err := json.Marshal(res)
		if err != nil {
			return nil, &apiError{code: http.StatusInternalServerError, reason: "backendError", message: err.Error()}
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			return nil, &apiError{code: http.StatusInternalServerError, reason: "backendError", message: err.Error()}
		}
		return m.apply(v), nil
	}
}

// fieldMask is a parsed fields parameter; a nil child selects the whole value.
type fieldMask map[string]fieldMask

func (m fieldMask) apply(v any) any {
	if m == nil {
		return v
	}
	if _, all := m["*"]; all {
		return v
	}
	switch t := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, sub := range m {
			if val, ok := t[k]; ok {
				out[k] = sub.apply(val)
			}
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = m.apply(e)
		}
		return out
	}
	return v
}

type fieldParser struct {
	s string
	i int
}

// parseFields reads the partial-response syntax: a,b/c,d(e,f(g)).
func parseFields(s string) (fieldMask, error) {
	p := &fieldParser{s: s}
	m, err := p.list()
	if err == nil && p.i < len(p.s) {
		err = fmt.Errorf("unexpected %q", p.s[p.i:])
	}
	return m, err
}

func (p *fieldParser) skip() {
	for p.i < len(p.s) && p.s[p.i] == ' ' {
		p.i++
	}
}

func (p *fieldParser) list() (fieldMask, error) {
	m := fieldMask{}
	for {
		if err := p.path(m); err != nil {
			return nil, err
		}
		p.skip()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		return m, nil
	}
}

func (p *fieldParser) path(into fieldMask) error {
	p.skip()
	start := p.i
	for p.i < len(p.s) && !strings.ContainsRune(",/() ", rune(p.s[p.i])) {
		p.i++
	}
	name := p.s[start:p.i]
	if name == "" {
		return fmt.Errorf("empty field name at %d", start)
	}
	p.skip()
	child := func() fieldMask {
		sub, ok := into[name]
		if ok && sub == nil {
			return fieldMask{"*": nil} // already whole; a narrower selection changes nothing
		}
		if !ok {
			sub = fieldMask{}
			into[name] = sub
		}
		return sub
	}
	switch {
	case p.i < len(p.s) && p.s[p.i] == '/':
		p.i++
		return p.path(child())
	case p.i < len(p.s) && p.s[p.i] == '(':
		p.i++
		sub, err := p.list()
		if err != nil {
			return err
		}
		if p.i >= len(p.s) || p.s[p.i] != ')' {
			return fmt.Errorf("missing ) at %d", p.i)
		}
		p.i++
		dst := child()
		for k, v := range sub {
			dst[k] = v
		}
		return nil
	}
	into[name] = nil
	return nil
}
