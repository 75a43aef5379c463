package qa

import (
	"sync/atomic"

	"github.com/qabot/qabot/qa/lexicon"
)

// syncNameVocabulary is the largest vocabulary whose name matcher is built
// before the index serves. Larger ones (100,000 sentences: about 60,000
// words, 200–300 ms) are built in the background, so start-up and reloads
// are not held up; until it is ready, English questions match names only
// through the lexicons.
const syncNameVocabulary = 20000

// buildNameMatcher indexes the index's Arabic words by transliteration
// skeleton.
func buildNameMatcher(vocab []string) nameMatcher {
	var ready atomic.Pointer[lexicon.NameMatcher]
	build := func() { ready.Store(lexicon.NewNameMatcher(vocab)) }
	if len(vocab) <= syncNameVocabulary {
		build()
	} else {
		go build()
	}
	return func(latin string, max int) []nameCand {
		m := ready.Load()
		if m == nil {
			return nil
		}
		var out []nameCand
		for _, c := range m.Match(latin, max) {
			out = append(out, nameCand{Arabic: c.Arabic, Score: c.Score})
		}
		return out
	}
}
