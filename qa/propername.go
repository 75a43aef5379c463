package qa

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/qabot/qabot/qa/lexicon"
)

// hasFullName reports whether English text holds a full proper name — two
// or more capitalised words in a row («Tuba Nur Sonmez», «Denver Broncos»)
// — none of whose words the question has (asked: lower-cased question
// words). A who-question wants such a name. Arabic script has no capitals,
// so Arabic sentences are read through their human translation; sentences
// with neither say nothing. Stop words break a run: «The Turkish» is not a
// name, and neither is a run that only repeats the question's words.
func hasFullName(text string, asked map[string]bool) bool {
	run, fresh := 0, true
	end := func() bool {
		ok := run >= 2 && fresh
		run, fresh = 0, true
		return ok
	}
	for _, field := range strings.Fields(text) {
		// punctuation after a word ends a run: «Kuwait, Turkey» is two names
		w := trimPunct(field)
		closes := len(w) < len(field) && !strings.HasSuffix(field, w)
		lower := strings.ToLower(possessiveBase(w))
		first, _ := utf8.DecodeRuneInString(w)
		if w == "" || !unicode.IsUpper(first) || lexicon.IsStopWord(lower) || isMonthOrDay(lower) {
			if end() {
				return true
			}
			continue
		}
		run++
		if asked[lower] {
			fresh = false
		}
		if closes && end() {
			return true
		}
	}
	return end()
}

// isMonthOrDay reports whether an English word names a month or a weekday:
// capitalised, but dates, not names.
func isMonthOrDay(w string) bool {
	switch w {
	case "january", "february", "march", "april", "may", "june", "july", "august",
		"september", "october", "november", "december",
		"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday":
		return true
	}
	return false
}

// latinWords returns the lower-cased Latin-script words of a question.
func latinWords(q string) map[string]bool {
	out := map[string]bool{}
	for _, f := range strings.Fields(q) {
		w := possessiveBase(trimPunct(f))
		if w != "" && w[0] < utf8.RuneSelf {
			out[strings.ToLower(w)] = true
		}
	}
	return out
}

// trimPunct trims what is neither letter nor digit from both ends of a
// white-space field: «“Sonmez,» → Sonmez.
func trimPunct(field string) string {
	return strings.TrimFunc(field, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// possessiveBase drops an English possessive: Turkey's → Turkey.
func possessiveBase(w string) string {
	return strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
}
