package qa

import (
	"math"
	"sort"
	"strconv"

	"github.com/qabot/qabot/index"
)

// candidate is one sentence under re-ranking.
type candidate struct {
	id         int
	f          features
	coverage   float64
	context    float64
	score      float64
	confidence float64
	own        []strength // how the sentence holds each of the question's concepts
}

// The re-ranking features of a candidate, each in [0, 1].
const (
	fBleve       = iota // bleve's score over the best candidate's
	fCoverage           // idf-weighted share of the question's concepts the sentence holds
	fContext            // the same over its paragraph, for concepts the sentence lacks
	fProximity          // how close together the matched words sit
	fType               // holds what the question type asks for (a date for when, a number for how many)
	fNovel              // holds words beyond the question's own
	fRare               // coverage weighted by idf squared: the rare words
	fExact              // share of matched concepts matched in their exact form
	fTypeNear           // the typed token sits within a few words of a matched word
	fParaBleve          // the best bleve score of the sentence's paragraph
	fLocal              // coverage with each concept weighted by its rarity within the paragraph
	fPhrase             // share of the question's adjacent word pairs that stand together, in order, anywhere in the sentence
	fLength             // 1 for a short sentence, falling with its length: long sentences cover words by chance
	fTrans              // coverage of an English question by the sentence's English translation alone
	fTransPhrase        // phrase matches of an English question in the translation
	nFeatures
)

type features [nFeatures]float64

// rankWeights weigh the features; chosen on half of the XQuAD dev set
// (qa/tune_test.go) and checked on the other half.
var rankWeights = features{
	fBleve:     0.2,
	fCoverage:  1.0,
	fContext:   0.1,
	fProximity: 0,
	fType:      0.3,
	fNovel:     0,
	fRare:      0,
	fExact:     0,
	fTypeNear:  0,
	fParaBleve: 0,
	fLocal:     0,
	// Adjacent question words standing together anywhere in the sentence
	// (every occurrence, stems and roots included): neutral on XQuAD
	// Arabic (P@1 0.774 at 0 and at 0.1–0.2, 0.772 at 0.05), +0.006 on
	// XQuAD English with its English paragraphs as translations, and it
	// moves the seed set's paraphrases («البروتوكول الأخير»).
	fPhrase: 0.2,
	fLength: 0,
	// A human translation is direct evidence: when an English question
	// matches it, that weighs as much as half the Arabic coverage. (On
	// XQuAD with its English paragraphs as translations, 0.55–0.9 measure
	// alike.)
	fTrans:       0.5,
	fTransPhrase: 0.2,
}

func (f *features) dot(w *features) float64 {
	var s float64
	for i := range f {
		s += f[i] * w[i]
	}
	return s
}

// arabicOnlyMatch scales an English question word matched in a sentence's
// Arabic but not in its human translation: the translation is the direct
// evidence, the Arabic match went through a lexicon (president → رئيس also
// matches رئيس الأركان, the chief of staff).
var arabicOnlyMatch = 0.6

// synonymConfidence scales, in the confidence only, a question word the
// sentence holds through a synonym rather than itself: «قيمة الصفقة» is not
// answered by a sentence about «أهمية الاتفاق». Measured on XQuAD with a
// third of the paragraphs held out (QABOT_TUNE=oov): at 0.90 of the
// answerable questions answered, abstained 0.801 (1.0), 0.821 (0.5), 0.817
// (0.25), 0.829 (0).
var synonymConfidence = 0.5

// Match strengths of one word form against a question term.
var (
	matchExact = 1.0
	matchLight = 0.85
	matchSnow  = 0.7
)

// rerank scores bleve's candidates with what plain search misses: coverage
// of the question's concepts, their proximity, the paragraph as context, the
// question type, and whether the sentence holds anything beyond the
// question's own words.
func rerank(ix *index.Index, rq *resolved, hits []index.Hit, fz *termInfo) []candidate {
	maxB := hits[0].Score
	for _, h := range hits {
		maxB = math.Max(maxB, h.Score)
	}
	paraCache := map[[2]int32]paraInfo{}
	paraBleve := map[[2]int32]float64{}
	for _, h := range hits {
		ref := ix.Sents[h.ID]
		key := [2]int32{ref.Art, ref.Para}
		paraBleve[key] = math.Max(paraBleve[key], h.Score/maxB)
	}
	var rareTotal float64
	for _, c := range rq.concepts {
		rareTotal += c.weight * c.weight
	}
	// a sentence is read once per question, as a candidate or as a
	// neighbour in its paragraph
	strengths := make(map[int][]strength, len(hits)*2)
	strengthsOf := func(id int) []strength {
		if s, ok := strengths[id]; ok {
			return s
		}
		s := conceptStrengths(ix, rq, id, fz)
		strengths[id] = s
		return s
	}
	cands := make([]candidate, 0, len(hits))
	for _, h := range hits {
		own := strengthsOf(h.ID)
		c := candidate{id: h.ID, own: own}
		c.f[fBleve] = h.Score / maxB
		var cov, confCov, rare, exact float64
		matched := 0
		var positions []int
		for i, s := range own {
			w := rq.concepts[i].weight
			cov += w * s.strength
			if s.syn {
				confCov += w * s.strength * synonymConfidence
			} else {
				confCov += w * s.strength
			}
			rare += w * w * s.strength
			if s.strength > 0 {
				matched++
				positions = append(positions, s.pos)
				if s.exact {
					exact++
				}
			}
		}
		var confCoverage float64
		if rq.totalW > 0 {
			c.coverage = cov / rq.totalW
			confCoverage = confCov / rq.totalW
		}
		if rareTotal > 0 {
			c.f[fRare] = rare / rareTotal
		}
		if matched > 0 {
			c.f[fExact] = exact / float64(matched)
		}
		ref := ix.Sents[h.ID]
		key := [2]int32{ref.Art, ref.Para}
		c.f[fParaBleve] = paraBleve[key]
		para, ok := paraCache[key]
		if !ok {
			para = paragraphInfo(ix, rq, h.ID, strengthsOf)
			paraCache[key] = para
		}
		var ctx, local, localTotal float64
		for i, s := range own {
			others := para.best[i]
			if s.strength > 0 {
				// own counted in para.count; the rarer within the paragraph, the more it tells
				others = 0
			}
			if gap := others - s.strength; gap > 0 {
				ctx += rq.concepts[i].weight * gap
			}
			lw := rq.concepts[i].weight * math.Log(1+float64(para.n)/float64(max(para.count[i], 1)))
			local += lw * s.strength
			localTotal += lw
		}
		if localTotal > 0 {
			c.f[fLocal] = local / localTotal
		}
		if rq.totalW > 0 {
			c.context = ctx / rq.totalW
		}
		c.f[fCoverage] = c.coverage
		c.f[fContext] = c.context
		c.f[fProximity] = proximity(positions)
		c.f[fPhrase] = phraseShare(rq, ix.Terms.Words(h.ID), fz, false)
		if rq.lang == "en" && rq.totalW > 0 {
			var tr float64
			for i, s := range own {
				tr += rq.concepts[i].weight * s.tr
			}
			c.f[fTrans] = tr / rq.totalW
			c.f[fTransPhrase] = phraseShare(rq, ix.Terms.TranslationWords(h.ID), fz, true)
		}
		words := ix.Terms.Words(h.ID)
		c.f[fLength] = 1 / (1 + float64(len(words))/20)
		c.f[fNovel] = novelty(words, own)
		c.f[fType], c.f[fTypeNear] = typeMatch(ix, rq, h.ID, positions, fz)
		c.score = c.f.dot(&rankWeights)
		c.confidence = confCoverage + contextConfidence*c.context
		cands = append(cands, c)
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	return cands
}

type strength struct {
	strength float64
	pos      int
	exact    bool
	syn      bool // matched through a synonym, not the word itself (Arabic questions)
	// tr: how well the sentence's English translation holds the concept
	// (English questions over translated articles)
	tr float64
}

// conceptStrengths says, for each concept, how well the sentence holds it
// (0 to 1, times the alternative's weight) and where.
func conceptStrengths(ix *index.Index, rq *resolved, id int, fz *termInfo) []strength {
	words := ix.Terms.Words(id)
	trans := ix.Terms.TranslationWords(id)
	englishArticle := isEnglishWords(ix, id)
	out := make([]strength, len(rq.concepts))
	for i, c := range rq.concepts {
		best := strength{}
		for _, a := range c.alts {
			src := words
			viaTranslation := len(a.terms) > 0 && a.terms[0].english && !englishArticle
			if viaTranslation {
				src = trans
			}
			s, pos := altStrength(a, src)
			isExact := s == matchExact
			s *= math.Min(a.weight, 1)
			if viaTranslation && s > best.tr {
				best.tr = s
			}
			if s > best.strength {
				best.strength, best.pos, best.exact = s, pos, isExact
				best.syn = rq.lang == "ar" && a.weight < 1 && !a.terms[0].english && !a.src.Own
			}
		}
		for _, root := range c.roots {
			if best.strength > 0 {
				break
			}
			if pos, ok := fz.matchRoot(root, words); ok {
				best.strength, best.pos, best.exact = rootMatch, pos, false
			}
		}
		if best.strength == 0 && fz != nil && c.fuzzy != nil {
			if d, pos := fz.match(c.fuzzy, words); d > 0 {
				best.strength, best.pos, best.exact = fuzzyMatch*d, pos, false
			}
		}
		if rq.lang == "en" && len(trans) > 0 && best.tr == 0 {
			best.strength *= arabicOnlyMatch
		}
		out[i] = best
	}
	return out
}

func isEnglishWords(ix *index.Index, id int) bool {
	art, _, _ := ix.Lookup(id)
	return art.Lang == "en"
}

// altStrength matches one alternative against a sentence's words: a single
// term at its best form; a phrase only when all its words are there (the
// weakest of them counts).
func altStrength(a ralt, words []index.Word) (float64, int) {
	if len(words) == 0 {
		return 0, 0
	}
	total := 1.0
	firstPos := -1
	for _, t := range a.terms {
		best, pos := 0.0, -1
		for p, w := range words {
			var s float64
			switch {
			case t.exact != 0 && w.Exact == t.exact:
				s = matchExact
			case t.light != 0 && w.Light == t.light:
				s = matchLight
			case t.sn != 0 && w.Snow == t.sn:
				s = matchSnow
			}
			if s > best {
				best, pos = s, p
				if s == matchExact {
					break
				}
			}
		}
		if best == 0 {
			return 0, 0
		}
		total = math.Min(total, best)
		if firstPos < 0 {
			firstPos = pos
		}
	}
	return total, firstPos
}

// paraInfo is what a paragraph says about the question's concepts: the
// best strength of each in the paragraph's sentences (a neighbour's word
// weighs 0.8 of the sentence's own), and in how many sentences each occurs.
type paraInfo struct {
	best  []float64
	count []int
	n     int
}

func paragraphInfo(ix *index.Index, rq *resolved, id int, strengthsOf func(int) []strength) paraInfo {
	ref := ix.Sents[id]
	para := ix.Articles[ref.Art].Paragraphs[ref.Para]
	pi := paraInfo{best: make([]float64, len(rq.concepts)), count: make([]int, len(rq.concepts)), n: len(para.Sentences)}
	first := id - int(ref.Sent)
	for k := range para.Sentences {
		for i, s := range strengthsOf(first + k) {
			if s.strength > 0 {
				pi.count[i]++
			}
			pi.best[i] = math.Max(pi.best[i], s.strength*0.8)
		}
	}
	return pi
}

// phraseShare is the share of the question's adjacent concept pairs that
// stand together, in order (at most one word between), anywhere in words —
// every occurrence of each concept counts, not only its best. english
// reads the concepts' English alternatives (words of a translation), else
// their Arabic ones and roots.
func phraseShare(rq *resolved, words []index.Word, fz *termInfo, english bool) float64 {
	if len(rq.concepts) < 2 || len(words) == 0 {
		return 0
	}
	prev := conceptPositions(rq.concepts[0], words, fz, english)
	hits := 0
	for i := 1; i < len(rq.concepts); i++ {
		cur := conceptPositions(rq.concepts[i], words, fz, english)
		if prev != nil && cur != nil {
		pair:
			for p := range prev {
				if !prev[p] {
					continue
				}
				for q := p + 1; q <= p+2 && q < len(cur); q++ {
					if cur[q] {
						hits++
						break pair
					}
				}
			}
		}
		prev = cur
	}
	return float64(hits) / float64(len(rq.concepts)-1)
}

// conceptPositions marks the words a concept matches (nil when none): its
// single-word alternatives of the one language, and for Arabic its roots.
func conceptPositions(c rconcept, words []index.Word, fz *termInfo, english bool) []bool {
	var hit []bool
	mark := func(p int) {
		if hit == nil {
			hit = make([]bool, len(words))
		}
		hit[p] = true
	}
	for _, a := range c.alts {
		if len(a.terms) != 1 || a.terms[0].english != english {
			continue
		}
		t := a.terms[0]
		for p, w := range words {
			if t.exact != 0 && w.Exact == t.exact || t.light != 0 && w.Light == t.light || t.sn != 0 && w.Snow == t.sn {
				mark(p)
			}
		}
	}
	if english {
		return hit
	}
	for _, root := range c.roots {
		for p, w := range words {
			if fz.hasRoot(w, root) {
				mark(p)
			}
		}
	}
	return hit
}

// proximity is 1 when the matched words sit next to each other and falls as
// they spread out.
func proximity(pos []int) float64 {
	if len(pos) < 2 {
		return 0
	}
	lo, hi := pos[0], pos[0]
	for _, p := range pos {
		lo, hi = min(lo, p), max(hi, p)
	}
	span := hi - lo + 1
	return float64(len(pos)) / float64(span)
}

// novelty is the share, up to 1, of a sentence's content words that are not
// the question's: a sentence that only repeats the question answers nothing.
func novelty(words []index.Word, own []strength) float64 {
	matched := 0
	for _, s := range own {
		if s.strength > 0 {
			matched++
		}
	}
	extra := len(words) - matched
	if extra <= 0 {
		return 0
	}
	return math.Min(1, float64(extra)/4)
}

// typeMatch says whether a sentence holds the kind of thing the question
// asks for — a date for "when", a number for "how many" — that the question
// does not hold itself, and whether it sits within a few words of a matched
// question word. It reads the term table's flags: no text is analysed.
func typeMatch(ix *index.Index, rq *resolved, id int, matchedPos []int, ti *termInfo) (has, near float64) {
	var want uint8
	switch rq.qtype {
	case QWhen:
		want = flagDate
	case QHowMany:
		want = flagNumber
	case QWho:
		if hasFullName(englishText(ix, id), rq.asked) {
			return 1, 0
		}
		return 0, 0
	default:
		return 0, 0
	}
	if ti == nil {
		return 0, 0
	}
	for pos, w := range ix.Terms.Words(id) {
		if int(w.Exact) >= len(ti.flags) || ti.flags[w.Exact]&want == 0 || rq.exactIDs[w.Exact] {
			continue
		}
		has = 1
		for _, p := range matchedPos {
			if d := p - pos; d >= -4 && d <= 4 {
				near = 1
				return has, near
			}
		}
	}
	return has, near
}

// isYear reports whether s is four ASCII digits from 1000 to 2100.
func isYear(s string) bool {
	if len(s) != 4 || s[0] < '1' || s[0] > '2' {
		return false
	}
	y, err := strconv.Atoi(s)
	return err == nil && y >= 1000 && y <= 2100
}

// englishText is a sentence's English: its own text in an English article,
// else its human translation ("" when there is none).
func englishText(ix *index.Index, id int) string {
	art, _, s := ix.Lookup(id)
	if art.Lang == "en" {
		return s.Text
	}
	return ix.TranslationOf(ix.Sents[id])
}
