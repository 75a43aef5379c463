package e2e

import (
	"context"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qabot/qabot/bot"
	contentbackend "github.com/qabot/qabot/bot/backend"
	"github.com/qabot/qabot/qa"
	"github.com/qabot/qabot/qa/lexicon"
	"github.com/qabot/qabot/qa/service"
	"github.com/qabot/qabot/seeds"
)

// The glossary-only lexicon, loaded once: the tests must not depend on the
// dictionaries installed on the machine.
var (
	lexOnce sync.Once
	lex     *lexicon.Lexicon
)

func glossary() *lexicon.Lexicon {
	lexOnce.Do(func() { lex, _ = lexicon.Load(nil) })
	return lex
}

// newService builds the content service over dir ("" for the embedded seed
// articles).
func newService(t testing.TB, dir string) *service.Service {
	t.Helper()
	svc, err := service.New(context.Background(), service.Config{ContentDir: dir, Lexicon: glossary()})
	if err != nil {
		t.Fatalf("service.New: %v", err)
	}
	return svc
}

// seedDir copies the embedded seed articles into a fresh directory.
func seedDir(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, seeds.FS); err != nil {
		t.Fatalf("copying the seeds: %v", err)
	}
	return dir
}

// backend is the real bot.Backend over the content service, slowed down on
// demand (for Discord's deferred path) and counting questions. Its /stats is
// empty: the tests do not run a question log.
type backend struct {
	svc         *service.Service
	delay       atomic.Int64 // nanoseconds added to every Ask
	reloadDelay atomic.Int64 // nanoseconds added to every Reload
	asks        atomic.Int64
}

func (b *backend) real() *contentbackend.Backend { return &contentbackend.Backend{Service: b.svc} }

func sleepCtx(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

var _ bot.Backend = (*backend)(nil)

func (b *backend) Ask(ctx context.Context, q string, top int) qa.Result {
	b.asks.Add(1)
	sleepCtx(ctx, time.Duration(b.delay.Load()))
	return b.real().Ask(ctx, q, top)
}

func (b *backend) Sources() []bot.Source { return b.real().Sources() }

func (b *backend) Reload(ctx context.Context) (bot.ReloadReport, error) {
	sleepCtx(ctx, time.Duration(b.reloadDelay.Load()))
	return b.real().Reload(ctx)
}

func (b *backend) AddArticle(ctx context.Context, name string, data []byte) (bot.ReloadReport, error) {
	return b.real().AddArticle(ctx, name, data)
}

func (b *backend) Stats(ctx context.Context, lang string) string { return "" }
