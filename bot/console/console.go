// Package console is qabot's stdin/stdout adapter: each input line is a
// direct message from the local user, and replies are printed as plain text.
// `qabot chat` uses it, and tests use it as a harness for the router.
package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/qabot/qabot/bot"
)

// Platform is the Message.Platform of console messages.
const Platform = "console"

// Options configures an Adapter. The zero value prints a banner and the
// prompt "> ", and speaks as user and chat "console".
type Options struct {
	// Prompt is printed before each line is read (default "> ").
	Prompt string
	// Quiet leaves out the banner and the prompt (for tests and pipes).
	Quiet bool
	// UserID and ChatID of the messages (default "console"); the wiring
	// makes this user an admin.
	UserID string
	ChatID string
	// UserName of the messages (default "console").
	UserName string
}

// Adapter reads questions and commands from a reader and writes replies to
// a writer. It implements bot.Adapter.
type Adapter struct {
	in   io.Reader
	out  io.Writer
	opts Options

	n       int          // messages sent so far, for message ids
	buttons []bot.Button // the buttons of the last reply that had any
}

// New returns a console Adapter reading lines from in and writing to out.
func New(in io.Reader, out io.Writer, opts Options) *Adapter {
	if opts.Prompt == "" {
		opts.Prompt = "> "
	}
	if opts.UserID == "" {
		opts.UserID = "console"
	}
	if opts.ChatID == "" {
		opts.ChatID = "console"
	}
	if opts.UserName == "" {
		opts.UserName = "console"
	}
	return &Adapter{in: in, out: out, opts: opts}
}

// Name implements bot.Adapter.
func (a *Adapter) Name() string { return Platform }

const banner = `qabot — ask a question about the articles, in Arabic or English.
اطرح سؤالًا عن المقالات بالعربية أو بالإنجليزية.
Commands: /help /sources /reload /stats /more /up /down /quit — Ctrl-D to leave.`

// Run reads lines until EOF, /quit or ctx is done, hands each to h and
// prints the replies. It returns nil at EOF or when ctx is done, and the
// reader's error otherwise. When ctx ends Run while a Read on in is blocked
// (a terminal), the reading goroutine exits as soon as that Read returns.
func (a *Adapter) Run(ctx context.Context, h bot.Handler) error {
	if !a.opts.Quiet {
		fmt.Fprintln(a.out, banner)
	}
	lines := make(chan string)
	readErr := make(chan error, 1)
	done := make(chan struct{})
	defer close(done)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(a.in)
		sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-done:
				return
			}
		}
		readErr <- sc.Err()
	}()
	for {
		if !a.opts.Quiet {
			fmt.Fprint(a.out, a.opts.Prompt)
		}
		select {
		case <-ctx.Done():
			return nil
		case line, ok := <-lines:
			if !ok {
				if !a.opts.Quiet {
					fmt.Fprintln(a.out)
				}
				return <-readErr
			}
			if !a.line(ctx, h, line) {
				return nil
			}
		}
	}
}

// line handles one input line; it returns false to stop.
func (a *Adapter) line(ctx context.Context, h bot.Handler, line string) bool {
	line = strings.TrimSpace(line)
	if line == "" {
		return true
	}
	a.n++
	m := bot.Message{
		Platform: Platform, ChatID: a.opts.ChatID, ChatKind: bot.Private,
		MessageID: strconv.Itoa(a.n), UserID: a.opts.UserID, UserName: a.opts.UserName,
		Text: line,
	}
	if cmd, args, ok := bot.ParseCommand(line, ""); ok {
		switch cmd {
		case "quit", "exit":
			return false
		case "more", "up", "down":
			b, ok := a.button(cmd)
			switch {
			case !ok && len(a.buttons) > 0 && cmd == "more":
				fmt.Fprintln(a.out, "(no more answers)")
				return true
			case !ok:
				fmt.Fprintln(a.out, "(nothing to press: ask a question first)")
				return true
			}
			m.Text = ""
			m.Callback = &bot.Callback{ID: m.MessageID, Data: b.Data}
		default:
			m.Command, m.Text = cmd, args
		}
	}
	for _, r := range h.Handle(ctx, m) {
		a.print(r)
	}
	return true
}

// button finds the last reply's button for /more, /up or /down.
func (a *Adapter) button(cmd string) (bot.Button, bool) {
	for _, b := range a.buttons {
		switch {
		case cmd == "more" && strings.HasPrefix(b.Data, "m:"),
			cmd == "up" && strings.HasPrefix(b.Data, "v:") && strings.HasSuffix(b.Data, ":+"),
			cmd == "down" && strings.HasPrefix(b.Data, "v:") && strings.HasSuffix(b.Data, ":-"):
			return b, true
		}
	}
	return bot.Button{}, false
}

// labels are the few words the console adds around replies.
type labels struct{ paragraph, more, rate, translation string }

var words = map[string]labels{
	"en": {"paragraph", "/more: more answers", "/up 👍 · /down 👎", "Translation"},
	"ar": {"الفقرة", "/more: إجابات أخرى", "/up 👍 · /down 👎", "الترجمة"},
}

// print renders one reply as plain text.
func (a *Adapter) print(r bot.Reply) {
	w := a.out
	l, ok := words[r.Lang]
	if !ok {
		l = words["en"]
	}
	if r.Toast != "" {
		fmt.Fprintf(w, "(%s)\n", r.Toast)
	}
	if r.Text != "" {
		fmt.Fprintln(w, r.Text)
	}
	for i, q := range r.Quotes {
		if i > 0 || r.Text != "" {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "«%s»\n", q.Text)
		fmt.Fprintln(w, "  — "+Citation(q, l.paragraph))
		if note := bot.UnmatchedNote(r.Lang, q.Unmatched); note != "" {
			fmt.Fprintf(w, "  (%s)\n", note)
		}
		if q.Translation != "" {
			fmt.Fprintf(w, "  %s: %s\n", l.translation, q.Translation)
		}
	}
	if len(r.Buttons) > 0 {
		a.buttons = r.Buttons
		var hints []string
		if _, ok := a.button("more"); ok {
			hints = append(hints, l.more)
		}
		if _, ok := a.button("up"); ok {
			hints = append(hints, l.rate)
		}
		if len(hints) > 0 {
			fmt.Fprintf(w, "[%s]\n", strings.Join(hints, " · "))
		}
	}
}

// Citation returns "title › section — source — paragraph N — URL", leaving
// out the parts a quote does not have; paragraph is the word for "paragraph".
func Citation(q bot.Quote, paragraph string) string {
	var parts []string
	title := q.Title
	if title == "" {
		title = q.Doc
	}
	if q.Section != "" && q.Section != title {
		title += " › " + q.Section
	}
	for _, s := range []string{title, q.Source} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if q.Paragraph > 0 {
		parts = append(parts, fmt.Sprintf("%s %d", paragraph, q.Paragraph))
	}
	if q.URL != "" {
		parts = append(parts, q.URL)
	}
	return strings.Join(parts, " — ")
}
