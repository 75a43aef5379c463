package lexicon

import (
	"slices"
	"testing"
)

func TestWordForms(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"points", "point"}, {"countries", "country"}, {"buses", "bus"}, {"wives", "wife"},
		{"churches", "church"}, {"boxes", "box"}, {"classes", "class"}, {"heroes", "hero"},
		{"houses", "house"}, {"leaves", "leaf"}, {"children", "child"}, {"women", "woman"},
		{"signed", "sign"}, {"visited", "visit"}, {"agreed", "agree"}, {"stopped", "stop"},
		{"studied", "study"}, {"built", "build"}, {"hoped", "hope"}, {"used", "use"},
		{"planned", "plan"}, {"controlled", "control"}, {"called", "call"},
		{"went", "go"}, {"gone", "go"}, {"held", "hold"}, {"said", "say"}, {"won", "win"},
		{"thought", "think"}, {"began", "begin"}, {"fought", "fight"}, {"chose", "choose"},
		{"signing", "sign"}, {"making", "make"}, {"stopping", "stop"}, {"running", "run"},
		{"lying", "lie"}, {"visiting", "visit"}, {"changing", "change"},
		{"larger", "large"}, {"bigger", "big"}, {"easier", "easy"}, {"highest", "high"},
		{"largest", "large"}, {"better", "good"}, {"worst", "bad"},
		{"quickly", "quick"}, {"easily", "easy"}, {"possibly", "possible"}, {"officially", "official"},
		{"obama's", "obama"}, {"countries'", "country"}, {"Kuwait's", "kuwait"}, {"Points", "point"},
	} {
		got := WordForms(c.in)
		if !slices.Contains(got, c.want) {
			t.Errorf("WordForms(%q) = %v, want %q among them", c.in, got, c.want)
		}
	}
	// The word itself comes first; words that are not inflected stay alone.
	for _, w := range []string{"news", "bus", "status", "analysis", "glass", "sign", "army", "us"} {
		got := WordForms(w)
		if len(got) == 0 || got[0] != w {
			t.Errorf("WordForms(%q) = %v", w, got)
		}
		if w == "news" || w == "bus" || w == "status" || w == "glass" || w == "us" {
			if len(got) != 1 {
				t.Errorf("WordForms(%q) = %v, want the word alone", w, got)
			}
		}
	}
	if len(irregularForms) < 150 {
		t.Errorf("only %d irregular forms", len(irregularForms))
	}
	if WordForms("  ") != nil {
		t.Error("blank word has forms")
	}
}

func TestIsStopWord(t *testing.T) {
	for _, w := range []string{"what", "when", "where", "who", "whom", "whose", "which", "why", "how",
		"many", "much", "did", "does", "do", "is", "are", "was", "were", "the", "a", "an", "of",
		"in", "on", "to", "for", "by", "with"} {
		if !IsStopWord(w) {
			t.Errorf("%q is not a stop word", w)
		}
	}
	for _, w := range []string{"first", "last", "new", "old", "year", "army", "defence", "kuwait", "signed", "president", "season"} {
		if IsStopWord(w) {
			t.Errorf("%q is a stop word", w)
		}
	}
}
