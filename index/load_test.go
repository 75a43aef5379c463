package index

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

func testFS(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for name, data := range files {
		m[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return m
}

func articleIDs(arts []*Article) []string {
	var out []string
	for _, a := range arts {
		out = append(out, a.ID)
	}
	return out
}

func errorsText(errs []LoadError) string {
	var b strings.Builder
	for _, e := range errs {
		b.WriteString(e.Error())
		b.WriteString("\n")
	}
	return b.String()
}

const (
	arDoc = "+++\ntitle = \"خبر\"\n+++\nعنوان فرعي\n\nالجملة الأولى. والجملة الثانية.\n\nفقرة ثالثة.\n"
	enDoc = "+++\ntitle = \"News\"\n+++\nA sub-heading\n\nThe first sentence. The second sentence.\n\nA third paragraph.\n"
)

func TestLoadDirTree(t *testing.T) {
	fsys := testFS(map[string]string{
		"b.txt":                  arDoc,
		"a.md":                   "# Heading\n\nBody text.\n",
		"news/2025/story.txt":    arDoc,
		"news/2025/story.en.txt": enDoc,
		"news/readme.json":       "{}",
		".hidden.txt":            arDoc,
		".git/config.txt":        arDoc,
		"news/.draft/x.txt":      arDoc,
		"UPPER.TXT":              "Loud text.\n",
	})
	arts, errs := LoadDir(fsys)
	if len(errs) != 0 {
		t.Fatalf("errors:\n%s", errorsText(errs))
	}
	if got, want := strings.Join(articleIDs(arts), " "), "UPPER a b news/2025/story"; got != want {
		t.Fatalf("ids %q, want %q", got, want)
	}
	story := arts[3]
	if story.Path != "news/2025/story.txt" || story.Translation == nil {
		t.Fatalf("story: path %q, translation %v", story.Path, story.Translation)
	}
	tr := story.Translation
	if tr.Lang != "en" || tr.ID != story.ID || tr.Path != "news/2025/story.en.txt" || tr.Title != "News" || tr.Translation != nil {
		t.Errorf("translation: lang %q id %q path %q title %q", tr.Lang, tr.ID, tr.Path, tr.Title)
	}
	if len(tr.Paragraphs) != len(story.Paragraphs) {
		t.Errorf("translation has %d paragraphs, story %d", len(tr.Paragraphs), len(story.Paragraphs))
	}
	for _, p := range tr.Paragraphs {
		for _, s := range p.Sentences {
			if s.Doc != story.ID {
				t.Errorf("translation sentence doc %q", s.Doc)
			}
		}
	}
	sum := sha256.Sum256([]byte(arDoc + enDoc))
	if story.Hash != hex.EncodeToString(sum[:]) {
		t.Errorf("story hash does not cover the translation")
	}
	if b := arts[2]; b.Translation != nil || b.Hash == story.Hash {
		t.Errorf("b: translation %v, hash %s", b.Translation, b.Hash)
	}
	for _, a := range arts {
		checkArticle(t, a)
	}
}

func TestLoadDirProblems(t *testing.T) {
	fsys := testFS(map[string]string{
		"good.txt":           arDoc,
		"good.en.txt":        enDoc,
		"short.txt":          arDoc,
		"short.en.txt":       "Only one paragraph.\n",
		"orphan.en.txt":      enDoc,
		"dup.md":             arDoc,
		"dup.txt":            arDoc,
		"sub/broken.txt":     "+++\ntitle = \"x\"\nfoo = 1\n+++\nText.\n",
		"sub/broken.en.txt":  enDoc,
		"sub/empty.txt":      "\n\n",
		"sub/fine.txt":       "Fine text.\n",
		"bad-utf8.txt":       "ok\n\xff\n",
		"badtr.txt":          arDoc,
		"badtr.en.txt":       "+++\nlang = 3\n+++\nx\n",
		"kinds.txt":          "Heading\n\nText one.\n",
		"kinds.en.txt":       "Text without heading.\n\nHeading two\n\nExtra.\n",
		"two/dup.en.txt":     enDoc,
		"two/dup.en.md":      enDoc,
		"two/dup.txt":        arDoc,
		"deep/a/b/c/ok.md":   "Deep.\n",
		"notes/.hidden/x.md": "\xff",
	})
	arts, errs := LoadDir(fsys)
	t.Logf("errors:\n%s", errorsText(errs))
	if got, want := strings.Join(articleIDs(arts), " "), "badtr deep/a/b/c/ok dup good kinds short sub/fine two/dup"; got != want {
		t.Errorf("ids %q, want %q", got, want)
	}
	byID := map[string]*Article{}
	for _, a := range arts {
		byID[a.ID] = a
		checkArticle(t, a)
	}
	if byID["good"].Translation == nil || byID["two/dup"].Translation == nil {
		t.Error("good translations not attached")
	}
	for _, id := range []string{"short", "badtr", "kinds"} {
		if byID[id] != nil && byID[id].Translation != nil {
			t.Errorf("%s: bad translation attached", id)
		}
	}
	if byID["dup"] != nil && byID["dup"].Path != "dup.md" {
		t.Errorf("dup loaded from %s, want dup.md", byID["dup"].Path)
	}
	sum := sha256.Sum256([]byte(arDoc))
	if byID["short"].Hash != hex.EncodeToString(sum[:]) {
		t.Error("hash of an article whose translation was rejected must cover only its own bytes")
	}
	want := []struct {
		path     string
		line     int
		contains string
	}{
		{"bad-utf8.txt", 2, "invalid UTF-8"},
		{"badtr.en.txt", 2, "lang must be a string"},
		{"dup.txt", 0, "duplicate document id \"dup\""},
		{"kinds.en.txt", 1, "paragraph 1 is a text paragraph here but a heading"},
		{"orphan.en.txt", 0, "without an original"},
		{"short.en.txt", 1, "translation has 1 paragraphs, short.txt has 3"},
		{"sub/broken.txt", 3, `unknown key "foo"`},
		{"sub/empty.txt", 1, "no text"},
		{"two/dup.en.txt", 0, "duplicate translation"},
	}
	if len(errs) != len(want) {
		t.Fatalf("%d errors, want %d", len(errs), len(want))
	}
	for i, w := range want {
		e := errs[i]
		if e.Path != w.path || e.Line != w.line || !strings.Contains(e.Err, w.contains) {
			t.Errorf("error %d = %v (line %d), want %s:%d %q", i, e, e.Line, w.path, w.line, w.contains)
		}
	}
}

// errFS fails to open one file.
type errFS struct {
	fstest.MapFS
	bad string
}

func (f errFS) Open(name string) (fs.File, error) {
	if name == f.bad {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return f.MapFS.Open(name)
}

func (f errFS) ReadFile(name string) ([]byte, error) {
	if name == f.bad {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return f.MapFS.ReadFile(name)
}

func TestLoadDirUnreadable(t *testing.T) {
	fsys := errFS{testFS(map[string]string{"a.txt": "A.\n", "b.txt": "B.\n", "c.txt": "C.\n"}), "b.txt"}
	arts, errs := LoadDir(fsys)
	if strings.Join(articleIDs(arts), " ") != "a c" || len(errs) != 1 || errs[0].Path != "b.txt" || !strings.Contains(errs[0].Err, "permission") {
		t.Fatalf("ids %v, errors %v", articleIDs(arts), errs)
	}
}

func TestLoadDirMissingRoot(t *testing.T) {
	arts, errs := LoadDir(os.DirFS("testdata/does-not-exist"))
	if len(arts) != 0 || len(errs) != 1 {
		t.Fatalf("arts %v errs %v", articleIDs(arts), errs)
	}
}

func TestLoadDirTooBig(t *testing.T) {
	fsys := testFS(map[string]string{"ok.txt": "Fine.\n", "big.txt": strings.Repeat("كلمة ", MaxArticleBytes/8)})
	arts, errs := LoadDir(fsys)
	if strings.Join(articleIDs(arts), " ") != "ok" || len(errs) != 1 || errs[0].Path != "big.txt" {
		t.Fatalf("ids %v, errors %v", articleIDs(arts), errs)
	}
}

func TestLoadSeeds(t *testing.T) {
	if _, err := os.Stat("../seeds/alqabas-turkey-kuwait-defence.txt"); err != nil {
		t.Skip("no seeds:", err)
	}
	arts, errs := LoadDir(os.DirFS("../seeds"))
	if len(errs) != 0 {
		t.Fatalf("seed errors:\n%s", errorsText(errs))
	}
	for _, a := range arts {
		checkArticle(t, a)
		if a.Translation != nil {
			checkArticle(t, a.Translation)
		}
		t.Logf("%s: %d paragraphs, translation %v", a.ID, len(a.Paragraphs), a.Translation != nil)
	}
}
