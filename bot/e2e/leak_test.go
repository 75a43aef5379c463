package e2e

import (
	"bytes"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/qabot/qabot/bot/discord/discordtest"
	"github.com/qabot/qabot/bot/telegram/telegramtest"
)

// settledGoroutines waits until the goroutine count is at most want (or,
// with want < 0, stops changing) and returns it.
func settledGoroutines(want int, within time.Duration) int {
	deadline := time.Now().Add(within)
	last, stable := runtime.NumGoroutine(), 0
	for time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		n := runtime.NumGoroutine()
		if want >= 0 && n <= want {
			return n
		}
		if n == last {
			stable++
		} else {
			stable = 0
		}
		if want < 0 && stable >= 5 {
			return n
		}
		last = n
	}
	return runtime.NumGoroutine()
}

// TestNoGoroutineLeaks runs both adapters with the real router, has each
// answer questions, stops them and their fake servers, and checks that
// every goroutine they started has ended.
func TestNoGoroutineLeaks(t *testing.T) {
	b := &backend{svc: newService(t, "")} // the service lives on: made first
	before := settledGoroutines(-1, 2*time.Second)

	tg := startTelegram(t, b, routerConfig(""), nil)
	dc := startDiscord(t, b, routerConfig(""), nil)

	dm := telegramtest.Private(tgUser)
	tgd := &tgDriver{e: tg}
	for _, c := range []tcase{
		{how: plainDM, text: emirQ, want: emirAnswer},
		{how: mention, text: emirQEn, want: emirAnswerEn},
		{how: unaddressed, text: emirQ, want: expect{kind: ignored}},
	} {
		check(t, "telegram", c, tgd.send(t, c))
	}
	tg.srv.RateLimitNext(1, 1)
	qid := tg.srv.PushText(dm, tgUser, emirQEn)
	waitSentTo(t, tg.srv, dm, qid, 1)

	dcd := &dcDriver{e: dc}
	for _, c := range []tcase{
		{how: plainDM, text: emirQ, want: emirAnswer},
		{how: command, text: emirQEn, want: emirAnswerEn},
		{how: mention, text: emirQ, want: emirAnswer},
	} {
		check(t, "discord", c, dcd.send(t, c))
	}
	dc.srv.DropConnection()
	dc.srv.WaitReady(t, wait)
	waitConnected(t, dc.a, "discord")
	in := dc.srv.SendCommand(t, discordtest.Command{UserID: dcUser, Name: "ask", Options: map[string]string{"question": emirQ}})
	dcd.collectInteraction(t, in)

	if running := runtime.NumGoroutine(); running <= before {
		t.Fatalf("%d goroutines while running, %d before: the count says nothing", running, before)
	}
	tg.stop()
	dc.stop()
	tg.srv.Close()
	dc.srv.Close()

	if after := settledGoroutines(before, 5*time.Second); after > before {
		var buf bytes.Buffer
		pprof.Lookup("goroutine").WriteTo(&buf, 1)
		t.Errorf("%d goroutines before, %d after both adapters stopped:\n%s", before, after, buf.String())
	}
}
