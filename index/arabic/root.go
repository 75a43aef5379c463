package arabic

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// RootName is the registry name of the root-extracting token filter.
const RootName = "qabot_ar_root"

// RootFilter is a bleve token filter that replaces every token by its
// triliteral root (Root), dropping tokens that have none. Its input must
// already be normalised (see Normalize).
type RootFilter struct{}

// NewRootFilter returns a RootFilter.
func NewRootFilter() *RootFilter { return &RootFilter{} }

// Filter implements analysis.TokenFilter.
func (f *RootFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	out := input[:0]
	for _, tok := range input {
		if tok.KeyWord {
			out = append(out, tok)
			continue
		}
		if r := Root(string(tok.Term)); r != "" {
			tok.Term = []byte(r)
			out = append(out, tok)
		}
	}
	return out
}

// Root returns the three-letter root of a normalised Arabic word (see
// Normalize), or "" when it finds none. It strips proclitics
// (StripProclitics) and the future marker س, then suffixes (pronouns,
// plural and feminine endings, past-tense ت), then reads the stem against
// the common derived patterns: فاعل تفعيل افتعال استفعل مفعول …:
//
//	ستزيد → زيد, زيادة → زيد, تنفذون → نفذ, تنفيذ → نفذ,
//	أوفدت → وفد, التدريبات → درب, مسؤولين → سئل, اجتماع → جمع.
//
// A hollow or defective root writes its weak radical و whatever the form
// spells (weakRoot): قال، يقول، مقالة → قول; بنى، يبني، بناء → بنو.
//
// It is a heuristic, like every root extractor without a lexicon: doubled
// roots and a weak first radical come out in whatever form their pattern
// leaves (تصف is not joined to وصف), and an unknown word (a name, a
// quadriliteral) gets "" rather than a guess. Two
// words with the same root are related far more loosely than two with the
// same stem: callers weigh a root match below a stem match.
func Root(tok string) string {
	return RootOfStem(StripProclitics(tok))
}

// RootOfStem is Root for a word whose proclitics are already stripped
// (StripProclitics): callers that need the stem too strip them once.
func RootOfStem(stem string) string {
	w := []rune(stem)
	for _, r := range w {
		if r < 0x0621 || r > 0x064A {
			return ""
		}
	}
	if len(w) >= 5 && w[0] == 'س' && isImperfectPrefix(w[1]) {
		w = w[1:]
	}
	if len(w) == 4 && w[0] == 'ي' && (w[3] == 'ي' || w[3] == 'ى' || w[3] == 'و' || w[3] == 'ا') {
		// the imperfect of a defective verb: يبني، يسعى، يدعو (the last
		// letter is the root's, not the suffix ي)
		return weakRoot(w[1:])
	}
	w = stripRootSuffixes(w)
	if len(w) == 3 {
		return weakRoot(w)
	}
	if len(w) == 4 && (w[0] == 'ي' || w[0] == 'ت' || w[0] == 'م') && (isWeakRadical(w[2]) || isWeakRadical(w[3])) {
		// an imperfect or a noun of place on a weak root: يقول، يبني، مقال
		return weakRoot(w[1:])
	}
	for _, p := range rootPatterns {
		if len(p) != len(w) {
			continue
		}
		if r, ok := matchPattern(w, p); ok {
			root := []rune(r)
			if root[0] == 'ي' && string(p) == "افعال" {
				// the verbal noun of a verb whose first radical is و
				// writes it ي: إيفاد، إيجاد، إيضاح (أوفد، أوجد، أوضح)
				root[0] = 'و'
			}
			return weakRoot(root)
		}
	}
	return ""
}

// weakRoot writes a hollow or defective root's weak letter one way: the
// middle or last radical that is ا و ي ى or a hamza becomes و, so قال،
// يقول، مقالة all give قول, and بنى، يبني، مبنى، بناء all give بنو. The
// weak letter is what each form spells differently; the two strong ones are
// the word. A root with two weak letters, or a weak first letter (امن and
// يمن are not one root), is left as it is. It writes into r.
func weakRoot(r []rune) string {
	if len(r) != 3 {
		return string(r)
	}
	w0, w1, w2 := isWeakRadical(r[0]), isWeakRadical(r[1]), isWeakRadical(r[2])
	switch {
	case w1 && !w0 && !w2:
		r[1] = 'و'
	case w2 && !w0 && !w1:
		r[2] = 'و'
	}
	return string(r)
}

// isWeakRadical reports whether a root letter is one that forms spell
// differently: the long vowels ا و ي ى and the hamza on any seat.
func isWeakRadical(r rune) bool {
	switch r {
	case 'ا', 'و', 'ي', 'ى', 'ء', 'ؤ', 'ئ', 'أ', 'إ', 'آ':
		return true
	}
	return false
}

func isImperfectPrefix(r rune) bool {
	return r == 'ي' || r == 'ت' || r == 'ن' || r == 'ا'
}

// Suffixes, longest first. The plural and dual endings need four letters
// left (تعاون is not تعا + ون); the others three.
var (
	rootSuffixes3 = [][]rune{[]rune("هما"), []rune("كما"), []rune("تما"), []rune("تين"), []rune("تان")}
	rootSuffixes2 = [][]rune{
		[]rune("ات"), []rune("ون"), []rune("ين"), []rune("ان"), // plural and dual: 4 letters left
		[]rune("وا"), []rune("ها"), []rune("هم"), []rune("هن"), []rune("كم"), []rune("كن"),
		[]rune("نا"), []rune("يه"), []rune("ته"), []rune("تم"), []rune("تن"),
	}
	rootSuffixes1 = []rune("هتيكا")
)

func stripRootSuffixes(w []rune) []rune {
	for pass := 0; pass < 3 && len(w) > 3; pass++ {
		stripped := false
		for _, s := range rootSuffixes3 {
			if len(w)-3 >= 3 && hasRuneSuffix(w, s) {
				w, stripped = w[:len(w)-3], true
				break
			}
		}
		if !stripped {
			for i, s := range rootSuffixes2 {
				minLeft := 3
				if i < 4 {
					minLeft = 4
				}
				if len(w)-2 >= minLeft && hasRuneSuffix(w, s) {
					w, stripped = w[:len(w)-2], true
					break
				}
			}
		}
		if !stripped && len(w) > 3 {
			for _, s := range rootSuffixes1 {
				if w[len(w)-1] == s {
					w, stripped = w[:len(w)-1], true
					break
				}
			}
		}
		if !stripped {
			break
		}
	}
	return w
}

func hasRuneSuffix(w, s []rune) bool {
	if len(s) > len(w) {
		return false
	}
	for i := range s {
		if w[len(w)-len(s)+i] != s[i] {
			return false
		}
	}
	return true
}

// rootPatterns are the derived forms, with ف ع ل standing for the root
// letters, the more specific first within a length.
var rootPatterns = func() [][]rune {
	var out [][]rune
	for _, p := range []string{
		"استفعال",
		"استفعل", "مستفعل", "افتعال", "انفعال", "متفاعل", "يتفاعل", "تتفاعل", "نتفاعل",
		"يستفعل", "تستفعل", "نستفعل", "مفاعيل", "تفاعيل",
		"افتعل", "انفعل", "تفاعل", "تفعيل", "مفعول", "مفاعل", "مفتعل", "منفعل", "افعال",
		"مفعال", "مفعيل", "فواعل", "فعائل", "افاعل", "فعلاء", "يفتعل", "تفتعل", "نفتعل",
		"يتفعل", "تتفعل", "نتفعل", "متفعل", "فعلان",
		// the prefixed forms before فعيل (تزيد is تفعل, not فعيل) but
		// after فعال (نظام is فعال, not نفعل)
		"فاعل", "فعال", "فعول", "مفعل", "افعل", "تفعل", "يفعل", "نفعل", "فعيل",
	} {
		out = append(out, []rune(p))
	}
	return out
}()

// matchPattern reads w against the pattern p: every letter of p other than
// ف ع ل must be w's letter at that place; the letters at ف ع ل are the root.
func matchPattern(w, p []rune) (string, bool) {
	var root [3]rune
	for i, pr := range p {
		switch pr {
		case 'ف':
			root[0] = w[i]
		case 'ع':
			root[1] = w[i]
		case 'ل':
			root[2] = w[i]
		default:
			if w[i] != pr {
				return "", false
			}
		}
	}
	return string(root[:]), true
}

// RootFilterConstructor builds a RootFilter for the registry.
func RootFilterConstructor(config map[string]interface{}, cache *registry.Cache) (analysis.TokenFilter, error) {
	return NewRootFilter(), nil
}

func init() {
	if err := registry.RegisterTokenFilter(RootName, RootFilterConstructor); err != nil {
		panic(err)
	}
}
