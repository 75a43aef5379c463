package telegram

import (
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/qabot/qabot/bot"
	"github.com/qabot/qabot/bot/telegram/telegramtest"
)

func checkParts(t *testing.T, parts []string, limit int) string {
	t.Helper()
	var all strings.Builder
	for i, p := range parts {
		if n := len(utf16.Encode([]rune(p))); n > limit || utf8.RuneCountInString(p) > limit {
			t.Errorf("part %d: %d UTF-16 units > %d", i, n, limit)
		}
		plain, err := telegramtest.ParseHTML(p)
		if err != nil {
			t.Errorf("part %d: %v\n%s", i, err, p)
		}
		all.WriteString(plain + " ")
	}
	return all.String()
}

func words(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestSplitGiantSentence(t *testing.T) {
	// One sentence of 12000 characters, no punctuation: cut at spaces,
	// every piece in its own blockquote.
	w := []string{"الكويت", "وتركيا", "<تعاون>", "&", "😀", "دفاعيّ"}
	var b strings.Builder
	for i := 0; b.Len() < 24000; i++ {
		b.WriteString(w[i%len(w)] + " ")
	}
	text := strings.TrimSpace(b.String())
	r := renderReply(bot.Reply{Quotes: []bot.Quote{{Text: text, Title: "t", Translation: "short"}}}, maxMessageLen)
	if len(r.parts) < 3 {
		t.Fatalf("%d parts", len(r.parts))
	}
	all := checkParts(t, r.parts, maxMessageLen)
	if !strings.Contains(words(all), words(text)) {
		t.Errorf("text lost in the split")
	}
	for i, p := range r.parts[:len(r.parts)-1] {
		if !strings.HasPrefix(p, "<blockquote>") || !strings.HasSuffix(p, "</blockquote>") {
			t.Errorf("part %d not a whole blockquote: %.40q…%q", i, p, p[len(p)-20:])
		}
	}
}

func TestSplitNoSpacesKeepsDiacritics(t *testing.T) {
	// No spaces at all: cut between letters, never before a diacritic
	// (U+0651 shadda, U+064E fatha).
	text := strings.Repeat("وَقَّعَ", 2000)
	parts := splitText(text, 1000, "<i>", "</i>")
	if len(parts) < 10 {
		t.Fatalf("%d parts", len(parts))
	}
	for i, p := range parts {
		if r, _ := utf8.DecodeRuneInString(p); r == 'َ' || r == 'ّ' {
			t.Errorf("part %d starts with a diacritic", i)
		}
		if escLen(p)+len("<i></i>") > 1000 {
			t.Errorf("part %d too long", i)
		}
	}
	if strings.Join(parts, "") != text {
		t.Errorf("text changed")
	}
}

func TestSplitAtSentences(t *testing.T) {
	s1 := strings.Repeat("كلمة ", 300) + "نهاية الجملة الأولى."
	s2 := strings.Repeat("word ", 300) + "end of the second sentence?"
	s3 := strings.Repeat("x ", 100) + "third!"
	parts := splitText(s1+" "+s2+" "+s3, 2000, "", "")
	if len(parts) != 2 || !strings.HasSuffix(parts[0], "الأولى.") || !strings.HasSuffix(parts[1], "third!") {
		t.Errorf("parts: %d %q…", len(parts), parts)
	}
}

func TestRenderTextAndQuotesPacked(t *testing.T) {
	r := renderReply(bot.Reply{Lang: "en", Text: "Here is what I found:", Quotes: []bot.Quote{
		{Text: "A.", Title: "T1", Paragraph: 2},
		{Text: "B.", Doc: "doc-b", URL: "ftp://x"},
	}, Buttons: []bot.Button{{Label: "More", Data: "m"}, {Label: "", Data: "x"}, {Label: "No data"}}}, maxMessageLen)
	want := "Here is what I found:\n\n<blockquote>A.</blockquote>\n<b>T1</b> — paragraph 2\n\n<blockquote>B.</blockquote>\n<b>doc-b</b>"
	if len(r.parts) != 1 || r.parts[0] != want {
		t.Errorf("got %q\nwant %q", r.parts, want)
	}
	if r.keyboard == nil || len(r.keyboard.InlineKeyboard) != 1 || len(r.keyboard.InlineKeyboard[0]) != 1 || len(r.dropped) != 2 {
		t.Errorf("keyboard %+v dropped %q", r.keyboard, r.dropped)
	}
	if r := renderReply(bot.Reply{Text: "  "}, maxMessageLen); len(r.parts) != 0 {
		t.Errorf("empty reply rendered %q", r.parts)
	}
}

func TestRenderLongTextParagraphs(t *testing.T) {
	var paras []string
	for range 30 {
		paras = append(paras, strings.Repeat("سطر & <نص> ", 40))
	}
	text := strings.Join(paras, "\n\n")
	r := renderReply(bot.Reply{Text: text}, maxMessageLen)
	all := checkParts(t, r.parts, maxMessageLen)
	if words(all) != words(text) {
		t.Errorf("text changed by the split")
	}
	if len(r.parts) < 3 {
		t.Errorf("%d parts", len(r.parts))
	}
}

func TestPlainTextFallback(t *testing.T) {
	h := "<blockquote>a &lt;b&gt; &amp; c</blockquote>\n<b>T</b> — <a href=\"https://x\">link</a>"
	if got := plainText(h); got != "a <b> & c\nT — link" {
		t.Errorf("plainText = %q", got)
	}
}

func TestU16Helpers(t *testing.T) {
	text := "😀 @bot hi"
	units := utf16.Encode([]rune(text))
	if got := u16slice(units, 3, 4); got != "@bot" {
		t.Errorf("u16slice = %q", got)
	}
	if got := tidy(u16remove(units, []span{{3, 7}})); got != "😀 hi" {
		t.Errorf("u16remove = %q", got)
	}
	if got := u16slice(units, 8, 100); got != "hi" {
		t.Errorf("clamped = %q", got)
	}
}

// TestRenderUnmatchedNote: the asker's words under a quote are escaped
// like any other text, and sit between the citation and the translation.
func TestRenderUnmatchedNote(t *testing.T) {
	q := bot.Quote{Text: "نص", Title: "t", Translation: "text", Unmatched: []string{"<b>founded</b>", "&"}}
	r := renderReply(bot.Reply{Lang: "en", Quotes: []bot.Quote{q}}, maxMessageLen)
	checkParts(t, r.parts, maxMessageLen)
	want := "<i>Not in this quote: &lt;b&gt;founded&lt;/b&gt;, &amp;</i>\n<i>text</i>"
	if len(r.parts) != 1 || !strings.Contains(r.parts[0], want) {
		t.Errorf("parts = %q, want the note %q before the translation", r.parts, want)
	}
}
