// Package telegramtest is a fake Telegram Bot API server for tests: an
// httptest server on 127.0.0.1 that speaks the Bot API wire protocol well
// enough for telegram-bot-api and qabot's bot/telegram adapter.
//
// A test makes one with NewServer, points the adapter at it
// (telegram.Options{Token: s.Token, APIEndpoint: s.APIEndpoint()}), pushes
// updates as a user would send them (PushText, PushReply, PushDocument,
// PushCallback, PushUpdate) and looks at what the bot did (Calls,
// WaitCalls, WaitCount). Until a webhook is set, pushed updates wait for
// getUpdates (which long-polls and honours offset, limit and timeout);
// after setWebhook they are POSTed to the webhook URL with the
// X-Telegram-Bot-Api-Secret-Token header, one at a time, as Telegram does.
//
// Methods: getMe, setMyCommands, getMyCommands, deleteWebhook, setWebhook,
// getWebhookInfo, getUpdates, sendMessage, editMessageText, sendChatAction,
// answerCallbackQuery, getFile, and GET /file/bot<token>/<path> for the
// files pushed with PushDocument or AddFile. Parameters are accepted as a
// query string, a form, multipart or JSON. sendMessage and editMessageText
// check what Telegram checks: HTML parse mode (only Telegram's tags,
// balanced, with <, > and & escaped), the 4096-character limit after
// parsing, callback_data of 1–64 bytes, and reply_to_message_id. Errors
// have Telegram's shape ({"ok":false,"error_code":…,"description":…}), and
// FailNext / RateLimitNext inject them (a 429 carries
// parameters.retry_after).
//
// Every call is recorded, failed ones too, with its parameters as strings
// (JSON-valued ones as their JSON text).
//
// A typical test:
//
//	srv := telegramtest.NewServer(t)
//	a, _ := telegram.New(telegram.Options{Token: srv.Token, APIEndpoint: srv.APIEndpoint(),
//		PerChatInterval: time.Millisecond})
//	ctx, cancel := context.WithCancel(context.Background())
//	done := make(chan error, 1)
//	go func() { done <- a.Run(ctx, router) }()
//	defer func() { cancel(); <-done }()
//
//	alice := telegramtest.User{ID: 111, FirstName: "Alice", UserName: "alice"}
//	group := telegramtest.Group(5001, "team")
//	q := srv.PushText(group, alice, "/ask@"+srv.Bot.UserName+" ما هي عاصمة الكويت؟")
//	sent := srv.WaitCalls(t, "sendMessage", 1, 5*time.Second)
//	// sent[0].Text() is the HTML; sent[0].Params["reply_to_message_id"] == strconv.Itoa(q)
//	// ParseHTML(sent[0].Text()) gives the text users see.
//
// Count, WaitCount and WaitCalls count only the calls answered ok; Calls
// returns failed ones too (ErrorCode set). Everything is safe to use from
// any goroutine, except that WaitCalls fails the test with t.Fatalf.
package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"
)

// DefaultToken is the token NewServer accepts.
const DefaultToken = "4242424242:AAE-fake-TOKEN_for_tests_only-0123456789"

// User is a Telegram user (or the bot itself).
type User struct {
	ID        int64  `json:"id"`
	IsBot     bool   `json:"is_bot"`
	FirstName string `json:"first_name"`
	UserName  string `json:"username,omitempty"`
}

// Chat is a Telegram chat. Type is "private", "group" or "supergroup".
type Chat struct {
	ID    int64  `json:"id"`
	Type  string `json:"type"`
	Title string `json:"title,omitempty"`
}

// Private returns the private chat with u (its id is the user's).
func Private(u User) Chat { return Chat{ID: u.ID, Type: "private"} }

// Group returns a supergroup chat; ids of groups are negative.
func Group(id int64, title string) Chat {
	if id > 0 {
		id = -id
	}
	return Chat{ID: id, Type: "supergroup", Title: title}
}

// Entity is a message entity; Offset and Length count UTF-16 code units.
type Entity struct {
	Type   string `json:"type"`
	Offset int    `json:"offset"`
	Length int    `json:"length"`
	User   *User  `json:"user,omitempty"`
}

// Message is a message to push. With Entities nil, entities are detected
// as Telegram does (DetectEntities).
type Message struct {
	Chat     Chat
	From     User
	Text     string
	Entities []Entity
	// ReplyTo is the message_id this message replies to; the replied
	// message's sender is whoever sent it (the bot, for its own messages).
	ReplyTo int
	// Document, when set, is attached (registered with AddFile); Text is
	// then the caption.
	Document *Document
}

// Document is a file attached to a pushed message.
type Document struct {
	FileName string
	MimeType string
	Data     []byte
}

// Call is one request the server received.
type Call struct {
	Method    string            // "sendMessage", …; "downloadFile" for GET /file/…
	Params    map[string]string // JSON-valued parameters as JSON text
	ErrorCode int               // 0 when answered ok
	MessageID int               // sendMessage, editMessageText: the message_id of the result
	Time      time.Time
}

// Text is the call's text parameter.
func (c Call) Text() string { return c.Params["text"] }

// Command is one entry of a bot's command menu.
type Command struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// Server is the fake Bot API server.
type Server struct {
	// URL is the base URL, "http://127.0.0.1:PORT".
	URL string
	// Token is the one token the server accepts (others get 401).
	Token string
	// Bot is the bot's own user, as getMe returns it.
	Bot User
	// CanReadAllGroupMessages is getMe's can_read_all_group_messages
	// (false: privacy mode on). Set it before the adapter starts.
	CanReadAllGroupMessages bool

	t       testing.TB
	srv     *httptest.Server
	closed  chan struct{}
	closeMu sync.Once
	hookCli *http.Client

	mu         sync.Mutex
	changed    chan struct{} // closed and replaced on every change
	nextUpdate int
	nextMsg    int
	queue      []pending
	calls      []Call
	counts     map[string]int
	failures   map[string][]failure
	files      map[string]storedFile // by file_id
	paths      map[string][]byte     // by file_path
	senders    map[msgKey]User
	chats      map[int64]Chat
	commands   map[string][]Command // by language_code ("" default)
	hookURL    string
	hookSecret string
	hookMu     sync.Mutex // one webhook delivery at a time
	hookStatus []int
}

type pending struct {
	id  int
	raw json.RawMessage
}

type failure struct {
	code       int
	desc       string
	retryAfter int
}

type storedFile struct {
	id, path string
	size     int
}

type msgKey struct {
	chat int64
	id   int
}

// NewServer starts a fake Bot API server on 127.0.0.1, closed when the
// test ends. The bot is @qabot_test_bot; the token is DefaultToken.
func NewServer(t testing.TB) *Server {
	t.Helper()
	s := &Server{
		Token:      DefaultToken,
		Bot:        User{ID: 4242424242, IsBot: true, FirstName: "qabot", UserName: "qabot_test_bot"},
		t:          t,
		closed:     make(chan struct{}),
		changed:    make(chan struct{}),
		nextUpdate: 100000,
		nextMsg:    1,
		counts:     map[string]int{},
		failures:   map[string][]failure{},
		files:      map[string]storedFile{},
		paths:      map[string][]byte{},
		senders:    map[msgKey]User{},
		chats:      map[int64]Chat{},
		commands:   map[string][]Command{},
		hookCli: &http.Client{Timeout: 10 * time.Second,
			Transport: &http.Transport{DisableKeepAlives: true, Proxy: nil}},
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("telegramtest: listen: %v", err)
	}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	s.srv.Listener.Close()
	s.srv.Listener = ln
	s.srv.Start()
	s.URL = s.srv.URL
	t.Cleanup(s.Close)
	return s
}

// Close stops the server; pending long polls return at once. It is called
// at the end of the test and may be called earlier.
func (s *Server) Close() {
	s.closeMu.Do(func() {
		close(s.closed)
		s.srv.CloseClientConnections()
		s.srv.Close()
		s.hookCli.CloseIdleConnections()
	})
}

// APIEndpoint is the pattern for telegram-bot-api / the adapter:
// URL + "/bot%s/%s".
func (s *Server) APIEndpoint() string { return s.URL + "/bot%s/%s" }

// FileEndpoint is URL + "/file/bot%s/%s".
func (s *Server) FileEndpoint() string { return s.URL + "/file/bot%s/%s" }

// notifyLocked wakes everyone waiting for a change. s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// ---- pushing updates ----

// PushText pushes a text message from a user and returns its message_id.
// Commands ("/ask@qabot_test_bot …") and @mentions get their entities.
func (s *Server) PushText(chat Chat, from User, text string) int {
	return s.Push(Message{Chat: chat, From: from, Text: text})
}

// PushReply pushes a text message replying to message replyTo (one of the
// bot's, say) and returns its message_id.
func (s *Server) PushReply(chat Chat, from User, text string, replyTo int) int {
	return s.Push(Message{Chat: chat, From: from, Text: text, ReplyTo: replyTo})
}

// PushDocument pushes a message with a file attached (caption may be
// empty) and returns its message_id. The file is served by getFile and the
// file endpoint.
func (s *Server) PushDocument(chat Chat, from User, name string, data []byte, caption string) int {
	return s.Push(Message{Chat: chat, From: from, Text: caption, Document: &Document{FileName: name, Data: data}})
}

// Push pushes a message and returns its message_id.
func (s *Server) Push(m Message) int {
	s.mu.Lock()
	id := s.nextMsg
	s.nextMsg++
	if m.Chat.Type == "" {
		m.Chat.Type = "private"
	}
	s.chats[m.Chat.ID] = m.Chat
	s.senders[msgKey{m.Chat.ID, id}] = m.From
	msg := map[string]any{
		"message_id": id,
		"from":       m.From,
		"chat":       m.Chat,
		"date":       time.Now().Unix(),
	}
	ents := m.Entities
	if ents == nil {
		ents = DetectEntities(m.Text)
	}
	if m.Document != nil {
		fileID := fmt.Sprintf("doc-%d", id)
		path := fmt.Sprintf("documents/file_%d_%s", id, sanitizeName(m.Document.FileName))
		s.addFileLocked(fileID, path, m.Document.Data)
		mt := m.Document.MimeType
		if mt == "" {
			mt = "text/plain"
		}
		msg["document"] = map[string]any{
			"file_id": fileID, "file_unique_id": "u" + fileID,
			"file_name": m.Document.FileName, "mime_type": mt, "file_size": len(m.Document.Data),
		}
		if m.Text != "" {
			msg["caption"] = m.Text
			if len(ents) > 0 {
				msg["caption_entities"] = ents
			}
		}
	} else {
		msg["text"] = m.Text
		if len(ents) > 0 {
			msg["entities"] = ents
		}
	}
	if m.ReplyTo != 0 {
		sender, ok := s.senders[msgKey{m.Chat.ID, m.ReplyTo}]
		if !ok {
			sender = User{ID: 1, FirstName: "someone"}
		}
		msg["reply_to_message"] = map[string]any{
			"message_id": m.ReplyTo, "from": sender, "chat": m.Chat, "date": time.Now().Unix(), "text": "…",
		}
	}
	s.mu.Unlock()
	s.PushUpdate(map[string]any{"message": msg})
	return id
}

// PushCallback pushes a press on a button with callback data under the
// bot's message messageID and returns the callback query's id.
func (s *Server) PushCallback(chat Chat, from User, messageID int, data string) string {
	s.mu.Lock()
	if chat.Type == "" {
		chat.Type = "private"
	}
	s.chats[chat.ID] = chat
	qid := fmt.Sprintf("cbq-%d", s.nextUpdate)
	s.mu.Unlock()
	s.PushUpdate(map[string]any{"callback_query": map[string]any{
		"id":            qid,
		"from":          from,
		"chat_instance": fmt.Sprint(chat.ID),
		"data":          data,
		"message": map[string]any{
			"message_id": messageID, "from": s.Bot, "chat": chat, "date": time.Now().Unix(), "text": "…",
		},
	}})
	return qid
}

// PushUpdate pushes any update: a value that marshals to a JSON object
// (or a json.RawMessage / []byte holding one). The update_id is assigned
// by the server and returned.
func (s *Server) PushUpdate(update any) int {
	var raw []byte
	switch u := update.(type) {
	case json.RawMessage:
		raw = u
	case []byte:
		raw = u
	default:
		b, err := json.Marshal(u)
		if err != nil {
			s.t.Errorf("telegramtest: PushUpdate: %v", err)
			return 0
		}
		raw = b
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) < 2 || raw[0] != '{' {
		s.t.Errorf("telegramtest: PushUpdate: not a JSON object: %q", raw)
		return 0
	}
	s.mu.Lock()
	id := s.nextUpdate
	s.nextUpdate++
	body := []byte(`{"update_id":` + strconv.Itoa(id))
	if inner := bytes.TrimSpace(raw[1:]); len(inner) > 0 && inner[0] != '}' {
		body = append(body, ',')
	}
	body = append(body, raw[1:]...)
	hook, secret := s.hookURL, s.hookSecret
	if hook == "" {
		s.queue = append(s.queue, pending{id: id, raw: body})
		s.notifyLocked()
	}
	s.mu.Unlock()
	if hook != "" {
		s.deliver(hook, secret, body)
	}
	return id
}

// deliver posts one update to the webhook, as Telegram does.
func (s *Server) deliver(hook, secret string, body []byte) {
	s.hookMu.Lock()
	defer s.hookMu.Unlock()
	req, err := http.NewRequest(http.MethodPost, hook, bytes.NewReader(body))
	if err != nil {
		s.t.Errorf("telegramtest: webhook: %v", err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	status := 0
	resp, err := s.hookCli.Do(req)
	if err != nil {
		s.t.Logf("telegramtest: webhook delivery failed: %v", err)
	} else {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		status = resp.StatusCode
	}
	s.mu.Lock()
	s.hookStatus = append(s.hookStatus, status)
	s.notifyLocked()
	s.mu.Unlock()
}

// WebhookDeliveries returns the HTTP status of every webhook delivery so
// far (0 for a delivery that failed to connect).
func (s *Server) WebhookDeliveries() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.hookStatus)
}

// Webhook returns the webhook URL and secret_token set with setWebhook
// ("" when none).
func (s *Server) Webhook() (url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hookURL, s.hookSecret
}

// Commands returns the command menu set for a language_code ("" for the
// default one).
func (s *Server) Commands(lang string) []Command {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.commands[lang])
}

// Pending returns how many pushed updates getUpdates has not yet
// confirmed (an update is confirmed by a later getUpdates offset).
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

// AddFile registers a file for getFile and the file endpoint.
func (s *Server) AddFile(fileID, path string, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addFileLocked(fileID, path, data)
}

func (s *Server) addFileLocked(fileID, path string, data []byte) {
	s.files[fileID] = storedFile{id: fileID, path: path, size: len(data)}
	s.paths[path] = slices.Clone(data)
}

// FailNext makes the next n calls to method fail with the given error
// code and description; retryAfter > 0 adds parameters.retry_after.
func (s *Server) FailNext(method string, n, code int, description string, retryAfter int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.failures[method] = append(s.failures[method], failure{code: code, desc: description, retryAfter: retryAfter})
	}
}

// RateLimitNext makes the next n sendMessage calls fail with 429 Too Many
// Requests and retry_after seconds.
func (s *Server) RateLimitNext(n, retryAfter int) {
	s.FailNext("sendMessage", n, http.StatusTooManyRequests,
		fmt.Sprintf("Too Many Requests: retry after %d", retryAfter), retryAfter)
}

// ---- looking at calls ----

// Calls returns the calls so far to the given methods (all calls when
// none are given), in order.
func (s *Server) Calls(methods ...string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if len(methods) == 0 || slices.Contains(methods, c.Method) {
			out = append(out, c)
		}
	}
	return out
}

// Count returns how many calls to method were answered ok.
func (s *Server) Count(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[method]
}

// WaitCount waits until at least n calls to method were answered ok; it
// reports false after timeout. It copies nothing, for benchmarks.
func (s *Server) WaitCount(method string, n int, timeout time.Duration) bool {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		got, ch := s.counts[method], s.changed
		s.mu.Unlock()
		if got >= n {
			return true
		}
		select {
		case <-ch:
		case <-timer.C:
			return false
		case <-s.closed:
			return false
		}
	}
}

// WaitCalls waits until at least n calls to method were answered ok and
// returns those calls; after timeout it fails the test (t.Fatalf: call it
// from the test's goroutine).
func (s *Server) WaitCalls(t testing.TB, method string, n int, timeout time.Duration) []Call {
	t.Helper()
	if !s.WaitCount(method, n, timeout) {
		t.Fatalf("telegramtest: waited %v for %d %s calls; got %d (all calls: %s)",
			timeout, n, method, s.Count(method), s.summary())
	}
	var out []Call
	for _, c := range s.Calls(method) {
		if c.ErrorCode == 0 {
			out = append(out, c)
		}
	}
	return out
}

// Wait waits until cond holds for the calls so far, or ctx is done; it
// reports whether cond held.
func (s *Server) Wait(ctx context.Context, cond func(calls []Call) bool) bool {
	for {
		s.mu.Lock()
		calls, ch := slices.Clone(s.calls), s.changed
		s.mu.Unlock()
		if cond(calls) {
			return true
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return false
		case <-s.closed:
			return false
		}
	}
}

func (s *Server) summary() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	for _, c := range s.calls {
		fmt.Fprintf(&b, "%s", c.Method)
		if c.ErrorCode != 0 {
			fmt.Fprintf(&b, "(%d)", c.ErrorCode)
		}
		b.WriteString(" ")
	}
	return b.String()
}

// ---- serving ----

type apiError struct {
	code       int
	desc       string
	retryAfter int
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if rest, ok := strings.CutPrefix(r.URL.Path, "/file/bot"); ok {
		s.serveFile(w, r, rest)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	if !ok {
		writeError(w, apiError{code: 404, desc: "Not Found"})
		return
	}
	token, method, ok := strings.Cut(rest, "/")
	if !ok || token != s.Token {
		writeError(w, apiError{code: 401, desc: "Unauthorized"})
		return
	}
	params, err := readParams(r)
	if err != nil {
		writeError(w, apiError{code: 400, desc: "Bad Request: " + err.Error()})
		return
	}
	call := Call{Method: method, Params: params, Time: time.Now()}

	s.mu.Lock()
	if fs := s.failures[method]; len(fs) > 0 {
		f := fs[0]
		s.failures[method] = fs[1:]
		call.ErrorCode = f.code
		s.calls = append(s.calls, call)
		s.notifyLocked()
		s.mu.Unlock()
		writeError(w, apiError(f))
		return
	}
	s.mu.Unlock()

	var result any
	var aerr *apiError
	if method == "getUpdates" {
		result, aerr = s.getUpdates(r, params)
	} else {
		s.mu.Lock()
		result, aerr = s.handleLocked(method, params)
		s.mu.Unlock()
	}

	s.mu.Lock()
	if aerr != nil {
		call.ErrorCode = aerr.code
	} else {
		s.counts[method]++
		if m, ok := result.(map[string]any); ok {
			call.MessageID, _ = m["message_id"].(int)
		}
	}
	s.calls = append(s.calls, call)
	s.notifyLocked()
	s.mu.Unlock()

	if aerr != nil {
		writeError(w, *aerr)
		return
	}
	writeResult(w, result)
}

func (s *Server) handleLocked(method string, p map[string]string) (any, *apiError) {
	switch method {
	case "getMe":
		return map[string]any{
			"id": s.Bot.ID, "is_bot": true, "first_name": s.Bot.FirstName, "username": s.Bot.UserName,
			"can_join_groups": true, "can_read_all_group_messages": s.CanReadAllGroupMessages,
			"supports_inline_queries": false,
		}, nil
	case "setMyCommands":
		var cmds []Command
		if err := json.Unmarshal([]byte(p["commands"]), &cmds); err != nil {
			return nil, badRequest("can't parse commands JSON object")
		}
		for _, c := range cmds {
			if !validCommand(c.Command) {
				return nil, badRequest("BOT_COMMAND_INVALID")
			}
			if n := len([]rune(c.Description)); n < 1 || n > 256 {
				return nil, badRequest("BOT_COMMAND_DESCRIPTION_INVALID")
			}
		}
		s.commands[p["language_code"]] = cmds
		return true, nil
	case "getMyCommands":
		cmds := s.commands[p["language_code"]]
		if cmds == nil {
			cmds = []Command{}
		}
		return cmds, nil
	case "deleteWebhook":
		s.hookURL, s.hookSecret = "", ""
		if p["drop_pending_updates"] == "true" {
			s.queue = nil
		}
		return true, nil
	case "setWebhook":
		u := p["url"]
		if u == "" {
			s.hookURL, s.hookSecret = "", ""
			return true, nil
		}
		if !strings.HasPrefix(u, "http://127.0.0.1:") && !strings.HasPrefix(u, "https://127.0.0.1:") {
			return nil, badRequest("bad webhook: the fake server only delivers to 127.0.0.1")
		}
		if sec := p["secret_token"]; sec != "" && !validSecret(sec) {
			return nil, badRequest("secret token contains unallowed characters")
		}
		s.hookURL, s.hookSecret = u, p["secret_token"]
		return true, nil
	case "getWebhookInfo":
		return map[string]any{"url": s.hookURL, "has_custom_certificate": false, "pending_update_count": len(s.queue)}, nil
	case "sendMessage":
		return s.sendMessageLocked(p)
	case "editMessageText":
		return s.editMessageLocked(p)
	case "sendChatAction":
		if p["chat_id"] == "" || p["action"] == "" {
			return nil, badRequest("chat_id and action are required")
		}
		return true, nil
	case "answerCallbackQuery":
		if p["callback_query_id"] == "" {
			return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
		}
		if len(utf16.Encode([]rune(p["text"]))) > 200 {
			return nil, badRequest("MESSAGE_TOO_LONG")
		}
		return true, nil
	case "getFile":
		f, ok := s.files[p["file_id"]]
		if !ok {
			return nil, badRequest("invalid file_id")
		}
		return map[string]any{"file_id": f.id, "file_unique_id": "u" + f.id, "file_size": f.size, "file_path": f.path}, nil
	}
	return nil, &apiError{code: 404, desc: "Not Found: method not found"}
}

func (s *Server) sendMessageLocked(p map[string]string) (any, *apiError) {
	chatID, err := strconv.ParseInt(p["chat_id"], 10, 64)
	if err != nil {
		return nil, badRequest("chat not found")
	}
	text, aerr := checkText(p)
	if aerr != nil {
		return nil, aerr
	}
	if aerr := checkMarkup(p["reply_markup"]); aerr != nil {
		return nil, aerr
	}
	chat, ok := s.chats[chatID]
	if !ok {
		chat = Chat{ID: chatID, Type: "private"}
		if chatID < 0 {
			chat.Type = "supergroup"
		}
	}
	msg := map[string]any{"from": s.Bot, "chat": chat, "date": time.Now().Unix(), "text": text}
	if rt := p["reply_to_message_id"]; rt != "" {
		id, _ := strconv.Atoi(rt)
		sender, ok := s.senders[msgKey{chatID, id}]
		switch {
		case ok:
			msg["reply_to_message"] = map[string]any{"message_id": id, "from": sender, "chat": chat, "date": time.Now().Unix()}
		case p["allow_sending_without_reply"] != "true":
			return nil, badRequest("message to be replied not found")
		}
	}
	id := s.nextMsg
	s.nextMsg++
	s.senders[msgKey{chatID, id}] = s.Bot
	msg["message_id"] = id
	return msg, nil
}

func (s *Server) editMessageLocked(p map[string]string) (any, *apiError) {
	text, aerr := checkText(p)
	if aerr != nil {
		return nil, aerr
	}
	if aerr := checkMarkup(p["reply_markup"]); aerr != nil {
		return nil, aerr
	}
	if p["inline_message_id"] != "" {
		return true, nil
	}
	chatID, _ := strconv.ParseInt(p["chat_id"], 10, 64)
	id, _ := strconv.Atoi(p["message_id"])
	if sender, ok := s.senders[msgKey{chatID, id}]; !ok || sender.ID != s.Bot.ID {
		return nil, badRequest("message to edit not found")
	}
	chat := s.chats[chatID]
	if chat.ID == 0 {
		chat = Chat{ID: chatID, Type: "private"}
	}
	return map[string]any{"message_id": id, "from": s.Bot, "chat": chat, "date": time.Now().Unix(),
		"edit_date": time.Now().Unix(), "text": text}, nil
}

// checkText validates a text and parse_mode as Telegram does and returns
// the text as users see it.
func checkText(p map[string]string) (string, *apiError) {
	text := p["text"]
	if strings.TrimSpace(text) == "" {
		return "", badRequest("message text is empty")
	}
	switch p["parse_mode"] {
	case "":
	case "HTML":
		plain, err := ParseHTML(text)
		if err != nil {
			return "", badRequest("can't parse entities: " + err.Error())
		}
		text = plain
	default:
		return "", badRequest("unsupported parse_mode in the fake server: " + p["parse_mode"])
	}
	if strings.TrimSpace(text) == "" {
		return "", badRequest("message text is empty")
	}
	if len(utf16.Encode([]rune(text))) > 4096 {
		return "", badRequest("message is too long")
	}
	return text, nil
}

func checkMarkup(raw string) *apiError {
	if raw == "" {
		return nil
	}
	var mk struct {
		InlineKeyboard [][]struct {
			Text         string  `json:"text"`
			CallbackData *string `json:"callback_data"`
			URL          *string `json:"url"`
		} `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(raw), &mk); err != nil {
		return badRequest("can't parse reply keyboard markup JSON object")
	}
	for _, row := range mk.InlineKeyboard {
		for _, b := range row {
			if b.Text == "" {
				return badRequest("text buttons are unallowed in the inline keyboard")
			}
			if b.CallbackData != nil && (len(*b.CallbackData) == 0 || len(*b.CallbackData) > 64) {
				return badRequest("BUTTON_DATA_INVALID")
			}
			if b.CallbackData == nil && b.URL == nil {
				return badRequest("can't find field \"callback_data\"")
			}
		}
	}
	return nil
}

// getUpdates long-polls: it returns the queued updates with update_id ≥
// offset (forgetting those below it: they are confirmed), at most limit,
// waiting up to timeout seconds for one to arrive.
func (s *Server) getUpdates(r *http.Request, p map[string]string) (any, *apiError) {
	offset, _ := strconv.Atoi(p["offset"])
	limit, _ := strconv.Atoi(p["limit"])
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, _ := strconv.Atoi(p["timeout"])
	deadline := time.NewTimer(time.Duration(timeout) * time.Second)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		if s.hookURL != "" {
			s.mu.Unlock()
			return nil, &apiError{code: 409, desc: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
		}
		if offset > 0 {
			i := 0
			for i < len(s.queue) && s.queue[i].id < offset {
				i++
			}
			if i > 0 {
				s.queue = s.queue[i:]
			}
		}
		var out []json.RawMessage
		for _, u := range s.queue {
			if len(out) == limit {
				break
			}
			out = append(out, u.raw)
		}
		ch := s.changed
		s.mu.Unlock()
		if len(out) > 0 || timeout <= 0 {
			if out == nil {
				out = []json.RawMessage{}
			}
			return out, nil
		}
		select {
		case <-ch:
		case <-deadline.C:
			timeout = 0
		case <-r.Context().Done():
			return []json.RawMessage{}, nil
		case <-s.closed:
			return []json.RawMessage{}, nil
		}
	}
}

func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, rest string) {
	token, path, ok := strings.Cut(rest, "/")
	s.mu.Lock()
	data, found := s.paths[path]
	call := Call{Method: "downloadFile", Params: map[string]string{"file_path": path}, Time: time.Now()}
	if !ok || token != s.Token || !found || r.Method != http.MethodGet {
		call.ErrorCode = 404
	} else {
		s.counts[call.Method]++
	}
	s.calls = append(s.calls, call)
	s.notifyLocked()
	s.mu.Unlock()
	if call.ErrorCode != 0 {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}

// readParams reads the query string and a form, multipart or JSON body.
func readParams(r *http.Request) (map[string]string, error) {
	out := map[string]string{}
	for k, v := range r.URL.Query() {
		out[k] = v[0]
	}
	if r.Method != http.MethodPost {
		return out, nil
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		var m map[string]json.RawMessage
		if err := json.NewDecoder(io.LimitReader(r.Body, 10<<20)).Decode(&m); err != nil && err != io.EOF {
			return nil, err
		}
		for k, v := range m {
			var str string
			if json.Unmarshal(v, &str) == nil {
				out[k] = str
			} else {
				out[k] = string(v)
			}
		}
	case "multipart/form-data":
		if err := r.ParseMultipartForm(10 << 20); err != nil {
			return nil, err
		}
		for k, v := range r.MultipartForm.Value {
			out[k] = v[0]
		}
	default:
		if err := r.ParseForm(); err != nil {
			return nil, err
		}
		for k, v := range r.PostForm {
			out[k] = v[0]
		}
	}
	return out, nil
}

func writeResult(w http.ResponseWriter, result any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
}

func writeError(w http.ResponseWriter, e apiError) {
	body := map[string]any{"ok": false, "error_code": e.code, "description": e.desc}
	if e.retryAfter > 0 {
		body["parameters"] = map[string]any{"retry_after": e.retryAfter}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.code)
	json.NewEncoder(w).Encode(body)
}

func badRequest(desc string) *apiError {
	return &apiError{code: 400, desc: "Bad Request: " + desc}
}

func validCommand(c string) bool {
	if len(c) == 0 || len(c) > 32 {
		return false
	}
	for _, r := range c {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

func validSecret(s string) bool {
	if len(s) > 256 {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func sanitizeName(n string) string {
	var b strings.Builder
	for _, r := range n {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}
