package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/qabot/qabot/bot"
	"github.com/qabot/qabot/qa"
	"github.com/qabot/qabot/qa/lexicon"
	"github.com/qabot/qabot/qa/service"
)

// contentFlags are the flags every local subcommand shares.
type contentFlags struct {
	content string
	noDict  bool
	verbose bool
}

func (c *contentFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.content, "content", "", "content `DIR` (default: the embedded articles)")
	fs.BoolVar(&c.noDict, "no-dict", false, "do not load installed dictd dictionaries")
	fs.BoolVar(&c.verbose, "v", false, "log what is loaded")
}

func (m *Main) newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	return fs
}

// loadLexicon loads the glossary and, unless told not to, the installed
// dictd dictionaries, and logs which.
func loadLexicon(noDict bool, pairs [][2]string, log *slog.Logger) *lexicon.Lexicon {
	if noDict {
		pairs = nil
	} else if len(pairs) == 0 {
		pairs = lexicon.DefaultDictdPairs()
	}
	lex, rep := lexicon.Load(pairs)
	log.Info("lexicons: " + rep.String())
	return lex
}

func (m *Main) openService(ctx context.Context, c contentFlags) (*service.Service, error) {
	log := m.logger(levelFor(c.verbose))
	lex := loadLexicon(c.noDict, nil, log)
	return service.New(ctx, service.Config{ContentDir: c.content, Lexicon: lex, Logger: log})
}

func (m *Main) runAsk(ctx context.Context, args []string) error {
	fs := m.newFlagSet("ask")
	var c contentFlags
	c.register(fs)
	asJSON := fs.Bool("json", false, "one JSON object per answer (DESIGN.md shape)")
	top := fs.Int("top", 1, "number of answers")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(m.Stderr, "qabot ask: give a question, or - to read questions from stdin")
		return errUsage
	}
	svc, err := m.openService(ctx, c)
	if err != nil {
		return err
	}
	out := bufio.NewWriter(m.Stdout)
	defer out.Flush()
	answer := func(q string) error {
		res := svc.Ask(ctx, q, *top)
		if *asJSON {
			b, err := json.Marshal(res)
			if err != nil {
				return err
			}
			out.Write(b)
			out.WriteByte('\n')
			return nil
		}
		writeText(out, res)
		return nil
	}
	if fs.NArg() == 1 && fs.Arg(0) == "-" {
		sc := bufio.NewScanner(m.Stdin)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			q := strings.TrimSpace(sc.Text())
			if q == "" {
				continue
			}
			if err := answer(q); err != nil {
				return err
			}
			if *asJSON {
				out.Flush()
			}
		}
		return sc.Err()
	}
	return answer(strings.Join(fs.Args(), " "))
}

// writeText prints a result for a person reading a terminal.
func writeText(w io.Writer, res qa.Result) {
	if !res.Answered {
		if res.Lang == "en" {
			fmt.Fprintln(w, "No answer found in the articles.")
		} else {
			fmt.Fprintln(w, "لم أجد إجابة في المقالات.")
		}
		for _, d := range res.Closest {
			fmt.Fprintf(w, "  ~ %s (%s)\n", d.Title, d.Doc)
		}
		return
	}
	for i, a := range res.Answers {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "«%s»\n", a.Quote)
		cite := fmt.Sprintf("— %s", a.Title)
		if a.Source != "" {
			cite += " — " + a.Source
		}
		cite += fmt.Sprintf(" — ¶%d", a.Paragraph)
		if a.URL != "" {
			cite += " — " + a.URL
		}
		fmt.Fprintln(w, cite)
		if note := bot.UnmatchedNote(res.Lang, a.Unmatched); note != "" {
			fmt.Fprintf(w, "  (%s)\n", note)
		}
		if a.Translation != "" && res.Lang == "en" {
			fmt.Fprintf(w, "  (%s)\n", a.Translation)
		}
	}
}

func levelFor(verbose bool) slog.Level {
	if verbose {
		return slog.LevelInfo
	}
	return slog.LevelWarn
}
