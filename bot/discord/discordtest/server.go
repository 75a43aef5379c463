// Package discordtest is a fake Discord for tests: the REST API routes the
// qabot adapter uses, over httptest, and a gateway websocket speaking the
// real protocol (HELLO, IDENTIFY/RESUME, READY/RESUMED, heartbeats,
// dispatches), both on 127.0.0.1 only.
//
// Use it with the real discordgo through the adapter:
//
//	srv := discordtest.NewServer(t)
//	a, _ := discord.New(discord.Options{Token: "x", APIBase: srv.URL})
//	go a.Run(ctx, handler)
//	srv.WaitReady(t, 5*time.Second)
//	srv.SendMessage(t, discordtest.Msg{ChannelID: "c1", Content: "hi"}) // a DM
//	calls := srv.WaitCalls(t, "POST /channels/c1/messages", 1, 5*time.Second)
//	body := calls[0].JSON() // what the bot sent
//
// Every REST call is recorded (method, path without the /api/vN prefix,
// query, headers, body). Patterns are "METHOD /path" with "*" matching one
// path segment, e.g. "POST /interactions/*/*/callback". RateLimit makes
// the next N calls to a pattern answer 429; DropConnection cuts the
// gateway socket so that the client has to reconnect (it is answered
// RESUMED for a known session, READY after a new IDENTIFY).
package discordtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// Server is a fake Discord REST API and gateway.
type Server struct {
	// URL is the REST base, "http://127.0.0.1:port/": the adapter's APIBase.
	URL string
	// GatewayURL is what GET /gateway answers: "ws://127.0.0.1:port/".
	GatewayURL string
	// AppID, BotID and BotName describe the bot in READY and users/@me.
	AppID, BotID, BotName string

	hs       *httptest.Server
	upgrader websocket.Upgrader

	mu         sync.Mutex
	changed    chan struct{} // closed and replaced on every recorded change
	calls      []Call
	byPath     map[string][]int // exact path -> indexes into calls
	limits     []*rateLimit
	files      map[string][]byte
	identifies []Identify
	resumes    int
	conns      map[*gwConn]bool
	cur        *gwConn // the identified connection dispatches go to
	session    string
	seq        int64
	nextID     int64
	heartbeat  time.Duration
	token      string
	closed     bool
}

// Call is one recorded REST request.
type Call struct {
	Method string
	Path   string // without the "/api/vN" prefix, e.g. "/channels/1/messages"
	Query  url.Values
	Header http.Header
	Body   []byte
	Status int // what the fake answered
	At     time.Time
}

// JSON decodes the body as a JSON object; nil when it is not one.
func (c Call) JSON() map[string]any {
	var m map[string]any
	if json.Unmarshal(c.Body, &m) != nil {
		return nil
	}
	return m
}

// Decode unmarshals the body into v.
func (c Call) Decode(v any) error { return json.Unmarshal(c.Body, v) }

// Identify is one IDENTIFY the gateway received.
type Identify struct {
	Token   string
	Intents int64
	Raw     json.RawMessage
}

type rateLimit struct {
	method, pattern string
	n               int
	retryAfter      time.Duration
	global          bool
}

type gwConn struct {
	ws *websocket.Conn
	wm sync.Mutex
}

func (c *gwConn) writeJSON(v any) error {
	c.wm.Lock()
	defer c.wm.Unlock()
	c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.ws.WriteJSON(v)
}

// NewServer starts a fake Discord on 127.0.0.1 and stops it when the test
// ends.
func NewServer(t testing.TB) *Server {
	t.Helper()
	s := &Server{
		AppID:     "900000000000000001",
		BotID:     "900000000000000001",
		BotName:   "qabot",
		changed:   make(chan struct{}),
		files:     map[string][]byte{},
		conns:     map[*gwConn]bool{},
		byPath:    map[string][]int{},
		nextID:    100000000000000000,
		heartbeat: 45 * time.Second,
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("discordtest: listen: %v", err)
	}
	s.hs = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	s.hs.Listener.Close()
	s.hs.Listener = ln
	s.hs.Start()
	s.URL = s.hs.URL + "/"
	s.GatewayURL = "ws://" + ln.Addr().String() + "/"
	t.Cleanup(s.Close)
	return s
}

// SetHeartbeatInterval sets the interval HELLO announces to new
// connections (default 45 s).
func (s *Server) SetHeartbeatInterval(d time.Duration) {
	s.mu.Lock()
	s.heartbeat = d
	s.mu.Unlock()
}

// SetToken makes the fake check credentials: REST calls whose
// Authorization differs answer 401 (except GET /gateway, which Discord
// serves to anyone), and an IDENTIFY with another token is
// closed with code 4004 (authentication failed). Empty: anything goes.
func (s *Server) SetToken(token string) {
	s.mu.Lock()
	s.token = token
	s.mu.Unlock()
}

// Close cuts every gateway connection and stops the server.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	conns := s.conns
	s.conns = map[*gwConn]bool{}
	s.cur = nil
	s.mu.Unlock()
	for c := range conns {
		c.ws.Close()
	}
	s.hs.CloseClientConnections()
	s.hs.Close()
}

// NewID returns a fresh snowflake-like id.
func (s *Server) NewID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	return strconv.FormatInt(s.nextID, 10)
}

func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// waitFor blocks until cond (called with s.mu held) is true or timeout.
func (s *Server) waitFor(timeout time.Duration, cond func() bool) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		if cond() {
			s.mu.Unlock()
			return true
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-deadline.C:
			return false
		}
	}
}

// ---- recording and assertions ----

// Calls returns every REST call so far.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// CallsTo returns the calls matching pattern ("POST /channels/*/messages").
func (s *Server) CallsTo(pattern string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.matchLocked(pattern)
}

func (s *Server) matchLocked(pattern string) []Call {
	method, pat := splitPattern(pattern)
	var out []Call
	for _, c := range s.calls {
		if (method == "" || method == c.Method) && matchPath(pat, c.Path) {
			out = append(out, c)
		}
	}
	return out
}

// WaitCalls waits until at least n calls match pattern and returns all
// matching calls; it fails the test after timeout.
func (s *Server) WaitCalls(t testing.TB, pattern string, n int, timeout time.Duration) []Call {
	t.Helper()
	method, pat := splitPattern(pattern)
	var got []Call
	seen := 0 // calls already scanned: only new ones are matched on each wake-up
	if !strings.Contains(pat, "*") {
		// an exact path: use the index instead of scanning every call
		pat = "/" + strings.Trim(pat, "/")
		if !s.waitFor(timeout, func() bool {
			idx := s.byPath[pat]
			for _, i := range idx[seen:] {
				if c := s.calls[i]; method == "" || method == c.Method {
					got = append(got, c)
				}
			}
			seen = len(idx)
			return len(got) >= n
		}) {
			t.Fatalf("discordtest: waited %v for %d call(s) to %q, got %d; all calls:\n%s", timeout, n, pattern, len(got), s.dump())
		}
		return got
	}
	if !s.waitFor(timeout, func() bool {
		for _, c := range s.calls[seen:] {
			if (method == "" || method == c.Method) && matchPath(pat, c.Path) {
				got = append(got, c)
			}
		}
		seen = len(s.calls)
		return len(got) >= n
	}) {
		t.Fatalf("discordtest: waited %v for %d call(s) to %q, got %d; all calls:\n%s", timeout, n, pattern, len(got), s.dump())
	}
	return got
}

func (s *Server) dump() string {
	var b strings.Builder
	for _, c := range s.Calls() {
		fmt.Fprintf(&b, "  %s %s -> %d %s\n", c.Method, c.Path, c.Status, truncate(string(c.Body), 200))
	}
	return b.String()
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// Identifies returns the IDENTIFY payloads received so far.
func (s *Server) Identifies() []Identify {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Identify(nil), s.identifies...)
}

// Resumes returns how many RESUMEs were answered with RESUMED.
func (s *Server) Resumes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.resumes
}

// Connected reports whether a gateway connection is identified now.
func (s *Server) Connected() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur != nil
}

// WaitReady waits until a client has identified (or resumed) on the
// gateway, and returns the last IDENTIFY.
func (s *Server) WaitReady(t testing.TB, timeout time.Duration) Identify {
	t.Helper()
	var id Identify
	if !s.waitFor(timeout, func() bool {
		if s.cur == nil || len(s.identifies) == 0 {
			return false
		}
		id = s.identifies[len(s.identifies)-1]
		return true
	}) {
		t.Fatalf("discordtest: no client identified within %v", timeout)
	}
	return id
}

// WaitDisconnected waits until no gateway connection is open.
func (s *Server) WaitDisconnected(t testing.TB, timeout time.Duration) {
	t.Helper()
	if !s.waitFor(timeout, func() bool { return len(s.conns) == 0 }) {
		t.Fatalf("discordtest: gateway still connected after %v", timeout)
	}
}

// RateLimit makes the next n REST calls matching pattern answer 429 with
// retry_after (and the X-RateLimit-* headers Discord sends).
func (s *Server) RateLimit(pattern string, n int, retryAfter time.Duration, global bool) {
	method, pat := splitPattern(pattern)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits = append(s.limits, &rateLimit{method: method, pattern: pat, n: n, retryAfter: retryAfter, global: global})
}

// AddFile serves data at a URL (as Discord's CDN would an attachment) and
// returns that URL.
func (s *Server) AddFile(name string, data []byte) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[name] = data
	return s.hs.URL + "/files/" + url.PathEscape(name)
}

// ---- gateway ----

// Dispatch sends one event (op 0) with the next sequence number to the
// identified connection, waiting up to 5 s for one. It returns the
// sequence number.
func (s *Server) Dispatch(t testing.TB, event string, data any) int64 {
	t.Helper()
	if !s.waitFor(5*time.Second, func() bool { return s.cur != nil }) {
		t.Fatalf("discordtest: Dispatch %s: no identified gateway connection", event)
	}
	raw, err := json.Marshal(data)
	if err != nil {
		t.Fatalf("discordtest: Dispatch %s: %v", event, err)
	}
	s.mu.Lock()
	c := s.cur
	s.seq++
	seq := s.seq
	s.mu.Unlock()
	if err := c.writeJSON(map[string]any{"op": 0, "t": event, "s": seq, "d": json.RawMessage(raw)}); err != nil {
		t.Fatalf("discordtest: Dispatch %s: %v", event, err)
	}
	return seq
}

// DropConnection closes the identified gateway socket without a close
// frame, as a network failure would.
func (s *Server) DropConnection() {
	s.mu.Lock()
	c := s.cur
	s.cur = nil
	s.notifyLocked()
	s.mu.Unlock()
	if c != nil {
		c.ws.Close()
	}
}

// Reconnect asks the client to reconnect (op 7), as Discord does.
func (s *Server) Reconnect(t testing.TB) {
	t.Helper()
	s.mu.Lock()
	c := s.cur
	s.mu.Unlock()
	if c == nil {
		t.Fatalf("discordtest: Reconnect: not connected")
	}
	c.writeJSON(map[string]any{"op": 7, "d": nil})
}

func (s *Server) botUser() map[string]any {
	return map[string]any{"id": s.BotID, "username": s.BotName, "discriminator": "0", "bot": true}
}

func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &gwConn{ws: ws}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		ws.Close()
		return
	}
	s.conns[c] = true
	hb := s.heartbeat
	s.notifyLocked()
	s.mu.Unlock()
	defer func() {
		ws.Close()
		s.mu.Lock()
		delete(s.conns, c)
		if s.cur == c {
			s.cur = nil
		}
		s.notifyLocked()
		s.mu.Unlock()
	}()

	if c.writeJSON(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": hb.Milliseconds()}}) != nil {
		return
	}
	identified := false
	for {
		if !identified {
			ws.SetReadDeadline(time.Now().Add(10 * time.Second))
		} else {
			ws.SetReadDeadline(time.Time{})
		}
		_, data, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var p struct {
			Op int             `json:"op"`
			D  json.RawMessage `json:"d"`
		}
		if json.Unmarshal(data, &p) != nil {
			continue
		}
		switch p.Op {
		case 1: // heartbeat
			if c.writeJSON(map[string]any{"op": 11}) != nil {
				return
			}
		case 2: // identify
			var d struct {
				Token   string `json:"token"`
				Intents int64  `json:"intents"`
			}
			json.Unmarshal(p.D, &d)
			s.mu.Lock()
			if s.token != "" && d.Token != s.token {
				s.mu.Unlock()
				c.wm.Lock()
				ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(4004, "Authentication failed."), time.Now().Add(time.Second))
				c.wm.Unlock()
				return
			}
			s.identifies = append(s.identifies, Identify{Token: d.Token, Intents: d.Intents, Raw: append(json.RawMessage(nil), p.D...)})
			s.nextID++
			s.session = "session-" + strconv.FormatInt(s.nextID, 10)
			s.seq = 1
			ready := map[string]any{
				"op": 0, "t": "READY", "s": s.seq,
				"d": map[string]any{
					"v":                  10,
					"session_id":         s.session,
					"resume_gateway_url": s.GatewayURL,
					"user":               s.botUser(),
					"application":        map[string]any{"id": s.AppID, "flags": 0},
					"guilds":             []any{},
					"private_channels":   []any{},
				},
			}
			s.mu.Unlock()
			if c.writeJSON(ready) != nil {
				return
			}
			s.setCurrent(c)
			identified = true
		case 6: // resume
			var d struct {
				SessionID string `json:"session_id"`
				Seq       int64  `json:"seq"`
			}
			json.Unmarshal(p.D, &d)
			s.mu.Lock()
			ok := d.SessionID != "" && d.SessionID == s.session
			var msg map[string]any
			if ok {
				s.resumes++
				s.seq++
				msg = map[string]any{"op": 0, "t": "RESUMED", "s": s.seq, "d": map[string]any{}}
			} else {
				msg = map[string]any{"op": 9, "d": false}
			}
			s.mu.Unlock()
			if c.writeJSON(msg) != nil {
				return
			}
			if ok {
				s.setCurrent(c)
				identified = true
			}
		}
	}
}

func (s *Server) setCurrent(c *gwConn) {
	s.mu.Lock()
	if s.conns[c] {
		s.cur = c
	}
	s.notifyLocked()
	s.mu.Unlock()
}

// ---- REST ----

var apiPrefix = regexp.MustCompile(`^/api/v\d+`)

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if websocket.IsWebSocketUpgrade(r) {
		s.serveGateway(w, r)
		return
	}
	if strings.HasPrefix(r.URL.Path, "/files/") {
		name, _ := url.PathUnescape(strings.TrimPrefix(r.URL.Path, "/files/"))
		s.mu.Lock()
		data, ok := s.files[name]
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(data)
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	path := apiPrefix.ReplaceAllString(r.URL.Path, "")
	call := Call{Method: r.Method, Path: path, Query: r.URL.Query(), Header: r.Header.Clone(), Body: body, At: time.Now()}

	s.mu.Lock()
	token := s.token
	var limited *rateLimit
	for _, l := range s.limits {
		if l.n > 0 && (l.method == "" || l.method == r.Method) && matchPath(l.pattern, path) {
			l.n--
			limited = l
			break
		}
	}
	s.mu.Unlock()

	status, resp := http.StatusOK, any(nil)
	if limited != nil {
		status = http.StatusTooManyRequests
		secs := limited.retryAfter.Seconds()
		h := w.Header()
		h.Set("X-RateLimit-Limit", "5")
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(secs, 'f', 3, 64))
		h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(time.Now().Add(limited.retryAfter).UnixMilli())/1000, 'f', 3, 64))
		h.Set("X-RateLimit-Bucket", "fake-bucket")
		h.Set("Retry-After", strconv.Itoa(int(secs+0.999)))
		if limited.global {
			h.Set("X-RateLimit-Global", "true")
			h.Set("X-RateLimit-Scope", "global")
		} else {
			h.Set("X-RateLimit-Scope", "user")
		}
		resp = map[string]any{"retry_after": secs, "global": limited.global, "message": "You are being rate limited."}
	} else if token != "" && r.Header.Get("Authorization") != token && !(r.Method == "GET" && path == "/gateway") {
		status, resp = http.StatusUnauthorized, map[string]any{"message": "401: Unauthorized", "code": 0}
	} else {
		status, resp = s.route(r.Method, path, r.URL.Query(), body)
	}

	call.Status = status
	s.mu.Lock()
	s.calls = append(s.calls, call)
	s.byPath[call.Path] = append(s.byPath[call.Path], len(s.calls)-1)
	s.notifyLocked()
	s.mu.Unlock()

	if resp == nil {
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(resp)
}

func (s *Server) route(method, path string, q url.Values, body []byte) (int, any) {
	seg := strings.Split(strings.Trim(path, "/"), "/")
	is := func(m, pattern string) bool { return method == m && matchPath(pattern, path) }
	switch {
	case is("GET", "/gateway"), is("GET", "/gateway/bot"):
		return 200, map[string]any{"url": s.GatewayURL, "shards": 1,
			"session_start_limit": map[string]any{"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}}
	case is("GET", "/users/@me"):
		return 200, s.botUser()
	case is("PUT", "/applications/*/commands"), is("PUT", "/applications/*/guilds/*/commands"):
		var cmds []map[string]any
		if json.Unmarshal(body, &cmds) != nil {
			return 400, map[string]any{"message": "Invalid Form Body", "code": 50035}
		}
		for _, c := range cmds {
			c["id"] = s.NewID()
			c["application_id"] = seg[1]
			c["version"] = "1"
			if len(seg) == 5 {
				c["guild_id"] = seg[3]
			}
		}
		return 200, cmds
	case is("POST", "/channels/*/messages"):
		return 200, s.message(seg[1], body)
	case is("POST", "/channels/*/typing"):
		return 204, nil
	case is("POST", "/interactions/*/*/callback"):
		return 204, nil
	case is("PATCH", "/webhooks/*/*/messages/*"):
		return 200, s.message("", body)
	case is("DELETE", "/webhooks/*/*/messages/*"):
		return 204, nil
	case is("POST", "/webhooks/*/*"):
		if q.Get("wait") == "true" {
			return 200, s.message("", body)
		}
		return 204, nil
	}
	return 404, map[string]any{"message": "404: Not Found", "code": 0}
}

// message answers a message-creating call: the request's fields plus an
// id, the channel, the bot as author and a timestamp.
func (s *Server) message(channelID string, body []byte) map[string]any {
	m := map[string]any{}
	json.Unmarshal(body, &m)
	for _, k := range []string{"allowed_mentions", "message_reference", "tts", "sticker_ids", "attachments"} {
		delete(m, k)
	}
	m["id"] = s.NewID()
	if channelID != "" {
		m["channel_id"] = channelID
	}
	m["author"] = s.botUser()
	m["timestamp"] = time.Now().UTC().Format(time.RFC3339Nano)
	m["type"] = 0
	return m
}

func splitPattern(p string) (method, path string) {
	p = strings.TrimSpace(p)
	if i := strings.IndexByte(p, ' '); i > 0 {
		return strings.ToUpper(p[:i]), strings.TrimSpace(p[i+1:])
	}
	return "", p
}

// matchPath matches path against pattern, where "*" is one segment.
func matchPath(pattern, path string) bool {
	ps := strings.Split(strings.Trim(pattern, "/"), "/")
	xs := strings.Split(strings.Trim(path, "/"), "/")
	if len(ps) != len(xs) {
		return false
	}
	for i := range ps {
		if ps[i] != "*" && ps[i] != xs[i] {
			return false
		}
	}
	return true
}
