package discord

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qabot/qabot/bot"
	"github.com/qabot/qabot/bot/discord/discordtest"
)

const wait = 5 * time.Second

// syncBuf collects the adapter's logs; they are printed when a test fails.
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

// recorder is a bot.Handler that records messages and answers with fn.
type recorder struct {
	mu   sync.Mutex
	msgs []bot.Message
	got  chan bot.Message
	fn   func(ctx context.Context, m bot.Message) []bot.Reply
}

func newRecorder(fn func(ctx context.Context, m bot.Message) []bot.Reply) *recorder {
	return &recorder{got: make(chan bot.Message, 100), fn: fn}
}

func (r *recorder) Handle(ctx context.Context, m bot.Message) []bot.Reply {
	r.mu.Lock()
	r.msgs = append(r.msgs, m)
	r.mu.Unlock()
	r.got <- m
	return r.fn(ctx, m)
}

func (r *recorder) next(t *testing.T) bot.Message {
	t.Helper()
	select {
	case m := <-r.got:
		return m
	case <-time.After(wait):
		t.Fatal("handler not called")
		return bot.Message{}
	}
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.msgs)
}

type running struct {
	a    *Adapter
	srv  *discordtest.Server
	stop func() time.Duration // cancels Run and returns how long it took to return
}

// start runs an adapter against a fresh fake Discord and waits until it is
// identified and its commands are registered.
func start(t *testing.T, opts Options, h bot.Handler) *running {
	t.Helper()
	srv := discordtest.NewServer(t)
	return startOn(t, srv, opts, h)
}

func startOn(t *testing.T, srv *discordtest.Server, opts Options, h bot.Handler) *running {
	t.Helper()
	logs := &syncBuf{}
	opts.Token = "test-token"
	opts.APIBase = srv.URL
	opts.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx, h) }()
	var once sync.Once
	var took time.Duration
	stop := func() time.Duration {
		once.Do(func() {
			t0 := time.Now()
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run: %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Error("Run did not return within 10 s of cancel")
			}
			took = time.Since(t0)
		})
		return took
	}
	t.Cleanup(func() {
		stop()
		if t.Failed() {
			t.Logf("adapter logs:\n%s", logs.String())
		}
	})
	srv.WaitReady(t, wait)
	pattern := "PUT /applications/*/commands"
	if len(opts.Guilds) > 0 {
		pattern = "PUT /applications/*/guilds/*/commands"
	}
	srv.WaitCalls(t, pattern, max(1, len(opts.Guilds)), wait)
	deadline := time.Now().Add(wait)
	for !a.Connected() {
		if time.Now().After(deadline) {
			t.Fatal("adapter not Connected")
		}
		time.Sleep(5 * time.Millisecond)
	}
	return &running{a: a, srv: srv, stop: stop}
}

func sampleQuote() bot.Quote {
	return bot.Quote{
		Text:      "أعلنت وزارة الدفاع الكويتية توقيع اتفاقية تعاون مع تركيا.",
		Title:     "الكويت وتركيا توقعان اتفاقية دفاعية",
		Source:    "جريدة القبس الإلكتروني",
		URL:       "https://alqabas.com/article/1",
		Doc:       "alqabas-turkey-kuwait-defence",
		Paragraph: 3,
		Sentence:  1,
	}
}

func quoteReply(m bot.Message) []bot.Reply {
	return []bot.Reply{{Lang: "ar", Quotes: []bot.Quote{sampleQuote()}, ReplyTo: m.MessageID}}
}

func canned(_ context.Context, m bot.Message) []bot.Reply { return quoteReply(m) }

// payload decodes a recorded body; interaction callbacks nest the message
// under "data".
func payload(t *testing.T, c discordtest.Call) map[string]any {
	t.Helper()
	m := c.JSON()
	if m == nil {
		t.Fatalf("%s %s: body is not a JSON object: %s", c.Method, c.Path, c.Body)
	}
	return m
}

func messageOf(t *testing.T, c discordtest.Call) map[string]any {
	m := payload(t, c)
	if d, ok := m["data"].(map[string]any); ok && strings.HasSuffix(c.Path, "/callback") {
		return d
	}
	return m
}

func embedsOf(m map[string]any) []map[string]any {
	var out []map[string]any
	es, _ := m["embeds"].([]any)
	for _, e := range es {
		out = append(out, e.(map[string]any))
	}
	return out
}

// assertNoPings checks that every message-sending call carries
// allowed_mentions with an empty parse list.
func assertNoPings(t *testing.T, srv *discordtest.Server) {
	t.Helper()
	n := 0
	for _, c := range srv.Calls() {
		sends := (c.Method == "POST" && strings.HasSuffix(c.Path, "/messages")) ||
			(c.Method == "PATCH" && strings.Contains(c.Path, "/webhooks/")) ||
			(c.Method == "POST" && strings.HasPrefix(c.Path, "/webhooks/"))
		if strings.HasSuffix(c.Path, "/callback") {
			m := payload(t, c)
			if m["data"] == nil { // deferred / update acks carry no message
				continue
			}
			sends = true
		}
		if !sends {
			continue
		}
		n++
		m := messageOf(t, c)
		am, ok := m["allowed_mentions"].(map[string]any)
		if !ok {
			t.Errorf("%s %s: no allowed_mentions: %s", c.Method, c.Path, c.Body)
			continue
		}
		parse, ok := am["parse"].([]any)
		if !ok || len(parse) != 0 {
			t.Errorf("%s %s: allowed_mentions.parse = %v, want []", c.Method, c.Path, am["parse"])
		}
	}
	if n == 0 {
		t.Error("no message-sending calls to check")
	}
}

func TestIdentifyIntents(t *testing.T) {
	const base = 1 | 1<<9 | 1<<12 // GUILDS | GUILD_MESSAGES | DIRECT_MESSAGES
	for _, mc := range []bool{false, true} {
		t.Run(fmt.Sprint("message_content=", mc), func(t *testing.T) {
			r := start(t, Options{MessageContent: mc}, bot.HandlerFunc(canned))
			ids := r.srv.Identifies()
			if len(ids) != 1 {
				t.Fatalf("identifies = %d", len(ids))
			}
			want := int64(base)
			if mc {
				want |= 1 << 15
			}
			if ids[0].Intents != want {
				t.Errorf("intents = %d, want %d", ids[0].Intents, want)
			}
			if ids[0].Token != "Bot test-token" {
				t.Errorf("token = %q", ids[0].Token)
			}
		})
	}
}

func TestCommandsRegistered(t *testing.T) {
	check := func(t *testing.T, c discordtest.Call) {
		var cmds []map[string]any
		if err := c.Decode(&cmds); err != nil {
			t.Fatal(err)
		}
		byName := map[string]map[string]any{}
		for _, c := range cmds {
			byName[c["name"].(string)] = c
		}
		for _, n := range []string{"ask", "sources", "reload", "stats"} {
			if byName[n] == nil {
				t.Fatalf("command %q missing from %s", n, c.Body)
			}
			if loc, _ := byName[n]["description_localizations"].(map[string]any); loc["ar"] == nil {
				t.Errorf("%s: no Arabic description", n)
			}
		}
		for _, n := range []string{"reload", "stats"} {
			if got := byName[n]["default_member_permissions"]; got != "0" {
				t.Errorf("%s: default_member_permissions = %#v, want \"0\"", n, got)
			}
		}
		for _, n := range []string{"ask", "sources"} {
			if got, ok := byName[n]["default_member_permissions"]; ok {
				t.Errorf("%s: default_member_permissions = %#v, want none", n, got)
			}
		}
		opts := byName["ask"]["options"].([]any)
		q := opts[0].(map[string]any)
		if len(opts) != 1 || q["name"] != "question" || q["type"] != 3.0 || q["required"] != true {
			t.Errorf("ask options = %v", opts)
		}
		ropts := byName["reload"]["options"].([]any)
		f := ropts[0].(map[string]any)
		if len(ropts) != 1 || f["name"] != "file" || f["type"] != 11.0 || f["required"] != false {
			t.Errorf("reload options = %v", ropts)
		}
	}
	t.Run("global", func(t *testing.T) {
		r := start(t, Options{}, bot.HandlerFunc(canned))
		calls := r.srv.CallsTo("PUT /applications/" + r.srv.AppID + "/commands")
		if len(calls) != 1 {
			t.Fatalf("global registrations = %d", len(calls))
		}
		check(t, calls[0])
		if n := len(r.srv.CallsTo("PUT /applications/*/guilds/*/commands")); n != 0 {
			t.Errorf("guild registrations = %d, want 0", n)
		}
	})
	t.Run("guilds", func(t *testing.T) {
		r := start(t, Options{Guilds: []string{"111", "222"}}, bot.HandlerFunc(canned))
		for _, g := range []string{"111", "222"} {
			calls := r.srv.CallsTo("PUT /applications/" + r.srv.AppID + "/guilds/" + g + "/commands")
			if len(calls) != 1 {
				t.Fatalf("guild %s registrations = %d", g, len(calls))
			}
			check(t, calls[0])
		}
		if n := len(r.srv.CallsTo("PUT /applications/*/commands")); n != 0 {
			t.Errorf("global registrations = %d, want 0", n)
		}
	})
}

func TestAskImmediate(t *testing.T) {
	h := newRecorder(func(_ context.Context, m bot.Message) []bot.Reply { return quoteReply(m) })
	r := start(t, Options{}, h)
	in := r.srv.SendCommand(t, discordtest.Command{GuildID: "g1", ChannelID: "c1", UserID: "u1", Name: "ask",
		Options: map[string]string{"question": "ماذا وقعت الكويت؟"}})
	m := h.next(t)
	if m.Platform != "discord" || m.Command != "ask" || m.Text != "ماذا وقعت الكويت؟" || m.ChatID != "c1" ||
		m.ChatKind != bot.Group || m.UserID != "u1" || m.MessageID != in.ID || !m.Addressed {
		t.Errorf("message = %+v", m)
	}
	calls := r.srv.WaitCalls(t, in.CallbackPattern(), 1, wait)
	cb := payload(t, calls[0])
	if cb["type"] != 4.0 {
		t.Fatalf("callback type = %v, want 4: %s", cb["type"], calls[0].Body)
	}
	es := embedsOf(cb["data"].(map[string]any))
	if len(es) != 1 {
		t.Fatalf("embeds = %d", len(es))
	}
	e := es[0]
	q := sampleQuote()
	if e["description"] != q.Text {
		t.Errorf("description = %q", e["description"])
	}
	if e["title"] != q.Title || e["url"] != q.URL {
		t.Errorf("title/url = %q %q", e["title"], e["url"])
	}
	footer, _ := e["footer"].(map[string]any)
	if ft, _ := footer["text"].(string); !strings.Contains(ft, q.Source) || !strings.Contains(ft, "الفقرة 3") {
		t.Errorf("footer = %q", footer["text"])
	}
	if d := calls[0].At.Sub(in.Sent); d > time.Second {
		t.Errorf("acknowledged after %v", d)
	}
	if n := len(r.srv.CallsTo(in.OriginalPattern())); n != 0 {
		t.Errorf("%d edits on the immediate path", n)
	}
	assertNoPings(t, r.srv)
}

func TestAskDeferred(t *testing.T) {
	h := newRecorder(func(ctx context.Context, m bot.Message) []bot.Reply {
		time.Sleep(300 * time.Millisecond)
		return quoteReply(m)
	})
	r := start(t, Options{DeferAfter: 50 * time.Millisecond}, h)
	in := r.srv.SendCommand(t, discordtest.Command{GuildID: "g1", ChannelID: "c1", Name: "ask",
		Options: map[string]string{"question": "what did Kuwait sign?"}})
	edits := r.srv.WaitCalls(t, in.OriginalPattern(), 1, wait)
	cbs := r.srv.CallsTo(in.CallbackPattern())
	if len(cbs) != 1 {
		t.Fatalf("callbacks = %d", len(cbs))
	}
	if cb := payload(t, cbs[0]); cb["type"] != 5.0 {
		t.Errorf("callback type = %v, want 5", cb["type"])
	}
	if d := cbs[0].At.Sub(in.Sent); d > time.Second {
		t.Errorf("deferred after %v", d)
	}
	if !cbs[0].At.Before(edits[0].At) {
		t.Error("edit before the deferred response")
	}
	es := embedsOf(payload(t, edits[0]))
	if len(es) != 1 || es[0]["description"] != sampleQuote().Text {
		t.Errorf("edit = %s", edits[0].Body)
	}
	assertNoPings(t, r.srv)
}

func TestDeferredEphemeral(t *testing.T) {
	h := newRecorder(func(ctx context.Context, m bot.Message) []bot.Reply {
		time.Sleep(200 * time.Millisecond)
		return []bot.Reply{{Text: "admins only", Ephemeral: true}}
	})
	r := start(t, Options{DeferAfter: 20 * time.Millisecond}, h)
	// /ask is deferred publicly: the ephemeral answer replaces it
	in := r.srv.SendCommand(t, discordtest.Command{GuildID: "g1", Name: "ask", Options: map[string]string{"question": "q"}})
	fu := r.srv.WaitCalls(t, in.FollowupPattern(), 1, wait)
	if f := payload(t, fu[0])["flags"]; f != 64.0 {
		t.Errorf("followup flags = %v, want 64", f)
	}
	if n := len(r.srv.CallsTo("DELETE /webhooks/*/" + in.Token + "/messages/@original")); n != 1 {
		t.Errorf("deferred response deleted %d times, want 1", n)
	}
	// the admin commands are deferred privately and then edited
	in = r.srv.SendCommand(t, discordtest.Command{GuildID: "g1", Name: "reload"})
	edit := r.srv.WaitCalls(t, in.OriginalPattern(), 1, wait)
	cb := payload(t, r.srv.CallsTo(in.CallbackPattern())[0])
	if data, _ := cb["data"].(map[string]any); cb["type"] != 5.0 || data["flags"] != 64.0 {
		t.Errorf("reload deferred with %s", r.srv.CallsTo(in.CallbackPattern())[0].Body)
	}
	if c := payload(t, edit[0])["content"]; c != "admins only" {
		t.Errorf("edit content = %v", c)
	}
	if n := len(r.srv.CallsTo("DELETE /webhooks/*/" + in.Token + "/messages/@original")); n != 0 {
		t.Errorf("private deferred response deleted %d times", n)
	}
}

func TestGuildMention(t *testing.T) {
	h := newRecorder(canned)
	r := start(t, Options{}, h)
	bid := r.srv.BotID
	id := r.srv.SendMessage(t, discordtest.Msg{GuildID: "g1", ChannelID: "c2", AuthorID: "u2",
		Content: "<@" + bid + "> متى وقعت الاتفاقية؟ <@!" + bid + ">", MentionIDs: []string{bid}})
	m := h.next(t)
	if m.Text != "متى وقعت الاتفاقية؟" || !m.Addressed || m.ChatKind != bot.Group || m.MessageID != id || m.UserID != "u2" {
		t.Errorf("message = %+v", m)
	}
	sent := r.srv.WaitCalls(t, "POST /channels/c2/messages", 1, wait)
	ref, _ := payload(t, sent[0])["message_reference"].(map[string]any)
	if ref["message_id"] != id || ref["fail_if_not_exists"] != false {
		t.Errorf("message_reference = %v", ref)
	}
	if n := len(r.srv.CallsTo("POST /channels/c2/typing")); n != 1 {
		t.Errorf("typing calls = %d, want 1", n)
	}
	assertNoPings(t, r.srv)
}

func TestReplyToBotIsAddressed(t *testing.T) {
	h := newRecorder(canned)
	r := start(t, Options{}, h)
	r.srv.SendMessage(t, discordtest.Msg{GuildID: "g1", ChannelID: "c3", Content: "and when?",
		ReplyToID: "777", ReplyToAuthorID: r.srv.BotID})
	if m := h.next(t); !m.Addressed || m.Text != "and when?" {
		t.Errorf("message = %+v", m)
	}
	r.srv.WaitCalls(t, "POST /channels/c3/messages", 1, wait)
}

func TestDM(t *testing.T) {
	h := newRecorder(canned)
	r := start(t, Options{}, h)
	r.srv.SendMessage(t, discordtest.Msg{ChannelID: "dm1", AuthorID: "u3", Content: "/ask what happened?"})
	m := h.next(t)
	if m.ChatKind != bot.Private || m.ChatID != "dm1" || m.Command != "ask" || m.Text != "what happened?" {
		t.Errorf("message = %+v", m)
	}
	sent := r.srv.WaitCalls(t, "POST /channels/dm1/messages", 1, wait)
	if es := embedsOf(payload(t, sent[0])); len(es) != 1 {
		t.Errorf("embeds = %d", len(es))
	}
}

func TestUnaddressedAndBotsIgnored(t *testing.T) {
	h := newRecorder(canned)
	r := start(t, Options{WillAnswer: func(bot.Message) bool { return false }}, h)
	r.srv.SendMessage(t, discordtest.Msg{GuildID: "g1", ChannelID: "c4", Content: "just chatting"})
	r.srv.SendMessage(t, discordtest.Msg{GuildID: "g1", ChannelID: "c4", Content: "a reply to someone else",
		ReplyToID: "1", ReplyToAuthorID: "42"})
	r.srv.SendMessage(t, discordtest.Msg{ChannelID: "c4", AuthorID: "99", AuthorBot: true, Content: "beep"})
	r.srv.SendMessage(t, discordtest.Msg{ChannelID: "c4", AuthorID: r.srv.BotID, Content: "myself"})
	// a DM afterwards must be handled (and without typing: WillAnswer says no)
	r.srv.SendMessage(t, discordtest.Msg{ChannelID: "c5", Content: "hello"})
	r.srv.WaitCalls(t, "POST /channels/c5/messages", 1, wait)
	time.Sleep(200 * time.Millisecond)
	if n := len(r.srv.CallsTo("POST /channels/c4/messages")); n != 0 {
		t.Errorf("%d answers to unaddressed messages", n)
	}
	if n := h.count(); n != 1 {
		t.Errorf("handler called %d times, want 1", n)
	}
	if n := len(r.srv.CallsTo("POST /channels/*/typing")); n != 0 {
		t.Errorf("typing calls = %d, want 0", n)
	}
}

func TestEphemeral(t *testing.T) {
	h := newRecorder(func(_ context.Context, m bot.Message) []bot.Reply {
		return []bot.Reply{{Text: "Questions today: 3", Ephemeral: true}}
	})
	r := start(t, Options{}, h)
	in := r.srv.SendCommand(t, discordtest.Command{GuildID: "g1", Name: "stats"})
	if m := h.next(t); m.Command != "stats" {
		t.Errorf("command = %q", m.Command)
	}
	cb := payload(t, r.srv.WaitCalls(t, in.CallbackPattern(), 1, wait)[0])
	data := cb["data"].(map[string]any)
	if cb["type"] != 4.0 || data["flags"] != 64.0 {
		t.Errorf("callback = %v", cb)
	}
	if data["content"] != "Questions today: 3" {
		t.Errorf("content = %q", data["content"])
	}
}

func TestEveryonePingsNobody(t *testing.T) {
	h := newRecorder(func(_ context.Context, m bot.Message) []bot.Reply {
		q := sampleQuote()
		q.Text = "@everyone look at this <@&123> and @here *now*"
		return []bot.Reply{
			{Text: "You asked: " + m.Text, ReplyTo: m.MessageID},
			{Quotes: []bot.Quote{q}},
		}
	})
	r := start(t, Options{}, h)
	in := r.srv.SendCommand(t, discordtest.Command{GuildID: "g1", ChannelID: "c6", Name: "ask",
		Options: map[string]string{"question": "@everyone what?"}})
	r.srv.SendMessage(t, discordtest.Msg{GuildID: "g1", ChannelID: "c6", Content: "<@" + r.srv.BotID + "> @everyone hi",
		MentionIDs: []string{r.srv.BotID}})
	r.srv.WaitCalls(t, in.FollowupPattern(), 1, wait)
	r.srv.WaitCalls(t, "POST /channels/c6/messages", 2, wait)
	assertNoPings(t, r.srv)
	for _, c := range r.srv.Calls() {
		if strings.Contains(string(c.Body), `"content":"You asked: @everyone`) {
			t.Errorf("raw @everyone in content: %s", c.Body)
		}
	}
	// the quote shows exactly as written: escaped markdown only
	fu := payload(t, r.srv.CallsTo(in.FollowupPattern())[0])
	if d := embedsOf(fu)[0]["description"]; d != `@everyone look at this \<@&123\> and @here \*now\*` {
		t.Errorf("description = %q", d)
	}
}

func TestRateLimitWaitedOut(t *testing.T) {
	h := newRecorder(canned)
	r := start(t, Options{}, h)
	r.srv.RateLimit("POST /channels/c7/messages", 1, 200*time.Millisecond, false)
	r.srv.SendMessage(t, discordtest.Msg{ChannelID: "c7", Content: "q"})
	calls := r.srv.WaitCalls(t, "POST /channels/c7/messages", 2, wait)
	if calls[0].Status != 429 || calls[1].Status != 200 {
		t.Fatalf("statuses = %d, %d", calls[0].Status, calls[1].Status)
	}
	if d := calls[1].At.Sub(calls[0].At); d < 190*time.Millisecond {
		t.Errorf("retried after %v, want >= 200ms", d)
	}
	if !bytes.Equal(calls[0].Body, calls[1].Body) {
		t.Error("retry sent a different body")
	}
}

func TestRateLimitOverCapGivesUp(t *testing.T) {
	h := newRecorder(canned)
	r := start(t, Options{MaxRetryAfter: 500 * time.Millisecond}, h)
	r.srv.RateLimit("POST /channels/c8/messages", 1, 30*time.Second, false)
	r.srv.SendMessage(t, discordtest.Msg{ChannelID: "c8", Content: "q"})
	r.srv.WaitCalls(t, "POST /channels/c8/messages", 1, wait)
	time.Sleep(300 * time.Millisecond)
	if n := len(r.srv.CallsTo("POST /channels/c8/messages")); n != 1 {
		t.Errorf("calls = %d, want 1 (no retry past the cap)", n)
	}
	// the bucket's reset was clamped to the cap: the channel works again soon
	r.srv.SendMessage(t, discordtest.Msg{ChannelID: "c8", Content: "q2"})
	calls := r.srv.WaitCalls(t, "POST /channels/c8/messages", 2, wait)
	if calls[1].Status != 200 {
		t.Errorf("status = %d", calls[1].Status)
	}
	if took := r.stop(); took > 3*time.Second {
		t.Errorf("stop took %v", took)
	}
}

func TestLongAnswerSplit(t *testing.T) {
	quotes := make([]bot.Quote, 12)
	for i := range quotes {
		q := sampleQuote()
		q.Text = fmt.Sprintf("%02d ", i) + strings.Repeat("كلمة ", 179) // 3 + 895 = 898 chars
		q.Paragraph = i + 1
		quotes[i] = q
	}
	h := newRecorder(func(_ context.Context, m bot.Message) []bot.Reply {
		return []bot.Reply{{Lang: "ar", Text: "وجدت ١٢ اقتباساً:", Quotes: quotes, ReplyTo: m.MessageID,
			Buttons: []bot.Button{{Label: "المزيد", Data: "more:1"}}}}
	})
	r := start(t, Options{}, h)
	r.srv.SendMessage(t, discordtest.Msg{ChannelID: "c9", Content: "q"})
	// wait until all 12 embeds arrived
	var sent []discordtest.Call
	deadline := time.Now().Add(wait)
	for {
		sent = r.srv.CallsTo("POST /channels/c9/messages")
		n := 0
		for _, c := range sent {
			n += len(embedsOf(payload(t, c)))
		}
		if n >= 12 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("got %d embeds in %d messages", n, len(sent))
		}
		time.Sleep(10 * time.Millisecond)
	}
	if len(sent) < 2 {
		t.Fatalf("messages = %d, want >= 2", len(sent))
	}
	next := 0
	for i, c := range sent {
		m := payload(t, c)
		es := embedsOf(m)
		total := 0
		for _, e := range es {
			total += len([]rune(e["description"].(string))) + len([]rune(e["title"].(string)))
			if f, ok := e["footer"].(map[string]any); ok {
				total += len([]rune(f["text"].(string)))
			}
			if !strings.HasPrefix(e["description"].(string), fmt.Sprintf("%02d ", next)) {
				t.Errorf("message %d: quote out of order: %.10q", i, e["description"])
			}
			next++
		}
		if len(es) > 10 || total > 6000 {
			t.Errorf("message %d: %d embeds, %d characters", i, len(es), total)
		}
		if len([]rune(fmt.Sprint(m["content"]))) > 2000 {
			t.Errorf("message %d: content too long", i)
		}
		_, hasRef := m["message_reference"]
		if hasRef != (i == 0) {
			t.Errorf("message %d: message_reference present = %v", i, hasRef)
		}
		_, hasButtons := m["components"].([]any)
		if hasButtons != (i == len(sent)-1) {
			t.Errorf("message %d: buttons present = %v", i, hasButtons)
		}
	}
	assertNoPings(t, r.srv)
}

func TestButtonPress(t *testing.T) {
	h := newRecorder(func(_ context.Context, m bot.Message) []bot.Reply {
		if m.Callback == nil {
			return nil
		}
		if m.Callback.Data == "toast" {
			return []bot.Reply{{Toast: "Saved"}}
		}
		return quoteReply(m)
	})
	r := start(t, Options{}, h)
	in := r.srv.PressButton(t, discordtest.Press{GuildID: "g1", ChannelID: "c10", UserID: "u9", CustomID: "more:abc"})
	m := h.next(t)
	if m.Callback == nil || m.Callback.ID != in.ID || m.Callback.Data != "more:abc" || m.UserID != "u9" || m.ChatID != "c10" {
		t.Fatalf("message = %+v callback %+v", m, m.Callback)
	}
	cb := payload(t, r.srv.WaitCalls(t, in.CallbackPattern(), 1, wait)[0])
	data, _ := cb["data"].(map[string]any)
	if cb["type"] != 4.0 || data["flags"] != nil || len(embedsOf(data)) != 1 {
		t.Errorf("more: callback = %v", cb)
	}

	in = r.srv.PressButton(t, discordtest.Press{GuildID: "g1", ChannelID: "c10", CustomID: "toast"})
	cb = payload(t, r.srv.WaitCalls(t, in.CallbackPattern(), 1, wait)[0])
	data, _ = cb["data"].(map[string]any)
	if cb["type"] != 4.0 || data["flags"] != 64.0 || data["content"] != "Saved" {
		t.Errorf("toast: callback = %v", cb)
	}
	assertNoPings(t, r.srv)
}

func TestGatewayDropRecovered(t *testing.T) {
	h := newRecorder(canned)
	var reconnects atomic.Int32
	r := start(t, Options{OnReconnect: func() { reconnects.Add(1) }}, h)
	if n := reconnects.Load(); n != 0 {
		t.Errorf("reconnects at start = %d", n)
	}
	r.srv.DropConnection()
	deadline := time.Now().Add(wait)
	for r.srv.Resumes() < 1 {
		if time.Now().After(deadline) {
			t.Fatal("adapter did not resume")
		}
		time.Sleep(10 * time.Millisecond)
	}
	r.srv.WaitReady(t, wait)
	r.srv.SendMessage(t, discordtest.Msg{ChannelID: "c11", Content: "still there?"})
	r.srv.WaitCalls(t, "POST /channels/c11/messages", 1, wait)
	if n := len(r.srv.Identifies()); n != 1 {
		t.Errorf("identifies = %d, want 1 (a resume)", n)
	}
	for !r.a.Connected() {
		if time.Now().After(deadline) {
			t.Fatal("not Connected after resume")
		}
		time.Sleep(5 * time.Millisecond)
	}

	// op 7 RECONNECT is handled the same way
	r.srv.Reconnect(t)
	for r.srv.Resumes() < 2 {
		if time.Now().After(deadline.Add(wait)) {
			t.Fatal("adapter did not resume after op 7")
		}
		time.Sleep(10 * time.Millisecond)
	}
	r.srv.SendMessage(t, discordtest.Msg{ChannelID: "c12", Content: "and now?"})
	r.srv.WaitCalls(t, "POST /channels/c12/messages", 1, wait)
	if n := reconnects.Load(); n != 2 {
		t.Errorf("OnReconnect called %d times, want 2", n)
	}
}

// TestDrainOnStop: with a DrainTimeout, an answer in flight when Run's
// context ends is still sent, and no new event is taken.
func TestDrainOnStop(t *testing.T) {
	release := make(chan struct{})
	h := newRecorder(func(ctx context.Context, m bot.Message) []bot.Reply {
		if m.Text == "slow" {
			select {
			case <-release:
			case <-ctx.Done():
				return nil
			}
		}
		return quoteReply(m)
	})
	r := start(t, Options{DrainTimeout: 5 * time.Second}, h)
	r.srv.SendMessage(t, discordtest.Msg{ChannelID: "c30", Content: "slow"})
	h.next(t)
	stopped := make(chan time.Duration, 1)
	go func() { stopped <- r.stop() }()
	time.Sleep(100 * time.Millisecond) // Run is draining
	close(release)
	select {
	case <-stopped:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return")
	}
	if n := len(r.srv.CallsTo("POST /channels/c30/messages")); n != 1 {
		t.Errorf("the answer in flight was not sent: %d calls", n)
	}
}

func TestPanicRecovered(t *testing.T) {
	h := newRecorder(func(_ context.Context, m bot.Message) []bot.Reply {
		if strings.Contains(m.Text, "boom") {
			panic("boom")
		}
		return quoteReply(m)
	})
	willAnswer := func(m bot.Message) bool {
		if m.Text == "wa-boom" {
			panic("WillAnswer boom")
		}
		return true
	}
	r := start(t, Options{WillAnswer: willAnswer}, h)
	r.srv.SendMessage(t, discordtest.Msg{ChannelID: "c13", Content: "boom"})
	sent := r.srv.WaitCalls(t, "POST /channels/c13/messages", 1, wait)
	if !strings.Contains(fmt.Sprint(payload(t, sent[0])["content"]), "went wrong") {
		t.Errorf("apology = %s", sent[0].Body)
	}
	in := r.srv.SendCommand(t, discordtest.Command{Name: "ask", Options: map[string]string{"question": "boom"}})
	cb := payload(t, r.srv.WaitCalls(t, in.CallbackPattern(), 1, wait)[0])
	if cb["type"] != 4.0 || cb["data"].(map[string]any)["flags"] != 64.0 {
		t.Errorf("callback = %v", cb)
	}
	// WillAnswer panicking does not take the adapter down either
	r.srv.SendMessage(t, discordtest.Msg{ChannelID: "c14", Content: "wa-boom"})
	r.srv.WaitCalls(t, "POST /channels/c14/messages", 1, wait)
}

func TestDocuments(t *testing.T) {
	got := make(chan string, 4)
	h := newRecorder(func(ctx context.Context, m bot.Message) []bot.Reply {
		if m.Document != nil {
			data, err := m.Document.Fetch(ctx)
			if err != nil {
				got <- "error: " + err.Error()
			} else {
				got <- m.Document.Name + ":" + string(data)
			}
		}
		return []bot.Reply{{Text: "ok"}}
	})
	r := start(t, Options{Admins: []string{"admin1"}}, h)
	url := r.srv.AddFile("new.txt", []byte("مقال جديد"))
	att := []discordtest.Attachment{{Filename: "new.txt", URL: url, Size: len("مقال جديد")}}
	r.srv.SendMessage(t, discordtest.Msg{ChannelID: "c15", AuthorID: "admin1", Content: "/reload", Attachments: att})
	if s := <-got; s != "new.txt:مقال جديد" {
		t.Errorf("admin fetch = %q", s)
	}
	r.srv.SendMessage(t, discordtest.Msg{ChannelID: "c15", AuthorID: "someone", Content: "/reload", Attachments: att})
	if s := <-got; !strings.HasPrefix(s, "error:") {
		t.Errorf("non-admin fetch = %q", s)
	}
	in := r.srv.SendCommand(t, discordtest.Command{GuildID: "g1", UserID: "admin1", Name: "reload", File: &att[0]})
	if s := <-got; s != "new.txt:مقال جديد" {
		t.Errorf("slash command fetch = %q", s)
	}
	r.srv.WaitCalls(t, in.CallbackPattern(), 1, wait)
}

// adapterGoroutines lists goroutines running discordgo or adapter code, or
// holding client connections.
func adapterGoroutines() []string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var out []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "bwmarrin/discordgo") ||
			strings.Contains(g, "qabot/bot/discord.(*Adapter)") ||
			strings.Contains(g, "net/http.(*persistConn)") {
			out = append(out, g)
		}
	}
	return out
}

func TestRunStopsCleanly(t *testing.T) {
	h := newRecorder(func(ctx context.Context, m bot.Message) []bot.Reply {
		if m.Text == "slow" {
			<-ctx.Done() // a handler still running at shutdown
		}
		return quoteReply(m)
	})
	r := start(t, Options{DeferAfter: 50 * time.Millisecond}, h)
	r.srv.SendMessage(t, discordtest.Msg{ChannelID: "c16", Content: "hi"})
	r.srv.WaitCalls(t, "POST /channels/c16/messages", 1, wait)
	r.srv.SendCommand(t, discordtest.Command{Name: "ask", Options: map[string]string{"question": "slow"}})
	h.next(t)
	h.next(t)
	took := r.stop()
	if took > 3*time.Second {
		t.Errorf("Run returned %v after cancel", took)
	}
	if r.a.Connected() {
		t.Error("still Connected after Run returned")
	}
	r.srv.WaitDisconnected(t, wait)
	var left []string
	deadline := time.Now().Add(3 * time.Second)
	for {
		left = adapterGoroutines()
		if len(left) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(left) > 0 {
		t.Errorf("%d goroutines left after Run returned:\n%s", len(left), strings.Join(left, "\n\n"))
	}
	// a second Run is refused
	if err := r.a.Run(context.Background(), h); err == nil {
		t.Error("second Run did not fail")
	}
}

func TestBadTokenFailsRun(t *testing.T) {
	srv := discordtest.NewServer(t)
	srv.SetToken("Bot right")
	a, err := New(Options{Token: "wrong", APIBase: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := a.Run(ctx, bot.HandlerFunc(canned)); err == nil || ctx.Err() != nil {
		t.Errorf("Run = %v, want an early error", err)
	}
}

func TestNewChecksOptions(t *testing.T) {
	if _, err := New(Options{}); err == nil {
		t.Error("New without a token did not fail")
	}
	if _, err := New(Options{Token: "x", APIBase: "ftp://host/"}); err == nil {
		t.Error("New with a bad base did not fail")
	}
	a, err := New(Options{Token: "x", Admins: []string{"1"}})
	if err != nil {
		t.Fatal(err)
	}
	if a.Name() != "discord" || a.Connected() || !a.IsAdmin("1") || a.IsAdmin("2") {
		t.Error("Name/Connected/IsAdmin")
	}
	if a.opts.DeferAfter != defaultDeferAfter || a.opts.MaxRetryAfter != defaultMaxRetryAfter {
		t.Error("defaults not applied")
	}
}

func BenchmarkInteractionAck(b *testing.B) {
	srv := discordtest.NewServer(b)
	a, err := New(Options{Token: "x", APIBase: srv.URL, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.Run(ctx, bot.HandlerFunc(func(_ context.Context, m bot.Message) []bot.Reply {
			return []bot.Reply{{Text: "ok"}}
		}))
	}()
	defer func() { cancel(); <-done }()
	srv.WaitReady(b, wait)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		in := srv.SendCommand(b, discordtest.Command{Name: "ask", Options: map[string]string{"question": "q"}})
		srv.WaitCalls(b, in.CallbackPattern(), 1, wait)
	}
	b.StopTimer()
}
