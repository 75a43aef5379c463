package qa

import "github.com/qabot/qabot/qa/lexicon"

// buildNameMatcher indexes the index's Arabic words by transliteration
// skeleton.
func buildNameMatcher(vocab []string) nameMatcher {
	m := lexicon.NewNameMatcher(vocab)
	return func(latin string, max int) []nameCand {
		var out []nameCand
		for _, c := range m.Match(latin, max) {
			out = append(out, nameCand{Arabic: c.Arabic, Score: c.Score})
		}
		return out
	}
}
