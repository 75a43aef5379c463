package qa

import (
	"html"
	"regexp"
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
// markup and mentions dropped (see stripMarkup), control characters
// dropped, whitespace collapsed, and at most maxRunes runes kept (0: no
// limit).
func CleanQuestion(s string, maxRunes int) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	s = stripMarkup(s)
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
		if maxRunes > 0 && n >= maxRunes {
			break
		}
		if space {
			if maxRunes > 0 && n+1 >= maxRunes {
				break
			}
			b.WriteByte(' ')
			space = false
			n++
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

var (
	// Discord mentions and custom emoji: <@123>, <@!123>, <@&123>, <#123>, <:name:123>
	chatMentionRE = regexp.MustCompile(`<(?:[@#][!&]?\d+|a?:\w+:\d+)>`)
	// HTML-like tags: <b>, </i>, <a href="…">
	tagRE = regexp.MustCompile(`</?[A-Za-z][^<>]{0,200}>`)
	// @mentions: @everyone, @here, @some_bot
	atMentionRE = regexp.MustCompile(`(^|[^\p{L}\p{N}_])@[\p{L}\p{N}_]+`)
)

// stripMarkup removes what chat text carries besides words: HTML entities
// are decoded, and tags, @mentions and Discord mentions are dropped, so
// "<b>متى</b> @everyone" asks the same as "متى". Mentions name people in the
// chat, not things in the articles.
func stripMarkup(s string) string {
	if !strings.ContainsAny(s, "<>&@") {
		return s
	}
	s = html.UnescapeString(s)
	s = chatMentionRE.ReplaceAllString(s, " ")
	s = tagRE.ReplaceAllString(s, " ")
	s = atMentionRE.ReplaceAllString(s, "$1 ")
	return s
}
