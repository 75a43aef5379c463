package index

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/blevesearch/bleve/v2/search/query"
)

// smallCorpus is a few articles with headings, a translation and an English
// article: every field the snapshot stores.
func smallCorpus() fstest.MapFS {
	return fstest.MapFS{
		"politics/summit.txt": {Data: []byte(`+++
title = "قمة في الكويت"
source = "جريدة القبس"
url = "https://example.com/summit"
author = "كاتب"
published = 2025-06-01
section = "سياسة"
+++
عقد القادة قمة في الكويت يوم الاثنين. وناقشوا التعاون الدفاعي والاقتصادي.

نتائج القمة

اتفق المشاركون على إنشاء صندوق مشترك بقيمة ٢٠٠ مليون دينار. وسيبدأ العمل به في عام 2026.
`)},
		"politics/summit.en.txt": {Data: []byte(`+++
title = "Summit in Kuwait"
+++
The leaders held a summit in Kuwait on Monday. They discussed defence and economic cooperation.

Summit results

The participants agreed to set up a joint fund worth 200 million dinars. It will start in 2026.
`)},
		"economy/oil.md": {Data: []byte(`ارتفعت أسعار النفط في الأسواق العالمية. وقال المحللون إن الطلب يزداد.
`)},
		"english.txt": {Data: []byte(`+++
lang = "en"
title = "An English article"
+++
The central bank raised interest rates by half a point. Analysts expected the move.
`)},
	}
}

func loadSmall(t *testing.T) []*Article {
	t.Helper()
	arts, errs := LoadDir(smallCorpus())
	if len(errs) > 0 {
		t.Fatalf("load: %v", errs)
	}
	return arts
}

// decodeSnapshot decodes a whole snapshot held in data (which must not
// change afterwards: the index's strings point into it).
func decodeSnapshot(data []byte) (*Index, error) {
	hlen, alen, err := parseSnapshotHeader(data, int64(len(data)))
	if err != nil {
		return nil, err
	}
	return decodeParts(data[:hlen], data[hlen:hlen+alen], data[hlen+alen:])
}

func TestSnapshotRoundTrip(t *testing.T) {
	arts := loadSmall(t)
	ix, err := Build(context.Background(), arts, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	data, err := encodeSnapshot(ix)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeSnapshot(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Articles) != len(arts) {
		t.Fatalf("%d articles, want %d", len(got.Articles), len(arts))
	}
	for i := range arts {
		want, have := *arts[i], *got.Articles[i]
		if !want.Published.Equal(have.Published) {
			t.Errorf("%s: published %v, want %v", want.ID, have.Published, want.Published)
		}
		want.Published, have.Published = time.Time{}, time.Time{}
		if want.Translation != nil && have.Translation != nil {
			wt, ht := *want.Translation, *have.Translation
			wt.Published, ht.Published = time.Time{}, time.Time{}
			want.Translation, have.Translation = &wt, &ht
		}
		if !reflect.DeepEqual(want, have) {
			t.Errorf("article %s differs after the round trip:\n got %+v\nwant %+v", want.ID, have, want)
		}
	}
	if !reflect.DeepEqual(got.Sents, ix.Sents) {
		t.Error("sentence table differs")
	}
	w, g := ix.Terms, got.Terms
	if !reflect.DeepEqual(w.dict, g.dict) || !reflect.DeepEqual(w.words, g.words) || !reflect.DeepEqual(w.trans, g.trans) ||
		!reflect.DeepEqual(w.vocab, g.vocab) || !reflect.DeepEqual(w.df, g.df) || w.n != g.n {
		t.Errorf("term table differs after the round trip")
	}

	// Any damage is detected.
	for _, cut := range []int{0, 5, len(data) / 2, len(data) - 1} {
		if _, err := decodeSnapshot(data[:cut]); err == nil {
			t.Errorf("a snapshot cut at %d bytes decodes", cut)
		}
	}
	bad := append([]byte(nil), data...)
	bad[len(bad)/2] ^= 0x40
	if _, err := decodeSnapshot(bad); err == nil {
		t.Error("a snapshot with a flipped bit decodes")
	}
}

// TestSnapshotCoversEveryField fails when a field is added to the types the
// snapshot stores: persist_codec.go must then store it, and FormatVersion
// go up.
func TestSnapshotCoversEveryField(t *testing.T) {
	for _, c := range []struct {
		v any
		n int
	}{{Article{}, 12}, {Paragraph{}, 7}, {Sentence{}, 6}, {TermTable{}, 7}, {Word{}, 3}} {
		if got := reflect.TypeOf(c.v).NumField(); got != c.n {
			t.Errorf("%T has %d fields, the snapshot codec knows %d: update persist_codec.go and bump FormatVersion", c.v, got, c.n)
		}
	}
}

func TestContentHash(t *testing.T) {
	fsys := smallCorpus()
	h, err := ContentHash(fsys)
	if err != nil {
		t.Fatal(err)
	}
	_, _, h2 := LoadDirHashed(fsys)
	if h != h2 {
		t.Fatalf("ContentHash %s, LoadDirHashed %s: they must agree", h, h2)
	}
	// Files LoadDir does not read change nothing.
	fsys["notes.json"] = &fstest.MapFile{Data: []byte("{}")}
	fsys[".hidden.txt"] = &fstest.MapFile{Data: []byte("سر.")}
	if h3, _ := ContentHash(fsys); h3 != h {
		t.Error("a file LoadDir ignores changed the hash")
	}
	change := map[string]func(fstest.MapFS){
		"one byte of an article": func(m fstest.MapFS) {
			m["economy/oil.md"] = &fstest.MapFile{Data: []byte("ارتفعت أسعار الذهب.\n")}
		},
		"the translation": func(m fstest.MapFS) {
			m["politics/summit.en.txt"].Data = append([]byte(nil), m["politics/summit.en.txt"].Data[:40]...)
		},
		"a rename":                func(m fstest.MapFS) { m["economy/oil2.md"] = m["economy/oil.md"]; delete(m, "economy/oil.md") },
		"a new article":           func(m fstest.MapFS) { m["new.txt"] = &fstest.MapFile{Data: []byte("خبر جديد.\n")} },
		"a file removed":          func(m fstest.MapFS) { delete(m, "english.txt") },
		"a translation added":     func(m fstest.MapFS) { m["economy/oil.en.md"] = &fstest.MapFile{Data: []byte("Oil prices rose.\n")} },
		"an empty article":        func(m fstest.MapFS) { m["empty.txt"] = &fstest.MapFile{Data: nil} },
		"a file in a new subdir":  func(m fstest.MapFS) { m["a/b/c.txt"] = &fstest.MapFile{Data: []byte("نص.\n")} },
		"swapping bytes to paths": func(m fstest.MapFS) { m["english.txt"], m["economy/oil.md"] = m["economy/oil.md"], m["english.txt"] },
	}
	for name, f := range change {
		m := smallCorpus()
		f(m)
		h3, err := ContentHash(m)
		if err != nil {
			t.Fatal(err)
		}
		if h3 == h {
			t.Errorf("%s did not change the hash", name)
		}
		if _, _, h4 := LoadDirHashed(m); h4 != h3 {
			t.Errorf("%s: ContentHash and LoadDirHashed disagree", name)
		}
	}
	if _, err := ContentHash(os.DirFS(filepath.Join(t.TempDir(), "missing"))); err == nil {
		t.Error("ContentHash of a missing directory: no error")
	}
}

// buildCurrent builds the small corpus into a new generation of dir and
// makes it current.
func buildCurrent(t *testing.T, dir string) (*Index, string) {
	t.Helper()
	arts, _, hash := LoadDirHashed(smallCorpus())
	ix, m, err := BuildGeneration(context.Background(), dir, arts, Meta{ContentHash: hash})
	if err != nil {
		t.Fatal(err)
	}
	if m.ContentHash != hash || m.Sentences != len(ix.Sents) || m.Format != FormatVersion {
		t.Fatalf("meta %+v", m)
	}
	gen := filepath.Dir(ix.Dir)
	if err := SetCurrent(dir, gen); err != nil {
		t.Fatal(err)
	}
	return ix, gen
}

func searchIDs(t *testing.T, ix *Index, field, term string) []int {
	t.Helper()
	tq := query.NewTermQuery(term)
	tq.SetField(field)
	hits, err := ix.Search(context.Background(), tq, 10)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int
	for _, h := range hits {
		ids = append(ids, h.ID)
	}
	return ids
}

func TestBuildAndOpenGeneration(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix, gen := buildCurrent(t, dir)
	defer ix.Close()
	cur, err := ReadCurrent(dir)
	if err != nil || cur != gen {
		t.Fatalf("ReadCurrent = %q, %v; want %q", cur, err, gen)
	}
	for _, f := range []string{metaFile, snapshotFile, filepath.Join(bleveSubdir, "index_meta.json")} {
		if _, err := os.Stat(filepath.Join(gen, f)); err != nil {
			t.Errorf("generation lacks %s: %v", f, err)
		}
	}
	// Open it again beside the one already open (read-only opens share the
	// lock; none blocks) and compare.
	done := make(chan struct{})
	var ix2 *Index
	go func() {
		defer close(done)
		ix2, _, err = OpenGeneration(context.Background(), gen)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("a second open of the same generation blocks")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer ix2.Close()
	for _, q := range [][2]string{{FieldLight, ArabicForms("النفط").Light}, {FieldEnglish, "summit"}, {FieldEnglish, "bank"}} {
		a, b := searchIDs(t, ix, q[0], q[1]), searchIDs(t, ix2, q[0], q[1])
		if len(a) == 0 || !reflect.DeepEqual(a, b) {
			t.Errorf("%s:%s: %v and %v", q[0], q[1], a, b)
		}
	}
	if ix2.TranslationOf(ix2.Sents[0]) == "" && ix.TranslationOf(ix.Sents[0]) != "" {
		t.Error("translation lost")
	}
	// Close twice: no panic.
	ix2.Close()
}

func TestBuildFailureLeavesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix, gen := buildCurrent(t, dir)
	ix.Close()
	t.Cleanup(func() { buildHook = nil })
	arts, _, hash := LoadDirHashed(smallCorpus())
	for _, stage := range []string{"bleve", "snapshot", "meta"} {
		buildHook = func(s, g string) error {
			if s == stage {
				return errors.New("disk full")
			}
			return nil
		}
		if _, _, err := BuildGeneration(context.Background(), dir, arts, Meta{ContentHash: hash}); err == nil {
			t.Fatalf("stage %s: no error", stage)
		}
		gens, _ := Generations(dir)
		if len(gens) != 1 || gens[0] != gen {
			t.Errorf("after a failure at %s: generations %v, want only %s", stage, gens, gen)
		}
	}
	buildHook = nil

	// A cancelled build leaves nothing either.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := BuildGeneration(ctx, dir, arts, Meta{ContentHash: hash}); err == nil {
		t.Fatal("cancelled build: no error")
	}
	if gens, _ := Generations(dir); len(gens) != 1 {
		t.Errorf("after a cancelled build: %v", gens)
	}
}

func TestCrashMidBuildIsCleanedUp(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix, gen := buildCurrent(t, dir)
	ix.Close()
	t.Cleanup(func() { buildHook = nil })
	// A panic stands for a crash: the deferred clean-up does not run for a
	// killed process, so the half-written generation stays.
	var half string
	buildHook = func(s, g string) error {
		if s == "snapshot" {
			half = g
			panic("crash")
		}
		return nil
	}
	arts, _, hash := LoadDirHashed(smallCorpus())
	func() {
		defer func() { recover() }()
		BuildGeneration(context.Background(), dir, arts, Meta{ContentHash: hash})
	}()
	buildHook = nil
	// The deferred RemoveAll does run on panic; put the half generation
	// back as a crash would have left it.
	if _, err := os.Stat(half); err != nil {
		if err := os.MkdirAll(filepath.Join(half, bleveSubdir), 0o755); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(half, snapshotFile), []byte("QABOTSNP partial"), 0o644)
	}
	os.WriteFile(filepath.Join(dir, currentTemp+"123"), []byte("gen-"), 0o644)

	cur, err := ReadCurrent(dir)
	if err != nil || cur != gen {
		t.Fatalf("CURRENT = %q, %v after a crash; want %q", cur, err, gen)
	}
	ix2, _, err := OpenGeneration(context.Background(), cur)
	if err != nil {
		t.Fatalf("the current generation does not open after a crash: %v", err)
	}
	ix2.Close()
	if _, _, err := OpenGeneration(context.Background(), half); err == nil {
		t.Error("the half-written generation opens")
	}
	removed, err := RemoveGenerations(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 2 {
		t.Errorf("removed %v, want the half generation and the temp file", removed)
	}
	if gens, _ := Generations(dir); len(gens) != 1 || gens[0] != gen {
		t.Errorf("generations after clean-up: %v", gens)
	}
}

func TestCorruptGenerationIsReported(t *testing.T) {
	ctx := context.Background()
	damage := map[string]func(t *testing.T, gen string){
		"segment files deleted": func(t *testing.T, gen string) {
			zaps, _ := filepath.Glob(filepath.Join(gen, bleveSubdir, "store", "*.zap"))
			if len(zaps) == 0 {
				t.Fatal("no .zap files")
			}
			for _, z := range zaps {
				os.Remove(z)
			}
		},
		"bleve dir deleted": func(t *testing.T, gen string) { os.RemoveAll(filepath.Join(gen, bleveSubdir)) },
		"root.bolt garbage": func(t *testing.T, gen string) {
			os.WriteFile(filepath.Join(gen, bleveSubdir, "store", "root.bolt"), []byte("garbage"), 0o600)
		},
		"snapshot deleted":   func(t *testing.T, gen string) { os.Remove(filepath.Join(gen, snapshotFile)) },
		"snapshot truncated": func(t *testing.T, gen string) { os.Truncate(filepath.Join(gen, snapshotFile), 100) },
		"meta deleted":       func(t *testing.T, gen string) { os.Remove(filepath.Join(gen, metaFile)) },
		"meta garbage":       func(t *testing.T, gen string) { os.WriteFile(filepath.Join(gen, metaFile), []byte("{"), 0o644) },
		"old format": func(t *testing.T, gen string) {
			os.WriteFile(filepath.Join(gen, metaFile), []byte(`{"format": 0}`), 0o644)
		},
		"sentence count differs": func(t *testing.T, gen string) {
			m, _ := ReadMeta(gen)
			m.Sentences++
			data := fmt.Sprintf(`{"format": %d, "articles": %d, "sentences": %d}`, m.Format, m.Articles, m.Sentences)
			os.WriteFile(filepath.Join(gen, metaFile), []byte(data), 0o644)
		},
	}
	for name, f := range damage {
		t.Run(strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "index")
			ix, gen := buildCurrent(t, dir)
			ix.Close()
			f(t, gen)
			done := make(chan error, 1)
			go func() {
				ix, _, err := OpenGeneration(ctx, gen)
				if err == nil {
					ix.Close()
				}
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil {
					t.Fatal("a damaged generation opens")
				}
				t.Logf("error: %v", err)
			case <-time.After(20 * time.Second):
				t.Fatal("opening a damaged generation hangs")
			}
		})
	}
	for _, cur := range []string{"", "garbage\x00\xff", "gen-1-zzzzzzzz", "../../etc", "gen-12-abcdef01/../x"} {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, CurrentFile), []byte(cur), 0o644)
		if g, err := ReadCurrent(dir); err == nil {
			t.Errorf("CURRENT %q read as %q", cur, g)
		}
	}
	if _, err := ReadCurrent(t.TempDir()); !errors.Is(err, ErrNoCurrent) {
		t.Errorf("no CURRENT: %v, want ErrNoCurrent", err)
	}
}

func TestLockDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	unlock, err := LockDir(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	if _, err := LockDir(ctx, dir); err == nil {
		if strings.Contains(os.Getenv("GOOS"), "windows") {
			t.Skip("no locking here")
		}
		t.Fatal("the lock was taken twice")
	}
	unlock()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		u, err := LockDir(context.Background(), dir)
		if err != nil {
			t.Error(err)
			return
		}
		u()
	}()
	wg.Wait()
}

var _ fs.FS = (*hashingFS)(nil)
