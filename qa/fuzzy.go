package qa

import (
	"unicode/utf8"

	"github.com/qabot/qabot/index"
	"github.com/qabot/qabot/index/arabic"
)

// termInfo is what the re-ranker knows about each term of one index
// generation, computed once when the generation is swapped in: its text
// (for fuzzy matching of spelling variants no stemmer joins — names
// transliterated two ways, لافوزييه / لافوازييه) and whether it is a date
// or a number (for the question type).
type termInfo struct {
	exact    []string // term id → exact form
	flags    []uint8  // term id → flagDate | flagNumber
	stripped []string // term id → exact form without proclitics, "" when shorter than minFuzzyRunes
	first    []rune   // term id → first letter of stripped
	runes    []uint8  // term id → rune count of stripped (capped at 255)
	root     []uint32 // term id → root id (0: none), for words no stem joins (ستزيد / زيادة)
	rootIDs  map[string]uint32
}

const (
	flagDate   uint8 = 1 << iota // a year (1000–2100) or a month name
	flagNumber                   // digits or a number word
)

func newTermInfo(ix *index.Index) *termInfo {
	if ix == nil {
		return nil
	}
	terms, kinds := ix.Terms.TermStrings()
	ti := &termInfo{exact: terms}
	ti.flags = make([]uint8, len(ti.exact))
	ti.stripped = make([]string, len(ti.exact))
	ti.first = make([]rune, len(ti.exact))
	ti.runes = make([]uint8, len(ti.exact))
	ti.root = make([]uint32, len(ti.exact))
	ti.rootIDs = map[string]uint32{}
	// the terms are already normalised: no Normalize, and the proclitics
	// are stripped once per term
	for id, t := range ti.exact {
		// sentences' words are looked up by their exact form only: the
		// stems (most of the table) need nothing
		st := t
		switch kinds[id] {
		case 'e':
			st = arabic.StripProclitics(t)
			ti.root[id] = ti.rootID(arabic.RootOfStem(st), true)
			if n := utf8.RuneCountInString(st); n >= minFuzzyRunes {
				ti.stripped[id] = st
				ti.first[id], _ = utf8.DecodeRuneInString(st)
				ti.runes[id] = uint8(min(255, n))
			}
		case 'E':
		default:
			continue
		}
		if isYear(t) || monthWords[t] || monthWords[st] {
			ti.flags[id] |= flagDate
		}
		if isNumber(t) || numberWords[t] || numberWords[st] {
			ti.flags[id] |= flagNumber
		}
	}
	return ti
}

// rootID returns the id of a root ("" → 0), adding it when add is set;
// without add, a root no word of the index has is 0.
func (f *termInfo) rootID(root string, add bool) uint32 {
	if root == "" {
		return 0
	}
	if id, ok := f.rootIDs[root]; ok || !add {
		return id
	}
	id := uint32(len(f.rootIDs) + 1)
	f.rootIDs[root] = id
	return id
}

// rootMatch is the strength of a match by root alone: ستزيد and زيادة
// share a meaning, but less surely than two forms of one stem.
var rootMatch = 0.5

// matchRoot returns the position of the first sentence word with the root.
func (f *termInfo) matchRoot(root uint32, words []index.Word) (int, bool) {
	if f == nil || root == 0 {
		return 0, false
	}
	for p, w := range words {
		if f.hasRoot(w, root) {
			return p, true
		}
	}
	return 0, false
}

// hasRoot reports whether a sentence word has the root.
func (f *termInfo) hasRoot(w index.Word, root uint32) bool {
	return f != nil && int(w.Exact) < len(f.root) && f.root[w.Exact] == root
}

// minFuzzyRunes is the shortest word matched fuzzily: shorter words share
// trigrams by chance.
const minFuzzyRunes = 5

// fuzzyMatch is the strength, scaled down from a real match, of the best
// trigram match of a question word among a sentence's words.
var fuzzyMatch = 0.6

// fuzzyWord is a question word prepared for trigram matching once per
// question, not once per sentence.
type fuzzyWord struct {
	stripped string
	runes    int
	first    rune
	grams    []uint64
}

// newFuzzyWord prepares a normalised word; nil when it is too short to
// match fuzzily.
func newFuzzyWord(word string) *fuzzyWord {
	w := arabic.StripProclitics(word)
	n := utf8.RuneCountInString(w)
	if n < minFuzzyRunes {
		return nil
	}
	first, _ := utf8.DecodeRuneInString(w)
	return &fuzzyWord{stripped: w, runes: n, first: first, grams: appendTrigrams(nil, w)}
}

// match returns the best Dice overlap (at least 0.6) of the word's
// trigrams with those of a sentence word of similar length and the same
// first letter, and that word's position.
func (f *termInfo) match(fw *fuzzyWord, words []index.Word) (float64, int) {
	if f == nil || fw == nil {
		return 0, 0
	}
	var buf [64]uint64
	best, bestPos := 0.0, 0
	for p, sw := range words {
		id := int(sw.Exact)
		if id >= len(f.stripped) || f.stripped[id] == "" || f.first[id] != fw.first {
			continue
		}
		cand, cn := f.stripped[id], int(f.runes[id])
		if cn-fw.runes > 2 || fw.runes-cn > 2 || cand == fw.stripped {
			continue
		}
		if d := dice(fw.grams, appendTrigrams(buf[:0], cand)); d > best {
			best, bestPos = d, p
		}
	}
	if best < 0.6 {
		return 0, 0
	}
	return best, bestPos
}

// appendTrigrams appends the word's letter trigrams, each packed into one
// number (three 21-bit runes), to out.
func appendTrigrams(out []uint64, s string) []uint64 {
	var r0, r1 rune
	i := 0
	for _, r := range s {
		if i >= 2 {
			out = append(out, uint64(r0)<<42|uint64(r1)<<21|uint64(r))
		}
		r0, r1 = r1, r
		i++
	}
	if i < 3 {
		out = append(out, uint64(r0)<<42|uint64(r1)<<21)
	}
	return out
}

// dice is the Dice coefficient of two trigram multisets.
func dice(a, b []uint64) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	common := 0
	var used [2]uint64 // b's trigrams already paired; words are short
	for _, x := range a {
		for j, y := range b {
			if j >= 128 {
				break
			}
			if used[j/64]&(1<<(j%64)) == 0 && x == y {
				used[j/64] |= 1 << (j % 64)
				common++
				break
			}
		}
	}
	return 2 * float64(common) / float64(len(a)+len(b))
}
