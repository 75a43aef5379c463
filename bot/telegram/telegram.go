// Package telegram is qabot's Telegram adapter and the only importer of
// github.com/go-telegram-bot-api/telegram-bot-api/v5.
//
// It receives updates by long polling (getUpdates) or by webhook, decodes
// them into bot.Message values, hands them to a bot.Handler, renders the
// replies as Telegram HTML and sends them through a per-chat queue that
// keeps to Telegram's flood limits.
//
// The library is used for its types and for Request/MakeRequest only: the
// adapter runs its own polling loop (the library's GetUpdatesChan sleeps a
// fixed 3 s after errors, cannot be cancelled mid-request and panics when
// stopped twice), and binds a context to every request through its own
// HTTPClient so that Run stops promptly.
//
// Group messages that are neither commands nor addressed to the bot are
// still handed to the Handler, with Addressed false: the router decides.
// Direct messages always have Addressed true.
package telegram

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/qabot/qabot/bot"
)

// Receiving modes.
const (
	ModePoll    = "poll"
	ModeWebhook = "webhook"
)

// Options configure an Adapter. Only Token is required (and, in webhook
// mode, WebhookListen and WebhookURL).
type Options struct {
	// Token is the bot token from @BotFather. It is never logged.
	Token string
	// APIEndpoint is a fmt pattern for API calls, token then method, such as
	// "http://127.0.0.1:8081/bot%s/%s" for a local Bot API server. Empty:
	// Telegram's ("https://api.telegram.org/bot%s/%s").
	APIEndpoint string
	// FileEndpoint is the pattern for file downloads, token then file path.
	// Empty: derived from APIEndpoint ("…/bot%s/%s" becomes
	// "…/file/bot%s/%s"), or Telegram's when APIEndpoint is empty too.
	FileEndpoint string
	// Mode is "poll" (the default) or "webhook".
	Mode string
	// WebhookListen is the address the webhook server listens on, such as
	// "127.0.0.1:8443" behind a reverse proxy. Webhook mode only.
	WebhookListen string
	// WebhookURL is the public HTTPS URL Telegram posts updates to; its
	// path is the path the webhook server answers on. Webhook mode only.
	WebhookURL string
	// WebhookSecret is sent by Telegram in the X-Telegram-Bot-Api-Secret-Token
	// header of every webhook request (1–256 characters of A–Z, a–z, 0–9, _
	// and -). Empty: a random one is made at New.
	WebhookSecret string
	// HTTPClient makes every request. Nil: a client with dial, TLS and
	// overall timeouts (the library's own constructor uses one without any).
	// Its Timeout, when set, must exceed PollTimeout.
	HTTPClient *http.Client
	// Logger receives the adapter's logs. Nil: slog.Default().
	Logger *slog.Logger
	// WillAnswer says whether the Handler will answer m, so that the adapter
	// shows "typing…" while it works. Nil: private messages, commands and
	// addressed messages.
	WillAnswer func(bot.Message) bool
	// PerChatInterval is the least time between two messages to one chat.
	// Zero: 1 s; negative: no limit.
	PerChatInterval time.Duration
	// PerGroupPerMinute is the most messages to one group in any minute.
	// Zero: 20; negative: no limit.
	PerGroupPerMinute int
	// MaxRetryAfter caps how long a 429's retry_after is waited out before
	// the message is retried; a longer retry_after drops the message.
	// Zero: 60 s.
	MaxRetryAfter time.Duration
	// PollTimeout is the long-polling timeout of getUpdates. Zero: 30 s.
	PollTimeout time.Duration
	// ShutdownGrace is how long, after the context is done, replies already
	// made may still be sent. Zero: 2 s.
	ShutdownGrace time.Duration
	// OnReconnect, when set, is called each time polling works again after
	// getUpdates failed (the connection came back). It must not block.
	OnReconnect func()
}

// Adapter is the Telegram bot.Adapter. It also implements bot.Connector.
type Adapter struct {
	opts         Options
	log          *slog.Logger
	client       *http.Client
	ownClient    bool
	apiEndpoint  string
	fileEndpoint string
	webhookPath  string
	willAnswer   func(bot.Message) bool

	self      tgbotapi.User // set by Run before any update is handled
	username  atomic.Pointer[string]
	running   atomic.Bool
	connected atomic.Bool
}

var (
	_ bot.Adapter   = (*Adapter)(nil)
	_ bot.Connector = (*Adapter)(nil)
)

// New checks opts and makes an Adapter. It makes no network calls: Run
// does (getMe first).
func New(opts Options) (*Adapter, error) {
	if strings.TrimSpace(opts.Token) == "" {
		return nil, errors.New("telegram: no token")
	}
	a := &Adapter{opts: opts}
	switch opts.Mode {
	case "", ModePoll:
		a.opts.Mode = ModePoll
	case ModeWebhook:
		if opts.WebhookListen == "" || opts.WebhookURL == "" {
			return nil, errors.New("telegram: webhook mode needs WebhookListen and WebhookURL")
		}
		u, err := url.Parse(opts.WebhookURL)
		if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			return nil, fmt.Errorf("telegram: WebhookURL %q is not an http(s) URL", opts.WebhookURL)
		}
		a.webhookPath = u.EscapedPath()
		if a.webhookPath == "" {
			a.webhookPath = "/"
		}
		if opts.WebhookSecret == "" {
			var b [32]byte
			if _, err := rand.Read(b[:]); err != nil {
				return nil, err
			}
			a.opts.WebhookSecret = hex.EncodeToString(b[:])
		} else if !validSecret(opts.WebhookSecret) {
			return nil, errors.New("telegram: WebhookSecret must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
		}
	default:
		return nil, fmt.Errorf("telegram: unknown mode %q (want %q or %q)", opts.Mode, ModePoll, ModeWebhook)
	}

	a.apiEndpoint = opts.APIEndpoint
	a.fileEndpoint = opts.FileEndpoint
	if a.apiEndpoint == "" {
		a.apiEndpoint = tgbotapi.APIEndpoint
		if a.fileEndpoint == "" {
			a.fileEndpoint = tgbotapi.FileEndpoint
		}
	}
	if strings.Count(a.apiEndpoint, "%s") != 2 || strings.Count(a.apiEndpoint, "%") != 2 {
		return nil, fmt.Errorf("telegram: APIEndpoint %q must hold two %%s (token, method)", a.apiEndpoint)
	}
	if a.fileEndpoint == "" {
		i := strings.LastIndex(a.apiEndpoint, "/bot%s/%s")
		if i < 0 {
			return nil, fmt.Errorf("telegram: cannot derive FileEndpoint from %q; set it", a.apiEndpoint)
		}
		a.fileEndpoint = a.apiEndpoint[:i] + "/file/bot%s/%s" + a.apiEndpoint[i+len("/bot%s/%s"):]
	}
	if strings.Count(a.fileEndpoint, "%s") != 2 || strings.Count(a.fileEndpoint, "%") != 2 {
		return nil, fmt.Errorf("telegram: FileEndpoint %q must hold two %%s (token, path)", a.fileEndpoint)
	}

	if a.opts.PerChatInterval == 0 {
		a.opts.PerChatInterval = time.Second
	}
	if a.opts.PerGroupPerMinute == 0 {
		a.opts.PerGroupPerMinute = 20
	}
	if a.opts.MaxRetryAfter <= 0 {
		a.opts.MaxRetryAfter = 60 * time.Second
	}
	if a.opts.PollTimeout <= 0 {
		a.opts.PollTimeout = 30 * time.Second
	}
	if a.opts.PollTimeout < time.Second {
		a.opts.PollTimeout = time.Second
	}
	if a.opts.ShutdownGrace <= 0 {
		a.opts.ShutdownGrace = 2 * time.Second
	}

	a.log = opts.Logger
	if a.log == nil {
		a.log = slog.Default()
	}
	a.log = a.log.With("adapter", "telegram")

	a.client = opts.HTTPClient
	if a.client == nil {
		a.ownClient = true
		a.client = &http.Client{
			Timeout: a.opts.PollTimeout + 30*time.Second,
			Transport: &http.Transport{
				Proxy:                 http.ProxyFromEnvironment,
				DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
				TLSHandshakeTimeout:   10 * time.Second,
				ExpectContinueTimeout: time.Second,
				IdleConnTimeout:       90 * time.Second,
				MaxIdleConnsPerHost:   16,
				ForceAttemptHTTP2:     true,
			},
		}
	} else if t := a.client.Timeout; t != 0 && t <= a.opts.PollTimeout {
		a.log.Warn("telegram: HTTPClient.Timeout is not longer than the poll timeout; long polls will fail",
			"client_timeout", t, "poll_timeout", a.opts.PollTimeout)
	}

	a.willAnswer = opts.WillAnswer
	if a.willAnswer == nil {
		a.willAnswer = defaultWillAnswer
	}
	return a, nil
}

func defaultWillAnswer(m bot.Message) bool {
	return m.Callback == nil && (m.ChatKind == bot.Private || m.Command != "" || m.Addressed)
}

func validSecret(s string) bool {
	if len(s) == 0 || len(s) > 256 {
		return false
	}
	for _, c := range []byte(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == '-':
		default:
			return false
		}
	}
	return true
}

// Name returns "telegram".
func (a *Adapter) Name() string { return "telegram" }

// Connected reports whether the adapter is receiving updates: polling
// without errors, or with its webhook set and listening.
func (a *Adapter) Connected() bool { return a.connected.Load() }

// Username returns the bot's username as getMe reported it; empty before
// Run has started.
func (a *Adapter) Username() string {
	if p := a.username.Load(); p != nil {
		return *p
	}
	return ""
}

// Run identifies the bot (getMe), sets its command menu, and receives and
// handles updates until ctx is done or a fatal error (such as a revoked
// token) occurs. It returns nil after a clean stop, once all its
// goroutines have ended: within ShutdownGrace plus a second or two of ctx
// being done. Run may not be called twice at once.
func (a *Adapter) Run(ctx context.Context, h bot.Handler) error {
	if h == nil {
		return errors.New("telegram: nil handler")
	}
	if !a.running.CompareAndSwap(false, true) {
		return errors.New("telegram: Run is already running")
	}
	defer a.running.Store(false)
	defer a.connected.Store(false)
	if a.ownClient {
		defer a.client.CloseIdleConnections()
	}

	if err := a.start(ctx); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	d := newDispatcher(a, h, runCtx)

	var err error
	offset := 0
	if a.opts.Mode == ModeWebhook {
		err = a.serveWebhook(runCtx, d)
	} else {
		offset, err = a.poll(runCtx, d)
	}
	a.connected.Store(false)
	cancel()
	d.stop(a.opts.ShutdownGrace)
	a.confirm(offset)
	a.log.Info("telegram: stopped")
	return err
}

// start runs getMe (retrying transient errors until ctx is done) and
// setMyCommands, and logs who the bot is and what privacy mode means.
func (a *Adapter) start(ctx context.Context) error {
	backoff := time.Second
	for {
		me, err := a.getMe(ctx)
		if err == nil {
			a.self = me
			a.username.Store(&me.UserName)
			break
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if fatal(err) {
			return fmt.Errorf("telegram: getMe: %w (check the token)", err)
		}
		a.log.Warn("telegram: getMe failed; retrying", "err", err, "in", backoff)
		if !sleep(ctx, backoff) {
			return ctx.Err()
		}
		backoff = min(backoff*2, 30*time.Second)
	}

	privacy := "privacy mode on: in groups the bot sees /commands and replies to its messages only; plain @mentions are not delivered"
	if a.self.CanReadAllGroupMessages {
		privacy = "privacy mode off: the bot receives every message in its groups"
	}
	a.log.Info("telegram: identified",
		"username", a.self.UserName, "id", a.self.ID,
		"can_read_all_group_messages", a.self.CanReadAllGroupMessages,
		"privacy", privacy, "mode", a.opts.Mode)

	a.setCommands(ctx)
	return nil
}

func (a *Adapter) getMe(ctx context.Context) (tgbotapi.User, error) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	u, err := a.api(ctx).GetMe()
	return u, a.redact(err)
}

// requestTimeout bounds every call but getUpdates.
const requestTimeout = 30 * time.Second

// commands is the menu set by setMyCommands, in English (default) and
// Arabic (language_code "ar").
var commands = []struct{ name, en, ar string }{
	{"start", "Start: what this bot does", "ابدأ: ما الذي يفعله هذا البوت"},
	{"help", "How to ask questions", "كيف تطرح الأسئلة"},
	{"ask", "Ask a question about the articles", "اطرح سؤالًا عن المقالات"},
	{"sources", "List the articles I quote from", "اعرض المقالات التي أقتبس منها"},
	{"reload", "Reload the articles (admins)", "أعد تحميل المقالات (للمشرفين)"},
	{"stats", "Usage statistics (admins)", "إحصاءات الاستخدام (للمشرفين)"},
}

func (a *Adapter) setCommands(ctx context.Context) {
	var en, ar []tgbotapi.BotCommand
	for _, c := range commands {
		en = append(en, tgbotapi.BotCommand{Command: c.name, Description: c.en})
		ar = append(ar, tgbotapi.BotCommand{Command: c.name, Description: c.ar})
	}
	for _, cfg := range []tgbotapi.SetMyCommandsConfig{
		tgbotapi.NewSetMyCommands(en...),
		{Commands: ar, LanguageCode: "ar"},
	} {
		if _, err := a.request(ctx, cfg); err != nil {
			a.log.Warn("telegram: setMyCommands failed", "lang", cfg.LanguageCode, "err", err)
		}
	}
}

// request makes one call with the default timeout; errors are redacted.
func (a *Adapter) request(ctx context.Context, c tgbotapi.Chattable) (*tgbotapi.APIResponse, error) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	resp, err := a.api(ctx).Request(c)
	return resp, a.redact(err)
}

// fatal reports errors no retry will fix: a bad or revoked token.
func fatal(err error) bool {
	te := apiError(err)
	return te != nil && (te.Code == http.StatusUnauthorized || te.Code == http.StatusNotFound)
}

// sleep waits d or until ctx is done; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// allowedUpdates are the update kinds the adapter asks for.
var allowedUpdates = []string{"message", "callback_query"}

// poll receives updates with getUpdates until ctx is done. It returns the
// offset past the last update received.
func (a *Adapter) poll(ctx context.Context, d *dispatcher) (int, error) {
	// A webhook left over from an earlier webhook run makes getUpdates fail
	// with 409; remove it (pending updates are kept).
	for {
		_, err := a.request(ctx, tgbotapi.DeleteWebhookConfig{})
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return 0, nil
		}
		if fatal(err) {
			return 0, fmt.Errorf("telegram: deleteWebhook: %w", err)
		}
		a.log.Warn("telegram: deleteWebhook failed; retrying", "err", err)
		if !sleep(ctx, 2*time.Second) {
			return 0, nil
		}
	}
	a.connected.Store(true)
	a.log.Info("telegram: polling", "timeout", a.opts.PollTimeout)

	offset := 0
	backoff := time.Second
	lost := false // getUpdates failed since the last success
	timeout := int(a.opts.PollTimeout / time.Second)
	for ctx.Err() == nil {
		cfg := tgbotapi.UpdateConfig{Offset: offset, Timeout: timeout, Limit: 100, AllowedUpdates: allowedUpdates}
		rctx, cancel := context.WithTimeout(ctx, a.opts.PollTimeout+15*time.Second)
		updates, err := a.api(rctx).GetUpdates(cfg)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			err = a.redact(err)
			a.connected.Store(false)
			lost = true
			if fatal(err) {
				return offset, fmt.Errorf("telegram: getUpdates: %w", err)
			}
			te := apiError(err)
			if te != nil && te.Code == http.StatusConflict {
				a.log.Error("telegram: getUpdates conflict: another instance is polling, or a webhook is set", "err", err)
			} else {
				a.log.Warn("telegram: getUpdates failed; retrying", "err", err, "in", backoff)
			}
			if te != nil && te.RetryAfter > 0 {
				backoff = max(backoff, time.Duration(te.RetryAfter)*time.Second)
			}
			if !sleep(ctx, backoff) {
				break
			}
			backoff = min(backoff*2, 30*time.Second)
			continue
		}
		a.connected.Store(true)
		if lost {
			lost = false
			a.log.Info("telegram: polling again")
			if a.opts.OnReconnect != nil {
				a.opts.OnReconnect()
			}
		}
		backoff = time.Second
		for _, u := range updates {
			if u.UpdateID < offset {
				continue // already seen
			}
			offset = u.UpdateID + 1
			d.dispatch(u)
		}
	}
	return offset, nil
}

// confirm tells Telegram the updates before offset were received, so a
// restart does not get the last batch again: getUpdates confirms by its
// offset, and no later getUpdates did it.
func (a *Adapter) confirm(offset int) {
	if offset == 0 || a.opts.Mode != ModePoll {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	cfg := tgbotapi.UpdateConfig{Offset: offset, Limit: 1, AllowedUpdates: allowedUpdates}
	if _, err := a.api(ctx).GetUpdates(cfg); err != nil {
		a.log.Debug("telegram: confirming the last updates failed", "err", a.redact(err))
	}
}
