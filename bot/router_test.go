package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qabot/qabot/qa"
)

// fakeBackend is a Backend for the router's tests.
type fakeBackend struct {
	mu        sync.Mutex
	asks      []string
	tops      []int
	answer    func(q string) qa.Result
	sources   []Source
	reloads   int
	reloadRep ReloadReport
	reloadErr error
	added     map[string][]byte
	addErr    error
}

func (f *fakeBackend) Ask(_ context.Context, q string, top int) qa.Result {
	f.mu.Lock()
	f.asks = append(f.asks, q)
	f.tops = append(f.tops, top)
	answer := f.answer
	f.mu.Unlock()
	if answer != nil {
		return answer(q)
	}
	return threeAnswers(q)
}

func (f *fakeBackend) Sources() []Source { return f.sources }

func (f *fakeBackend) Reload(context.Context) (ReloadReport, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reloads++
	return f.reloadRep, f.reloadErr
}

func (f *fakeBackend) AddArticle(_ context.Context, name string, data []byte) (ReloadReport, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.added == nil {
		f.added = map[string][]byte{}
	}
	if f.addErr != nil {
		return ReloadReport{}, f.addErr
	}
	f.added[name] = data
	return ReloadReport{Added: []string{strings.TrimSuffix(name, ".txt")}, Articles: 2, Sentences: 20}, nil
}

func (f *fakeBackend) Stats(_ context.Context, lang string) string { return "stats in " + lang }

func (f *fakeBackend) askCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.asks)
}

func threeAnswers(q string) qa.Result {
	res := qa.Result{Question: q, Lang: DetectLang(q), Answered: true}
	for i := 1; i <= 3; i++ {
		res.Answers = append(res.Answers, qa.Answer{
			Quote: fmt.Sprintf("جملة رقم %d.", i), Doc: "news/a", Title: "عنوان", Source: "القبس",
			URL: "https://example.com/a", Paragraph: i, Sentence: 1, Score: 1 / float64(i),
			Translation: fmt.Sprintf("Sentence %d.", i), Section: "قسم",
		})
	}
	return res
}

// clock is a settable fake clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newTestRouter(t *testing.T, mod func(*RouterConfig)) (*Router, *fakeBackend, *clock, *MemoryFeedback) {
	t.Helper()
	fb := &fakeBackend{sources: []Source{{Doc: "news/a", Title: "عنوان", Sentences: 12}, {Doc: "news/b", Sentences: 3}}}
	ck := &clock{t: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
	mem := NewMemoryFeedback(0)
	cfg := DefaultRouterConfig()
	cfg.BotName = "qabot"
	cfg.Admins = map[string]map[string]bool{"telegram": {"1": true}}
	cfg.Now = ck.now
	cfg.Feedback = mem
	if mod != nil {
		mod(&cfg)
	}
	return NewRouter(fb, cfg, nil), fb, ck, mem
}

func dm(user, text string) Message {
	return Message{Platform: "telegram", ChatID: "c" + user, ChatKind: Private, MessageID: "m1", UserID: user, Text: text}
}

func group(user, text string) Message {
	return Message{Platform: "telegram", ChatID: "g1", ChatKind: Group, MessageID: "m2", UserID: user, Text: text}
}

func one(t *testing.T, reps []Reply) Reply {
	t.Helper()
	if len(reps) != 1 {
		t.Fatalf("got %d replies, want 1: %+v", len(reps), reps)
	}
	return reps[0]
}

func TestDMQuestionAnswered(t *testing.T) {
	r, fb, _, _ := newTestRouter(t, nil)
	rep := one(t, r.Handle(context.Background(), dm("5", "  متى وقعت الاتفاقية؟ ")))
	if rep.ReplyTo != "m1" || rep.Lang != "ar" || rep.NoAnswer || rep.Text != "" {
		t.Errorf("reply = %+v", rep)
	}
	if len(rep.Quotes) != 1 {
		t.Fatalf("quotes = %+v, want 1", rep.Quotes)
	}
	// An Arabic question gets no translation under the quote.
	want := Quote{Text: "جملة رقم 1.", Title: "عنوان", Source: "القبس",
		URL: "https://example.com/a", Doc: "news/a", Paragraph: 1, Sentence: 1, Section: "قسم"}
	if !reflect.DeepEqual(rep.Quotes[0], want) {
		t.Errorf("quote = %+v, want %+v", rep.Quotes[0], want)
	}
	if fb.asks[0] != "متى وقعت الاتفاقية؟" {
		t.Errorf("backend got %q", fb.asks[0])
	}
	if fb.tops[0] < 2 {
		t.Errorf("asked for %d answers, want several for \"more\"", fb.tops[0])
	}
	if len(rep.Buttons) != 3 || !strings.HasPrefix(rep.Buttons[0].Data, "m:") || rep.Buttons[0].Label != "المزيد" {
		t.Fatalf("buttons = %+v", rep.Buttons)
	}
	for _, b := range rep.Buttons {
		if len(b.Data) > 64 {
			t.Errorf("button data %q is %d bytes", b.Data, len(b.Data))
		}
	}
	if !strings.HasSuffix(rep.Buttons[1].Data, ":+") || !strings.HasSuffix(rep.Buttons[2].Data, ":-") {
		t.Errorf("vote buttons = %+v", rep.Buttons[1:])
	}
}

func TestGroupAddressing(t *testing.T) {
	r, fb, _, _ := newTestRouter(t, nil)
	ctx := context.Background()
	if reps := r.Handle(ctx, group("5", "what is the weather")); reps != nil {
		t.Errorf("unaddressed group message answered: %+v", reps)
	}
	if reps := r.Handle(ctx, group("5", "/ask@otherbot what")); reps != nil {
		t.Errorf("another bot's command answered: %+v", reps)
	}
	if reps := r.Handle(ctx, group("5", "/frobnicate")); reps != nil {
		t.Errorf("unknown command in a group answered: %+v", reps)
	}
	if n := fb.askCount(); n != 0 {
		t.Fatalf("backend asked %d times", n)
	}

	m := group("5", "who signed?")
	m.Command = "ask"
	if rep := one(t, r.Handle(ctx, m)); len(rep.Quotes) != 1 || rep.ReplyTo != "m2" || rep.Lang != "en" {
		t.Errorf("/ask reply = %+v", rep)
	}
	if rep := one(t, r.Handle(ctx, group("5", "/ASK@qabot who signed?"))); len(rep.Quotes) != 1 {
		t.Errorf("/ask@qabot reply = %+v", rep)
	}
	m = group("5", "who signed?")
	m.Addressed = true
	if rep := one(t, r.Handle(ctx, m)); len(rep.Quotes) != 1 {
		t.Errorf("addressed reply = %+v", rep)
	}
	if n := fb.askCount(); n != 3 {
		t.Errorf("backend asked %d times, want 3", n)
	}
	for _, q := range fb.asks {
		if q != "who signed?" {
			t.Errorf("backend got %q", q)
		}
	}
}

func TestAdminCommands(t *testing.T) {
	r, fb, _, _ := newTestRouter(t, nil)
	ctx := context.Background()
	fb.reloadRep = ReloadReport{Embedded: true, Added: []string{"a"}, Removed: []string{"b"}, Changed: []string{"c"},
		Articles: 7, Sentences: 321, Took: 1234 * time.Millisecond, Failed: []string{"x.txt:3: bad front matter"}}

	for i, cmd := range []string{"reload", "stats"} {
		m := dm(fmt.Sprint(9+i), "")
		m.Command = cmd
		rep := one(t, r.Handle(ctx, m))
		if !rep.Ephemeral || rep.Text != msgs("ar").NotAdmin {
			t.Errorf("non-admin /%s: %+v", cmd, rep)
		}
		// In the user's language once known.
		m.Text = "please"
		if rep := one(t, r.Handle(ctx, m)); rep.Text != msgs("en").NotAdmin || rep.Lang != "en" {
			t.Errorf("non-admin /%s in English: %+v", cmd, rep)
		}
	}
	if fb.reloads != 0 {
		t.Fatalf("reload ran for a non-admin")
	}

	m := dm("1", "/reload")
	rep := one(t, r.Handle(ctx, m))
	if fb.reloads != 1 {
		t.Fatalf("reloads = %d", fb.reloads)
	}
	for _, want := range []string{"المضمّنة", "7", "321", "1.23s", "x.txt:3: bad front matter", "(1): a"} {
		if !strings.Contains(rep.Text, want) {
			t.Errorf("Arabic report lacks %q:\n%s", want, rep.Text)
		}
	}
	m.Text = "/reload now"
	rep = one(t, r.Handle(ctx, m))
	for _, want := range []string{"embedded", "Articles: 7, sentences: 321", "Added (1): a", "Removed (1): b",
		"Changed (1): c", "Files that failed to load (1):\n• x.txt:3: bad front matter"} {
		if !strings.Contains(rep.Text, want) {
			t.Errorf("English report lacks %q:\n%s", want, rep.Text)
		}
	}

	fb.reloadErr = errors.New("disk on fire")
	rep = one(t, r.Handle(ctx, dm("1", "/reload please")))
	if rep.Text != "Reload failed, the old index keeps serving: disk on fire" {
		t.Errorf("failed reload: %q", rep.Text)
	}

	rep = one(t, r.Handle(ctx, dm("1", "/stats الآن")))
	if rep.Text != "stats in ar" {
		t.Errorf("stats = %q", rep.Text)
	}
}

func TestRateLimitOneNotice(t *testing.T) {
	r, fb, ck, _ := newTestRouter(t, func(c *RouterConfig) { c.UserPerMinute = 2; c.ChatPerMinute = 3 })
	ctx := context.Background()
	var answers, notices, silent int
	for i := 0; i < 6; i++ {
		reps := r.Handle(ctx, dm("5", "question"))
		switch {
		case len(reps) == 0:
			silent++
		case reps[0].Text == msgs("en").SlowDown:
			notices++
		case len(reps[0].Quotes) > 0:
			answers++
		}
	}
	if answers != 2 || notices != 1 || silent != 3 {
		t.Errorf("answers %d, notices %d, silent %d; want 2, 1, 3", answers, notices, silent)
	}
	if fb.askCount() != 2 {
		t.Errorf("backend asked %d times", fb.askCount())
	}
	ck.add(61 * time.Second)
	if rep := one(t, r.Handle(ctx, dm("5", "question"))); len(rep.Quotes) != 1 {
		t.Errorf("after the window: %+v", rep)
	}

	// The chat limit: three users, one group.
	m := group("", "/ask q")
	answers, notices, silent = 0, 0, 0
	for i := 0; i < 6; i++ {
		m.UserID = fmt.Sprint(100 + i)
		reps := r.Handle(ctx, m)
		switch {
		case len(reps) == 0:
			silent++
		case reps[0].Text == msgs("en").SlowDown:
			notices++
		default:
			answers++
		}
	}
	if answers != 3 || notices != 1 || silent != 2 {
		t.Errorf("chat: answers %d, notices %d, silent %d; want 3, 1, 2", answers, notices, silent)
	}
}

func TestMoreAndVotes(t *testing.T) {
	r, _, _, mem := newTestRouter(t, nil)
	ctx := context.Background()
	first := one(t, r.Handle(ctx, dm("5", "who?")))
	more := first.Buttons[0].Data
	press := func(user, data string) []Reply {
		m := dm(user, "")
		m.MessageID = "cbmsg"
		m.Callback = &Callback{ID: "cb", Data: data}
		return r.Handle(ctx, m)
	}
	second := one(t, press("5", more))
	if second.ReplyTo != "m1" || len(second.Quotes) != 1 || second.Quotes[0].Paragraph != 2 || second.Toast != "" {
		t.Fatalf("second page = %+v", second)
	}
	if rep := one(t, press("6", more)); rep.Toast != msgs("en").MoreShown {
		t.Errorf("second press on the same button: %+v", rep)
	}
	third := one(t, press("5", second.Buttons[0].Data))
	if third.Quotes[0].Paragraph != 3 {
		t.Fatalf("third page = %+v", third)
	}
	if len(third.Buttons) != 2 || strings.HasPrefix(third.Buttons[0].Data, "m:") {
		t.Errorf("last page has a more button: %+v", third.Buttons)
	}
	if rep := one(t, press("5", "m:"+strings.TrimSuffix(strings.TrimPrefix(third.Buttons[0].Data, "v:"), ":+"))); rep.Toast != msgs("en").NoMore {
		t.Errorf("more on the last page: %+v", rep)
	}
	if rep := one(t, press("5", "m:nosuchkey")); rep.Toast != msgs("en").Expired {
		t.Errorf("unknown key: %+v", rep)
	}

	up, down := first.Buttons[1].Data, first.Buttons[2].Data
	key := strings.TrimSuffix(strings.TrimPrefix(up, "v:"), ":+")
	if rep := one(t, press("5", up)); rep.Toast != msgs("en").Thanks {
		t.Errorf("vote: %+v", rep)
	}
	one(t, press("5", up))
	one(t, press("7", up))
	if u, d := mem.Votes(key); u != 2 || d != 0 {
		t.Errorf("votes = %d/%d, want 2/0", u, d)
	}
	if rep := one(t, press("5", down)); rep.Toast != msgs("en").VoteChanged {
		t.Errorf("changed vote: %+v", rep)
	}
	if u, d := mem.Votes(key); u != 1 || d != 1 {
		t.Errorf("votes = %d/%d, want 1/1", u, d)
	}
	if reps := press("5", "garbage"); reps != nil {
		t.Errorf("unknown data: %+v", reps)
	}
	if res, ok := r.Result(key); !ok || res.Question != "who?" {
		t.Errorf("Result(%q) = %+v, %v", key, res, ok)
	}
}

func TestCacheBounded(t *testing.T) {
	r, _, _, _ := newTestRouter(t, func(c *RouterConfig) { c.CacheSize = 3; c.UserPerMinute = 0; c.ChatPerMinute = 0 })
	ctx := context.Background()
	first := one(t, r.Handle(ctx, dm("5", "q")))
	for i := 0; i < 5; i++ {
		r.Handle(ctx, dm("5", "q"))
	}
	if n := r.pages.len(); n != 3 {
		t.Errorf("cache holds %d pages, want 3", n)
	}
	m := dm("5", "")
	m.Callback = &Callback{Data: first.Buttons[0].Data}
	if rep := one(t, r.Handle(ctx, m)); rep.Toast != msgs("en").Expired {
		t.Errorf("evicted key: %+v", rep)
	}
}

func TestBadInput(t *testing.T) {
	r, fb, _, _ := newTestRouter(t, func(c *RouterConfig) { c.MaxQuestionRunes = 10; c.UserPerMinute = 0 })
	ctx := context.Background()

	rep := one(t, r.Handle(ctx, dm("5", "/ask   ")))
	if rep.Text != msgs("ar").EmptyQuestion {
		t.Errorf("empty /ask: %q", rep.Text)
	}
	rep = one(t, r.Handle(ctx, dm("5", "سؤال طويل جداً جداً")))
	if rep.Text != "سؤالك طويل جدًا (عدد الأحرف 19، والحد الأقصى 10). يُرجى اختصاره." || len(rep.Quotes) != 0 {
		t.Errorf("too long: %q", rep.Text)
	}
	rep = one(t, r.Handle(ctx, dm("5", "abcdefghijk")))
	if rep.Text != "Your question is too long (11 characters, max 10). Please shorten it." {
		t.Errorf("too long: %q", rep.Text)
	}
	if fb.askCount() != 0 {
		t.Fatalf("backend called for bad input")
	}

	rep = one(t, r.Handle(ctx, dm("5", "who\xff\xfe?\x00")))
	if fb.asks[0] != "who?" {
		t.Errorf("backend got %q", fb.asks[0])
	}
	if rep.Text != msgs("en").InvalidUTF8 || len(rep.Quotes) != 1 {
		t.Errorf("invalid UTF-8 reply: %+v", rep)
	}
	rep = one(t, r.Handle(ctx, dm("5", "\xff\xfe")))
	if rep.Text != msgs("en").EmptyQuestion {
		t.Errorf("only invalid bytes: %+v", rep)
	}

	// Markup is just text: it reaches the backend unchanged.
	r.Handle(ctx, dm("5", "<i>@x</i>"))
	if got := fb.asks[len(fb.asks)-1]; got != "<i>@x</i>" {
		t.Errorf("backend got %q", got)
	}
}

func TestNoAnswer(t *testing.T) {
	r, fb, _, _ := newTestRouter(t, nil)
	fb.answer = func(q string) qa.Result {
		return qa.Result{Question: q, Lang: DetectLang(q), Closest: []qa.DocRef{{Doc: "a", Title: "مقال أ"}, {Doc: "b"}}}
	}
	rep := one(t, r.Handle(context.Background(), dm("5", "ما عاصمة المريخ؟")))
	if !rep.NoAnswer || rep.Lang != "ar" || len(rep.Quotes) != 0 || len(rep.Buttons) != 0 {
		t.Errorf("reply = %+v", rep)
	}
	if want := "لم أجد إجابة في المقالات المتوفرة لديّ.\nأقرب المقالات:\n• مقال أ\n• b"; rep.Text != want {
		t.Errorf("text = %q, want %q", rep.Text, want)
	}
	rep = one(t, r.Handle(context.Background(), dm("5", "capital of Mars?")))
	if !strings.HasPrefix(rep.Text, "No answer found") || rep.Lang != "en" {
		t.Errorf("English no answer: %+v", rep)
	}
}

func TestPanicRecovered(t *testing.T) {
	var logs bytes.Buffer
	fb := &fakeBackend{answer: func(string) qa.Result { panic("boom") }}
	r := NewRouter(fb, DefaultRouterConfig(), slog.New(slog.NewTextHandler(&logs, nil)))
	rep := one(t, r.Handle(context.Background(), dm("5", "why?")))
	if rep.Text != msgs("en").Error || rep.ReplyTo != "m1" {
		t.Errorf("reply = %+v", rep)
	}
	if !strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), "boom") ||
		!strings.Contains(logs.String(), "router_test.go") {
		t.Errorf("log lacks the panic and its stack:\n%s", logs.String())
	}
	// The router still works afterwards.
	fb.answer = nil
	if rep := one(t, r.Handle(context.Background(), dm("5", "why?"))); len(rep.Quotes) != 1 {
		t.Errorf("after a panic: %+v", rep)
	}
}

func TestNoTextAtInfo(t *testing.T) {
	var logs bytes.Buffer
	r := NewRouter(&fakeBackend{}, DefaultRouterConfig(), slog.New(slog.NewTextHandler(&logs, nil)))
	r.Handle(context.Background(), dm("5", "secretquestiontext"))
	if strings.Contains(logs.String(), "secretquestiontext") {
		t.Errorf("question text logged at info:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "len=18") {
		t.Errorf("log lacks the length:\n%s", logs.String())
	}
}

func TestDocumentUpload(t *testing.T) {
	r, fb, _, _ := newTestRouter(t, func(c *RouterConfig) { c.MaxUploadBytes = 100 })
	ctx := context.Background()
	fetched := 0
	doc := func(user, name string, size int64, data string) Message {
		m := dm(user, "")
		m.Document = &Document{Name: name, Size: size, Fetch: func(context.Context) ([]byte, error) {
			fetched++
			return []byte(data), nil
		}}
		return m
	}
	en := msgs("ar") // no caption and no history: the default language

	if rep := one(t, r.Handle(ctx, doc("9", "a.txt", 10, "نص"))); rep.Text != en.NotAdmin || !rep.Ephemeral {
		t.Errorf("non-admin: %+v", rep)
	}
	if rep := one(t, r.Handle(ctx, doc("1", "a.pdf", 10, "x"))); rep.Text != en.DocBadType {
		t.Errorf("pdf: %+v", rep)
	}
	if rep := one(t, r.Handle(ctx, doc("1", ".hidden.txt", 10, "x"))); !strings.Contains(rep.Text, ".hidden.txt") {
		t.Errorf("dot file: %+v", rep)
	}
	if rep := one(t, r.Handle(ctx, doc("1", "big.txt", 101, "x"))); rep.Text != fmt.Sprintf(en.DocTooLargeF, 101, 100) {
		t.Errorf("too large: %+v", rep)
	}
	if fetched != 0 {
		t.Fatalf("fetched %d times before the checks passed", fetched)
	}
	if rep := one(t, r.Handle(ctx, doc("1", "liar.txt", 10, strings.Repeat("x", 101)))); rep.Text != fmt.Sprintf(en.DocTooLargeF, 101, 100) {
		t.Errorf("fetched too much: %+v", rep)
	}
	if rep := one(t, r.Handle(ctx, doc("1", "bin.txt", 10, "\xff\x00"))); rep.Text != en.DocNotText {
		t.Errorf("binary: %+v", rep)
	}
	if len(fb.added) != 0 {
		t.Fatalf("added %v", fb.added)
	}

	rep := one(t, r.Handle(ctx, doc("1", `..\..\etc/News.TXT`, 10, "نص المقال")))
	if string(fb.added["News.txt"]) != "نص المقال" {
		t.Errorf("added = %v", fb.added)
	}
	if !strings.Contains(rep.Text, "News.txt") || !strings.Contains(rep.Text, "News") {
		t.Errorf("report = %q", rep.Text)
	}
	fb.addErr = errors.New("exists already")
	if rep := one(t, r.Handle(ctx, doc("1", "x.md", 10, "x"))); rep.Text != "تعذّرت إضافة x.md: exists already" {
		t.Errorf("add failed: %q", rep.Text)
	}

	// Documents in groups are ignored.
	g := doc("1", "g.txt", 1, "x")
	g.ChatKind = Group
	if reps := r.Handle(ctx, g); reps != nil {
		t.Errorf("group document: %+v", reps)
	}
}

func TestAllowList(t *testing.T) {
	r, fb, _, _ := newTestRouter(t, func(c *RouterConfig) {
		c.AllowedChats = map[string]map[string]bool{"telegram": {"g1": true}}
	})
	ctx := context.Background()
	if rep := one(t, r.Handle(ctx, group("5", "/ask q"))); len(rep.Quotes) != 1 {
		t.Errorf("allowed group: %+v", rep)
	}
	m := group("5", "/ask q")
	m.ChatID = "g2"
	if reps := r.Handle(ctx, m); reps != nil {
		t.Errorf("other group: %+v", reps)
	}
	if reps := r.Handle(ctx, dm("5", "/start")); reps != nil {
		t.Errorf("non-admin DM outside the list: %+v", reps)
	}
	if rep := one(t, r.Handle(ctx, dm("1", "/reload"))); rep.Text == "" {
		t.Errorf("admin DM: %+v", rep)
	}
	if fb.askCount() != 1 {
		t.Errorf("asks = %d", fb.askCount())
	}
	// Other platforms are not restricted.
	m = dm("5", "q")
	m.Platform = "discord"
	if rep := one(t, r.Handle(ctx, m)); len(rep.Quotes) != 1 {
		t.Errorf("discord: %+v", rep)
	}
}

func TestHelpSourcesUnknown(t *testing.T) {
	r, _, _, _ := newTestRouter(t, nil)
	ctx := context.Background()
	rep := one(t, r.Handle(ctx, dm("5", "/start")))
	if !strings.Contains(rep.Text, "@qabot") || !strings.Contains(rep.Text, "/ask") ||
		DetectLang(rep.Text) != "ar" || !strings.Contains(rep.Text, "In a group") {
		t.Errorf("bilingual help: %q", rep.Text)
	}
	m := dm("5", "in english please")
	m.Command = "help"
	if rep := one(t, r.Handle(ctx, m)); DetectLang(rep.Text) != "en" {
		t.Errorf("English help: %q", rep.Text)
	}
	rep = one(t, r.Handle(ctx, dm("5", "/sources")))
	if want := "2 articles (15 sentences):\n• عنوان — 12 sentences\n• news/b — 3 sentences"; rep.Text != want {
		t.Errorf("sources = %q, want %q", rep.Text, want)
	}
	rep = one(t, r.Handle(ctx, dm("5", "/frob")))
	if rep.Text != "I don't know the command /frob. Try /help." {
		t.Errorf("unknown = %q", rep.Text)
	}
}

func TestWillAnswer(t *testing.T) {
	r, fb, _, _ := newTestRouter(t, func(c *RouterConfig) { c.UserPerMinute = 1 })
	for _, c := range []struct {
		m    Message
		want bool
	}{
		{dm("5", "question"), true},
		{dm("5", ""), false},
		{dm("5", "/help"), false},
		{dm("5", "/reload"), false},
		{dm("1", "/reload"), true},
		{group("5", "question"), false},
		{group("5", "/ask question"), true},
	} {
		if got := r.WillAnswer(c.m); got != c.want {
			t.Errorf("WillAnswer(%q, kind %d) = %v", c.m.Text, c.m.ChatKind, got)
		}
	}
	if fb.askCount() != 0 {
		t.Errorf("WillAnswer asked the backend")
	}
	r.Handle(context.Background(), dm("5", "q"))
	if r.WillAnswer(dm("5", "q")) {
		t.Errorf("WillAnswer true while rate limited")
	}
}

func TestConcurrentHandle(t *testing.T) {
	r, _, _, _ := newTestRouter(t, func(c *RouterConfig) { c.CacheSize = 16 })
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			for j := 0; j < 50; j++ {
				m := dm(fmt.Sprint(i%4), "question")
				reps := r.Handle(ctx, m)
				if len(reps) == 1 && len(reps[0].Buttons) > 0 {
					m.Callback = &Callback{Data: reps[0].Buttons[j%3].Data}
					r.Handle(ctx, m)
				}
				r.WillAnswer(m)
			}
		}()
	}
	wg.Wait()
}

func TestMessagesComplete(t *testing.T) {
	for lang, tx := range messages {
		v := reflect.ValueOf(*tx)
		for i := 0; i < v.NumField(); i++ {
			if v.Field(i).String() == "" {
				t.Errorf("%s: %s is empty", lang, v.Type().Field(i).Name)
			}
		}
	}
	// Both languages use the same format verbs.
	ar, en := reflect.ValueOf(*messages["ar"]), reflect.ValueOf(*messages["en"])
	for i := 0; i < ar.NumField(); i++ {
		if verbs(ar.Field(i).String()) != verbs(en.Field(i).String()) {
			t.Errorf("%s: verbs differ: %q vs %q", ar.Type().Field(i).Name, ar.Field(i), en.Field(i))
		}
	}
}

func verbs(s string) string {
	var b strings.Builder
	for i := 0; i < len(s)-1; i++ {
		if s[i] == '%' {
			j := i + 1
			for j < len(s) && strings.IndexByte("[]0123456789", s[j]) >= 0 {
				j++
			}
			if j < len(s) {
				b.WriteString(s[i : j+1])
			}
			i = j
		}
	}
	return b.String()
}

func TestParseCommand(t *testing.T) {
	for _, c := range []struct {
		in, cmd, args string
		ok            bool
	}{
		{"/ask x y", "ask", "x y", true},
		{"/Ask@QaBot  x", "ask", "x", true},
		{"/ask@other x", "", "", false},
		{"/", "", "", false},
		{"/سؤال", "", "", false},
		{"hello /ask", "", "", false},
		{"/sources", "sources", "", true},
	} {
		cmd, args, ok := ParseCommand(c.in, "qabot")
		if cmd != c.cmd || args != c.args || ok != c.ok {
			t.Errorf("ParseCommand(%q) = %q, %q, %v", c.in, cmd, args, ok)
		}
	}
}

func TestUnmatchedNote(t *testing.T) {
	long := strings.Repeat("ك", 50)
	for _, c := range []struct {
		lang  string
		words []string
		want  string
	}{
		{"en", nil, ""},
		{"en", []string{" ", ""}, ""},
		{"en", []string{"founded"}, "Not in this quote: founded"},
		{"en", []string{"founded", "headquarters"}, "Not in this quote: founded, headquarters"},
		{"ar", []string{"تأسس", "مقر"}, "لا يرد في هذا الاقتباس: تأسس، مقر"},
		{"ar", []string{long}, "لا يرد في هذا الاقتباس: " + strings.Repeat("ك", 40) + "…"},
	} {
		if got := UnmatchedNote(c.lang, c.words); got != c.want {
			t.Errorf("UnmatchedNote(%s, %q) = %q, want %q", c.lang, c.words, got, c.want)
		}
	}
}
