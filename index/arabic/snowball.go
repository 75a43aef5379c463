package arabic

import (
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/snowballstem"
	snowar "github.com/blevesearch/snowballstem/arabic"
)

// SnowballName is the registry name of the Snowball Arabic stemming filter.
const SnowballName = "qabot_ar_snowball"

// SnowballFilter is a bleve token filter applying SnowballStem, wrapped the
// way bleve wraps the English Snowball stemmer (stemmer_en_snowball).
type SnowballFilter struct{}

// NewSnowballFilter returns a SnowballFilter.
func NewSnowballFilter() *SnowballFilter { return &SnowballFilter{} }

// Filter implements analysis.TokenFilter. Keyword tokens are left alone.
func (f *SnowballFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		if tok.KeyWord {
			continue
		}
		s := string(tok.Term)
		if out := SnowballStem(s); out != s {
			tok.Term = []byte(out)
		}
	}
	return input
}

// SnowballStem stems one token with the Snowball Arabic stemmer
// (github.com/blevesearch/snowballstem/arabic). The stemmer strips
// prefixes and suffixes itself, so the input should be normalised (see
// Normalize) but not proclitic-stripped. Tokens without Arabic letters
// (numbers, Latin words) are returned unchanged.
//
// Normalize folds ة to ه, but Snowball treats the two differently: after
// the article it removes ة and keeps ه (a pronoun cannot follow ال), so
// الحكومه would stem to حكومه while حكومه stems to حكوم. A final ه is
// therefore given back its ة reading before stemming; both spellings, with
// and without the article, then stem alike (الحكومة, الحكومه, حكومه → حكوم).
func SnowballStem(tok string) string {
	if !hasArabicLetter(tok) {
		return tok
	}
	in := tok
	if strings.HasSuffix(in, "ه") {
		in = in[:len(in)-len("ه")] + "ة"
	}
	env := snowballstem.NewEnv(in)
	snowar.Stem(env)
	if out := env.Current(); out != "" {
		return out
	}
	return tok
}

// hasArabicLetter reports whether s contains a rune of the Arabic block.
func hasArabicLetter(s string) bool {
	for _, r := range s {
		if r >= 0x0600 && r <= 0x06FF {
			return true
		}
	}
	return false
}

// SnowballFilterConstructor builds a SnowballFilter for the registry.
func SnowballFilterConstructor(config map[string]interface{}, cache *registry.Cache) (analysis.TokenFilter, error) {
	return NewSnowballFilter(), nil
}

func init() {
	if err := registry.RegisterTokenFilter(SnowballName, SnowballFilterConstructor); err != nil {
		panic(err)
	}
}
