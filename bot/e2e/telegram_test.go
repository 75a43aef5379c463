package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/qabot/qabot/bot/telegram"
	"github.com/qabot/qabot/bot/telegram/telegramtest"
)

// sentTo returns the sendMessage calls answered ok that reply to message
// qid in chat.
func sentTo(srv *telegramtest.Server, chat telegramtest.Chat, qid int) []telegramtest.Call {
	var out []telegramtest.Call
	for _, c := range srv.Calls("sendMessage") {
		if c.ErrorCode == 0 && c.Params["chat_id"] == strconv.FormatInt(chat.ID, 10) &&
			c.Params["reply_to_message_id"] == strconv.Itoa(qid) {
			out = append(out, c)
		}
	}
	return out
}

// waitSentTo waits until n messages reply to qid and returns them.
func waitSentTo(t *testing.T, srv *telegramtest.Server, chat telegramtest.Chat, qid, n int) []telegramtest.Call {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	var got []telegramtest.Call
	srv.Wait(ctx, func([]telegramtest.Call) bool {
		got = sentTo(srv, chat, qid)
		return len(got) >= n
	})
	if len(got) < n {
		t.Fatalf("waited %v for %d replies to message %d in chat %d, got %d; calls: %v", wait, n, qid, chat.ID, len(got), srv.Calls())
	}
	return got
}

// plain parses a sent message's HTML as Telegram would.
func plain(t *testing.T, c telegramtest.Call) string {
	t.Helper()
	s, err := telegramtest.ParseHTML(c.Text())
	if err != nil {
		t.Fatalf("invalid HTML (%v): %q", err, c.Text())
	}
	return s
}

func TestTelegramDMQuotedCitedThreaded(t *testing.T) {
	e := startTelegram(t, &backend{svc: newService(t, "")}, routerConfig(""), nil)
	dm := telegramtest.Private(tgUser)
	qid := e.srv.PushText(dm, tgUser, emirQ)
	c := waitSentTo(t, e.srv, dm, qid, 1)[0]
	h := c.Text()
	for _, want := range []string{"<blockquote>", "مايو 2024", "</blockquote>", "<b>" + seedTitle + "</b>",
		"الفقرة 1", `<a href="` + seedURL + `">`} {
		if !strings.Contains(h, want) {
			t.Errorf("reply lacks %q: %q", want, h)
		}
	}
	plain(t, c)
	if c.Params["parse_mode"] != "HTML" {
		t.Errorf("parse_mode = %q", c.Params["parse_mode"])
	}
	// "typing…" went out before the answer
	var typing, answer int = -1, -1
	for i, call := range e.srv.Calls() {
		switch {
		case call.Method == "sendChatAction" && typing < 0:
			typing = i
		case call.Method == "sendMessage" && answer < 0:
			answer = i
		}
	}
	if typing < 0 || typing > answer {
		t.Errorf("no sendChatAction before the answer (typing at %d, answer at %d)", typing, answer)
	}
	// the buttons under it: 👍/👎 and "more", each within 64 bytes
	mk := c.Params["reply_markup"]
	if !strings.Contains(mk, "👍") || !strings.Contains(mk, "المزيد") {
		t.Errorf("reply_markup = %s", mk)
	}
	// a vote is thanked with a toast, not a message
	vote := regexp.MustCompile(`"callback_data":"(v:[^"]+:\+)"`).FindStringSubmatch(mk)
	if vote == nil {
		t.Fatalf("no 👍 button: %s", mk)
	}
	n := e.srv.Count("sendMessage")
	e.srv.PushCallback(dm, tgUser, c.MessageID, vote[1])
	ack := e.srv.WaitCalls(t, "answerCallbackQuery", 1, wait)[0]
	if !strings.Contains(ack.Params["text"], "شكرًا") {
		t.Errorf("vote toast: %q", ack.Params["text"])
	}
	time.Sleep(settleFor)
	if got := e.srv.Count("sendMessage"); got != n {
		t.Errorf("a vote sent %d messages", got-n)
	}
}

func TestTelegramGroupCommands(t *testing.T) {
	e := startTelegram(t, &backend{svc: newService(t, "")}, routerConfig(""), nil)
	bot := e.srv.Bot.UserName

	// "/ask@qabot_test_bot": ours, answered in the group, threaded.
	qid := e.srv.PushText(tgGroup, tgUser, "/ask@"+bot+" "+emirQ)
	c := waitSentTo(t, e.srv, tgGroup, qid, 1)[0]
	if s := plain(t, c); !strings.Contains(s, "مايو 2024") {
		t.Errorf("/ask@%s: %q", bot, s)
	}

	// A reply to that answer, without any command: answered too.
	rid := e.srv.PushReply(tgGroup, tgUser, emirQEn, c.MessageID)
	r := waitSentTo(t, e.srv, tgGroup, rid, 1)[0]
	if s := plain(t, r); !strings.Contains(s, "مايو 2024") || !strings.Contains(s, "May 2024") {
		t.Errorf("reply to the bot: %q", s)
	}

	// "/ask@otherbot" and a reply to someone else: not for us.
	n := e.srv.Count("sendMessage")
	e.srv.PushText(tgGroup, tgUser, "/ask@other_bot "+emirQ)
	other := e.srv.PushText(tgGroup, tgAdmin, "hello")
	e.srv.PushReply(tgGroup, tgUser, emirQ, other)
	time.Sleep(quietFor)
	if got := e.srv.Count("sendMessage"); got != n {
		t.Errorf("messages for another bot or person were answered: %d new messages", got-n)
	}
}

func TestTelegramDocumentUpload(t *testing.T) {
	dir := seedDir(t)
	e := startTelegram(t, &backend{svc: newService(t, dir)}, routerConfig(""), nil)
	adminDM, userDM := telegramtest.Private(tgAdmin), telegramtest.Private(tgUser)

	// Not known yet.
	qid := e.srv.PushText(adminDM, tgAdmin, parkQ)
	if s := plain(t, waitSentTo(t, e.srv, adminDM, qid, 1)[0]); strings.Contains(s, parkFact) {
		t.Fatalf("the fact is known before the upload: %q", s)
	}

	// A non-admin's document is refused, never downloaded, never saved.
	did := e.srv.PushDocument(userDM, tgUser, parkName, []byte(parkArticle), "")
	if s := plain(t, waitSentTo(t, e.srv, userDM, did, 1)[0]); !strings.Contains(s, "هذا الأمر متاح لمشرفي البوت فقط") &&
		!strings.Contains(s, "only the bot's admins") {
		t.Errorf("non-admin upload: %q", s)
	}
	if n := e.srv.Count("getFile") + e.srv.Count("downloadFile"); n != 0 {
		t.Errorf("a non-admin's file was fetched (%d calls)", n)
	}
	if _, err := os.Stat(filepath.Join(dir, parkName)); err == nil {
		t.Fatal("a non-admin's file was saved")
	}

	// A bad file name is refused, and shown escaped.
	bad := "<b>&@everyone:.txt"
	bid := e.srv.PushDocument(adminDM, tgAdmin, bad, []byte(parkArticle), "")
	if s := plain(t, waitSentTo(t, e.srv, adminDM, bid, 1)[0]); !strings.Contains(s, bad) {
		t.Errorf("bad name reply does not show the name as written: %q", s)
	}

	// The admin's document is added…
	aid := e.srv.PushDocument(adminDM, tgAdmin, parkName, []byte(parkArticle), "")
	s := plain(t, waitSentTo(t, e.srv, adminDM, aid, 1)[0])
	if !strings.Contains(s, parkName) || !strings.Contains(s, "jahra-park") {
		t.Errorf("upload reply: %q", s)
	}
	if _, err := os.Stat(filepath.Join(dir, parkName)); err != nil {
		t.Errorf("the article was not saved: %v", err)
	}

	// …and the next question finds it, quoted as written (markup and all).
	for _, asker := range []telegramtest.User{tgAdmin, tgUser} {
		dm := telegramtest.Private(asker)
		qid := e.srv.PushText(dm, asker, parkQ)
		c := waitSentTo(t, e.srv, dm, qid, 1)[0]
		q := tgReply(t, c)
		if len(q.Quotes) == 0 || !strings.Contains(q.Quotes[0].Text, parkFact) {
			t.Fatalf("after the upload: %v", q)
		}
		if q.Quotes[0].Title != parkTitle || q.Quotes[0].Link != "https://example.com/news/jahra-park?a=1&b=2" {
			t.Errorf("citation: %+v", q.Quotes[0])
		}
		if !strings.Contains(q.Text, parkMark) {
			t.Errorf("the article's own markup is not shown as written: %q", q.Text)
		}
	}

	// The same name again is refused (never overwritten).
	again := e.srv.PushDocument(adminDM, tgAdmin, parkName, []byte("+++\ntitle = \"x\"\n+++\nنص آخر.\n"), "")
	if s := plain(t, waitSentTo(t, e.srv, adminDM, again, 1)[0]); !strings.Contains(s, parkName) {
		t.Errorf("second upload: %q", s)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, parkName)); string(data) != parkArticle {
		t.Error("the article was overwritten")
	}
}

func TestTelegram429WaitedOut(t *testing.T) {
	e := startTelegram(t, &backend{svc: newService(t, "")}, routerConfig(""), nil)
	dm := telegramtest.Private(tgUser)
	e.srv.RateLimitNext(1, 1)
	start := time.Now()
	qid := e.srv.PushText(dm, tgUser, emirQ)
	c := waitSentTo(t, e.srv, dm, qid, 1)[0]
	var limited []telegramtest.Call
	for _, call := range e.srv.Calls("sendMessage") {
		if call.ErrorCode == 429 {
			limited = append(limited, call)
		}
	}
	if len(limited) != 1 {
		t.Fatalf("want one 429, got %d", len(limited))
	}
	if d := c.Time.Sub(limited[0].Time); d < 950*time.Millisecond {
		t.Errorf("retried %v after the 429, before retry_after (1 s)", d)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
	if s := plain(t, c); !strings.Contains(s, "مايو 2024") {
		t.Errorf("after the 429: %q", s)
	}
	if n := len(sentTo(e.srv, dm, qid)); n != 1 {
		t.Errorf("answer sent %d times", n)
	}
}

var blockquoteRE = regexp.MustCompile(`(?s)<blockquote>(.*?)</blockquote>`)

func TestTelegramLongAnswerSplit(t *testing.T) {
	dir := seedDir(t)
	long := longArticle()
	if err := os.WriteFile(filepath.Join(dir, "ahmadi.txt"), []byte(long), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := routerConfig("")
	cfg.TopAnswers = 5
	e := startTelegram(t, &backend{svc: newService(t, dir)}, cfg, nil)
	dm := telegramtest.Private(tgUser)
	qid := e.srv.PushText(dm, tgUser, longQ)
	waitSentTo(t, e.srv, dm, qid, 2)
	time.Sleep(200 * time.Millisecond)
	parts := sentTo(e.srv, dm, qid)

	var quoted strings.Builder
	for i, c := range parts {
		s := plain(t, c)
		if n := len(utf16.Encode([]rune(s))); n > 4096 {
			t.Errorf("part %d: %d UTF-16 units", i, n)
		}
		if n := len(utf16.Encode([]rune(c.Text()))); n > 4096 {
			t.Errorf("part %d: HTML of %d UTF-16 units", i, n)
		}
		for _, m := range blockquoteRE.FindAllStringSubmatch(c.Text(), -1) {
			quoted.WriteString(m[1] + " ")
		}
		if mk := c.Params["reply_markup"]; (mk != "") != (i == len(parts)-1) {
			t.Errorf("part %d of %d: reply_markup %q (want buttons under the last part only)", i, len(parts), mk)
		}
	}
	// The longest sentence (over 4096 characters) arrived whole, in order.
	first := long[strings.Index(long, "أعلن") : strings.Index(long, ".\n\n")+1]
	if got, want := strings.Join(strings.Fields(quoted.String()), " "), strings.Join(strings.Fields(first), " "); !strings.Contains(got, want) {
		t.Errorf("the long sentence is not quoted whole across the parts (%d parts)", len(parts))
	}
	// five answers
	if n := strings.Count(strings.Join(callTexts(parts), "\n"), "خطة الأحمدي لتطوير الحدائق العامة"); n != 5 {
		t.Errorf("%d citations, want 5", n)
	}

	// "More" shows the next answers, also within the limits.
	last := parts[len(parts)-1]
	data := regexp.MustCompile(`"callback_data":"(m:[^"]+)"`).FindStringSubmatch(last.Params["reply_markup"])
	if data == nil {
		t.Fatalf("no More button: %s", last.Params["reply_markup"])
	}
	before := e.srv.Count("sendMessage")
	e.srv.PushCallback(dm, tgUser, last.MessageID, data[1])
	e.srv.WaitCalls(t, "answerCallbackQuery", 1, wait)
	e.srv.WaitCalls(t, "sendMessage", before+1, wait)
	time.Sleep(100 * time.Millisecond)
	more := e.srv.Calls("sendMessage")[before:]
	for _, c := range more {
		if c.ErrorCode != 0 {
			t.Errorf("More: sendMessage failed %d", c.ErrorCode)
			continue
		}
		if s := plain(t, c); !strings.Contains(s, "خطة تطوير الحدائق العامة") {
			t.Errorf("More: %q", s)
		}
	}
}

func callTexts(cs []telegramtest.Call) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Text())
	}
	return out
}

func TestTelegramReloadUnderConcurrentQuestions(t *testing.T) {
	const users, perUser, reloads = 8, 5, 4
	e := startTelegram(t, &backend{svc: newService(t, "")}, routerConfig(""), nil)

	type asked struct {
		chat telegramtest.Chat
		id   int
	}
	var mu sync.Mutex
	var questions []asked
	var wg sync.WaitGroup
	for u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			from := telegramtest.User{ID: int64(1000 + u), FirstName: fmt.Sprint("u", u)}
			dm := telegramtest.Private(from)
			for i := range perUser {
				q := emirQ
				if i%2 == 1 {
					q = emirQEn
				}
				id := e.srv.PushText(dm, from, q)
				mu.Lock()
				questions = append(questions, asked{dm, id})
				mu.Unlock()
				time.Sleep(time.Duration(5+u) * time.Millisecond)
			}
		}()
	}
	adminDM := telegramtest.Private(tgAdmin)
	var reloadIDs []int
	for range reloads {
		reloadIDs = append(reloadIDs, e.srv.PushText(adminDM, tgAdmin, "/reload"))
		time.Sleep(15 * time.Millisecond)
	}
	wg.Wait()

	for _, id := range reloadIDs {
		c := waitSentTo(t, e.srv, adminDM, id, 1)[0]
		if s := plain(t, c); !strings.Contains(s, "Reloaded") && !strings.Contains(s, "أُعيد تحميل") {
			t.Errorf("reload reply: %q", s)
		}
	}
	for _, q := range questions {
		c := waitSentTo(t, e.srv, q.chat, q.id, 1)[0]
		if s := plain(t, c); !strings.Contains(s, "مايو 2024") {
			t.Errorf("question %d in chat %d: %q", q.id, q.chat.ID, s)
		}
	}
	time.Sleep(200 * time.Millisecond)
	for _, q := range questions {
		if n := len(sentTo(e.srv, q.chat, q.id)); n != 1 {
			t.Errorf("question %d in chat %d answered %d times", q.id, q.chat.ID, n)
		}
	}
	if got, want := len(questions), users*perUser; got != want {
		t.Errorf("%d questions, want %d", got, want)
	}
	if n := e.b.asks.Load(); n != users*perUser {
		t.Errorf("backend asked %d times, want %d", n, users*perUser)
	}
}

// TestTelegramPerChatPacing checks the adapter's default pacing with the
// real router: two answers to one chat are a second apart, another chat
// is not held up.
func TestTelegramPerChatPacing(t *testing.T) {
	e := startTelegram(t, &backend{svc: newService(t, "")}, routerConfig(""), func(o *telegram.Options) {
		o.PerChatInterval = 0 // the default: 1 s
	})
	dm, other := telegramtest.Private(tgUser), telegramtest.Private(tgAdmin)
	a := e.srv.PushText(dm, tgUser, emirQ)
	b := e.srv.PushText(dm, tgUser, emirQEn)
	c := e.srv.PushText(other, tgAdmin, emirQ)
	ca := waitSentTo(t, e.srv, dm, a, 1)[0]
	cb := waitSentTo(t, e.srv, dm, b, 1)[0]
	cc := waitSentTo(t, e.srv, other, c, 1)[0]
	if d := cb.Time.Sub(ca.Time); d < 900*time.Millisecond {
		t.Errorf("two messages to one chat %v apart", d)
	}
	if d := cc.Time.Sub(ca.Time); d > 500*time.Millisecond {
		t.Errorf("another chat waited %v", d)
	}
}
