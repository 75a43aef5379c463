package arabic

import "testing"

func TestSnowballStem(t *testing.T) {
	tests := []struct{ in, want string }{
		{"الجانبين", "جانب"},
		{"الاجتماعات", "اجتماع"},
		{"وبالحكومه", "حكوم"},
		{"للتدريب", "تدريب"},
		{"مدرسه", "مدرس"},
		{"حكومه", "حكوم"},
		{"الحكومه", "حكوم"}, // without the ة reading Snowball gives حكومه
		{"الكويتيه", "كويت"},
		{"الوزيره", "وزير"},
		{"المدارس", "مدارس"},
		{"مسؤولين", "مسوول"},
		{"اردوغان", "اردوغ"},
		// Snowball has no name protection: it takes ب off بروتوكول.
		{"بروتوكول", "روتوكول"},
		// non-Arabic tokens are returned as they are
		{"2025", "2025"},
		{"covid", "covid"},
	}
	for _, tc := range tests {
		if got := SnowballStem(tc.in); got != tc.want {
			t.Errorf("SnowballStem(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSnowballStemShortTokens(t *testing.T) {
	for _, w := range []string{"ا", "ال", "و", "وو", "لل", "ب", "ة", "ء"} {
		if got := SnowballStem(w); got == "" {
			t.Errorf("SnowballStem(%q) is empty", w)
		}
	}
}
