package arabic

import (
	"sort"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// QuestionStopName is the registry name of the question-word filter, meant
// for analysing questions only.
const QuestionStopName = "qabot_ar_question_stop"

// Question word kinds returned by QuestionWordKind.
const (
	KindWhen    = "when"
	KindHowMany = "how_many"
	KindWhere   = "where"
	KindWho     = "who"
	KindWhy     = "why"
	KindHow     = "how"
	KindWhat    = "what"
	KindYesNo   = "yesno"
)

// questionKinds maps normalised question words (MSA and Gulf, Levantine,
// Egyptian, Iraqi and Maghrebi forms) to their kind. A kind of "" marks a
// question word or empty verb whose kind is unknown or that is not itself
// interrogative (تم, يتم, عدد, اللي ...).
var questionKinds = map[string]string{
	// when
	"متي": KindWhen, "امتي": KindWhen, "ايمتي": KindWhen, "امتا": KindWhen,
	"متا": KindWhen, "ايمتا": KindWhen, "وقتيش": KindWhen, "اماتي": KindWhen,
	// how many / how much
	"كم": KindHowMany, "چم": KindHowMany, "جم": KindHowMany, "قديش": KindHowMany,
	"اديش": KindHowMany, "كام": KindHowMany, "بكم": KindHowMany, "شقد": KindHowMany,
	"قداش": KindHowMany, "بكام": KindHowMany,
	// where
	"اين": KindWhere, "وين": KindWhere, "فين": KindWhere, "منين": KindWhere,
	"مناين": KindWhere, "وينه": KindWhere, "وينها": KindWhere, "فينه": KindWhere,
	// who
	"من": KindWho, "منو": KindWho, "مين": KindWho, "منهو": KindWho,
	"منهي": KindWho, "لمن": KindWho, "ممن": KindWho, "شكون": KindWho,
	// why
	"لماذا": KindWhy, "ليش": KindWhy, "ليه": KindWhy, "علاش": KindWhy,
	"لويش": KindWhy, "ليشو": KindWhy,
	// how
	"كيف": KindHow, "شلون": KindHow, "كيفاش": KindHow, "ازاي": KindHow,
	"كيفيه": KindHow, "اشلون": KindHow,
	// what / which
	"ماذا": KindWhat, "ما": KindWhat, "ماهو": KindWhat, "ماهي": KindWhat,
	"شنو": KindWhat, "شنهو": KindWhat, "شنهي": KindWhat, "شو": KindWhat,
	"ايش": KindWhat, "اش": KindWhat, "وش": KindWhat, "ايه": KindWhat,
	"اي":   KindWhat,
	"اشنو": KindWhat, "شنوه": KindWhat,
	// yes/no
	"هل": KindYesNo,
	// ambiguous: MSA لِمَا "why", dialect لما "when"
	"لما": "",
	// empty verbs, fillers and pronouns that only frame the question
	"تم": "", "يتم": "", "تمت": "", "قام": "", "قامت": "", "يقوم": "",
	"تقوم": "", "قاموا": "", "يكون": "", "تكون": "", "كان": "", "كانت": "",
	"يوجد": "", "توجد": "", "هناك": "", "هو": "", "هي": "", "هم": "",
	"عدد": "", "ذا": "", "الذي": "", "التي": "", "الذين": "",
	"اللي": "", "الي": "", "هاد": "", "هادا": "", "هادي": "", "هاذا": "",
	"هذول": "", "هدول": "", "ده": "", "دي": "", "دا": "", "يعني": "",
	"بدي": "", "ابغي": "", "اعرف": "", "اريد": "", "قلي": "",
	"اخبرني": "", "احكيلي": "", "صار": "", "صارت": "",
	// "with which", "for which": a preposition on اي, too short to strip
	"باي": KindWhat, "لاي": KindWhat,
	// compound prepositions that frame a question as English's during,
	// regarding, about, towards and according to do (stop words there)
	"اثناء": "", "بخصوص": "", "بشان": "", "بالنسبه": "", "تجاه": "",
	"حسب": "", "بحسب": "", "وفق": "", "وفقا": "",
	// «هل … أم …»: the alternative's "or"
	"ام": "",
	// the copulas of كان's family, empty as كان is: «متى أصبح الحرس عضوا»
	"اصبح": "", "اصبحت": "", "يصبح": "", "تصبح": "", "اضحي": "", "بات": "", "باتت": "",
	"ظل": "", "ظلت": "", "مازال": "", "لازال": "", "يزال": "", "تزال": "",
	// modals, as English's can, may, must, should and will
	"يمكن": "", "ممكن": "", "يجب": "", "ينبغي": "", "سوف": "",
}

// QuestionWords lists, sorted, the normalised words removed by
// qabot_ar_question_stop (the conjunction-prefixed forms it also removes
// are not listed).
var QuestionWords = func() []string {
	out := make([]string, 0, len(questionKinds))
	for w := range questionKinds {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}()

// IsQuestionWord reports whether the normalised token tok is a question
// word or an empty question verb (MSA or dialect), also when it carries a
// conjunction و or ف (وكيف, فمتى).
func IsQuestionWord(tok string) bool {
	_, ok := lookupQuestion(tok)
	return ok
}

// QuestionWordKind returns the kind of the normalised question word tok:
// one of "when", "how_many", "where", "who", "why", "how", "what", "yesno",
// or "" when tok is not a question word or its kind is unknown (تم, لما).
// من is reported as "who" although it is usually the preposition "from";
// callers decide by position (only a question-initial من asks "who").
func QuestionWordKind(tok string) string {
	k, _ := lookupQuestion(tok)
	return k
}

// lookupQuestion looks tok up, also without a leading conjunction و or ف.
func lookupQuestion(tok string) (string, bool) {
	if k, ok := questionKinds[tok]; ok {
		return k, true
	}
	if len(tok) > 2 && (tok[:2] == "و" || tok[:2] == "ف") {
		if k, ok := questionKinds[tok[2:]]; ok {
			return k, true
		}
	}
	return "", false
}

// QuestionStopFilter is a bleve token filter removing question words and
// empty verbs (IsQuestionWord). Use it on questions only, after
// qabot_ar_normalize.
type QuestionStopFilter struct{}

// NewQuestionStopFilter returns a QuestionStopFilter.
func NewQuestionStopFilter() *QuestionStopFilter { return &QuestionStopFilter{} }

// Filter implements analysis.TokenFilter.
func (f *QuestionStopFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	rv := input[:0]
	for _, tok := range input {
		if !IsQuestionWord(string(tok.Term)) {
			rv = append(rv, tok)
		}
	}
	return rv
}

// QuestionStopFilterConstructor builds a QuestionStopFilter for the registry.
func QuestionStopFilterConstructor(config map[string]interface{}, cache *registry.Cache) (analysis.TokenFilter, error) {
	return NewQuestionStopFilter(), nil
}

func init() {
	if err := registry.RegisterTokenFilter(QuestionStopName, QuestionStopFilterConstructor); err != nil {
		panic(err)
	}
}
