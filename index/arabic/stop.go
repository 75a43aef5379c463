package arabic

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"
	"github.com/blevesearch/bleve/v2/registry"
)

// StopName is the registry name of the Arabic stop-word filter.
const StopName = "qabot_ar_stop"

// StopWords lists Arabic function words that carry no content in either
// articles or questions: prepositions, conjunctions, particles, pronouns,
// demonstratives, relatives and the auxiliaries كان/قد. They are written
// in normalised form (see Normalize). Question words (كيف, متى, ...) are not
// here; they are in QuestionWords.
var StopWords = []string{
	// prepositions
	"في", "من", "الي", "علي", "عن", "مع", "منذ", "حتي", "لدي", "عند", "نحو",
	"ضمن", "خلال", "حول", "عبر", "الا", "سوي", "دون", "لكي", "كي",
	// conjunctions and particles
	"و", "ف", "ب", "ك", "ل", "ثم", "او", "بل", "لكن", "لكنه", "لكنها",
	"ان", "انه", "انها", "انهم", "بان", "بانه", "بانها", "لان", "لانه",
	"كان", "كانت", "كانوا", "يكون", "تكون", "قد", "لقد", "لا", "لم", "لن",
	"ليس", "ليست", "اذا", "اذ", "لو", "كما", "مثلما", "حيث", "بينما", "اما",
	"ايضا", "غير", "بعض", "كل", "جميع", "مما", "ممن", "عما", "فيما", "كلا",
	"هناك", "هنا", "ما", "اي",
	// time and state conjunctions, and "has/have" forms that carry no content
	"عندما", "حينما", "بعدما", "طالما", "كلما", "لديه", "لديها", "لديهم", "لدينا",
	"كونه", "كونها", "بكونه", "بكونها", "كذلك", "جدا", "فقط",
	// pronouns
	"هو", "هي", "هم", "هما", "هن", "انا", "نحن", "انت", "انتم",
	// demonstratives and relatives
	"هذا", "هذه", "ذلك", "تلك", "هذان", "هاتان", "هؤلاء", "اولئك", "ذا",
	"الذي", "التي", "الذين", "اللذين", "اللذان", "اللتان", "اللتين",
	"اللواتي", "اللاتي",
	// prepositions and particles with pronoun suffixes
	"فيه", "فيها", "فيهم", "منه", "منها", "منهم", "عليه", "عليها", "عليهم",
	"اليه", "اليها", "اليهم", "عنه", "عنها", "عنهم", "له", "لها", "لهم",
	"به", "بها", "بهم", "لك", "معه", "معها", "معهم", "عنده", "عندها",
}

// stopConjunctionMax is the longest stop word (in bytes) that also gets
// conjunction-prefixed variants (وفي, فان, ...) in StopTokenMap.
const stopConjunctionMax = 10

// StopTokenMap returns the stop words as a bleve TokenMap, together with
// their variants prefixed by the conjunctions و and ف (وفي, ومن, فان,
// وهو), which qabot_ar_proclitic does not strip because the rest is
// shorter than 3 letters or is itself a function word.
func StopTokenMap() analysis.TokenMap {
	m := analysis.NewTokenMap()
	for _, w := range StopWords {
		m.AddToken(w)
		if len(w) > 2 && len(w) <= stopConjunctionMax {
			for _, v := range []string{"و" + w, "ف" + w} {
				if _, skip := stopVariantExceptions[v]; !skip {
					m.AddToken(v)
				}
			}
		}
	}
	return m
}

// stopVariantExceptions are conjunction variants that are content words:
// فعلي "actual" is not ف + علي.
var stopVariantExceptions = map[string]struct{}{"فعلي": {}}

// IsStopWord reports whether the normalised token tok is removed by
// qabot_ar_stop.
func IsStopWord(tok string) bool {
	return stopMap[tok]
}

var stopMap = StopTokenMap()

// StopFilterConstructor builds the qabot_ar_stop filter for the registry.
func StopFilterConstructor(config map[string]interface{}, cache *registry.Cache) (analysis.TokenFilter, error) {
	return stop.NewStopTokensFilter(stopMap), nil
}

func init() {
	if err := registry.RegisterTokenFilter(StopName, StopFilterConstructor); err != nil {
		panic(err)
	}
}
