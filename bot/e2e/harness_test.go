package e2e

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/qabot/qabot/bot"
	"github.com/qabot/qabot/bot/discord"
	"github.com/qabot/qabot/bot/discord/discordtest"
	"github.com/qabot/qabot/bot/telegram"
	"github.com/qabot/qabot/bot/telegram/telegramtest"
)

const wait = 10 * time.Second

// The people in the tests. The admins are admins of the router (and, on
// Discord, of the adapter, which downloads attachments for admins only).
var (
	tgAdmin = telegramtest.User{ID: 111, FirstName: "Amal", UserName: "amal"}
	tgUser  = telegramtest.User{ID: 222, FirstName: "Badr", UserName: "badr"}
	tgGroup = telegramtest.Group(5001, "team")

	dcAdmin = "600000000000000001"
	dcUser  = "600000000000000002"
	dcGuild = "700000000000000001"
)

// routerConfig is the router's default configuration without the rate
// limits (the tests ask many questions quickly) and with the admins above.
func routerConfig(botName string) bot.RouterConfig {
	c := bot.DefaultRouterConfig()
	c.BotName = botName
	c.UserPerMinute, c.ChatPerMinute = 0, 0
	c.Admins = map[string]map[string]bool{
		"telegram": {"111": true},
		"discord":  {dcAdmin: true},
	}
	return c
}

// syncBuf is a goroutine-safe log sink; its text is shown when a test fails.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// maxLogs bounds what a syncBuf keeps (benchmarks log a lot).
const maxLogs = 1 << 20

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.b.Len() >= maxLogs {
		return len(p), nil
	}
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func testLogger(buf *syncBuf) *slog.Logger {
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// runAdapter runs a.Run in a goroutine until the test ends, and then shows
// logs if the test failed. The returned stop, also called at cleanup,
// cancels Run and waits for it to return (failing the test after 10 s).
func runAdapter(t testing.TB, a bot.Adapter, h bot.Handler, logs *syncBuf) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx, h) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("%s: Run: %v", a.Name(), err)
				}
			case <-time.After(10 * time.Second):
				t.Errorf("%s: Run did not return within 10 s of cancel", a.Name())
			}
		})
	}
	t.Cleanup(func() {
		stop()
		if t.Failed() {
			t.Logf("%s logs:\n%s", a.Name(), logs.String())
		}
	})
	return stop
}

func waitConnected(t testing.TB, c bot.Connector, what string) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !c.Connected() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not connected after %v", what, wait)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// ---- Telegram ----

type tgEnv struct {
	srv    *telegramtest.Server
	a      *telegram.Adapter
	router *bot.Router
	b      *backend
	logs   *syncBuf
	stop   func()
}

// startTelegram runs the real Telegram adapter with the real router over b
// against a fresh fake Bot API server, with the per-chat pacing off (the
// fake does not flood-limit) unless mut sets it.
func startTelegram(t testing.TB, b *backend, cfg bot.RouterConfig, mut func(*telegram.Options)) *tgEnv {
	t.Helper()
	srv := telegramtest.NewServer(t)
	srv.CanReadAllGroupMessages = true // privacy mode off: plain @mentions are delivered
	if cfg.BotName == "" {
		cfg.BotName = srv.Bot.UserName
	}
	e := &tgEnv{srv: srv, b: b, logs: &syncBuf{}}
	e.router = bot.NewRouter(b, cfg, testLogger(e.logs))
	opts := telegramOptions(srv, e.logs)
	opts.WillAnswer = e.router.WillAnswer
	if mut != nil {
		mut(&opts)
	}
	a, err := telegram.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	e.a = a
	e.stop = runAdapter(t, a, e.router, e.logs)
	waitConnected(t, a, "telegram")
	return e
}

// ---- Discord ----

type dcEnv struct {
	srv    *discordtest.Server
	a      *discord.Adapter
	router *bot.Router
	b      *backend
	logs   *syncBuf
	stop   func()
}

// startDiscord runs the real Discord adapter with the real router over b
// against a fresh fake Discord, and waits until it is identified and its
// slash commands are registered.
func startDiscord(t testing.TB, b *backend, cfg bot.RouterConfig, mut func(*discord.Options)) *dcEnv {
	t.Helper()
	srv := discordtest.NewServer(t)
	if cfg.BotName == "" {
		cfg.BotName = srv.BotName
	}
	e := &dcEnv{srv: srv, b: b, logs: &syncBuf{}}
	e.router = bot.NewRouter(b, cfg, testLogger(e.logs))
	opts := discord.Options{
		Token:         "test-token",
		APIBase:       srv.URL,
		Admins:        []string{dcAdmin},
		Logger:        testLogger(e.logs),
		WillAnswer:    e.router.WillAnswer,
		MaxRetryAfter: 5 * time.Second,
	}
	if mut != nil {
		mut(&opts)
	}
	a, err := discord.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	e.a = a
	e.stop = runAdapter(t, a, e.router, e.logs)
	srv.WaitReady(t, wait)
	srv.WaitCalls(t, "PUT /applications/*/commands", 1, wait)
	waitConnected(t, a, "discord")
	return e
}

// telegramOptions are the Telegram adapter's test options for srv, without
// a router: the per-chat pacing off (the fake does not flood-limit) and a
// short long poll.
func telegramOptions(srv *telegramtest.Server, logs *syncBuf) telegram.Options {
	return telegram.Options{
		Token:             srv.Token,
		APIEndpoint:       srv.APIEndpoint(),
		Logger:            testLogger(logs),
		PerChatInterval:   -1,
		PerGroupPerMinute: -1,
		PollTimeout:       2 * time.Second,
	}
}
