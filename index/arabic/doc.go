// Package arabic provides Arabic (and a little English) text analysis for
// qabot as bleve analysis components, in the style of bleve's own
// analysis/lang/ar package.
//
// Importing the package (a blank import is enough) registers these token
// filters with bleve's registry:
//
//	qabot_ar_normalize      digits, presentation forms, tashkeel, tatweel, hamza, ى, ة, zero-width chars
//	qabot_ar_proclitic      stacked proclitics و ف ب ك ل س ال (وبالحكومة → حكومه)
//	qabot_ar_light_suffix   the suffix half of Lucene's light stemmer (bleve's stemmer_ar)
//	qabot_ar_snowball       the Snowball Arabic stemmer
//	qabot_ar_stop           Arabic function words (normalised)
//	qabot_ar_question_stop  question words and empty verbs, MSA and dialect (questions only)
//	qabot_ngram34           character 3- and 4-grams; shorter tokens are kept whole
//
// and these analyzers, all built on bleve's "unicode" tokenizer:
//
//	qabot_ar_exact   to_lower, qabot_ar_normalize, qabot_ar_stop
//	qabot_ar_light   ... + qabot_ar_proclitic, qabot_ar_light_suffix
//	qabot_ar_snow    ... + qabot_ar_snowball
//	qabot_ar_ngram   ... + qabot_ar_proclitic, qabot_ngram34
//	qabot_en         possessive_en, to_lower, stop_en, stemmer_porter
//
// Each Arabic analyzer also has a question-side twin named with a "_q"
// suffix (qabot_ar_light_q, ...) that additionally runs
// qabot_ar_question_stop right after normalisation.
//
// Analyze runs any registered analyzer over a string and returns its terms,
// so other packages can analyse text exactly as the index does.
package arabic
