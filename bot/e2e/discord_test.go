package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/qabot/qabot/bot/discord"
	"github.com/qabot/qabot/bot/discord/discordtest"
)

// TestDiscord runs the Discord-only cases on one adapter session (its
// Close alone takes a second): slash commands on the immediate and the
// deferred path, mentions, DMs, REST 429s, a dropped gateway connection
// and an article upload.
func TestDiscord(t *testing.T) {
	const deferAfter = 400 * time.Millisecond
	dir := seedDir(t)
	b := &backend{svc: newService(t, dir)}
	e := startDiscord(t, b, routerConfig(""), func(o *discord.Options) { o.DeferAfter = deferAfter })
	srv := e.srv
	d := &dcDriver{e: e}

	callbackType := func(t *testing.T, in discordtest.Interaction) (typ int, flags int, at time.Time) {
		t.Helper()
		c := srv.WaitCalls(t, in.CallbackPattern(), 1, wait)[0]
		body := c.JSON()
		ty, _ := body["type"].(float64)
		if data, ok := body["data"].(map[string]any); ok {
			f, _ := data["flags"].(float64)
			flags = int(f)
		}
		return int(ty), flags, c.At
	}
	checkEmir := func(t *testing.T, r reply, lang string) {
		t.Helper()
		if len(r.Quotes) == 0 {
			t.Fatalf("no embed: %s", r.Raw)
		}
		q := r.Quotes[0]
		if !strings.Contains(q.Text, "مايو 2024") || q.Title != seedTitle || q.Link != seedURL || q.Paragraph != 1 {
			t.Errorf("embed: %+v", q)
		}
		if lang == "en" && !strings.Contains(q.Translation, "May 2024") {
			t.Errorf("no English translation: %+v", q)
		}
	}

	t.Run("ask_immediate", func(t *testing.T) {
		in := srv.SendCommand(t, discordtest.Command{GuildID: dcGuild, UserID: dcUser, Name: "ask",
			Options: map[string]string{"question": emirQ}})
		typ, _, at := callbackType(t, in)
		if typ != 4 {
			t.Fatalf("callback type %d, want 4 (an immediate answer)", typ)
		}
		if d := at.Sub(in.Sent); d > deferAfter+500*time.Millisecond {
			t.Errorf("answered after %v", d)
		}
		got := d.collectInteraction(t, in)
		if len(got) != 1 {
			t.Fatalf("%d messages", len(got))
		}
		checkEmir(t, got[0], "ar")
		if n := len(srv.CallsTo(in.OriginalPattern())); n != 0 {
			t.Errorf("%d edits of an immediate answer", n)
		}
	})

	t.Run("ask_deferred", func(t *testing.T) {
		b.delay.Store(int64(deferAfter + 400*time.Millisecond))
		defer b.delay.Store(0)
		in := srv.SendCommand(t, discordtest.Command{GuildID: dcGuild, UserID: dcUser, Name: "ask",
			Options: map[string]string{"question": emirQEn}})
		typ, flags, at := callbackType(t, in)
		if typ != 5 || flags&64 != 0 {
			t.Fatalf("callback type %d flags %d, want a public deferred response (5)", typ, flags)
		}
		if d := at.Sub(in.Sent); d < deferAfter-50*time.Millisecond || d > 2500*time.Millisecond {
			t.Errorf("deferred after %v (DeferAfter %v; Discord allows 3 s)", d, deferAfter)
		}
		edit := srv.WaitCalls(t, in.OriginalPattern(), 1, wait)[0]
		r := dcReply(t, edit, edit.JSON())
		checkEmir(t, r, "en")
	})

	t.Run("reload_admin_dm", func(t *testing.T) {
		in := srv.SendCommand(t, discordtest.Command{UserID: dcAdmin, Name: "reload"})
		got := d.collectInteraction(t, in)
		if len(got) != 1 || !strings.Contains(got[0].Text, "Reloaded") && !strings.Contains(got[0].Text, "أُعيد تحميل") {
			t.Fatalf("reload: %v", got)
		}
	})

	t.Run("reload_admin_guild_private_either_way", func(t *testing.T) {
		// The adapter defers /reload and /stats privately ("the admin
		// commands' answers are for the admin"); answered at once, the
		// report should not be public either.
		var flags []int
		for _, slow := range []bool{true, false} {
			if slow {
				b.reloadDelay.Store(int64(deferAfter + 200*time.Millisecond))
			}
			in := srv.SendCommand(t, discordtest.Command{GuildID: dcGuild, UserID: dcAdmin, Name: "reload"})
			got := d.collectInteraction(t, in)
			b.reloadDelay.Store(0)
			if len(got) != 1 || !strings.Contains(got[0].Text, "Reloaded") && !strings.Contains(got[0].Text, "أُعيد تحميل") {
				t.Fatalf("reload (slow=%v): %v", slow, got)
			}
			typ, f, _ := callbackType(t, in)
			t.Logf("slow=%v: callback type %d, flags %d", slow, typ, f)
			flags = append(flags, f&64)
		}
		if flags[0] != 64 || flags[1] != 64 {
			t.Errorf("an admin's /reload report must be ephemeral however long the reload takes: flags slow=%d quick=%d", flags[0], flags[1])
		}
	})

	t.Run("buttons", func(t *testing.T) {
		ch := srv.NewID()
		in := srv.SendCommand(t, discordtest.Command{GuildID: dcGuild, ChannelID: ch, UserID: dcUser, Name: "ask",
			Options: map[string]string{"question": emirQEn}})
		got := d.collectInteraction(t, in)
		if len(got) != 1 {
			t.Fatalf("%d messages", len(got))
		}
		ids := customIDs(srv.CallsTo(in.CallbackPattern())[0].JSON())
		var more, up string
		for _, id := range ids {
			switch {
			case strings.HasPrefix(id, "m:"):
				more = id
			case strings.HasSuffix(id, ":+"):
				up = id
			}
		}
		if more == "" || up == "" {
			t.Fatalf("buttons: %q", ids)
		}
		p := srv.PressButton(t, discordtest.Press{GuildID: dcGuild, ChannelID: ch, UserID: dcUser, CustomID: more})
		next := d.collectInteraction(t, p)
		if len(next) != 1 || len(next[0].Quotes) != 1 || next[0].Quotes[0].Text == got[0].Quotes[0].Text {
			t.Errorf("More: %v", next)
		}
		v := srv.PressButton(t, discordtest.Press{GuildID: dcGuild, ChannelID: ch, UserID: dcUser, CustomID: up})
		thanks := d.collectInteraction(t, v)
		if len(thanks) != 1 || !thanks[0].Ephemeral || !strings.Contains(thanks[0].Text, "Thanks") {
			t.Errorf("vote: %v", thanks)
		}
	})

	t.Run("guild_mention", func(t *testing.T) {
		ch := srv.NewID()
		qid := srv.SendMessage(t, discordtest.Msg{ChannelID: ch, GuildID: dcGuild, AuthorID: dcUser,
			Content: "<@" + srv.BotID + "> " + emirQ, MentionIDs: []string{srv.BotID}})
		got := d.collectChannel(t, ch, qid, false)
		if len(got) != 1 {
			t.Fatalf("%d messages", len(got))
		}
		checkEmir(t, got[0], "ar")
		if got[0].ThreadedTo != qid {
			t.Errorf("message_reference %q, want %q", got[0].ThreadedTo, qid)
		}
		if n := len(srv.CallsTo("POST /channels/" + ch + "/typing")); n == 0 {
			t.Error("no typing indicator")
		}
	})

	t.Run("dm", func(t *testing.T) {
		ch := srv.NewID()
		qid := srv.SendMessage(t, discordtest.Msg{ChannelID: ch, AuthorID: dcUser, Content: emirQEn})
		got := d.collectChannel(t, ch, qid, false)
		if len(got) != 1 {
			t.Fatalf("%d messages", len(got))
		}
		checkEmir(t, got[0], "en")
	})

	t.Run("rest_429_message", func(t *testing.T) {
		ch := srv.NewID()
		srv.RateLimit("POST /channels/"+ch+"/messages", 1, 300*time.Millisecond, false)
		qid := srv.SendMessage(t, discordtest.Msg{ChannelID: ch, AuthorID: dcUser, Content: emirQ})
		srv.WaitCalls(t, "POST /channels/"+ch+"/messages", 2, wait)
		time.Sleep(settleFor)
		calls := srv.CallsTo("POST /channels/" + ch + "/messages")
		if len(calls) != 2 || calls[0].Status != 429 || calls[1].Status != 200 {
			for _, c := range calls {
				t.Logf("%s %s -> %d", c.Method, c.Path, c.Status)
			}
			t.Fatalf("want one 429 then one success")
		}
		if gap := calls[1].At.Sub(calls[0].At); gap < 250*time.Millisecond {
			t.Errorf("retried %v after the 429 (retry_after 300ms)", gap)
		}
		r := dcReply(t, calls[1], calls[1].JSON())
		checkEmir(t, r, "ar")
		if r.ThreadedTo != qid {
			t.Errorf("message_reference %q", r.ThreadedTo)
		}
	})

	t.Run("rest_429_interaction_callback", func(t *testing.T) {
		id, tok := srv.NewID(), "tok-429"
		srv.RateLimit("POST /interactions/"+id+"/"+tok+"/callback", 1, 200*time.Millisecond, false)
		in := srv.SendCommand(t, discordtest.Command{ID: id, Token: tok, GuildID: dcGuild, UserID: dcUser, Name: "ask",
			Options: map[string]string{"question": emirQ}})
		calls := srv.WaitCalls(t, in.CallbackPattern(), 2, wait)
		if calls[0].Status != 429 || calls[1].Status >= 300 {
			t.Fatalf("statuses %d, %d", calls[0].Status, calls[1].Status)
		}
		if d := calls[1].At.Sub(in.Sent); d > 2500*time.Millisecond {
			t.Errorf("acknowledged after %v: past Discord's 3 s", d)
		}
		got := d.collectInteraction(t, in)
		if len(got) != 1 {
			t.Fatalf("%d messages", len(got))
		}
		checkEmir(t, got[0], "ar")
	})

	t.Run("gateway_drop", func(t *testing.T) {
		idents, resumes := len(srv.Identifies()), srv.Resumes()
		srv.DropConnection()
		deadline := time.Now().Add(wait)
		for srv.Resumes() == resumes && len(srv.Identifies()) == idents {
			if time.Now().After(deadline) {
				t.Fatal("the adapter did not come back after the gateway dropped")
			}
			time.Sleep(5 * time.Millisecond)
		}
		waitConnected(t, e.a, "discord after the drop")
		ch := srv.NewID()
		qid := srv.SendMessage(t, discordtest.Msg{ChannelID: ch, GuildID: dcGuild, AuthorID: dcUser,
			Content: "<@" + srv.BotID + "> " + emirQ, MentionIDs: []string{srv.BotID}})
		got := d.collectChannel(t, ch, qid, false)
		if len(got) != 1 {
			t.Fatalf("%d messages", len(got))
		}
		checkEmir(t, got[0], "ar")
		in := srv.SendCommand(t, discordtest.Command{GuildID: dcGuild, UserID: dcUser, Name: "ask",
			Options: map[string]string{"question": emirQEn}})
		if got := d.collectInteraction(t, in); len(got) != 1 {
			t.Fatalf("slash command after the drop: %d messages", len(got))
		}
	})

	t.Run("upload_dm", func(t *testing.T) {
		url := srv.AddFile(parkName, []byte(parkArticle))
		att := discordtest.Attachment{Filename: parkName, URL: url, Size: len(parkArticle)}

		// a non-admin's attachment: refused, not fetched
		ch := srv.NewID()
		qid := srv.SendMessage(t, discordtest.Msg{ChannelID: ch, AuthorID: dcUser, Attachments: []discordtest.Attachment{att}})
		got := d.collectChannel(t, ch, qid, false)
		if len(got) != 1 || !strings.Contains(got[0].Text, "only the bot's admins") && !strings.Contains(got[0].Text, "لمشرفي البوت فقط") {
			t.Fatalf("non-admin upload: %v", got)
		}

		// a bad name is refused, and shown as written without pinging anyone
		bad := "<b>&@everyone *x*:.txt"
		ch = srv.NewID()
		qid = srv.SendMessage(t, discordtest.Msg{ChannelID: ch, AuthorID: dcAdmin,
			Attachments: []discordtest.Attachment{{Filename: bad, URL: url, Size: len(parkArticle)}}})
		got = d.collectChannel(t, ch, qid, false)
		if len(got) != 1 || !strings.Contains(got[0].Text, bad) {
			t.Fatalf("bad name: %v", got)
		}

		ch = srv.NewID()
		qid = srv.SendMessage(t, discordtest.Msg{ChannelID: ch, AuthorID: dcAdmin, Attachments: []discordtest.Attachment{att}})
		got = d.collectChannel(t, ch, qid, false)
		if len(got) != 1 || !strings.Contains(got[0].Text, parkName) {
			t.Fatalf("admin upload: %v", got)
		}

		in := srv.SendCommand(t, discordtest.Command{GuildID: dcGuild, UserID: dcUser, Name: "ask",
			Options: map[string]string{"question": parkQ}})
		got = d.collectInteraction(t, in)
		if len(got) != 1 || len(got[0].Quotes) == 0 {
			t.Fatalf("after the upload: %v", got)
		}
		q := got[0].Quotes[0]
		if !strings.Contains(q.Text, parkFact) || !strings.Contains(q.Text, parkMark) || q.Title != parkTitle {
			t.Errorf("the new article's quote: %+v", q)
		}
		if strings.Contains(got[0].Raw, "<b>") {
			t.Errorf("markup from the article is not escaped: %s", got[0].Raw)
		}
	})

	assertNoPings(t, srv)
}

// customIDs lists the buttons' custom_ids in a callback body.
func customIDs(body map[string]any) []string {
	var out []string
	data, _ := body["data"].(map[string]any)
	rows, _ := data["components"].([]any)
	for _, r := range rows {
		row, _ := r.(map[string]any)
		cs, _ := row["components"].([]any)
		for _, c := range cs {
			b, _ := c.(map[string]any)
			if id, ok := b["custom_id"].(string); ok {
				out = append(out, id)
			}
		}
	}
	return out
}
