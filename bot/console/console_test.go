package console_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/qabot/qabot/bot"
	"github.com/qabot/qabot/bot/console"
	"github.com/qabot/qabot/qa"
)

type backend struct{ reloads int }

func (b *backend) Ask(_ context.Context, q string, top int) qa.Result {
	if strings.Contains(q, "mars") {
		return qa.Result{Question: q, Lang: "en", Closest: []qa.DocRef{{Doc: "space", Title: "Space news"}}}
	}
	res := qa.Result{Question: q, Lang: bot.DetectLang(q), Answered: true}
	for i := 1; i <= 2; i++ {
		res.Answers = append(res.Answers, qa.Answer{Quote: fmt.Sprintf("وقّعت تركيا والكويت اتفاقية %d.", i),
			Doc: "news/a", Title: "اتفاقية دفاع", Source: "القبس", URL: "https://alqabas.com/1",
			Paragraph: i + 1, Sentence: 1, Translation: fmt.Sprintf("Turkey and Kuwait signed agreement %d.", i)})
	}
	return res
}

func (b *backend) Sources() []bot.Source {
	return []bot.Source{{Doc: "news/a", Title: "اتفاقية دفاع", Sentences: 9}}
}

func (b *backend) Reload(context.Context) (bot.ReloadReport, error) {
	b.reloads++
	return bot.ReloadReport{Embedded: true, Articles: 1, Sentences: 9, Took: time.Millisecond}, nil
}

func (b *backend) AddArticle(context.Context, string, []byte) (bot.ReloadReport, error) {
	return bot.ReloadReport{}, nil
}

func (b *backend) Stats(context.Context, string) string { return "0 questions" }

func newRouter(b bot.Backend) *bot.Router {
	cfg := bot.DefaultRouterConfig()
	cfg.Admins = map[string]map[string]bool{console.Platform: {"console": true}}
	return bot.NewRouter(b, cfg, nil)
}

func run(t *testing.T, input string, opts console.Options) string {
	t.Helper()
	var out bytes.Buffer
	b := &backend{}
	a := console.New(strings.NewReader(input), &out, opts)
	if a.Name() != "console" {
		t.Errorf("Name = %q", a.Name())
	}
	if err := a.Run(context.Background(), newRouter(b)); err != nil {
		t.Fatalf("Run: %v", err)
	}
	return out.String()
}

func TestConsoleSession(t *testing.T) {
	out := run(t, "who signed the agreement?\n/more\n/more\n/up\n/down\n\n/sources\n/reload\n/stats\nwhat about mars?\n/nope\n",
		console.Options{Quiet: true})
	for _, want := range []string{
		"«وقّعت تركيا والكويت اتفاقية 1.»\n  — اتفاقية دفاع — القبس — paragraph 2 — https://alqabas.com/1\n  Translation: Turkey and Kuwait signed agreement 1.\n[/more: more answers · /up 👍 · /down 👎]\n",
		"«وقّعت تركيا والكويت اتفاقية 2.»\n  — اتفاقية دفاع — القبس — paragraph 3",
		"(no more answers)",
		"(Thanks for the feedback!)",
		"(Thanks, your vote was changed.)",
		"1 articles (9 sentences):\n• اتفاقية دفاع — 9 sentences",
		"Reloaded the embedded articles in 1ms.",
		"0 questions",
		"No answer found in the articles I have.\nThe closest articles:\n• Space news",
		"I don't know the command /nope.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "> ") {
		t.Errorf("quiet output has a prompt:\n%s", out)
	}
}

func TestConsoleBannerPromptQuit(t *testing.T) {
	out := run(t, "/help\n/quit\nnever asked\n", console.Options{Prompt: "? "})
	if !strings.HasPrefix(out, "qabot — ") || !strings.Contains(out, "? ") {
		t.Errorf("no banner or prompt:\n%s", out)
	}
	if !strings.Contains(out, "/ask") || strings.Contains(out, "never asked") {
		t.Errorf("output:\n%s", out)
	}
}

func TestConsoleArabicAndNothingToPress(t *testing.T) {
	out := run(t, "/more\nمن وقّع الاتفاقية؟\n", console.Options{Quiet: true})
	if !strings.Contains(out, "(nothing to press") {
		t.Errorf("output:\n%s", out)
	}
	if !strings.Contains(out, "الفقرة 2") || !strings.Contains(out, "/more: إجابات أخرى") {
		t.Errorf("Arabic labels missing:\n%s", out)
	}
	if strings.Contains(out, "Turkey") {
		t.Errorf("an Arabic question got the English translation:\n%s", out)
	}
}

func TestConsoleContextCancel(t *testing.T) {
	before := runtime.NumGoroutine()
	pr, pw := io.Pipe()
	var out bytes.Buffer
	a := console.New(pr, &out, console.Options{Quiet: true})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx, newRouter(&backend{})) }()
	if _, err := io.WriteString(pw, "/sources\n"); err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	pw.Close() // unblocks the reader goroutine
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("goroutines: %d before, %d after", before, n)
	}
}

func TestConsoleReadError(t *testing.T) {
	a := console.New(io.MultiReader(strings.NewReader("x\n"), errReader{}), io.Discard, console.Options{Quiet: true})
	if err := a.Run(context.Background(), newRouter(&backend{})); err == nil || err.Error() != "broken" {
		t.Errorf("Run = %v, want the read error", err)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, fmt.Errorf("broken") }

func TestCitation(t *testing.T) {
	q := bot.Quote{Doc: "d", Section: "s", Paragraph: 4}
	if got := console.Citation(q, "paragraph"); got != "d › s — paragraph 4" {
		t.Errorf("Citation = %q", got)
	}
}
