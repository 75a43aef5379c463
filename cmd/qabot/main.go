// Command qabot answers questions about Arabic news articles by quoting them,
// in a console, on Telegram and on Discord.
//
//	qabot chat  [--content DIR]                      console chat
//	qabot ask   [--json] [--top N] [--content DIR] QUESTION… | -
//	qabot eval  (--set FILE [--content DIR] | --xquad FILE [--contexts FILE])
//	qabot serve --config FILE                        Telegram and Discord
//	qabot index build --config FILE                  build the index snapshot
//	qabot index status --config FILE                 is the snapshot current?
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	m := NewMain()
	m.Signals = sigs
	if err := m.Run(context.Background(), os.Args[1:]); err != nil {
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "qabot:", err)
		os.Exit(1)
	}
}

// Main is the program, with its standard streams as fields so a test can
// run it.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Signals, when set, delivers the process's signals. `serve` reloads
	// on SIGHUP and shuts down gracefully on any other (SIGINT, SIGTERM);
	// a second one exits at once through Exit. Other subcommands stop
	// (their context is cancelled) on the first and exit on the second.
	Signals <-chan os.Signal
	// Exit ends the process (default os.Exit).
	Exit func(code int)
}

// NewMain returns a Main on the process's streams.
func NewMain() *Main {
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Exit: os.Exit}
}

func (m *Main) exit(code int) {
	if m.Exit != nil {
		m.Exit(code)
		return
	}
	os.Exit(code)
}

// cancelOnSignal returns a context cancelled by the first signal on
// m.Signals; a second one exits at once. stop ends the watching.
func (m *Main) cancelOnSignal(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	if m.Signals == nil {
		return ctx, cancel
	}
	done := make(chan struct{})
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		first := true
		for {
			select {
			case <-done:
				return
			case <-m.Signals:
				if first {
					first = false
					cancel()
					continue
				}
				m.exit(1)
			}
		}
	}()
	return ctx, func() {
		cancel()
		close(done)
		<-exited
	}
}

var errUsage = errors.New("usage")

const usage = `qabot answers questions about Arabic news articles by quoting them.

Usage:
  qabot chat  [--content DIR]                        chat in the console (no tokens needed)
  qabot ask   [--json] [--top N] [--content DIR] QUESTION…
  qabot ask   --json [--content DIR] -               one question per line on stdin, JSON lines out
  qabot eval  --set FILE [--content DIR]             a question set with known answers (JSON lines)
  qabot eval  --xquad FILE [--contexts FILE]         an XQuAD file; paragraphs become the articles
  qabot serve --config FILE                          run on Telegram and Discord
  qabot index build --config FILE                    build the index snapshot of [index] dir
  qabot index status --config FILE                   say whether the snapshot matches the content

Flags common to ask, chat and eval:
  --content DIR   articles to serve instead of the embedded ones
  --no-dict       do not load the installed dictd dictionaries
`

// Run runs one subcommand.
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, usage)
		return errUsage
	}
	if args[0] != "serve" {
		var stop context.CancelFunc
		ctx, stop = m.cancelOnSignal(ctx)
		defer stop()
	}
	switch args[0] {
	case "ask":
		return m.runAsk(ctx, args[1:])
	case "chat":
		return m.runChat(ctx, args[1:])
	case "eval":
		return m.runEval(ctx, args[1:])
	case "serve":
		return m.runServe(ctx, args[1:])
	case "index":
		return m.runIndex(ctx, args[1:])
	case "help", "-h", "--help":
		fmt.Fprint(m.Stdout, usage)
		return nil
	}
	fmt.Fprintf(m.Stderr, "qabot: unknown command %q\n\n%s", args[0], usage)
	return errUsage
}

func (m *Main) logger(level slog.Level) *slog.Logger {
	return slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: level}))
}
