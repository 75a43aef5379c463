package qa

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/qabot/qabot/index"
	"github.com/qabot/qabot/index/arabic"
	"github.com/qabot/qabot/qa/lexicon"
)

// QType is what kind of thing the question asks for.
type QType string

const (
	QWhen    QType = "when"
	QHowMany QType = "how_many"
	QWhere   QType = "where"
	QWho     QType = "who"
	QWhy     QType = "why"
	QHow     QType = "how"
	QWhat    QType = "what"
	QYesNo   QType = "yesno"
	QNone    QType = ""
)

// term is one word of an alternative, analysed for the index. Arabic words
// have exact/light/snow forms; English words lower/stem in Exact/Light.
type term struct {
	English bool
	Forms   index.Forms
}

// alt is one way a concept can appear in a sentence: one word, or a phrase
// whose words must all appear.
type alt struct {
	Terms  []term
	Weight float64 // 1 for the question's own word or a glossary rendering, less for dictionaries and guesses
	Own    bool    // the question's own word in another written form (behind ك), not a synonym
	// Unseen: only looked up when the question's word itself is not in the
	// index (a proclitic the index keeps on a short word: «لمدة»); where the
	// word is seen bare, «بعام» and «وعام» are other words more often than not
	Unseen bool
}

// concept is one word or phrase of the question with all the ways it may be
// written in the articles. A question's concepts count equally, however many
// alternatives each has.
type concept struct {
	Text string
	Alts []alt
	// Weight scales the concept in coverage: its idf over the index,
	// computed when the query is resolved.
	Weight float64
	Number bool // the concept is a number: an answer to "how many" must hold another one
	Name   bool // an English word to match by transliteration too (capitalised, or unknown to the lexicons)
}

// parsedQuery is a question reduced to what the ranking needs.
type parsedQuery struct {
	Lang     string
	Type     QType
	Concepts []concept
}

var englishQType = map[string]QType{
	"when": QWhen, "what year": QWhen, "which year": QWhen, "what date": QWhen,
	"how many": QHowMany, "how much": QHowMany, "how long": QHowMany, "how old": QHowMany,
	"where": QWhere, "who": QWho, "whom": QWho, "whose": QWho, "what name": QWho, "which company": QWho,
	"why": QWhy, "how": QHow, "what": QWhat, "which": QWhat,
}

// parseArabic turns an Arabic question into concepts: question words and
// function words out, every other word one concept.
func parseArabic(q string) parsedQuery {
	pq := parsedQuery{Lang: "ar"}
	toks := index.Tokenize(q)
	prevQuestion := false
	for i, tok := range toks {
		n := arabic.Normalize(tok)
		if n == "" {
			continue
		}
		afterQuestion := prevQuestion
		prevQuestion = false
		// «كم عدد» frames the question; «هل ستزيد عدد الاتفاقيات» asks about it
		if arabic.IsQuestionWord(n) && (n != "عدد" || afterQuestion) {
			prevQuestion = true
			if pq.Type == QNone {
				kind := QType(arabic.QuestionWordKind(n))
				// من is "who" only as the question's first word; elsewhere it is "from".
				if kind == QWho && n == "من" && i > 0 {
					kind = QNone
				}
				pq.Type = kind
			}
			continue
		}
		f := index.ArabicForms(tok)
		if f.Exact == "" {
			continue
		}
		c := concept{Text: tok, Alts: []alt{{Terms: []term{{Forms: f}}, Weight: 1}}, Number: isNumber(f.Exact)}
		c.Alts = append(c.Alts, attachedForms(f)...)
		c.Alts = append(c.Alts, taMarbutaForms(tok, f)...)
		pq.Concepts = append(pq.Concepts, c)
	}
	if pq.Type == QNone || pq.Type == QWhat {
		if t := arabicQTypeFromPhrases(toks); t != QNone {
			pq.Type = t
		}
	}
	return pq
}

// kafWeight is the weight of a question word found with a proclitic the
// index keeps on: behind ك "as, like" (عضو in «كعضو»), because stripping it
// would eat words that begin with it (كتاب، كويت); behind ب ل و ف on a
// three-letter word (مدة in «لمدة», صفة in «بصفة»), because the index takes
// a lone proclitic off a four-letter word only for the stems it knows.
var kafWeight = 0.85

// attachedForms are the forms of a question word behind the proclitics the
// index leaves on, looked up in the index as they are: only the question
// knows where the letter is a preposition.
func attachedForms(f index.Forms) []alt {
	if kafWeight == 0 {
		return nil
	}
	var out []alt
	add := func(p, stem string) {
		out = append(out, alt{Terms: []term{{Forms: index.Forms{Exact: p + stem, Light: p + stem}}}, Weight: kafWeight, Own: true})
	}
	if utf8.RuneCountInString(f.Light) >= 3 {
		for _, p := range []string{"ك", "كال"} {
			add(p, f.Light)
			if f.Snow != f.Light && utf8.RuneCountInString(f.Snow) >= 3 {
				// «عضوا» behind ك is «كعضو»: the Snowball stem drops the
				// accusative alef the light stem keeps
				add(p, f.Snow)
			}
		}
	}
	if utf8.RuneCountInString(f.Exact) == 3 { // StripProclitics leaves three letters whole
		for _, p := range []string{"ب", "ل", "و", "ف"} {
			out = append(out, alt{Terms: []term{{Forms: index.Forms{Exact: p + f.Exact, Light: p + f.Light}}}, Weight: kafWeight, Own: true, Unseen: true})
		}
	}
	return out
}

// taMarbutaForms are a question word's forms across the ة that is written
// ت before a pronoun: «تلبية» finds «تلبيته» (light stem تلبيت), and
// «مساهمته» finds «مساهمة». Weight 1: it is the same word, matched at the
// light stem's strength. Normalize folds ة into ه, so the question's own
// spelling (past its diacritics: «مساهمةً») tells the two apart.
func taMarbutaForms(tok string, f index.Forms) []alt {
	stem := arabic.StripProclitics(f.Exact)
	var light string
	switch {
	case strings.HasSuffix(lexicon.StripDiacritics(tok), "ة") && utf8.RuneCountInString(stem) >= 4:
		light = strings.TrimSuffix(stem, "ه") + "ت"
	case f.Light != f.Exact && strings.HasSuffix(f.Light, "ت") && !strings.HasSuffix(f.Light, "ات") && utf8.RuneCountInString(f.Light) >= 4:
		light = arabic.LightSuffixStem(strings.TrimSuffix(f.Light, "ت") + "ه")
	}
	if light == "" || light == f.Light {
		return nil
	}
	return []alt{{Terms: []term{{Forms: index.Forms{Light: light}}}, Weight: 1, Own: true}}
}

// arabicQTypeFromPhrases spots question types spelled with a noun at most
// two words after the question word: «في أي عام», «ما عدد», «ما أطول مدة»,
// «في أي مدينة», «ما اسم». Further on such a noun is only content: «شنو
// يعتبر البروتوكول بالنسبة لعلاقات البلدين» asks for no number.
func arabicQTypeFromPhrases(toks []string) QType {
	lastQuestion := -10
	for i, tok := range toks {
		if i >= 4 {
			break
		}
		n := arabic.Normalize(tok)
		if n == "عدد" && i-lastQuestion <= 2 {
			return QHowMany
		}
		if arabic.IsQuestionWord(n) {
			lastQuestion = i
			continue
		}
		if i-lastQuestion > 2 {
			continue
		}
		if s := arabic.StripProclitics(n); len(s) >= 4 {
			n = s
		}
		switch n {
		case "عام", "سنه", "تاريخ", "يوم", "شهر", "قرن", "فتره", "عقد":
			return QWhen
		case "عدد", "نسبه", "كميه", "مبلغ", "مسافه", "مده", "طول", "عمر":
			return QHowMany
		case "مكان", "مدينه", "دوله", "بلد", "موقع", "منطقه", "بلده", "قاره":
			return QWhere
		case "اسم", "شخص", "لقب":
			return QWho
		}
	}
	return QNone
}

// parseEnglish turns an English question into concepts through the lexicon:
// the longest phrase the lexicon knows wins, every word form is looked up,
// unknown capitalised words and long unknown words become name concepts
// (matched by transliteration when the query is resolved).
func parseEnglish(q string, lex *lexicon.Lexicon) parsedQuery {
	pq := parsedQuery{Lang: "en"}
	raw := index.Tokenize(q)
	words := make([]string, len(raw))
	for i, w := range raw {
		words[i] = strings.ToLower(w)
	}
	// question type: two-word forms first
	for i := range words {
		if i+1 < len(words) {
			if t, ok := englishQType[words[i]+" "+words[i+1]]; ok {
				pq.Type = t
				break
			}
		}
		if t, ok := englishQType[words[i]]; ok {
			pq.Type = t
			break
		}
	}
	frame := englishFrameNoun(words)
	if frame >= 0 && pq.Type == QWhat {
		switch words[frame] {
		case "name", "names":
			pq.Type = QWho
		case "year", "date":
			pq.Type = QWhen
		}
	}
	maxPhrase := 1
	if lex != nil {
		maxPhrase = lex.MaxPhraseWords()
	}
	for i := 0; i < len(words); {
		if i == frame {
			i++
			continue
		}
		// longest known phrase starting at i
		matched := 0
		var c concept
		for n := min(maxPhrase, len(words)-i); n >= 2; n-- {
			phrase := strings.Join(words[i:i+n], " ")
			if alts := lookupEnglish(lex, phrase); len(alts) > 0 {
				c = concept{Text: strings.Join(raw[i:i+n], " "), Alts: alts}
				matched = n
				break
			}
		}
		if matched > 0 {
			c.Alts = append(c.Alts, englishAlts(words[i:i+matched])...)
			pq.Concepts = append(pq.Concepts, c)
			i += matched
			continue
		}
		w := words[i]
		orig := raw[i]
		i++
		if lexicon.IsStopWord(w) {
			continue
		}
		digits := w
		if n, ok := romanNumeral(orig); ok {
			digits = strconv.Itoa(n) // Super Bowl XXXIII is «السوبر بول 33»
		}
		c = concept{Text: orig, Number: isNumber(digits)}
		if c.Number {
			d := arabic.Normalize(digits)
			c.Alts = append(c.Alts, alt{Terms: []term{{Forms: index.Forms{Exact: d, Light: d, Snow: d}}}, Weight: 1})
		} else {
			c.Alts = append(c.Alts, lookupEnglish(lex, w)...)
		}
		c.Alts = append(c.Alts, englishAlts([]string{w})...)
		if len(c.Alts) == 0 {
			continue
		}
		// A capitalised word the dictionaries translate is often a name the
		// articles transliterate instead ("Bowl", "Pro"): mark it for the
		// transliteration pass too.
		if isCapitalised(orig) || !hasArabicAlt(c.Alts) {
			c.Name = true
		}
		pq.Concepts = append(pq.Concepts, c)
	}
	return pq
}

// englishFrameNouns describe the answer rather than ask about anything:
// "what is the name of …", "which type of …", "what year …". The answer
// sentence says the name, not the word. (Arabic's «ما اسم», «في أي عام»
// measured neutral on XQuAD and slightly worse for abstention: they stay.)
var englishFrameNouns = map[string]bool{
	"name": true, "names": true, "type": true, "types": true, "kind": true, "kinds": true,
	"sort": true, "term": true, "word": true, "year": true, "date": true,
}

// englishFrameNoun returns the position of the question's frame noun: the
// first word after what/which (and at most three stop words) when it is one
// of englishFrameNouns; -1 when there is none.
func englishFrameNoun(words []string) int {
	for i, w := range words {
		if w != "what" && w != "which" && w != "whats" {
			continue
		}
		j := i + 1
		for j < len(words) && j <= i+3 && lexicon.IsStopWord(words[j]) {
			j++
		}
		if j < len(words) && englishFrameNouns[words[j]] {
			return j
		}
		return -1
	}
	return -1
}

func hasArabicAlt(alts []alt) bool {
	for _, a := range alts {
		for _, t := range a.Terms {
			if !t.English {
				return true
			}
		}
	}
	return false
}

// lookupEnglish translates one English word or phrase into Arabic
// alternatives, trying its word forms (points → point) too.
func lookupEnglish(lex *lexicon.Lexicon, phrase string) []alt {
	if lex == nil {
		return nil
	}
	var out []alt
	seen := map[string]bool{}
	forms := []string{phrase}
	if !strings.Contains(phrase, " ") {
		forms = lexicon.WordForms(phrase)
	} else {
		// inflected last word of a phrase: "national guards"
		ws := strings.Fields(phrase)
		for _, f := range lexicon.WordForms(ws[len(ws)-1]) {
			forms = append(forms, strings.Join(append(ws[:len(ws)-1:len(ws)-1], f), " "))
		}
	}
	for fi, f := range forms {
		for _, tr := range lex.Lookup(f) {
			if seen[tr.Arabic] {
				continue
			}
			seen[tr.Arabic] = true
			a := arabicAlt(tr.Arabic, tr.Weight)
			if fi > 0 {
				a.Weight *= 0.9
			}
			if len(a.Terms) > 0 {
				out = append(out, a)
			}
		}
	}
	return out
}

// arabicAlt analyses an Arabic rendering (a word or a phrase) into an alt.
func arabicAlt(ar string, w float64) alt {
	a := alt{Weight: w}
	for _, tok := range index.Tokenize(ar) {
		f := index.ArabicForms(tok)
		if f.Exact == "" {
			continue
		}
		a.Terms = append(a.Terms, term{Forms: f})
	}
	return a
}

// englishAlts matches English words against English text in the index
// (translations and English articles).
func englishAlts(words []string) []alt {
	a := alt{Weight: 1}
	for _, w := range words {
		lower, stem := index.EnglishForms(w)
		if lower == "" {
			continue
		}
		a.Terms = append(a.Terms, term{English: true, Forms: index.Forms{Exact: lower, Light: stem}})
	}
	if len(a.Terms) == 0 {
		return nil
	}
	return []alt{a}
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !unicode.IsDigit(r) && r != '.' && r != ',' {
			return false
		}
	}
	return true
}

func isCapitalised(s string) bool {
	for _, r := range s {
		return unicode.IsUpper(r)
	}
	return false
}

// romanNumeral reads an upper-case Roman numeral in canonical form (XXXIII,
// XIV, MCMXC) from 2 to 3999. Short ones that are also common abbreviations
// (DC, MD, CD, CV, MC, CM) are not read: two letters must be from I, V, X.
func romanNumeral(s string) (int, bool) {
	if len(s) < 2 || len(s) > 15 || len(s) == 2 && strings.Trim(s, "IVX") != "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		v, ok := romanValues[s[i]]
		if !ok {
			return 0, false
		}
		if i+1 < len(s) && v < romanValues[s[i+1]] {
			n -= v
		} else {
			n += v
		}
	}
	if n < 2 || n > 3999 || toRoman(n) != s {
		return 0, false // not canonical: IIII, VX, LL …
	}
	return n, true
}

var romanValues = map[byte]int{'I': 1, 'V': 5, 'X': 10, 'L': 50, 'C': 100, 'D': 500, 'M': 1000}

func toRoman(n int) string {
	var b strings.Builder
	for _, p := range []struct {
		v int
		s string
	}{{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}} {
		for n >= p.v {
			b.WriteString(p.s)
			n -= p.v
		}
	}
	return b.String()
}
