// Package bot is the platform-neutral core of qabot: the message and reply
// model, the command router, admin checks and rate limits. Platform adapters
// (bot/telegram, bot/discord, bot/console) turn their SDK's events into
// Message values, hand them to a Handler, and render the Replies.
package bot

import (
	"context"
	"strings"
	"time"

	"github.com/qabot/qabot/qa"
)

// ChatKind says whether a chat is a direct message or a group.
type ChatKind int

const (
	Private ChatKind = iota // a direct message with one user
	Group                   // a group, supergroup, channel or guild channel
)

// Message is one incoming event, already decoded by an adapter.
type Message struct {
	Platform  string // "telegram", "discord", "console"
	ChatID    string
	ChatKind  ChatKind
	MessageID string // the platform's id of this message, for threading the reply
	UserID    string // the sender's id as a decimal string / snowflake
	UserName  string

	// Text is what the user wrote, with the bot's own mention and any
	// "/command@bot" prefix removed by the adapter.
	Text string
	// Command is the lowercase command name ("ask", "reload", …) when the
	// adapter recognised one (a Telegram bot_command entity, a Discord slash
	// command); Text then holds its arguments.
	Command string
	// Addressed is true when the message mentions the bot or replies to one
	// of the bot's messages. In a group only commands and addressed messages
	// are answered.
	Addressed bool

	Document *Document // an attached file, if any
	Callback *Callback // a button press, if this event is one
}

// Document is a file attached to a message. Fetch downloads its bytes; the
// router calls it only after the size and admin checks pass.
type Document struct {
	Name  string
	Size  int64
	Fetch func(ctx context.Context) ([]byte, error)
}

// Callback is a press on one of the bot's buttons. Data is the Button.Data
// the router put there.
type Callback struct {
	ID   string
	Data string
}

// Reply is one message the bot sends back. Adapters render it in their
// platform's format and escape everything in it.
type Reply struct {
	Lang      string  // "ar" or "en": the language of Text and of the labels
	Text      string  // plain text (help, refusal, report, "no answer"); may be empty when Quotes is set
	Quotes    []Quote // quoted sentences with citations, best first
	NoAnswer  bool    // Text explains that nothing was found
	Buttons   []Button
	Ephemeral bool   // only the asker should see it (Discord); others ignore it
	ReplyTo   string // MessageID to thread under; "" for none
	// Toast, when set on a reply to a Callback, is shown as the callback's
	// answer (Telegram answerCallbackQuery text) instead of a new message.
	Toast string
}

// Quote is one quoted passage and where it comes from.
type Quote struct {
	Text        string // the article's text, exactly
	Translation string // the English translation shown under it, if any
	Title       string
	Source      string
	URL         string
	Doc         string
	Paragraph   int
	Sentence    int
	Section     string
	// Unmatched are the asker's words the quote does not hold (see
	// qa.Answer.Unmatched); adapters show them with UnmatchedNote.
	Unmatched []string
}

// UnmatchedNote is the line shown under a quote that leaves out some of
// the question's words, in lang: "Not in this quote: founded". It is ""
// when nothing is missing. The words are the asker's text: adapters escape
// the note like any other text. Each word is cut to 40 characters.
func UnmatchedNote(lang string, words []string) string {
	label, list := UnmatchedParts(lang, words)
	if list == "" {
		return ""
	}
	return label + ": " + list
}

// UnmatchedParts are UnmatchedNote's label and word list, for an adapter
// that shows them apart (a Discord embed field); list is "" when nothing
// is missing.
func UnmatchedParts(lang string, words []string) (label, list string) {
	var ws []string
	for _, w := range words {
		w = strings.TrimSpace(w)
		if r := []rune(w); len(r) > 40 {
			w = string(r[:40]) + "…"
		}
		if w != "" {
			ws = append(ws, w)
		}
	}
	if lang == "ar" {
		return "لا يرد في هذا الاقتباس", strings.Join(ws, "، ")
	}
	return "Not in this quote", strings.Join(ws, ", ")
}

// Button is an inline button under a reply. Data is at most 64 bytes
// (Telegram's callback_data limit; Discord allows 100).
type Button struct {
	Label string
	Data  string
}

// Handler handles one incoming Message and returns the replies to send, in
// order. It never panics and never blocks for long on one chat.
type Handler interface {
	Handle(ctx context.Context, m Message) []Reply
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, m Message) []Reply

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, m Message) []Reply { return f(ctx, m) }

// Adapter connects one platform to a Handler. Run blocks until ctx is done
// or the adapter fails for good, and returns after its goroutines stopped.
type Adapter interface {
	Name() string
	Run(ctx context.Context, h Handler) error
}

// Connector is an optional Adapter extra: whether it is connected right now
// (polling, or identified on the gateway).
type Connector interface {
	Connected() bool
}

// Backend is what the router needs from the answering side. cmd/qabot wires
// it to the qa engine, the content directory and the store.
type Backend interface {
	// Ask answers one question; top is the number of answers wanted.
	Ask(ctx context.Context, question string, top int) qa.Result
	// Sources lists the loaded articles.
	Sources() []Source
	// Reload re-reads the content and swaps the new index in; on error the
	// old index keeps serving.
	Reload(ctx context.Context) (ReloadReport, error)
	// AddArticle checks a new content file, saves it under name in the
	// content directory (never overwriting an existing file) and reloads.
	AddArticle(ctx context.Context, name string, data []byte) (ReloadReport, error)
	// Stats reports usage for admins, in the asker's language.
	Stats(ctx context.Context, lang string) string
}

// Source is one loaded article.
type Source struct {
	Doc       string
	Title     string
	URL       string
	Sentences int
}

// ReloadReport says what a reload changed.
type ReloadReport struct {
	Embedded  bool // the content is the embedded seed articles
	Added     []string
	Removed   []string
	Changed   []string
	Articles  int
	Sentences int
	Took      time.Duration
	Failed    []string // "path:line: reason" for files that did not load
}
