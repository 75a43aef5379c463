// Command qabot answers questions about Arabic news articles by quoting them,
// in a console, on Telegram and on Discord.
//
//	qabot chat  [--content DIR]                      console chat
//	qabot ask   [--json] [--top N] [--content DIR] QUESTION… | -
//	qabot eval  (--set FILE [--content DIR] | --xquad FILE [--contexts FILE])
//	qabot serve --config FILE                        Telegram and Discord
//	qabot index build --config FILE                  build the index snapshot
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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain()
	if err := m.Run(ctx, os.Args[1:]); err != nil {
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "qabot:", err)
		os.Exit(1)
	}
}

// Main is the program, with its standard streams and environment as fields
// so a test can run it.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Signals, when set, receives SIGHUP-style reload requests (serve).
	Signals <-chan os.Signal
}

// NewMain returns a Main on the process's streams.
func NewMain() *Main {
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
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
