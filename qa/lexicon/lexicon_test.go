package lexicon

import (
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

func arabicOf(ts []Translation) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Arabic)
	}
	return out
}

func TestLoadGlossary(t *testing.T) {
	f, err := os.Open("testdata/glossary_sample.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	l := New()
	n, errs := l.LoadGlossary("glossary_sample.tsv", f)
	if n != 5 {
		t.Errorf("entries = %d, want 5", n)
	}
	var lines []string
	for _, e := range errs {
		lines = append(lines, strings.SplitN(e.Error(), ": ", 2)[0])
	}
	if want := []string{"glossary_sample.tsv:7", "glossary_sample.tsv:9", "glossary_sample.tsv:10"}; !reflect.DeepEqual(lines, want) {
		t.Errorf("errors at %v, want %v (%v)", lines, want, errs)
	}
	// duplicates merge in order, without repeats
	if got, want := arabicOf(l.Lookup("falcon")), []string{"صقر", "الصقر", "شاهين"}; !reflect.DeepEqual(got, want) {
		t.Errorf("falcon = %v, want %v", got, want)
	}
	// diacritics stripped; keys case- and space-normalised
	if got := arabicOf(l.Lookup("season")); !reflect.DeepEqual(got, []string{"موسم", "الموسم"}) {
		t.Errorf("season = %v", got)
	}
	got := l.Lookup("Chief of  staff")
	if len(got) != 2 || got[0].Arabic != "رئيس الأركان" || !got[0].Phrase || got[0].Source != SourceGlossary || got[0].Weight != GlossaryWeight {
		t.Errorf("chief of staff = %+v", got)
	}
	if l.MaxPhraseWords() != 3 {
		t.Errorf("MaxPhraseWords = %d, want 3", l.MaxPhraseWords())
	}
	if g, d := l.Stats(); g != 4 || d != 0 {
		t.Errorf("Stats = %d, %d", g, d)
	}
	if l.Lookup("nothing") != nil || l.Has("nothing") || !l.Has("falcon") {
		t.Error("unknown key found or known key missing")
	}
	// Reverse: normalised Arabic, with and without article and proclitics
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"صقر", []string{"falcon"}},
		{"الصقر", []string{"falcon"}},
		{"والصقر", []string{"falcon"}},
		{"الحرس الوطني", []string{"national guard"}},
		{"رئيس الاركان", []string{"chief of staff"}},
		{"المَوْسِم", []string{"season"}},
		{"بيت", nil},
	} {
		if got := l.Reverse(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Reverse(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestGlossaryCRLFAndBOM(t *testing.T) {
	l := New()
	n, errs := l.LoadGlossary("x", strings.NewReader("\ufeffarmy\tجيش|الجيش\r\n#c\r\nwar\tحرب\r\n"))
	if n != 2 || len(errs) != 0 {
		t.Fatalf("n=%d errs=%v", n, errs)
	}
	if got := arabicOf(l.Lookup("army")); !reflect.DeepEqual(got, []string{"جيش", "الجيش"}) {
		t.Errorf("army = %v", got)
	}
}

func TestEmbeddedGlossary(t *testing.T) {
	l, rep := Load(nil)
	g, d := l.Stats()
	if g == 0 || d != 0 {
		t.Errorf("Stats = %d, %d", g, d)
	}
	if rep.GlossaryFiles == 0 || rep.GlossaryKeys != g {
		t.Errorf("report %+v", rep)
	}
	for _, e := range rep.BadLines {
		t.Logf("bad glossary line (the data files are being written): %v", e)
	}
	t.Log(rep.String())
}

func TestLoadDictdFixture(t *testing.T) {
	for _, dict := range []string{"testdata/tiny.dict", "testdata/tiny.dict.dz"} {
		l := New()
		n, err := l.LoadDictd("testdata/tiny.index", dict)
		if err != nil {
			t.Fatal(dict, err)
		}
		// falcon ×2, harbour, lantern, kite-flying, dune, compass rose, quill, saffron; not -ette
		if n != 9 {
			t.Errorf("%s: entries = %d, want 9", dict, n)
		}
		for _, c := range []struct {
			en   string
			want []string
		}{
			{"falcon", []string{"الصقر", "الشاهين"}},
			{"harbour", []string{"الميناء", "المرفأ"}},
			{"lantern", []string{"فانوس", "قنديل"}},
			{"kite-flying", []string{"الطائرة الورقية"}},
			{"kite flying", []string{"الطائرة الورقية"}},
			{"dune", []string{"كثيب رملي", "تل رمل", "رابية"}},
			{"compass rose", []string{"وردة البوصلة"}},
			{"quill", []string{"ريشة للكتابة"}},
			{"saffron", []string{"الزعفران"}},
			{"-ette", nil},
			{"ette", nil},
		} {
			got := l.Lookup(c.en)
			if !reflect.DeepEqual(arabicOf(got), c.want) {
				t.Errorf("%s: Lookup(%q) = %v, want %v", dict, c.en, arabicOf(got), c.want)
			}
			for _, tr := range got {
				if tr.Source != SourceDictd || tr.Weight != DictdWeight || tr.Phrase != strings.Contains(tr.Arabic, " ") {
					t.Errorf("%s: %q: %+v", dict, c.en, tr)
				}
			}
		}
		if l.MaxPhraseWords() != 2 {
			t.Errorf("MaxPhraseWords = %d", l.MaxPhraseWords())
		}
	}
}

func TestGlossaryBeforeDictd(t *testing.T) {
	l := New()
	l.LoadGlossary("g", strings.NewReader("falcon\tصقر|الشاهين\n"))
	if _, err := l.LoadDictd("testdata/tiny.index", "testdata/tiny.dict.dz"); err != nil {
		t.Fatal(err)
	}
	got := l.Lookup("falcon")
	want := []Translation{
		{Arabic: "صقر", Weight: GlossaryWeight, Source: SourceGlossary},
		{Arabic: "الشاهين", Weight: GlossaryWeight, Source: SourceGlossary},
		{Arabic: "الصقر", Weight: DictdWeight, Source: SourceDictd},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("falcon = %+v", got)
	}
	if r := l.Reverse("الصقر"); !reflect.DeepEqual(r, []string{"falcon"}) {
		t.Errorf("Reverse uses glossary only: %v", r)
	}
}

func TestLoadDictdErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.index")
	os.WriteFile(bad, []byte("word\tZZZZ\tB\n"), 0o644)
	l := New()
	if _, err := l.LoadDictd(bad, "testdata/tiny.dict"); err == nil {
		t.Error("offset beyond the end accepted")
	}
	os.WriteFile(bad, []byte("word only\n"), 0o644)
	if _, err := l.LoadDictd(bad, "testdata/tiny.dict"); err == nil || !strings.Contains(err.Error(), ":1:") {
		t.Errorf("bad line: %v", err)
	}
	if _, err := l.LoadDictd(filepath.Join(dir, "none.index"), "testdata/tiny.dict"); err == nil {
		t.Error("missing index accepted")
	}
}

func TestLoadMissing(t *testing.T) {
	l, rep := Load([][2]string{
		{"/nonexistent/freedict-xxx.index", "/nonexistent/freedict-xxx.dict.dz"},
		{"testdata/tiny.index", "testdata/tiny.dict.dz"},
	})
	if len(rep.Dictd) != 2 || !rep.Dictd[0].Missing || rep.Dictd[0].Err != nil {
		t.Fatalf("report %+v", rep.Dictd)
	}
	if rep.Dictd[1].Missing || rep.Dictd[1].Err != nil || rep.Dictd[1].Entries != 9 {
		t.Errorf("fixture %+v", rep.Dictd[1])
	}
	if l.Lookup("lantern") == nil {
		t.Error("fixture not loaded")
	}
	s := rep.String()
	if strings.Contains(s, "\n") || !strings.Contains(s, "freedict-xxx not installed") || !strings.Contains(s, "tiny 9 entries") {
		t.Errorf("String() = %q", s)
	}
	t.Log(s)
}

func TestLoadDictdInstalled(t *testing.T) {
	p := DefaultDictdPaths()
	if _, err := os.Stat(p[0]); err != nil {
		t.Skip("dict-freedict-eng-ara is not installed")
	}
	start := time.Now()
	l, rep := Load(DefaultDictdPairs())
	took := time.Since(start)
	if rep.Dictd[0].Err != nil || rep.Dictd[0].Entries < 80000 {
		t.Fatalf("report %+v", rep.Dictd[0])
	}
	_, d := l.Stats()
	translations, phrases := 0, 0
	for _, v := range l.dict {
		translations += len(v)
		for _, a := range v {
			if strings.Contains(a, " ") {
				phrases++
			}
		}
	}
	t.Logf("%s; %d keys, %d translations (%d multi-word) in %s", rep, d, translations, phrases, took)
	for _, c := range []struct{ en, want string }{
		{"defence", "الدفاع"}, {"army", "الجيش"}, {"minister", "الوزير"}, {"sign", "الإشارة"},
		{"visit", "الزيارة"}, {"addis ababa", "أديس أبابا"}, {"cakewalk", "كيك واك"},
	} {
		found := false
		for _, tr := range l.Lookup(c.en) {
			if tr.Arabic == c.want {
				found = true
			}
			if strings.IndexFunc(tr.Arabic, isArabicDiacritic) >= 0 || strings.IndexFunc(tr.Arabic, isLatinLetter) >= 0 {
				t.Errorf("%s: unclean rendering %q", c.en, tr.Arabic)
			}
		}
		if !found {
			t.Errorf("Lookup(%q) = %v, want %s among them", c.en, arabicOf(l.Lookup(c.en)), c.want)
		}
	}
	// No rendering keeps numbering, brackets, Latin letters or separators.
	for k, v := range l.dict {
		for _, a := range v {
			if strings.ContainsAny(a, "()[]{},;،؛-/0123456789") || strings.IndexFunc(a, isLatinLetter) >= 0 {
				t.Fatalf("%q: unclean rendering %q", k, a)
			}
		}
	}
}

func TestNormalizeArabic(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"أَنْقَرَة", "انقره"},
		{"إلى  مستشفى", "الي مستشفي"},
		{"آمـــال", "امال"},
		{"٢٠٢٤ NATO", "2024 nato"},
		{"  ", ""},
	} {
		if got := NormalizeArabic(c.in); got != c.want {
			t.Errorf("NormalizeArabic(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestConcurrentLookups(t *testing.T) {
	l := New()
	l.LoadGlossary("g", strings.NewReader("falcon\tصقر\n"))
	done := make(chan bool)
	for range 4 {
		go func() {
			for range 200 {
				l.Lookup("falcon")
				l.Reverse("صقر")
			}
			done <- true
		}()
	}
	if _, err := l.LoadDictd("testdata/tiny.index", "testdata/tiny.dict.dz"); err != nil {
		t.Error(err)
	}
	for range 4 {
		<-done
	}
}

func benchmarkLoad(b *testing.B, pairs [][2]string) {
	var ms0, ms1 runtime.MemStats
	b.ReportAllocs()
	for b.Loop() {
		Load(pairs)
	}
	// Live heap held by one loaded Lexicon.
	runtime.GC()
	runtime.ReadMemStats(&ms0)
	l, _ := Load(pairs)
	runtime.GC()
	runtime.ReadMemStats(&ms1)
	b.ReportMetric(float64(ms1.HeapAlloc-min(ms0.HeapAlloc, ms1.HeapAlloc))/(1<<20), "MB-live")
	runtime.KeepAlive(l)
}

func BenchmarkLoadGlossary(b *testing.B) { benchmarkLoad(b, nil) }

func BenchmarkLoadWithDictd(b *testing.B) {
	if _, err := os.Stat(DefaultDictdPaths()[0]); err != nil {
		b.Skip("dict-freedict-eng-ara is not installed")
	}
	benchmarkLoad(b, DefaultDictdPairs())
}

func BenchmarkLookup(b *testing.B) {
	l, _ := Load(DefaultDictdPairs())
	words := []string{"defence", "army", "minister", "national guard", "visit", "unknownword"}
	i := 0
	for b.Loop() {
		l.Lookup(words[i%len(words)])
		i++
	}
}

// TestMetonyms: a capital stands for its country and nationality, also
// with a proclitic and without hamza; bad lines are reported.
func TestMetonyms(t *testing.T) {
	l, rep := Load(nil)
	if rep.Metonyms < 150 {
		t.Errorf("embedded capitals: %d", rep.Metonyms)
	}
	for _, w := range []string{"أنقرة", "انقرة", "وأنقرة", "بانقره"} {
		m := l.Metonyms(w)
		if !slices.Contains(m, "تركيا") || !slices.Contains(m, "تركية") {
			t.Errorf("Metonyms(%s) = %v", w, m)
		}
	}
	if m := l.Metonyms("الكويت"); m != nil {
		t.Errorf("Metonyms(الكويت) = %v: a country is not a capital", m)
	}
	x := New()
	n, errs := x.LoadMetonyms("t.tsv", strings.NewReader("# c\nواشنطن\tالولايات المتحدة|أمريكا\tأمريكي\nbad line\nباريس\t\t\n"))
	if n != 1 || len(errs) != 2 {
		t.Errorf("LoadMetonyms: %d entries, errors %v", n, errs)
	}
	if m := x.Metonyms("واشنطن"); len(m) != 3 {
		t.Errorf("Metonyms(واشنطن) = %v", m)
	}
}
