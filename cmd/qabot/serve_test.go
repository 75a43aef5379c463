package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/qabot/qabot/bot"
	"github.com/qabot/qabot/bot/store"
	"github.com/qabot/qabot/bot/telegram/telegramtest"
	"github.com/qabot/qabot/qa"
)

// syncBuf is a goroutine-safe log buffer.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor polls cond for up to 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

const marker = "ZQX-marker-91"

// TestServeEndToEnd runs `qabot serve --config FILE` against a fake
// Telegram on 127.0.0.1: questions go into the store, /stats shows the
// unanswered one, /healthz and /metrics answer, SIGTERM stops it cleanly,
// and neither the token nor the message text is in the info-level logs.
func TestServeEndToEnd(t *testing.T) {
	t.Setenv("TELEGRAM_TOKEN", "")
	srv := telegramtest.NewServer(t)
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "data", "qabot.db")
	cfgPath := writeConfig(t, fmt.Sprintf(`
[telegram]
enabled = true
token = %q
api_endpoint = %q
admins = [111]
[ops]
listen = "127.0.0.1:0"
[index]
dir = %q
[store]
path = %q
[log]
level = "info"
format = "text"
[lexicon]
dictd = [["/nonexistent.index", "/nonexistent.dict.dz"]]
`, srv.Token, srv.APIEndpoint(), filepath.Join(dir, "index"), dbPath))

	logs := &syncBuf{}
	sigs := make(chan os.Signal, 2)
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: logs, Signals: sigs,
		Exit: func(code int) { t.Errorf("Exit(%d) called", code) }}
	done := make(chan error, 1)
	go func() { done <- m.Run(context.Background(), []string{"serve", "--config", cfgPath}) }()
	defer func() {
		select {
		case sigs <- syscall.SIGTERM:
		default:
		}
	}()

	addrRe := regexp.MustCompile(`ops endpoint listening" addr=(127\.0\.0\.1:\d+)`)
	var addr string
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("logs:\n%s", logs.String())
		}
	})
	waitFor(t, "the ops endpoint", func() bool {
		if mm := addrRe.FindStringSubmatch(logs.String()); mm != nil {
			addr = mm[1]
			return true
		}
		return false
	})
	waitFor(t, "healthz 200", func() bool { code, _ := httpGet(t, "http://"+addr+"/healthz"); return code == 200 })
	_, health := httpGet(t, "http://"+addr+"/healthz")
	var hd struct {
		Status   string
		Adapters []struct {
			Name      string
			Connected bool
		}
		Index struct{ Articles, Sentences int }
	}
	if err := json.Unmarshal([]byte(health), &hd); err != nil || hd.Status != "ok" || len(hd.Adapters) != 1 ||
		hd.Adapters[0].Name != "telegram" || !hd.Adapters[0].Connected || hd.Index.Sentences == 0 {
		t.Errorf("healthz = %s (%v)", health, err)
	}

	alice := telegramtest.User{ID: 111, FirstName: "Alice", UserName: "alice"}
	dm := telegramtest.Private(alice)
	unanswered := "ما لون سيارة " + marker + " الفضائية؟"
	srv.PushText(dm, alice, unanswered)
	srv.WaitCalls(t, "sendMessage", 1, 10*time.Second)
	srv.PushText(dm, alice, "/stats")
	sent := srv.WaitCalls(t, "sendMessage", 2, 10*time.Second)
	statsText, _ := telegramtest.ParseHTML(sent[1].Text())
	if !strings.Contains(statsText, unanswered) || !strings.Contains(statsText, "الأسئلة: 1 اليوم") ||
		!strings.Contains(statsText, "المقالات:") {
		t.Errorf("/stats = %q", statsText)
	}

	_, metrics := httpGet(t, "http://"+addr+"/metrics")
	for _, want := range []string{
		`qabot_questions_total{lang="ar",platform="telegram"} 1`,
		`qabot_answered_total{lang="ar",platform="telegram"} 0`,
		`qabot_answer_latency_seconds_count{platform="telegram"} 1`,
		fmt.Sprintf("qabot_index_sentences %d", hd.Index.Sentences),
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %q", want)
		}
	}

	sigs <- syscall.SIGTERM
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop after SIGTERM")
	}

	out := logs.String()
	if strings.Contains(out, marker) {
		t.Errorf("the message text is in the info-level logs:\n%s", out)
	}
	if strings.Contains(out, srv.Token) || strings.Contains(out, strings.Split(srv.Token, ":")[1]) {
		t.Errorf("the token is in the logs:\n%s", out)
	}
	for _, want := range []string{"shutting down", "adapters stopped", `question log open`} {
		if !strings.Contains(out, want) {
			t.Errorf("logs lack %q:\n%s", want, out)
		}
	}

	// The log survived: reopen the store.
	st, err := store.Open(dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := st.Stats(context.Background(), time.Now())
	if err != nil || s.Questions7d != 1 || len(s.TopUnanswered) != 1 || s.TopUnanswered[0].Question != unanswered {
		t.Errorf("after restart: %+v %v", s, err)
	}
}

// TestServeStoreOffDebugJSON: with [store] enabled = false no file is
// made and /stats has the content counters only; JSON logs at debug level
// do carry the message text (so the test above can tell).
func TestServeStoreOffDebugJSON(t *testing.T) {
	t.Setenv("TELEGRAM_TOKEN", "")
	srv := telegramtest.NewServer(t)
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "data", "qabot.db")
	cfgPath := writeConfig(t, fmt.Sprintf(`
[telegram]
enabled = true
token = %q
api_endpoint = %q
admins = [111]
[ops]
listen = ""
[index]
dir = %q
[store]
enabled = false
path = %q
[log]
level = "debug"
format = "json"
[lexicon]
dictd = [["/nonexistent.index", "/nonexistent.dict.dz"]]
`, srv.Token, srv.APIEndpoint(), filepath.Join(dir, "index"), dbPath))
	logs := &syncBuf{}
	sigs := make(chan os.Signal, 1)
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: logs, Signals: sigs}
	done := make(chan error, 1)
	go func() { done <- m.Run(context.Background(), []string{"serve", "--config", cfgPath}) }()

	alice := telegramtest.User{ID: 111, FirstName: "Alice"}
	srv.PushText(telegramtest.Private(alice), alice, "سؤال "+marker+"؟")
	srv.WaitCalls(t, "sendMessage", 1, 10*time.Second)
	srv.PushText(telegramtest.Private(alice), alice, "/stats")
	sent := srv.WaitCalls(t, "sendMessage", 2, 10*time.Second)
	statsText, _ := telegramtest.ParseHTML(sent[1].Text())
	if !strings.HasPrefix(statsText, "المقالات:") || strings.Contains(statsText, "الأسئلة") {
		t.Errorf("/stats with the store off = %q", statsText)
	}
	sigs <- syscall.SIGTERM
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
	if _, err := os.Stat(filepath.Dir(dbPath)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("store off made %s: %v", dbPath, err)
	}
	out := logs.String()
	if !strings.Contains(out, marker) {
		t.Error("debug logs lack the message text")
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var v map[string]any
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Errorf("not a JSON log line: %s", sc.Text())
			break
		}
	}
	if strings.Contains(out, strings.Split(srv.Token, ":")[1]) {
		t.Error("the token is in the debug logs")
	}
}

// ---- the server loop with a fake adapter and a slow backend ----

// slowBackend answers after release is closed (or unanswered when its
// context ends first).
type slowBackend struct {
	entered chan string
	release chan struct{}
	mu      sync.Mutex
	reloads int
}

func newSlowBackend() *slowBackend {
	return &slowBackend{entered: make(chan string, 10), release: make(chan struct{})}
}

func (b *slowBackend) Ask(ctx context.Context, q string, top int) qa.Result {
	b.entered <- q
	select {
	case <-b.release:
		return qa.Result{Question: q, Lang: "ar", Answered: true,
			Answers: []qa.Answer{{Quote: "الجواب.", Doc: "news/a", Title: "عنوان", Paragraph: 1, Sentence: 1}}}
	case <-ctx.Done():
		return qa.Result{Question: q, Lang: "ar"}
	}
}
func (b *slowBackend) Sources() []bot.Source { return nil }
func (b *slowBackend) Reload(context.Context) (bot.ReloadReport, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.reloads++
	return bot.ReloadReport{Articles: 2, Sentences: 9, Added: []string{"news/new"}}, nil
}
func (b *slowBackend) reloadCount() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.reloads
}
func (b *slowBackend) AddArticle(context.Context, string, []byte) (bot.ReloadReport, error) {
	return bot.ReloadReport{}, errors.New("no")
}
func (b *slowBackend) Stats(context.Context, string) string { return "" }

// fakeAdapter hands messages from in to the handler, each on its own
// goroutine under Run's context (as the real adapters do), puts the
// replies on out, and at stop waits for the handlers in flight.
type fakeAdapter struct {
	in  chan bot.Message
	out chan []bot.Reply
}

func (a *fakeAdapter) Name() string { return "fake" }
func (a *fakeAdapter) Run(ctx context.Context, h bot.Handler) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		select {
		case <-ctx.Done():
			return nil
		case m := <-a.in:
			wg.Add(1)
			go func() {
				defer wg.Done()
				a.out <- h.Handle(ctx, m)
			}()
		}
	}
}

type loopRig struct {
	be      *slowBackend
	ad      *fakeAdapter
	sigs    chan os.Signal
	exits   chan int
	logs    *syncBuf
	done    chan error
	closed  *[]string
	closeMu *sync.Mutex
}

func startLoop(t *testing.T, mod func(*server)) *loopRig {
	t.Helper()
	r := &loopRig{be: newSlowBackend(), ad: &fakeAdapter{in: make(chan bot.Message), out: make(chan []bot.Reply, 4)},
		sigs: make(chan os.Signal, 4), exits: make(chan int, 4), logs: &syncBuf{}, done: make(chan error, 1),
		closed: &[]string{}, closeMu: &sync.Mutex{}}
	log := slog.New(slog.NewTextHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	rc := bot.DefaultRouterConfig()
	rc.UserPerMinute, rc.ChatPerMinute = 0, 0
	mkCloser := func(name string) closer {
		return closer{name, func() error {
			r.closeMu.Lock()
			defer r.closeMu.Unlock()
			*r.closed = append(*r.closed, name)
			return nil
		}}
	}
	s := &server{
		log:      log,
		adapters: []bot.Adapter{r.ad},
		handler:  bot.NewRouter(r.be, rc, log),
		reload:   r.be.Reload,
		signals:  r.sigs,
		exit:     func(code int) { r.exits <- code },
		drain:    5 * time.Second,
		closers:  []closer{mkCloser("store"), mkCloser("index")},
	}
	if mod != nil {
		mod(s)
	}
	go func() { r.done <- s.run(context.Background()) }()
	t.Cleanup(func() {
		select {
		case <-r.done:
		default:
			r.sigs <- syscall.SIGTERM
			select {
			case <-r.done:
			case <-time.After(10 * time.Second):
				t.Error("server did not stop")
			}
		}
		if t.Failed() {
			t.Logf("logs:\n%s", r.logs.String())
		}
	})
	return r
}

func (r *loopRig) ask(t *testing.T, q string) {
	t.Helper()
	select {
	case r.ad.in <- bot.Message{Platform: "fake", ChatID: "c1", ChatKind: bot.Private, MessageID: "1", UserID: "u1", Text: q}:
	case <-time.After(5 * time.Second):
		t.Fatal("the adapter is not taking messages")
	}
	select {
	case <-r.be.entered:
	case <-time.After(5 * time.Second):
		t.Fatal("the backend was not asked")
	}
}

func (r *loopRig) wait(t *testing.T) error {
	t.Helper()
	select {
	case err := <-r.done:
		r.done <- err
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("server did not stop")
		return nil
	}
}

// TestSIGTERMDrainsAnswerInFlight: an answer being worked on when SIGTERM
// comes is still delivered; then the store and the index are closed, in
// that order.
func TestSIGTERMDrainsAnswerInFlight(t *testing.T) {
	r := startLoop(t, nil)
	r.ask(t, "ما عاصمة الكويت؟")
	r.sigs <- syscall.SIGTERM
	waitFor(t, "the shutdown to begin", func() bool { return strings.Contains(r.logs.String(), "shutting down") })
	time.Sleep(50 * time.Millisecond)
	select {
	case <-r.done:
		t.Fatal("stopped before the answer in flight finished")
	default:
	}
	close(r.be.release)
	select {
	case reps := <-r.ad.out:
		if len(reps) != 1 || len(reps[0].Quotes) != 1 || reps[0].Quotes[0].Text != "الجواب." {
			t.Errorf("replies = %+v", reps)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the answer in flight was not delivered")
	}
	if err := r.wait(t); err != nil {
		t.Errorf("run: %v", err)
	}
	r.closeMu.Lock()
	defer r.closeMu.Unlock()
	if got := strings.Join(*r.closed, ","); got != "store,index" {
		t.Errorf("closed %q, want store,index", got)
	}
	if len(r.exits) != 0 {
		t.Error("Exit called")
	}
}

// TestDrainTimeout: an answer that outlasts the drain timeout is cancelled.
func TestDrainTimeout(t *testing.T) {
	r := startLoop(t, func(s *server) { s.drain = 100 * time.Millisecond })
	r.ask(t, "ما عاصمة الكويت؟")
	r.sigs <- syscall.SIGTERM
	if err := r.wait(t); err != nil {
		t.Errorf("run: %v", err)
	}
	reps := <-r.ad.out
	if len(reps) != 1 || !reps[0].NoAnswer {
		t.Errorf("replies = %+v", reps)
	}
	if !strings.Contains(r.logs.String(), "drain timeout") {
		t.Error("no drain-timeout log")
	}
}

// TestSecondSignalExits: a second SIGINT/SIGTERM exits at once.
func TestSecondSignalExits(t *testing.T) {
	r := startLoop(t, nil)
	r.ask(t, "ما عاصمة الكويت؟")
	r.sigs <- syscall.SIGTERM
	r.sigs <- os.Interrupt
	select {
	case code := <-r.exits:
		if code != 1 {
			t.Errorf("exit code %d", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the second signal did not exit")
	}
	r.wait(t)
}

// TestSIGHUPReloads: SIGHUP reloads through the backend, and the report is
// logged; the server goes on.
func TestSIGHUPReloads(t *testing.T) {
	r := startLoop(t, nil)
	r.sigs <- syscall.SIGHUP
	waitFor(t, "a reload", func() bool { return r.be.reloadCount() == 1 })
	waitFor(t, "the reload log", func() bool {
		return strings.Contains(r.logs.String(), "reloaded trigger=SIGHUP articles=2 sentences=9 added=[news/new]")
	})
	select {
	case <-r.done:
		t.Fatal("SIGHUP stopped the server")
	default:
	}
	r.ask(t, "سؤال؟") // still answering
	close(r.be.release)
	<-r.ad.out
}

// TestWatchReloads: a change in the watched directory reloads once it
// settles.
func TestWatchReloads(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("نص."), 0o644)
	r := startLoop(t, func(s *server) { s.watchDir, s.watchTick = dir, 20*time.Millisecond })
	time.Sleep(100 * time.Millisecond)
	if n := r.be.reloadCount(); n != 0 {
		t.Fatalf("reloaded %d times without a change", n)
	}
	os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
	os.WriteFile(filepath.Join(dir, "sub", "b.txt"), []byte("نص آخر."), 0o644)
	os.WriteFile(filepath.Join(dir, "sub", "c.txt"), []byte("نص ثالث."), 0o644)
	waitFor(t, "a reload", func() bool { return r.be.reloadCount() >= 1 })
	time.Sleep(150 * time.Millisecond)
	if n := r.be.reloadCount(); n != 1 {
		t.Errorf("reloaded %d times for one change", n)
	}
	if !strings.Contains(r.logs.String(), "trigger=watch") {
		t.Error("no watch reload log")
	}
}

// ---- /stats through the router with a real store ----

type statsBackend struct {
	st *store.Store
}

func (b *statsBackend) Ask(_ context.Context, q string, _ int) qa.Result {
	if strings.Contains(q, "المريخ") {
		return qa.Result{Question: q, Lang: "ar"}
	}
	return qa.Result{Question: q, Lang: bot.DetectLang(q), Answered: true,
		Answers: []qa.Answer{{Quote: "الجواب.", Doc: "news/a", Paragraph: 1, Sentence: 1}}}
}
func (b *statsBackend) Sources() []bot.Source { return nil }
func (b *statsBackend) Reload(context.Context) (bot.ReloadReport, error) {
	return bot.ReloadReport{}, nil
}
func (b *statsBackend) AddArticle(context.Context, string, []byte) (bot.ReloadReport, error) {
	return bot.ReloadReport{}, nil
}
func (b *statsBackend) Stats(ctx context.Context, lang string) string {
	return usageStats(ctx, b.st, lang, time.Now(), slog.New(slog.DiscardHandler)) + "CONTENT"
}

func TestStatsShowsUnanswered(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "q.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rc := bot.DefaultRouterConfig()
	rc.Admins = map[string]map[string]bool{"telegram": {"1": true}}
	rc.Feedback = st
	rc.QuestionLog = storeLog{st: st, log: slog.New(slog.DiscardHandler)}
	rc.UserPerMinute = 0
	r := bot.NewRouter(&statsBackend{st: st}, rc, nil)
	ctx := context.Background()
	msg := func(user, text string) bot.Message {
		return bot.Message{Platform: "telegram", ChatID: "c" + user, ChatKind: bot.Private, MessageID: "1", UserID: user, Text: text}
	}
	r.Handle(ctx, msg("2", "ما عاصمة المريخ؟"))
	r.Handle(ctx, msg("3", "ما عاصمةُ المريخ"))
	reps := r.Handle(ctx, msg("2", "ما عاصمة الكويت؟"))
	if len(reps) != 1 || len(reps[0].Buttons) < 2 {
		t.Fatalf("answer = %+v", reps)
	}
	up := reps[0].Buttons[len(reps[0].Buttons)-2].Data
	cb := msg("3", "")
	cb.Callback = &bot.Callback{ID: "x", Data: up}
	r.Handle(ctx, cb)

	ar := r.Handle(ctx, msg("1", "/stats"))[0].Text
	for _, want := range []string{"الأسئلة: 3 اليوم، و3 في الأيام السبعة الأخيرة.", "33%", "👍 1 / 👎 0 (100% إيجابية)",
		"1. «ما عاصمةُ المريخ» ×2", "CONTENT"} {
		if !strings.Contains(ar, want) {
			t.Errorf("Arabic /stats lacks %q:\n%s", want, ar)
		}
	}
	en := r.Handle(ctx, msg("1", "/stats please"))[0].Text
	for _, want := range []string{"Questions: 3 today, 3 in the last 7 days.", "Answered (7 days): 33%",
		"Median answer time:", "👍 1 / 👎 0 (100% positive)", "articles worth adding:\n1. “ما عاصمةُ المريخ” ×2", "CONTENT"} {
		if !strings.Contains(en, want) {
			t.Errorf("English /stats lacks %q:\n%s", want, en)
		}
	}
	if r.Handle(ctx, msg("2", "/stats"))[0].Text == ar {
		t.Error("a non-admin got the stats")
	}
}

// TestOtherCommandsStopOnSignal: outside serve the first signal cancels
// the command's context and a second exits.
func TestOtherCommandsStopOnSignal(t *testing.T) {
	sigs := make(chan os.Signal, 2)
	exits := make(chan int, 1)
	m := &Main{Signals: sigs, Exit: func(code int) { exits <- code }}
	ctx, stop := m.cancelOnSignal(context.Background())
	defer stop()
	sigs <- os.Interrupt
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the first signal did not cancel")
	}
	sigs <- syscall.SIGTERM
	select {
	case code := <-exits:
		if code != 1 {
			t.Errorf("exit %d", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the second signal did not exit")
	}
}
