package lexicon

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// isArabicDiacritic reports whether r is an Arabic short-vowel mark,
// shadda, sukun, tanween, superscript alef, Quranic annotation mark or
// tatweel: marks that Arabic news text usually leaves out.
func isArabicDiacritic(r rune) bool {
	switch {
	case r >= 0x064B && r <= 0x065F: // fathatan … wavy hamza below
		return true
	case r == 0x0670: // superscript alef
		return true
	case r >= 0x06D6 && r <= 0x06ED: // Quranic annotation marks
		return true
	case r >= 0x0610 && r <= 0x061A: // honorific / Quranic marks
		return true
	case r == 0x0640: // tatweel
		return true
	}
	return false
}

// isArabicLetter reports whether r is a letter of the Arabic block (not a
// mark, digit or punctuation sign).
func isArabicLetter(r rune) bool {
	return (r >= 0x0621 && r <= 0x064A && r != 0x0640) || (r >= 0x0671 && r <= 0x06D3) || r == 0x06D5 ||
		(r >= 0x06FA && r <= 0x06FC) || r == 0x06FF
}

// hasArabicLetter reports whether s contains at least one Arabic letter.
func hasArabicLetter(s string) bool {
	for _, r := range s {
		if isArabicLetter(r) {
			return true
		}
	}
	return false
}

// StripDiacritics removes Arabic diacritics and tatweel from s, leaving
// letters (including hamza forms) as they are. It returns s itself, without
// allocating, when there is nothing to remove.
func StripDiacritics(s string) string {
	i := strings.IndexFunc(s, isArabicDiacritic)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		if !isArabicDiacritic(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// NormalizeArabic returns the matching form of Arabic text: diacritics and
// tatweel removed, أ إ آ ٱ folded to ا, ى to ي, ة to ه, Arabic-Indic and
// Persian digits to ASCII digits, and runs of white space collapsed to one
// space. Latin letters are lowercased; everything else is kept.
func NormalizeArabic(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case isArabicDiacritic(r):
			continue
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		switch r {
		case 'أ', 'إ', 'آ', 'ٱ':
			r = 'ا'
		case 'ى':
			r = 'ي'
		case 'ة':
			r = 'ه'
		default:
			switch {
			case r >= '٠' && r <= '٩':
				r = '0' + (r - '٠')
			case r >= '۰' && r <= '۹':
				r = '0' + (r - '۰')
			case r < utf8.RuneSelf && r >= 'A' && r <= 'Z':
				r += 'a' - 'A'
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// cleanArabic strips diacritics and collapses white space in one Arabic
// rendering; it returns "" when no Arabic letter is left.
func cleanArabic(s string) string {
	s = StripDiacritics(s)
	s = strings.TrimSpace(s)
	if strings.Contains(s, "  ") || strings.ContainsAny(s, "\t\n\r\u00a0") {
		s = strings.Join(strings.Fields(s), " ")
	}
	if !hasArabicLetter(s) {
		return ""
	}
	return s
}
