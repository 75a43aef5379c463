package ops

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qabot/qabot/bot"
)

type fakeAdapter struct {
	name string
	conn atomic.Bool
}

func (a *fakeAdapter) Name() string                           { return a.name }
func (a *fakeAdapter) Run(context.Context, bot.Handler) error { return nil }
func (a *fakeAdapter) Connected() bool                        { return a.conn.Load() }

type plainAdapter struct{}

func (plainAdapter) Name() string                           { return "console" }
func (plainAdapter) Run(context.Context, bot.Handler) error { return nil }

var loaded = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	return rec.Code, rec.Body.String()
}

func TestHealthz(t *testing.T) {
	tg, dc := &fakeAdapter{name: "telegram"}, &fakeAdapter{name: "discord"}
	h := Handler(Options{
		Adapters: []bot.Adapter{tg, dc},
		Content:  func() Content { return Content{Articles: 3, Sentences: 42, LoadedAt: loaded} },
		Now:      func() time.Time { return loaded.Add(90 * time.Second) },
	})
	code, body := get(t, h, "/healthz")
	if code != http.StatusServiceUnavailable {
		t.Errorf("no adapter connected: %d", code)
	}
	var doc Health
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	if doc.Status != "unavailable" || len(doc.Adapters) != 2 || doc.Adapters[0] != (AdapterHealth{"telegram", false}) ||
		doc.Index == nil || doc.Index.Articles != 3 || doc.Index.Sentences != 42 || doc.Index.AgeSeconds != 90 {
		t.Errorf("doc = %+v (%s)", doc, body)
	}

	dc.conn.Store(true)
	code, body = get(t, h, "/healthz")
	if code != http.StatusOK || !strings.Contains(body, `"status": "ok"`) ||
		!strings.Contains(body, `"name": "discord",`+"\n"+`      "connected": true`) {
		t.Errorf("one connected: %d %s", code, body)
	}

	// An adapter without a connection (the console) counts as up.
	code, _ = get(t, Handler(Options{Adapters: []bot.Adapter{plainAdapter{}}}), "/healthz")
	if code != http.StatusOK {
		t.Errorf("console: %d", code)
	}
	// No adapter at all: unavailable.
	if code, _ = get(t, Handler(Options{}), "/healthz"); code != http.StatusServiceUnavailable {
		t.Errorf("none: %d", code)
	}
	// Only GET; /metrics absent without Metrics.
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/healthz", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", rec.Code)
	}
	if code, _ := get(t, h, "/metrics"); code != http.StatusNotFound {
		t.Errorf("metrics without Metrics: %d", code)
	}
}

// metric returns the value of one sample line of the exposition text.
func metric(t *testing.T, body, series string) string {
	t.Helper()
	for _, l := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(l, series+" "); ok {
			return v
		}
	}
	return ""
}

func TestMetrics(t *testing.T) {
	m := NewMetrics()
	sentences := 10
	m.SetContent(func() Content { return Content{Sentences: sentences} })
	h := Handler(Options{Metrics: m})

	_, body := get(t, h, "/metrics")
	for _, want := range []string{"go_goroutines", "qabot_reloads_total 0", "qabot_reload_failures_total 0", "qabot_index_sentences 10"} {
		if !strings.Contains(body, want) {
			t.Errorf("missing %q", want)
		}
	}
	if !strings.Contains(body, "process_") {
		t.Log("no process_ metrics on this platform")
	}

	var bm bot.Metrics = m
	bm.ObserveQuestion("telegram", "ar", true, 30*time.Millisecond)
	bm.ObserveQuestion("telegram", "ar", false, 2*time.Second)
	bm.ObserveQuestion("discord", "en", false, time.Millisecond)
	bm.RateLimited("telegram")
	m.Reconnected("discord")
	m.Reconnected("discord")
	m.Reloaded(nil)
	m.Reloaded(errors.New("bad"))
	sentences = 12

	code, body := get(t, h, "/metrics")
	if code != http.StatusOK {
		t.Fatalf("code %d", code)
	}
	for series, want := range map[string]string{
		`qabot_questions_total{lang="ar",platform="telegram"}`:               "2",
		`qabot_questions_total{lang="en",platform="discord"}`:                "1",
		`qabot_answered_total{lang="ar",platform="telegram"}`:                "1",
		`qabot_answered_total{lang="en",platform="discord"}`:                 "0",
		`qabot_answer_latency_seconds_count{platform="telegram"}`:            "2",
		`qabot_answer_latency_seconds_bucket{platform="telegram",le="0.05"}`: "1",
		`qabot_answer_latency_seconds_bucket{platform="telegram",le="+Inf"}`: "2",
		`qabot_rate_limited_total{platform="telegram"}`:                      "1",
		`qabot_reconnects_total{platform="discord"}`:                         "2",
		`qabot_reloads_total`:         "2",
		`qabot_reload_failures_total`: "1",
		`qabot_index_sentences`:       "12",
	} {
		if got := metric(t, body, series); got != want {
			t.Errorf("%s = %q, want %q", series, got, want)
		}
	}
}

// TestListenLoopback runs the real server on a loopback port.
func TestListenLoopback(t *testing.T) {
	m := NewMetrics()
	tg := &fakeAdapter{name: "telegram"}
	tg.conn.Store(true)
	srv, err := Listen("127.0.0.1:0", Handler(Options{Adapters: []bot.Adapter{tg}, Metrics: m}), nil)
	if err != nil {
		t.Fatal(err)
	}
	m.ObserveQuestion("telegram", "en", true, time.Millisecond)
	for path, want := range map[string]string{
		"/healthz": `"connected": true`,
		"/metrics": `qabot_questions_total{lang="en",platform="telegram"} 1`,
	} {
		resp, err := http.Get("http://" + srv.Addr() + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), want) {
			t.Errorf("%s: %d %s", path, resp.StatusCode, b)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Error(err)
	}
	if _, err := http.Get("http://" + srv.Addr() + "/healthz"); err == nil {
		t.Error("still serving after Shutdown")
	}
}
