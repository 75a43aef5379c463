package telegramtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

func TestWithTheRealLibrary(t *testing.T) {
	s := NewServer(t)
	api, err := tgbotapi.NewBotAPIWithAPIEndpoint(s.Token, s.APIEndpoint())
	if err != nil {
		t.Fatal(err)
	}
	defer api.Client.(*http.Client).CloseIdleConnections()
	if api.Self.UserName != "qabot_test_bot" || api.Self.ID != s.Bot.ID {
		t.Errorf("getMe: %+v", api.Self)
	}
	alice := User{ID: 7, FirstName: "Alice"}
	s.PushText(Private(alice), alice, "/ask@qabot_test_bot 😀 hi @someone")
	s.PushText(Private(alice), alice, "two")

	ups, err := api.GetUpdates(tgbotapi.UpdateConfig{Timeout: 1})
	if err != nil || len(ups) != 2 {
		t.Fatalf("getUpdates: %v %d", err, len(ups))
	}
	m := ups[0].Message
	if !m.IsCommand() || m.Command() != "ask" || len(m.Entities) != 2 || m.Entities[1].Offset != 26 || m.Entities[1].Length != 8 {
		t.Errorf("entities %+v", m.Entities)
	}
	// Not confirmed yet: the same updates again.
	ups2, _ := api.GetUpdates(tgbotapi.UpdateConfig{})
	if len(ups2) != 2 {
		t.Errorf("re-get: %d", len(ups2))
	}
	// Offset confirms; the long poll then waits for a push.
	go func() {
		time.Sleep(100 * time.Millisecond)
		s.PushText(Private(alice), alice, "three")
	}()
	t0 := time.Now()
	ups3, err := api.GetUpdates(tgbotapi.UpdateConfig{Offset: ups[1].UpdateID + 1, Timeout: 5})
	if err != nil || len(ups3) != 1 || ups3[0].Message.Text != "three" || time.Since(t0) > 3*time.Second {
		t.Fatalf("long poll: %v %+v", err, ups3)
	}
	if s.Pending() != 1 {
		t.Errorf("pending %d", s.Pending())
	}

	// sendMessage checks HTML and length; 429s carry retry_after.
	msg := tgbotapi.NewMessage(7, "<b>ok</b> &amp; fine")
	msg.ParseMode = tgbotapi.ModeHTML
	sent, err := api.Send(msg)
	if err != nil || sent.Text != "ok & fine" || sent.MessageID == 0 {
		t.Errorf("send: %v %+v", err, sent)
	}
	for _, bad := range []string{"<b>x", "a & b", "<br>", "x</b>", "<a>x</a>", "<blockquote><blockquote>x</blockquote></blockquote>", strings.Repeat("x", 4097)} {
		msg.Text = bad
		if _, err := api.Send(msg); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
	s.RateLimitNext(1, 3)
	msg.Text = "x"
	_, err = api.Send(msg)
	if te, ok := err.(*tgbotapi.Error); !ok || te.Code != 429 || te.RetryAfter != 3 {
		t.Errorf("429: %#v", err)
	}
	// A reply to the bot's message names the bot as the replied-to sender.
	s.PushReply(Private(alice), alice, "re", sent.MessageID)
	ups4, _ := api.GetUpdates(tgbotapi.UpdateConfig{Offset: ups3[0].UpdateID + 1})
	if len(ups4) != 1 || ups4[0].Message.ReplyToMessage.From.ID != s.Bot.ID {
		t.Errorf("reply: %+v", ups4)
	}

	// Files.
	s.PushDocument(Private(alice), alice, "a b.txt", []byte("data"), "")
	ups5, _ := api.GetUpdates(tgbotapi.UpdateConfig{Offset: ups4[0].UpdateID + 1})
	doc := ups5[0].Message.Document
	f, err := api.GetFile(tgbotapi.FileConfig{FileID: doc.FileID})
	if err != nil || f.FileSize != 4 {
		t.Fatalf("getFile: %v %+v", err, f)
	}
	resp, err := http.Get(fmt.Sprintf(s.FileEndpoint(), s.Token, f.FilePath))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("download: %v", err)
	}
	resp.Body.Close()

	// Calls are recorded with their parameters.
	c := s.Calls("sendMessage")[0]
	if c.Params["parse_mode"] != "HTML" || c.Params["chat_id"] != "7" || c.MessageID != sent.MessageID {
		t.Errorf("call %+v", c)
	}
	if s.Count("sendMessage") != 1 {
		t.Errorf("count %d", s.Count("sendMessage"))
	}
}

func TestJSONParamsAndErrors(t *testing.T) {
	s := NewServer(t)
	post := func(path, ct, body string) map[string]any {
		resp, err := http.Post(s.URL+path, ct, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		return out
	}
	r := post("/bot"+s.Token+"/sendMessage", "application/json", `{"chat_id":5,"text":"hi","reply_markup":{"inline_keyboard":[[{"text":"b","callback_data":"d"}]]}}`)
	if r["ok"] != true {
		t.Errorf("json sendMessage: %v", r)
	}
	if c := s.Calls("sendMessage")[0]; c.Params["chat_id"] != "5" || !strings.Contains(c.Params["reply_markup"], `"callback_data":"d"`) {
		t.Errorf("params %v", c.Params)
	}
	r = post("/bot"+s.Token+"/sendMessage", "application/x-www-form-urlencoded",
		url.Values{"chat_id": {"5"}, "text": {"x"}, "reply_markup": {`{"inline_keyboard":[[{"text":"b","callback_data":"` + strings.Repeat("d", 65) + `"}]]}`}}.Encode())
	if r["ok"] != false || r["description"] != "Bad Request: BUTTON_DATA_INVALID" {
		t.Errorf("long callback data: %v", r)
	}
	if r := post("/botWRONG/getMe", "", ""); r["error_code"] != float64(401) {
		t.Errorf("wrong token: %v", r)
	}
	if r := post("/bot"+s.Token+"/noSuchMethod", "", ""); r["error_code"] != float64(404) {
		t.Errorf("unknown method: %v", r)
	}
	// Webhook set: getUpdates conflicts.
	post("/bot"+s.Token+"/setWebhook", "application/x-www-form-urlencoded", "url=http://127.0.0.1:1/x&secret_token=abc")
	if r := post("/bot"+s.Token+"/getUpdates", "", ""); r["error_code"] != float64(409) {
		t.Errorf("getUpdates with webhook: %v", r)
	}
	if u, sec := s.Webhook(); u != "http://127.0.0.1:1/x" || sec != "abc" {
		t.Errorf("webhook %q %q", u, sec)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if !s.Wait(ctx, func(calls []Call) bool { return len(calls) >= 5 }) {
		t.Errorf("Wait: %d calls", len(s.Calls()))
	}
	http.DefaultClient.CloseIdleConnections()
}

func TestDetectEntities(t *testing.T) {
	got := DetectEntities("/start@qabot_bot 😀 hi @ab @abc e@mail.x /x")
	want := []Entity{{"bot_command", 0, 16, nil}, {"mention", 27, 4, nil}, {"bot_command", 41, 2, nil}}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%d: got %+v want %+v", i, got[i], want[i])
		}
	}
}
