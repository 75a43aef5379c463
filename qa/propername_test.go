package qa

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/qabot/qabot/index"
	"github.com/qabot/qabot/index/arabic"
)

func TestHasFullName(t *testing.T) {
	for _, c := range []struct {
		text, question string
		want           bool
	}{
		{"Turkey's ambassador to Kuwait, Tuba Nur Sonmez, revealed to Al-Qabas", "Who is Turkey's ambassador?", true},
		{"The Turkish ambassador stressed that Kuwait is one of Turkey's partners in the Gulf region", "", false},
		{"The Denver Broncos won the game.", "Who won?", true},
		{"The Denver Broncos won the game.", "Who did the Broncos beat?", false}, // the question's own name
		{"Talks were held in Kuwait, Turkey and Qatar.", "", false},              // a list, not a name
		{"It was signed on 25 March 2025.", "", false},                           // a date
		{"In April, the Emir travelled.", "", false},
		{"“Tuba Nur Sonmez” said so.", "", true},
		{"", "", false},
	} {
		if got := hasFullName(c.text, latinWords(c.question)); got != c.want {
			t.Errorf("hasFullName(%q, %q) = %v, want %v", c.text, c.question, got, c.want)
		}
	}
}

// TestWhoWantsAName: of two sentences that hold the question's words
// equally, a who-question prefers the one whose translation names someone.
func TestWhoWantsAName(t *testing.T) {
	e := engineOver(t, fstest.MapFS{
		"talks.txt":    {Data: []byte("+++\ntitle = \"محادثات\"\nlang = \"ar\"\n+++\nوقال السفير التركي إن المحادثات مثمرة.\n\nوالتقى السفير التركي أحمد يلماز بالوزير.\n")},
		"talks.en.txt": {Data: []byte("+++\ntitle = \"Talks\"\nlang = \"en\"\n+++\nThe Turkish ambassador said the talks were fruitful.\n\nThe Turkish ambassador, Ahmet Yilmaz, met the minister.\n")},
	}, glossaryLexicon())
	for _, q := range []string{"من هو السفير التركي؟", "Who is the Turkish ambassador?"} {
		ranked, _ := e.Rank(context.Background(), q)
		if len(ranked) == 0 {
			t.Fatalf("%s: no candidates", q)
		}
		if _, p, _ := e.ix.Lookup(ranked[0].ID); p.N != 2 {
			t.Errorf("%s: top is paragraph %d, want 2 (the one that names him)", q, p.N)
		}
	}
}

// TestFuzzySpellingVariants: a name spelt two ways matches by letter
// trigrams; a short or unrelated word does not.
func TestFuzzySpellingVariants(t *testing.T) {
	e := engineOver(t, oneArticle("test/fuzzy.txt", "+++\ntitle = \"ولاية\"\nlang = \"ar\"\n+++\nلعب الفريق في هيوستون أمس.\n"), nil)
	ti := e.terms
	var words []index.Word
	for id := range e.ix.Sents {
		words = append(words, e.ix.Terms.Words(id)...)
	}
	for _, c := range []struct {
		word string
		want bool
	}{
		{"هيوستن", true}, // هيوستون in the text
		{"كولومبيا", false},
		{"ولا", false}, // too short to match fuzzily
	} {
		d, _ := ti.match(newFuzzyWord(arabic.Normalize(c.word)), words)
		if (d >= 0.6) != c.want {
			t.Errorf("%s: Dice %.2f, want a match %v", c.word, d, c.want)
		}
	}
	if got := dice(appendTrigrams(nil, "abcdef"), appendTrigrams(nil, "abcdef")); got != 1 {
		t.Errorf("dice of a word with itself = %v", got)
	}
}
