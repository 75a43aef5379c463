package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/qabot/qabot/index"
	"github.com/qabot/qabot/qa"
	"github.com/qabot/qabot/qa/service"
)

func (m *Main) runEval(ctx context.Context, args []string) error {
	fs := m.newFlagSet("eval")
	var c contentFlags
	c.register(fs)
	set := fs.String("set", "", "question set `FILE` (JSON lines: question, answer[, doc, paragraph])")
	xquad := fs.String("xquad", "", "XQuAD `FILE`: its paragraphs become the articles, its questions the set")
	contexts := fs.String("contexts", "", "XQuAD `FILE` whose paragraphs are the articles (e.g. Arabic contexts for English questions)")
	misses := fs.Int("misses", 0, "print up to `N` misses")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	minConf := fs.Float64("min-confidence", 0, "abstention threshold (default: the engine's)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if (*set == "") == (*xquad == "") {
		fmt.Fprintln(m.Stderr, "qabot eval: give exactly one of --set or --xquad")
		return errUsage
	}
	log := m.logger(levelFor(c.verbose))
	lex := loadLexicon(c.noDict, nil, log)
	opts := qa.DefaultOptions
	if *minConf > 0 {
		opts.MinConfidence, opts.MinConfidenceEnglish, opts.MinConfidenceLexicon = *minConf, *minConf, *minConf
	}

	var (
		arts []*index.Article
		qs   []qa.EvalQuestion
		err  error
	)
	if *xquad != "" {
		if arts, qs, err = qa.ReadXQuAD(*xquad, *contexts); err != nil {
			return err
		}
	} else if qs, err = qa.ReadQuestionFile(*set); err != nil {
		return err
	}
	start := time.Now()
	svc, err := service.New(ctx, service.Config{ContentDir: c.content, Articles: arts, Lexicon: lex, Options: opts, Logger: log})
	if err != nil {
		return err
	}
	build := time.Since(start)
	e := svc.Engine()
	ix := e.Index()
	arts = ix.Articles
	rep := qa.Evaluate(ctx, e, qs)
	if *asJSON {
		if *misses == 0 {
			rep.Misses = nil
		}
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(rep)
	}
	fmt.Fprintf(m.Stdout, "articles %d, sentences %d, index built in %s\n", len(arts), len(ix.Sents), build.Round(time.Millisecond))
	fmt.Fprintf(m.Stdout, "questions %d (answerable %d, unanswerable %d)\n", rep.Questions, rep.Answerable, rep.Unanswerable)
	fmt.Fprintf(m.Stdout, "P@1 %.3f  R@5 %.3f  MRR %.3f\n", rep.P1, rep.R5, rep.MRR)
	fmt.Fprintf(m.Stdout, "answered %.3f of answerable (right and answered %.3f)", rep.Answered, rep.AnsweredOK)
	if rep.Unanswerable > 0 {
		fmt.Fprintf(m.Stdout, ", abstained %.3f of unanswerable", rep.Abstained)
	}
	fmt.Fprintln(m.Stdout)
	fmt.Fprintf(m.Stdout, "latency p50 %s  p90 %s  p99 %s\n", rep.LatencyP50, rep.LatencyP90, rep.LatencyP99)
	for i, miss := range rep.Misses {
		if i >= *misses {
			break
		}
		fmt.Fprintf(m.Stdout, "\nMISS rank=%d\n  Q: %s\n  want: %s\n  got:  %s\n", miss.Rank, miss.Question, miss.Want, miss.Got)
	}
	return nil
}
