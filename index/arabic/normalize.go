package arabic

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/unicode/norm"
)

// NormalizeName is the registry name of the Arabic normalisation token filter.
const NormalizeName = "qabot_ar_normalize"

// NormalizeFilter is a bleve token filter that applies Normalize to every
// token and drops tokens that become empty.
type NormalizeFilter struct{}

// NewNormalizeFilter returns a NormalizeFilter.
func NewNormalizeFilter() *NormalizeFilter { return &NormalizeFilter{} }

// Filter implements analysis.TokenFilter.
func (f *NormalizeFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	rv := input[:0]
	for _, tok := range input {
		if needsNormalize(tok.Term) {
			tok.Term = []byte(Normalize(string(tok.Term)))
		}
		if len(tok.Term) > 0 {
			rv = append(rv, tok)
		}
	}
	return rv
}

// needsNormalize reports whether b contains anything Normalize would change:
// any non-ASCII byte or an upper-case ASCII letter.
func needsNormalize(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			return true
		}
	}
	return false
}

// Normalize folds Arabic text to the form used by every qabot analyzer:
//
//   - Arabic-Indic (٠-٩) and Extended/Persian (۰-۹) digits become ASCII digits;
//     the Arabic decimal separator ٫ becomes '.', the thousands separator ٬ ',';
//   - presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFF) are replaced by their
//     NFKC decomposition (ﻻ → لا), which is then normalised like the rest;
//   - tashkeel and Quranic marks (U+0610–U+061A, U+064B–U+065F, U+0670,
//     U+06D6–U+06ED) and tatweel (U+0640) are removed;
//   - alef wasla ٱ and hamza/madda alefs أ إ آ (and wavy-hamza alefs) become ا;
//     ى becomes ي, ة becomes ه; Persian ی ک ۀ become ي ك ه;
//   - zero-width and bidi formatting characters (U+200B–U+200F, U+202A–U+202E,
//     U+2060, U+2066–U+2069, U+061C, U+FEFF, U+00AD) are removed;
//   - everything else is lower-cased with unicode.ToLower.
//
// Invalid UTF-8 bytes come out as U+FFFD, so the result is always valid UTF-8.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if isPresentationForm(r) {
			d := norm.NFKC.String(string(r))
			// Isolated harakat (U+FE70..) decompose to SPACE + mark; the
			// mark is stripped below, and so is the space in front of it.
			prevSpace := false
			for _, dr := range d {
				if prevSpace && !isStripped(dr) {
					b.WriteByte(' ')
				}
				prevSpace = dr == ' '
				if !prevSpace {
					writeFolded(&b, dr)
				}
			}
			if prevSpace {
				b.WriteByte(' ')
			}
			continue
		}
		writeFolded(&b, r)
	}
	return b.String()
}

// writeFolded writes the normalised form of one (non presentation-form) rune.
func writeFolded(b *strings.Builder, r rune) {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		b.WriteByte(byte(r))
		return
	}
	if isStripped(r) {
		return
	}
	b.WriteRune(foldRune(r))
}

// isPresentationForm reports whether r is in one of the Arabic
// presentation-form blocks.
func isPresentationForm(r rune) bool {
	return (r >= 0xFB50 && r <= 0xFDFF) || (r >= 0xFE70 && r <= 0xFEFE)
}

// isStripped reports whether Normalize deletes r.
func isStripped(r rune) bool {
	switch {
	case r >= 0x064B && r <= 0x065F, // tashkeel
		r == 0x0670,                // superscript alef
		r >= 0x06D6 && r <= 0x06ED, // Quranic annotation marks
		r >= 0x0610 && r <= 0x061A, // honorific signs, small high marks
		r == 0x0640,                // tatweel
		r >= 0x200B && r <= 0x200F, // ZWSP, ZWNJ, ZWJ, LRM, RLM
		r >= 0x202A && r <= 0x202E, // bidi embeddings/overrides
		r >= 0x2066 && r <= 0x2069, // bidi isolates
		r == 0x2060,                // word joiner
		r == 0x061C,                // Arabic letter mark
		r == 0xFEFF,                // BOM / ZWNBSP
		r == 0x00AD:                // soft hyphen
		return true
	}
	return false
}

// foldRune maps a single non-ASCII rune to its normalised form.
func foldRune(r rune) rune {
	switch {
	case r >= 0x0660 && r <= 0x0669:
		return '0' + (r - 0x0660)
	case r >= 0x06F0 && r <= 0x06F9:
		return '0' + (r - 0x06F0)
	}
	switch r {
	case 0x066B: // ٫ Arabic decimal separator
		return '.'
	case 0x066C: // ٬ Arabic thousands separator
		return ','
	case 'أ', 'إ', 'آ', 'ٱ', 0x0672, 0x0673:
		return 'ا'
	case 'ى', 0x06CC: // alef maqsura, Farsi yeh
		return 'ي'
	case 'ة', 0x06C0: // teh marbuta, heh with yeh above
		return 'ه'
	case 0x06A9: // keheh (Persian kaf)
		return 'ك'
	}
	if r >= 0x0600 && r <= 0x06FF { // Arabic block: no case
		return r
	}
	return unicode.ToLower(r)
}

// NormalizeFilterConstructor builds a NormalizeFilter for the registry.
func NormalizeFilterConstructor(config map[string]interface{}, cache *registry.Cache) (analysis.TokenFilter, error) {
	return NewNormalizeFilter(), nil
}

func init() {
	if err := registry.RegisterTokenFilter(NormalizeName, NormalizeFilterConstructor); err != nil {
		panic(err)
	}
}
