package e2e

import (
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/qabot/qabot/bot"
	"github.com/qabot/qabot/bot/discord/discordtest"
	"github.com/qabot/qabot/bot/telegram/telegramtest"
)

// addressing is how a message reaches the bot.
type addressing int

const (
	plainDM     addressing = iota // plain text in a direct message
	command                       // a command (tcase.cmd, default "ask") in a DM or a group
	mention                       // a group message mentioning the bot
	replyToBot                    // a group message replying to one of the bot's messages
	unaddressed                   // a group message that is neither
)

func (a addressing) String() string {
	return [...]string{"dm", "command", "mention", "reply", "unaddressed"}[a]
}

// reply is one message the bot sent, decoded the same way for both
// platforms: what users see.
type reply struct {
	Text       string // the visible text (Telegram: the whole message; Discord: the content)
	Quotes     []quote
	Ephemeral  bool   // Discord: flags has 64
	ThreadedTo string // Telegram reply_to_message_id, Discord message_reference.message_id
	Raw        string // the request, for failure messages
}

type quote struct {
	Text, Title, Link, Translation string
	Unmatched                      string // the "not in this quote" note, as shown
	Paragraph                      int
}

func (r reply) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "text=%q", r.Text)
	for _, q := range r.Quotes {
		fmt.Fprintf(&b, " quote{%q title=%q §%d link=%q tr=%q unmatched=%q}", q.Text, q.Title, q.Paragraph, q.Link, q.Translation, q.Unmatched)
	}
	if r.Ephemeral {
		b.WriteString(" ephemeral")
	}
	return b.String()
}

// driver sends one case's message through a platform and returns the
// replies the bot made to it: none after a quiet spell when the case
// expects to be ignored, else those made until shortly after the first.
type driver interface {
	platform() string
	send(t *testing.T, c tcase) []reply
	finish(t *testing.T)
}

const (
	quietFor  = 300 * time.Millisecond // no reply within this: ignored
	settleFor = 80 * time.Millisecond  // further parts of a reply come within this
)

var paragraphRE = regexp.MustCompile(`(?:paragraph|الفقرة) (\d+)`)

// ---- Telegram ----

type tgDriver struct {
	e      *tgEnv
	botMsg int // one of the bot's messages in the group, to reply to
}

func (d *tgDriver) platform() string { return "telegram" }

func (d *tgDriver) send(t *testing.T, c tcase) []reply {
	t.Helper()
	srv := d.e.srv
	from := tgUser
	if c.admin {
		from = tgAdmin
	}
	chat := tgGroup
	msg := telegramtest.Message{From: from, Text: c.text}
	switch c.how {
	case plainDM:
		chat = telegramtest.Private(from)
	case command:
		name := c.cmdName()
		if c.kind == bot.Private {
			chat = telegramtest.Private(from)
			msg.Text = strings.TrimSpace("/" + name + " " + c.text)
		} else {
			msg.Text = strings.TrimSpace("/" + name + "@" + srv.Bot.UserName + " " + c.text)
		}
	case mention:
		msg.Text = "@" + srv.Bot.UserName + " " + c.text
	case replyToBot:
		if d.botMsg == 0 {
			// make the bot say something in the group first
			got := d.push(t, telegramtest.Message{Chat: tgGroup, From: from, Text: "/help@" + srv.Bot.UserName}, false)
			if len(got) == 0 {
				t.Fatal("no bot message to reply to")
			}
		}
		msg.ReplyTo = d.botMsg
	}
	msg.Chat = chat
	return d.push(t, msg, c.want.kind == ignored)
}

// push pushes m and collects the sendMessage calls to its chat that follow.
func (d *tgDriver) push(t *testing.T, m telegramtest.Message, expectNone bool) []reply {
	t.Helper()
	srv := d.e.srv
	chatID := strconv.FormatInt(m.Chat.ID, 10)
	before := len(srv.Calls())
	qid := srv.Push(m)
	mine := func() []telegramtest.Call {
		var out []telegramtest.Call
		for _, c := range srv.Calls()[before:] {
			if (c.Method == "sendMessage" || c.Method == "sendChatAction") && c.Params["chat_id"] == chatID {
				out = append(out, c)
			}
		}
		return out
	}
	sent := func() []telegramtest.Call {
		var out []telegramtest.Call
		for _, c := range mine() {
			if c.Method == "sendMessage" && c.ErrorCode == 0 {
				out = append(out, c)
			}
		}
		return out
	}
	if expectNone {
		time.Sleep(quietFor)
		if calls := mine(); len(calls) > 0 {
			t.Errorf("telegram: expected no reply and no typing; got %d calls, first %s %v", len(calls), calls[0].Method, calls[0].Params)
		}
	} else {
		deadline := time.Now().Add(wait)
		for len(sent()) == 0 {
			if time.Now().After(deadline) {
				t.Fatalf("telegram: no reply to %q within %v; calls: %v", m.Text, wait, srv.Calls()[before:])
			}
			time.Sleep(2 * time.Millisecond)
		}
		time.Sleep(settleFor)
	}
	var out []reply
	for _, c := range sent() {
		r := tgReply(t, c)
		if r.ThreadedTo != strconv.Itoa(qid) {
			t.Errorf("telegram: reply_to_message_id = %q, want %d (the question)", r.ThreadedTo, qid)
		}
		if m.Chat.ID == tgGroup.ID {
			d.botMsg = c.MessageID
		}
		out = append(out, r)
	}
	return out
}

var (
	tgQuoteRE = regexp.MustCompile(`(?s)<blockquote>(.*?)</blockquote>\n([^\n]*)(?:\n<i>((?:Not in this quote|لا يرد في هذا الاقتباس)[^<]*)</i>)?(?:\n<i>(.*?)</i>)?`)
	tgTitleRE = regexp.MustCompile(`<b>(.*?)</b>`)
	tgLinkRE  = regexp.MustCompile(`<a href="([^"]*)">`)
)

// tgReply decodes a sendMessage: the HTML must be what Telegram accepts.
func tgReply(t *testing.T, c telegramtest.Call) reply {
	t.Helper()
	raw := c.Text()
	r := reply{Raw: raw, ThreadedTo: c.Params["reply_to_message_id"]}
	if c.Params["parse_mode"] != "HTML" {
		t.Errorf("telegram: parse_mode = %q, want HTML", c.Params["parse_mode"])
	}
	plain, err := telegramtest.ParseHTML(raw)
	if err != nil {
		t.Errorf("telegram: invalid HTML (%v): %q", err, raw)
	}
	if n := len([]rune(plain)); n > 4096 {
		t.Errorf("telegram: message of %d characters", n)
	}
	r.Text = plain
	for _, m := range tgQuoteRE.FindAllStringSubmatch(raw, -1) {
		q := quote{Text: html.UnescapeString(m[1]), Unmatched: html.UnescapeString(m[3]), Translation: html.UnescapeString(m[4])}
		cite := m[2]
		if tm := tgTitleRE.FindStringSubmatch(cite); tm != nil {
			q.Title = html.UnescapeString(tm[1])
		}
		if lm := tgLinkRE.FindStringSubmatch(cite); lm != nil {
			q.Link = html.UnescapeString(lm[1])
		}
		if pm := paragraphRE.FindStringSubmatch(cite); pm != nil {
			q.Paragraph, _ = strconv.Atoi(pm[1])
		}
		r.Quotes = append(r.Quotes, q)
	}
	return r
}

// ---- Discord ----

type dcDriver struct {
	e *dcEnv
}

func (d *dcDriver) platform() string { return "discord" }

func (d *dcDriver) send(t *testing.T, c tcase) []reply {
	t.Helper()
	srv := d.e.srv
	uid := dcUser
	if c.admin {
		uid = dcAdmin
	}
	ch := srv.NewID()
	m := discordtest.Msg{ChannelID: ch, AuthorID: uid, AuthorName: "user" + uid[len(uid)-1:], Content: c.text}
	switch c.how {
	case plainDM:
	case command:
		name := c.cmdName()
		cmd := discordtest.Command{ChannelID: ch, UserID: uid, Name: name}
		if c.kind == bot.Group {
			cmd.GuildID = dcGuild
		}
		if name == "ask" {
			cmd.Options = map[string]string{"question": c.text}
		}
		in := srv.SendCommand(t, cmd)
		return d.collectInteraction(t, in)
	case mention:
		m.GuildID = dcGuild
		m.Content = "<@" + srv.BotID + "> " + c.text
		m.MentionIDs = []string{srv.BotID}
	case replyToBot:
		m.GuildID = dcGuild
		m.ReplyToID, m.ReplyToAuthorID = srv.NewID(), srv.BotID
	case unaddressed:
		m.GuildID = dcGuild
	}
	qid := srv.SendMessage(t, m)
	return d.collectChannel(t, ch, qid, c.want.kind == ignored)
}

// collectChannel collects the messages the bot posted in channel ch.
func (d *dcDriver) collectChannel(t *testing.T, ch, qid string, expectNone bool) []reply {
	t.Helper()
	srv := d.e.srv
	if expectNone {
		time.Sleep(quietFor)
		if calls := srv.CallsTo("/channels/" + ch + "/*"); len(calls) > 0 {
			t.Errorf("discord: expected no reply and no typing; got %s %s %s", calls[0].Method, calls[0].Path, calls[0].Body)
		}
		return nil
	}
	srv.WaitCalls(t, "POST /channels/"+ch+"/messages", 1, wait)
	time.Sleep(settleFor)
	var out []reply
	for _, c := range srv.CallsTo("POST /channels/" + ch + "/messages") {
		r := dcReply(t, c, c.JSON())
		if r.ThreadedTo != qid {
			t.Errorf("discord: message_reference.message_id = %q, want %s (the question)", r.ThreadedTo, qid)
		}
		out = append(out, r)
	}
	return out
}

// collectInteraction collects an interaction's answer: the callback's
// message (type 4), or the edit of the deferred response (type 5), and
// any followups.
func (d *dcDriver) collectInteraction(t *testing.T, in discordtest.Interaction) []reply {
	t.Helper()
	srv := d.e.srv
	gather := func() (out []reply) {
		for _, c := range srv.CallsTo(in.CallbackPattern()) {
			if c.Status >= 300 {
				continue // refused (a 429): retried
			}
			body := c.JSON()
			if typ, _ := body["type"].(float64); typ == 4 {
				data, _ := body["data"].(map[string]any)
				out = append(out, dcReply(t, c, data))
			}
		}
		for _, pattern := range []string{in.OriginalPattern(), in.FollowupPattern()} {
			for _, c := range srv.CallsTo(pattern) {
				if c.Status < 300 {
					out = append(out, dcReply(t, c, c.JSON()))
				}
			}
		}
		return out
	}
	deadline := time.Now().Add(wait)
	for {
		srv.WaitCalls(t, in.CallbackPattern(), 1, wait)
		if len(gather()) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("discord: interaction %s not answered within %v", in.ID, wait)
		}
		time.Sleep(2 * time.Millisecond)
	}
	time.Sleep(settleFor)
	return gather()
}

// dcReply decodes a message body and checks that it can ping nobody.
func dcReply(t *testing.T, c discordtest.Call, body map[string]any) reply {
	t.Helper()
	r := reply{Raw: string(c.Body)}
	if body == nil {
		t.Errorf("discord: %s %s: no message in %s", c.Method, c.Path, c.Body)
		return r
	}
	if c.Status >= 300 {
		t.Errorf("discord: %s %s answered %d", c.Method, c.Path, c.Status)
	}
	am, ok := body["allowed_mentions"].(map[string]any)
	if parse, isList := am["parse"].([]any); !ok || !isList || len(parse) != 0 {
		t.Errorf("discord: %s %s: allowed_mentions = %v, want parse []", c.Method, c.Path, body["allowed_mentions"])
	}
	content, _ := body["content"].(string)
	if strings.Contains(content, "@everyone") || strings.Contains(content, "@here") {
		t.Errorf("discord: content has a live @everyone/@here: %q", content)
	}
	if n := len([]rune(content)); n > 2000 {
		t.Errorf("discord: content of %d characters", n)
	}
	r.Text = unescapeMarkdown(content)
	if f, _ := body["flags"].(float64); int(f)&64 != 0 {
		r.Ephemeral = true
	}
	if ref, ok := body["message_reference"].(map[string]any); ok {
		r.ThreadedTo, _ = ref["message_id"].(string)
	}
	embeds, _ := body["embeds"].([]any)
	for _, x := range embeds {
		e, _ := x.(map[string]any)
		desc, _ := e["description"].(string)
		title, _ := e["title"].(string)
		link, _ := e["url"].(string)
		if n := len([]rune(desc)); n > 4096 {
			t.Errorf("discord: embed description of %d characters", n)
		}
		q := quote{Text: unescapeMarkdown(desc), Title: unescapeMarkdown(title), Link: link}
		fields, _ := e["fields"].([]any)
		for _, x := range fields {
			f, _ := x.(map[string]any)
			name, _ := f["name"].(string)
			v, _ := f["value"].(string)
			if strings.Contains(name, "translation") || strings.Contains(name, "الترجمة") {
				q.Translation = unescapeMarkdown(v)
			} else {
				q.Unmatched = name + ": " + unescapeMarkdown(v)
			}
		}
		if foot, _ := e["footer"].(map[string]any); foot != nil {
			text, _ := foot["text"].(string)
			if pm := paragraphRE.FindStringSubmatch(text); pm != nil {
				q.Paragraph, _ = strconv.Atoi(pm[1])
			}
		}
		r.Quotes = append(r.Quotes, q)
	}
	return r
}

// unescapeMarkdown undoes the adapter's escaping: Discord drops a
// backslash before ASCII punctuation; the zero-width space breaking
// @everyone is invisible.
func unescapeMarkdown(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", s[i+1]) >= 0 {
			i++
		}
		b.WriteByte(s[i])
	}
	return strings.ReplaceAll(b.String(), "\u200b", "")
}

// finish checks everything the bot sent during a driver's run: every
// Telegram message is HTML that Telegram accepts, every Discord message
// pings nobody.
func (d *tgDriver) finish(t *testing.T) {
	t.Helper()
	n := 0
	for _, c := range d.e.srv.Calls("sendMessage", "editMessageText") {
		n++
		if c.ErrorCode != 0 {
			t.Errorf("telegram: %s failed with %d: %q", c.Method, c.ErrorCode, c.Text())
		}
		if _, err := telegramtest.ParseHTML(c.Text()); err != nil {
			t.Errorf("telegram: %s with invalid HTML (%v): %q", c.Method, err, c.Text())
		}
	}
	if n == 0 {
		t.Error("telegram: nothing was sent")
	}
}

func (d *dcDriver) finish(t *testing.T) {
	t.Helper()
	assertNoPings(t, d.e.srv)
}

// assertNoPings checks that every message-sending call to the fake
// Discord carries allowed_mentions with an empty parse list.
func assertNoPings(t *testing.T, srv *discordtest.Server) {
	t.Helper()
	n := 0
	for _, c := range srv.Calls() {
		body := c.JSON()
		switch {
		case c.Method == "POST" && strings.HasSuffix(c.Path, "/callback"):
			data, ok := body["data"].(map[string]any)
			if typ, _ := body["type"].(float64); !ok || typ == 5 || typ == 6 {
				continue // a deferred response or an update ack: no message
			}
			body = data
		case c.Method == "POST" && strings.HasPrefix(c.Path, "/channels/") && strings.HasSuffix(c.Path, "/messages"),
			c.Method == "PATCH" && strings.HasPrefix(c.Path, "/webhooks/"),
			c.Method == "POST" && strings.HasPrefix(c.Path, "/webhooks/"):
		default:
			continue
		}
		n++
		am, ok := body["allowed_mentions"].(map[string]any)
		parse, isList := am["parse"].([]any)
		if !ok || !isList || len(parse) != 0 {
			t.Errorf("discord: %s %s: allowed_mentions = %v, want parse []", c.Method, c.Path, body["allowed_mentions"])
		}
	}
	if n == 0 {
		t.Error("discord: nothing was sent")
	}
}
