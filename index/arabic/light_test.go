package arabic

import (
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	ar "github.com/blevesearch/bleve/v2/analysis/lang/ar"
)

func TestLightSuffixStem(t *testing.T) {
	tests := []struct{ in, want string }{
		{"حكومه", "حكوم"},
		{"اجتماعات", "اجتماع"},
		{"مسؤولين", "مسؤول"},
		{"مسؤولون", "مسؤول"},
		{"جانبين", "جانب"},
		{"سياسي", "سياس"},
		{"مدرسه", "مدرس"},
		{"قتلي", "قتل"},
		{"دولتها", "دولت"},
		{"وزيره", "وزير"},
		{"مصر", "مصر"},
		{"وارسو", "وارسو"},
		{"اردوغان", "اردوغ"},
		{"ابن", "ابن"}, // ان needs 2 letters left
		{"سنه", "سن"},
		{"هي", "هي"},
		{"2025", "2025"},
	}
	for _, tc := range tests {
		if got := LightSuffixStem(tc.in); got != tc.want {
			t.Errorf("LightSuffixStem(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestLightSuffixMatchesBleveSuffixes checks that on words without any
// prefix bleve's stemmer_ar would strip, LightSuffixStem is identical to it.
func TestLightSuffixMatchesBleveSuffixes(t *testing.T) {
	f := ar.NewArabicStemmerFilter()
	for _, w := range []string{"حكومه", "اجتماعات", "مسؤولين", "جانبين", "سياسيه", "مدرسه", "قتلي", "دولتها", "مصر", "تركيا", "كتابها"} {
		ts := f.Filter(analysis.TokenStream{&analysis.Token{Term: []byte(w)}})
		if want, got := string(ts[0].Term), LightSuffixStem(w); got != want {
			t.Errorf("LightSuffixStem(%q) = %q, bleve stemmer_ar = %q", w, got, want)
		}
	}
}

// TestBleveStemmerManglesProcliticOutput documents why qabot_ar_light does
// not use bleve's stemmer_ar: run after qabot_ar_proclitic it takes a
// second و or ال off words the proclitic filter kept on purpose.
func TestBleveStemmerManglesProcliticOutput(t *testing.T) {
	f := ar.NewArabicStemmerFilter()
	tests := []struct{ word, bleve, ours string }{
		{"وارسو", "ارسو", "وارسو"},
		{"وزيره", "زير", "وزير"},
		{"واشنطن", "اشنطن", "واشنطن"},
		{"الله", "له", "الل"},
	}
	for _, tc := range tests {
		kept := StripProclitics(tc.word)
		if kept != tc.word {
			t.Fatalf("StripProclitics(%q) = %q, expected it kept", tc.word, kept)
		}
		ts := f.Filter(analysis.TokenStream{&analysis.Token{Term: []byte(kept)}})
		if got := string(ts[0].Term); got != tc.bleve {
			t.Errorf("bleve stemmer_ar(%q) = %q, expected %q", kept, got, tc.bleve)
		}
		if got := LightSuffixStem(kept); got != tc.ours {
			t.Errorf("LightSuffixStem(%q) = %q, want %q", kept, got, tc.ours)
		}
	}
}
