package emulator

import (
	"bytes"
	"cmp"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/big"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	calendar "google.golang.org/api/calendar/v3"
)

// service names a notification source.
type service string

const (
	svcGmail    service = "gmail"
	svcCalendar service = "calendar"
	svcDrive    service = "drive"
)

// channel is one push channel opened by events.watch, changes.watch or files.watch.
type channel struct {
	calendar.Channel // wire shape is identical for Calendar and Drive
	email            string
	svc              service
	state            string // X-Goog-Resource-State sent on change
	fileID           string // files.watch only
	msgNum           int64
	expires          time.Time
}

// pushJob is one HTTP POST to deliver.
type pushJob struct {
	url    string
	header http.Header
	body   []byte
	bearer func() (string, error) // when set, signs the Authorization header at delivery
}

// notifier delivers push notifications on its own goroutine, coalescing jobs
// with the same key so a burst of changes sends one notification per channel.
type notifier struct {
	client *http.Client
	logger *slog.Logger

	mu      sync.Mutex
	pending map[string]pushJob
	order   []string
	wake    chan struct{}
	ctx     context.Context
	cancel  context.CancelFunc
	stopped chan struct{}
}

func newNotifier(client *http.Client, logger *slog.Logger) *notifier {
	ctx, cancel := context.WithCancel(context.Background())
	n := &notifier{client: client, logger: logger, pending: map[string]pushJob{}, wake: make(chan struct{}, 1),
		ctx: ctx, cancel: cancel, stopped: make(chan struct{})}
	go n.run()
	return n
}

func (n *notifier) enqueue(key string, job pushJob) {
	n.mu.Lock()
	if _, ok := n.pending[key]; !ok {
		n.order = append(n.order, key)
	}
	n.pending[key] = job
	n.mu.Unlock()
	select {
	case n.wake <- struct{}{}:
	default:
	}
}

func (n *notifier) run() {
	defer close(n.stopped)
	for {
		select {
		case <-n.ctx.Done():
			return
		case <-n.wake:
		}
		n.mu.Lock()
		jobs := make([]pushJob, 0, len(n.order))
		for _, k := range n.order {
			jobs = append(jobs, n.pending[k])
		}
		n.pending, n.order = map[string]pushJob{}, nil
		n.mu.Unlock()
		for _, j := range jobs {
			n.deliver(j)
		}
	}
}

func (n *notifier) deliver(j pushJob) {
	req, err := http.NewRequestWithContext(n.ctx, http.MethodPost, j.url, bytes.NewReader(j.body))
	if err != nil {
		n.logger.Warn("emulator push: bad address", "url", j.url, "err", err)
		return
	}
	req.Header = j.header
	if j.bearer != nil {
		tok, err := j.bearer()
		if err != nil {
			n.logger.Warn("emulator push: no token", "err", err)
			return
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	res, err := n.client.Do(req)
	if err != nil {
		n.logger.Warn("emulator push failed", "url", j.url, "err", err)
		return
	}
	_ = res.Body.Close()
	if res.StatusCode >= 300 {
		n.logger.Warn("emulator push rejected", "url", j.url, "status", res.StatusCode)
	}
}

func (n *notifier) close() {
	n.cancel()
	<-n.stopped
}

// notifyLocked queues notifications for u's watchers of svc.
func (s *Server) notifyLocked(u *user, svc service) {
	now := s.cfg.Clock.Now()
	if svc == svcGmail && s.cfg.GmailPushURL != "" && now.Before(u.mail.watchEnd) {
		data, _ := json.Marshal(map[string]any{"emailAddress": u.email, "historyId": u.mail.historyID}) // plain map: cannot fail
		msgID := strconv.FormatUint(s.newID(), 10)
		body, _ := json.Marshal(map[string]any{ // plain map: cannot fail
			"message": map[string]any{"data": base64.StdEncoding.EncodeToString(data), "messageId": msgID,
				"message_id": msgID, "publishTime": now.UTC().Format(time.RFC3339Nano)},
			"subscription": "projects/emulator/subscriptions/gmail-push",
		})
		s.push.enqueue("gmail:"+u.email, pushJob{url: s.cfg.GmailPushURL,
			header: http.Header{"Content-Type": {"application/json"}}, body: body,
			bearer: func() (string, error) {
				return s.keys.token(s.cfg.GmailPushAudience, "emulator-push", "gmail-push@emulator.iam.gserviceaccount.com", s.cfg.Clock.Now())
			}})
	}
	for _, ch := range s.channelsLocked() {
		if ch.email == u.email && ch.svc == svc && now.Before(ch.expires) {
			s.sendChannel(ch, ch.state)
		}
	}
}

// Watch is a push watch open in the emulator: a Gmail users.watch or a
// Calendar or Drive channel.
type Watch struct {
	Service string // "gmail", "calendar" or "drive"
	// Address is where a channel notifies; "" for Gmail, which publishes to
	// Config.GmailPushURL.
	Address string
	// Expires is as the watch call answered it: to the millisecond, in UTC.
	Expires time.Time
}

// Watches returns the unexpired watches of userEmail, by service and then
// expiry, so a test sees which were opened and renewed.
func (s *Server) Watches(userEmail string) []Watch {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userLocked(userEmail, false)
	if u == nil {
		return nil
	}
	now := s.cfg.Clock.Now()
	var out []Watch
	if now.Before(u.mail.watchEnd) {
		out = append(out, Watch{Service: string(svcGmail), Expires: time.UnixMilli(u.mail.watchEnd.UnixMilli()).UTC()})
	}
	for _, ch := range s.channelsLocked() {
		if ch.email == u.email && now.Before(ch.expires) {
			out = append(out, Watch{Service: string(ch.svc), Address: ch.Address, Expires: time.UnixMilli(ch.Expiration).UTC()})
		}
	}
	slices.SortFunc(out, func(a, b Watch) int {
		return cmp.Or(strings.Compare(a.Service, b.Service), a.Expires.Compare(b.Expires))
	})
	return out
}

func (s *Server) channelsLocked() []*channel {
	out := make([]*channel, 0, len(s.channels))
	for _, ch := range s.channels {
		out = append(out, ch)
	}
	return out
}

func (s *Server) sendChannel(ch *channel, state string) {
	ch.msgNum++
	h := http.Header{
		"X-Goog-Channel-Id":         {ch.Id},
		"X-Goog-Channel-Expiration": {ch.expires.UTC().Format(http.TimeFormat)},
		"X-Goog-Resource-Id":        {ch.ResourceId},
		"X-Goog-Resource-Uri":       {ch.ResourceUri},
		"X-Goog-Resource-State":     {state},
		"X-Goog-Message-Number":     {strconv.FormatInt(ch.msgNum, 10)},
	}
	if ch.Token != "" {
		h.Set("X-Goog-Channel-Token", ch.Token)
	}
	s.push.enqueue("channel:"+ch.Id+":"+state, pushJob{url: ch.Address, header: h})
}

// openChannel validates a watch request and registers its channel.
func (s *Server) openChannel(c *call, svc service, state, uri, fileID string, maxTTL time.Duration) (any, *apiError) {
	var in calendar.Channel
	if aerr := c.decode(&in); aerr != nil {
		return nil, aerr
	}
	switch {
	case in.Id == "":
		return nil, &apiError{code: 400, reason: "required", message: "Required: channel id"}
	case in.Address == "":
		return nil, &apiError{code: 400, reason: "required", message: "Required: channel address"}
	case in.Type != "web_hook" && in.Type != "webhook":
		return nil, &apiError{code: 400, reason: "invalid", message: "Invalid channel type: " + in.Type}
	}
	if _, ok := s.channels[in.Id]; ok {
		return nil, &apiError{code: 400, reason: "channelIdNotUnique", message: "Channel id " + in.Id + " not unique"}
	}
	expires := c.now.Add(maxTTL)
	if in.Expiration > 0 {
		if want := time.UnixMilli(in.Expiration); want.Before(expires) {
			expires = want
		}
	}
	ch := &channel{Channel: calendar.Channel{Kind: "api#channel", Id: in.Id, Token: in.Token, Address: in.Address,
		ResourceId: fmt.Sprintf("emu-resource-%d", s.newID()), ResourceUri: uri, Expiration: expires.UnixMilli()},
		email: c.u.email, svc: svc, state: state, fileID: fileID, expires: expires}
	s.channels[in.Id] = ch
	s.sendChannel(ch, "sync")
	out := ch.Channel
	out.Address = ""
	return &out, nil
}

func (s *Server) eventsWatch(c *call) (any, *apiError) {
	if !ownCalendar(c) {
		return nil, errNotFound("Calendar")
	}
	return s.openChannel(c, svcCalendar, "exists", "https://www.googleapis.com/calendar/v3/calendars/"+c.u.email+"/events?alt=json", "", 7*24*time.Hour)
}

func (s *Server) changesWatch(c *call) (any, *apiError) {
	if c.query("pageToken") == "" {
		return nil, &apiError{code: 400, reason: "required", message: "Required parameter: pageToken"}
	}
	return s.openChannel(c, svcDrive, "change", "https://www.googleapis.com/drive/v3/changes?alt=json&pageToken="+c.query("pageToken"), "", 7*24*time.Hour)
}

func (s *Server) filesWatch(c *call) (any, *apiError) {
	f, aerr := s.file(c)
	if aerr != nil {
		return nil, aerr
	}
	return s.openChannel(c, svcDrive, "update", "https://www.googleapis.com/drive/v3/files/"+f.ID+"?alt=json", f.ID, 24*time.Hour)
}

// channelsStop closes a channel of the caller (Calendar and Drive share it).
func (s *Server) channelsStop(c *call) (any, *apiError) {
	var in calendar.Channel
	if aerr := c.decode(&in); aerr != nil {
		return nil, aerr
	}
	ch, ok := s.channels[in.Id]
	if !ok || ch.email != c.u.email || (in.ResourceId != "" && in.ResourceId != ch.ResourceId) {
		return nil, &apiError{code: 404, reason: "notFound", message: "Channel '" + in.Id + "' not found for project"}
	}
	delete(s.channels, in.Id)
	return nil, nil
}

// CertsPath serves the JSON Web Key Set that verifies push tokens, at the path
// of Google's own (https://www.googleapis.com/oauth2/v3/certs).
const CertsPath = "/oauth2/v3/certs"

// pushIssuer is the iss claim of Google-signed tokens (push and id_token).
const pushIssuer = "https://accounts.google.com"

// signer holds the RSA key of push tokens and id_tokens, made on first use because key
// generation is slow and most servers never push.
type signer struct {
	once sync.Once
	key  *rsa.PrivateKey
	err  error
	kid  string
}

func (k *signer) load() (*rsa.PrivateKey, error) {
	k.once.Do(func() {
		k.key, k.err = rsa.GenerateKey(rand.Reader, 2048)
		if k.err == nil {
			sum := sha256.Sum256(k.key.N.Bytes())
			k.kid = hex.EncodeToString(sum[:8])
		}
	})
	return k.key, k.err
}

// token signs an OIDC token as Google does for aud about sub (whose
// verified address is email): the one Pub/Sub attaches to an authenticated
// push, or the id_token of a sign-in.
func (k *signer) token(aud, sub, email string, now time.Time) (string, error) {
	key, err := k.load()
	if err != nil {
		return "", fmt.Errorf("signing key: %w", err)
	}
	enc := func(v any) string {
		b, _ := json.Marshal(v) // plain maps: cannot fail
		return base64.RawURLEncoding.EncodeToString(b)
	}
	unsigned := enc(map[string]string{"alg": "RS256", "typ": "JWT", "kid": k.kid}) + "." + enc(map[string]any{
		"iss": pushIssuer, "aud": aud, "sub": sub, "email": email,
		"email_verified": true, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
	})
	sum := sha256.Sum256([]byte(unsigned))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}
	return unsigned + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

func (s *Server) certs(w http.ResponseWriter, _ *http.Request) {
	key, err := s.keys.load()
	if err != nil {
		writeError(w, &apiError{code: http.StatusInternalServerError, reason: "backendError", message: err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"keys": []map[string]string{{
		"kty": "RSA", "alg": "RS256", "use": "sig", "kid": s.keys.kid,
		"n": base64.RawURLEncoding.EncodeToString(key.N.Bytes()),
		"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(key.PublicKey.E)).Bytes()),
	}}})
}
