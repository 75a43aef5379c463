package e2e

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/qabot/qabot/bot"
	"github.com/qabot/qabot/bot/discord/discordtest"
	"github.com/qabot/qabot/bot/telegram"
	"github.com/qabot/qabot/bot/telegram/telegramtest"
)

// reportLatency adds the median and the 99th percentile of the measured
// iterations to the benchmark's output (ns/op is their mean).
func reportLatency(b *testing.B, ds []time.Duration) {
	if len(ds) == 0 {
		return
	}
	slices.Sort(ds)
	b.ReportMetric(float64(ds[len(ds)/2].Nanoseconds()), "median-ns")
	b.ReportMetric(float64(ds[len(ds)*99/100].Nanoseconds()), "p99-ns")
}

// BenchmarkServiceAsk is the answering alone: what the router asks of the
// content service for one question (FetchAnswers = 5).
func BenchmarkServiceAsk(b *testing.B) {
	svc := newService(b, "")
	ctx := context.Background()
	var ds []time.Duration
	for b.Loop() {
		t0 := time.Now()
		if res := svc.Ask(ctx, emirQ, 5); !res.Answered {
			b.Fatal("not answered")
		}
		ds = append(ds, time.Since(t0))
	}
	reportLatency(b, ds)
}

// BenchmarkRouterHandle is the router with the answering, without any
// platform: a direct message in, the reply model out.
func BenchmarkRouterHandle(b *testing.B) {
	r := bot.NewRouter(&backend{svc: newService(b, "")}, routerConfig(""), nil)
	ctx := context.Background()
	m := bot.Message{Platform: "telegram", ChatID: "222", ChatKind: bot.Private, MessageID: "1",
		UserID: "222", Text: emirQ, Addressed: true}
	var ds []time.Duration
	for b.Loop() {
		t0 := time.Now()
		if reps := r.Handle(ctx, m); len(reps) != 1 || len(reps[0].Quotes) == 0 {
			b.Fatalf("replies: %+v", reps)
		}
		ds = append(ds, time.Since(t0))
	}
	reportLatency(b, ds)
}

// BenchmarkTelegramQuestion measures a direct-message question from the
// moment the update is pushed to the fake Bot API until it has received
// the answer's sendMessage: long poll, decoding, "typing…", the router,
// the answering, rendering and sending. The bot's overhead is this less
// BenchmarkServiceAsk.
func BenchmarkTelegramQuestion(b *testing.B) {
	e := startTelegram(b, &backend{svc: newService(b, "")}, routerConfig(""), nil)
	dm := telegramtest.Private(tgUser)
	n := e.srv.Count("sendMessage")
	var ds []time.Duration
	for b.Loop() {
		t0 := time.Now()
		e.srv.PushText(dm, tgUser, emirQ)
		n++
		if !e.srv.WaitCount("sendMessage", n, wait) {
			b.Fatalf("no answer within %v", wait)
		}
		ds = append(ds, time.Since(t0))
	}
	reportLatency(b, ds)
}

// BenchmarkDiscordInteractionAck measures an /ask slash command from the
// INTERACTION_CREATE dispatch on the fake gateway until the fake has
// received the interaction's callback (Discord wants it within 3 s).
func BenchmarkDiscordInteractionAck(b *testing.B) {
	e := startDiscord(b, &backend{svc: newService(b, "")}, routerConfig(""), nil)
	ch := e.srv.NewID()
	var ds []time.Duration
	for b.Loop() {
		t0 := time.Now()
		in := e.srv.SendCommand(b, discordtest.Command{ChannelID: ch, UserID: dcUser, Name: "ask",
			Options: map[string]string{"question": emirQ}})
		e.srv.WaitCalls(b, in.CallbackPattern(), 1, wait)
		ds = append(ds, time.Since(t0))
	}
	reportLatency(b, ds)
}

// cannedReply is the answer's reply model without the answering, for the
// adapters' own cost.
func cannedReply(m bot.Message) []bot.Reply {
	return []bot.Reply{{Lang: "ar", ReplyTo: m.MessageID, Quotes: []bot.Quote{{
		Text:  "معيدة إلى الأذهان الزيارة التي قام بها سمو أمير البلاد الشيخ مشعل الأحمد إلى تركيا في مايو 2024.",
		Title: seedTitle, URL: seedURL, Paragraph: 1, Sentence: 1}},
		Buttons: []bot.Button{{Label: "👍", Data: "v:abc:+"}, {Label: "👎", Data: "v:abc:-"}}}}
}

// BenchmarkTelegramAdapterOnly is BenchmarkTelegramQuestion with a handler
// that answers at once: the adapter and the fake server alone.
func BenchmarkTelegramAdapterOnly(b *testing.B) {
	srv := telegramtest.NewServer(b)
	logs := &syncBuf{}
	a, err := telegram.New(telegramOptions(srv, logs))
	if err != nil {
		b.Fatal(err)
	}
	runAdapter(b, a, bot.HandlerFunc(func(_ context.Context, m bot.Message) []bot.Reply { return cannedReply(m) }), logs)
	waitConnected(b, a, "telegram")
	dm := telegramtest.Private(tgUser)
	n := srv.Count("sendMessage")
	var ds []time.Duration
	for b.Loop() {
		t0 := time.Now()
		srv.PushText(dm, tgUser, emirQ)
		n++
		if !srv.WaitCount("sendMessage", n, wait) {
			b.Fatalf("no answer within %v", wait)
		}
		ds = append(ds, time.Since(t0))
	}
	reportLatency(b, ds)
}
