package qa

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// DetectLang says whether a question is Arabic ("ar") or English ("en"): the
// script with more letters wins; a question with no letters at all counts as
// Arabic, the articles' language.
func DetectLang(s string) string {
	var ar, latin int
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r):
			ar++
		case r < 0x250 && unicode.IsLetter(r):
			latin++
		}
	}
	if latin > ar {
		return "en"
	}
	return "ar"
}

// CleanQuestion makes user text safe to analyse: invalid UTF-8 replaced,
// control characters dropped, whitespace collapsed, and at most maxRunes
// runes kept (0: no limit).
func CleanQuestion(s string, maxRunes int) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	n := 0
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			if !space && b.Len() > 0 {
				space = true
			}
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
			n++
		}
		if maxRunes > 0 && n >= maxRunes {
			break
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}
