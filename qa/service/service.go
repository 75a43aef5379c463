// Package service keeps the content qabot serves: it loads the articles,
// builds the index, answers through a qa.Engine, and reloads — build the new
// index beside the serving one, check it, swap it in, close the old; on any
// failure the old one keeps serving.
//
// With an index directory (Config.IndexDir) the index persists as
// generations (see index.BuildGeneration): a start on unchanged content
// opens the current generation instead of building, a reload builds a new
// generation and makes it current, and read-only replicas serve whatever
// generation is current.
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

	// IndexDir is the directory the index persists in ([index] dir); ""
	// keeps it in memory only, built at every start. With a directory, New
	// opens the current generation when it was built from the same content
	// (index.ContentHash) and format, and builds a new one otherwise; Reload
	// builds a new generation and makes it current. It cannot be combined
	// with Articles.
	IndexDir string
	// ReadOnly serves the current generation of IndexDir and never builds
	// nor removes anything (a replica beside a process that builds): New
	// fails when there is no usable generation; Reload opens the newest
	// current one; AddArticle is refused. The content is not read.
	ReadOnly bool
}

// Service answers questions over the current content and reloads it.
// It is safe for concurrent use; one reload runs at a time.
type Service struct {
	cfg    Config
	log    *slog.Logger
	engine *qa.Engine

	reloadMu sync.Mutex // one reload, article upload or Close at a time
	mu       sync.RWMutex
	failed   []index.LoadError
	loadedAt time.Time
	reloads  int
	builds   int
	gen      string // the serving generation's directory; "" in memory
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
	// Generation is the directory of the generation now serving ("" in
	// memory).
	Generation string
}

// New loads the content and builds the first index — or, with an IndexDir,
// opens the persisted one when the content has not changed since it was
// built. It fails only when there is no index to serve; files that fail to
// load are in LastFailures.
func New(ctx context.Context, cfg Config) (*Service, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxArticleBytes <= 0 {
		cfg.MaxArticleBytes = 1 << 20
	}
	if cfg.IndexDir != "" && cfg.Articles != nil {
		return nil, errors.New("service: Articles are served from memory; IndexDir must be empty")
	}
	if cfg.ReadOnly && cfg.IndexDir == "" {
		return nil, errors.New("service: ReadOnly needs an IndexDir")
	}
	start := time.Now()
	s := &Service{cfg: cfg, log: cfg.Logger}
	var (
		ix     *index.Index
		failed []index.LoadError
		err    error
	)
	switch {
	case cfg.ReadOnly:
		var m index.Meta
		ix, m, err = s.openCurrent(ctx)
		failed, s.gen = m.Failed, m.Dir
	case cfg.IndexDir != "":
		var m index.Meta
		ix, m, err = s.openOrBuild(ctx)
		failed, s.gen = m.Failed, m.Dir
	default:
		var arts []*index.Article
		arts, failed, _, err = s.loadHashed()
		if err != nil {
			return nil, err
		}
		ix, err = index.Build(ctx, arts, index.BuildOptions{})
		if err == nil {
			if err = ix.Check(ctx, 0); err != nil {
				ix.Close()
				err = fmt.Errorf("checking the index: %w", err)
			}
		}
		s.builds++
	}
	if err != nil {
		return nil, err
	}
	s.engine = qa.NewEngine(ix, cfg.Lexicon, cfg.Options)
	s.failed = failed
	s.loadedAt = time.Now()
	for _, f := range failed {
		s.log.Warn("article not loaded", "file", f.Path, "line", f.Line, "error", f.Err)
	}
	s.log.Info("content loaded", "source", s.sourceName(), "articles", len(ix.Articles), "sentences", len(ix.Sents),
		"index", s.indexName(), "built", s.builds > 0, "took", time.Since(start).Round(time.Millisecond))
	return s, nil
}

func (s *Service) indexName() string {
	if s.gen == "" {
		return "memory"
	}
	return s.gen
}

// checkContentDir fails when the configured content directory is missing.
func (s *Service) checkContentDir() error {
	if s.cfg.ContentDir != "" && s.cfg.Content == nil && s.cfg.Articles == nil {
		st, err := os.Stat(s.cfg.ContentDir)
		if err != nil {
			return fmt.Errorf("content dir: %w", err)
		}
		if !st.IsDir() {
			return fmt.Errorf("content dir: %s is not a directory", s.cfg.ContentDir)
		}
	}
	return nil
}

// unusable logs why a persisted generation is not served.
func (s *Service) unusable(where string, err error) {
	s.log.Warn(fmt.Sprintf("index at %s is unusable: %v; rebuilding", where, err), "index", where, "error", err)
}

// tryOpen opens the current generation of the index directory when it was
// built by this format from content of the hash that hash returns (it is
// called after the generation is opened, so that hashing the content and
// opening the index overlap). quiet: log nothing. The error is hash's.
func (s *Service) tryOpen(ctx context.Context, hash func() (string, error), quiet bool) (*index.Index, index.Meta, bool, error) {
	dir := s.cfg.IndexDir
	info := func(msg string, args ...any) {
		if !quiet {
			s.log.Info(msg, args...)
		}
	}
	unusable := func(where string, err error) {
		if !quiet {
			s.unusable(where, err)
		}
	}
	gen, err := index.ReadCurrent(dir)
	if errors.Is(err, index.ErrNoCurrent) {
		info("no index in "+dir+" yet; building", "index", dir)
		return nil, index.Meta{}, false, nil
	}
	if err != nil {
		unusable(dir, err)
		return nil, index.Meta{}, false, nil
	}
	m, err := index.ReadMeta(gen)
	if err != nil {
		unusable(gen, err)
		return nil, m, false, nil
	}
	if m.Format != index.FormatVersion {
		info(fmt.Sprintf("index at %s is of format %d, this program uses %d; rebuilding", gen, m.Format, index.FormatVersion), "index", gen)
		return nil, m, false, nil
	}
	ix, m2, openErr := index.OpenGeneration(ctx, gen)
	h, err := hash()
	switch {
	case err != nil:
	case m.ContentHash != h:
		info(fmt.Sprintf("content changed since the index at %s was built; rebuilding", gen), "index", gen)
	case openErr != nil:
		unusable(gen, openErr)
	default:
		return ix, m2, true, nil
	}
	if openErr == nil {
		ix.Close()
	}
	return nil, m, false, err
}

// openOrBuild serves the current generation when it matches the content,
// else builds a new one and makes it current. Leftover generations (of a
// crash, or an unusable one) are removed.
func (s *Service) openOrBuild(ctx context.Context) (*index.Index, index.Meta, error) {
	if err := s.checkContentDir(); err != nil {
		return nil, index.Meta{}, err
	}
	dir := s.cfg.IndexDir
	fsys := s.contentFS()
	hash := sync.OnceValues(func() (string, error) {
		h, err := index.ContentHash(fsys)
		if err != nil {
			err = fmt.Errorf("content: %w", err)
		}
		return h, err
	})
	go hash()
	ix, m, ok, err := s.tryOpen(ctx, hash, false)
	if err != nil {
		return nil, m, err
	}
	if ok {
		// Clean up after a crash, unless another process is building now
		// (it cleans up itself).
		lctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		if unlock, err := index.LockDir(lctx, dir); err == nil {
			s.removeStale(m.Dir)
			unlock()
		}
		return ix, m, nil
	}
	unlock, err := index.LockDir(ctx, dir)
	if err != nil {
		return nil, index.Meta{}, fmt.Errorf("index: %w", err)
	}
	defer unlock()
	// Another process may have built it while we waited for the lock.
	if ix, m, ok, _ := s.tryOpen(ctx, hash, true); ok {
		s.removeStale(m.Dir)
		return ix, m, nil
	}
	s.removeStale()
	arts, failed, h := index.LoadDirHashed(fsys)
	ix, m, err = s.buildGeneration(ctx, arts, failed, h)
	if err != nil {
		return nil, m, err
	}
	s.removeStale(m.Dir)
	return ix, m, nil
}

// buildGeneration builds a generation and makes it current; the caller
// holds the directory's lock.
func (s *Service) buildGeneration(ctx context.Context, arts []*index.Article, failed []index.LoadError, hash string) (*index.Index, index.Meta, error) {
	dir := s.cfg.IndexDir
	ix, m, err := index.BuildGeneration(ctx, dir, arts, index.Meta{ContentHash: hash, Failed: failed})
	if err != nil {
		return nil, m, fmt.Errorf("building the index in %s: %w", dir, err)
	}
	if err := index.SetCurrent(dir, m.Dir); err != nil {
		ix.Close()
		os.RemoveAll(m.Dir)
		return nil, m, err
	}
	s.mu.Lock()
	s.builds++
	s.mu.Unlock()
	s.log.Info("index built", "index", m.Dir, "articles", m.Articles, "sentences", m.Sentences,
		"took", ix.Took.Round(time.Millisecond))
	return ix, m, nil
}

// removeStale removes the generations other than CURRENT and keep, and logs
// what it removed. The caller holds the directory's lock.
func (s *Service) removeStale(keep ...string) {
	removed, err := index.RemoveGenerations(s.cfg.IndexDir, keep...)
	for _, r := range removed {
		s.log.Info("removed an old index generation", "index", r)
	}
	if err != nil {
		s.log.Warn("removing old index generations", "error", err)
	}
}

// openCurrent opens the current generation read-only. When it cannot be
// opened because a writer made another one current (and removed it)
// meanwhile, it tries the new one.
func (s *Service) openCurrent(ctx context.Context) (*index.Index, index.Meta, error) {
	dir := s.cfg.IndexDir
	var lastErr error
	gen := dir
	for range 3 {
		g, err := index.ReadCurrent(dir)
		if err != nil {
			return nil, index.Meta{}, fmt.Errorf("index at %s is unusable: %w", dir, err)
		}
		gen = g
		ix, m, err := index.OpenGeneration(ctx, gen)
		if err == nil {
			return ix, m, nil
		}
		lastErr = err
		if g2, err := index.ReadCurrent(dir); err != nil || g2 == gen {
			break
		}
	}
	return nil, index.Meta{}, fmt.Errorf("index at %s is unusable: %w", gen, lastErr)
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

// loadHashed loads the content and hashes the bytes it parsed.
func (s *Service) loadHashed() ([]*index.Article, []index.LoadError, string, error) {
	if s.cfg.Articles != nil {
		return s.cfg.Articles, nil, "", nil
	}
	if err := s.checkContentDir(); err != nil {
		return nil, nil, "", err
	}
	arts, failed, hash := index.LoadDirHashed(s.contentFS())
	return arts, failed, hash, nil
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
	// Generation is the directory of the serving index generation; "" for
	// an index in memory.
	Generation string
	// Builds counts the indexes this service built; 0 when it serves a
	// persisted one it opened.
	Builds int
}

// Stats returns counters about the served content.
func (s *Service) Stats() Stats {
	ix := s.engine.Index()
	s.mu.RLock()
	defer s.mu.RUnlock()
	return Stats{Articles: len(ix.Articles), Sentences: len(ix.Sents), Reloads: s.reloads, LoadedAt: s.loadedAt,
		Generation: s.gen, Builds: s.builds}
}

// Close closes the serving index. The Service must not be used after.
func (s *Service) Close() error {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	return s.engine.Index().Close()
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
	if s.cfg.ReadOnly {
		return s.reopenLocked(ctx)
	}
	start := time.Now()
	rep := Report{Embedded: s.Embedded(), Dir: s.cfg.ContentDir}
	arts, failed, hash, err := s.loadHashed()
	rep.Failed = failed
	if err != nil {
		return rep, err
	}
	if len(arts) == 0 {
		return rep, fmt.Errorf("%w (%d files failed)", ErrNoArticles, len(failed))
	}
	var (
		ix  *index.Index
		gen string
	)
	if s.cfg.IndexDir == "" {
		ix, err = index.Build(ctx, arts, index.BuildOptions{})
		if err != nil {
			return rep, fmt.Errorf("building the new index: %w", err)
		}
		if err := ix.Check(ctx, 0); err != nil {
			ix.Close()
			return rep, fmt.Errorf("checking the new index: %w", err)
		}
		s.mu.Lock()
		s.builds++
		s.mu.Unlock()
	} else {
		unlock, err := index.LockDir(ctx, s.cfg.IndexDir)
		if err != nil {
			return rep, fmt.Errorf("index: %w", err)
		}
		defer unlock()
		var m index.Meta
		ix, m, err = s.buildGeneration(ctx, arts, failed, hash)
		if err != nil {
			return rep, err
		}
		gen = m.Dir
	}
	old := s.engine.Swap(ix)
	s.mu.Lock()
	oldGen := s.gen
	s.gen = gen
	s.mu.Unlock()
	rep.Added, rep.Removed, rep.Changed = diff(old.Articles, arts)
	rep.Articles = len(arts)
	rep.Sentences = len(ix.Sents)
	rep.Generation = gen
	if err := old.Close(); err != nil {
		s.log.Warn("closing the old index", "error", err)
	}
	if gen != "" {
		if oldGen != "" && oldGen != gen {
			if err := os.RemoveAll(oldGen); err != nil {
				s.log.Warn("removing the old index generation", "index", oldGen, "error", err)
			}
		}
		s.removeStale(gen)
	}
	rep.Took = time.Since(start)
	s.mu.Lock()
	s.failed = failed
	s.loadedAt = time.Now()
	s.reloads++
	s.mu.Unlock()
	s.log.Info("content reloaded", "articles", rep.Articles, "sentences", rep.Sentences,
		"added", len(rep.Added), "removed", len(rep.Removed), "changed", len(rep.Changed),
		"failed", len(rep.Failed), "index", s.indexName(), "took", rep.Took.Round(time.Millisecond))
	return rep, nil
}

// reopenLocked is Reload of a read-only service: it serves the generation
// now current, if it is not the one serving already.
func (s *Service) reopenLocked(ctx context.Context) (Report, error) {
	start := time.Now()
	rep := Report{Embedded: s.Embedded(), Dir: s.cfg.ContentDir}
	s.mu.RLock()
	oldGen := s.gen
	s.mu.RUnlock()
	gen, err := index.ReadCurrent(s.cfg.IndexDir)
	if err != nil {
		return rep, fmt.Errorf("index at %s is unusable: %w", s.cfg.IndexDir, err)
	}
	var ix *index.Index
	var m index.Meta
	if gen == oldGen {
		ix = s.engine.Index()
		m, _ = index.ReadMeta(gen)
	} else {
		ix, m, err = s.openCurrent(ctx)
		if err != nil {
			return rep, err
		}
		old := s.engine.Swap(ix)
		rep.Added, rep.Removed, rep.Changed = diff(old.Articles, ix.Articles)
		if err := old.Close(); err != nil {
			s.log.Warn("closing the old index", "error", err)
		}
	}
	rep.Articles = len(ix.Articles)
	rep.Sentences = len(ix.Sents)
	rep.Failed = m.Failed
	rep.Generation = m.Dir
	rep.Took = time.Since(start)
	s.mu.Lock()
	s.gen = m.Dir
	s.failed = m.Failed
	s.loadedAt = time.Now()
	s.reloads++
	s.mu.Unlock()
	s.log.Info("index reopened", "index", m.Dir, "changed", gen != oldGen, "articles", rep.Articles, "sentences", rep.Sentences)
	return rep, nil
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
	ErrReadOnly     = errors.New("this server serves a read-only copy of the index: add articles on the server that builds it")
)

// AddArticle checks a content file sent from the chat, saves it into the
// content directory (never over an existing file) and reloads. When the
// check or the reload fails, nothing is left behind.
func (s *Service) AddArticle(ctx context.Context, name string, data []byte) (Report, error) {
	if s.cfg.ReadOnly {
		return Report{}, ErrReadOnly
	}
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

// IndexStatus describes an index directory and how it stands to the
// content.
type IndexStatus struct {
	Dir     string
	Current string     // the current generation's directory; "" when there is none
	Meta    index.Meta // the current generation's meta (zero when unreadable)
	// Problem says why the current generation cannot be served (nil when it
	// can): no CURRENT, an unreadable one, or a generation that does not
	// open or check.
	Problem error
	// ContentHash is the hash of the content now ("" with ReadOnly: the
	// content is not read); UpToDate reports whether the current generation
	// was built from it by this program's format.
	ContentHash string
	UpToDate    bool
	// Others are the other generations: leftovers the next start or build
	// of a writer removes.
	Others []string
}

// Status reports on the index directory of cfg without changing anything:
// it reads CURRENT, opens that generation read-only and checks it, and
// hashes the content (unless cfg.ReadOnly). The error is for a missing
// IndexDir or content directory; problems of the index are in Problem.
func Status(ctx context.Context, cfg Config) (IndexStatus, error) {
	st := IndexStatus{Dir: cfg.IndexDir}
	if cfg.IndexDir == "" {
		return st, errors.New("no index directory is configured ([index] dir)")
	}
	s := &Service{cfg: cfg}
	if !cfg.ReadOnly {
		if err := s.checkContentDir(); err != nil {
			return st, err
		}
		h, err := index.ContentHash(s.contentFS())
		if err != nil {
			return st, fmt.Errorf("content: %w", err)
		}
		st.ContentHash = h
	}
	gens, err := index.Generations(cfg.IndexDir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return st, err
	}
	st.Current, st.Problem = index.ReadCurrent(cfg.IndexDir)
	for _, g := range gens {
		if g != st.Current {
			st.Others = append(st.Others, g)
		}
	}
	if st.Problem != nil {
		return st, nil
	}
	ix, m, err := index.OpenGeneration(ctx, st.Current)
	st.Meta, st.Problem = m, err
	if err == nil {
		ix.Close()
	}
	st.UpToDate = st.Problem == nil && m.Format == index.FormatVersion && m.ContentHash == st.ContentHash
	return st, nil
}
