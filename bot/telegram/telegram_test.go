package telegram

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/qabot/qabot/bot"
	"github.com/qabot/qabot/bot/telegram/telegramtest"
)

var (
	alice = telegramtest.User{ID: 111, FirstName: "Alice", UserName: "alice"}
	bob   = telegramtest.User{ID: 222, FirstName: "Bob"}
	team  = telegramtest.Group(5001, "team")
)

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type harness struct {
	srv    *telegramtest.Server
	a      *Adapter
	logs   *syncBuffer
	msgs   chan bot.Message
	cancel context.CancelFunc
	done   chan error
}

// start runs an adapter against a fresh fake server. h nil: a handler
// that records the message and answers nothing.
func start(t *testing.T, h bot.HandlerFunc, mut func(*Options)) *harness {
	t.Helper()
	srv := telegramtest.NewServer(t)
	hs := &harness{srv: srv, logs: &syncBuffer{}, msgs: make(chan bot.Message, 100), done: make(chan error, 1)}
	opts := Options{
		Token:           srv.Token,
		APIEndpoint:     srv.APIEndpoint(),
		Logger:          slog.New(slog.NewTextHandler(hs.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		PerChatInterval: time.Millisecond,
		PollTimeout:     5 * time.Second,
	}
	if mut != nil {
		mut(&opts)
	}
	a, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	hs.a = a
	handler := bot.HandlerFunc(func(ctx context.Context, m bot.Message) []bot.Reply {
		hs.msgs <- m
		if h == nil {
			return nil
		}
		return h(ctx, m)
	})
	ctx, cancel := context.WithCancel(context.Background())
	hs.cancel = cancel
	go func() { hs.done <- a.Run(ctx, handler) }()
	t.Cleanup(func() {
		hs.stop(t)
		if logs := hs.logs.String(); strings.Contains(logs, srv.Token) || strings.Contains(logs, url.PathEscape(srv.Token)) {
			t.Errorf("the token appears in the logs:\n%s", logs)
		}
	})
	deadline := time.Now().Add(5 * time.Second)
	for !a.Connected() {
		if time.Now().After(deadline) {
			t.Fatalf("not connected after 5s; logs:\n%s", hs.logs.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	return hs
}

// stop cancels Run and waits for it (at most 5 s).
func (hs *harness) stop(t *testing.T) {
	t.Helper()
	hs.cancel()
	select {
	case err, ok := <-hs.done:
		if !ok {
			return // stopped already
		}
		if err != nil {
			t.Errorf("Run: %v", err)
		}
		close(hs.done)
	case <-time.After(5 * time.Second):
		t.Fatalf("Run did not return within 5s of cancel")
	}
}

func (hs *harness) next(t *testing.T) bot.Message {
	t.Helper()
	select {
	case m := <-hs.msgs:
		return m
	case <-time.After(5 * time.Second):
		t.Fatalf("no message reached the handler; calls: %v", hs.srv.Calls())
		return bot.Message{}
	}
}

func (hs *harness) none(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case m := <-hs.msgs:
		t.Fatalf("unexpected message reached the handler: %+v", m)
	case <-time.After(d):
	}
}

func quote(text string) bot.Quote {
	return bot.Quote{Text: text, Title: "الكويت وتركيا", Source: "جريدة القبس", URL: "https://alqabas.com/article/1?a=1&b=2",
		Doc: "kuwait-turkey", Paragraph: 3, Sentence: 1, Translation: "Kuwait and Turkey signed an agreement."}
}

func TestStartupCommandsAndWebhookDeleted(t *testing.T) {
	hs := start(t, nil, nil)
	if n := hs.srv.Count("getMe"); n != 1 {
		t.Errorf("getMe calls = %d", n)
	}
	en, ar := hs.srv.Commands(""), hs.srv.Commands("ar")
	want := []string{"start", "help", "ask", "sources", "reload", "stats"}
	for _, cmds := range [][]telegramtest.Command{en, ar} {
		if len(cmds) != len(want) {
			t.Fatalf("commands = %+v", cmds)
		}
		for i, c := range cmds {
			if c.Command != want[i] {
				t.Errorf("command %d = %q, want %q", i, c.Command, want[i])
			}
		}
	}
	if !strings.Contains(ar[2].Description, "سؤال") || !strings.Contains(en[2].Description, "question") {
		t.Errorf("descriptions: en %q ar %q", en[2].Description, ar[2].Description)
	}
	if hs.srv.Count("deleteWebhook") != 1 {
		t.Errorf("deleteWebhook not called in poll mode")
	}
	if hs.a.Username() != "qabot_test_bot" {
		t.Errorf("Username = %q", hs.a.Username())
	}
	logs := hs.logs.String()
	for _, s := range []string{"username=qabot_test_bot", "can_read_all_group_messages=false", "plain @mentions are not delivered"} {
		if !strings.Contains(logs, s) {
			t.Errorf("logs lack %q:\n%s", s, logs)
		}
	}
}

func TestDMReplyThreadedHTML(t *testing.T) {
	hs := start(t, func(ctx context.Context, m bot.Message) []bot.Reply {
		return []bot.Reply{{Lang: "ar", Quotes: []bot.Quote{quote("وقّعت الكويت وتركيا اتفاقية للتعاون الدفاعي.")}, ReplyTo: m.MessageID}}
	}, nil)
	id := hs.srv.PushText(telegramtest.Private(alice), alice, "ماذا وقّعت الكويت وتركيا؟")
	m := hs.next(t)
	want := bot.Message{Platform: "telegram", ChatID: "111", ChatKind: bot.Private, MessageID: strconv.Itoa(id),
		UserID: "111", UserName: "alice", Text: "ماذا وقّعت الكويت وتركيا؟", Addressed: true}
	if fmt.Sprintf("%+v", m) != fmt.Sprintf("%+v", want) {
		t.Errorf("message:\n got %+v\nwant %+v", m, want)
	}
	sent := hs.srv.WaitCalls(t, "sendMessage", 1, 5*time.Second)[0]
	p := sent.Params
	if p["parse_mode"] != "HTML" || p["reply_to_message_id"] != strconv.Itoa(id) ||
		p["allow_sending_without_reply"] != "true" || p["disable_web_page_preview"] != "true" || p["chat_id"] != "111" {
		t.Errorf("sendMessage params: %v", p)
	}
	for _, s := range []string{
		"<blockquote>وقّعت الكويت وتركيا اتفاقية للتعاون الدفاعي.</blockquote>",
		"<b>الكويت وتركيا</b> — جريدة القبس — الفقرة 3 — <a href=\"https://alqabas.com/article/1?a=1&amp;b=2\">الرابط</a>",
		"<i>Kuwait and Turkey signed an agreement.</i>",
	} {
		if !strings.Contains(sent.Text(), s) {
			t.Errorf("reply lacks %q:\n%s", s, sent.Text())
		}
	}
	// "typing…" went out before the answer.
	var methods []string
	for _, c := range hs.srv.Calls("sendChatAction", "sendMessage") {
		methods = append(methods, c.Method+":"+c.Params["action"])
	}
	if len(methods) < 2 || methods[0] != "sendChatAction:typing" {
		t.Errorf("calls = %v, want sendChatAction typing first", methods)
	}
}

func TestGroupCommands(t *testing.T) {
	hs := start(t, nil, nil)
	hs.srv.PushText(team, alice, "/ask@qabot_test_bot ما هي   عاصمة الكويت؟")
	m := hs.next(t)
	if m.Command != "ask" || m.Text != "ما هي عاصمة الكويت؟" || !m.Addressed || m.ChatKind != bot.Group || m.ChatID != "-5001" {
		t.Errorf("got %+v", m)
	}
	hs.srv.PushText(team, alice, "/ASK@QaBot_Test_Bot what")
	if m := hs.next(t); m.Command != "ask" || m.Text != "what" {
		t.Errorf("got %+v", m)
	}
	hs.srv.PushText(team, alice, "/ask@otherbot ما هي عاصمة الكويت؟")
	hs.srv.PushText(team, alice, "/sources")
	m = hs.next(t)
	if m.Command != "sources" || m.Text != "" || m.Addressed {
		t.Errorf("after /ask@otherbot, got %+v (want /sources)", m)
	}
	// A command followed by non-ASCII text and an emoji: UTF-16 offsets.
	hs.srv.PushText(team, alice, "/ask 😀 سؤال\nسطر ثان")
	if m := hs.next(t); m.Command != "ask" || m.Text != "😀 سؤال\nسطر ثان" {
		t.Errorf("got %+v", m)
	}
}

func TestGroupAddressing(t *testing.T) {
	hs := start(t, func(ctx context.Context, m bot.Message) []bot.Reply {
		if m.Text == "first" {
			return []bot.Reply{{Text: "hello", ReplyTo: m.MessageID}}
		}
		return nil
	}, nil)
	hs.srv.PushText(team, alice, "first")
	if m := hs.next(t); m.Addressed {
		t.Errorf("plain group message addressed: %+v", m)
	}
	botMsg := hs.srv.WaitCalls(t, "sendMessage", 1, 5*time.Second)[0].MessageID

	// Unaddressed group message: reaches the handler, Addressed false, no typing.
	typing := hs.srv.Count("sendChatAction")
	hs.srv.PushText(team, bob, "just chatting about the weather")
	m := hs.next(t)
	if m.Addressed || m.Command != "" || m.Text != "just chatting about the weather" || m.UserName != "Bob" {
		t.Errorf("got %+v", m)
	}
	// Reply to the bot's message.
	hs.srv.PushReply(team, bob, "and what about Ankara?", botMsg)
	if m := hs.next(t); !m.Addressed || m.Text != "and what about Ankara?" {
		t.Errorf("reply to bot: %+v", m)
	}
	// Reply to someone else's message.
	other := hs.srv.PushText(team, alice, "x")
	hs.next(t)
	hs.srv.PushReply(team, bob, "agreed", other)
	if m := hs.next(t); m.Addressed {
		t.Errorf("reply to a user counted as addressed: %+v", m)
	}
	// Mentions are stripped, UTF-16 offsets past an emoji included.
	hs.srv.PushText(team, bob, "@qabot_test_bot, ما هي عاصمة تركيا؟")
	if m := hs.next(t); !m.Addressed || m.Text != "ما هي عاصمة تركيا؟" {
		t.Errorf("mention: %+v", m)
	}
	hs.srv.PushText(team, bob, "😀👍 سؤال @QABOT_test_bot عن أنقرة")
	if m := hs.next(t); !m.Addressed || m.Text != "😀👍 سؤال عن أنقرة" {
		t.Errorf("mention after emoji: %q %+v", m.Text, m)
	}
	hs.srv.PushText(team, bob, "ask @someone_else please")
	if m := hs.next(t); m.Addressed || m.Text != "ask @someone_else please" {
		t.Errorf("other mention: %+v", m)
	}
	// text_mention of the bot.
	hs.srv.Push(telegramtest.Message{Chat: team, From: bob, Text: "qabot when?",
		Entities: []telegramtest.Entity{{Type: "text_mention", Offset: 0, Length: 5, User: &hs.srv.Bot}}})
	if m := hs.next(t); !m.Addressed || m.Text != "when?" {
		t.Errorf("text_mention: %+v", m)
	}
	// The default WillAnswer: addressed messages get "typing…", the plain one
	// did not. "typing…" runs beside the handler, so the text_mention's may
	// still be on its way: wait for all four (reply, mention, mention,
	// text_mention), then check no fifth came.
	deadline := time.Now().Add(5 * time.Second)
	for hs.srv.Count("sendChatAction")-typing < 4 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := hs.srv.Count("sendChatAction"); got-typing != 4 {
		t.Errorf("sendChatAction calls since the unaddressed message = %d, want 4 (reply, mention, mention, text_mention)", got-typing)
	}
}

func TestInvalidUTF8(t *testing.T) {
	hs := start(t, nil, nil)
	// JSON that carries a lone surrogate and raw invalid bytes.
	raw := []byte("{\"message\":{\"message_id\":9,\"date\":1,\"chat\":{\"id\":111,\"type\":\"private\"},\"from\":{\"id\":111,\"first_name\":\"A\"},\"text\":\"a\\ud800b \xff\xfe c\"}}")
	hs.srv.PushUpdate(raw)
	m := hs.next(t)
	if !utf8.ValidString(m.Text) || !strings.HasPrefix(m.Text, "a") || !strings.HasSuffix(m.Text, "c") {
		t.Errorf("text %q", m.Text)
	}
}

func TestDocumentFetch(t *testing.T) {
	data := []byte("+++\ntitle = \"مقال\"\n+++\nنص المقال.\n")
	got := make(chan []byte, 1)
	hs := start(t, func(ctx context.Context, m bot.Message) []bot.Reply {
		if m.Document == nil {
			return nil
		}
		b, err := m.Document.Fetch(ctx)
		if err != nil {
			t.Errorf("Fetch: %v", err)
		}
		got <- b
		return []bot.Reply{{Text: "added " + m.Document.Name}}
	}, nil)
	hs.srv.PushDocument(telegramtest.Private(alice), alice, "article.txt", data, "/add@qabot_test_bot")
	m := hs.next(t)
	if m.Document == nil || m.Document.Name != "article.txt" || m.Document.Size != int64(len(data)) || m.Command != "add" {
		t.Fatalf("got %+v", m)
	}
	select {
	case b := <-got:
		if !bytes.Equal(b, data) {
			t.Errorf("fetched %q, want %q", b, data)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Fetch did not return")
	}
	if hs.srv.Count("getFile") != 1 || hs.srv.Count("downloadFile") != 1 {
		t.Errorf("calls: %v", hs.srv.Calls())
	}
	// A file the server no longer has: the error names no token.
	a := hs.a
	_, err := a.fetch(context.Background(), "no-such-file")
	if err == nil || strings.Contains(err.Error(), hs.srv.Token) {
		t.Errorf("fetch of a missing file: %v", err)
	}
}

func TestRateLimit429(t *testing.T) {
	hs := start(t, func(ctx context.Context, m bot.Message) []bot.Reply {
		return []bot.Reply{{Text: "answer", ReplyTo: m.MessageID}}
	}, nil)
	hs.srv.RateLimitNext(1, 1)
	hs.srv.PushText(telegramtest.Private(alice), alice, "question")
	hs.srv.WaitCalls(t, "sendMessage", 1, 5*time.Second)
	calls := hs.srv.Calls("sendMessage")
	if len(calls) != 2 || calls[0].ErrorCode != 429 || calls[1].ErrorCode != 0 {
		t.Fatalf("sendMessage calls: %+v", calls)
	}
	if gap := calls[1].Time.Sub(calls[0].Time); gap < 950*time.Millisecond {
		t.Errorf("retried after %v, want ≥ 1s (retry_after)", gap)
	}
	if !strings.Contains(hs.logs.String(), "rate limited") {
		t.Errorf("the 429 was not logged")
	}
}

func TestRetryAfterOverCapDrops(t *testing.T) {
	hs := start(t, func(ctx context.Context, m bot.Message) []bot.Reply {
		return []bot.Reply{{Text: m.Text}}
	}, func(o *Options) { o.MaxRetryAfter = time.Second })
	hs.srv.RateLimitNext(1, 30)
	hs.srv.PushText(telegramtest.Private(alice), alice, "one")
	hs.next(t)
	hs.srv.PushText(telegramtest.Private(alice), alice, "two")
	hs.next(t)
	sent := hs.srv.WaitCalls(t, "sendMessage", 1, 5*time.Second)
	if sent[0].Text() != "two" {
		t.Errorf("sent %q, want two (one dropped)", sent[0].Text())
	}
}

func TestLongReplySplit(t *testing.T) {
	sentence := "وقّعت الكويت وتركيا اتفاقية للتعاون الدفاعي في أنقرة يوم الاثنين، وفق ما أعلنت الوزارة. "
	var quotes []bot.Quote
	for i := range 10 {
		var b strings.Builder
		for utf8.RuneCountInString(b.String()) < 800 {
			b.WriteString(sentence)
		}
		q := quote(strings.TrimSpace(string([]rune(b.String())[:800])))
		q.Paragraph = i + 1
		quotes = append(quotes, q)
	}
	buttons := []bot.Button{{Label: "المزيد", Data: "more:1"}, {Label: "English", Data: "tr:1"}, {Label: "too long", Data: strings.Repeat("x", 65)}}
	hs := start(t, func(ctx context.Context, m bot.Message) []bot.Reply {
		return []bot.Reply{{Lang: "ar", Quotes: quotes, Buttons: buttons, ReplyTo: m.MessageID}}
	}, nil)
	hs.srv.PushText(team, alice, "/ask سؤال طويل")
	hs.next(t)
	// The fake server rejects what Telegram would: bad HTML, > 4096 characters.
	want := len(renderReply(bot.Reply{Lang: "ar", Quotes: quotes}, maxMessageLen).parts)
	hs.srv.WaitCalls(t, "sendMessage", want, 5*time.Second)
	sent := hs.srv.Calls("sendMessage")
	if len(sent) < 3 || len(sent) != want {
		t.Fatalf("got %d parts, want %d (≥ 3)", len(sent), want)
	}
	var all strings.Builder
	for i, c := range sent {
		if c.ErrorCode != 0 {
			t.Fatalf("part %d rejected with %d", i, c.ErrorCode)
		}
		text := c.Text()
		if n := len(utf16.Encode([]rune(text))); n > 4096 || utf8.RuneCountInString(text) > 4096 {
			t.Errorf("part %d is %d UTF-16 units", i, n)
		}
		plain, err := telegramtest.ParseHTML(text)
		if err != nil {
			t.Errorf("part %d: %v", i, err)
		}
		all.WriteString(plain)
		if strings.Count(text, "<blockquote>") != strings.Count(text, "</blockquote>") {
			t.Errorf("part %d unbalanced", i)
		}
		hasKB := c.Params["reply_markup"] != ""
		if hasKB != (i == len(sent)-1) {
			t.Errorf("part %d of %d: keyboard %v", i, len(sent), hasKB)
		}
		if c.Params["reply_to_message_id"] == "" {
			t.Errorf("part %d not threaded", i)
		}
	}
	for _, q := range quotes {
		if !strings.Contains(all.String(), q.Text) {
			t.Errorf("a quote was lost or cut")
		}
	}
	kb := sent[len(sent)-1].Params["reply_markup"]
	if !strings.Contains(kb, `"callback_data":"more:1"`) || !strings.Contains(kb, `"callback_data":"tr:1"`) || strings.Contains(kb, "xxxx") {
		t.Errorf("keyboard %s", kb)
	}
}

func TestEscaping(t *testing.T) {
	text := `<b>bold</b> & @everyone "q" 'x' </blockquote>`
	hs := start(t, func(ctx context.Context, m bot.Message) []bot.Reply {
		q := bot.Quote{Text: "<script>alert(1)</script> & co", Title: "<i>T</i>", Source: "S & S",
			URL: `https://example.com/?q="><b>x`}
		bad := bot.Quote{Text: "no link here", Title: "js", URL: "javascript:alert(1)"}
		return []bot.Reply{{Text: text, NoAnswer: true}, {Quotes: []bot.Quote{q, bad}}}
	}, nil)
	hs.srv.PushText(telegramtest.Private(alice), alice, "hi")
	sent := hs.srv.WaitCalls(t, "sendMessage", 2, 5*time.Second)
	if got := sent[0].Text(); got != `&lt;b&gt;bold&lt;/b&gt; &amp; @everyone &#34;q&#34; &#39;x&#39; &lt;/blockquote&gt;` {
		t.Errorf("escaped text = %s", got)
	}
	if plain, err := telegramtest.ParseHTML(sent[0].Text()); err != nil || plain != text {
		t.Errorf("round trip: %q, %v", plain, err)
	}
	q := sent[1].Text()
	for _, s := range []string{"&lt;script&gt;alert(1)&lt;/script&gt; &amp; co", "<b>&lt;i&gt;T&lt;/i&gt;</b>", "S &amp; S",
		`href="https://example.com/?q=&#34;&gt;&lt;b&gt;x"`} {
		if !strings.Contains(q, s) {
			t.Errorf("quote reply lacks %q:\n%s", s, q)
		}
	}
	if strings.Contains(q, "javascript") {
		t.Errorf("javascript: URL linked:\n%s", q)
	}
	if _, err := telegramtest.ParseHTML(q); err != nil {
		t.Errorf("quote reply: %v", err)
	}
}

func TestCallbackAndPanicRecovery(t *testing.T) {
	hs := start(t, func(ctx context.Context, m bot.Message) []bot.Reply {
		switch {
		case m.Callback != nil && m.Callback.Data == "boom":
			panic("handler bug")
		case m.Callback != nil:
			return []bot.Reply{{Toast: "تم: " + m.Callback.Data}}
		}
		return []bot.Reply{{Text: "ok"}}
	}, nil)
	chat := telegramtest.Private(alice)
	qid := hs.srv.PushCallback(chat, alice, 77, "more:1")
	m := hs.next(t)
	if m.Callback == nil || m.Callback.ID != qid || m.Callback.Data != "more:1" || m.MessageID != "77" || m.UserID != "111" || m.ChatID != "111" {
		t.Errorf("got %+v", m)
	}
	ans := hs.srv.WaitCalls(t, "answerCallbackQuery", 1, 5*time.Second)[0]
	if ans.Params["callback_query_id"] != qid || ans.Params["text"] != "تم: more:1" {
		t.Errorf("answer %v", ans.Params)
	}
	qid2 := hs.srv.PushCallback(chat, alice, 77, "boom")
	hs.next(t)
	ans2 := hs.srv.WaitCalls(t, "answerCallbackQuery", 2, 5*time.Second)[1]
	if ans2.Params["callback_query_id"] != qid2 {
		t.Errorf("the panicking callback was not answered: %v", ans2.Params)
	}
	// The chat goes on after the panic.
	hs.srv.PushText(chat, alice, "still there?")
	hs.next(t)
	hs.srv.WaitCalls(t, "sendMessage", 1, 5*time.Second)
	if hs.srv.Count("sendMessage") != 1 {
		t.Errorf("toast-only replies were sent as messages")
	}
	if !strings.Contains(hs.logs.String(), "handler bug") {
		t.Errorf("the panic was not logged")
	}
}

func TestPerChatOrderAndIsolation(t *testing.T) {
	hs := start(t, func(ctx context.Context, m bot.Message) []bot.Reply {
		if m.ChatID == "111" {
			time.Sleep(time.Duration(5-len(m.Text)) * 10 * time.Millisecond) // earlier ones are slower
		}
		return []bot.Reply{{Text: m.Text}}
	}, func(o *Options) { o.PerChatInterval = 500 * time.Millisecond })
	chat := telegramtest.Private(alice)
	for i := 1; i <= 4; i++ {
		hs.srv.PushText(chat, alice, strings.Repeat("x", i))
	}
	// Bob's chat is not held up by Alice's paced queue.
	time.Sleep(50 * time.Millisecond)
	t0 := time.Now()
	hs.srv.PushText(telegramtest.Private(bob), bob, "bob")
	for {
		var got bool
		for _, c := range hs.srv.Calls("sendMessage") {
			got = got || c.Params["chat_id"] == "222"
		}
		if got {
			break
		}
		if time.Since(t0) > time.Second {
			t.Fatalf("bob's reply waited behind alice's queue")
		}
		time.Sleep(5 * time.Millisecond)
	}
	sent := hs.srv.WaitCalls(t, "sendMessage", 5, 5*time.Second)
	var order []string
	var times []time.Time
	for _, c := range sent {
		if c.Params["chat_id"] == "111" {
			order = append(order, c.Text())
			times = append(times, c.Time)
		}
	}
	if strings.Join(order, ",") != "x,xx,xxx,xxxx" {
		t.Errorf("order %v", order)
	}
	for i := 1; i < len(times); i++ {
		if gap := times[i].Sub(times[i-1]); gap < 450*time.Millisecond {
			t.Errorf("gap %d = %v, want ≥ 500ms", i, gap)
		}
	}
}

func TestPerGroupLimit(t *testing.T) {
	old := groupWindow
	groupWindow = time.Second
	t.Cleanup(func() { groupWindow = old }) // registered first: runs after the adapter stopped
	hs := start(t, func(ctx context.Context, m bot.Message) []bot.Reply {
		return []bot.Reply{{Text: "a"}, {Text: "b"}, {Text: "c"}, {Text: "d"}}
	}, func(o *Options) { o.PerChatInterval = -1; o.PerGroupPerMinute = 3 })
	hs.srv.PushText(team, alice, "/ask x")
	sent := hs.srv.WaitCalls(t, "sendMessage", 4, 5*time.Second)
	if gap := sent[3].Time.Sub(sent[0].Time); gap < 950*time.Millisecond {
		t.Errorf("4th message %v after the 1st, want ≥ the 1s window", gap)
	}
	if gap := sent[2].Time.Sub(sent[0].Time); gap > 500*time.Millisecond {
		t.Errorf("3rd message %v after the 1st, want at once", gap)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func TestWebhook(t *testing.T) {
	port := freePort(t)
	hook := fmt.Sprintf("http://127.0.0.1:%d/tg/hook", port)
	hs := start(t, func(ctx context.Context, m bot.Message) []bot.Reply {
		return []bot.Reply{{Text: "via webhook: " + m.Text, ReplyTo: m.MessageID}}
	}, func(o *Options) {
		o.Mode = ModeWebhook
		o.WebhookListen = fmt.Sprintf("127.0.0.1:%d", port)
		o.WebhookURL = hook
		o.WebhookSecret = "s3cret-Token_x"
	})
	if u, s := hs.srv.Webhook(); u != hook || s != "s3cret-Token_x" {
		t.Fatalf("setWebhook: %q %q", u, s)
	}
	body := `{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":111,"type":"private"},"from":{"id":111,"first_name":"A"},"text":"forged"}}`
	for _, tc := range []struct {
		method, path, secret string
		want                 int
	}{
		{"POST", "/tg/hook", "", 403},
		{"POST", "/tg/hook", "wrong", 403},
		{"POST", "/tg/hook", "s3cret-Token_", 403},
		{"GET", "/tg/hook", "s3cret-Token_x", 405},
		{"POST", "/other", "s3cret-Token_x", 404},
	} {
		req, _ := http.NewRequest(tc.method, fmt.Sprintf("http://127.0.0.1:%d%s", port, tc.path), strings.NewReader(body))
		if tc.secret != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", tc.secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("%s %s secret %q: %d, want %d", tc.method, tc.path, tc.secret, resp.StatusCode, tc.want)
		}
	}
	http.DefaultClient.CloseIdleConnections()
	hs.none(t, 100*time.Millisecond)

	id := hs.srv.PushText(telegramtest.Private(alice), alice, "hello hook")
	if m := hs.next(t); m.Text != "hello hook" {
		t.Errorf("got %+v", m)
	}
	sent := hs.srv.WaitCalls(t, "sendMessage", 1, 5*time.Second)[0]
	if sent.Text() != "via webhook: hello hook" || sent.Params["reply_to_message_id"] != strconv.Itoa(id) {
		t.Errorf("sent %v", sent.Params)
	}
	if d := hs.srv.WebhookDeliveries(); len(d) != 1 || d[0] != 200 {
		t.Errorf("deliveries %v", d)
	}
	if hs.srv.Count("getUpdates") != 0 {
		t.Errorf("polled in webhook mode")
	}
}

func TestTokenNeverLogged(t *testing.T) {
	port := freePort(t) // nothing listens there
	logs := &syncBuffer{}
	token := telegramtest.DefaultToken
	a, err := New(Options{Token: token, APIEndpoint: fmt.Sprintf("http://127.0.0.1:%d/bot%%s/%%s", port),
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- a.Run(ctx, bot.HandlerFunc(func(context.Context, bot.Message) []bot.Reply { return nil }))
	}()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), "getMe failed") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
	out := logs.String()
	if !strings.Contains(out, "getMe failed") || !strings.Contains(out, redacted) {
		t.Errorf("expected a redacted getMe error in the logs:\n%s", out)
	}
	t.Logf("logs:\n%s", out)
	if strings.Contains(out, token) || strings.Contains(out, strings.Split(token, ":")[1]) {
		t.Errorf("token in logs:\n%s", out)
	}
	// A wrong token is fatal.
	srv := telegramtest.NewServer(t)
	a, _ = New(Options{Token: "1:wrong", APIEndpoint: srv.APIEndpoint(), Logger: slog.New(slog.NewTextHandler(logs, nil))})
	err = a.Run(context.Background(), bot.HandlerFunc(func(context.Context, bot.Message) []bot.Reply { return nil }))
	if err == nil || !strings.Contains(err.Error(), "Unauthorized") || strings.Contains(err.Error(), "1:wrong") {
		t.Errorf("wrong token: %v", err)
	}
}

func TestNewOptions(t *testing.T) {
	for _, tc := range []struct {
		opts Options
		ok   bool
	}{
		{Options{}, false},
		{Options{Token: "t"}, true},
		{Options{Token: "t", Mode: "carrier-pigeon"}, false},
		{Options{Token: "t", Mode: "webhook"}, false},
		{Options{Token: "t", Mode: "webhook", WebhookListen: ":8443", WebhookURL: "https://x.example/hook", WebhookSecret: "bad secret!"}, false},
		{Options{Token: "t", Mode: "webhook", WebhookListen: ":8443", WebhookURL: "https://x.example/hook"}, true},
		{Options{Token: "t", APIEndpoint: "http://127.0.0.1:8081/custom"}, false},
		{Options{Token: "t", APIEndpoint: "http://127.0.0.1:8081/api/%s/%s"}, false},
		{Options{Token: "t", APIEndpoint: "http://127.0.0.1:8081/api/%s/%s", FileEndpoint: "http://127.0.0.1:8081/f/%s/%s"}, true},
	} {
		_, err := New(tc.opts)
		if (err == nil) != tc.ok {
			t.Errorf("New(%+v): %v", tc.opts, err)
		}
	}
	a, _ := New(Options{Token: "t", APIEndpoint: "http://127.0.0.1:8081/bot%s/%s"})
	if a.fileEndpoint != "http://127.0.0.1:8081/file/bot%s/%s" {
		t.Errorf("file endpoint %q", a.fileEndpoint)
	}
	a, _ = New(Options{Token: "t"})
	if a.apiEndpoint != "https://api.telegram.org/bot%s/%s" || a.fileEndpoint != "https://api.telegram.org/file/bot%s/%s" || a.client.Timeout == 0 {
		t.Errorf("defaults: %q %q %v", a.apiEndpoint, a.fileEndpoint, a.client.Timeout)
	}
	a, _ = New(Options{Token: "t", Mode: "webhook", WebhookListen: ":8443", WebhookURL: "https://x.example/hook"})
	if !validSecret(a.opts.WebhookSecret) || len(a.opts.WebhookSecret) < 32 {
		t.Errorf("generated secret %q", a.opts.WebhookSecret)
	}
}

// waitGoroutines waits until at most n goroutines run.
func waitGoroutines(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > n {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("%d goroutines, want ≤ %d:\n%s", runtime.NumGoroutine(), n, buf)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestStopCleanlyNoLeaks(t *testing.T) {
	for _, mode := range []string{ModePoll, ModeWebhook} {
		t.Run(mode, func(t *testing.T) {
			srv := telegramtest.NewServer(t)
			time.Sleep(20 * time.Millisecond)
			before := runtime.NumGoroutine()
			port := freePort(t)
			a, err := New(Options{Token: srv.Token, APIEndpoint: srv.APIEndpoint(), Mode: mode,
				WebhookListen: fmt.Sprintf("127.0.0.1:%d", port), WebhookURL: fmt.Sprintf("http://127.0.0.1:%d/", port),
				PerChatInterval: 300 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				t.Fatal(err)
			}
			slow := bot.HandlerFunc(func(ctx context.Context, m bot.Message) []bot.Reply {
				select {
				case <-ctx.Done():
				case <-time.After(100 * time.Millisecond):
				}
				return []bot.Reply{{Text: "1"}, {Text: "2"}, {Text: "3"}}
			})
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- a.Run(ctx, slow) }()
			for !a.Connected() {
				time.Sleep(5 * time.Millisecond)
			}
			for i := range 5 {
				u := telegramtest.User{ID: int64(1000 + i), FirstName: "u"}
				srv.PushText(telegramtest.Private(u), u, "q")
			}
			srv.WaitCount("sendMessage", 2, 5*time.Second)
			t0 := time.Now()
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run: %v", err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("Run did not return within 5s")
			}
			if d := time.Since(t0); d > 3*time.Second {
				t.Errorf("Run took %v to stop", d)
			}
			if a.Connected() {
				t.Errorf("still Connected after Run returned")
			}
			waitGoroutines(t, before)
		})
	}
}

// BenchmarkUpdateToSendMessage measures the bot's overhead: from an update
// pushed to the fake server to the server seeing the sendMessage, with a
// trivial handler, over loopback HTTP (long poll, JSON, form encoding).
func BenchmarkUpdateToSendMessage(b *testing.B) {
	srv := telegramtest.NewServer(b)
	a, err := New(Options{Token: srv.Token, APIEndpoint: srv.APIEndpoint(), PerChatInterval: -1,
		PerGroupPerMinute: -1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- a.Run(ctx, bot.HandlerFunc(func(ctx context.Context, m bot.Message) []bot.Reply {
			return []bot.Reply{{Text: "pong", ReplyTo: m.MessageID}}
		}))
	}()
	for !a.Connected() {
		time.Sleep(time.Millisecond)
	}
	chat := telegramtest.Private(alice)
	b.ResetTimer()
	for i := range b.N {
		srv.PushText(chat, alice, "ping")
		if !srv.WaitCount("sendMessage", i+1, 10*time.Second) {
			b.Fatalf("no reply %d", i+1)
		}
	}
	b.StopTimer()
	cancel()
	<-done
}

// TestReconnectReported: polling that works again after getUpdates failed
// calls OnReconnect once.
func TestReconnectReported(t *testing.T) {
	var reconnects atomic.Int32
	hs := start(t, func(ctx context.Context, m bot.Message) []bot.Reply {
		return []bot.Reply{{Lang: "en", Text: "ok"}}
	}, func(o *Options) { o.OnReconnect = func() { reconnects.Add(1) } })
	hs.srv.FailNext("getUpdates", 1, http.StatusBadGateway, "Bad Gateway", 0)
	alice := telegramtest.User{ID: 111, FirstName: "Alice"}
	hs.srv.PushText(telegramtest.Private(alice), alice, "one") // ends the pending poll
	hs.srv.WaitCalls(t, "sendMessage", 1, 5*time.Second)
	hs.srv.PushText(telegramtest.Private(alice), alice, "two") // after the failed poll
	hs.srv.WaitCalls(t, "sendMessage", 2, 10*time.Second)
	if n := reconnects.Load(); n != 1 {
		t.Errorf("OnReconnect called %d times, want 1; logs:\n%s", n, hs.logs.String())
	}
}
