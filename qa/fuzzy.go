package qa

import (
	"unicode/utf8"

	"github.com/qabot/qabot/index"
	"github.com/qabot/qabot/index/arabic"
)

// fuzzyTerms lets the re-ranker match spelling variants that no stemmer
// joins — names transliterated two ways (لافوزييه / لافوازييه, أنطاليا /
// انطاليه) — by the overlap of their letter trigrams.
type fuzzyTerms struct {
	exact []string // term id → exact form
}

func newFuzzyTerms(ix *index.Index) *fuzzyTerms {
	if ix == nil {
		return nil
	}
	return &fuzzyTerms{exact: ix.Terms.TermStrings()}
}

// minFuzzyRunes is the shortest word matched fuzzily: shorter words share
// trigrams by chance.
const minFuzzyRunes = 5

// fuzzyMatch is the strength, scaled down from a real match, of the best
// trigram match of a question word among a sentence's words.
var fuzzyMatch = 0.6

// match returns the best Dice overlap (at least 0.6) of word's trigrams
// with those of a sentence word of similar length and the same first
// letter, and that word's position.
func (f *fuzzyTerms) match(word string, words []index.Word) (float64, int) {
	if f == nil {
		return 0, 0
	}
	w := arabic.StripProclitics(word)
	n := utf8.RuneCountInString(w)
	if n < minFuzzyRunes {
		return 0, 0
	}
	first, _ := utf8.DecodeRuneInString(w)
	var grams []string
	best, bestPos := 0.0, 0
	for p, sw := range words {
		if int(sw.Exact) >= len(f.exact) {
			continue
		}
		cand := arabic.StripProclitics(f.exact[sw.Exact])
		cn := utf8.RuneCountInString(cand)
		if cn < minFuzzyRunes || cn-n > 2 || n-cn > 2 || cand == w {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(cand); r != first {
			continue
		}
		if grams == nil {
			grams = trigrams(w)
		}
		if d := dice(grams, trigrams(cand)); d > best {
			best, bestPos = d, p
		}
	}
	if best < 0.6 {
		return 0, 0
	}
	return best, bestPos
}

func trigrams(s string) []string {
	rs := []rune(s)
	if len(rs) < 3 {
		return []string{s}
	}
	out := make([]string, 0, len(rs)-2)
	for i := 0; i+3 <= len(rs); i++ {
		out = append(out, string(rs[i:i+3]))
	}
	return out
}

func dice(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	common := 0
	used := make([]bool, len(b))
	for _, x := range a {
		for j, y := range b {
			if !used[j] && x == y {
				used[j] = true
				common++
				break
			}
		}
	}
	return 2 * float64(common) / float64(len(a)+len(b))
}
