// Package ops is qabot's operations endpoint: /healthz (JSON: each
// adapter's connection state and the served content; 503 while no adapter
// is connected) and /metrics (Prometheus text format, from a registry of
// its own).
//
// Metrics implements bot.Metrics, so the router counts questions, answer
// latency and rate limiting straight into it; the wiring counts reloads
// and the adapters' reconnects.
package ops

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/qabot/qabot/bot"
)

// Content describes the content being served.
type Content struct {
	Articles  int
	Sentences int
	LoadedAt  time.Time // when the serving index was built or loaded
}

// Metrics are qabot's Prometheus metrics, in a registry of their own (with
// the Go and process collectors). It is safe for concurrent use.
type Metrics struct {
	reg         *prometheus.Registry
	questions   *prometheus.CounterVec
	answered    *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	reloads     prometheus.Counter
	reloadFails prometheus.Counter
	limited     *prometheus.CounterVec
	reconnects  *prometheus.CounterVec
	content     atomic.Pointer[func() Content]
}

var _ bot.Metrics = (*Metrics)(nil)

// NewMetrics returns the metrics with every counter at zero.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		questions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "qabot_questions_total", Help: "Questions put to the answering engine.",
		}, []string{"platform", "lang"}),
		answered: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "qabot_answered_total", Help: "Questions answered with a quote (answered/questions is the answered ratio).",
		}, []string{"platform", "lang"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "qabot_answer_latency_seconds", Help: "Time the engine took to answer a question.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"platform"}),
		reloads: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "qabot_reloads_total", Help: "Content reloads attempted (chat command, upload, SIGHUP, file watch).",
		}),
		reloadFails: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "qabot_reload_failures_total", Help: "Content reloads that failed (the old index kept serving).",
		}),
		limited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "qabot_rate_limited_total", Help: "Messages refused by the per-user or per-chat rate limit.",
		}, []string{"platform"}),
		reconnects: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "qabot_reconnects_total", Help: "Times an adapter got its connection back after losing it.",
		}, []string{"platform"}),
	}
	sentences := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "qabot_index_sentences", Help: "Sentences in the serving index.",
	}, func() float64 {
		if f := m.content.Load(); f != nil {
			return float64((*f)().Sentences)
		}
		return 0
	})
	m.reg.MustRegister(m.questions, m.answered, m.latency, m.reloads, m.reloadFails, m.limited, m.reconnects, sentences,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// SetContent sets where qabot_index_sentences is read from.
func (m *Metrics) SetContent(f func() Content) {
	if f != nil {
		m.content.Store(&f)
	}
}

// ObserveQuestion implements bot.Metrics.
func (m *Metrics) ObserveQuestion(platform, lang string, answered bool, latency time.Duration) {
	m.questions.WithLabelValues(platform, lang).Inc()
	// Touch the answered series too, so the ratio has both sides at once.
	a := m.answered.WithLabelValues(platform, lang)
	if answered {
		a.Inc()
	}
	m.latency.WithLabelValues(platform).Observe(latency.Seconds())
}

// RateLimited implements bot.Metrics.
func (m *Metrics) RateLimited(platform string) { m.limited.WithLabelValues(platform).Inc() }

// Reconnected counts one reconnect of a platform's adapter.
func (m *Metrics) Reconnected(platform string) { m.reconnects.WithLabelValues(platform).Inc() }

// Reloaded counts one reload, failed when err is not nil.
func (m *Metrics) Reloaded(err error) {
	m.reloads.Inc()
	if err != nil {
		m.reloadFails.Inc()
	}
}

// Options configure the ops Handler.
type Options struct {
	// Adapters are reported by /healthz; those that implement
	// bot.Connector give their connection state, the others count as
	// connected while the process runs.
	Adapters []bot.Adapter
	// Content describes the served content; nil: not reported.
	Content func() Content
	// Metrics are served at /metrics; nil: /metrics is 404.
	Metrics *Metrics
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Health is the /healthz document.
type Health struct {
	Status   string          `json:"status"` // "ok" or "unavailable"
	Adapters []AdapterHealth `json:"adapters"`
	Index    *IndexHealth    `json:"index,omitempty"`
}

// AdapterHealth is one adapter's state.
type AdapterHealth struct {
	Name      string `json:"name"`
	Connected bool   `json:"connected"`
}

// IndexHealth describes the served content.
type IndexHealth struct {
	Articles   int       `json:"articles"`
	Sentences  int       `json:"sentences"`
	LoadedAt   time.Time `json:"loaded_at"`
	AgeSeconds float64   `json:"age_seconds"`
}

// Check returns the health document and whether the bot is healthy: at
// least one adapter connected.
func Check(opts Options) (Health, bool) {
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	h := Health{Adapters: []AdapterHealth{}}
	ok := false
	for _, a := range opts.Adapters {
		c := true
		if cn, is := a.(bot.Connector); is {
			c = cn.Connected()
		}
		ok = ok || c
		h.Adapters = append(h.Adapters, AdapterHealth{Name: a.Name(), Connected: c})
	}
	if opts.Content != nil {
		c := opts.Content()
		h.Index = &IndexHealth{Articles: c.Articles, Sentences: c.Sentences, LoadedAt: c.LoadedAt.UTC()}
		if !c.LoadedAt.IsZero() {
			h.Index.AgeSeconds = now().Sub(c.LoadedAt).Round(time.Millisecond).Seconds()
		}
	}
	h.Status = "unavailable"
	if ok {
		h.Status = "ok"
	}
	return h, ok
}

// Handler serves /healthz and /metrics.
func Handler(opts Options) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		h, ok := Check(opts)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		if !ok {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(h)
	})
	if opts.Metrics != nil {
		mux.Handle("GET /metrics", promhttp.HandlerFor(opts.Metrics.reg, promhttp.HandlerOpts{
			// A collector that fails (a process metric a sandbox hides)
			// leaves the rest served.
			ErrorHandling: promhttp.ContinueOnError,
		}))
	}
	return mux
}

// Server is a running ops HTTP server.
type Server struct {
	srv    *http.Server
	ln     net.Listener
	served chan error
}

// Listen starts serving h on addr ("127.0.0.1:9090"; port 0 picks one).
func Listen(addr string, h http.Handler, log *slog.Logger) (*Server, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Server{
		ln: ln,
		srv: &http.Server{
			Handler:           h,
			ReadHeaderTimeout: 5 * time.Second,
			ReadTimeout:       10 * time.Second,
			WriteTimeout:      30 * time.Second,
			IdleTimeout:       60 * time.Second,
			MaxHeaderBytes:    16 << 10,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		},
		served: make(chan error, 1),
	}
	go func() { s.served <- s.srv.Serve(ln) }()
	return s, nil
}

// Addr returns the address the server listens on.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Shutdown stops the server, waiting for requests in flight until ctx is
// done, then closing what is left.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.srv.Shutdown(ctx)
	if err != nil {
		s.srv.Close()
	}
	if serr := <-s.served; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		return serr
	}
	return err
}
