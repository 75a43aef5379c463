package arabic

import "testing"

func TestQuestionWordKind(t *testing.T) {
	tests := []struct {
		in   string // raw; normalised first
		kind string
	}{
		{"متى", KindWhen}, {"امتى", KindWhen}, {"إمتى", KindWhen},
		{"كم", KindHowMany}, {"چم", KindHowMany}, {"جم", KindHowMany}, {"قديش", KindHowMany},
		{"أين", KindWhere}, {"اين", KindWhere}, {"وين", KindWhere}, {"فين", KindWhere},
		{"من", KindWho}, {"منو", KindWho}, {"مين", KindWho},
		{"لماذا", KindWhy}, {"ليش", KindWhy}, {"ليه", KindWhy},
		{"كيف", KindHow}, {"شلون", KindHow}, {"كيفاش", KindHow},
		{"ماذا", KindWhat}, {"ما", KindWhat}, {"ماهو", KindWhat}, {"ماهي", KindWhat},
		{"شنو", KindWhat}, {"شو", KindWhat}, {"ايش", KindWhat}, {"إيش", KindWhat},
		{"هل", KindYesNo},
		// with a conjunction
		{"وكم", KindHowMany}, {"فمتى", KindWhen}, {"ولماذا", KindWhy},
		// a preposition on أي: «بأي صفة», «لأي سبب»
		{"بأي", KindWhat}, {"لأي", KindWhat},
		// question words without a kind, and non-question words
		{"تم", ""}, {"يتم", ""}, {"اللي", ""}, {"لما", ""},
		{"مصر", ""}, {"الحكومة", ""}, {"", ""},
	}
	for _, tc := range tests {
		if got := QuestionWordKind(Normalize(tc.in)); got != tc.kind {
			t.Errorf("QuestionWordKind(%q) = %q, want %q", tc.in, got, tc.kind)
		}
	}
}

func TestIsQuestionWord(t *testing.T) {
	yes := []string{"كيف", "كم", "متى", "ماذا", "لماذا", "لما", "أين", "هل", "من", "ما",
		"ماهو", "ماهي", "هو", "هي", "أي", "عدد", "تم", "يتم", "قام", "قامت", "يكون",
		"شنو", "شنهو", "شو", "ايش", "إيش", "وين", "فين", "ليش", "ليه", "شلون", "كيفاش",
		"منو", "مين", "اللي", "الي", "امتى", "إمتى", "چم", "جم", "قديش", "وكيف",
		// compound prepositions and modals frame a question, like English stop words
		"أثناء", "بخصوص", "بشأن", "بالنسبة", "تجاه", "بحسب", "وفقاً", "يمكن", "ممكن", "سوف",
		// the alternative's "or", and copulas of كان's family
		"أم", "أصبح", "أصبحت", "بات", "ظل", "مازال", "يزال"}
	for _, w := range yes {
		if !IsQuestionWord(Normalize(w)) {
			t.Errorf("IsQuestionWord(%q) = false", w)
		}
	}
	no := []string{"الكويت", "وزير", "توقيع", "بروتوكول", "2025", "سونمز", "مصر", "و"}
	for _, w := range no {
		if IsQuestionWord(Normalize(w)) {
			t.Errorf("IsQuestionWord(%q) = true", w)
		}
	}
}

func TestQuestionWordsNormalised(t *testing.T) {
	for _, w := range QuestionWords {
		if Normalize(w) != w {
			t.Errorf("question word %q is not normalised (%q)", w, Normalize(w))
		}
	}
}
