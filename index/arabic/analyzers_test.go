package arabic

import (
	"reflect"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
)

const sentence = "وأشارت سونمز إلى أنه سبق أن تم في 25 مارس 2025 توقيع أول بروتوكول مماثل بين الجانبين"

func TestAnalyzersEndToEnd(t *testing.T) {
	tests := []struct {
		analyzer, text string
		want           []string
	}{
		{ExactAnalyzer, sentence, strings.Fields("واشارت سونمز سبق تم 25 مارس 2025 توقيع اول بروتوكول مماثل بين الجانبين")},
		{LightAnalyzer, sentence, strings.Fields("اشارت سونمز سبق تم 25 مارس 2025 توقيع اول بروتوكول مماثل بين جانب")},
		{SnowAnalyzer, sentence, strings.Fields("واشار سونمز سبق تم 25 مارس 2025 توقيع اول روتوكول مماثل بين جانب")},
		{ExactAnalyzer, "أعلنت الحكومةُ الكويتية في ٢٠٢٤ عن خطة للتدريب", strings.Fields("اعلنت الحكومه الكويتيه 2024 خطه للتدريب")},
		{LightAnalyzer, "أعلنت الحكومةُ الكويتية في ٢٠٢٤ عن خطة للتدريب", strings.Fields("اعلنت حكوم كويت 2024 خط تدريب")},
		{LightAnalyzer, "وبالحكومة لمصر والكويت فالاستثمار", strings.Fields("حكوم مصر كويت استثمار")},
		{LightAnalyzer, "زار أردوغان وارسو ثم أنقرة وأنطاليا", strings.Fields("زار اردوغ وارسو انقر انطاليا")},
		{LightAnalyzer, "ﺍﻟﻜﻮﻳﺖ ﻻ", strings.Fields("كويت")},
		{NgramAnalyzer, "لمصر في 25 مارس", strings.Fields("مصر 25 مار مارس ارس")},
		{EnglishAnalyzer, "The Minister's visit to Ankara was cancelled", strings.Fields("minist visit ankara cancel")},
		// question-side twins drop question words, MSA and dialect
		{LightAnalyzer + QuestionSuffix, "متى تم توقيع أول بروتوكول؟", strings.Fields("توقيع اول بروتوكول")},
		{ExactAnalyzer + QuestionSuffix, "شنو اللي صار في الكويت امتى؟", strings.Fields("الكويت")},
		{LightAnalyzer + QuestionSuffix, "وين انعقد الاجتماع؟ ليش؟ منو الرئيس؟ شلون؟", strings.Fields("انعقد اجتماع رئيس")},
		{SnowAnalyzer + QuestionSuffix, "كم عدد القتلى في الهجوم؟", strings.Fields("قتل هجوم")},
	}
	for _, tc := range tests {
		got := Analyze(tc.analyzer, tc.text)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Analyze(%s, %q)\n got  %q\n want %q", tc.analyzer, tc.text, got, tc.want)
		}
	}
}

func TestNgramAnalyzerSentence(t *testing.T) {
	got := Analyze(NgramAnalyzer, sentence)
	if len(got) == 0 {
		t.Fatal("no tokens")
	}
	has := map[string]bool{}
	for _, g := range got {
		has[g] = true
		if n := utf8.RuneCountInString(g); n > 4 {
			t.Errorf("ngram %q longer than 4", g)
		}
	}
	for _, w := range []string{"تم", "25", "جانب", "انبي", "بروت", "سبق"} {
		if !has[w] {
			t.Errorf("ngram output lacks %q: %q", w, got)
		}
	}
}

func TestAnalyzeUnknown(t *testing.T) {
	if got := Analyze("no_such_analyzer", "مصر"); got != nil {
		t.Errorf("Analyze on unknown analyzer = %q, want nil", got)
	}
	if _, err := Analyzer("no_such_analyzer"); err == nil {
		t.Error("Analyzer on unknown analyzer: no error")
	}
}

func TestAllAnalyzersBuild(t *testing.T) {
	for _, name := range AnalyzerNames() {
		if _, err := Analyzer(name); err != nil {
			t.Errorf("Analyzer(%q): %v", name, err)
		}
	}
}

func TestAnalyzeConcurrent(t *testing.T) {
	want := Analyze(LightAnalyzer, sentence)
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, name := range AnalyzerNames() {
				_ = Analyze(name, sentence)
			}
			if got := Analyze(LightAnalyzer, sentence); !reflect.DeepEqual(got, want) {
				t.Errorf("concurrent Analyze differs: %q", got)
			}
		}()
	}
	wg.Wait()
}

// TestIndexMapping checks that a bleve index mapping can reference the
// analyzers by name and that matching works through them (in memory).
func TestIndexMapping(t *testing.T) {
	im := bleve.NewIndexMapping()
	doc := bleve.NewDocumentMapping()
	for _, name := range []string{ExactAnalyzer, LightAnalyzer, SnowAnalyzer, NgramAnalyzer, EnglishAnalyzer} {
		fm := mapping.NewTextFieldMapping()
		fm.Analyzer = name
		doc.AddFieldMappingsAt(name, fm)
	}
	im.DefaultMapping = doc
	idx, err := bleve.NewMemOnly(im)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	text := "وأكدت الوزيرة أن الحكومة وقّعت في ٢٠٢٤ اتفاقاً لمصر مع أنقرة"
	fields := map[string]interface{}{}
	for _, name := range AnalyzerNames()[:5] {
		fields[name] = text
	}
	if err := idx.Index("d1", fields); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ field, query string }{
		{ExactAnalyzer, "2024"},
		{ExactAnalyzer, "أنقرة"},
		{LightAnalyzer, "وبالحكومة"},
		{LightAnalyzer, "مصر"},
		{LightAnalyzer, "وزيرة"},
		{SnowAnalyzer, "حكومة"},
		{NgramAnalyzer, "الحكومات"},
	}
	for _, tc := range tests {
		q := bleve.NewMatchQuery(tc.query)
		q.SetField(tc.field)
		res, err := idx.Search(bleve.NewSearchRequest(q))
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 1 {
			t.Errorf("field %s query %q: %d hits, want 1", tc.field, tc.query, res.Total)
		}
	}
}

const paragraph = `وأشارت سونمز إلى أنه سبق أن تم في 25 مارس 2025 توقيع أول بروتوكول مماثل بين الجانبين،
مؤكدةً أن الاتفاقية الجديدة ستُسهم في تعزيز التعاون بين البلدين في مجالات التدريب والاستثمار والسياحة.
وقال الرئيس التركي رجب طيب أردوغان خلال مؤتمر صحفي في أنقرة إن بلاده تسعى إلى رفع حجم التبادل التجاري
مع الكويت إلى ٥ مليارات دولار بحلول عام ٢٠٢٨، مشيراً إلى أن وفداً من رجال الأعمال سيزور أنطاليا الشهر المقبل.`

func BenchmarkLightAnalyzer(b *testing.B) {
	a, err := Analyzer(LightAnalyzer)
	if err != nil {
		b.Fatal(err)
	}
	data := []byte(paragraph)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		a.Analyze(data)
	}
}

func BenchmarkNormalize(b *testing.B) {
	b.SetBytes(int64(len(paragraph)))
	b.ReportAllocs()
	for b.Loop() {
		Normalize(paragraph)
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{sentence, "ﺍﻟﻜﻮﻳﺖ ﻻ ﷺ ﹰ", "٢٠٢٤ ۱۴۰۳ ٣٫٥", "\xff\xfe", "تُسهم\u200c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Normalize(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Normalize(%q) = %q: invalid UTF-8", s, out)
		}
		if again := Normalize(out); again != out {
			t.Fatalf("Normalize not idempotent: %q → %q → %q", s, out, again)
		}
		_ = StripProclitics(out)
		_ = LightSuffixStem(out)
		_ = SnowballStem(out)
		_ = QuestionWordKind(out)
	})
}

func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{sentence, paragraph, "شنو اللي صار امتى؟", "The Minister's visit", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, name := range AnalyzerNames() {
			for _, term := range Analyze(name, s) {
				if !utf8.ValidString(term) {
					t.Fatalf("Analyze(%s, %q) produced invalid UTF-8 term %q", name, s, term)
				}
				if term == "" && name != EnglishAnalyzer {
					t.Fatalf("Analyze(%s, %q) produced an empty term", name, s)
				}
			}
		}
	})
}
