package index

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/go-porterstemmer"

	"github.com/qabot/qabot/index/arabic"
)

// Word is one analysed word of a sentence, as term ids of the TermTable. For
// Arabic: the normalised word, its light stem and its Snowball stem. For
// English: the lowercased word and its Porter stem (Snow is 0). Id 0 means
// "no term".
type Word struct {
	Exact, Light, Snow uint32
}

// TermTable keeps every sentence's words as term ids, so the re-ranker can
// measure coverage and proximity on the candidates of a query without
// analysing their text again.
type TermTable struct {
	dict  map[string]uint32
	words [][]Word // per sentence id: the sentence's own words
	trans [][]Word // per sentence id: its English translation's words (nil when none)
	vocab []string // Arabic normalised words seen, for name transliteration
	seen  map[uint32]bool
	df    []uint32 // per term id: number of sentences (own words or translation) that hold it
	n     int
}

func newTermTable(n int) *TermTable {
	return &TermTable{
		dict:  map[string]uint32{"": 0},
		df:    []uint32{0},
		words: make([][]Word, 0, n),
		trans: make([][]Word, 0, n),
		seen:  map[uint32]bool{},
	}
}

func (t *TermTable) intern(kind byte, term string) uint32 {
	if term == "" {
		return 0
	}
	key := string(kind) + term
	if id, ok := t.dict[key]; ok {
		return id
	}
	id := uint32(len(t.dict))
	t.dict[key] = id
	t.df = append(t.df, 0)
	return id
}

// ID returns the term id of an analysed term of the given form kind, and
// whether the table knows it. Kinds: 'e' exact Arabic, 'l' light, 's'
// Snowball, 'E' lowercased English, 'P' Porter-stemmed English.
func (t *TermTable) ID(kind byte, term string) (uint32, bool) {
	if term == "" {
		return 0, false
	}
	id, ok := t.dict[string(kind)+term]
	return id, ok
}

// Words returns the analysed words of a sentence.
func (t *TermTable) Words(id int) []Word { return t.words[id] }

// TranslationWords returns the analysed words of a sentence's English
// translation, or nil.
func (t *TermTable) TranslationWords(id int) []Word { return t.trans[id] }

// Vocabulary returns the distinct normalised Arabic words of the index.
func (t *TermTable) Vocabulary() []string { return t.vocab }

// Size returns the number of distinct terms.
func (t *TermTable) Size() int { return len(t.dict) }

// DF returns the number of sentences holding a term, and N the number of
// sentences: the re-ranker's idf.
func (t *TermTable) DF(id uint32) int {
	if int(id) >= len(t.df) {
		return 0
	}
	return int(t.df[id])
}

// N returns the number of sentences in the table.
func (t *TermTable) N() int { return t.n }

func (t *TermTable) countDF(ws ...[]Word) {
	seen := map[uint32]bool{}
	for _, w := range ws {
		for _, x := range w {
			for _, id := range [3]uint32{x.Exact, x.Light, x.Snow} {
				if id != 0 && !seen[id] {
					seen[id] = true
					t.df[id]++
				}
			}
		}
	}
	t.n++
}

// add appends the words of a sentence (and of its translation) and counts
// them in df.
func (t *TermTable) add(ix *Index, ref SentRef, arabicInfos []*wordInfo) {
	art := ix.Articles[ref.Art]
	s := &art.Paragraphs[ref.Para].Sentences[ref.Sent]
	var words, trans []Word
	if art.Lang == "en" {
		words = t.englishWords(s.Text)
	} else {
		words = t.arabicWords(arabicInfos)
		if tr := ix.TranslationOf(ref); tr != "" {
			trans = t.englishWords(tr)
		}
	}
	t.words = append(t.words, words)
	t.trans = append(t.trans, trans)
	t.countDF(words, trans)
}

func (t *TermTable) arabicWords(infos []*wordInfo) []Word {
	n := 0
	for _, wi := range infos {
		if wi.forms.Exact != "" {
			n++
		}
	}
	ws := make([]Word, 0, n)
	for _, wi := range infos {
		if wi.forms.Exact == "" {
			continue
		}
		if wi.word.Exact == 0 {
			// first time this surface form is seen in this build
			wi.word = Word{
				Exact: t.intern('e', wi.forms.Exact),
				Light: t.intern('l', wi.forms.Light),
				Snow:  t.intern('s', wi.forms.Snow),
			}
			if !t.seen[wi.word.Exact] {
				t.seen[wi.word.Exact] = true
				if isArabicWord(wi.forms.Exact) {
					t.vocab = append(t.vocab, wi.forms.Exact)
				}
			}
		}
		ws = append(ws, wi.word)
	}
	return ws
}

func (t *TermTable) englishWords(text string) []Word {
	toks := Tokenize(text)
	ws := make([]Word, 0, len(toks))
	for _, tok := range toks {
		lower, stem := EnglishForms(tok)
		if lower == "" {
			continue
		}
		ws = append(ws, Word{Exact: t.intern('E', lower), Light: t.intern('P', stem)})
	}
	return ws
}

func (t *TermTable) finish() {
	t.seen = nil
}

// Forms is the analysed forms of one Arabic word. Exact is "" for a word
// that carries no content (a stop word or punctuation).
type Forms struct {
	Exact, Light, Snow string
}

// ArabicForms analyses one word the way the index fields do.
func ArabicForms(tok string) Forms {
	n := arabic.Normalize(tok)
	if n == "" || arabic.IsStopWord(n) {
		return Forms{}
	}
	return Forms{Exact: n, Light: lightStem(n), Snow: arabic.SnowballStem(n)}
}

// EnglishForms analyses one English word: lowercased, and Porter-stemmed.
// Both are "" for a stop word.
func EnglishForms(tok string) (lower, stem string) {
	lower = strings.ToLower(tok)
	if lower == "" || isEnglishStop(lower) {
		return "", ""
	}
	return lower, porterstemmer.StemString(lower)
}

// Tokenize splits text into words: runs of letters, digits and combining
// marks (so Arabic diacritics stay inside their word). Decimal numbers keep
// their point (3.5).
func Tokenize(text string) []string {
	var toks []string
	forEachToken(text, func(tok string) { toks = append(toks, tok) })
	return toks
}

// forEachToken calls f with each word of text, as Tokenize splits them,
// without collecting them.
func forEachToken(text string, f func(tok string)) {
	start := -1
	for i, r := range text {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && (r == '.' || r == ',' || r == '٫' || r == '٬') && i > start {
			// keep 3.5 and 2,000 whole when digits sit on both sides
			prev, _ := utf8.DecodeLastRuneInString(text[:i])
			next, _ := utf8.DecodeRuneInString(text[i+utf8.RuneLen(r):])
			if unicode.IsDigit(prev) && unicode.IsDigit(next) {
				continue
			}
		}
		if start >= 0 {
			f(text[start:i])
			start = -1
		}
	}
	if start >= 0 {
		f(text[start:])
	}
}

func isWordRune(r rune) bool {
	switch {
	case r < 0x80:
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	case 0x0621 <= r && r <= 0x0669:
		// the Arabic letters, tatweel, harakat (Mn) and Arabic-Indic
		// digits: the common case, without the Unicode tables
		return true
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || r == 'ـ'
}

func isArabicWord(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Arabic, r) {
			return false
		}
	}
	return s != ""
}

// lightStem is what the light field's analyzer does to a normalised word.
func lightStem(n string) string {
	return arabic.LightSuffixStem(arabic.StripProclitics(n))
}

// englishStop is the stop list of the English field's analyzer (stop_en).
var englishStop = func() analysis.TokenMap {
	m := analysis.NewTokenMap()
	if err := m.LoadBytes(en.EnglishStopWords); err != nil {
		panic(err)
	}
	return m
}()

func isEnglishStop(w string) bool { return englishStop[w] }
