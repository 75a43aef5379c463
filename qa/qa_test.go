package qa

import (
	"context"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"

	"github.com/qabot/qabot/index"
	"github.com/qabot/qabot/qa/lexicon"
	"github.com/qabot/qabot/seeds"
)

var (
	seedOnce   sync.Once
	seedEngine *Engine
	seedErr    error
	lexOnce    sync.Once
	testLex    *lexicon.Lexicon
)

// glossaryLexicon is the embedded glossary alone: tests must not depend on
// the dictionaries installed on the machine.
func glossaryLexicon() *lexicon.Lexicon {
	lexOnce.Do(func() { testLex, _ = lexicon.Load(nil) })
	return testLex
}

func seedIndex(t testing.TB) *Engine {
	t.Helper()
	seedOnce.Do(func() {
		arts, errs := index.LoadDir(seeds.FS)
		if len(errs) > 0 {
			seedErr = fmt.Errorf("seed articles: %v", errs)
			return
		}
		ix, err := index.Build(context.Background(), arts, index.BuildOptions{})
		if err != nil {
			seedErr = err
			return
		}
		seedEngine = NewEngine(ix, glossaryLexicon(), DefaultOptions)
	})
	if seedErr != nil {
		t.Fatal(seedErr)
	}
	return seedEngine
}

// engineOver is an engine with lex over the articles of fsys (content
// files, translations beside them); its index closes when the test ends.
func engineOver(t testing.TB, fsys fs.FS, lex *lexicon.Lexicon) *Engine {
	t.Helper()
	arts, errs := index.LoadDir(fsys)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	ix, err := index.Build(context.Background(), arts, index.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return NewEngine(ix, lex, DefaultOptions)
}

// oneArticle is a content directory holding one article file.
func oneArticle(path, text string) fstest.MapFS {
	return fstest.MapFS{path: {Data: []byte(text)}}
}

func TestEmirVisit(t *testing.T) {
	e := seedIndex(t)
	for _, q := range []string{
		"متى زار أمير الكويت تركيا؟",
		"متى زار امير الكويت تركيا", // no hamza
		"امتى راح الامير تركيا؟",    // Gulf dialect
		"When did the Emir of Kuwait visit Turkey?",
	} {
		res := e.Ask(context.Background(), q, 1)
		if !res.Answered || len(res.Answers) == 0 {
			t.Errorf("%s: not answered", q)
			continue
		}
		a := res.Answers[0]
		if !strings.Contains(a.Quote, "مايو 2024") {
			t.Errorf("%s: quote %q lacks مايو 2024", q, a.Quote)
		}
		if a.Paragraph != 1 || a.Title == "" || a.Source == "" || a.URL == "" || a.Doc != "alqabas-turkey-kuwait-defence" {
			t.Errorf("%s: citation %+v", q, a)
		}
	}
}

// TestQuotesAreExact checks that every answer quotes the article's text
// exactly, at the paragraph and sentence it names.
func TestQuotesAreExact(t *testing.T) {
	e := seedIndex(t)
	ix := e.Index()
	qs, err := ReadQuestionFile("testdata/seed-ar.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		for _, a := range e.Ask(context.Background(), q.Question, 3).Answers {
			art := ix.Articles[0]
			p := art.Paragraphs[a.Paragraph-1]
			if p.Sentences[a.Sentence-1].Text != a.Quote || !strings.Contains(p.Text, a.Quote) {
				t.Fatalf("%s: quote %q is not paragraph %d sentence %d", q.Question, a.Quote, a.Paragraph, a.Sentence)
			}
		}
	}
}

// TestSeedQuality guards the measured answer quality on the team's question
// sets against regressions. The floors sit a little under the numbers the
// README reports.
func TestSeedQuality(t *testing.T) {
	e := seedIndex(t)
	for _, tc := range []struct {
		set       string
		p1        float64
		answered  float64
		abstained float64
	}{
		{"testdata/seed-ar.jsonl", 0.93, 0.95, 0.50},
		{"testdata/seed-en.jsonl", 0.85, 0.93, 0.35},
	} {
		qs, err := ReadQuestionFile(tc.set)
		if err != nil {
			t.Fatal(err)
		}
		r := Evaluate(context.Background(), e, qs)
		t.Logf("%s: P@1 %.3f R@5 %.3f answered %.3f abstained %.3f", tc.set, r.P1, r.R5, r.Answered, r.Abstained)
		if r.P1 < tc.p1 || r.Answered < tc.answered || r.Abstained < tc.abstained {
			t.Errorf("%s: P@1 %.3f (floor %.2f), answered %.3f (floor %.2f), abstained %.3f (floor %.2f)",
				tc.set, r.P1, tc.p1, r.Answered, tc.answered, r.Abstained, tc.abstained)
		}
		if r.Answerable < 40 || r.Unanswerable < 10 {
			t.Errorf("%s: %d answerable and %d unanswerable questions; the set needs at least 40 and 10", tc.set, r.Answerable, r.Unanswerable)
		}
	}
}

// TestXQuAD measures the shared XQuAD dev half when it is there (a clone
// without ../shared skips).
func TestXQuAD(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	const dir = "../../shared/xquad-dev/"
	if _, err := os.Stat(dir + "xquad-dev.ar.json"); err != nil {
		t.Skip("no ../shared/xquad-dev")
	}
	for _, tc := range []struct {
		name, questions, contexts string
		p1, r5                    float64
	}{
		{"arabic", "xquad-dev.ar.json", "", 0.77, 0.91},
		{"english", "xquad-dev.en.json", "xquad-dev.ar.json", 0.51, 0.72},
	} {
		ctxFile := ""
		if tc.contexts != "" {
			ctxFile = dir + tc.contexts
		}
		arts, qs, err := ReadXQuAD(dir+tc.questions, ctxFile)
		if err != nil {
			t.Fatal(err)
		}
		ix, err := index.Build(context.Background(), arts, index.BuildOptions{})
		if err != nil {
			t.Fatal(err)
		}
		// the glossary alone: the floors must hold without dictionaries
		r := Evaluate(context.Background(), NewEngine(ix, glossaryLexicon(), DefaultOptions), qs)
		ix.Close()
		t.Logf("%s: P@1 %.3f R@5 %.3f MRR %.3f p50 %s", tc.name, r.P1, r.R5, r.MRR, r.LatencyP50)
		if r.P1 < tc.p1 || r.R5 < tc.r5 {
			t.Errorf("%s: P@1 %.3f R@5 %.3f, floors %.2f / %.2f", tc.name, r.P1, r.R5, tc.p1, tc.r5)
		}
	}
}

// TestBadInput: nothing a user types breaks the engine or gets a random
// sentence.
func TestBadInput(t *testing.T) {
	e := seedIndex(t)
	for _, q := range []string{
		"", "   ", "؟؟؟", "* ? : + - /", "title:تركيا", "+تركيا -الكويت", "/.*/", "\xff\xfe\xfd",
		"<b>تركيا</b> & @everyone", strings.Repeat("تركيا ", 5000), "\x00\x01\x02",
		"ما ما ما هل هل", "the of and", "🙂🙂🙂",
	} {
		res := e.Ask(context.Background(), q, 3)
		if !utf8.ValidString(res.Question) {
			t.Errorf("%q: question not valid UTF-8 in the result", q)
		}
		if q == "" || q == "   " || q == "؟؟؟" || q == "* ? : + - /" || q == "ما ما ما هل هل" || q == "the of and" || q == "🙂🙂🙂" || q == "\x00\x01\x02" {
			if res.Answered {
				t.Errorf("%q answered with %q", q, res.Answers[0].Quote)
			}
		}
	}
}

func TestDetectLang(t *testing.T) {
	for in, want := range map[string]string{
		"متى زار الأمير تركيا؟":           "ar",
		"When did the Emir visit Turkey?": "en",
		"FIEP متى انضم الحرس":             "ar",
		"2024":                            "ar",
		"what is الحرس الوطني":            "ar",
	} {
		if got := DetectLang(in); got != want {
			t.Errorf("DetectLang(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestQuestionTypes checks the question types of Arabic (MSA and dialect)
// and English questions.
func TestQuestionTypes(t *testing.T) {
	for q, want := range map[string]QType{
		"متى زار الأمير تركيا؟":                 QWhen,
		"امتى وقعوا البروتوكول":                 QWhen,
		"في أي عام انضم الحرس الوطني؟":          QWhen,
		"كم عدد الاتفاقيات؟":                    QHowMany,
		"ما عدد الدورات؟":                       QHowMany,
		"ما أطول مدة تكون فيها الشهادة فعالة؟":  QHowMany,
		"شنو يعتبر البروتوكول بالنسبة للبلدين؟": QWhat,
		"ما هو اسم الرئيس؟":                     QWho,
		"وين انعقدت القمة؟":                     QWhere,
		"من هي السفيرة التركية؟":                QWho,
		"منو السفيرة؟":                          QWho,
		"ليش وقعوا البروتوكول؟":                 QWhy,
		"شلون يقيمون التدريبات؟":                QHow,
		"When did the Emir visit Turkey?":       QWhen,
		"How many courses were run?":            QHowMany,
		"Where was the summit held?":            QWhere,
		"Who is the ambassador?":                QWho,
		"which year did the guard join FIEP?":   QWhen,
		"What is the name of the ambassador?":   QWho,
		"What was the date of the visit?":       QWhen,
	} {
		var pq parsedQuery
		if DetectLang(q) == "en" {
			pq = parseEnglish(q, glossaryLexicon())
		} else {
			pq = parseArabic(q)
		}
		if pq.Type != want {
			t.Errorf("%s: type %q, want %q", q, pq.Type, want)
		}
	}
}

// TestAttachedFormsAreTheQuestionsOwnWord: a question word the index
// keeps behind a proclitic («كعضو», «لمدة», «بصفة»), or writes with ت for
// ة before a pronoun («تلبيته»), is found at the weight of its own word, not
// a synonym's.
func TestAttachedFormsAreTheQuestionsOwnWord(t *testing.T) {
	body := "قُبل الحرس الوطني كعضو كامل في المنظمة بصفة مراقب.\n\n" +
		"عمل الضابط في الكويت لمدة عام.\n\n" +
		"يستطيع القطاع تلبية احتياجات الكويت.\n\n" +
		"أشادت السفيرة بمساهمته في الأمن.\n"
	e := engineOver(t, oneArticle("test/attached.txt", "+++\ntitle = \"عضوية\"\nlang = \"ar\"\n+++\n"+body), nil)
	for _, c := range []struct {
		q, word string
		want    float64 // at least
	}{
		{"متى أصبح الحرس عضوا كاملا؟", "عضوا", kafWeight * matchSnow},
		{"بأي صفة انضم الحرس؟", "صفة", kafWeight},
		{"كم مدة عمل الضابط؟", "مدة", kafWeight},
		{"ما الذي يستطيع القطاع تلبيته؟", "تلبيته", matchLight},
		{"ما رأي السفيرة في مساهمة الضابط؟", "مساهمة", matchLight},
		{"ما رأي السفيرة في مساهمةً الضابط؟", "مساهمةً", matchLight},
	} {
		e.mu.RLock()
		cands, rq := e.rank(context.Background(), c.q, "ar")
		if len(cands) == 0 {
			e.mu.RUnlock()
			t.Errorf("%s: no candidate", c.q)
			continue
		}
		found := false
		for id := range e.ix.Sents {
			own := conceptStrengths(e.ix, rq, id, e.terms)
			for i, rc := range rq.concepts {
				if rc.text == "أصبح" {
					t.Errorf("the copula أصبح is a concept")
				}
				if rc.text == c.word && own[i].strength >= c.want && !own[i].syn {
					found = true
				}
			}
		}
		e.mu.RUnlock()
		if !found {
			t.Errorf("%s: %s is not found as its own word at %.2f or more", c.q, c.word, c.want)
		}
	}
}

// TestAttachedFormsOnlyForUnseenWords: «عام» seen bare in the index does
// not also match «بعام»: the proclitic forms are for words the index keeps
// only with one.
func TestAttachedFormsOnlyForUnseenWords(t *testing.T) {
	e := engineOver(t, oneArticle("test/seen.txt", "+++\ntitle = \"عام\"\nlang = \"ar\"\n+++\nمضى عام على الاتفاق.\n\nاحتفلوا بعام جديد.\n"), nil)
	e.mu.RLock()
	defer e.mu.RUnlock()
	_, rq := e.rank(context.Background(), "متى مضى عام؟", "ar")
	for _, c := range rq.concepts {
		for _, a := range c.alts {
			if a.src.Unseen {
				t.Errorf("%s: the proclitic form %s is looked up though the word is in the index", c.text, a.terms[0].forms.Exact)
			}
		}
	}
}

// TestEnglishFrameNoun: "name" in "what is the name of" describes the
// answer and is no concept; elsewhere it is one.
func TestEnglishFrameNoun(t *testing.T) {
	for q, want := range map[string]bool{
		"What is the name of the ambassador?":    false,
		"Which type of training was offered?":    false,
		"what year did the guard join FIEP":      false,
		"Did the ambassador name the officer?":   true,
		"What changed the name of the ministry?": true,
	} {
		pq := parseEnglish(q, glossaryLexicon())
		has := false
		for _, c := range pq.Concepts {
			w := strings.ToLower(c.Text)
			has = has || w == "name" || w == "type" || w == "year"
		}
		if has != want {
			t.Errorf("%s: frame noun a concept = %v, want %v", q, has, want)
		}
	}
}

// TestCountWordIsContentOutsideHowMany: «عدد» frames «كم عدد …» but is what
// «هل ستزيد عدد الاتفاقيات» asks about.
func TestCountWordIsContentOutsideHowMany(t *testing.T) {
	has := func(q string) bool {
		for _, c := range parseArabic(q).Concepts {
			if c.Text == "عدد" {
				return true
			}
		}
		return false
	}
	if has("كم عدد الاتفاقيات؟") || has("ما عدد الدورات؟") {
		t.Error("عدد after a question word should frame the question, not be a concept")
	}
	if !has("هل ستزيد تركيا عدد اتفاقياتها؟") {
		t.Error("عدد inside the question should be a concept")
	}
}

// FuzzAsk: any question leaves the engine standing, and every answer is a
// sentence of the article, exactly.
func FuzzAsk(f *testing.F) {
	for _, s := range []string{"متى زار أمير الكويت تركيا؟", "Who is the ambassador?", "* ? : + -", "\xff", "كم"} {
		f.Add(s)
	}
	e := seedIndex(f)
	ix := e.Index()
	f.Fuzz(func(t *testing.T, q string) {
		res := e.Ask(context.Background(), q, 3)
		for _, a := range res.Answers {
			p := ix.Articles[0].Paragraphs[a.Paragraph-1]
			if p.Sentences[a.Sentence-1].Text != a.Quote {
				t.Fatalf("quote %q is not the article's sentence", a.Quote)
			}
			if len(a.Unmatched) > maxUnmatched {
				t.Fatalf("%d unmatched words: %q", len(a.Unmatched), a.Unmatched)
			}
			for _, w := range a.Unmatched {
				if w == "" || !utf8.ValidString(w) {
					t.Fatalf("unmatched word %q", w)
				}
			}
		}
	})
}

// BenchmarkAskSeed is one question over the seed article.
func BenchmarkAskSeed(b *testing.B) {
	e := seedIndex(b)
	for _, q := range []string{"متى زار أمير الكويت تركيا؟", "When did the Emir of Kuwait visit Turkey?"} {
		name := "ar"
		if DetectLang(q) == "en" {
			name = "en"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			var lat []time.Duration
			for b.Loop() {
				start := time.Now()
				e.Ask(context.Background(), q, 1)
				lat = append(lat, time.Since(start))
			}
			reportPercentiles(b, lat)
		})
	}
}

// syntheticCorpus makes n sentences of Arabic-like text: words of the seed
// article mixed with generated words, so the vocabulary grows with the
// corpus as real news does.
func syntheticCorpus(tb testing.TB, nArticles, perArticle int) []*index.Article {
	tb.Helper()
	arts, _ := index.LoadDir(seeds.FS)
	var base []string
	for _, p := range arts[0].Paragraphs {
		base = append(base, index.Tokenize(p.Text)...)
	}
	letters := []rune("ابتثجحخدذرزسشصضطظعغفقكلمنهوي")
	rng := rand.New(rand.NewSource(1))
	word := func() string {
		if rng.Intn(3) > 0 {
			return base[rng.Intn(len(base))]
		}
		n := 3 + rng.Intn(5)
		rs := make([]rune, n)
		for i := range rs {
			rs[i] = letters[rng.Intn(len(letters))]
		}
		return string(rs)
	}
	var out []*index.Article
	for a := 0; a < nArticles; a++ {
		var body strings.Builder
		for s := 0; s < perArticle; s++ {
			n := 12 + rng.Intn(20)
			for w := 0; w < n; w++ {
				if w > 0 {
					body.WriteByte(' ')
				}
				body.WriteString(word())
			}
			body.WriteString(".")
			if s%5 == 4 {
				body.WriteString("\n\n")
			} else {
				body.WriteByte(' ')
			}
		}
		art, err := index.ParseArticle(fmt.Sprintf("gen/%04d.txt", a), []byte(body.String()))
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, art)
	}
	return out
}

// BenchmarkAsk100k is one question over 100,000 generated sentences.
func BenchmarkAsk100k(b *testing.B) {
	if testing.Short() {
		b.Skip("short")
	}
	arts := syntheticCorpus(b, 2000, 50)
	ix, err := index.Build(context.Background(), arts, index.BuildOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	b.Logf("%d sentences, built in %s (%.0f sentences/s)", len(ix.Sents), ix.Took, float64(len(ix.Sents))/ix.Took.Seconds())
	e := NewEngine(ix, glossaryLexicon(), DefaultOptions)
	qs, _ := ReadQuestionFile("testdata/seed-ar.jsonl")
	en, _ := ReadQuestionFile("testdata/seed-en.jsonl")
	qs = append(qs, en...)
	b.ReportAllocs()
	var lat []time.Duration
	i := 0
	for b.Loop() {
		start := time.Now()
		e.Ask(context.Background(), qs[i%len(qs)].Question, 1)
		lat = append(lat, time.Since(start))
		i++
	}
	reportPercentiles(b, lat)
}

// reportPercentiles adds the median and 99th percentile of per-question
// latencies to a benchmark's output.
func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkBuild100k builds the index of 100,000 generated sentences.
func BenchmarkBuild100k(b *testing.B) {
	if testing.Short() {
		b.Skip("short")
	}
	arts := syntheticCorpus(b, 2000, 50)
	b.ReportAllocs()
	for b.Loop() {
		ix, err := index.Build(context.Background(), arts, index.BuildOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(ix.Sents))/ix.Took.Seconds(), "sentences/s")
		ix.Close()
	}
}

func TestCleanQuestion(t *testing.T) {
	for in, want := range map[string]string{
		"<b>متى</b> زار &amp; @everyone الأمير؟":   "متى زار & الأمير؟",
		"<@123456789012345678> when did he visit?": "when did he visit?",
		"@qabot_bot متى؟":                          "متى؟",
		"a@b.com":                                  "a@b.com",
		"3 < 5 and 6 > 2":                          "3 < 5 and 6 > 2",
		"  سؤال\n\tثاني\x00 ":                      "سؤال ثاني",
		"\xff\xfeسؤال":                             "سؤال",
	} {
		if got := CleanQuestion(in, 0); got != want {
			t.Errorf("CleanQuestion(%q) = %q, want %q", in, got, want)
		}
	}
	if got := CleanQuestion("أبجد هوز", 4); got != "أبجد" {
		t.Errorf("maxRunes: %q", got)
	}
}

// TestMarkupDoesNotChangeTheAnswer: a question wrapped in chat markup gets
// the answer the plain question gets.
func TestMarkupDoesNotChangeTheAnswer(t *testing.T) {
	e := seedIndex(t)
	plain := e.Ask(context.Background(), "متى زار أمير الكويت تركيا؟", 1)
	marked := e.Ask(context.Background(), "<b>متى زار أمير الكويت تركيا؟</b> &amp; @everyone", 1)
	if !plain.Answered || !marked.Answered || plain.Answers[0].Quote != marked.Answers[0].Quote {
		t.Errorf("plain %+v\nmarked %+v", plain, marked)
	}
}

// TestArabicQuestionEnglishArticle: an article with lang = "en" is analysed
// as English, and an Arabic question reaches it through the glossary in
// reverse.
func TestArabicQuestionEnglishArticle(t *testing.T) {
	e := engineOver(t, oneArticle("reuters/opec.txt", `+++
title = "OPEC agrees to cut oil production"
source = "Reuters"
url = "https://example.com/opec"
lang = "en"
+++
Ministers met in Vienna on Thursday.

OPEC agreed to cut oil production by one million barrels a day from January.

The price of oil rose after the decision.
`), glossaryLexicon())
	for q, want := range map[string]string{
		"هل قررت أوبك خفض إنتاج النفط؟":   "cut oil production",
		"What did OPEC agree to cut?":     "cut oil production",
		"ماذا حدث لسعر النفط بعد القرار؟": "price of oil rose",
	} {
		res := e.Ask(context.Background(), q, 1)
		if len(res.Answers) == 0 || !strings.Contains(res.Answers[0].Quote, want) {
			t.Errorf("%s: got %+v, want a quote with %q", q, res.Answers, want)
		}
	}
}

// TestCapitalsAndRoots: a capital matches the sentence that names its
// country (أنقرة → تركيا), and a verb its verbal noun by their root
// (ستزيد → زيادة), from Arabic and English questions.
func TestCapitalsAndRoots(t *testing.T) {
	e := engineOver(t, oneArticle("test/gulf.txt", `+++
title = "علاقات"
lang = "ar"
+++
وقعت تركيا مع الكويت اتفاقية في مجال الطاقة.

أعلنت الحكومة زيادة الاستثمار في الموانئ.
`), glossaryLexicon())
	for _, c := range []struct {
		question, word string
		sentence       int
		min, max       float64
	}{
		{"ماذا وقعت أنقرة مع الكويت؟", "أنقرة", 0, 0.3, 0.7},         // the country, at the metonymy weight
		{"What did Ankara sign with Kuwait?", "ankara", 0, 0.3, 0.7}, // through أنقرة
		{"هل ستزيد الحكومة الاستثمار؟", "ستزيد", 1, rootMatch, rootMatch},
		{"Will the government increase investment?", "increase", 1, 0.3, 1}, // زيادة itself or by root
	} {
		e.mu.RLock()
		_, rq := e.rank(context.Background(), c.question, DetectLang(c.question))
		own := conceptStrengths(e.ix, rq, c.sentence, e.terms)
		e.mu.RUnlock()
		found := false
		for i, rc := range rq.concepts {
			if strings.EqualFold(rc.text, c.word) {
				found = true
				if s := own[i].strength; s < c.min || s > c.max {
					t.Errorf("%s: %s matches sentence %d at %.2f, want %.2f–%.2f", c.question, c.word, c.sentence, s, c.min, c.max)
				}
			}
		}
		if !found {
			t.Errorf("%s: no concept %s", c.question, c.word)
		}
	}
}

// BenchmarkTermInfo100k is the per-generation work of Swap over 100,000
// generated sentences (a third of their words random, so the vocabulary is
// large): flags, fuzzy keys and roots of every term.
func BenchmarkTermInfo100k(b *testing.B) {
	if testing.Short() {
		b.Skip("short")
	}
	ix, err := index.Build(context.Background(), syntheticCorpus(b, 2000, 50), index.BuildOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	b.ReportAllocs()
	var terms int
	for b.Loop() {
		terms = len(newTermInfo(ix).exact)
	}
	b.ReportMetric(float64(terms), "terms")
}

// TestRomanNumerals: an English question's Roman numeral is looked for in
// digits; abbreviations that look like numerals are left alone.
func TestRomanNumerals(t *testing.T) {
	for in, want := range map[string]int{"XXXIII": 33, "XIV": 14, "II": 2, "MCMXC": 1990, "IV": 4} {
		if n, ok := romanNumeral(in); !ok || n != want {
			t.Errorf("romanNumeral(%s) = %d, %v; want %d", in, n, ok, want)
		}
	}
	for _, in := range []string{"I", "DC", "MD", "CD", "IIII", "VX", "LL", "xiv", "Mix", "CIVIC"} {
		if n, ok := romanNumeral(in); ok {
			t.Errorf("romanNumeral(%s) = %d: not a numeral here", in, n)
		}
	}
	pq := parseEnglish("Who won Super Bowl XXXIII?", glossaryLexicon())
	found := false
	for _, c := range pq.Concepts {
		if c.Text == "XXXIII" && c.Number && c.Alts[0].Terms[0].Forms.Exact == "33" {
			found = true
		}
	}
	if !found {
		t.Errorf("XXXIII is not the number 33: %+v", pq.Concepts)
	}
}

// TestUnmatchedWords: an answer names the question's words its quote does
// not hold, heaviest first, and none when the quote holds them all.
func TestUnmatchedWords(t *testing.T) {
	body := "انضم الحرس الوطني الكويتي إلى المنظمة الدولية للدرك في عام 2018.\n\n" +
		"زار رئيس الأركان التركي الكويت في يناير 2025.\n\n" +
		"وقّع البلدان بروتوكولا للتدريب في مارس 2025.\n"
	e := engineOver(t, oneArticle("test/unmatched.txt", "+++\ntitle = \"الحرس\"\nlang = \"ar\"\n+++\n"+body), nil)
	for q, want := range map[string][]string{
		"متى انضم الحرس الوطني الكويتي إلى المنظمة؟": nil,
		"متى تأسس الحرس الوطني الكويتي؟":             {"تأسس"},
	} {
		res := e.Ask(context.Background(), q, 1)
		if !res.Answered {
			t.Errorf("%s: not answered", q)
			continue
		}
		if got := res.Answers[0].Unmatched; !slices.Equal(got, want) {
			t.Errorf("%s: unmatched %q, want %q", q, got, want)
		}
	}
}
