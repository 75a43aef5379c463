package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/qabot/qabot/qa/service"
)

const indexUsage = `Usage:
  qabot index build  --config FILE   build the index of [content] dir into [index] dir (or reuse it when current)
  qabot index status --config FILE   the current generation, whether it matches the content, counts
`

// runIndex runs `qabot index build|status`.
func (m *Main) runIndex(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, indexUsage)
		return errUsage
	}
	sub := args[0]
	if sub == "help" || sub == "-h" || sub == "--help" {
		fmt.Fprint(m.Stdout, indexUsage)
		return nil
	}
	if sub != "build" && sub != "status" {
		fmt.Fprintf(m.Stderr, "qabot index: unknown command %q\n\n%s", sub, indexUsage)
		return errUsage
	}
	fs := m.newFlagSet("index " + sub)
	path := fs.String("config", "", "TOML config `FILE` (see config.example.toml)")
	verbose := fs.Bool("v", false, "log what is done")
	if err := fs.Parse(args[1:]); err != nil {
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(m.Stderr, "qabot index %s: unexpected arguments %q\n\n%s", sub, fs.Args(), indexUsage)
		return errUsage
	}
	cfg, err := LoadConfig(*path)
	if err != nil {
		return err
	}
	if strings.TrimSpace(cfg.Index.Dir) == "" {
		return errors.New("config: index.dir: required")
	}
	level, err := cfg.Log.SlogLevel()
	if err != nil {
		return fmt.Errorf("config: log.level: %w", err)
	}
	if !*verbose {
		level = max(level, slog.LevelWarn)
	}
	scfg := service.Config{ContentDir: cfg.Content.Dir, IndexDir: cfg.Index.Dir, Logger: m.logger(level)}
	if sub == "build" {
		return m.indexBuild(ctx, scfg)
	}
	return m.indexStatus(ctx, scfg)
}

func (m *Main) indexBuild(ctx context.Context, cfg service.Config) error {
	start := time.Now()
	svc, err := service.New(ctx, cfg)
	if err != nil {
		return err
	}
	st := svc.Stats()
	failed := svc.LastFailures()
	if err := svc.Close(); err != nil {
		return err
	}
	action := "reused (the content has not changed)"
	if st.Builds > 0 {
		action = "built"
	}
	w := m.Stdout
	fmt.Fprintf(w, "index:       %s\n", action)
	fmt.Fprintf(w, "generation:  %s\n", st.Generation)
	fmt.Fprintf(w, "content:     %s\n", contentName(cfg.ContentDir))
	fmt.Fprintf(w, "articles:    %d\n", st.Articles)
	fmt.Fprintf(w, "sentences:   %d\n", st.Sentences)
	fmt.Fprintf(w, "failed:      %d files\n", len(failed))
	took := time.Since(start)
	fmt.Fprintf(w, "took:        %s", took.Round(time.Millisecond))
	if st.Builds > 0 && took > 0 {
		fmt.Fprintf(w, " (%.0f sentences/s)", float64(st.Sentences)/took.Seconds())
	}
	fmt.Fprintln(w)
	for _, f := range failed {
		fmt.Fprintf(m.Stderr, "not loaded: %s\n", f.Error())
	}
	return nil
}

func (m *Main) indexStatus(ctx context.Context, cfg service.Config) error {
	st, err := service.Status(ctx, cfg)
	if err != nil {
		return err
	}
	w := m.Stdout
	fmt.Fprintf(w, "index dir:   %s\n", st.Dir)
	if st.Current != "" {
		fmt.Fprintf(w, "current:     %s\n", filepath.Base(st.Current))
	}
	if st.Problem != nil {
		fmt.Fprintf(w, "state:       UNUSABLE: %v\n", st.Problem)
	} else {
		writeMeta(w, st)
	}
	switch {
	case st.Problem != nil:
		fmt.Fprintf(w, "content:     %s (the next start or `qabot index build` builds it)\n", contentName(cfg.ContentDir))
	case st.UpToDate:
		fmt.Fprintf(w, "content:     %s: matches (hash %s)\n", contentName(cfg.ContentDir), short(st.ContentHash))
	default:
		fmt.Fprintf(w, "content:     %s: CHANGED since the build (hash %s, index built from %s); run `qabot index build`\n",
			contentName(cfg.ContentDir), short(st.ContentHash), short(st.Meta.ContentHash))
	}
	if len(st.Others) > 0 {
		fmt.Fprintf(w, "leftovers:   %d other generations (removed by the next start or build)\n", len(st.Others))
		for _, o := range st.Others {
			fmt.Fprintf(w, "             %s\n", filepath.Base(o))
		}
	}
	if st.Problem != nil {
		return fmt.Errorf("no usable index in %s", st.Dir)
	}
	return nil
}

func writeMeta(w io.Writer, st service.IndexStatus) {
	m := st.Meta
	fmt.Fprintf(w, "state:       usable\n")
	fmt.Fprintf(w, "built:       %s in %s (format %d)\n", m.Built.Local().Format(time.DateTime), (time.Duration(m.BuildMillis) * time.Millisecond).Round(time.Millisecond), m.Format)
	fmt.Fprintf(w, "articles:    %d\n", m.Articles)
	fmt.Fprintf(w, "sentences:   %d\n", m.Sentences)
	fmt.Fprintf(w, "terms:       %d\n", m.Terms)
	fmt.Fprintf(w, "failed:      %d files when built\n", len(m.Failed))
}

func contentName(dir string) string {
	if dir == "" {
		return "the embedded articles"
	}
	return dir
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
