package discord

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// discordHosts are the hosts whose requests are sent to Options.APIBase
// instead. discordgo computes its endpoints from EndpointDiscord at package
// init, so rewriting in the transport is the only race-free way to aim a
// Session at another server.
var discordHosts = map[string]bool{
	"discord.com":    true,
	"discordapp.com": true,
}

// errStopped is returned for requests made after the adapter stopped.
var errStopped = errors.New("discord: adapter stopped")

// transport rewrites requests for discord.com to the configured base,
// bounds the rate-limit waits discordgo derives from response headers, and
// cancels every request in flight when the adapter stops.
type transport struct {
	base    http.RoundTripper
	target  *url.URL        // nil: send to Discord itself
	maxWait time.Duration   // cap for X-RateLimit-Reset-After
	stop    context.Context // done when the adapter stops
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.stop.Err() != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, errStopped
	}
	if t.target != nil && discordHosts[strings.ToLower(req.URL.Hostname())] {
		r2 := req.Clone(req.Context())
		u := *req.URL
		u.Scheme = t.target.Scheme
		u.Host = t.target.Host
		if p := strings.TrimSuffix(t.target.Path, "/"); p != "" {
			u.Path = p + u.Path
			if u.RawPath != "" {
				u.RawPath = p + u.RawPath
			}
		}
		r2.URL = &u
		r2.Host = t.target.Host
		req = r2
	}
	// Tie the request to the adapter's lifetime as well as its own context.
	ctx, cancelReq := context.WithCancel(req.Context())
	unhook := context.AfterFunc(t.stop, cancelReq)
	cancel := func() { unhook(); cancelReq() }
	resp, err := t.base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	clampRateLimitHeaders(resp.Header, t.maxWait)
	resp.Body = &cancelBody{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// cancelBody releases the request's context when the body is closed.
type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// clampRateLimitHeaders bounds the bucket reset discordgo will sleep for
// (uncancellably, holding the bucket lock) to maxWait. It turns an
// X-RateLimit-Reset (absolute time) into X-RateLimit-Reset-After, which
// discordgo prefers, so only one header needs clamping.
func clampRateLimitHeaders(h http.Header, maxWait time.Duration) {
	if maxWait <= 0 {
		return
	}
	limit := maxWait.Seconds()
	if ra := h.Get("X-RateLimit-Reset-After"); ra != "" {
		v, err := strconv.ParseFloat(ra, 64)
		if err != nil || math.IsNaN(v) || v < 0 {
			v = 0
		}
		h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(math.Min(v, limit), 'f', 3, 64))
		h.Del("X-RateLimit-Reset")
		return
	}
	if r := h.Get("X-RateLimit-Reset"); r != "" {
		h.Del("X-RateLimit-Reset")
		v, err := strconv.ParseFloat(r, 64)
		if err != nil {
			return
		}
		after := time.Until(time.Unix(0, int64(v*1e9))).Seconds()
		after = math.Max(0, math.Min(after, limit))
		h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(after, 'f', 3, 64))
	}
}

// connTracker remembers the gateway's network connections so that a stuck
// handshake (a server that accepts the socket but never says HELLO) can be
// cut when the adapter stops.
type connTracker struct {
	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
	dialer net.Dialer
}

func (c *connTracker) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	conn, err := c.dialer.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		conn.Close()
		return nil, errStopped
	}
	if c.conns == nil {
		c.conns = map[net.Conn]struct{}{}
	}
	tc := &trackedConn{Conn: conn, t: c}
	c.conns[tc] = struct{}{}
	return tc, nil
}

func (c *connTracker) closeAll() {
	c.mu.Lock()
	c.closed = true
	conns := c.conns
	c.conns = nil
	c.mu.Unlock()
	for conn := range conns {
		conn.(*trackedConn).Conn.Close()
	}
}

type trackedConn struct {
	net.Conn
	t    *connTracker
	once sync.Once
}

func (tc *trackedConn) Close() error {
	tc.once.Do(func() {
		tc.t.mu.Lock()
		delete(tc.t.conns, tc)
		tc.t.mu.Unlock()
	})
	return tc.Conn.Close()
}

// parseBase checks Options.APIBase.
func parseBase(s string) (*url.URL, error) {
	if s == "" {
		return nil, nil
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("discord: api_base %q: %w", s, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("discord: api_base %q: want http(s)://host[:port]/", s)
	}
	return u, nil
}
