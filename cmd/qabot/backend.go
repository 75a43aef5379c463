package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/qabot/qabot/bot"
	"github.com/qabot/qabot/bot/ops"
	"github.com/qabot/qabot/qa"
	"github.com/qabot/qabot/qa/service"
)

// backend adapts the content service to what the bot router needs.
type backend struct {
	svc     *service.Service
	stats   func(ctx context.Context, lang string) string // nil: content counters only
	metrics *ops.Metrics                                  // nil: not counted
}

var _ bot.Backend = (*backend)(nil)

func (b *backend) Ask(ctx context.Context, q string, top int) qa.Result {
	return b.svc.Ask(ctx, q, top)
}

func (b *backend) Sources() []bot.Source {
	var out []bot.Source
	for _, s := range b.svc.Sources() {
		out = append(out, bot.Source{Doc: s.Doc, Title: s.Title, URL: s.URL, Sentences: s.Sentences})
	}
	return out
}

func (b *backend) Reload(ctx context.Context) (bot.ReloadReport, error) {
	rep, err := b.svc.Reload(ctx)
	if b.metrics != nil {
		b.metrics.Reloaded(err)
	}
	return reloadReport(rep), err
}

func (b *backend) AddArticle(ctx context.Context, name string, data []byte) (bot.ReloadReport, error) {
	rep, err := b.svc.AddArticle(ctx, name, data)
	if b.metrics != nil && err == nil {
		b.metrics.Reloaded(nil) // a successful upload reloaded the content
	}
	return reloadReport(rep), err
}

func (b *backend) Stats(ctx context.Context, lang string) string {
	if b.stats != nil {
		return b.stats(ctx, lang)
	}
	return contentStats(b.svc, lang)
}

// contentStats describes the served content, in the asker's language.
func contentStats(svc *service.Service, lang string) string {
	st := svc.Stats()
	age := time.Since(st.LoadedAt).Round(time.Second)
	var b strings.Builder
	if lang == "en" {
		fmt.Fprintf(&b, "Articles: %d, sentences: %d. Loaded %s ago; reloads since start: %d.", st.Articles, st.Sentences, age, st.Reloads)
		if f := svc.LastFailures(); len(f) > 0 {
			fmt.Fprintf(&b, "\nFiles that failed to load: %d.", len(f))
		}
		return b.String()
	}
	fmt.Fprintf(&b, "المقالات: %d، الجمل: %d. حُمّل المحتوى منذ %s؛ مرات إعادة التحميل منذ البدء: %d.", st.Articles, st.Sentences, age, st.Reloads)
	if f := svc.LastFailures(); len(f) > 0 {
		fmt.Fprintf(&b, "\nملفات تعذّر تحميلها: %d.", len(f))
	}
	return b.String()
}

func reloadReport(r service.Report) bot.ReloadReport {
	out := bot.ReloadReport{
		Embedded:  r.Embedded,
		Added:     r.Added,
		Removed:   r.Removed,
		Changed:   r.Changed,
		Articles:  r.Articles,
		Sentences: r.Sentences,
		Took:      r.Took,
	}
	for _, f := range r.Failed {
		out.Failed = append(out.Failed, f.Error())
	}
	return out
}
