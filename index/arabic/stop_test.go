package arabic

import "testing"

func TestIsStopWord(t *testing.T) {
	tests := []struct {
		in   string // raw; normalised first
		stop bool
	}{
		{"في", true}, {"من", true}, {"على", true}, {"إلى", true}, {"عن", true},
		{"أن", true}, {"إن", true}, {"التي", true}, {"الذي", true}, {"الذين", true},
		{"هذا", true}, {"هذه", true}, {"ذلك", true}, {"تلك", true}, {"مع", true},
		{"ثم", true}, {"أو", true}, {"و", true}, {"قد", true}, {"لقد", true},
		{"كان", true}, {"كانت", true}, {"أنه", true}, {"هؤلاء", true},
		// conjunction variants
		{"وفي", true}, {"ومن", true}, {"وهو", true}, {"فإن", true}, {"وكان", true},
		// content words and question words are kept
		{"مصر", false}, {"الحكومة", false}, {"كيف", false}, {"متى", false},
		{"تم", false}, {"فعلي", false}, {"أم", false}, {"2025", false},
	}
	for _, tc := range tests {
		if got := IsStopWord(Normalize(tc.in)); got != tc.stop {
			t.Errorf("IsStopWord(%q) = %v, want %v", tc.in, got, tc.stop)
		}
	}
}

func TestStopWordsNormalised(t *testing.T) {
	for _, w := range StopWords {
		if Normalize(w) != w {
			t.Errorf("stop word %q is not normalised (%q)", w, Normalize(w))
		}
	}
}
