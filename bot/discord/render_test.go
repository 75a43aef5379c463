package discord

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/qabot/qabot/bot"
)

func TestEscapeMarkdown(t *testing.T) {
	for in, want := range map[string]string{
		"plain text":                "plain text",
		"*bold* _it_ ~~s~~ `c`":     `\*bold\* \_it\_ \~\~s\~\~ \` + "`c\\`",
		`back\slash`:                `back\\slash`,
		"> quote\n# head\n- item":   "\\> quote\n\\# head\n\\- item",
		"1. first\n 2. second":      "1\\. first\n 2\\. second",
		"a - b. 3.5":                "a - b. 3.5",
		"<@123> <#5> [x](http://y)": `\<@123\> \<\#5\> \[x\](http://y)`,
		"||spoiler||":               `\|\|spoiler\|\|`,
		"الكويت: ٢٠٢٤.":             "الكويت: ٢٠٢٤.",
	} {
		if got := escapeMarkdown(in); got != want {
			t.Errorf("escapeMarkdown(%q) = %q, want %q", in, got, want)
		}
	}
	if got := escapeContent("@everyone and @here"); strings.Contains(got, "@everyone") || strings.Contains(got, "@here") {
		t.Errorf("escapeContent kept a mass mention: %q", got)
	}
}

func TestSplitText(t *testing.T) {
	sentence := "هذه جملة عربية طويلة بعض الشيء. "
	long := strings.Repeat(sentence, 300) // ~9600 characters
	parts := splitText(long, maxDescription, escapedSize)
	if len(parts) < 3 {
		t.Fatalf("parts = %d", len(parts))
	}
	for i, p := range parts {
		if n := escapedSize(p); n > maxDescription {
			t.Errorf("part %d: %d > %d", i, n, maxDescription)
		}
		if !strings.HasSuffix(p, ".") {
			t.Errorf("part %d not cut at a sentence end: …%q", i, p[len(p)-20:])
		}
	}
	if got := strings.Join(parts, " "); got != strings.TrimSpace(long) {
		t.Error("split lost or changed text")
	}
	// one overlong word is cut hard, escapes included
	word := strings.Repeat("*", 3000)
	for i, p := range splitText(word, 2000, contentSize) {
		if contentSize(p) > 2000 {
			t.Errorf("hard part %d too long: %d", i, contentSize(p))
		}
	}
}

func TestRenderLimits(t *testing.T) {
	q := bot.Quote{
		Text:        strings.Repeat("جملة قصيرة. ", 500), // > 4096
		Translation: "A short sentence.",
		Title:       strings.Repeat("عنوان ", 100), // > 256
		Source:      "القبس",
		URL:         "javascript:alert(1)",
		Paragraph:   7,
	}
	msgs := renderReply(bot.Reply{Lang: "en", Quotes: []bot.Quote{q}, Ephemeral: true,
		Buttons: []bot.Button{{Label: "More", Data: "more"}, {Label: "bad", Data: strings.Repeat("x", 101)}}})
	if len(msgs) != 2 {
		t.Fatalf("messages = %d, want 2 (two full descriptions exceed 6000)", len(msgs))
	}
	var embeds []*discordgo.MessageEmbed
	for i, m := range msgs {
		if !m.Ephemeral {
			t.Errorf("message %d not ephemeral", i)
		}
		total := 0
		for _, e := range m.Embeds {
			if utf16Len(e.Description) > maxDescription {
				t.Errorf("description %d", utf16Len(e.Description))
			}
			total += embedSize(e)
		}
		if total > maxEmbedTotal {
			t.Errorf("message %d: embed total %d", i, total)
		}
		embeds = append(embeds, m.Embeds...)
	}
	if len(embeds) < 2 {
		t.Fatalf("embeds = %d, want the quote continued", len(embeds))
	}
	m := msgs[len(msgs)-1]
	first, last := embeds[0], embeds[len(embeds)-1]
	if utf16Len(first.Title) > maxTitle || !strings.HasSuffix(first.Title, "…") {
		t.Errorf("title %d %q", utf16Len(first.Title), first.Title)
	}
	if first.URL != "" {
		t.Errorf("unsafe URL kept: %q", first.URL)
	}
	if last.Footer == nil || last.Footer.Text != "القبس · paragraph 7" {
		t.Errorf("footer = %+v", last.Footer)
	}
	if len(last.Fields) != 1 || last.Fields[0].Value != "A short sentence." {
		t.Errorf("translation field = %+v", last.Fields)
	}
	if len(m.Components) != 1 {
		t.Errorf("components = %d", len(m.Components))
	}
}

func TestRenderManyQuotesAndButtons(t *testing.T) {
	var qs []bot.Quote
	for i := 0; i < 25; i++ {
		qs = append(qs, bot.Quote{Text: fmt.Sprintf("quote %d", i), Title: "t"})
	}
	var bs []bot.Button
	for i := 0; i < 30; i++ {
		bs = append(bs, bot.Button{Label: fmt.Sprint(i), Data: fmt.Sprint("b", i)})
	}
	msgs := renderReply(bot.Reply{Text: "intro", Quotes: qs, Buttons: bs})
	if len(msgs) != 3 {
		t.Fatalf("messages = %d, want 3 (10+10+5 embeds)", len(msgs))
	}
	if msgs[0].Content != "intro" || msgs[1].Content != "" {
		t.Error("content placement")
	}
	if len(msgs[2].Components) != 5 || len(msgs[0].Components) != 0 {
		t.Errorf("button rows = %d on the last message", len(msgs[2].Components))
	}
	if got := renderReply(bot.Reply{}); len(got) != 0 {
		t.Errorf("empty reply rendered %d messages", len(got))
	}
	long := renderReply(bot.Reply{Text: strings.Repeat("word ", 1000)})
	if len(long) != 3 {
		t.Errorf("5000-char text in %d messages, want 3", len(long))
	}
	for _, m := range long {
		if utf16Len(m.Content) > maxContent {
			t.Errorf("content %d", utf16Len(m.Content))
		}
	}
}

func TestSafeURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://alqabas.com/a?b=1": "https://alqabas.com/a?b=1",
		"http://x.y/":               "http://x.y/",
		"javascript:alert(1)":       "",
		"ftp://x/":                  "",
		"/relative":                 "",
		"":                          "",
	} {
		if got := safeURL(in); got != want {
			t.Errorf("safeURL(%q) = %q", in, got)
		}
	}
}

func TestSplitCommand(t *testing.T) {
	for in, want := range map[string][2]string{
		"/ask what?":   {"ask", "what?"},
		"/Reload":      {"reload", ""},
		"what /ask":    {"", "what /ask"},
		"/ ask":        {"", "/ ask"},
		"/sources@bot": {"", "/sources@bot"},
	} {
		c, r := splitCommand(in)
		if c != want[0] || r != want[1] {
			t.Errorf("splitCommand(%q) = %q, %q", in, c, r)
		}
	}
}

// TestRenderUnmatchedNote: the note is a field of its own, escaped, before
// the translation's.
func TestRenderUnmatchedNote(t *testing.T) {
	q := bot.Quote{Text: "نص", Title: "t", Translation: "text", Unmatched: []string{"*founded*", "@everyone"}}
	embeds := quoteEmbeds(q, "en")
	fields := embeds[len(embeds)-1].Fields
	if len(fields) != 2 {
		t.Fatalf("fields = %+v, want the note and the translation", fields)
	}
	if fields[0].Name != "Not in this quote" || fields[0].Value != `\*founded\*, @everyone` {
		t.Errorf("note field = %+v", fields[0])
	}
	if fields[1].Name != "English translation" {
		t.Errorf("second field = %+v, want the translation", fields[1])
	}
}
