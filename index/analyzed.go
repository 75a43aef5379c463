package index

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/qabot/qabot/index/arabic"
)

// Build analyses each word once (memoised: news text repeats its words) and
// hands bleve ready token streams, instead of letting five analyzers
// tokenise every sentence again. The streams hold exactly what the mapping's
// named analyzers produce, so queries built from ArabicForms, EnglishForms
// and Ngrams match.

// wordInfo is everything the index needs about one surface word.
type wordInfo struct {
	forms  Forms
	ngrams []string
}

// wordCache memoises word analysis during one build.
type wordCache map[string]*wordInfo

func (c wordCache) arabic(tok string) *wordInfo {
	if wi, ok := c[tok]; ok {
		return wi
	}
	wi := &wordInfo{forms: ArabicForms(tok)}
	if wi.forms.Exact != "" {
		wi.ngrams = Ngrams(wi.forms.Exact)
	}
	c[tok] = wi
	return wi
}

// Ngrams returns the character 3- and 4-grams of a normalised word after
// its proclitics are stripped; a shorter word is its own single gram.
func Ngrams(exact string) []string {
	w := arabic.StripProclitics(exact)
	n := utf8.RuneCountInString(w)
	if n < 3 {
		return []string{w}
	}
	// byte offsets of each rune
	offs := make([]int, 0, n+1)
	for i := range w {
		offs = append(offs, i)
	}
	offs = append(offs, len(w))
	out := make([]string, 0, 2*n)
	for size := 3; size <= 4; size++ {
		for i := 0; i+size <= n; i++ {
			out = append(out, w[offs[i]:offs[i+size]])
		}
	}
	return out
}

// streamAnalyzer is an analysis.Analyzer that returns a stream computed
// beforehand, whatever it is given.
type streamAnalyzer analysis.TokenStream

func (s streamAnalyzer) Analyze([]byte) analysis.TokenStream { return analysis.TokenStream(s) }

type streamBuilder struct {
	toks analysis.TokenStream
}

func (b *streamBuilder) add(term string, pos int) {
	if term == "" {
		return
	}
	b.toks = append(b.toks, &analysis.Token{Term: []byte(term), Position: pos, Type: analysis.AlphaNumeric})
}

func (b *streamBuilder) field(doc *document.Document, name string) {
	if len(b.toks) == 0 {
		return
	}
	doc.AddField(document.NewTextFieldCustom(name, nil, nil, bindex.IndexField, streamAnalyzer(b.toks)))
}

// analysedDocument builds the bleve document of one sentence.
func (ix *Index) analysedDocument(id string, ref SentRef, cache wordCache) *document.Document {
	art := ix.Articles[ref.Art]
	para := &art.Paragraphs[ref.Para]
	s := &para.Sentences[ref.Sent]
	doc := document.NewDocument(id)
	var en streamBuilder
	addEnglish := func(text string) {
		for i, tok := range Tokenize(text) {
			if _, stem := EnglishForms(tok); stem != "" {
				en.add(stem, i+1)
			}
		}
	}
	if art.Lang == "en" {
		addEnglish(s.Text)
	} else {
		var ex, lt, sn, ng streamBuilder
		for i, tok := range Tokenize(s.Text) {
			wi := cache.arabic(tok)
			if wi.forms.Exact == "" {
				continue
			}
			pos := i + 1
			ex.add(wi.forms.Exact, pos)
			lt.add(wi.forms.Light, pos)
			sn.add(wi.forms.Snow, pos)
			for _, g := range wi.ngrams {
				ng.add(g, pos)
			}
		}
		ex.field(doc, FieldExact)
		lt.field(doc, FieldLight)
		sn.field(doc, FieldSnow)
		ng.field(doc, FieldNgram)
		if tr := ix.TranslationOf(ref); tr != "" {
			addEnglish(tr)
		}
		if para.Section != "" {
			var cx streamBuilder
			for i, tok := range Tokenize(para.Section) {
				cx.add(cache.arabic(tok).forms.Light, i+1)
			}
			cx.field(doc, FieldContext)
		}
	}
	en.field(doc, FieldEnglish)
	var dk streamBuilder
	dk.add(art.ID, 1)
	dk.field(doc, FieldDoc)
	return doc
}
