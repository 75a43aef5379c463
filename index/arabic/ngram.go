package arabic

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/ngram"
	"github.com/blevesearch/bleve/v2/registry"
)

// Ngram34Name is the registry name of the 3–4 character n-gram filter.
const Ngram34Name = "qabot_ngram34"

// Ngram34Filter emits bleve's ngram filter output (character 3- and
// 4-grams, all at the position of their word) for tokens of 3 or more
// characters, and keeps shorter tokens whole. bleve's ngram filter on its
// own silently drops every token shorter than its minimum length, so a
// 2-letter word or number would vanish from the field.
type Ngram34Filter struct {
	ngram *ngram.NgramFilter
}

// NewNgram34Filter returns an Ngram34Filter.
func NewNgram34Filter() *Ngram34Filter {
	return &Ngram34Filter{ngram: ngram.NewNgramFilter(3, 4)}
}

// Filter implements analysis.TokenFilter.
func (f *Ngram34Filter) Filter(input analysis.TokenStream) analysis.TokenStream {
	rv := make(analysis.TokenStream, 0, 3*len(input))
	one := make(analysis.TokenStream, 1)
	for _, tok := range input {
		if utf8.RuneCount(tok.Term) < 3 {
			rv = append(rv, tok)
			continue
		}
		one[0] = tok
		rv = append(rv, f.ngram.Filter(one)...)
	}
	return rv
}

// Ngram34FilterConstructor builds an Ngram34Filter for the registry.
func Ngram34FilterConstructor(config map[string]interface{}, cache *registry.Cache) (analysis.TokenFilter, error) {
	return NewNgram34Filter(), nil
}

func init() {
	if err := registry.RegisterTokenFilter(Ngram34Name, Ngram34FilterConstructor); err != nil {
		panic(err)
	}
}
