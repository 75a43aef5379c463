package e2e

import (
	"strings"
	"sync"
	"testing"

	"github.com/qabot/qabot/bot"
)

// outcome is what a case expects of the bot.
type outcome int

const (
	answered outcome = iota // a quote with its citation
	noAnswer                // the "no answer" text, no quote
	ignored                 // no reply at all (and no "typing…")
	refused                 // the "admins only" text
	text                    // some other text reply (help, report, "too long")
)

type expect struct {
	kind outcome
	// answered: the first quote contains quote, is cited with the seed
	// article's title, paragraph and link; its translation contains
	// translation ("" : no translation shown).
	quote, translation string
	// answered: the cited paragraph (0: the first), and what the "not in
	// this quote" note under it says ("": no note).
	paragraph int
	unmatched string
	// noAnswer, refused, text: the reply's text contains one of these.
	texts []string
	// ephemeral: on Discord the reply is ephemeral (flags 64).
	ephemeral bool
}

type tcase struct {
	name  string
	kind  bot.ChatKind // for commands: DM or group
	how   addressing
	admin bool
	cmd   string // for how == command; "" is "ask"
	text  string
	want  expect
}

// cmdName is the case's command name: cmd, or "ask".
func (c tcase) cmdName() string {
	if c.cmd == "" {
		return "ask"
	}
	return c.cmd
}

// The seed article, as its citation shows it.
const (
	seedTitle = "السفيرة التركية لـ القبس: اتفاقيات دفاعية جديدة قيد التفاوض مع الكويت"
	seedURL   = "https://alqabas.com"
	emirQ     = "متى زار أمير الكويت تركيا؟"
	emirQEn   = "When did the Emir of Kuwait visit Turkey?"
)

var (
	emirAnswer   = expect{kind: answered, quote: "مايو 2024"}
	emirAnswerEn = expect{kind: answered, quote: "مايو 2024", translation: "May 2024"}
	noAnswerAr   = []string{"لم أجد إجابة في المقالات المتوفرة لديّ."}
	noAnswerEn   = []string{"No answer found in the articles I have."}
	notAdmin     = []string{"only the bot's admins can do that", "هذا الأمر متاح لمشرفي البوت فقط"}
	reloadReport = []string{"Reloaded the embedded articles", "أُعيد تحميل المقالات المضمّنة"}
)

// cases is the one table both adapters must pass alike.
var cases = []tcase{
	{name: "ar_dm", how: plainDM, text: emirQ, want: emirAnswer},
	{name: "ar_ask_dm", kind: bot.Private, how: command, text: emirQ, want: emirAnswer},
	{name: "ar_ask_group", kind: bot.Group, how: command, text: emirQ, want: emirAnswer},
	{name: "ar_mention_group", how: mention, text: emirQ, want: emirAnswer},
	{name: "ar_reply_to_bot", how: replyToBot, text: emirQ, want: emirAnswer},
	{name: "en_dm", how: plainDM, text: emirQEn, want: emirAnswerEn},
	{name: "en_ask_group", kind: bot.Group, how: command, text: emirQEn, want: emirAnswerEn},
	{name: "en_mention_group", how: mention, text: emirQEn, want: emirAnswerEn},
	// a quote that leaves out the question's verb says so under it
	{name: "unmatched_word_ar", how: plainDM, text: "متى تأسس الحرس الوطني الكويتي؟",
		want: expect{kind: answered, quote: "2018", paragraph: 22, unmatched: "لا يرد في هذا الاقتباس: تأسس"}},
	{name: "unmatched_word_en", kind: bot.Group, how: command, text: "When was the Kuwaiti National Guard founded?",
		want: expect{kind: answered, quote: "الحرس الوطني", translation: "National Guard", paragraph: 11, unmatched: "Not in this quote: founded"}},
	{name: "unanswerable_en", how: plainDM, text: "What is the capital of Brazil?",
		want: expect{kind: noAnswer, texts: noAnswerEn}},
	{name: "unanswerable_ar", how: plainDM, text: "ما هي عاصمة البرازيل؟",
		want: expect{kind: noAnswer, texts: noAnswerAr}},
	{name: "unanswerable_ar_ask_group", kind: bot.Group, how: command, text: "ما هي عاصمة البرازيل؟",
		want: expect{kind: noAnswer, texts: noAnswerAr}},
	{name: "unaddressed_group", how: unaddressed, text: emirQ, want: expect{kind: ignored}},
	{name: "unaddressed_group_en", how: unaddressed, text: emirQEn, want: expect{kind: ignored}},
	{name: "reload_non_admin_group", kind: bot.Group, how: command, cmd: "reload",
		want: expect{kind: refused, texts: notAdmin, ephemeral: true}},
	{name: "reload_non_admin_dm", kind: bot.Private, how: command, cmd: "reload",
		want: expect{kind: refused, texts: notAdmin, ephemeral: true}},
	{name: "reload_admin_dm", kind: bot.Private, how: command, cmd: "reload", admin: true,
		want: expect{kind: text, texts: reloadReport, ephemeral: true}},
	{name: "reload_admin_group", kind: bot.Group, how: command, cmd: "reload", admin: true,
		want: expect{kind: text, texts: reloadReport, ephemeral: true}},
	{name: "empty_ask_group", kind: bot.Group, how: command,
		want: expect{kind: text, texts: []string{"اسألني شيئًا", "Ask me something"}}},
	{name: "sources", kind: bot.Group, how: command, cmd: "sources",
		want: expect{kind: text, texts: []string{seedTitle}}},
	{name: "markup_in_question", how: plainDM, text: "<b>متى</b> زار أمير الكويت تركيا؟ & @everyone",
		want: emirAnswer},
	{name: "markup_in_question_ask_group", kind: bot.Group, how: command,
		text: "<b>" + emirQ + "</b> & @everyone", want: emirAnswer},
	{name: "markup_unanswerable", how: plainDM, text: "<b>bold</b> &amp; & <script>alert(1)</script> @everyone @here?",
		want: expect{kind: noAnswer, texts: noAnswerEn}},
	{name: "invalid_utf8", how: plainDM, text: "\xff\xfe" + emirQ + "\xc3",
		want: emirAnswer},
	{name: "invalid_utf8_ask_group", kind: bot.Group, how: command, text: emirQ + "\xed\xa0\x80",
		want: emirAnswer},
	{name: "too_long_dm", how: plainDM, text: strings.Repeat("سؤال ", 799) + "سؤال؟",
		want: expect{kind: text, texts: []string{"سؤالك طويل جدًا (عدد الأحرف 4000، والحد الأقصى 1000)"}}},
	{name: "too_long_ask_group", kind: bot.Group, how: command, text: strings.Repeat("word ", 799) + "word?",
		want: expect{kind: text, texts: []string{"Your question is too long (4000 characters, max 1000)"}}},
}

// check compares what the bot sent with the case's expectation.
func check(t *testing.T, platform string, c tcase, got []reply) {
	t.Helper()
	w := c.want
	if w.kind == ignored {
		if len(got) > 0 {
			t.Errorf("%s: want no reply, got %v", platform, got)
		}
		return
	}
	if len(got) != 1 {
		t.Fatalf("%s: want exactly one reply message, got %d: %v", platform, len(got), got)
	}
	r := got[0]
	switch w.kind {
	case answered:
		if len(r.Quotes) == 0 {
			t.Fatalf("%s: want a quote, got %v", platform, r)
		}
		q := r.Quotes[0]
		if !strings.Contains(q.Text, w.quote) {
			t.Errorf("%s: quote %q does not contain %q", platform, q.Text, w.quote)
		}
		if q.Title != seedTitle {
			t.Errorf("%s: cited title %q, want %q", platform, q.Title, seedTitle)
		}
		if want := max(w.paragraph, 1); q.Paragraph != want {
			t.Errorf("%s: cited paragraph %d, want %d", platform, q.Paragraph, want)
		}
		if q.Unmatched != w.unmatched {
			t.Errorf("%s: note under the quote %q, want %q", platform, q.Unmatched, w.unmatched)
		}
		if q.Link != seedURL {
			t.Errorf("%s: cited link %q, want %q", platform, q.Link, seedURL)
		}
		switch {
		case w.translation == "" && q.Translation != "":
			t.Errorf("%s: a translation %q shown to an Arabic question", platform, q.Translation)
		case !strings.Contains(q.Translation, w.translation):
			t.Errorf("%s: translation %q does not contain %q", platform, q.Translation, w.translation)
		}
		for _, s := range append(noAnswerAr, noAnswerEn...) {
			if strings.Contains(r.Text, s) {
				t.Errorf("%s: an answer that also says %q", platform, s)
			}
		}
	default:
		if len(r.Quotes) > 0 {
			t.Errorf("%s: want no quote, got %v", platform, r)
		}
		found := false
		for _, s := range w.texts {
			found = found || strings.Contains(r.Text, s)
		}
		if !found {
			t.Errorf("%s: reply %q contains none of %q", platform, r.Text, w.texts)
		}
	}
	if platform == "discord" && w.ephemeral && !r.Ephemeral {
		t.Errorf("discord: want an ephemeral reply (flags 64): %s", r.Raw)
	}
	if platform == "discord" && !w.ephemeral && r.Ephemeral {
		t.Errorf("discord: unexpected ephemeral reply: %s", r.Raw)
	}
}

// TestTable runs the one table of cases through both adapters, each with
// the real router over the real content service, and then checks that the
// two platforms quoted the same sentences.
func TestTable(t *testing.T) {
	drivers := map[string]func(t *testing.T) driver{
		"telegram": func(t *testing.T) driver {
			return &tgDriver{e: startTelegram(t, &backend{svc: newService(t, "")}, routerConfig(""), nil)}
		},
		"discord": func(t *testing.T) driver {
			return &dcDriver{e: startDiscord(t, &backend{svc: newService(t, "")}, routerConfig(""), nil)}
		},
	}
	var mu sync.Mutex
	quoted := map[string]map[string]string{} // platform → case → first quote
	t.Run("platforms", func(t *testing.T) {
		for _, name := range []string{"telegram", "discord"} {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				d := drivers[name](t)
				for _, c := range cases {
					t.Run(c.name, func(t *testing.T) {
						got := d.send(t, c)
						check(t, d.platform(), c, got)
						if len(got) > 0 && len(got[0].Quotes) > 0 {
							mu.Lock()
							if quoted[name] == nil {
								quoted[name] = map[string]string{}
							}
							quoted[name][c.name] = got[0].Quotes[0].Text
							mu.Unlock()
						}
					})
				}
				d.finish(t)
			})
		}
	})
	for _, c := range cases {
		if c.want.kind != answered {
			continue
		}
		tg, dc := quoted["telegram"][c.name], quoted["discord"][c.name]
		if tg != dc {
			t.Errorf("%s: Telegram quoted %q, Discord %q", c.name, tg, dc)
		}
	}
}
