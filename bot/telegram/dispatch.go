package telegram

import (
	"context"
	"errors"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/qabot/qabot/bot"
)

const (
	// maxInbox bounds the updates waiting for one chat; more are dropped.
	maxInbox = 64
	// typingEvery refreshes "typing…", which Telegram shows for 5 s.
	typingEvery = 4 * time.Second
	// maxSendAttempts bounds the tries of one message (429s included).
	maxSendAttempts = 5
	// maxToast is Telegram's limit for an answerCallbackQuery text.
	maxToast = 200
)

// groupWindow is the window of the per-group limit (a variable for tests).
var groupWindow = time.Minute

// dispatcher runs the handler and the sending per chat. Each chat has at
// most one handling goroutine (so its updates are handled in order) and at
// most one sending goroutine (so its replies go out in order, paced by the
// chat's rate limits without holding up any other chat). Both exist only
// while there is work.
type dispatcher struct {
	a          *Adapter
	h          bot.Handler
	ctx        context.Context // handlers' context: done when Run stops receiving
	sendCtx    context.Context // sending's context: done ShutdownGrace later
	cancelSend context.CancelFunc

	mu        sync.Mutex
	chats     map[int64]*chatState
	stopped   bool
	lastSweep time.Time
	wg        sync.WaitGroup
}

type chatState struct {
	group    bool
	inbox    []tgbotapi.Update
	handling bool
	outbox   []outMsg
	sending  bool
	last     time.Time   // when the last message was sent
	window   []time.Time // recent sends, for the per-group limit
}

// outMsg is one sendMessage to make.
type outMsg struct {
	chatID   int64
	text     string // HTML
	replyTo  int
	keyboard *tgbotapi.InlineKeyboardMarkup
}

func newDispatcher(a *Adapter, h bot.Handler, ctx context.Context) *dispatcher {
	sendCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	return &dispatcher{a: a, h: h, ctx: ctx, sendCtx: sendCtx, cancelSend: cancel,
		chats: map[int64]*chatState{}, lastSweep: time.Now()}
}

// dispatch queues u for its chat. It never blocks on the network. It
// reports false when the dispatcher is stopping and u was not taken.
func (d *dispatcher) dispatch(u tgbotapi.Update) bool {
	var chat *tgbotapi.Chat
	switch {
	case u.Message != nil:
		chat = u.Message.Chat
	case u.CallbackQuery != nil && u.CallbackQuery.Message != nil:
		chat = u.CallbackQuery.Message.Chat
	case u.CallbackQuery != nil:
		// A button under an inline-mode message: no chat to answer in.
		// Answer the query so the client stops its spinner.
		id := u.CallbackQuery.ID
		d.goTracked(func() { d.answerCallback(id, "") })
		return true
	}
	if chat == nil {
		return true // an update kind the adapter does not handle
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stopped || d.ctx.Err() != nil {
		return false
	}
	d.sweepLocked()
	st := d.chats[chat.ID]
	if st == nil {
		st = &chatState{group: chat.Type != "private"}
		d.chats[chat.ID] = st
	}
	if len(st.inbox) >= maxInbox {
		d.a.log.Warn("telegram: too many updates waiting for one chat; dropping", "chat", chat.ID, "update", u.UpdateID)
		return true
	}
	st.inbox = append(st.inbox, u)
	if !st.handling {
		st.handling = true
		d.wg.Add(1)
		go d.handleLoop(st)
	}
	return true
}

// goTracked runs f in a goroutine Run waits for, unless stopping.
func (d *dispatcher) goTracked(f func()) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stopped {
		return
	}
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		f()
	}()
}

// sweepLocked forgets idle chats whose rate-limit state has expired.
func (d *dispatcher) sweepLocked() {
	now := time.Now()
	if now.Sub(d.lastSweep) < time.Minute {
		return
	}
	d.lastSweep = now
	keep := max(d.a.opts.PerChatInterval, groupWindow)
	for id, st := range d.chats {
		if !st.handling && !st.sending && now.Sub(st.last) > keep {
			delete(d.chats, id)
		}
	}
}

func (d *dispatcher) handleLoop(st *chatState) {
	defer d.wg.Done()
	for {
		d.mu.Lock()
		if len(st.inbox) == 0 || d.ctx.Err() != nil {
			if n := len(st.inbox); n > 0 {
				// Telegram confirmed them when the next getUpdates began
				// (or the webhook answered 200): they are lost.
				d.a.log.Warn("telegram: stopping with updates unhandled", "count", n)
			}
			st.inbox = nil
			st.handling = false
			d.mu.Unlock()
			return
		}
		u := st.inbox[0]
		st.inbox = st.inbox[1:]
		d.mu.Unlock()
		d.handle(st, u)
	}
}

// handle decodes one update, runs the handler (showing "typing…" when the
// handler will answer), answers a callback query, and queues the replies.
// A panic anywhere in it is logged and the chat goes on.
func (d *dispatcher) handle(st *chatState, u tgbotapi.Update) {
	defer func() {
		if r := recover(); r != nil {
			d.a.log.Error("telegram: panic while handling an update", "update", u.UpdateID, "panic", r, "stack", string(debug.Stack()))
		}
	}()
	var toast string
	if cq := u.CallbackQuery; cq != nil {
		// Always answered, even when the handler panics.
		defer func() { d.answerCallback(cq.ID, toast) }()
	}
	m, ok := d.a.decode(u)
	if !ok {
		d.a.log.Debug("telegram: update ignored", "update", u.UpdateID)
		return
	}
	d.a.log.Debug("telegram: update", "update", u.UpdateID, "chat", m.ChatID, "command", m.Command,
		"addressed", m.Addressed, "callback", m.Callback != nil, "document", m.Document != nil)
	chatID := u.FromChat().ID

	var replies []bot.Reply
	func() {
		if d.a.willAnswer(m) {
			stop := d.typing(chatID)
			defer stop()
		}
		replies = d.h.Handle(d.ctx, m)
	}()

	var out []outMsg
	for _, r := range replies {
		if r.Toast != "" && toast == "" && m.Callback != nil {
			toast = r.Toast
		}
		rr := renderReply(r, maxMessageLen)
		if len(rr.dropped) > 0 {
			d.a.log.Warn("telegram: buttons dropped (callback data empty or over 64 bytes)", "count", len(rr.dropped))
		}
		replyTo, _ := strconv.Atoi(r.ReplyTo)
		for i, p := range rr.parts {
			om := outMsg{chatID: chatID, text: p, replyTo: replyTo}
			if i == len(rr.parts)-1 {
				om.keyboard = rr.keyboard
			}
			out = append(out, om)
		}
	}
	if len(out) > 0 {
		d.enqueue(st, out)
	}
}

// typing sends "typing…" now and every typingEvery until stop is called.
func (d *dispatcher) typing(chatID int64) (stop func()) {
	done := make(chan struct{})
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		t := time.NewTicker(typingEvery)
		defer t.Stop()
		for {
			if _, err := d.a.request(d.ctx, tgbotapi.NewChatAction(chatID, tgbotapi.ChatTyping)); err != nil && d.ctx.Err() == nil {
				d.a.log.Debug("telegram: sendChatAction failed", "chat", chatID, "err", err)
			}
			select {
			case <-done:
				return
			case <-d.ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return func() {
		close(done)
		<-exited
	}
}

func (d *dispatcher) answerCallback(id, text string) {
	ctx, cancel := context.WithTimeout(d.sendCtx, 10*time.Second)
	defer cancel()
	if _, err := d.a.request(ctx, tgbotapi.NewCallback(id, truncate(clean(text), maxToast))); err != nil {
		d.a.log.Warn("telegram: answerCallbackQuery failed", "err", err)
	}
}

func (d *dispatcher) enqueue(st *chatState, msgs []outMsg) {
	d.mu.Lock()
	defer d.mu.Unlock()
	st.outbox = append(st.outbox, msgs...)
	if !st.sending {
		st.sending = true
		d.wg.Add(1)
		go d.sendLoop(st)
	}
}

func (d *dispatcher) sendLoop(st *chatState) {
	defer d.wg.Done()
	for {
		d.mu.Lock()
		if len(st.outbox) == 0 || d.sendCtx.Err() != nil {
			if n := len(st.outbox); n > 0 {
				d.a.log.Warn("telegram: stopping with replies unsent", "count", n)
			}
			st.outbox = nil
			st.sending = false
			d.mu.Unlock()
			return
		}
		m := st.outbox[0]
		st.outbox = st.outbox[1:]
		d.mu.Unlock()
		d.deliver(st, m)
	}
}

// waitTurn blocks until the chat may get another message under the
// per-chat interval and the per-group limit, then records the send. It
// returns false when sending is stopping.
func (d *dispatcher) waitTurn(st *chatState) bool {
	interval := d.a.opts.PerChatInterval
	perMin := d.a.opts.PerGroupPerMinute
	for {
		d.mu.Lock()
		now := time.Now()
		at := now
		if interval > 0 && !st.last.IsZero() {
			at = later(at, st.last.Add(interval))
		}
		if st.group && perMin > 0 {
			i := 0
			for i < len(st.window) && now.Sub(st.window[i]) >= groupWindow {
				i++
			}
			st.window = st.window[i:]
			if len(st.window) >= perMin {
				at = later(at, st.window[len(st.window)-perMin].Add(groupWindow))
			}
		}
		if !at.After(now) {
			st.last = now
			if st.group && perMin > 0 {
				st.window = append(st.window, now)
			}
			d.mu.Unlock()
			return true
		}
		d.mu.Unlock()
		if !sleep(d.sendCtx, at.Sub(now)) {
			return false
		}
	}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// deliver sends one message. A 429 is waited out (when its retry_after is
// within MaxRetryAfter) and retried; a group that became a supergroup is
// followed; a message Telegram cannot parse is sent again as plain text;
// other errors are logged and the message dropped.
func (d *dispatcher) deliver(st *chatState, m outMsg) {
	cfg := tgbotapi.NewMessage(m.chatID, m.text)
	cfg.ParseMode = tgbotapi.ModeHTML
	cfg.DisableWebPagePreview = true
	cfg.ReplyToMessageID = m.replyTo
	cfg.AllowSendingWithoutReply = true
	if m.keyboard != nil {
		cfg.ReplyMarkup = m.keyboard
	}
	netRetried := false
	for attempt := 1; ; attempt++ {
		if !d.waitTurn(st) {
			return
		}
		_, err := d.a.request(d.sendCtx, cfg)
		if err == nil {
			return
		}
		if d.sendCtx.Err() != nil {
			return
		}
		te := apiError(err)
		switch {
		case te != nil && te.RetryAfter > 0 && attempt < maxSendAttempts:
			wait := time.Duration(te.RetryAfter) * time.Second
			if wait > d.a.opts.MaxRetryAfter {
				d.a.log.Error("telegram: rate limited for longer than MaxRetryAfter; message dropped",
					"chat", cfg.ChatID, "retry_after", wait, "max", d.a.opts.MaxRetryAfter)
				return
			}
			d.a.log.Info("telegram: rate limited; waiting", "chat", cfg.ChatID, "retry_after", wait)
			if !sleep(d.sendCtx, wait) {
				return
			}
		case te != nil && te.MigrateToChatID != 0 && cfg.ChatID != te.MigrateToChatID:
			d.a.log.Info("telegram: group migrated to a supergroup", "chat", cfg.ChatID, "new_chat", te.MigrateToChatID)
			cfg.ChatID = te.MigrateToChatID
		case te != nil && te.Code == 400 && cfg.ParseMode != "" && strings.Contains(te.Message, "can't parse entities"):
			d.a.log.Error("telegram: HTML rejected; sending as plain text", "chat", cfg.ChatID, "err", err)
			cfg.ParseMode = ""
			cfg.Text = plainText(cfg.Text)
		case te == nil && !netRetried && !errors.Is(err, context.Canceled):
			d.a.log.Warn("telegram: sendMessage failed; retrying once", "chat", cfg.ChatID, "err", err)
			netRetried = true
			if !sleep(d.sendCtx, time.Second) {
				return
			}
		default:
			d.a.log.Error("telegram: sendMessage failed", "chat", cfg.ChatID, "err", err)
			return
		}
	}
}

// stop waits for the handlers and the sending to finish; after grace the
// sending is cancelled and the replies still queued are dropped.
func (d *dispatcher) stop(grace time.Duration) {
	d.mu.Lock()
	d.stopped = true
	d.mu.Unlock()
	done := make(chan struct{})
	go func() {
		d.wg.Wait()
		close(done)
	}()
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		d.cancelSend()
		<-done
	}
	d.cancelSend()
}
