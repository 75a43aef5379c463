package index

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// sentences returns the texts of SplitSentences(text).
func splitTexts(text string) []string {
	var out []string
	for _, sp := range SplitSentences(text) {
		out = append(out, text[sp[0]:sp[1]])
	}
	return out
}

// checkSpans asserts the invariants every split must keep.
func checkSpans(t *testing.T, text string, spans [][2]int) {
	t.Helper()
	prev := 0
	for i, sp := range spans {
		a, b := sp[0], sp[1]
		if a < prev || a >= b || b > len(text) {
			t.Fatalf("span %d = %v: not increasing/non-empty within %d bytes (prev end %d) in %q", i, sp, len(text), prev, text)
		}
		s := text[a:b]
		if trimText(s) != s {
			t.Fatalf("span %d %q is not trimmed", i, s)
		}
		if utf8.ValidString(text) && (!utf8.ValidString(s)) {
			t.Fatalf("span %d %q cuts a rune", i, s)
		}
		prev = b
	}
	if trimText(text) != "" && len(spans) == 0 {
		t.Fatalf("no spans for non-blank %q", text)
	}
}

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"empty", "", nil},
		{"blank", " \n\t ", nil},
		{"one", "  Hello world.  ", []string{"Hello world."}},
		{"no final punctuation", "إرادة مشتركة", []string{"إرادة مشتركة"}},
		{"english three", "It rained. Was it cold? Yes!", []string{"It rained.", "Was it cold?", "Yes!"}},
		{"arabic question", "هل وصل الوفد؟ نعم، وصل أمس.", []string{"هل وصل الوفد؟", "نعم، وصل أمس."}},
		{"arabic semicolon", "انتهى الاجتماع؛ وغادر الوفد.", []string{"انتهى الاجتماع؛", "وغادر الوفد."}},
		{"colon and comma do not split", "قالت: نعم، إذ يتضمن الدليل هذه المجالات أيضًا.", []string{"قالت: نعم، إذ يتضمن الدليل هذه المجالات أيضًا."}},
		{"interrobang run", "Really?! He left.", []string{"Really?!", "He left."}},
		{"closing quote after terminator", `He said "we will win." Then he left.`, []string{`He said "we will win."`, "Then he left."}},
		{"guillemet after terminator", "ودورة «العمليات الخاصة». وفي المراحل المقبلة تدريبات أخرى.", []string{"ودورة «العمليات الخاصة».", "وفي المراحل المقبلة تدريبات أخرى."}},
		{"bracket after terminator", "(He declined to comment.) The talks went on.", []string{"(He declined to comment.)", "The talks went on."}},
		{"aside in brackets", "الخبر (انظر الصورة.) منشور أمس. ثم حذف.", []string{"الخبر (انظر الصورة.) منشور أمس.", "ثم حذف."}},
		{"dialogue", `"We will win," he said. "They will lose." Then silence.`, []string{`"We will win," he said.`, `"They will lose."`, "Then silence."}},
		{"month before digit", "The U.N. Security Council met on Jan. 5. It voted 13-2.", []string{"The U.N. Security Council met on Jan. 5.", "It voted 13-2."}},
		{"p.m. then lowercase", "They arrived at 5 p.m. on Monday. They left at 6 p.m. The end.", []string{"They arrived at 5 p.m. on Monday.", "They left at 6 p.m.", "The end."}},
		{"terminator after quote", "قائلة: «في أبريل الماضي، أتيحت لنا الفرصة لمناقشة القضايا في أنقرة». وأضافت أن الزيارة مثمرة.",
			[]string{"قائلة: «في أبريل الماضي، أتيحت لنا الفرصة لمناقشة القضايا في أنقرة».", "وأضافت أن الزيارة مثمرة."}},
		{"short quoted sentences stay whole", "قال: «نعم. سنعمل على ذلك.» ثم غادر القاعة.", []string{"قال: «نعم. سنعمل على ذلك.»", "ثم غادر القاعة."}},
		{"short english quote", `She said “No. Never.” and left.`, []string{`She said “No. Never.” and left.`}},
		{"long quote splits inside", "وقال: «لقد أسهمت البرامج التدريبية المختلفة في تعزيز التنسيق بين الأجهزة الأمنية بشكل كبير. وسنواصل العمل مع الأشقاء في الكويت على توسيع هذا التعاون في السنوات المقبلة».",
			[]string{"وقال: «لقد أسهمت البرامج التدريبية المختلفة في تعزيز التنسيق بين الأجهزة الأمنية بشكل كبير.", "وسنواصل العمل مع الأشقاء في الكويت على توسيع هذا التعاون في السنوات المقبلة»."}},
		{"unclosed quote is ignored", "وتابعت: «وفي عام 2018، انضم الحرس. ثم تم قبوله كعضو كامل.", []string{"وتابعت: «وفي عام 2018، انضم الحرس.", "ثم تم قبوله كعضو كامل."}},
		{"elided quote", "قائلة: «في أبريل الماضي، أتيحت لنا الفرصة ... في أنقرة».", []string{"قائلة: «في أبريل الماضي، أتيحت لنا الفرصة ... في أنقرة»."}},
		{"range and date", "في أنطاليا بين 22 - 25 أكتوبر 2018، وبعد هذا الانضمام تطورت العلاقات.", []string{"في أنطاليا بين 22 - 25 أكتوبر 2018، وبعد هذا الانضمام تطورت العلاقات."}},
		{"numbers", "The rate rose 3.5 percent to 2.000 units on 2024/5/1. Prices fell.", []string{"The rate rose 3.5 percent to 2.000 units on 2024/5/1.", "Prices fell."}},
		{"arabic decimal", "ارتفع المؤشر ٣٫٥ في المئة. وانخفض النفط.", []string{"ارتفع المؤشر ٣٫٥ في المئة.", "وانخفض النفط."}},
		{"year then full stop", "He was born in 1990. He moved in 2001.", []string{"He was born in 1990.", "He moved in 2001."}},
		{"titles", "Dr. Smith met Mr. Jones and Mrs. Brown. They talked.", []string{"Dr. Smith met Mr. Jones and Mrs. Brown.", "They talked."}},
		{"e.g. i.e.", "Use tools, e.g. Go, i.e. a language. Then test.", []string{"Use tools, e.g. Go, i.e. a language.", "Then test."}},
		{"U.S. mid-sentence", "The U.S. Navy sent ships. It was May.", []string{"The U.S. Navy sent ships.", "It was May."}},
		{"U.S. at end", "She lives in the U.S. He does not.", []string{"She lives in the U.S.", "He does not."}},
		{"No. before digit", "It is No. 5 on the list. Next.", []string{"It is No. 5 on the list.", "Next."}},
		{"initials", "J. R. R. Tolkien wrote it. He was English.", []string{"J. R. R. Tolkien wrote it.", "He was English."}},
		{"arabic doctor", "قال د. محمد إن الوضع مستقر. وأضاف أ.د. علي أن الخطة جاهزة.", []string{"قال د. محمد إن الوضع مستقر.", "وأضاف أ.د. علي أن الخطة جاهزة."}},
		{"arabic era mark ends", "بُني المسجد عام 1900 م. وفي العام التالي افتتح.", []string{"بُني المسجد عام 1900 م.", "وفي العام التالي افتتح."}},
		{"url and email", "Visit https://x.y/z?a=1 or alqabas.com now. Write to a.b@c.com. Thanks!", []string{"Visit https://x.y/z?a=1 or alqabas.com now.", "Write to a.b@c.com.", "Thanks!"}},
		{"url at end", "المصدر alqabas.com. وقال التقرير أيضا.", []string{"المصدر alqabas.com.", "وقال التقرير أيضا."}},
		{"version", "bleve v2.6.3 is out. Upgrade soon.", []string{"bleve v2.6.3 is out.", "Upgrade soon."}},
		{"ellipsis lowercase", "He paused... and then went on. Done.", []string{"He paused... and then went on.", "Done."}},
		{"ellipsis capital", "He paused… Then he went on.", []string{"He paused…", "Then he went on."}},
		{"double dot is a pause", "تلبية احتياجات الكويت المُتطورة.. وأنه سيتم الاستمرار في زيادة الاتفاقيات.", []string{"تلبية احتياجات الكويت المُتطورة.. وأنه سيتم الاستمرار في زيادة الاتفاقيات."}},
		{"double dot at line end", "انتهى اللقاء..\nوبدأ الحوار.", []string{"انتهى اللقاء..", "وبدأ الحوار."}},
		{"lowercase after period", "See fig. 3 and the note. then more.", []string{"See fig. 3 and the note. then more."}},
		{"newline without punctuation joins", "This line is wrapped\nin the middle of a sentence.", []string{"This line is wrapped\nin the middle of a sentence."}},
		{"newline after punctuation splits", "First line.\nsecond line", []string{"First line.", "second line"}},
		{"newline before list item", "The programmes:\n- search and rescue\n- special operations", []string{"The programmes:", "- search and rescue", "- special operations"}},
		{"arabic numbered list", "البرامج التالية\n١. البحث والإنقاذ\n٢. العمليات الخاصة", []string{"البرامج التالية", "١. البحث والإنقاذ", "٢. العمليات الخاصة"}},
		{"list number not a terminator", "1. First step\n2. Second step", []string{"1. First step", "2. Second step"}},
		{"numbers after colon", "Steps: 1. mix 2. bake.", []string{"Steps: 1. mix 2. bake."}},
		{"punctuation only joins previous", "Yes. ...", []string{"Yes. ..."}},
		{"punctuation only alone", " ... ", []string{"..."}},
		{"zero width marks trimmed", "\u200fجملة أولى.\u200f جملة ثانية.\u200f", []string{"جملة أولى.", "جملة ثانية."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spans := SplitSentences(tt.text)
			checkSpans(t, tt.text, spans)
			got := splitTexts(tt.text)
			if strings.Join(got, "⏎") != strings.Join(tt.want, "⏎") || len(got) != len(tt.want) {
				t.Errorf("SplitSentences(%q)\n got  %q\n want %q", tt.text, got, tt.want)
			}
		})
	}
}

// TestSplitSeedParagraphs splits every paragraph of the seed article, logs
// the sentences for eyeballing (go test -v -run SeedParagraphs) and checks
// the tricky ones.
func TestSplitSeedParagraphs(t *testing.T) {
	data, err := os.ReadFile("../seeds/alqabas-turkey-kuwait-defence.txt")
	if err != nil {
		t.Skip("seed article not found:", err)
	}
	body := string(data)
	if i := strings.Index(body[3:], "\n+++\n"); strings.HasPrefix(body, "+++") && i >= 0 {
		body = body[3+i+5:]
	}
	total := 0
	for n, para := range strings.Split(body, "\n\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		spans := SplitSentences(para)
		checkSpans(t, para, spans)
		for k, sp := range spans {
			t.Logf("%2d.%d %s", n+1, k+1, para[sp[0]:sp[1]])
		}
		total += len(spans)
		got := splitTexts(para)
		switch {
		case strings.Contains(para, "22 - 25"):
			if len(got) != 1 {
				t.Errorf("the FIEP paragraph split into %d: %q", len(got), got)
			}
		case strings.Contains(para, "المُتطورة.."):
			if len(got) != 1 {
				t.Errorf("'..' paragraph split into %d: %q", len(got), got)
			}
		case strings.Contains(para, "«العمليات الخاصة». وفي"):
			if len(got) != 2 || !strings.HasSuffix(got[0], "«العمليات الخاصة».") {
				t.Errorf("want a split after «العمليات الخاصة».: %q", got)
			}
		case strings.Contains(para, "في أنقرة»."):
			if len(got) != 1 {
				t.Errorf("quoted paragraph split into %d: %q", len(got), got)
			}
		}
	}
	t.Logf("%d sentences", total)
}

func TestSplitSentencesProperty(t *testing.T) {
	texts := []string{
		"a. b. c.", "...", "«»", "«a. b.»", "x.\n\ny", "1. 2. 3.", "\"\"\"", "«« »» . ؟ !",
		"مرحبا.\r\nكيف الحال؟", "Dr.\nSmith.", "(a (b. c) d.)", "\xff\xfe. a", "- \n- a\n-",
	}
	for _, s := range texts {
		checkSpans(t, s, SplitSentences(s))
	}
}

func FuzzSplitSentences(f *testing.F) {
	for _, s := range []string{
		"It rained. Was it cold? Yes!",
		"قال: «نعم. سنعمل على ذلك.» ثم غادر.",
		"بين 22 - 25 أكتوبر 2018، وبعد ذلك.. وأنه",
		"J. R. R. Tolkien. U.S. He... e.g. x",
		"list:\n- a\n1. b\n١. c",
		"\u200f. \u200f",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		spans := SplitSentences(s)
		checkSpans(t, s, spans)
		for _, sp := range spans {
			if !hasAlnum(s[sp[0]:sp[1]]) && len(spans) > 1 {
				t.Fatalf("punctuation-only sentence %q among %d in %q", s[sp[0]:sp[1]], len(spans), s)
			}
		}
	})
}
