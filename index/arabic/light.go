package arabic

import (
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// LightSuffixName is the registry name of the light suffix-stripping filter.
const LightSuffixName = "qabot_ar_light_suffix"

// lightSuffixes is the suffix list of Lucene's ArabicStemmer (bleve's
// stemmer_ar), in the same order. The ة and ية entries never match after
// Normalize (ة → ه) but are kept so the list stays identical.
var lightSuffixes = []string{"ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي"}

// LightSuffixFilter is a bleve token filter applying LightSuffixStem.
//
// It is the suffix half of bleve's stemmer_ar only: stemmer_ar also strips
// one of ال وال بال كال فال لل و, and run after qabot_ar_proclitic that
// second pass takes و off names and words the proclitic filter deliberately
// kept (وارسو → ارسو, وزير → زير, واشنطن → اشنطن) and ال off words it kept
// because the stem would be too short (الله → له).
type LightSuffixFilter struct{}

// NewLightSuffixFilter returns a LightSuffixFilter.
func NewLightSuffixFilter() *LightSuffixFilter { return &LightSuffixFilter{} }

// Filter implements analysis.TokenFilter.
func (f *LightSuffixFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		if tok.KeyWord {
			continue
		}
		s := string(tok.Term)
		if out := LightSuffixStem(s); len(out) != len(s) {
			tok.Term = []byte(out)
		}
	}
	return input
}

// LightSuffixStem strips suffixes exactly like the suffix part of Lucene's
// ArabicStemmer: each suffix of the list ها ان ات ون ين يه ية ه ة ي is tried
// once, in that order, and removed when at least 2 letters remain
// (حكومه → حكوم, الاجتماعات → الاجتماع, مسؤولين → مسؤول).
func LightSuffixStem(tok string) string {
	if len(tok) < 3 { // fewer than 3 letters: nothing can go
		return tok
	}
	n := utf8.RuneCountInString(tok)
	for _, suf := range lightSuffixes {
		sn := len(suf) / 2 // every suffix letter is 2 bytes in UTF-8
		if n-sn >= 2 && strings.HasSuffix(tok, suf) {
			tok = tok[:len(tok)-len(suf)]
			n -= sn
		}
	}
	return tok
}

// LightSuffixFilterConstructor builds a LightSuffixFilter for the registry.
func LightSuffixFilterConstructor(config map[string]interface{}, cache *registry.Cache) (analysis.TokenFilter, error) {
	return NewLightSuffixFilter(), nil
}

func init() {
	if err := registry.RegisterTokenFilter(LightSuffixName, LightSuffixFilterConstructor); err != nil {
		panic(err)
	}
}
