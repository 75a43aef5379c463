package index

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// FormatVersion is the version of everything a persisted generation holds:
// the bleve mapping (NewMapping), the analysis of every field (index/arabic,
// ArabicForms, EnglishForms, Tokenize), the TermTable and the
// snapshot encoding. Bump it whenever any of them changes: a generation of
// another version is never opened, it is rebuilt.
const FormatVersion = 3

// An index directory ([index] dir) holds generations of the index, one of
// them current:
//
//	DIR/CURRENT                      the name of the current generation, e.g. "gen-1712345678901234567-ab12cd34\n"
//	DIR/LOCK                         flock(2)ed by a process building or removing generations
//	DIR/gen-<unix-nanos>-<hash8>/    one generation (hash8: the content hash's first 8 hex digits)
//	    bleve/                       the bleve scorch index, one document per sentence
//	    snapshot.bin                 the articles and the TermTable (see persist_codec.go)
//	    meta.json                    Meta: format, content hash, counts, build time, load failures
//
// A generation is written completely, checked, and only then named in
// CURRENT (written to a temporary file, fsynced, renamed over CURRENT, and
// the directory fsynced), so a crash at any point leaves CURRENT naming a
// complete generation. Generations CURRENT does not name are leftovers of a
// crash or of a swap, and RemoveGenerations deletes them. Once written, a
// generation is never modified: it is opened read-only, by any number of
// processes.
const (
	CurrentFile  = "CURRENT"
	LockFile     = "LOCK"
	genPrefix    = "gen-"
	bleveSubdir  = "bleve"
	snapshotFile = "snapshot.bin"
	metaFile     = "meta.json"
	currentTemp  = ".CURRENT.tmp-"
)

// boltTimeout bounds the wait for another process's lock on a bleve index
// (bleve blocks forever without it).
const boltTimeout = "1s"

// Meta describes one generation: it is the generation's meta.json.
type Meta struct {
	Format      int         `json:"format"`
	ContentHash string      `json:"content_hash"`
	Articles    int         `json:"articles"`
	Sentences   int         `json:"sentences"`
	Terms       int         `json:"terms"`
	Built       time.Time   `json:"built"`
	BuildMillis int64       `json:"build_ms"`
	Failed      []LoadError `json:"failed,omitempty"` // files that failed to load when it was built

	// Dir is the generation's directory (not stored: filled in when read).
	Dir string `json:"-"`
}

// ErrNoCurrent is returned by ReadCurrent when the directory has no CURRENT
// file: no index was ever built there.
var ErrNoCurrent = errors.New("no CURRENT file")

// ReadCurrent returns the path of the current generation of the index
// directory dir. It checks the name CURRENT holds, not the generation.
func ReadCurrent(dir string) (string, error) {
	data, err := os.ReadFile(filepath.Join(dir, CurrentFile))
	if errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("%w in %s", ErrNoCurrent, dir)
	}
	if err != nil {
		return "", err
	}
	name := strings.TrimSpace(string(data))
	if !validGenName(name) {
		if len(name) > 60 {
			name = name[:60] + "…"
		}
		return "", fmt.Errorf("%s holds %q, not a generation name", CurrentFile, name)
	}
	return filepath.Join(dir, name), nil
}

// validGenName reports whether name is gen-<digits>-<8 hex digits>.
func validGenName(name string) bool {
	rest, ok := strings.CutPrefix(name, genPrefix)
	if !ok {
		return false
	}
	nanos, h, ok := strings.Cut(rest, "-")
	if !ok || nanos == "" || len(h) != 8 || strings.Trim(nanos, "0123456789") != "" {
		return false
	}
	_, err := hex.DecodeString(h)
	return err == nil
}

// SetCurrent makes the generation at gen (a directory of dir) the current
// one, atomically: CURRENT is replaced by rename after its new content is on
// disk, and the directory is synced after the rename.
func SetCurrent(dir, gen string) error {
	name := filepath.Base(gen)
	if !validGenName(name) || filepath.Clean(filepath.Dir(gen)) != filepath.Clean(dir) {
		return fmt.Errorf("set current: %s is not a generation of %s", gen, dir)
	}
	f, err := os.CreateTemp(dir, currentTemp+"*")
	if err != nil {
		return fmt.Errorf("set current: %w", err)
	}
	tmp := f.Name()
	_, err = f.WriteString(name + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, CurrentFile))
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("set current: %w", err)
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("set current: %w", err)
	}
	return nil
}

// ReadMeta reads the meta.json of the generation at gen.
func ReadMeta(gen string) (Meta, error) {
	m := Meta{Dir: gen}
	data, err := os.ReadFile(filepath.Join(gen, metaFile))
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return m, fmt.Errorf("%s: %w", metaFile, err)
	}
	return m, nil
}

// Generations lists the generation directories of dir, oldest first.
func Generations(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var gens []string
	for _, e := range ents {
		if e.IsDir() && validGenName(e.Name()) {
			gens = append(gens, e.Name())
		}
	}
	sort.Slice(gens, func(i, j int) bool { return genNanos(gens[i]) < genNanos(gens[j]) })
	for i, g := range gens {
		gens[i] = filepath.Join(dir, g)
	}
	return gens, nil
}

func genNanos(name string) int64 {
	rest, _ := strings.CutPrefix(name, genPrefix)
	nanos, _, _ := strings.Cut(rest, "-")
	n, _ := strconv.ParseInt(nanos, 10, 64)
	return n
}

// RemoveGenerations deletes every generation of dir except CURRENT's and
// those in keep (paths or names), and temporary files SetCurrent left
// behind. It returns the paths it removed. Call it holding the directory's
// lock (LockDir), so no generation being built is removed.
func RemoveGenerations(dir string, keep ...string) ([]string, error) {
	keepName := map[string]bool{}
	for _, k := range keep {
		keepName[filepath.Base(k)] = true
	}
	if cur, err := ReadCurrent(dir); err == nil {
		keepName[filepath.Base(cur)] = true
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var removed []string
	var errs []error
	for _, e := range ents {
		name := e.Name()
		stale := (e.IsDir() && validGenName(name) && !keepName[name]) ||
			(!e.IsDir() && strings.HasPrefix(name, currentTemp))
		if !stale {
			continue
		}
		p := filepath.Join(dir, name)
		if err := os.RemoveAll(p); err != nil {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, p)
	}
	return removed, errors.Join(errs...)
}

// buildHook, when set (tests), runs after each stage of BuildGeneration
// ("bleve", "snapshot", "meta"); an error fails the build there.
var buildHook func(stage, gen string) error

// BuildGeneration builds arts into a new generation directory of dir
// (created if need be), writes its snapshot and meta (m gives ContentHash and
// Failed; the rest is filled in), syncs it to disk, and opens it read-only as
// OpenGeneration does, which checks it. It does not make it current
// (SetCurrent does). On any failure the generation directory is removed.
// The articles must not change afterwards.
func BuildGeneration(ctx context.Context, dir string, arts []*Article, m Meta) (*Index, Meta, error) {
	start := time.Now()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, m, fmt.Errorf("index build: %w", err)
	}
	h8 := m.ContentHash
	if len(h8) < 8 {
		var b [4]byte
		rand.Read(b[:])
		h8 = hex.EncodeToString(b[:])
	}
	gen := filepath.Join(dir, fmt.Sprintf("%s%d-%s", genPrefix, time.Now().UnixNano(), strings.ToLower(h8[:8])))
	if err := os.Mkdir(gen, 0o755); err != nil {
		return nil, m, fmt.Errorf("index build: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(gen)
		}
	}()
	hook := func(stage string) error {
		if buildHook != nil {
			return buildHook(stage, gen)
		}
		return nil
	}

	built, err := Build(ctx, arts, BuildOptions{Dir: filepath.Join(gen, bleveSubdir), BatchSize: generationBatch})
	if err != nil {
		return nil, m, err
	}
	snap, err := encodeSnapshot(built)
	cerr := built.Close()
	if err != nil {
		return nil, m, fmt.Errorf("index build: %w", err)
	}
	if cerr != nil {
		return nil, m, fmt.Errorf("index build: closing bleve: %w", cerr)
	}
	if err := hook("bleve"); err != nil {
		return nil, m, err
	}
	if err := writeFileSync(filepath.Join(gen, snapshotFile), snap); err != nil {
		return nil, m, fmt.Errorf("index build: %w", err)
	}
	if err := hook("snapshot"); err != nil {
		return nil, m, err
	}
	m.Format = FormatVersion
	m.Articles = len(built.Articles)
	m.Sentences = len(built.Sents)
	m.Terms = built.Terms.Size()
	m.Built = built.Built.UTC()
	m.BuildMillis = time.Since(start).Milliseconds()
	mj, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, m, fmt.Errorf("index build: %w", err)
	}
	if err := writeFileSync(filepath.Join(gen, metaFile), append(mj, '\n')); err != nil {
		return nil, m, fmt.Errorf("index build: %w", err)
	}
	for _, d := range []string{filepath.Join(gen, bleveSubdir, "store"), filepath.Join(gen, bleveSubdir), gen, dir} {
		if err := syncDir(d); err != nil {
			return nil, m, fmt.Errorf("index build: %w", err)
		}
	}
	if err := hook("meta"); err != nil {
		return nil, m, err
	}
	ix, m2, err := OpenGeneration(ctx, gen)
	if err != nil {
		return nil, m, fmt.Errorf("index build: the new generation does not open: %w", err)
	}
	if err := ix.Check(ctx, 0); err != nil {
		ix.Close()
		return nil, m, fmt.Errorf("index build: check failed: %w", err)
	}
	ix.Took = time.Since(start)
	ok = true
	return ix, m2, nil
}

// OpenGeneration opens the generation at gen read-only (bleve with
// read_only and bolt_timeout, so any number of processes may open it and
// none waits forever) and checks it: its meta is of FormatVersion, its
// snapshot reads back whole and matches the meta's counts, bleve opens and
// holds one document per sentence, and a probe search finds a sentence.
// Any failure is an error saying what is wrong.
func OpenGeneration(ctx context.Context, gen string) (*Index, Meta, error) {
	m, err := ReadMeta(gen)
	if err != nil {
		return nil, m, err
	}
	if m.Format != FormatVersion {
		return nil, m, fmt.Errorf("format %d, this program reads %d", m.Format, FormatVersion)
	}
	type opened struct {
		bi  bleve.Index
		err error
	}
	bch := make(chan opened, 1)
	bdir := filepath.Join(gen, bleveSubdir)
	go func() { // open bleve while the snapshot decodes
		if _, err := os.Stat(filepath.Join(bdir, "index_meta.json")); err != nil {
			bch <- opened{nil, err}
			return
		}
		bi, err := bleve.OpenUsing(bdir, map[string]interface{}{"read_only": true, "bolt_timeout": boltTimeout})
		bch <- opened{bi, err}
	}()
	ix, err := readSnapshot(filepath.Join(gen, snapshotFile))
	b := <-bch
	if b.err != nil {
		if err == nil {
			err = fmt.Errorf("bleve: %w", b.err)
		}
	} else if err != nil {
		b.bi.Close()
	}
	if err != nil {
		return nil, m, err
	}
	ix.bleve = b.bi
	ix.Dir = bdir
	ix.Built = m.Built
	ix.Took = time.Duration(m.BuildMillis) * time.Millisecond
	fail := func(err error) (*Index, Meta, error) {
		ix.Close()
		return nil, m, err
	}
	if len(ix.Articles) != m.Articles || len(ix.Sents) != m.Sentences {
		return fail(fmt.Errorf("snapshot holds %d articles and %d sentences, meta says %d and %d",
			len(ix.Articles), len(ix.Sents), m.Articles, m.Sentences))
	}
	if err := ix.Check(ctx, 1); err != nil {
		return fail(err)
	}
	return ix, m, nil
}

// Check verifies an index: bleve holds one document per sentence, and a
// term query for a word of each of probes sentences spread over the table
// (8 when probes ≤ 0) finds that sentence. An index that cannot find its own
// text is not to be served.
func (ix *Index) Check(ctx context.Context, probes int) error {
	n, err := ix.bleve.DocCount()
	if err != nil {
		return fmt.Errorf("bleve document count: %w", err)
	}
	if int(n) != len(ix.Sents) {
		return fmt.Errorf("bleve holds %d documents for %d sentences", n, len(ix.Sents))
	}
	if probes <= 0 {
		probes = 8
	}
	step := max(1, len(ix.Sents)/probes)
	for id := len(ix.Sents) / (2 * probes); id < len(ix.Sents); id += step {
		art, _, sent := ix.Lookup(id)
		for _, tok := range Tokenize(sent.Text) {
			field, term := FieldLight, ArabicForms(tok).Light
			if art.Lang == "en" {
				field, term = FieldEnglish, ""
				if lower, stem := EnglishForms(tok); lower != "" {
					term = stem
				}
			}
			if term == "" {
				continue
			}
			tq := query.NewTermQuery(term)
			tq.SetField(field)
			tq.SetBoost(1)
			q := query.NewConjunctionQuery([]query.Query{tq, docIDQuery(id)})
			hits, err := ix.Search(ctx, q, 1)
			if err != nil {
				return fmt.Errorf("probe search: %w", err)
			}
			if len(hits) != 1 || hits[0].ID != id {
				return fmt.Errorf("sentence %d is not found by its word %q", id, term)
			}
			break
		}
	}
	return nil
}

func docIDQuery(id int) query.Query {
	return query.NewDocIDQuery([]string{strconv.Itoa(id)})
}

func writeFileSync(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// generationBatch is the bleve batch size of BuildGeneration: bigger
// batches make fewer, larger segments (fewer merges and fsyncs).
var generationBatch = 10000
