// Package service keeps the content qabot serves: it loads the articles,
// builds the index, answers through a qa.Engine, and reloads — build the new
// index beside the serving one, check it, swap it in, close the old; on any
// failure the old one keeps serving.
package service

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/qabot/qabot/index"
	"github.com/qabot/qabot/qa"
	"github.com/qabot/qabot/qa/lexicon"
	"github.com/qabot/qabot/seeds"
)

// Config says where the content comes from.
type Config struct {
	// ContentDir is the directory of article files; "" serves the embedded
	// seed articles.
	ContentDir string
	// Content, when set, replaces both: the articles are read from it (tests
	// and evaluation).
	Content fs.FS
	// Articles, when set, are served as they are (evaluation); Reload then
	// rebuilds from them.
	Articles []*index.Article
	// Lexicon translates English questions; nil for none.
	Lexicon *lexicon.Lexicon
	// Options tune the engine.
	Options qa.Options
	// MaxArticleBytes caps a file added from the chat (default 1 MiB).
	MaxArticleBytes int
	Logger          *slog.Logger
}

// Service answers questions over the current content and reloads it.
// It is safe for concurrent use; one reload runs at a time.
type Service struct {
	cfg    Config
	log    *slog.Logger
	engine *qa.Engine

	reloadMu sync.Mutex // one reload or article upload at a time
	mu       sync.RWMutex
	failed   []index.LoadError
	loadedAt time.Time
	reloads  int
}

// Report says what a load or reload did.
type Report struct {
	Embedded  bool
	Dir       string
	Added     []string
	Removed   []string
	Changed   []string
	Articles  int
	Sentences int
	Took      time.Duration
	Failed    []index.LoadError
}

// New loads the content and builds the first index. It fails only when the
// index cannot be built; files that fail to load are in LastFailures.
func New(ctx context.Context, cfg Config) (*Service, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxArticleBytes <= 0 {
		cfg.MaxArticleBytes = 1 << 20
	}
	s := &Service{cfg: cfg, log: cfg.Logger}
	arts, failed, err := s.load()
	if err != nil {
		return nil, err
	}
	ix, err := index.Build(ctx, arts, index.BuildOptions{})
	if err != nil {
		return nil, err
	}
	s.engine = qa.NewEngine(ix, cfg.Lexicon, cfg.Options)
	s.failed = failed
	s.loadedAt = time.Now()
	for _, f := range failed {
		s.log.Warn("article not loaded", "file", f.Path, "line", f.Line, "error", f.Err)
	}
	s.log.Info("content loaded", "source", s.sourceName(), "articles", len(arts), "sentences", len(ix.Sents), "took", ix.Took.Round(time.Millisecond))
	return s, nil
}

func (s *Service) sourceName() string {
	switch {
	case s.cfg.Content != nil:
		return "fs"
	case s.cfg.ContentDir == "":
		return "embedded"
	}
	return s.cfg.ContentDir
}

func (s *Service) contentFS() fs.FS {
	switch {
	case s.cfg.Content != nil:
		return s.cfg.Content
	case s.cfg.ContentDir == "":
		return seeds.FS
	}
	return os.DirFS(s.cfg.ContentDir)
}

func (s *Service) load() ([]*index.Article, []index.LoadError, error) {
	if s.cfg.Articles != nil {
		return s.cfg.Articles, nil, nil
	}
	fsys := s.contentFS()
	if s.cfg.ContentDir != "" && s.cfg.Content == nil {
		st, err := os.Stat(s.cfg.ContentDir)
		if err != nil {
			return nil, nil, fmt.Errorf("content dir: %w", err)
		}
		if !st.IsDir() {
			return nil, nil, fmt.Errorf("content dir: %s is not a directory", s.cfg.ContentDir)
		}
	}
	arts, failed := index.LoadDir(fsys)
	return arts, failed, nil
}

// Engine returns the engine that answers questions.
func (s *Service) Engine() *qa.Engine { return s.engine }

// Ask answers one question.
func (s *Service) Ask(ctx context.Context, question string, top int) qa.Result {
	return s.engine.Ask(ctx, question, top)
}

// Embedded reports whether the service serves the embedded seed articles.
func (s *Service) Embedded() bool {
	return s.cfg.ContentDir == "" && s.cfg.Content == nil && s.cfg.Articles == nil
}

// Source is one loaded article.
type Source struct {
	Doc, Title, URL string
	Sentences       int
	Translated      bool
}

// Sources lists the articles being served.
func (s *Service) Sources() []Source {
	ix := s.engine.Index()
	out := make([]Source, 0, len(ix.Articles))
	for _, a := range ix.Articles {
		n := 0
		for _, p := range a.Paragraphs {
			n += len(p.Sentences)
		}
		out = append(out, Source{Doc: a.ID, Title: a.Title, URL: a.URL, Sentences: n, Translated: a.Translation != nil})
	}
	return out
}

// LastFailures returns the files that failed at the last successful load.
func (s *Service) LastFailures() []index.LoadError {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return append([]index.LoadError(nil), s.failed...)
}

// Stats are counters about the served content.
type Stats struct {
	Articles, Sentences, Reloads int
	LoadedAt                     time.Time
}

// Stats returns counters about the served content.
func (s *Service) Stats() Stats {
	ix := s.engine.Index()
	s.mu.RLock()
	defer s.mu.RUnlock()
	return Stats{Articles: len(ix.Articles), Sentences: len(ix.Sents), Reloads: s.reloads, LoadedAt: s.loadedAt}
}

// ErrNoArticles is returned by Reload when no article loads: the old index
// keeps serving rather than an empty one.
var ErrNoArticles = errors.New("no article could be loaded")

// Reload re-reads the content, builds a new index, checks it and swaps it
// in. On any error the old index keeps serving and is untouched. Questions
// asked during a reload are answered by whichever index is serving.
func (s *Service) Reload(ctx context.Context) (Report, error) {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	return s.reloadLocked(ctx)
}

func (s *Service) reloadLocked(ctx context.Context) (Report, error) {
	start := time.Now()
	rep := Report{Embedded: s.Embedded(), Dir: s.cfg.ContentDir}
	arts, failed, err := s.load()
	rep.Failed = failed
	if err != nil {
		return rep, err
	}
	if len(arts) == 0 {
		return rep, fmt.Errorf("%w (%d files failed)", ErrNoArticles, len(failed))
	}
	ix, err := index.Build(ctx, arts, index.BuildOptions{})
	if err != nil {
		return rep, fmt.Errorf("building the new index: %w", err)
	}
	if err := check(ctx, ix); err != nil {
		ix.Close()
		return rep, fmt.Errorf("checking the new index: %w", err)
	}
	old := s.engine.Swap(ix)
	rep.Added, rep.Removed, rep.Changed = diff(old.Articles, arts)
	rep.Articles = len(arts)
	rep.Sentences = len(ix.Sents)
	if err := old.Close(); err != nil {
		s.log.Warn("closing the old index", "error", err)
	}
	rep.Took = time.Since(start)
	s.mu.Lock()
	s.failed = failed
	s.loadedAt = time.Now()
	s.reloads++
	s.mu.Unlock()
	s.log.Info("content reloaded", "articles", rep.Articles, "sentences", rep.Sentences,
		"added", len(rep.Added), "removed", len(rep.Removed), "changed", len(rep.Changed),
		"failed", len(rep.Failed), "took", rep.Took.Round(time.Millisecond))
	return rep, nil
}

// check searches the new index for words of its sentences: a built index
// that cannot find its own text is not swapped in.
func check(ctx context.Context, ix *index.Index) error {
	step := max(1, len(ix.Sents)/8)
	for id := 0; id < len(ix.Sents); id += step {
		art, _, sent := ix.Lookup(id)
		for _, tok := range index.Tokenize(sent.Text) {
			field, term := index.FieldExact, index.ArabicForms(tok).Exact
			if art.Lang == "en" {
				field, term = index.FieldEnglish, ""
				if lower, stem := index.EnglishForms(tok); lower != "" {
					term = stem
				}
			}
			if term == "" {
				continue
			}
			tq := query.NewTermQuery(term)
			tq.SetField(field)
			hits, err := ix.Search(ctx, tq, 1000)
			if err != nil {
				return err
			}
			found := len(hits) == 1000
			for _, h := range hits {
				found = found || h.ID == id
			}
			if !found {
				return fmt.Errorf("sentence %d is not found by its word %q", id, term)
			}
			break
		}
	}
	return nil
}

func diff(old, new []*index.Article) (added, removed, changed []string) {
	before := map[string]string{}
	for _, a := range old {
		before[a.ID] = a.Hash
	}
	after := map[string]bool{}
	for _, a := range new {
		after[a.ID] = true
		h, ok := before[a.ID]
		switch {
		case !ok:
			added = append(added, a.ID)
		case h != a.Hash:
			changed = append(changed, a.ID)
		}
	}
	for _, a := range old {
		if !after[a.ID] {
			removed = append(removed, a.ID)
		}
	}
	sort.Strings(added)
	sort.Strings(removed)
	sort.Strings(changed)
	return
}

// Errors of AddArticle; the messages are shown to the admin.
var (
	ErrNoContentDir = errors.New("no content directory is configured ([content] dir): articles cannot be added from the chat")
	ErrBadName      = errors.New("the file name must end in .txt or .md and be a plain name")
	ErrExists       = errors.New("an article file of that name already exists; rename the file or remove the old one first")
	ErrTooLarge     = errors.New("the file is too large")
)

// AddArticle checks a content file sent from the chat, saves it into the
// content directory (never over an existing file) and reloads. When the
// check or the reload fails, nothing is left behind.
func (s *Service) AddArticle(ctx context.Context, name string, data []byte) (Report, error) {
	if s.cfg.ContentDir == "" || s.cfg.Content != nil || s.cfg.Articles != nil {
		return Report{}, ErrNoContentDir
	}
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	ext := strings.ToLower(path.Ext(name))
	if (ext != ".txt" && ext != ".md") || strings.HasPrefix(name, ".") || name == ext || strings.ContainsAny(name, "\x00") {
		return Report{}, ErrBadName
	}
	if len(data) > s.cfg.MaxArticleBytes {
		return Report{}, fmt.Errorf("%w (%d bytes, at most %d)", ErrTooLarge, len(data), s.cfg.MaxArticleBytes)
	}
	if _, err := index.ParseArticle(name, data); err != nil {
		return Report{}, err
	}
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	dst := filepath.Join(s.cfg.ContentDir, name)
	tmp, err := os.CreateTemp(s.cfg.ContentDir, ".upload-*")
	if err != nil {
		return Report{}, err
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName)
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return Report{}, err
	}
	if err := tmp.Close(); err != nil {
		return Report{}, err
	}
	// Link, not rename: link fails when dst exists, so a file that appeared
	// since the check is never overwritten.
	if err := os.Link(tmpName, dst); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return Report{}, ErrExists
		}
		return Report{}, err
	}
	rep, err := s.reloadLocked(ctx)
	if err != nil {
		os.Remove(dst)
		return rep, err
	}
	return rep, nil
}
