package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/qabot/qabot/bot"
	"github.com/qabot/qabot/bot/backend"
	"github.com/qabot/qabot/bot/discord"
	"github.com/qabot/qabot/bot/ops"
	"github.com/qabot/qabot/bot/store"
	"github.com/qabot/qabot/bot/telegram"
	"github.com/qabot/qabot/qa/lexicon"
	"github.com/qabot/qabot/qa/service"
)

// drainTimeout is how long answers in flight at shutdown may take to
// finish and be sent.
const drainTimeout = 10 * time.Second

// watchInterval is how often [content] watch looks at the directory.
const watchInterval = 2 * time.Second

// runServe runs the bot on the configured platforms until a signal (or ctx)
// stops it.
func (m *Main) runServe(ctx context.Context, args []string) error {
	fs := m.newFlagSet("serve")
	path := fs.String("config", "", "TOML config `FILE` (see config.example.toml)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	cfg, err := LoadConfig(*path)
	if err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	log, err := m.configLogger(cfg.Log)
	if err != nil {
		return err
	}
	// Libraries that log through the default logger (discordgo, via the
	// Discord adapter) get the configured format and level too.
	prev := slog.Default()
	slog.SetDefault(log)
	defer slog.SetDefault(prev)
	return m.serve(ctx, cfg, log)
}

func (m *Main) configLogger(lc LogConfig) (*slog.Logger, error) {
	level, err := lc.SlogLevel()
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	opts := &slog.HandlerOptions{Level: level}
	if lc.Format == "json" {
		return slog.New(slog.NewJSONHandler(m.Stderr, opts)), nil
	}
	return slog.New(slog.NewTextHandler(m.Stderr, opts)), nil
}

// serve wires the store, the content service, the router, the adapters and
// the ops endpoint, and runs them until a signal or ctx stops them. It is
// the body of `qabot serve`, callable from a test with a Config.
func (m *Main) serve(ctx context.Context, cfg *Config, log *slog.Logger) error {
	if !cfg.Telegram.Enabled && !cfg.Discord.Enabled {
		return errors.New("no platform is enabled: set [telegram] or [discord] enabled = true (or use `qabot chat`)")
	}
	log.Info("starting", "config", *cfg)

	var closers []closer
	closeAll := func() {
		for _, c := range closers {
			c.close(log)
		}
	}

	st, err := openStore(cfg.Store, log)
	if err != nil {
		return err
	}
	if st != nil {
		closers = append(closers, closer{"store", st.Close})
	}

	// The lexicons load while the index opens: start-up takes the longer of
	// the two, not their sum.
	lexc := make(chan *lexicon.Lexicon, 1)
	go func() { lexc <- loadLexicon(false, cfg.Lexicon.Dictd, log) }()
	svc, err := service.New(ctx, service.Config{
		ContentDir:      cfg.Content.Dir,
		IndexDir:        cfg.Index.Dir,
		MaxArticleBytes: int(cfg.Limits.MaxUploadBytes),
		Logger:          log,
	})
	if err != nil {
		closeAll()
		return err
	}
	closers = append(closers, closer{"index", svc.Close})
	svc.Engine().SetLexicon(<-lexc) // before any adapter takes a question

	metrics := ops.NewMetrics()
	content := func() ops.Content {
		s := svc.Stats()
		return ops.Content{Articles: s.Articles, Sentences: s.Sentences, LoadedAt: s.LoadedAt}
	}
	metrics.SetContent(content)
	be := &backend.Backend{Service: svc, OnReload: metrics.Reloaded}
	be.UsageStats = func(ctx context.Context, lang string) string {
		return usageStats(ctx, st, lang, time.Now(), log)
	}

	rc := routerConfig(cfg)
	rc.Metrics = metrics
	if st != nil {
		rc.Feedback = st
		rc.QuestionLog = storeLog{st: st, log: log}
	}
	router := bot.NewRouter(be, rc, log)

	var adapters []bot.Adapter
	if cfg.Telegram.Enabled {
		tg, err := telegram.New(telegram.Options{
			Token:         cfg.Telegram.Token,
			APIEndpoint:   cfg.Telegram.APIEndpoint,
			Mode:          cfg.Telegram.Mode,
			WebhookListen: cfg.Telegram.WebhookListen,
			WebhookURL:    cfg.Telegram.WebhookURL,
			WebhookSecret: cfg.Telegram.WebhookSecret,
			Logger:        log.With("platform", "telegram"),
			WillAnswer:    router.WillAnswer,
			ShutdownGrace: drainTimeout,
			OnReconnect:   func() { metrics.Reconnected("telegram") },
		})
		if err != nil {
			closeAll()
			return fmt.Errorf("telegram: %w", err)
		}
		adapters = append(adapters, tg)
	}
	if cfg.Discord.Enabled {
		dc, err := discord.New(discord.Options{
			Token:          cfg.Discord.Token,
			APIBase:        cfg.Discord.APIBase,
			Admins:         cfg.Discord.Admins,
			Guilds:         cfg.Discord.Guilds,
			MessageContent: cfg.Discord.MessageContent,
			Logger:         log.With("platform", "discord"),
			WillAnswer:     router.WillAnswer,
			DrainTimeout:   drainTimeout,
			OnReconnect:    func() { metrics.Reconnected("discord") },
		})
		if err != nil {
			closeAll()
			return fmt.Errorf("discord: %w", err)
		}
		adapters = append(adapters, dc)
	}

	s := &server{
		log:      log,
		adapters: adapters,
		handler:  router,
		reload:   be.Reload,
		signals:  m.Signals,
		exit:     m.exit,
		drain:    drainTimeout,
		closers:  closers,
	}
	if cfg.Content.Watch && cfg.Content.Dir != "" {
		s.watchDir = cfg.Content.Dir
	}
	if cfg.Ops.Listen != "" {
		s.opsListen = cfg.Ops.Listen
		s.ops = ops.Handler(ops.Options{Adapters: adapters, Content: content, Metrics: metrics})
	}
	return s.run(ctx)
}

// openStore opens the question log, creating its directory; nil when
// [store] enabled = false (then no file is made).
func openStore(sc StoreConfig, log *slog.Logger) (*store.Store, error) {
	if !sc.Enabled {
		log.Info("question log off ([store] enabled = false)")
		return nil, nil
	}
	if dir := filepath.Dir(sc.Path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
	}
	st, err := store.Open(sc.Path, store.Options{RetentionDays: sc.RetentionDays, Logger: log})
	if err != nil {
		return nil, err
	}
	log.Info("question log open", "path", sc.Path, "retention_days", sc.RetentionDays)
	return st, nil
}

// storeLog is the router's QuestionLog over the store.
type storeLog struct {
	st  *store.Store
	log *slog.Logger
}

var (
	_ bot.QuestionLog  = storeLog{}
	_ bot.FeedbackSink = (*store.Store)(nil)
)

func (l storeLog) LogQuestion(ctx context.Context, e bot.QuestionEvent) {
	// The answer is ready: log it even if the chat's context is ending.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	err := l.st.LogQuestion(ctx, store.QuestionRecord{
		Time: e.Time, Platform: e.Platform, Chat: e.ChatID, User: e.UserID, Question: e.Question,
		Lang: e.Lang, Answered: e.Answered, TopDoc: e.TopDoc, Latency: e.Latency, Key: e.Key,
	})
	if err != nil {
		l.log.Error("question log", "err", err, "platform", e.Platform)
	}
}

// closer is something to close at shutdown, after the adapters stopped.
type closer struct {
	name string
	fn   func() error
}

func (c closer) close(log *slog.Logger) {
	if err := c.fn(); err != nil {
		log.Error("closing "+c.name, "err", err)
	} else {
		log.Debug("closed " + c.name)
	}
}

// server runs the adapters, the reload triggers and the ops endpoint, and
// shuts them down in order.
type server struct {
	log      *slog.Logger
	adapters []bot.Adapter
	handler  bot.Handler
	reload   func(ctx context.Context) (bot.ReloadReport, error)
	// signals: SIGHUP reloads; SIGINT/SIGTERM (any other) shut down, and a
	// second one exits at once through exit.
	signals <-chan os.Signal
	exit    func(code int)
	// drain is how long answers in flight may take after the shutdown
	// began; then their context is cancelled.
	drain     time.Duration
	watchDir  string        // "" : no watching
	watchTick time.Duration // default watchInterval
	opsListen string
	ops       http.Handler
	closers   []closer // in order, after the adapters stopped
}

// run runs until the adapters stop: after a signal or ctx being done (a
// clean shutdown, nil), or when all of them fail.
func (s *server) run(ctx context.Context) error {
	defer func() {
		for _, c := range s.closers {
			c.close(s.log)
		}
	}()
	if len(s.adapters) == 0 {
		return errors.New("no adapter to run")
	}
	var opsSrv *ops.Server
	if s.opsListen != "" {
		var err error
		if opsSrv, err = ops.Listen(s.opsListen, s.ops, s.log); err != nil {
			return fmt.Errorf("ops listen: %w", err)
		}
		s.log.Info("ops endpoint listening", "addr", opsSrv.Addr(), "paths", "/healthz /metrics")
		defer func() {
			sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			if err := opsSrv.Shutdown(sctx); err != nil {
				s.log.Warn("ops endpoint shutdown", "err", err)
			}
		}()
	}

	// hard ends the answers in flight: at the drain timeout, or at once on
	// a second signal. takeCtx ends the taking of new updates.
	hard, hardStop := context.WithCancel(context.WithoutCancel(ctx))
	defer hardStop()
	takeCtx, stopTaking := context.WithCancel(ctx)
	defer stopTaking()

	// One reload at a time; requests while one waits are merged into it.
	reloads := make(chan string, 1)
	var bg sync.WaitGroup
	bg.Add(1)
	go func() {
		defer bg.Done()
		for trigger := range reloads {
			s.doReload(hard, trigger)
		}
	}()
	requestReload := func(trigger string) {
		select {
		case reloads <- trigger:
		default:
			s.log.Info("reload already pending", "trigger", trigger)
		}
	}
	if s.watchDir != "" {
		tick := s.watchTick
		if tick <= 0 {
			tick = watchInterval
		}
		bg.Add(1)
		go func() {
			defer bg.Done()
			watchDir(takeCtx, s.watchDir, tick, s.log, func() { requestReload("watch") })
		}()
		s.log.Info("watching the content directory", "dir", s.watchDir, "every", tick)
	}
	defer func() {
		stopTaking()
		close(reloads)
		bg.Wait()
	}()

	h := &drainHandler{h: s.handler, hard: hard}
	done := make(chan error, 1)
	go func() { done <- runAdapters(takeCtx, s.adapters, h, s.log) }()

	shutdown := false
	ctxDone := ctx.Done()
	var drainTimer <-chan time.Time
	begin := func(why string) {
		shutdown = true
		ctxDone = nil
		s.log.Info("shutting down: no new updates; answers in flight may finish", "cause", why, "drain", s.drain)
		stopTaking()
		t := time.NewTimer(s.drain)
		drainTimer = t.C
	}
	for {
		select {
		case sig := <-s.signals:
			switch {
			case sig == syscall.SIGHUP && !shutdown:
				s.log.Info("SIGHUP: reloading the content")
				requestReload("SIGHUP")
			case sig == syscall.SIGHUP:
			case !shutdown:
				begin(sig.String())
			default:
				s.log.Warn("second signal: exiting now", "signal", sig.String())
				s.exit(1)
				hardStop() // only reached when exit returns (tests)
			}
		case <-ctxDone:
			begin("context done")
		case <-drainTimer:
			drainTimer = nil
			s.log.Warn("answers still running after the drain timeout; cancelling them", "drain", s.drain)
			hardStop()
		case err := <-done:
			if shutdown {
				s.log.Info("adapters stopped")
				return nil
			}
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
	}
}

// doReload reloads the content and logs the report.
func (s *server) doReload(ctx context.Context, trigger string) {
	rep, err := s.reload(ctx)
	if err != nil {
		s.log.Error("reload failed; the old content keeps serving", "trigger", trigger, "err", err,
			"failed_files", len(rep.Failed))
		return
	}
	s.log.Info("reloaded", "trigger", trigger, "articles", rep.Articles, "sentences", rep.Sentences,
		"added", rep.Added, "removed", rep.Removed, "changed", rep.Changed,
		"failed_files", len(rep.Failed), "took", rep.Took.Round(time.Millisecond))
	for _, f := range rep.Failed {
		s.log.Warn("article not loaded", "trigger", trigger, "error", f)
	}
}

// drainHandler runs the handler under a context that the adapters'
// stopping does not cancel: an answer in flight at shutdown finishes, until
// hard is done.
type drainHandler struct {
	h    bot.Handler
	hard context.Context
}

func (d *drainHandler) Handle(ctx context.Context, m bot.Message) []bot.Reply {
	hctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	stop := context.AfterFunc(d.hard, cancel)
	defer stop()
	return d.h.Handle(hctx, m)
}

// runAdapters runs every adapter until ctx is done or all have stopped. An
// adapter that fails is logged; the others go on.
func runAdapters(ctx context.Context, adapters []bot.Adapter, h bot.Handler, log *slog.Logger) error {
	var wg sync.WaitGroup
	errs := make([]error, len(adapters))
	for i, a := range adapters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			log.Info("adapter starting", "adapter", a.Name())
			err := a.Run(ctx, h)
			if err != nil && ctx.Err() == nil {
				log.Error("adapter stopped", "adapter", a.Name(), "error", err, "after", time.Since(start).Round(time.Second))
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		log.Info("adapters stopped")
		return nil
	}
	return errors.Join(errs...)
}

func routerConfig(cfg *Config) bot.RouterConfig {
	rc := bot.DefaultRouterConfig()
	rc.Admins = map[string]map[string]bool{
		"telegram": idSet(cfg.Telegram.Admins),
		"discord":  idSet(cfg.Discord.Admins),
	}
	// An empty set allows every chat (see bot.RouterConfig.AllowedChats).
	rc.AllowedChats = map[string]map[string]bool{
		"telegram": idSet(cfg.Telegram.AllowedChats),
		"discord":  idSet(cfg.Discord.AllowedChannels),
	}
	rc.UserPerMinute = cfg.Limits.UserPerMinute
	rc.ChatPerMinute = cfg.Limits.ChatPerMinute
	// bot.NewRouter puts its defaults in place of these when 0 or less.
	rc.MaxQuestionRunes = cfg.Limits.MaxQuestionChars
	rc.MaxUploadBytes = cfg.Limits.MaxUploadBytes
	rc.TopAnswers = cfg.Limits.TopAnswers
	return rc
}

// idSet returns the set of ids in their decimal (or own) spelling.
func idSet[T int64 | string](ids []T) map[string]bool {
	set := make(map[string]bool, len(ids))
	for _, id := range ids {
		set[fmt.Sprint(id)] = true
	}
	return set
}
