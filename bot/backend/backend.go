// Package backend is the bot.Backend over the content service: what the
// router asks for (answers, sources, reloads, uploads, statistics) from
// qa/service. cmd/qabot wires it; tests use it as it is.
package backend

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/qabot/qabot/bot"
	"github.com/qabot/qabot/qa"
	"github.com/qabot/qabot/qa/service"
)

// Backend answers the router from a content service.
type Backend struct {
	Service *service.Service
	// UsageStats, when set, writes the usage part of /stats (the question
	// log's numbers); the content counters follow it.
	UsageStats func(ctx context.Context, lang string) string
	// OnReload, when set, is told of every reload and its error (metrics).
	OnReload func(err error)
}

var _ bot.Backend = (*Backend)(nil)

// Ask answers one question.
func (b *Backend) Ask(ctx context.Context, q string, top int) qa.Result {
	return b.Service.Ask(ctx, q, top)
}

// Sources lists the served articles.
func (b *Backend) Sources() []bot.Source {
	var out []bot.Source
	for _, s := range b.Service.Sources() {
		out = append(out, bot.Source{Doc: s.Doc, Title: s.Title, URL: s.URL, Sentences: s.Sentences})
	}
	return out
}

// Reload reloads the content; the old index keeps serving on failure.
func (b *Backend) Reload(ctx context.Context) (bot.ReloadReport, error) {
	rep, err := b.Service.Reload(ctx)
	if b.OnReload != nil {
		b.OnReload(err)
	}
	return Report(rep), err
}

// AddArticle saves an uploaded article and reloads.
func (b *Backend) AddArticle(ctx context.Context, name string, data []byte) (bot.ReloadReport, error) {
	rep, err := b.Service.AddArticle(ctx, name, data)
	if b.OnReload != nil && err == nil {
		b.OnReload(nil) // a successful upload reloaded the content
	}
	return Report(rep), err
}

// Stats is the /stats text: usage (when UsageStats is set), then the
// content counters.
func (b *Backend) Stats(ctx context.Context, lang string) string {
	usage := ""
	if b.UsageStats != nil {
		usage = b.UsageStats(ctx, lang)
	}
	return usage + ContentStats(b.Service, lang)
}

// ContentStats describes the served content, in the asker's language.
func ContentStats(svc *service.Service, lang string) string {
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

// Report turns the service's reload report into the router's.
func Report(r service.Report) bot.ReloadReport {
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
