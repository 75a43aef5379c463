package service

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qabot/qabot/index"
	"github.com/qabot/qabot/seeds"
)

// seedQuestion is answered by the seed article.
const seedQuestion = "متى زار أمير الكويت تركيا؟"

// newArticle and newQuestion: an article the seeds do not have, and a
// question only it answers.
const (
	newArticle = `+++
title = "حديقة جديدة في الجهراء"
+++
افتتحت بلدية الجهراء حديقة الزهور الكبرى يوم الخميس بحضور المحافظ.
`
	newQuestion = "ماذا افتتحت بلدية الجهراء؟"
)

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// seedDir copies the seed articles into a new content directory.
func seedDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "content")
	if err := os.CopyFS(dir, seeds.FS); err != nil {
		t.Fatal(err)
	}
	return dir
}

type env struct {
	content, index string
	logs           *syncBuffer
}

func newEnv(t *testing.T) *env {
	return &env{content: seedDir(t), index: filepath.Join(t.TempDir(), "index"), logs: &syncBuffer{}}
}

func (e *env) config() Config {
	return Config{ContentDir: e.content, IndexDir: e.index, Logger: slog.New(slog.NewTextHandler(e.logs, nil))}
}

func (e *env) open(t *testing.T) *Service {
	t.Helper()
	s, err := New(context.Background(), e.config())
	if err != nil {
		t.Fatalf("New: %v\nlogs:\n%s", err, e.logs)
	}
	return s
}

func (e *env) replica(t *testing.T) *Service {
	t.Helper()
	cfg := e.config()
	cfg.ReadOnly = true
	cfg.ContentDir = ""
	s, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("New read-only: %v\nlogs:\n%s", err, e.logs)
	}
	return s
}

func (e *env) generations(t *testing.T) []string {
	t.Helper()
	gens, err := index.Generations(e.index)
	if err != nil {
		t.Fatal(err)
	}
	return gens
}

func answers(t *testing.T, s *Service, q string) bool {
	t.Helper()
	res := s.Ask(context.Background(), q, 1)
	return res.Answered && len(res.Answers) > 0
}

func mustAnswer(t *testing.T, s *Service, q string) {
	t.Helper()
	if !answers(t, s, q) {
		t.Fatalf("no answer to %q", q)
	}
}

func TestRestartReusesPersistedIndex(t *testing.T) {
	e := newEnv(t)
	s := e.open(t)
	st := s.Stats()
	if st.Builds != 1 || st.Generation == "" {
		t.Fatalf("first start: %+v, want one build into a generation", st)
	}
	gen := st.Generation
	mustAnswer(t, s, seedQuestion)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	for i := range 2 {
		s = e.open(t)
		st = s.Stats()
		if st.Builds != 0 || st.Generation != gen {
			t.Fatalf("restart %d: builds %d, generation %s; want 0 and %s", i+1, st.Builds, st.Generation, gen)
		}
		mustAnswer(t, s, seedQuestion)
		if len(s.Sources()) == 0 {
			t.Fatal("no sources after a restart")
		}
		s.Close()
	}

	// Changing the content (here: the translation only) rebuilds, and the
	// old generation goes.
	tr, _ := filepath.Glob(filepath.Join(e.content, "*.en.txt"))
	if len(tr) == 0 {
		t.Fatal("the seeds have no translation")
	}
	f, _ := os.OpenFile(tr[0], os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("\n")
	f.Close()
	s = e.open(t)
	st = s.Stats()
	if st.Builds != 1 || st.Generation == gen {
		t.Fatalf("after a content change: builds %d, generation %s (old %s)", st.Builds, st.Generation, gen)
	}
	if !strings.Contains(e.logs.String(), "content changed") {
		t.Errorf("no log line says the content changed:\n%s", e.logs)
	}
	if gens := e.generations(t); len(gens) != 1 || gens[0] != st.Generation {
		t.Errorf("generations %v, want only %s", gens, st.Generation)
	}
	s.Close()

	// So does a new article.
	os.WriteFile(filepath.Join(e.content, "garden.txt"), []byte(newArticle), 0o644)
	s = e.open(t)
	defer s.Close()
	if s.Stats().Builds != 1 {
		t.Fatal("a new article did not rebuild")
	}
	mustAnswer(t, s, newQuestion)
}

func TestFailedBuildKeepsOldIndexServing(t *testing.T) {
	e := newEnv(t)
	s := e.open(t)
	defer s.Close()
	gen := s.Stats().Generation
	os.WriteFile(filepath.Join(e.content, "garden.txt"), []byte(newArticle), 0o644)

	// The build starts (a generation directory and a bleve index are
	// created) and fails.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Reload(ctx); err == nil {
		t.Fatal("a cancelled reload succeeded")
	}
	if st := s.Stats(); st.Generation != gen || st.Reloads != 0 {
		t.Fatalf("after a failed reload: %+v", st)
	}
	mustAnswer(t, s, seedQuestion)
	if cur, _ := index.ReadCurrent(e.index); cur != gen {
		t.Errorf("CURRENT is %s, want %s", cur, gen)
	}
	if gens := e.generations(t); len(gens) != 1 {
		t.Errorf("the half-built generation is left: %v", gens)
	}

	// A later reload works.
	rep, err := s.Reload(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Generation == gen || len(rep.Added) != 1 {
		t.Errorf("report %+v", rep)
	}
	mustAnswer(t, s, newQuestion)
	if _, err := os.Stat(gen); !os.IsNotExist(err) {
		t.Errorf("the old generation %s is still there (%v)", gen, err)
	}
}

func TestCrashLeftoversAreRemovedAtStart(t *testing.T) {
	e := newEnv(t)
	s := e.open(t)
	gen := s.Stats().Generation
	s.Close()

	// What a crash mid-build leaves: a generation CURRENT does not name,
	// half written, and a temporary CURRENT.
	half := filepath.Join(e.index, "gen-"+strings.Repeat("9", 19)+"-0123abcd")
	os.MkdirAll(filepath.Join(half, "bleve", "store"), 0o755)
	os.WriteFile(filepath.Join(half, "bleve", "store", "000000000001.zap"), []byte("partial"), 0o644)
	os.WriteFile(filepath.Join(e.index, ".CURRENT.tmp-42"), []byte("gen-"), 0o644)

	// A replica never removes anything.
	r := e.replica(t)
	if r.Stats().Generation != gen {
		t.Fatalf("the replica serves %s, want %s", r.Stats().Generation, gen)
	}
	r.Close()
	if _, err := os.Stat(half); err != nil {
		t.Fatal("the read-only replica removed the leftover")
	}

	s = e.open(t)
	defer s.Close()
	if st := s.Stats(); st.Builds != 0 || st.Generation != gen {
		t.Fatalf("after a crash: %+v; want the current generation %s served without a build", st, gen)
	}
	mustAnswer(t, s, seedQuestion)
	if _, err := os.Stat(half); !os.IsNotExist(err) {
		t.Errorf("the leftover generation is still there")
	}
	if m, _ := filepath.Glob(filepath.Join(e.index, ".CURRENT.tmp-*")); len(m) != 0 {
		t.Errorf("temporary files left: %v", m)
	}
	if gens := e.generations(t); len(gens) != 1 || gens[0] != gen {
		t.Errorf("generations %v", gens)
	}
}

func TestCorruptIndexIsRebuilt(t *testing.T) {
	cases := map[string]func(t *testing.T, e *env, gen string){
		"garbage in CURRENT": func(t *testing.T, e *env, gen string) {
			os.WriteFile(filepath.Join(e.index, index.CurrentFile), []byte("\x00\xffnot a generation"), 0o644)
		},
		"segment files deleted": func(t *testing.T, e *env, gen string) {
			zaps, _ := filepath.Glob(filepath.Join(gen, "bleve", "store", "*.zap"))
			if len(zaps) == 0 {
				t.Fatal("no segment files")
			}
			for _, z := range zaps {
				os.Remove(z)
			}
		},
		"snapshot deleted": func(t *testing.T, e *env, gen string) { os.Remove(filepath.Join(gen, "snapshot.bin")) },
		"generation deleted": func(t *testing.T, e *env, gen string) {
			os.RemoveAll(gen)
		},
		"bolt file garbage": func(t *testing.T, e *env, gen string) {
			os.WriteFile(filepath.Join(gen, "bleve", "store", "root.bolt"), bytes.Repeat([]byte("x"), 8192), 0o600)
		},
	}
	for name, damage := range cases {
		t.Run(strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
			e := newEnv(t)
			s := e.open(t)
			gen := s.Stats().Generation
			s.Close()
			damage(t, e, gen)
			e.logs = &syncBuffer{}
			s = e.open(t)
			defer s.Close()
			st := s.Stats()
			if st.Builds != 1 || st.Generation == gen {
				t.Fatalf("a damaged index was not rebuilt: %+v", st)
			}
			mustAnswer(t, s, seedQuestion)
			logs := e.logs.String()
			if !strings.Contains(logs, "is unusable: ") || !strings.Contains(logs, "; rebuilding") {
				t.Errorf("no clear log line:\n%s", logs)
			}
			t.Logf("%s", firstLine(logs, "unusable"))
			if gens := e.generations(t); len(gens) != 1 || gens[0] != st.Generation {
				t.Errorf("generations %v, want only %s", gens, st.Generation)
			}
			// And a replica refuses a damaged index with the same words.
			damage(t, e, st.Generation)
			cfg := e.config()
			cfg.ReadOnly = true
			if r, err := New(context.Background(), cfg); err == nil {
				r.Close()
				t.Errorf("the replica serves a damaged index")
			} else if !strings.Contains(err.Error(), "is unusable") {
				t.Errorf("replica error %q", err)
			}
		})
	}
}

func firstLine(s, sub string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			return l
		}
	}
	return ""
}

func TestReloadUnderConcurrentQuestionsLosesNone(t *testing.T) {
	for _, persisted := range []bool{true, false} {
		name := "memory"
		if persisted {
			name = "persisted"
		}
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			cfg := e.config()
			if !persisted {
				cfg.IndexDir = ""
			}
			s, err := New(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			var (
				stop           atomic.Bool
				asked, missing atomic.Int64
				wg             sync.WaitGroup
			)
			for range 6 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for !stop.Load() {
						res := s.Ask(context.Background(), seedQuestion, 1)
						asked.Add(1)
						if !res.Answered || len(res.Answers) == 0 || res.Answers[0].Quote == "" {
							missing.Add(1)
						}
					}
				}()
			}
			reloads := 5
			var reloadErr error
			var wg2 sync.WaitGroup
			for range 2 { // two reloaders: one reload at a time still
				wg2.Add(1)
				go func() {
					defer wg2.Done()
					for range reloads {
						if _, err := s.Reload(context.Background()); err != nil {
							reloadErr = err
						}
					}
				}()
			}
			wg2.Wait()
			stop.Store(true)
			wg.Wait()
			if reloadErr != nil {
				t.Fatal(reloadErr)
			}
			if asked.Load() == 0 || missing.Load() != 0 {
				t.Fatalf("%d of %d questions went unanswered during reloads", missing.Load(), asked.Load())
			}
			if st := s.Stats(); st.Reloads != 2*reloads {
				t.Errorf("reloads %d, want %d", st.Reloads, 2*reloads)
			}
			t.Logf("%d questions during %d reloads", asked.Load(), 2*reloads)
			if persisted {
				gens := e.generations(t)
				cur, _ := index.ReadCurrent(e.index)
				if len(gens) != 1 || gens[0] != cur || cur != s.Stats().Generation {
					t.Errorf("generations %v, CURRENT %s, serving %s", gens, cur, s.Stats().Generation)
				}
			}
		})
	}
}

func TestAddArticleThenRestart(t *testing.T) {
	e := newEnv(t)
	s := e.open(t)
	if answers(t, s, newQuestion) {
		t.Fatal("answered before the article was added")
	}
	rep, err := s.AddArticle(context.Background(), "garden.txt", []byte(newArticle))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Added) != 1 || rep.Generation == "" {
		t.Errorf("report %+v", rep)
	}
	mustAnswer(t, s, newQuestion)
	gen := s.Stats().Generation
	s.Close()

	s = e.open(t)
	defer s.Close()
	if st := s.Stats(); st.Builds != 0 || st.Generation != gen {
		t.Errorf("restart after AddArticle: %+v; want the generation %s reused", st, gen)
	}
	mustAnswer(t, s, newQuestion)
	mustAnswer(t, s, seedQuestion)

	// A failed upload leaves nothing: not the file, not a generation.
	if _, err := s.AddArticle(context.Background(), "garden.txt", []byte(newArticle)); !errors.Is(err, ErrExists) {
		t.Errorf("second upload: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.AddArticle(ctx, "other.txt", []byte(newArticle)); err == nil {
		t.Error("a cancelled upload succeeded")
	}
	if _, err := os.Stat(filepath.Join(e.content, "other.txt")); !os.IsNotExist(err) {
		t.Error("the failed upload's file is left")
	}
	if gens := e.generations(t); len(gens) != 1 || gens[0] != gen {
		t.Errorf("generations %v", gens)
	}
}

func TestReadOnlyReplica(t *testing.T) {
	e := newEnv(t)
	cfg := e.config()
	cfg.ReadOnly = true
	if _, err := New(context.Background(), cfg); err == nil {
		t.Fatal("a replica started without an index")
	}
	if _, err := os.Stat(e.index); err == nil {
		if gens := e.generations(t); len(gens) != 0 {
			t.Fatal("the replica built an index")
		}
	}

	primary := e.open(t)
	defer primary.Close()
	r := e.replica(t)
	defer r.Close()
	if r.Stats().Generation != primary.Stats().Generation || r.Stats().Builds != 0 {
		t.Fatalf("replica %+v, primary %+v", r.Stats(), primary.Stats())
	}
	mustAnswer(t, r, seedQuestion)
	if _, err := r.AddArticle(context.Background(), "garden.txt", []byte(newArticle)); !errors.Is(err, ErrReadOnly) {
		t.Errorf("AddArticle on a replica: %v", err)
	}

	// Reload with nothing new keeps the generation.
	old := r.Stats().Generation
	if rep, err := r.Reload(context.Background()); err != nil || rep.Generation != old {
		t.Fatalf("replica reload: %+v, %v", rep, err)
	}

	// The primary adds an article (a new generation; the old one removed
	// from disk while the replica still has it open).
	if _, err := primary.AddArticle(context.Background(), "garden.txt", []byte(newArticle)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Fatal("the old generation is still on disk")
	}
	mustAnswer(t, r, seedQuestion) // still serving the removed generation
	rep, err := r.Reload(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Generation != primary.Stats().Generation || len(rep.Added) != 1 {
		t.Errorf("replica reload: %+v", rep)
	}
	mustAnswer(t, r, newQuestion)

	// Two replicas of one generation open side by side without waiting.
	done := make(chan *Service)
	go func() { done <- e.replica(t) }()
	select {
	case r2 := <-done:
		mustAnswer(t, r2, newQuestion)
		r2.Close()
	case <-time.After(10 * time.Second):
		t.Fatal("a second replica blocks")
	}
}

func TestConfigErrors(t *testing.T) {
	if _, err := New(context.Background(), Config{ReadOnly: true}); err == nil {
		t.Error("ReadOnly without IndexDir accepted")
	}
	arts, _ := index.LoadDir(seeds.FS)
	if _, err := New(context.Background(), Config{Articles: arts, IndexDir: t.TempDir()}); err == nil {
		t.Error("Articles with IndexDir accepted")
	}
	// The embedded seeds persist too.
	dir := filepath.Join(t.TempDir(), "index")
	for want := 1; want >= 0; want-- {
		s, err := New(context.Background(), Config{IndexDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		if s.Stats().Builds != want {
			t.Errorf("embedded content: builds %d, want %d", s.Stats().Builds, want)
		}
		mustAnswer(t, s, seedQuestion)
		s.Close()
	}
}
