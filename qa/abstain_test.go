package qa

import (
	"context"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/qabot/qabot/index"
	"github.com/qabot/qabot/qa/lexicon"
	"github.com/qabot/qabot/seeds"
)

// The abstention features of a top candidate: what says whether the
// question is answered at all, as opposed to which sentence answers it
// best. Each is in [0, 1].
const (
	cBias         = iota // always 1
	cCoverage            // the candidate's coverage
	cContext             // its paragraph context
	cOOV                 // share of the question's weight the index has never seen
	cMissing             // the heaviest concept neither the sentence nor its paragraph holds, over the heaviest concept
	cTypeMiss            // a when / how-many question whose sentence holds no date / number
	cMatched             // share of the concepts the sentence holds, unweighted
	cMargin              // how far the candidate's score is above the next one's
	cTrans               // coverage by the sentence's translation (English questions)
	cFirstMissing        // the question's first concept — in Arabic, what it asks about (ما اسم، كم قيمة، متى تأسس) — is neither in the sentence nor its paragraph
	cMissing2            // the second heaviest missing concept, over the heaviest concept
	cEngine              // the engine's own confidence (not a model input)
	nConfFeatures
)

type confFeatures [nConfFeatures]float64

// confModel weighs the abstention features into a logistic confidence.
// Measured: fitted on XQuAD dev with a third of the paragraphs held out, it
// abstained less than the engine's coverage + context at the same answered
// rate (0.687 against 0.783 of the unanswerable questions, with 0.903 of the
// answerable ones answered), so the engine does not use it.
type confModel struct {
	w confFeatures
}

func (m confModel) confidence(f *confFeatures) float64 {
	var z float64
	for i := range f {
		z += m.w[i] * f[i]
	}
	return 1 / (1 + math.Exp(-z))
}

// confidenceFeatures computes the abstention features of cands[i].
func confidenceFeatures(ix *index.Index, rq *resolved, cands []candidate, i int, fz *termInfo) confFeatures {
	var f confFeatures
	c := cands[i]
	f[cBias] = 1
	f[cCoverage] = c.coverage
	f[cContext] = c.context
	f[cTrans] = c.f[fTrans]
	f[cEngine] = c.confidence
	if rq.totalW == 0 || len(rq.concepts) == 0 {
		return f
	}
	own := conceptStrengths(ix, rq, c.id, fz)
	para := paragraphInfo(ix, rq, c.id, func(id int) []strength { return conceptStrengths(ix, rq, id, fz) })
	var oov, maxW, missing, missing2 float64
	matched := 0
	for k, rc := range rq.concepts {
		maxW = math.Max(maxW, rc.weight)
		if len(rc.alts) == 0 && rc.fuzzy == nil || len(rc.alts) == 0 && own[k].strength == 0 {
			oov += rc.weight
		}
		if own[k].strength > 0 {
			matched++
		} else if para.best[k] == 0 {
			if rc.weight > missing {
				missing, missing2 = rc.weight, missing
			} else {
				missing2 = math.Max(missing2, rc.weight)
			}
			if k == 0 {
				f[cFirstMissing] = 1
			}
		}
	}
	f[cOOV] = oov / rq.totalW
	if maxW > 0 {
		f[cMissing] = missing / maxW
		f[cMissing2] = missing2 / maxW
	}
	f[cMatched] = float64(matched) / float64(len(rq.concepts))
	if (rq.qtype == QWhen || rq.qtype == QHowMany) && c.f[fType] == 0 {
		f[cTypeMiss] = 1
	}
	if i+1 < len(cands) && c.score > 0 {
		f[cMargin] = math.Min(1, (c.score-cands[i+1].score)/c.score*4)
	} else if i+1 >= len(cands) {
		f[cMargin] = 1
	}
	return f
}

// confSample is one question's abstention features and whether the index
// can answer it.
type confSample struct {
	f          confFeatures
	answerable bool
	group      int // fitting half
}

// TestFitAbstention fits the abstention model. It is a tool, not a test:
// QABOT_TUNE=abstain runs it. XQuAD dev gives the training data: a third
// of its paragraphs is kept out of the index, so their questions — on the
// same topics as the paragraphs left in — cannot be answered. The model is
// fitted on one half of the articles, checked on the other, and then only
// reported on the seed question sets.
func TestFitAbstention(t *testing.T) {
	if os.Getenv("QABOT_TUNE") != "abstain" {
		t.Skip("set QABOT_TUNE=abstain to fit the abstention model")
	}
	lex, _ := lexicon.Load(lexicon.DefaultDictdPairs())
	for _, lang := range []string{"ar", "en"} {
		e, qs, heldOut := heldOutXQuAD(t, lang, lex)
		var samples []confSample
		for _, q := range qs {
			var ai int
			fmt.Sscanf(strings.TrimPrefix(q.Doc, "xquad/"), "%d-", &ai)
			f, ok := e.topFeatures(q.Question)
			if !ok {
				continue
			}
			samples = append(samples, confSample{f: f, answerable: !heldOut[q.Doc], group: ai % 2})
		}
		m := fitLogistic(samples, 0)
		t.Logf("%s: model %v", lang, fmtW(m.w))
		for g := 0; g < 2; g++ {
			th := thresholdFor(m, samples, g, 0.90)
			t.Logf("%s half %d: threshold %.3f (answers 0.90 of its answerable) → other half: %s", lang, g, th, rates(m, samples, 1-g, th))
		}
		all := fitLogistic(samples, -1)
		th := thresholdFor(all, samples, -1, 0.90)
		t.Logf("%s all: model %v threshold %.3f: %s", lang, fmtW(all.w), th, rates(all, samples, -1, th))
		// the seed sets, reported only
		se := engineOver(t, seeds.FS, lex)
		set, err := ReadQuestionFile("testdata/seed-" + lang + ".jsonl")
		if err != nil {
			t.Fatal(err)
		}
		var ss []confSample
		for _, q := range set {
			f, ok := se.topFeatures(q.Question)
			if !ok {
				f[cBias] = 1
			}
			ss = append(ss, confSample{f: f, answerable: q.Answer != ""})
			if os.Getenv("QABOT_SHOW") != "" {
				t.Logf("%v %.3f %.2f %s", q.Answer != "", all.confidence(&f), f, q.Question)
			}
		}
		bth := thresholdFor(engineConfidence{}, samples, -1, 0.90)
		t.Logf("%s baseline coverage+context on XQuAD: threshold %.3f: %s", lang, bth, rates(engineConfidence{}, samples, -1, bth))
		for _, th := range []float64{0.35, 0.40, 0.44, 0.48, 0.52} {
			t.Logf("%s coverage+context at %.2f: XQuAD %s; seed %s", lang, th, rates(engineConfidence{}, samples, -1, th), rates(engineConfidence{}, ss, -1, th))
		}
		bst := thresholdFor(engineConfidence{}, ss, -1, 0.95)
		t.Logf("%s baseline on the seed, its own threshold %.3f: %s", lang, bst, rates(engineConfidence{}, ss, -1, bst))
		t.Logf("%s seed at the XQuAD threshold %.3f: %s", lang, th, rates(all, ss, -1, th))
		st := thresholdFor(all, ss, -1, 0.95)
		t.Logf("%s seed at its own threshold %.3f: %s", lang, st, rates(all, ss, -1, st))
	}
}

// topFeatures ranks a question and returns its top candidate's abstention
// features.
func (e *Engine) topFeatures(question string) (confFeatures, bool) {
	q := CleanQuestion(question, e.opts.MaxQuestionRunes)
	e.mu.RLock()
	defer e.mu.RUnlock()
	cands, rq := e.rank(context.Background(), q, DetectLang(q))
	if len(cands) == 0 {
		return confFeatures{}, false
	}
	return confidenceFeatures(e.ix, rq, cands, 0, e.terms), true
}

func fmtW(w confFeatures) string {
	var b strings.Builder
	for i, v := range w {
		fmt.Fprintf(&b, "%d:%.2f ", i, v)
	}
	return b.String()
}

// fitLogistic fits a logistic regression by gradient descent (L2 0.01) on
// the samples of one group (-1: all).
func fitLogistic(ss []confSample, group int) confModel {
	var m confModel
	var train []confSample
	var pos, neg float64
	for _, s := range ss {
		if group < 0 || s.group == group {
			train = append(train, s)
			if s.answerable {
				pos++
			} else {
				neg++
			}
		}
	}
	// classes weighed equally: there are twice as many answerable questions
	wPos, wNeg := 0.5/pos, 0.5/neg
	for it := 0; it < 4000; it++ {
		var g confFeatures
		for _, s := range train {
			p := m.confidence(&s.f)
			y, w := 0.0, wNeg
			if s.answerable {
				y, w = 1, wPos
			}
			for k := range g {
				g[k] += w * (p - y) * s.f[k]
			}
		}
		for k := range m.w {
			if k == cEngine {
				continue
			}
			reg := 0.01 * m.w[k]
			if k == cBias {
				reg = 0
			}
			m.w[k] -= 2 * (g[k] + reg)
		}
	}
	return m
}

// thresholdFor is the highest confidence threshold that still answers the
// given share of the group's answerable questions.
func thresholdFor(m scorer, ss []confSample, group int, share float64) float64 {
	var confs []float64
	for _, s := range ss {
		if s.answerable && (group < 0 || s.group == group) {
			confs = append(confs, m.confidence(&s.f))
		}
	}
	sort.Float64s(confs)
	k := int(math.Floor(float64(len(confs)) * (1 - share)))
	return confs[k]
}

func rates(m scorer, ss []confSample, group int, th float64) string {
	var a, na, u, nu int
	for _, s := range ss {
		if group >= 0 && s.group != group {
			continue
		}
		answered := m.confidence(&s.f) >= th
		if s.answerable {
			na++
			if answered {
				a++
			}
		} else {
			nu++
			if !answered {
				u++
			}
		}
	}
	return fmt.Sprintf("answered %.3f of %d answerable, abstained %.3f of %d unanswerable", float64(a)/float64(na), na, float64(u)/float64(max(nu, 1)), nu)
}

type scorer interface{ confidence(*confFeatures) float64 }

// engineConfidence is the engine's own confidence: coverage plus half the
// paragraph context.
type engineConfidence struct{}

func (engineConfidence) confidence(f *confFeatures) float64 { return f[cEngine] }

// TestScanUnseenWeight measures how much a question word the index has
// never seen should count against the confidence: for each weight, the
// threshold that answers 0.90 of XQuAD's answerable questions (a third of
// the paragraphs held out as above), what it abstains from there, and the
// same threshold on the seed sets. A tool: QABOT_TUNE=oov runs it.
func TestScanUnseenWeight(t *testing.T) {
	if os.Getenv("QABOT_TUNE") != "oov" {
		t.Skip("set QABOT_TUNE=oov")
	}
	lex, _ := lexicon.Load(lexicon.DefaultDictdPairs())
	se := engineOver(t, seeds.FS, lex)
	defer func(a, b float64) { oovWeight, oovWeightEnglish = a, b }(oovWeight, oovWeightEnglish)
	for _, lang := range []string{"ar", "en", "en-tr"} {
		e, qs, heldOut := heldOutXQuAD(t, lang, lex)
		set, _ := ReadQuestionFile("testdata/seed-" + strings.TrimSuffix(lang, "-tr") + ".jsonl")
		for _, w := range scanWeights(lang) {
			if lang == "ar" {
				oovWeight = w
			} else {
				oovWeightEnglish = w
			}
			var xs, ss []confSample
			for _, q := range qs {
				f, _ := e.topFeatures(q.Question)
				xs = append(xs, confSample{f: f, answerable: !heldOut[q.Doc]})
			}
			for _, q := range set {
				f, _ := se.topFeatures(q.Question)
				ss = append(ss, confSample{f: f, answerable: q.Answer != ""})
			}
			th := thresholdFor(engineConfidence{}, xs, -1, 0.90)
			st := thresholdFor(engineConfidence{}, ss, -1, 0.95)
			t.Logf("(synonyms in the confidence ×%.1f)", synonymConfidence)
			t.Logf("%s unseen %.1f: XQuAD th %.3f %s | seed at it: %s | seed th %.3f: %s", lang, w, th,
				rates(engineConfidence{}, xs, -1, th), rates(engineConfidence{}, ss, -1, th), st, rates(engineConfidence{}, ss, -1, st))
		}
	}
}

func scanWeights(lang string) []float64 {
	if os.Getenv("QABOT_OOV_FIXED") != "" {
		return []float64{map[bool]float64{true: oovWeight, false: oovWeightEnglish}[lang == "ar"]}
	}
	return []float64{0.4, 0.6, 0.8, 1.0, 1.2, 1.5}
}

func init() {
	if v := os.Getenv("QABOT_SYN_CONF"); v != "" {
		fmt.Sscanf(v, "%g", &synonymConfidence)
	}
	if v := os.Getenv("QABOT_CTX_CONF"); v != "" {
		fmt.Sscanf(v, "%g", &contextConfidence)
	}
}

// nearMiss (QABOT_NEARMISS=1) makes heldOutXQuAD keep the held-out
// paragraphs but without the sentences that hold their questions'
// answers: the questions then meet their own topic, names and context, and
// only the fact asked for is missing — the hard kind of unanswerable
// question («متى تأسس الحرس الوطني» over an article that names the guard
// often but never its founding).
var nearMiss = os.Getenv("QABOT_NEARMISS") != ""

// dropAnswerSentences takes out of a every sentence that holds the answer
// of one of its questions, and counts what it dropped and kept.
func dropAnswerSentences(a *index.Article, qs []EvalQuestion) (dropped, kept int) {
	var answers []string
	for _, q := range qs {
		if q.Doc == a.ID && q.Answer != "" {
			answers = append(answers, normalizeForMatch(q.Answer))
		}
	}
	for pi := range a.Paragraphs {
		p := &a.Paragraphs[pi]
		var keep, keepTr []index.Sentence
		var tr []index.Sentence
		if a.Translation != nil && pi < len(a.Translation.Paragraphs) && len(a.Translation.Paragraphs[pi].Sentences) == len(p.Sentences) {
			tr = a.Translation.Paragraphs[pi].Sentences
		}
		for si, s := range p.Sentences {
			text := normalizeForMatch(s.Text)
			holds := false
			for _, ans := range answers {
				if strings.Contains(text, ans) {
					holds = true
					break
				}
			}
			if !holds {
				keep = append(keep, s)
				if tr != nil {
					keepTr = append(keepTr, tr[si])
				}
			}
		}
		if tr != nil {
			// the translation keeps the same sentences, so that each still
			// has its own
			a.Translation.Paragraphs[pi].Sentences = keepTr
		}
		dropped += len(p.Sentences) - len(keep)
		kept += len(keep)
		p.Sentences = keep
	}
	return dropped, kept
}

// heldOutXQuAD is an engine over XQuAD dev with every third paragraph of
// each article (from the second) kept out of the index, and the questions,
// those of the kept-out paragraphs marked in heldOut: they cannot be
// answered, yet ask about the topics of the paragraphs left in. mode is
// "ar", "en" (English questions, Arabic paragraphs) or "en-tr" (the same,
// with the English paragraphs as translations). It skips without
// ../shared.
func heldOutXQuAD(t *testing.T, mode string, lex *lexicon.Lexicon) (*Engine, []EvalQuestion, map[string]bool) {
	ctxFile := ""
	if mode != "ar" {
		ctxFile = "../../shared/xquad-dev/xquad-dev.ar.json"
	}
	qfile := "../../shared/xquad-dev/xquad-dev." + strings.TrimSuffix(mode, "-tr") + ".json"
	arts, qs, err := ReadXQuAD(qfile, ctxFile)
	if err != nil {
		t.Skip(err)
	}
	if mode == "en-tr" {
		attachTranslations(t, arts, qfile)
	}
	heldOut := map[string]bool{}
	var kept []*index.Article
	var nearMissDropped, nearMissKept int
	for _, a := range arts {
		var ai, pi int
		fmt.Sscanf(strings.TrimPrefix(a.ID, "xquad/"), "%d-%d", &ai, &pi)
		if pi%3 == 1 {
			heldOut[a.ID] = true
			if !nearMiss {
				continue
			}
			d, k := dropAnswerSentences(a, qs)
			nearMissDropped += d
			nearMissKept += k
		}
		kept = append(kept, a)
	}
	ix, err := index.Build(context.Background(), kept, index.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if nearMiss {
		t.Logf("%s near miss: %d answer sentences dropped, %d kept in the held-out paragraphs; %d sentences indexed", mode, nearMissDropped, nearMissKept, len(ix.Sents))
	}
	return NewEngine(ix, lex, DefaultOptions), qs, heldOut
}
