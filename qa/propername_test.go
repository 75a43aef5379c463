package qa

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/qabot/qabot/index"
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
	arts, errs := index.LoadDir(fstest.MapFS{
		"talks.txt":    {Data: []byte("+++\ntitle = \"محادثات\"\nlang = \"ar\"\n+++\nوقال السفير التركي إن المحادثات مثمرة.\n\nوالتقى السفير التركي أحمد يلماز بالوزير.\n")},
		"talks.en.txt": {Data: []byte("+++\ntitle = \"Talks\"\nlang = \"en\"\n+++\nThe Turkish ambassador said the talks were fruitful.\n\nThe Turkish ambassador, Ahmet Yilmaz, met the minister.\n")},
	})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	ix, err := index.Build(context.Background(), arts, index.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	e := NewEngine(ix, glossaryLexicon(), DefaultOptions)
	for _, q := range []string{"من هو السفير التركي؟", "Who is the Turkish ambassador?"} {
		ranked, _ := e.Rank(context.Background(), q)
		if len(ranked) == 0 {
			t.Fatalf("%s: no candidates", q)
		}
		if _, p, _ := ix.Lookup(ranked[0].ID); p.N != 2 {
			t.Errorf("%s: top is paragraph %d, want 2 (the one that names him)", q, p.N)
		}
	}
}
