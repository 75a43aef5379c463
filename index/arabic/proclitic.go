package arabic

import (
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// ProcliticName is the registry name of the proclitic-stripping token filter.
const ProcliticName = "qabot_ar_proclitic"

// minStem is the shortest stem StripProclitics leaves.
const minStem = 3

// ProcliticFilter is a bleve token filter that applies StripProclitics to
// every token. Its input must already be normalised (see Normalize).
type ProcliticFilter struct{}

// NewProcliticFilter returns a ProcliticFilter.
func NewProcliticFilter() *ProcliticFilter { return &ProcliticFilter{} }

// Filter implements analysis.TokenFilter.
func (f *ProcliticFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		if tok.KeyWord || len(tok.Term) < 6 { // fewer than 3 Arabic letters
			continue
		}
		s := string(tok.Term)
		if out := StripProclitics(s); len(out) != len(s) {
			tok.Term = []byte(out)
		}
	}
	return input
}

// StripProclitics removes stacked Arabic proclitics from a normalised token
// (see Normalize) and returns the stem.
//
// A word is read as
//
//	[و|ف] ( ال | [ب|ك] ال | لل | ب | ك | ل | س )? stem
//
// that is: an optional conjunction و or ف; then either the article ال
// (bare, after ب or ك, or as لل = ل + ال), a lone preposition ب ك ل, or
// (only right after a conjunction, and only before an imperfect-verb prefix
// ي ت ن ا) the future marker س. So وبالحكومة → حكومه, فالاستثمار → استثمار,
// للتدريب → تدريب, والكويت → كويت, لمصر → مصر, وسيكون → يكون.
//
// Guards, checked at every layer; when one fails stripping stops and the
// word as stripped so far is returned:
//
//  1. the stem keeps at least 3 letters (الله stays الله, وقت stays وقت);
//  2. a layer is not stripped when the word at that point starts with a
//     protected stem: a short list of common words and names whose first
//     letter looks like a proclitic (وزير, وزاره, واشنطن, وارسو, فرنسا,
//     فلسطين, بلد, بريطانيا, لبنان, ليبيا, كلمه, كتاب, سياسه, ...);
//  3. a word of 4 letters or fewer loses a proclitic that is not followed by
//     the article only if what remains is a known short stem (مصر, قطر, قال,
//     عام, ...): لمصر → مصر and وقال → قال, but بلده, كبير, فيلم, ورقه,
//     سوق stay whole. With the article (بالم..., لل..., وال...) the only
//     condition is the 3-letter stem.
//
// Names that happen to start with ا are never touched: the article must be
// ال, so أردوغان (normalised اردوغان), أنقرة, أنطاليا stay whole.
func StripProclitics(tok string) string {
	n := utf8.RuneCountInString(tok)
	if n <= minStem {
		return tok
	}
	short := n <= 4
	cur, curN := tok, n

	// strip removes the prefix p (pn runes) from cur if the guards allow.
	// withArticle says the proclitic is followed by a strippable article.
	strip := func(p string, pn int, withArticle bool) bool {
		if !strings.HasPrefix(cur, p) || curN-pn < minStem || isProtected(cur) {
			return false
		}
		rest := cur[len(p):]
		if short && !withArticle {
			if _, ok := shortStems[rest]; !ok {
				return false
			}
		}
		cur, curN = rest, curN-pn
		return true
	}

	// Layer 1: conjunction و or ف.
	conj := false
	if strings.HasPrefix(cur, "و") || strings.HasPrefix(cur, "ف") {
		conj = strip(cur[:len("و")], 1, articleStrippable(cur[len("و"):], curN-1))
	}

	// Layer 2: the article, bare or after ب ك ل.
	for _, p := range articleCombos {
		if !strings.HasPrefix(cur, p.s) {
			continue
		}
		if p.s == "لل" && isProtected(cur[len("ل"):]) {
			// ل + a protected word starting with ل: للبنان → لبنان.
			strip("ل", 1, true)
			return cur
		}
		strip(p.s, p.n, true)
		// If the article was refused (بالغ, الله), no weaker reading of
		// the same letters is tried.
		return cur
	}

	// Layer 2': a lone preposition, or the future marker after a conjunction.
	switch {
	case strings.HasPrefix(cur, "ب"), strings.HasPrefix(cur, "ك"), strings.HasPrefix(cur, "ل"):
		strip(cur[:len("ب")], 1, false)
	case conj && strings.HasPrefix(cur, "س") && curN > 4:
		// س is only taken off before an imperfect-verb prefix and when a
		// verb of at least 4 letters is left (وسيكون → يكون).
		if r, _ := utf8.DecodeRuneInString(cur[len("س"):]); r == 'ي' || r == 'ت' || r == 'ن' || r == 'ا' {
			strip(cur[:len("س")], 1, false)
		}
	}
	return cur
}

type prefix struct {
	s string
	n int
}

// articleCombos are the article-bearing prefixes, longest first.
var articleCombos = []prefix{
	{"بال", 3}, {"كال", 3}, {"لل", 2}, {"ال", 2},
}

// articleStrippable reports whether s (n runes) starts with an
// article combination that the guards would let StripProclitics remove.
func articleStrippable(s string, n int) bool {
	for _, p := range articleCombos {
		if strings.HasPrefix(s, p.s) {
			return n-p.n >= minStem && !isProtected(s)
		}
	}
	return false
}

// isProtected reports whether s starts with one of protectedStems.
func isProtected(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	for _, p := range protectedByFirst[r] {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// protectedByFirst indexes protectedStems by their first rune.
var protectedByFirst = func() map[rune][]string {
	m := make(map[rune][]string)
	for _, p := range protectedStems {
		r, _ := utf8.DecodeRuneInString(p)
		m[r] = append(m[r], p)
	}
	return m
}()

// protectedStems are (normalised) beginnings of common words and names whose
// first letter(s) look like a proclitic. A word starting with one of them is
// not stripped at that point, though proclitics in front of it still are
// (ووزير → وزير, بفرنسا → فرنسا).
var protectedStems = []string{
	// و
	"وزير", "وزار", "وزرا", "واشنطن", "وارسو", "وكال", "وكيل", "ولاي", "ولايات",
	"وطن", "وسائل", "وسيل", "وسط", "وثيق", "وثائق", "وفاه", "وفد", "وفود",
	"ولي", "وجود", "وجه", "وصول", "وضع", "وقوع", "وقف", "وقت", "وحد",
	"ورقه", "ورش", "وعود", "وفق", "وقود", "واقع", "والد", "وادي",
	// ف
	"فرنس", "فلسطين", "فريق", "فرق", "فرص", "فتره", "فكر", "فندق", "فيلم",
	"فيروس", "فنزويل", "فيتنام", "فنلند", "فعالي", "فوز", "فصل", "فقر", "فني",
	"فئه", "فئات", "فرع", "فروع", "فضل", "فضاء", "فائز",
	// ب
	"بريطاني", "بلد", "بلاد", "بلدي", "برلمان", "برنامج", "برامج", "بغداد",
	"بيروت", "بكين", "برلين", "باريس", "باكستان", "بحر", "بحري", "بنك", "بنوك",
	"بيان", "بيئ", "بيت", "بيع", "بحث", "بحوث", "بطول", "بطل", "بدايه", "بناء",
	"بورص", "برازيل", "بلجيك", "بولند", "بوتين", "بايدن", "بترول", "بنغلاديش",
	"بروتوكول", "برج", "بئر",
	// ك
	"كلم", "كتاب", "كتب", "كاتب", "كبير", "كبار", "كندا", "كوري", "كويت",
	"كامل", "كليه", "كرة", "كره", "كهرب", "كميه", "كمي", "كوب", "كورونا",
	"كرسي", "كنيس", "كفاء", "كلف", "كشف",
	// ل
	"لبنان", "ليبي", "لندن", "لجن", "لغه", "لغات", "لقاء", "لحظ", "لاعب",
	"لاجئ", "لوائح", "لائح", "ليل", "لحم", "لون",
	// س
	"سياس", "سيار", "سيطر", "سيد", "سيناء", "سينما", "سيول", "سياح", "سيبر",
}

// shortStems are 3-letter stems that a 4-letter word may be reduced to by a
// lone proclitic (لمصر → مصر, وقال → قال).
var shortStems = map[string]struct{}{
	"مصر": {}, "قطر": {}, "قال": {}, "عام": {}, "يوم": {}, "شهر": {},
	"دول": {}, "حرب": {}, "نفط": {}, "امن": {}, "عمل": {}, "حكم": {},
	"شعب": {}, "ارض": {}, "مال": {}, "علم": {}, "اكد": {}, "ذكر": {},
	"قام": {}, "غزه": {}, "يمن": {}, "حزب": {}, "جيش": {}, "نصر": {},
	"فوز": {}, "عدد": {}, "اول": {}, "بلد": {}, "دور": {}, "سعر": {},
	"نقل": {}, "طفل": {}, "حزن": {}, "ماء": {}, "امر": {}, "قرر": {},
}

// ProcliticFilterConstructor builds a ProcliticFilter for the registry.
func ProcliticFilterConstructor(config map[string]interface{}, cache *registry.Cache) (analysis.TokenFilter, error) {
	return NewProcliticFilter(), nil
}

func init() {
	if err := registry.RegisterTokenFilter(ProcliticName, ProcliticFilterConstructor); err != nil {
		panic(err)
	}
}
