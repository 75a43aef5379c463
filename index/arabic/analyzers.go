package arabic

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
)

// Analyzer names registered by this package.
const (
	// ExactAnalyzer: to_lower, qabot_ar_normalize, qabot_ar_stop.
	ExactAnalyzer = "qabot_ar_exact"
	// LightAnalyzer: ExactAnalyzer + qabot_ar_proclitic, qabot_ar_light_suffix.
	LightAnalyzer = "qabot_ar_light"
	// SnowAnalyzer: ExactAnalyzer + qabot_ar_snowball.
	SnowAnalyzer = "qabot_ar_snow"
	// NgramAnalyzer: ExactAnalyzer + qabot_ar_proclitic, qabot_ngram34.
	NgramAnalyzer = "qabot_ar_ngram"
	// EnglishAnalyzer: possessive_en, to_lower, stop_en, stemmer_porter.
	EnglishAnalyzer = "qabot_en"

	// QuestionSuffix turns an Arabic analyzer name into the name of its
	// question-side twin, which also runs qabot_ar_question_stop right
	// after qabot_ar_normalize (qabot_ar_light + "_q").
	QuestionSuffix = "_q"
)

// analyzerFilters lists the token filters of each registered analyzer.
var analyzerFilters = map[string][]string{
	ExactAnalyzer:   {lowercase.Name, NormalizeName, StopName},
	LightAnalyzer:   {lowercase.Name, NormalizeName, StopName, ProcliticName, LightSuffixName},
	SnowAnalyzer:    {lowercase.Name, NormalizeName, StopName, SnowballName},
	NgramAnalyzer:   {lowercase.Name, NormalizeName, StopName, ProcliticName, Ngram34Name},
	EnglishAnalyzer: {en.PossessiveName, lowercase.Name, en.StopName, porter.Name},
}

// AnalyzerNames returns the names of all analyzers this package registers,
// including the question-side twins.
func AnalyzerNames() []string {
	return []string{
		ExactAnalyzer, LightAnalyzer, SnowAnalyzer, NgramAnalyzer, EnglishAnalyzer,
		ExactAnalyzer + QuestionSuffix, LightAnalyzer + QuestionSuffix,
		SnowAnalyzer + QuestionSuffix, NgramAnalyzer + QuestionSuffix,
	}
}

// questionFilters inserts qabot_ar_question_stop after qabot_ar_normalize.
func questionFilters(filters []string) []string {
	out := make([]string, 0, len(filters)+1)
	for _, f := range filters {
		out = append(out, f)
		if f == NormalizeName {
			out = append(out, QuestionStopName)
		}
	}
	return out
}

// customConstructor returns a registry constructor building a bleve
// "custom" analyzer with the unicode tokenizer and the given filters.
func customConstructor(filters []string) registry.AnalyzerConstructor {
	return func(config map[string]interface{}, cache *registry.Cache) (analysis.Analyzer, error) {
		return custom.AnalyzerConstructor(map[string]interface{}{
			"type":          custom.Name,
			"tokenizer":     unicode.Name,
			"token_filters": filters,
		}, cache)
	}
}

func init() {
	for name, filters := range analyzerFilters {
		if err := registry.RegisterAnalyzer(name, customConstructor(filters)); err != nil {
			panic(err)
		}
		if name == EnglishAnalyzer {
			continue
		}
		if err := registry.RegisterAnalyzer(name+QuestionSuffix, customConstructor(questionFilters(filters))); err != nil {
			panic(err)
		}
	}
}

// analyzerCache builds each analyzer Analyzer is asked for once, and keeps
// it (registry caches are safe for concurrent use).
var analyzerCache = registry.NewCache()

// Analyzer returns the registered bleve analyzer called name (any analyzer
// in bleve's registry, not only this package's), built once and cached.
func Analyzer(name string) (analysis.Analyzer, error) {
	return analyzerCache.AnalyzerNamed(name)
}

// Analyze runs the registered analyzer analyzerName over text and returns
// the token terms in order, exactly as a bleve index using that analyzer
// would see them. It returns nil if no analyzer of that name is registered.
func Analyze(analyzerName string, text string) []string {
	a, err := Analyzer(analyzerName)
	if err != nil {
		return nil
	}
	toks := a.Analyze([]byte(text))
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = string(t.Term)
	}
	return out
}
