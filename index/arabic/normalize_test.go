package arabic

import (
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"arabic-indic digits", "٢٠٢٤", "2024"},
		{"persian digits", "۱۴۰۳", "1403"},
		{"decimal and thousands separators", "٣٫٥ و١٬٢٠٠", "3.5 و1,200"},
		{"lam-alef ligature", "ﻻ", "لا"},
		{"presentation forms word", "ﺍﻟﻜﻮﻳﺖ", "الكويت"},
		{"presentation forms with hamza", "ﺃﺭﺩﻭﻏﺎﻥ", "اردوغان"},
		{"isolated haraka form", "ﹰكتاب", "كتاب"},
		{"allah ligature", "ﷲ", "الله"},
		{"tashkeel", "تُسهم", "تسهم"},
		{"full tashkeel", "العَرَبِيَّةُ", "العربيه"},
		{"tanween and sukun", "كِتَابٌ مُهِمٌّ", "كتاب مهم"},
		{"superscript alef", "هٰذا", "هذا"},
		{"quranic marks", "الرَّحِيمِۖ", "الرحيم"},
		{"tatweel", "القـــاهرة", "القاهره"},
		{"hamza above", "أنقرة", "انقره"},
		{"hamza below", "إسرائيل", "اسرائيل"},
		{"madda", "آسيا", "اسيا"},
		{"alef wasla", "ٱلحمد", "الحمد"},
		{"alef maqsura", "مستشفى", "مستشفي"},
		{"teh marbuta", "الحكومة", "الحكومه"},
		{"hamza on waw and yeh kept", "مسؤول رئيس", "مسؤول رئيس"},
		{"persian yeh and keheh", "کویت ایران", "كويت ايران"},
		{"zero width non-joiner", "مي\u200cخواهم", "ميخواهم"},
		{"zwj lrm rlm alm", "\u200fمصر\u200e\u200d\u061c", "مصر"},
		{"bom and soft hyphen", "\ufeffco\u00adop", "coop"},
		{"latin lower", "COVID-19 Apple", "covid-19 apple"},
		{"mixed", "وأشارت سونمز إلى أنه", "واشارت سونمز الي انه"},
		{"empty", "", ""},
		{"only marks", "ًٌٍَُِّْـ", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Normalize(tc.in); got != tc.want {
				t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestNormalizeIdempotent(t *testing.T) {
	for _, s := range []string{"وَبِالحُكُومَةِ", "ﺍﻟﻜﻮﻳﺖ ٢٠٢٤", "ﷺ", "إمتى؟", "ﹰ ﹲ"} {
		once := Normalize(s)
		if twice := Normalize(once); twice != once {
			t.Errorf("Normalize not idempotent on %q: %q then %q", s, once, twice)
		}
	}
}

func TestNormalizeFilter(t *testing.T) {
	in := analysis.TokenStream{
		&analysis.Token{Term: []byte("الحكومَة"), Position: 1},
		&analysis.Token{Term: []byte("ـــ"), Position: 2},
		&analysis.Token{Term: []byte("ً"), Position: 3},
		&analysis.Token{Term: []byte("٢٠٢٥"), Position: 4},
		&analysis.Token{Term: []byte("plain"), Position: 5},
	}
	out := NewNormalizeFilter().Filter(in)
	var got []string
	for _, tok := range out {
		got = append(got, string(tok.Term))
	}
	want := []string{"الحكومه", "2025", "plain"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if out[1].Position != 4 {
		t.Errorf("position of 2025 = %d, want 4 (positions are kept)", out[1].Position)
	}
}
