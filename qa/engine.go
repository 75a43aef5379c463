package qa

import (
	"context"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/qabot/qabot/index"
	"github.com/qabot/qabot/index/arabic"
	"github.com/qabot/qabot/qa/lexicon"
)

// Options tune retrieval and ranking. The zero value means the defaults,
// which were chosen on the evaluation sets (see README, "How answers are
// ranked").
type Options struct {
	// Candidates is how many sentences bleve returns for re-ranking.
	Candidates int
	// MinConfidence is the confidence below which the engine abstains from
	// an Arabic question answered by Arabic text; MinConfidenceEnglish from
	// an English one answered by English text (an article's translation, or
	// an English article); MinConfidenceLexicon from a question that reaches
	// text in the other language only through the lexicon, where fewer words
	// can match at all.
	MinConfidence        float64
	MinConfidenceEnglish float64
	MinConfidenceLexicon float64
	// MaxQuestionRunes caps the analysed question length.
	MaxQuestionRunes int
}

// DefaultOptions are the measured defaults.
var DefaultOptions = Options{
	Candidates:           60,
	MinConfidence:        0.40,
	MinConfidenceEnglish: 0.48,
	MinConfidenceLexicon: 0.33,
	MaxQuestionRunes:     1000,
}

// Engine answers questions over one index generation at a time. Swap
// replaces the generation; questions in flight finish on the old one.
// An Engine is safe for concurrent use.
type Engine struct {
	opts Options
	lex  *lexicon.Lexicon

	mu    sync.RWMutex // Ask holds it for reading; Swap for writing
	ix    *index.Index
	names nameMatcher
	terms *termInfo
}

// NewEngine returns an engine over ix. lex may be nil (Arabic questions
// only then find Arabic words; English ones only English text).
func NewEngine(ix *index.Index, lex *lexicon.Lexicon, opts Options) *Engine {
	if opts.Candidates <= 0 {
		opts.Candidates = DefaultOptions.Candidates
	}
	if opts.MinConfidence == 0 {
		opts.MinConfidence = DefaultOptions.MinConfidence
	}
	if opts.MinConfidenceEnglish == 0 {
		opts.MinConfidenceEnglish = DefaultOptions.MinConfidenceEnglish
	}
	if opts.MinConfidenceLexicon == 0 {
		opts.MinConfidenceLexicon = DefaultOptions.MinConfidenceLexicon
	}
	if opts.MaxQuestionRunes <= 0 {
		opts.MaxQuestionRunes = DefaultOptions.MaxQuestionRunes
	}
	e := &Engine{opts: opts, lex: lex}
	e.ix, e.names, e.terms = ix, newNames(ix), newTermInfo(ix)
	return e
}

// nameMatcher finds the Arabic words of the index that transliterate a
// Latin word.
type nameMatcher func(latin string, max int) []nameCand

type nameCand struct {
	Arabic string
	Score  float64
}

func newNames(ix *index.Index) nameMatcher {
	if ix == nil {
		return nil
	}
	return buildNameMatcher(ix.Terms.Vocabulary())
}

// Swap makes ix the serving index and returns the previous one, once no
// question uses it any more: the caller closes it.
func (e *Engine) Swap(ix *index.Index) *index.Index {
	// built before taking the lock: questions keep flowing
	names, terms := newNames(ix), newTermInfo(ix)
	e.mu.Lock()
	old := e.ix
	e.ix, e.names, e.terms = ix, names, terms
	e.mu.Unlock()
	return old
}

// Index returns the serving index. It may be swapped out and closed at any
// time after; use it only for metadata.
func (e *Engine) Index() *index.Index {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.ix
}

// Lexicon returns the engine's lexicon (nil when none).
func (e *Engine) Lexicon() *lexicon.Lexicon {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.lex
}

// SetLexicon replaces the engine's lexicon; questions in flight finish
// with the old one. It lets a caller load the lexicons while the index
// opens.
func (e *Engine) SetLexicon(lex *lexicon.Lexicon) {
	e.mu.Lock()
	e.lex = lex
	e.mu.Unlock()
}

// Ask answers a question with up to top answers, best first.
func (e *Engine) Ask(ctx context.Context, question string, top int) Result {
	if top <= 0 {
		top = 1
	}
	q := CleanQuestion(question, e.opts.MaxQuestionRunes)
	res := Result{Question: question, Lang: DetectLang(q), Answers: []Answer{}}
	if !utf8.ValidString(res.Question) {
		res.Question = strings.ToValidUTF8(res.Question, "\uFFFD")
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.ix == nil || len(e.ix.Sents) == 0 {
		return res
	}
	ranked, rq := e.rank(ctx, q, res.Lang)
	if len(ranked) == 0 {
		return res
	}
	minConf := e.minConfidence(res.Lang, e.direct(res.Lang, ranked[0].id))
	if ranked[0].confidence < minConf {
		res.Closest = e.closest(ranked, 3)
		return res
	}
	res.Answered = true
	for _, c := range ranked {
		if len(res.Answers) >= top {
			break
		}
		if c.confidence < minConf*0.75 {
			break
		}
		a := e.answer(c)
		a.Unmatched = e.unmatched(rq, c)
		res.Answers = append(res.Answers, a)
	}
	return res
}

// minConfidence is the abstention threshold of a question in lang whose
// top sentence can be read in that language (direct) or is reached only
// through the lexicon.
func (e *Engine) minConfidence(lang string, direct bool) float64 {
	switch {
	case !direct:
		return e.opts.MinConfidenceLexicon
	case lang == "en":
		return e.opts.MinConfidenceEnglish
	}
	return e.opts.MinConfidence
}

// direct reports whether a sentence can be read in the question's
// language: an English question needs a translation or an English
// article, an Arabic one an Arabic article. The read lock must be held.
func (e *Engine) direct(lang string, id int) bool {
	ref := e.ix.Sents[id]
	english := e.ix.Articles[ref.Art].Lang == "en"
	if lang == "en" {
		return english || e.ix.TranslationOf(ref) != ""
	}
	return !english
}

// Ranked is one re-ranked candidate, exported for evaluation tools.
type Ranked struct {
	ID         int
	Score      float64
	Confidence float64
	Direct     bool // the sentence can be read in the question's language (see Options.MinConfidenceLexicon)
}

// Rank returns the re-ranked candidates of a question, best first, for
// evaluation; the engine's abstention threshold is not applied.
func (e *Engine) Rank(ctx context.Context, question string) ([]Ranked, string) {
	q := CleanQuestion(question, e.opts.MaxQuestionRunes)
	lang := DetectLang(q)
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.ix == nil {
		return nil, lang
	}
	cands, _ := e.rank(ctx, q, lang)
	out := make([]Ranked, len(cands))
	for i, c := range cands {
		out[i] = Ranked{ID: c.id, Score: c.score, Confidence: c.confidence, Direct: e.direct(lang, c.id)}
	}
	return out, lang
}

func (e *Engine) answer(c candidate) Answer {
	art, para, s := e.ix.Lookup(c.id)
	a := Answer{
		Quote:     s.Text,
		Doc:       art.ID,
		Title:     art.Title,
		Source:    art.Source,
		URL:       art.URL,
		Paragraph: para.N,
		Sentence:  s.N,
		Score:     math.Round(c.score*1000) / 1000,
		Section:   para.Section,
	}
	if art.Lang != "en" {
		a.Translation = e.ix.TranslationOf(e.ix.Sents[c.id])
	}
	return a
}

// maxUnmatched is how many unmatched question words an answer lists.
const maxUnmatched = 3

// unmatched lists the question's words the candidate does not hold, the
// heaviest (rarest in the index, or never seen) first; words of less than
// a quarter of the heaviest concept's weight are left out as noise. The
// read lock must be held.
func (e *Engine) unmatched(rq *resolved, c candidate) []string {
	// an English asker reads the translation: a word matched only in the
	// Arabic, through the lexicon (founded → مؤسس in «المؤسسات»), is not
	// what the translation in front of them says
	byTranslation := rq.lang == "en" && len(e.ix.Terms.TranslationWords(c.id)) > 0
	var maxW float64
	for _, rc := range rq.concepts {
		maxW = math.Max(maxW, rc.weight)
	}
	var idx []int
	for i, s := range c.own {
		missing := s.strength == 0 || byTranslation && s.tr == 0
		if missing && rq.concepts[i].weight >= maxW/4 {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return rq.concepts[idx[a]].weight > rq.concepts[idx[b]].weight })
	var out []string
	for _, i := range idx {
		if t := rq.concepts[i].text; t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
		if len(out) == maxUnmatched {
			break
		}
	}
	return out
}

func (e *Engine) closest(cands []candidate, n int) []DocRef {
	var out []DocRef
	seen := map[string]bool{}
	for _, c := range cands {
		art, _, _ := e.ix.Lookup(c.id)
		if seen[art.ID] {
			continue
		}
		seen[art.ID] = true
		out = append(out, DocRef{Doc: art.ID, Title: art.Title, URL: art.URL})
		if len(out) == n {
			break
		}
	}
	return out
}

// rank parses, resolves, searches and re-ranks. It must be called with the
// read lock held.
func (e *Engine) rank(ctx context.Context, q, lang string) ([]candidate, *resolved) {
	var pq parsedQuery
	if lang == "en" {
		pq = parseEnglish(q, e.lex)
	} else {
		pq = parseArabic(q)
		e.addReverse(&pq)
		e.addSynonyms(&pq)
	}
	e.addMetonyms(&pq)
	rq := e.resolve(pq)
	if rq.qtype == QWho {
		rq.asked = latinWords(q)
	}
	if len(rq.concepts) == 0 {
		return nil, rq
	}
	bq := buildQuery(rq, e.ix.Terms.N())
	if bq == nil {
		return nil, rq
	}
	hits, err := e.ix.Search(ctx, bq, e.opts.Candidates)
	if err != nil || len(hits) == 0 {
		return nil, rq
	}
	return rerank(e.ix, rq, hits, e.terms), rq
}

// addReverse gives Arabic concepts English alternatives when the index holds
// English text, so Arabic questions reach English articles.
func (e *Engine) addReverse(pq *parsedQuery) {
	if e.lex == nil || !e.ix.HasEnglish() {
		return
	}
	for i := range pq.Concepts {
		c := &pq.Concepts[i]
		f := c.Alts[0].Terms[0].Forms
		for _, key := range []string{f.Exact, f.Light} {
			for _, en := range e.lex.Reverse(key) {
				c.Alts = append(c.Alts, scale(englishAlts(strings.Fields(en)), 0.8)...)
			}
		}
	}
}

// synonymWeight is the weight of an Arabic synonym found through the
// glossary (عمر → age → سن): a paraphrase, weaker than the word itself.
var synonymWeight = 0.6

// addSynonyms gives each Arabic concept the other Arabic renderings of its
// English glossary senses — the glossary used as a pivot for paraphrases.
func (e *Engine) addSynonyms(pq *parsedQuery) {
	if e.lex == nil || synonymWeight == 0 {
		return
	}
	for i := range pq.Concepts {
		c := &pq.Concepts[i]
		if c.Number {
			continue
		}
		f := c.Alts[0].Terms[0].Forms
		seen := map[string]bool{f.Light: true}
		for _, en := range e.lex.Reverse(f.Exact) {
			for _, tr := range e.lex.Lookup(en) {
				if tr.Source != lexicon.SourceGlossary {
					continue
				}
				a := arabicAlt(tr.Arabic, synonymWeight)
				if len(a.Terms) != 1 || seen[a.Terms[0].Forms.Light] {
					continue
				}
				seen[a.Terms[0].Forms.Light] = true
				c.Alts = append(c.Alts, a)
			}
		}
	}
}

// metonymWeight is the weight of what a word stands for by metonymy
// (أنقرة → تركيا، التركية): the same referent, named differently.
var metonymWeight = 0.6

// addMetonyms gives a concept naming a capital — in Arabic, or through an
// English word's Arabic rendering — the country and nationality it stands
// for in news text: «سفيرة أنقرة» is Turkey's ambassador.
func (e *Engine) addMetonyms(pq *parsedQuery) {
	if e.lex == nil || metonymWeight == 0 {
		return
	}
	for i := range pq.Concepts {
		c := &pq.Concepts[i]
		seen := map[string]bool{}
		n := len(c.Alts)
		for _, a := range c.Alts[:n] {
			if len(a.Terms) != 1 || a.Terms[0].English || a.Weight < 0.5 {
				continue
			}
			for _, m := range e.lex.Metonyms(a.Terms[0].Forms.Exact) {
				ma := arabicAlt(m, a.Weight*metonymWeight)
				key := ""
				for _, t := range ma.Terms {
					key += t.Forms.Light + " "
				}
				if len(ma.Terms) == 0 || seen[key] {
					continue
				}
				seen[key] = true
				c.Alts = append(c.Alts, ma)
			}
		}
	}
}

func scale(alts []alt, w float64) []alt {
	for i := range alts {
		alts[i].Weight *= w
	}
	return alts
}

// resolved is a parsed query tied to one index: term ids known, unknown
// alternatives dropped, names transliterated, concept weights set.
type resolved struct {
	exactIDs map[uint32]bool // exact term ids of the question's own words
	lang     string
	qtype    QType
	asked    map[string]bool // the question's Latin words, lower-cased (see hasFullName)
	concepts []rconcept
	totalW   float64
}

type rconcept struct {
	text   string
	fuzzy  *fuzzyWord // the Arabic word matched by trigrams when nothing else matches (nil: none)
	roots  []uint32   // root ids (in the generation's termInfo) of its word, or of an English word's Arabic renderings
	idf    float64    // the idf of its rarest alternative: how common the concept is
	weight float64
	number bool
	alts   []ralt
}

type ralt struct {
	idf    float64 // of its rarest term
	weight float64
	terms  []rterm
	src    alt
}

type rterm struct {
	english          bool
	exact, light, sn uint32
	forms            index.Forms
}

// maxAlts caps a concept's alternatives: enough for real synonyms, few
// enough that a dictionary's long tail cannot flood the query.
const maxAlts = 12

func (e *Engine) resolve(pq parsedQuery) *resolved {
	tt := e.ix.Terms
	n := float64(tt.N())
	rq := &resolved{lang: pq.Lang, qtype: pq.Type, exactIDs: map[uint32]bool{}}
	maxIDF := math.Log(1 + n)
	for _, c := range pq.Concepts {
		text := c.Text
		isName := c.Name
		if isName {
			if e.names != nil {
				for _, m := range e.names(text, 3) {
					c.Alts = append(c.Alts, alt{Terms: []term{{Forms: index.ArabicForms(m.Arabic)}}, Weight: 0.9 * m.Score})
				}
			}
		}
		rc := rconcept{text: text, number: c.Number}
		if id, ok := tt.ID('e', arabic.Normalize(text)); ok {
			rq.exactIDs[id] = true
		}
		if pq.Lang == "ar" && !c.Number {
			exact := index.ArabicForms(text).Exact
			rc.fuzzy = newFuzzyWord(exact)
			if e.terms != nil && rootMatch > 0 {
				if id := e.terms.rootID(arabic.Root(exact), false); id != 0 {
					rc.roots = []uint32{id}
				}
			}
		}
		bestIDF := 0.0
		ownSeen := false // the question's own word, its first alternative, is in the index
		for k, a := range c.Alts {
			if a.Unseen && ownSeen {
				continue
			}
			ra := ralt{weight: a.Weight, src: a}
			altIDF := maxIDF
			for _, t := range a.Terms {
				rt := resolveTerm(tt, t)
				if rt.exact == 0 && rt.light == 0 && rt.sn == 0 {
					ra.terms = nil
					break
				}
				df := max(tt.DF(rt.exact), tt.DF(rt.light))
				if df == 0 {
					df = tt.DF(rt.sn)
				}
				altIDF = min(altIDF, math.Log(1+n/float64(max(df, 1))))
				ra.terms = append(ra.terms, rt)
			}
			if len(ra.terms) == 0 {
				continue
			}
			if k == 0 {
				ownSeen = true
			}
			bestIDF = max(bestIDF, altIDF*a.Weight)
			rc.idf = max(rc.idf, altIDF)
			ra.idf = altIDF
			rc.alts = append(rc.alts, ra)
		}
		if pq.Lang == "en" && e.terms != nil && rootMatch > 0 {
			// the roots of its Arabic renderings: "increase" → زيادة reaches ستزيد
			for _, a := range c.Alts {
				if len(a.Terms) != 1 || a.Terms[0].English || a.Weight < 0.5 {
					continue
				}
				if id := e.terms.rootID(arabic.Root(a.Terms[0].Forms.Exact), false); id != 0 && !slices.Contains(rc.roots, id) && len(rc.roots) < 4 {
					rc.roots = append(rc.roots, id)
				}
			}
		}
		sort.SliceStable(rc.alts, func(i, j int) bool { return rc.alts[i].weight > rc.alts[j].weight })
		if len(rc.alts) > maxAlts {
			rc.alts = rc.alts[:maxAlts]
		}
		if len(rc.alts) == 0 {
			// A word the index has never seen still counts against coverage:
			// it is what makes an unanswerable question look unanswerable
			// (see oovWeight).
			rc.weight = maxIDF * oovWeight
			if isName || pq.Lang == "en" {
				rc.weight = maxIDF * oovWeightEnglish
			}
		} else {
			rc.weight = bestIDF
		}
		rq.totalW += rc.weight
		rq.concepts = append(rq.concepts, rc)
	}
	return rq
}

// resolveTerm looks a term's forms up in the index's term table.
func resolveTerm(tt *index.TermTable, t term) rterm {
	rt := rterm{english: t.English, forms: t.Forms}
	if t.English {
		rt.exact, _ = tt.ID('E', t.Forms.Exact)
		rt.light, _ = tt.ID('P', t.Forms.Light)
		return rt
	}
	rt.exact, _ = tt.ID('e', t.Forms.Exact)
	rt.light, _ = tt.ID('l', t.Forms.Light)
	rt.sn, _ = tt.ID('s', t.Forms.Snow)
	return rt
}

// oovWeight is the weight, as a share of the highest idf, of a question word
// the index has never seen: it counts against every sentence's coverage,
// which is what makes a question about something else look unanswerable.
// English words the lexicon cannot place (and names) count less: many are
// just words the glossary lacks. Both were measured on XQuAD with a third
// of its paragraphs held out (QABOT_TUNE=oov, qa/abstain_test.go).
var (
	oovWeight         = 1.2
	oovWeightEnglish  = 0.6
	contextConfidence = 0.5
)

// Field boosts of the bleve query: an exact word counts most, the n-gram
// field least, but the n-grams catch what stemming misses.
var (
	boostLight   = 1.0
	boostSnow    = 0.6
	boostEnglish = 1.0
)

// A concept is too common to look for when it sits in more than one
// sentence in twenty and in more than commonMinDF sentences: it still
// counts in the re-ranking, but its long posting lists are not walked to
// find candidates — unless the question has nothing rarer. Small indexes
// never skip anything: walking short lists costs nothing.
const (
	commonShare = 0.05
	commonMinDF = 500
)

func buildQuery(rq *resolved, n int) query.Query {
	commonIDF := math.Log(1 + float64(n)/max(commonShare*float64(n), commonMinDF))
	var groups []query.Query
	// the two rarest concepts are always searched
	rare := make([]float64, 0, len(rq.concepts))
	for _, c := range rq.concepts {
		if len(c.alts) > 0 {
			rare = append(rare, c.idf)
		}
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(rare)))
	keepAbove := commonIDF
	if len(rare) >= 2 {
		keepAbove = min(keepAbove, rare[1])
	} else if len(rare) == 1 {
		keepAbove = min(keepAbove, rare[0])
	}
	for _, c := range rq.concepts {
		if len(c.alts) == 0 || c.idf < keepAbove {
			continue
		}
		var leaves []query.Query
		comp := float64(len(c.alts)) // makes up for the disjunction's coord factor
		for _, a := range c.alts {
			if a.idf < commonIDF && a.idf < c.idf {
				// a common alternative (a synonym, a translation) of a
				// concept that has a rarer one: re-ranking still counts it
				continue
			}
			w := a.weight * comp * c.weight
			if len(a.terms) == 1 {
				leaves = append(leaves, termLeaves(a.terms[0], w)...)
				continue
			}
			var must []query.Query
			for _, t := range a.terms {
				field, value := index.FieldLight, t.forms.Light
				if t.english {
					field = index.FieldEnglish
				}
				if value == "" {
					value = t.forms.Exact
				}
				tq := query.NewTermQuery(value)
				tq.SetField(field)
				tq.SetBoost(w)
				must = append(must, tq)
			}
			leaves = append(leaves, query.NewConjunctionQuery(must))
		}
		if len(leaves) > 0 {
			groups = append(groups, query.NewDisjunctionQuery(leaves))
		}
	}
	if len(groups) == 0 {
		return nil
	}
	return query.NewDisjunctionQuery(groups)
}

// termLeaves are the bleve term queries of one term across the fields:
// its light stem and its Snowball stem for Arabic, its Porter stem for
// English. The exact form counts in the re-ranking.
func termLeaves(t rterm, w float64) []query.Query {
	if t.english {
		tq := query.NewTermQuery(t.forms.Light)
		tq.SetField(index.FieldEnglish)
		tq.SetBoost(w * boostEnglish)
		return []query.Query{tq}
	}
	var out []query.Query
	add := func(field, value string, boost float64) {
		if value == "" || boost == 0 {
			return
		}
		tq := query.NewTermQuery(value)
		tq.SetField(field)
		tq.SetBoost(w * boost)
		out = append(out, tq)
	}
	if t.light != 0 {
		add(index.FieldLight, t.forms.Light, boostLight)
	}
	if t.sn != 0 {
		add(index.FieldSnow, t.forms.Snow, boostSnow)
	}
	return out
}
