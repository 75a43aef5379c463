package arabic

import (
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/ngram"
)

func terms(ts analysis.TokenStream) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = string(t.Term)
	}
	return out
}

func stream(words ...string) analysis.TokenStream {
	ts := make(analysis.TokenStream, len(words))
	for i, w := range words {
		ts[i] = &analysis.Token{Term: []byte(w), Position: i + 1}
	}
	return ts
}

func TestNgram34(t *testing.T) {
	tests := []struct {
		in   []string
		want []string
	}{
		{[]string{"مصر"}, []string{"مصر"}},
		{[]string{"كويت"}, []string{"كوي", "كويت", "ويت"}},
		{[]string{"حكومه"}, []string{"حكو", "حكوم", "كوم", "كومه", "ومه"}},
		{[]string{"25", "مارس"}, []string{"25", "مار", "مارس", "ارس"}},
		{[]string{"ب", "اي"}, []string{"ب", "اي"}},
	}
	for _, tc := range tests {
		if got := terms(NewNgram34Filter().Filter(stream(tc.in...))); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ngram34(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestBleveNgramDropsShortTokens documents why Ngram34Filter wraps bleve's
// ngram filter: on its own it silently drops tokens shorter than min.
func TestBleveNgramDropsShortTokens(t *testing.T) {
	got := terms(ngram.NewNgramFilter(3, 4).Filter(stream("25", "مارس")))
	want := []string{"مار", "مارس", "ارس"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("bleve ngram(3,4) = %q, want %q", got, want)
	}
}

func TestNgram34Positions(t *testing.T) {
	out := NewNgram34Filter().Filter(stream("25", "مارس"))
	for _, tok := range out[1:] {
		if tok.Position != 2 {
			t.Errorf("ngram %q at position %d, want 2", tok.Term, tok.Position)
		}
	}
}
