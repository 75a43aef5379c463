package lexicon

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// namePairs are real names and their usual Arabic news spelling.
var namePairs = []struct{ latin, arabic string }{
	// people
	{"Erdogan", "أردوغان"}, {"Obama", "أوباما"}, {"Trump", "ترامب"}, {"Beyonce", "بيونسيه"},
	{"Sonmez", "سونمز"}, {"Meshal", "مشعل"}, {"Putin", "بوتين"}, {"Macron", "ماكرون"},
	{"Merkel", "ميركل"}, {"Netanyahu", "نتنياهو"}, {"Biden", "بايدن"}, {"Clinton", "كلينتون"},
	{"Mandela", "مانديلا"}, {"Gandhi", "غاندي"}, {"Napoleon", "نابليون"}, {"Shakespeare", "شكسبير"},
	{"Einstein", "أينشتاين"}, {"Newton", "نيوتن"}, {"Darwin", "داروين"}, {"Chopin", "شوبان"},
	{"Beethoven", "بيتهوفن"}, {"Mozart", "موزارت"}, {"Kennedy", "كينيدي"}, {"Lincoln", "لينكولن"},
	{"Churchill", "تشرشل"}, {"Stalin", "ستالين"}, {"Lenin", "لينين"}, {"Hitler", "هتلر"},
	{"Gaddafi", "القذافي"}, {"Saddam", "صدام"}, {"Mubarak", "مبارك"}, {"Nasser", "ناصر"},
	{"al-Assad", "الأسد"}, {"Abbas", "عباس"}, {"Mohammed", "محمد"}, {"Ahmed", "أحمد"},
	{"Hassan", "حسن"}, {"Manning", "مانينغ"}, {"Tesla", "تسلا"}, {"Edison", "إديسون"},
	// places
	{"Ankara", "أنقرة"}, {"Antalya", "أنطاليا"}, {"Kuwait", "الكويت"}, {"Washington", "واشنطن"},
	{"Denver", "دنفر"}, {"Carolina", "كارولينا"}, {"London", "لندن"}, {"Paris", "باريس"},
	{"Berlin", "برلين"}, {"Moscow", "موسكو"}, {"Istanbul", "إسطنبول"}, {"Tehran", "طهران"},
	{"Baghdad", "بغداد"}, {"Damascus", "دمشق"}, {"Beirut", "بيروت"}, {"Riyadh", "الرياض"},
	{"Dubai", "دبي"}, {"Qatar", "قطر"}, {"Bahrain", "البحرين"}, {"Yemen", "اليمن"},
	{"Texas", "تكساس"}, {"California", "كاليفورنيا"}, {"Florida", "فلوريدا"}, {"Chicago", "شيكاغو"},
	{"Boston", "بوسطن"}, {"Houston", "هيوستن"}, {"Brazil", "البرازيل"}, {"Canada", "كندا"},
	{"Mexico", "المكسيك"}, {"Italy", "إيطاليا"}, {"Spain", "إسبانيا"}, {"Norway", "النرويج"},
	{"Sweden", "السويد"}, {"Poland", "بولندا"}, {"Warsaw", "وارسو"}, {"Geneva", "جنيف"},
	{"Vienna", "فيينا"}, {"Tokyo", "طوكيو"}, {"Beijing", "بكين"}, {"Sydney", "سيدني"},
	{"Toronto", "تورونتو"}, {"Oman", "عمان"},
	// organisations, brands, sport
	{"Google", "غوغل"}, {"Microsoft", "مايكروسوفت"}, {"Facebook", "فيسبوك"}, {"Twitter", "تويتر"},
	{"Amazon", "أمازون"}, {"Samsung", "سامسونج"}, {"Toyota", "تويوتا"}, {"Boeing", "بوينغ"},
	{"Airbus", "إيرباص"}, {"Nokia", "نوكيا"}, {"Intel", "إنتل"}, {"NATO", "الناتو"},
	{"Reuters", "رويترز"}, {"Broncos", "برونكوس"}, {"Panthers", "بانثرز"}, {"Hamas", "حماس"},
	{"Bowl", "بول"}, {"Kubiak", "كوبياك"}, {"Levis", "ليفيز"}, {"Stadium", "ستاديوم"},
}

func TestSkeletonPairs(t *testing.T) {
	equal := 0
	for _, p := range namePairs {
		l, a := Skeleton(p.latin), ArabicSkeleton(p.arabic)
		if l == a {
			equal++
		} else {
			t.Logf("skeletons differ: %s %s ≠ %s %s", p.latin, l, p.arabic, a)
		}
	}
	t.Logf("equal skeletons: %d/%d", equal, len(namePairs))
	if equal < len(namePairs)*3/4 {
		t.Errorf("only %d/%d skeletons equal", equal, len(namePairs))
	}
	for _, c := range []struct{ in, want string }{
		{"Erdogan", "ARDGN"}, {"Washington", "WCNTN"}, {"Meshal", "MCL"}, {"Kuwait", "KT"},
		{"Erdoğan", "ARDGN"}, {"al-Assad", "ASD"},
	} {
		if got := Skeleton(c.in); got != c.want {
			t.Errorf("Skeleton(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	for _, c := range []struct{ in, want string }{
		{"أردوغان", "ARDGN"}, {"الكويت", "KT"}, {"أَنْقَرَة", "ANKR"}, {"تشرشل", "CRCL"},
	} {
		if got := ArabicSkeleton(c.in); got != c.want {
			t.Errorf("ArabicSkeleton(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// realVocabulary gathers Arabic words to hide the names among: the seed
// articles, the embedded glossary and, when installed, every word of the
// FreeDict renderings.
func realVocabulary(t testing.TB) []string {
	var words []string
	addText := func(s string) {
		for _, f := range strings.FieldsFunc(s, func(r rune) bool { return !isArabicLetter(r) && !isArabicDiacritic(r) }) {
			words = append(words, NormalizeArabic(f))
		}
	}
	files, _ := filepath.Glob("../../seeds/*.txt")
	for _, f := range files {
		if b, err := os.ReadFile(f); err == nil {
			addText(string(b))
		}
	}
	l, _ := Load(nil)
	for _, v := range l.gloss {
		addText(strings.Join(v, " "))
	}
	idx, dict := DefaultDictdPaths()[0], DefaultDictdPaths()[1]
	if _, err := os.Stat(idx); err == nil {
		d := New()
		if _, err := d.LoadDictd(idx, dict); err == nil {
			for _, v := range d.dict {
				addText(strings.Join(v, " "))
			}
		}
	}
	return words
}

func TestNameMatcherPrecision(t *testing.T) {
	vocab := realVocabulary(t)
	for _, p := range namePairs {
		vocab = append(vocab, NormalizeArabic(p.arabic))
	}
	m := NewNameMatcher(vocab)
	right, found := 0, 0
	var misses []string
	for _, p := range namePairs {
		want := NormalizeArabic(p.arabic)
		got := m.Match(p.latin, 5)
		if len(got) > 0 && got[0].Arabic == want {
			right++
		} else {
			var g []string
			for _, x := range got {
				g = append(g, fmt.Sprintf("%s %.2f", x.Arabic, x.Score))
			}
			misses = append(misses, fmt.Sprintf("%s→%s (%s/%s): %v", p.latin, want, Skeleton(p.latin), ArabicSkeleton(p.arabic), g))
		}
		for _, x := range got {
			if x.Arabic == want {
				found++
				break
			}
		}
	}
	for _, s := range misses {
		t.Log("miss:", s)
	}
	p1 := float64(right) / float64(len(namePairs))
	t.Logf("vocabulary %d words; top-1 %d/%d = %.2f; in top 5 %d/%d", m.Len(), right, len(namePairs), p1, found, len(namePairs))
	if p1 < 0.6 {
		t.Errorf("top-1 precision %.2f < 0.6", p1)
	}
}

func TestNameMatcherRejects(t *testing.T) {
	m := NewNameMatcher([]string{"الذي", "ماذا", "اول", "جديد", "بيت", "لندن"})
	for _, w := range []string{"the", "What", "First", "new", "Bush", "which", "during", "People", ""} {
		if got := m.Match(w, 3); len(got) != 0 {
			t.Errorf("Match(%q) = %v, want nothing", w, got)
		}
	}
	if got := m.Match("London", 3); len(got) != 1 || got[0].Arabic != "لندن" {
		t.Errorf("Match(London) = %v", got)
	}
	tr := m.Translations("London", 3)
	if len(tr) != 1 || tr[0].Source != SourceTranslit || tr[0].Weight <= 0 {
		t.Errorf("Translations(London) = %v", tr)
	}
	var nilM *NameMatcher
	if nilM.Match("London", 3) != nil {
		t.Error("nil matcher matched")
	}
}

// syntheticVocabulary returns n random Arabic-looking words.
func syntheticVocabulary(n int) []string {
	letters := []rune("ابتثجحخدذرزسشصضطظعغفقكلمنهويةءأإى")
	r := rand.New(rand.NewSource(1))
	out := make([]string, n)
	var b strings.Builder
	for i := range out {
		b.Reset()
		if r.Intn(3) == 0 {
			b.WriteString("ال")
		}
		for k := 2 + r.Intn(7); k > 0; k-- {
			b.WriteRune(letters[r.Intn(len(letters))])
		}
		out[i] = b.String()
	}
	return out
}

func BenchmarkNameMatcherBuild100k(b *testing.B) {
	words := syntheticVocabulary(100000)
	b.ReportAllocs()
	for b.Loop() {
		NewNameMatcher(words)
	}
}

func BenchmarkNameMatcherMatch(b *testing.B) {
	words := syntheticVocabulary(100000)
	for _, p := range namePairs {
		words = append(words, p.arabic)
	}
	m := NewNameMatcher(words)
	names := []string{"Erdogan", "Washington", "Kuwait", "Beyonce", "Carolina", "Shakespeare", "Trump", "Ankara"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.Match(names[i%len(names)], 5)
		i++
	}
}
