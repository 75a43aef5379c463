package arabic

import "testing"

func TestRoot(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		// verbs: future, imperfect, past with suffixes
		{"ستزيد", "زود"},
		{"تنفذون", "نفذ"},
		{"نفذت", "نفذ"},
		{"اوفدت", "وفد"},
		{"ايفاده", "وفد"}, {"ايجاد", "وجد"}, {"الايضاح", "وضح"},
		{"يجتمعون", "جمع"},
		// verbal nouns and derived forms
		{"زياده", "زود"},
		{"تنفيذ", "نفذ"},
		{"التدريبات", "درب"},
		{"والتدريب", "درب"},
		{"اجتماع", "جمع"},
		{"الاجتماعات", "جمع"},
		{"التعاون", "عون"},
		{"تعاوننا", "عون"},
		{"استخدام", "خدم"},
		{"المستخدمين", "خدم"},
		{"مسؤولين", "سول"}, // the weak middle radical is written و
		{"الطيران", "طور"},
		{"الكاتب", "كتب"},
		{"مكتوب", "كتب"},
		{"نظام", "نظم"},
		{"كبير", "كبر"},
		// weak roots: one spelling for the radical each form writes differently
		{"قال", "قول"}, {"يقول", "قول"}, {"مقاله", "قول"}, {"الاقوال", "قول"},
		{"زار", "زور"}, {"الزيارات", "زور"}, {"يزور", "زور"},
		{"بنى", "بنو"}, {"يبني", "بنو"}, {"بناء", "بنو"},
		{"سعى", "سعو"}, {"يسعى", "سعو"}, {"دعا", "دعو"}, {"دعوه", "دعو"}, {"يدعو", "دعو"},
		{"عاد", "عود"}, {"يعود", "عود"}, {"عوده", "عود"},
		// a weak first radical is left alone: امن and يمن are two roots
		{"امن", "امن"}, {"يمن", "يمن"},
		// nisba adjectives keep their root
		{"تركي", "ترك"}, {"عربي", "عرب"},
		// no root: names, foreign words, digits, Latin
		{"اردوغان", ""},
		{"fiep", ""},
		{"2024", ""},
		{"", ""},
	} {
		if got := Root(c.in); got != c.want {
			t.Errorf("Root(%s) = %q, want %q", c.in, got, c.want)
		}
	}
}

// FuzzRoot: any input gives "" or three Arabic letters, and never panics.
func FuzzRoot(f *testing.F) {
	for _, s := range []string{"ستزيد", "الاجتماعات", "و", "\xff", "aاست", "مستفعلون"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := Root(Normalize(s))
		if r == "" {
			return
		}
		rs := []rune(r)
		if len(rs) != 3 {
			t.Fatalf("Root(%q) = %q: not three letters", s, r)
		}
		for _, c := range rs {
			if c < 0x0621 || c > 0x064A {
				t.Fatalf("Root(%q) = %q: not Arabic letters", s, r)
			}
		}
	})
}
