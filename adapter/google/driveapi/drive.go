// Package driveapi reads a user's Drive and shares files through the Drive v3
// REST API (google.golang.org/api/drive/v3): the ingest.DriveSource the sync
// reads from (files with their text) and the domain.Sharer.
package driveapi

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"golang.org/x/sync/errgroup"
	"google.golang.org/api/drive/v3"
	"google.golang.org/api/googleapi"

	"github.com/workspace-orchestrator/orchestrator/adapter/google/gclient"
	"github.com/workspace-orchestrator/orchestrator/domain"
	"github.com/workspace-orchestrator/orchestrator/domain/ingest"
)

// Config configures a Drive.
type Config struct {
	// Client configures the HTTP clients (base URL, auth, quota). Auth is required.
	Client gclient.Config
	// PageSize is files.list's and changes.list's pageSize. Defaults to
	// DefaultPageSize (200).
	PageSize int
	// Workers is how many file contents are downloaded at once. Defaults to
	// DefaultWorkers (8).
	Workers int
	// MaxContentBytes caps the text read from one file. Defaults to
	// DefaultMaxContentBytes (1 MiB).
	MaxContentBytes int64
	// Notify emails people a file is shared with. Defaults to false.
	Notify bool
}

// Defaults of Config.
const (
	DefaultPageSize        = 200
	DefaultWorkers         = 8
	DefaultMaxContentBytes = 1 << 20
)

// WithDefaults fills zero fields with their defaults.
func (c Config) WithDefaults() Config {
	c.PageSize = cmp.Or(c.PageSize, DefaultPageSize)
	c.Workers = cmp.Or(c.Workers, DefaultWorkers)
	c.MaxContentBytes = cmp.Or(c.MaxContentBytes, DefaultMaxContentBytes)
	return c
}

func (c Config) validate() error {
	switch {
	case c.PageSize < 1 || c.PageSize > 1000:
		return fmt.Errorf("driveapi: PageSize must be in 1..1000, got %d: %w", c.PageSize, domain.ErrInvalidInput)
	case c.Workers < 1:
		return fmt.Errorf("driveapi: Workers must be >= 1, got %d: %w", c.Workers, domain.ErrInvalidInput)
	case c.MaxContentBytes < 1:
		return fmt.Errorf("driveapi: MaxContentBytes must be >= 1, got %d: %w", c.MaxContentBytes, domain.ErrInvalidInput)
	}
	return nil
}

// Drive implements ingest.DriveSource and domain.Sharer.
type Drive struct {
	cfg     Config
	clients *gclient.Clients
	log     *slog.Logger
}

var (
	_ ingest.DriveSource = (*Drive)(nil)
	_ domain.Sharer      = (*Drive)(nil)
)

// New returns a Drive.
func New(cfg Config, log *slog.Logger) (*Drive, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	// Drive's quota counts requests, whatever the method.
	clients, err := gclient.New(cfg.Client, domain.ServiceDrive, func(r *http.Request) (string, int) { return r.Method + " " + r.URL.Path, 1 })
	if err != nil {
		return nil, err
	}
	return &Drive{cfg: cfg, clients: clients, log: log}, nil
}

const (
	folderType = "application/vnd.google-apps.folder"
	docType    = "application/vnd.google-apps.document"
	fileFields = "id,name,mimeType,parents,owners(emailAddress),properties,appProperties,webViewLink,trashed,modifiedTime,description,size"
)

func (d *Drive) service(ctx context.Context, userID uuid.UUID) (*drive.Service, error) {
	s, err := drive.NewService(ctx, d.clients.Options(userID, "/drive/v3/")...)
	if err != nil {
		return nil, fmt.Errorf("drive client: %w", err)
	}
	return s, nil
}

// StartPageToken returns the change token of now.
func (d *Drive) StartPageToken(ctx context.Context, userID uuid.UUID) (string, error) {
	s, err := d.service(ctx, userID)
	if err != nil {
		return "", err
	}
	r, err := s.Changes.GetStartPageToken().Context(ctx).Do()
	if err != nil {
		return "", gclient.Err(err, "drive changes.getStartPageToken")
	}
	return r.StartPageToken, nil
}

// Watch opens a notification channel on the user's Drive changes: Google
// POSTs to address with X-Goog-Channel-Token: token on every change, until
// the expiry of the watch returned, which names the channel to stop.
func (d *Drive) Watch(ctx context.Context, userID uuid.UUID, address, token string) (ingest.Watch, error) {
	start, err := d.StartPageToken(ctx, userID)
	if err != nil {
		return ingest.Watch{}, err
	}
	s, err := d.service(ctx, userID)
	if err != nil {
		return ingest.Watch{}, err
	}
	ch := &drive.Channel{Id: uuid.NewString(), Type: "web_hook", Address: address, Token: token}
	r, err := s.Changes.Watch(start, ch).Context(ctx).Do()
	if err != nil {
		return ingest.Watch{}, gclient.Err(err, "drive changes.watch")
	}
	return ingest.Watch{UserID: userID, Service: domain.ServiceDrive, Expires: time.UnixMilli(r.Expiration).UTC(),
		Channel: ingest.Channel{ID: r.Id, ResourceID: r.ResourceId}}, nil
}

// Stop closes a channel Watch opened, so Google no longer notifies through
// it; an unknown or expired channel is a domain.ErrNotFound.
func (d *Drive) Stop(ctx context.Context, userID uuid.UUID, ch ingest.Channel) error {
	s, err := d.service(ctx, userID)
	if err != nil {
		return err
	}
	if err := s.Channels.Stop(&drive.Channel{Id: ch.ID, ResourceId: ch.ResourceID}).Context(ctx).Do(); err != nil {
		return gclient.Err(err, "drive channels.stop")
	}
	return nil
}

// ListFiles returns one page of files (folders left out) with their text.
func (d *Drive) ListFiles(ctx context.Context, userID uuid.UUID, pageToken string) (ingest.FilePage, error) {
	s, err := d.service(ctx, userID)
	if err != nil {
		return ingest.FilePage{}, err
	}
	call := s.Files.List().PageSize(int64(d.cfg.PageSize)).
		Fields(googleapi.Field("nextPageToken,files(" + fileFields + ")")).Context(ctx)
	if pageToken != "" {
		call = call.PageToken(pageToken)
	}
	r, err := call.Do()
	if err != nil {
		return ingest.FilePage{}, gclient.Err(err, "drive files.list")
	}
	files, err := d.convert(ctx, s, r.Files)
	return ingest.FilePage{Files: files, Next: r.NextPageToken}, err
}

// Changes returns one page of changes from pageToken.
func (d *Drive) Changes(ctx context.Context, userID uuid.UUID, pageToken string) (ingest.ChangePage, error) {
	s, err := d.service(ctx, userID)
	if err != nil {
		return ingest.ChangePage{}, err
	}
	r, err := s.Changes.List(pageToken).PageSize(int64(d.cfg.PageSize)).IncludeRemoved(true).
		Fields(googleapi.Field("nextPageToken,newStartPageToken,changes(fileId,removed,file(" + fileFields + "))")).
		Context(ctx).Do()
	if code := gclient.Code(err); code == http.StatusNotFound || code == http.StatusGone {
		return ingest.ChangePage{}, fmt.Errorf("drive changes.list: %w", domain.ErrSyncTokenExpired)
	}
	if err != nil {
		return ingest.ChangePage{}, gclient.Err(err, "drive changes.list")
	}
	p := ingest.ChangePage{Next: r.NextPageToken, NewStartPageToken: r.NewStartPageToken}
	var changed []*drive.File
	for _, c := range r.Changes {
		switch {
		case c.Removed || c.File == nil:
			p.Removed = append(p.Removed, c.FileId)
		case c.File.MimeType != folderType:
			changed = append(changed, c.File)
		}
	}
	p.Files, err = d.convert(ctx, s, changed)
	return p, err
}

// convert turns API files into domain files, downloading their text Workers
// at a time; folders are left out.
func (d *Drive) convert(ctx context.Context, s *drive.Service, in []*drive.File) ([]domain.File, error) {
	in = filterFolders(in)
	out := make([]domain.File, len(in))
	folders := &folderNames{s: s, names: map[string]string{}}
	eg, ectx := errgroup.WithContext(ctx)
	eg.SetLimit(d.cfg.Workers)
	for i, f := range in {
		eg.Go(func() error {
			text, err := d.content(ectx, s, f)
			if err != nil {
				return err
			}
			out[i] = toFile(f, text, folders.name(ectx, f.Parents))
			return nil
		})
	}
	return out, eg.Wait()
}

func filterFolders(in []*drive.File) []*drive.File {
	out := in[:0:0]
	for _, f := range in {
		if f.MimeType != folderType {
			out = append(out, f)
		}
	}
	return out
}

// content returns a file's text: Google Docs exported as text/plain, text
// files downloaded; other types have none. A file deleted meanwhile has none.
func (d *Drive) content(ctx context.Context, s *drive.Service, f *drive.File) (string, error) {
	var resp *http.Response
	var err error
	switch {
	case f.MimeType == docType:
		resp, err = s.Files.Export(f.Id, "text/plain").Context(ctx).Download()
	case isText(f.MimeType):
		resp, err = s.Files.Get(f.Id).Context(ctx).Download()
	default:
		return "", nil
	}
	if code := gclient.Code(err); code == http.StatusNotFound {
		return "", nil
	}
	if err != nil {
		return "", gclient.Err(err, "drive download "+f.Id)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, d.cfg.MaxContentBytes))
	if err != nil {
		return "", gclient.Err(err, "drive read "+f.Id)
	}
	return strings.ToValidUTF8(strings.ReplaceAll(string(b), "\x00", ""), ""), nil
}

func isText(mime string) bool {
	mime = strings.ToLower(mime)
	return strings.HasPrefix(mime, "text/") || mime == "application/json" ||
		strings.HasSuffix(mime, "+json") || strings.HasSuffix(mime, "yaml") || strings.HasSuffix(mime, "+xml") ||
		mime == "application/xml"
}

// folderNames resolves parent folder ids to names once per conversion.
type folderNames struct {
	s     *drive.Service
	mu    sync.Mutex
	names map[string]string
}

func (fn *folderNames) name(ctx context.Context, parents []string) string {
	if len(parents) == 0 {
		return ""
	}
	id := parents[0]
	fn.mu.Lock()
	name, ok := fn.names[id]
	fn.mu.Unlock()
	if ok {
		return name
	}
	name = id // the root, or a folder we may not read: keep the id
	if f, err := fn.s.Files.Get(id).Fields("name").Context(ctx).Do(); err == nil && f.Name != "" {
		name = f.Name
	}
	fn.mu.Lock()
	fn.names[id] = name
	fn.mu.Unlock()
	return name
}

const previewBytes = 300

func toFile(f *drive.File, content, parent string) domain.File {
	out := domain.File{
		FileID: f.Id, Name: f.Name, MimeType: f.MimeType, Content: content, ParentFolder: parent,
		WebViewLink: f.WebViewLink, Trashed: f.Trashed,
	}
	out.ModifiedAt, _ = time.Parse(time.RFC3339, f.ModifiedTime)
	out.ModifiedAt = out.ModifiedAt.UTC()
	for _, o := range f.Owners {
		out.Owners = append(out.Owners, strings.ToLower(o.EmailAddress))
	}
	if len(f.Properties)+len(f.AppProperties) > 0 {
		out.Properties = make(map[string]string, len(f.Properties)+len(f.AppProperties))
		for k, v := range f.AppProperties {
			out.Properties[k] = v
		}
		for k, v := range f.Properties {
			out.Properties[k] = v
		}
	}
	preview := strings.TrimSpace(content)
	if preview == "" {
		preview = f.Description
	}
	if len(preview) > previewBytes {
		n := previewBytes
		for n > 0 && !utf8.RuneStart(preview[n]) {
			n--
		}
		preview = preview[:n]
	}
	out.Preview = preview
	return out
}
