// Package discord is qabot's Discord adapter and the only importer of
// discordgo. It turns gateway events (slash commands, button presses,
// direct messages, mentions and replies in guild channels) into
// bot.Message values, hands them to a bot.Handler, and renders the
// bot.Replies as Discord messages and embeds.
//
// Decisions worth knowing:
//   - A guild message that neither mentions the bot nor replies to one of
//     its messages is dropped here and never reaches the handler (without
//     MESSAGE_CONTENT its text is empty anyway). Direct messages always
//     reach it, with Addressed set.
//   - Slash commands are acknowledged within Discord's 3 seconds: when the
//     handler answers within Options.DeferAfter the answer is the
//     interaction response (type 4); otherwise a deferred response (type 5)
//     goes first and the answer edits it. A deferred answer whose first
//     message is ephemeral replaces the public "thinking" response with an
//     ephemeral followup.
//   - A reply to a message references it (Reply.ReplyTo, else the
//     question; fail_if_not_exists false). Reply.Ephemeral only works for
//     interactions: a reply to a plain message is always public. A Toast
//     becomes an ephemeral message (for a button press: the response).
//   - Every message carries allowed_mentions with an empty parse list, so
//     nothing the bot sends can ping anyone; plain text also has markdown
//     escaped and @everyone/@here broken, quotes show exactly as written.
//   - A text message starting with "/name" (in a DM, or after the mention)
//     sets Message.Command, so an admin can attach a file to "/reload".
//   - discordgo's own reconnect loop is off; Run reconnects (RESUME, or a
//     new IDENTIFY) with backoff, so that it can stop cleanly. 429s are not
//     retried by discordgo: the adapter waits retry_after out when it is at
//     most Options.MaxRetryAfter and gives up otherwise.
package discord

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/qabot/qabot/bot"
)

// Options configures an Adapter.
type Options struct {
	// Token is the bot token; "Bot " is prepended when missing.
	Token string
	// APIBase is the REST base URL ending in "/", e.g.
	// "http://127.0.0.1:8090/"; requests for https://discord.com/ go there.
	// Empty: Discord itself.
	APIBase string
	// Admins are the user snowflakes allowed to add articles; the router
	// checks too. An attachment's Fetch refuses other users.
	Admins []string
	// Guilds, when set, get the slash commands registered per guild (they
	// show at once); otherwise the commands are registered globally.
	Guilds []string
	// MessageContent asks for the privileged MESSAGE_CONTENT intent.
	MessageContent bool
	// Logger receives the adapter's logs; nil: slog.Default().
	Logger *slog.Logger
	// WillAnswer, when set, says whether the router will answer a message;
	// the adapter shows "typing…" only then. Nil: always.
	WillAnswer func(bot.Message) bool
	// MaxRetryAfter is the longest 429 retry_after (and rate-limit reset)
	// the adapter waits out; longer ones fail the call. Default 10 s.
	MaxRetryAfter time.Duration
	// DeferAfter is how long a slash command's handler may run before the
	// interaction is acknowledged with a deferred response. Default 1.5 s;
	// at most 2.5 s (Discord allows 3 s).
	DeferAfter time.Duration
	// OnReconnect, when set, is called each time the gateway session is
	// open again after it was lost. It must not block.
	OnReconnect func()
	// DrainTimeout is how long, once Run's context is done, the handlers
	// already running may go on and send their replies (no new events are
	// taken meanwhile). Zero: they are cancelled at once.
	DrainTimeout time.Duration
}

const (
	defaultMaxRetryAfter = 10 * time.Second
	defaultDeferAfter    = 1500 * time.Millisecond
	maxDeferAfter        = 2500 * time.Millisecond
	max429Retries        = 4
	maxBackoff           = 60 * time.Second
	shutdownGrace        = 3 * time.Second
	typingEvery          = 8 * time.Second
	maxDocument          = 8 << 20
)

// Adapter is the Discord bot.Adapter and bot.Connector.
type Adapter struct {
	opts    Options
	log     *slog.Logger
	s       *discordgo.Session
	httpTr  *http.Transport
	conns   *connTracker
	stopCtx context.Context // done when Run stops: cancels REST in flight
	stop    context.CancelFunc
	admins  map[string]bool

	running      atomic.Bool
	connected    atomic.Bool
	registered   atomic.Bool
	disconnected chan struct{}

	mu      sync.Mutex
	closing bool
	runCtx  context.Context
	h       bot.Handler
	wg      sync.WaitGroup // event handlers in flight
}

var (
	_ bot.Adapter   = (*Adapter)(nil)
	_ bot.Connector = (*Adapter)(nil)
)

// New checks opts and builds an Adapter; nothing is sent before Run.
func New(opts Options) (*Adapter, error) {
	if strings.TrimSpace(opts.Token) == "" {
		return nil, errors.New("discord: no token")
	}
	target, err := parseBase(opts.APIBase)
	if err != nil {
		return nil, err
	}
	if opts.MaxRetryAfter <= 0 {
		opts.MaxRetryAfter = defaultMaxRetryAfter
	}
	if opts.DeferAfter <= 0 {
		opts.DeferAfter = defaultDeferAfter
	}
	if opts.DeferAfter > maxDeferAfter {
		opts.DeferAfter = maxDeferAfter
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	token := strings.TrimSpace(opts.Token)
	if !strings.HasPrefix(token, "Bot ") {
		token = "Bot " + token
	}
	s, err := discordgo.New(token)
	if err != nil {
		return nil, fmt.Errorf("discord: %w", err)
	}

	a := &Adapter{
		opts:         opts,
		log:          log.With("adapter", "discord"),
		s:            s,
		conns:        &connTracker{},
		admins:       map[string]bool{},
		disconnected: make(chan struct{}, 1),
	}
	for _, id := range opts.Admins {
		a.admins[strings.TrimSpace(id)] = true
	}
	a.stopCtx, a.stop = context.WithCancel(context.Background())
	a.httpTr = http.DefaultTransport.(*http.Transport).Clone()
	s.Client = &http.Client{
		Timeout: 30 * time.Second,
		Transport: &transport{
			base:    a.httpTr,
			target:  target,
			maxWait: opts.MaxRetryAfter,
			stop:    a.stopCtx,
		},
	}
	s.Dialer = &websocket.Dialer{
		Proxy:            http.ProxyFromEnvironment,
		NetDialContext:   a.conns.dial,
		HandshakeTimeout: 15 * time.Second,
	}
	intents := discordgo.IntentsGuilds | discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages
	if opts.MessageContent {
		intents |= discordgo.IntentMessageContent
	}
	s.Identify.Intents = intents
	s.ShouldReconnectOnError = false // Run reconnects, so that it can stop
	s.ShouldReconnectVoiceOnSessionError = false
	s.ShouldRetryOnRateLimit = false // bounded retries in Adapter.do
	s.MaxRestRetries = 2
	s.StateEnabled = false
	s.LogLevel = discordgo.LogWarning
	return a, nil
}

func init() {
	// discordgo logs through this package global; route it to slog.
	discordgo.Logger = func(level, caller int, format string, args ...any) {
		l := slog.LevelDebug
		switch level {
		case discordgo.LogError:
			l = slog.LevelError
		case discordgo.LogWarning:
			l = slog.LevelWarn
		case discordgo.LogInformational:
			l = slog.LevelInfo
		}
		slog.Default().Log(context.Background(), l, fmt.Sprintf(format, args...), "component", "discordgo")
	}
}

// Name returns "discord".
func (a *Adapter) Name() string { return "discord" }

// Connected reports whether the gateway session is identified (or resumed)
// right now.
func (a *Adapter) Connected() bool { return a.connected.Load() }

// Run connects to the gateway, registers the slash commands at READY, and
// serves events until ctx is done; then it closes the session and returns
// once its goroutines (and the handlers it started) have stopped. It fails
// early only when reconnecting cannot help: credentials refused, or the
// gateway closing with a fatal code such as 4004 or 4014 (disallowed
// intents). Other failures are retried with backoff.
// Run may be called once.
func (a *Adapter) Run(ctx context.Context, h bot.Handler) error {
	if h == nil {
		return errors.New("discord: nil handler")
	}
	if !a.running.CompareAndSwap(false, true) {
		return errors.New("discord: Run called twice")
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Handlers run under handlerCtx: runCtx itself, or, with a drain
	// timeout, a context that outlives it until the drain is over.
	handlerCtx, cancelHandlers := runCtx, context.CancelFunc(func() {})
	if a.opts.DrainTimeout > 0 {
		handlerCtx, cancelHandlers = context.WithCancel(context.WithoutCancel(runCtx))
	}
	defer cancelHandlers()
	a.mu.Lock()
	a.runCtx, a.h = handlerCtx, h
	a.mu.Unlock()

	removers := []func(){
		a.s.AddHandler(a.onReady),
		a.s.AddHandler(a.onConnect),
		a.s.AddHandler(a.onDisconnect),
		a.s.AddHandler(a.onResumed),
		a.s.AddHandler(a.onMessageCreate),
		a.s.AddHandler(a.onInteractionCreate),
	}

	// A handshake that hangs (socket accepted, no HELLO) holds discordgo's
	// session lock; cut the connections if stopping takes too long.
	var watch sync.WaitGroup
	done := make(chan struct{})
	watch.Add(1)
	context.AfterFunc(runCtx, func() {
		defer watch.Done()
		t := time.NewTimer(shutdownGrace)
		defer t.Stop()
		select {
		case <-t.C:
			a.log.Warn("discord: shutdown is slow; closing connections")
			a.conns.closeAll()
		case <-done:
		}
	})

	err := a.serve(runCtx)

	cancel()
	a.mu.Lock()
	a.closing = true
	a.mu.Unlock()
	if cerr := a.s.Close(); cerr != nil {
		a.log.Debug("discord: close", "err", cerr)
	}
	if a.opts.DrainTimeout > 0 {
		a.drain(a.opts.DrainTimeout)
	}
	cancelHandlers()
	a.stop() // abort REST calls still in flight
	a.wg.Wait()
	close(done)
	watch.Wait() // cancel() above has started the watch
	for _, remove := range removers {
		remove()
	}
	a.conns.closeAll()
	a.httpTr.CloseIdleConnections()
	a.connected.Store(false)
	a.log.Info("discord: stopped")
	return err
}

// drain waits up to d for the event handlers in flight to finish.
func (a *Adapter) drain(d time.Duration) {
	done := make(chan struct{})
	go func() {
		a.wg.Wait()
		close(done)
	}()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		a.log.Warn("discord: handlers still running after the drain timeout; cancelling them", "timeout", d)
	}
}

// serve opens the gateway session and reopens it whenever it drops, until
// ctx is done.
func (a *Adapter) serve(ctx context.Context) error {
	backoff := time.Second
	everConnected := false
	lost := false // the session dropped since it was last open
	for {
		err := a.s.Open()
		if err == nil || errors.Is(err, discordgo.ErrWSAlreadyOpen) {
			everConnected = true
			backoff = time.Second
			if lost {
				lost = false
				if a.opts.OnReconnect != nil {
					a.opts.OnReconnect()
				}
			}
			select {
			case <-ctx.Done():
				return nil
			case <-a.disconnected:
				if ctx.Err() != nil {
					return nil
				}
				a.log.Info("discord: gateway connection lost; reconnecting")
				lost = true
				continue
			}
		}
		if ctx.Err() != nil {
			return nil
		}
		if (!everConnected && isAuthError(err)) || isFatalClose(err) {
			return fmt.Errorf("discord: connecting: %w", err)
		}
		a.log.Warn("discord: connecting to the gateway failed", "err", err, "retry_in", backoff)
		if !sleepCtx(ctx, backoff) {
			return nil
		}
		backoff = min(backoff*2, maxBackoff)
	}
}

func isAuthError(err error) bool {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		return re.Response.StatusCode == http.StatusUnauthorized || re.Response.StatusCode == http.StatusForbidden
	}
	return errors.Is(err, discordgo.ErrUnauthorized)
}

// isFatalClose reports gateway close codes after which reconnecting cannot
// help: authentication failed (4004), invalid shard (4010), sharding
// required (4011), invalid API version (4012), invalid intents (4013) and
// disallowed intents (4014: MESSAGE_CONTENT asked for but not enabled for
// the application).
func isFatalClose(err error) bool {
	var ce *websocket.CloseError
	if !errors.As(err, &ce) {
		return false
	}
	switch ce.Code {
	case 4004, 4010, 4011, 4012, 4013, 4014:
		return true
	}
	return false
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// track registers one event handler run; it returns false once Run is
// stopping. The caller must call a.wg.Done when it returns true.
func (a *Adapter) track() (context.Context, bot.Handler, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closing || a.runCtx == nil {
		return nil, nil, false
	}
	a.wg.Add(1)
	return a.runCtx, a.h, true
}

// recoverEvent logs a panic in an event handler instead of crashing the
// process (discordgo runs handlers without recover).
func (a *Adapter) recoverEvent(event string) {
	if r := recover(); r != nil {
		a.log.Error("discord: panic in event handler", "event", event, "panic", r)
	}
}

// selfID returns the bot's user id from READY, "" before it. It reads the
// session state, which discordgo fills synchronously on READY (even with
// StateEnabled off) before any handler runs, so an event handled
// concurrently with the READY handler sees it too.
func (a *Adapter) selfID() string {
	st := a.s.State
	if st == nil {
		return ""
	}
	st.RLock()
	defer st.RUnlock()
	if st.Ready.User == nil {
		return ""
	}
	return st.Ready.User.ID
}

func (a *Adapter) onReady(_ *discordgo.Session, r *discordgo.Ready) {
	ctx, _, ok := a.track()
	if !ok {
		return
	}
	defer a.wg.Done()
	defer a.recoverEvent("READY")
	var userID, userName, appID string
	if r.User != nil {
		userID, userName = r.User.ID, r.User.Username
	}
	if r.Application != nil {
		appID = r.Application.ID
	}
	if appID == "" {
		appID = userID // the application id of a bot is its user id
	}
	a.log.Info("discord: ready", "user", userName, "user_id", userID, "guilds", len(r.Guilds))
	if !a.registered.Load() {
		if err := a.registerCommands(ctx, appID); err != nil {
			a.log.Error("discord: registering slash commands failed; will retry at the next READY", "err", err)
		} else {
			a.registered.Store(true)
		}
	}
}

func (a *Adapter) onConnect(_ *discordgo.Session, _ *discordgo.Connect) {
	a.connected.Store(true)
	a.log.Info("discord: connected to the gateway")
}

func (a *Adapter) onResumed(_ *discordgo.Session, _ *discordgo.Resumed) {
	a.connected.Store(true)
	a.log.Info("discord: gateway session resumed")
}

func (a *Adapter) onDisconnect(_ *discordgo.Session, _ *discordgo.Disconnect) {
	a.connected.Store(false)
	a.log.Info("discord: disconnected from the gateway")
	select {
	case a.disconnected <- struct{}{}:
	default:
	}
}

// registerCommands overwrites the slash commands, per guild when
// Options.Guilds is set, else globally. If Discord refuses the Arabic
// localizations (400), it registers them without.
func (a *Adapter) registerCommands(ctx context.Context, appID string) error {
	guilds := a.opts.Guilds
	if len(guilds) == 0 {
		guilds = []string{""}
	}
	var errs []error
	for _, g := range guilds {
		g = strings.TrimSpace(g)
		err := a.do(ctx, "register commands", func(o ...discordgo.RequestOption) error {
			_, err := a.s.ApplicationCommandBulkOverwrite(appID, g, Commands(true), o...)
			return err
		})
		var re *discordgo.RESTError
		if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusBadRequest {
			a.log.Warn("discord: commands refused; registering them without localizations", "guild", g, "err", err)
			err = a.do(ctx, "register commands", func(o ...discordgo.RequestOption) error {
				_, err := a.s.ApplicationCommandBulkOverwrite(appID, g, Commands(false), o...)
				return err
			})
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("guild %q: %w", g, err))
			continue
		}
		a.log.Info("discord: slash commands registered", "guild", g)
	}
	return errors.Join(errs...)
}

// do runs one REST call, waiting out 429s whose retry_after is at most
// Options.MaxRetryAfter (a few times at most) and giving up on longer ones.
func (a *Adapter) do(ctx context.Context, what string, call func(...discordgo.RequestOption) error) error {
	for attempt := 0; ; attempt++ {
		err := call(discordgo.WithContext(ctx))
		var rl *discordgo.RateLimitError
		if !errors.As(err, &rl) || rl.RateLimit == nil || rl.TooManyRequests == nil {
			return err
		}
		wait := rl.RetryAfter
		if wait > a.opts.MaxRetryAfter || attempt >= max429Retries {
			return fmt.Errorf("discord: %s: rate limited for %v: %w", what, wait, err)
		}
		a.log.Info("discord: rate limited; waiting", "call", what, "retry_after", wait)
		if !sleepCtx(ctx, wait) {
			return ctx.Err()
		}
	}
}

// handle runs the bot.Handler, turning a panic into an apology.
func (a *Adapter) handle(ctx context.Context, h bot.Handler, m bot.Message) (replies []bot.Reply) {
	defer func() {
		if r := recover(); r != nil {
			a.log.Error("discord: panic in handler", "panic", r, "chat", m.ChatID, "command", m.Command)
			replies = []bot.Reply{{
				Text:      "Sorry, something went wrong. / عذراً، حدث خطأ ما.",
				Ephemeral: true,
				ReplyTo:   m.MessageID,
			}}
		}
	}()
	return h.Handle(ctx, m)
}

func (a *Adapter) willAnswer(m bot.Message) (ok bool) {
	if a.opts.WillAnswer == nil {
		return true
	}
	defer func() {
		if r := recover(); r != nil {
			a.log.Error("discord: panic in WillAnswer", "panic", r)
			ok = false
		}
	}()
	return a.opts.WillAnswer(m)
}

// IsAdmin reports whether userID is in Options.Admins.
func (a *Adapter) IsAdmin(userID string) bool { return a.admins[userID] }
