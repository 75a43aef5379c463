package index

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// quoteMinRunes is how much quoted text, in runes, must stand on each side of
// a terminator inside «…» (or “…”, "…", (…), […]) for it to end a sentence.
// Shorter quoted sentences stay whole inside the sentence that quotes them.
const quoteMinRunes = 40

// SplitSentences returns the byte spans [start, end) of the sentences of one
// paragraph, in order, non-overlapping, each trimmed of surrounding
// whitespace (including zero-width and bidi marks) and never empty, so that
// text[start:end] is the sentence exactly as written. Text without any
// letter or digit is never a sentence of its own: it joins the sentence
// before it (or after it, at the start). Blank text gives no spans.
//
// Rules, in short:
//   - "." "?" "!" "؟" "؛" "…" and runs of them ("?!", "...") end a sentence
//     when followed by whitespace or the end of the text; closing quotes and
//     brackets right after the terminator (» ” " ’ ) ] }) stay with it.
//     A terminator followed directly by a non-space never ends a sentence, so
//     numbers (3.5, 2.000), versions (v2.6.3), URLs, e-mails and dates stay
//     whole. "٫" (Arabic decimal), "،" and ":" never end a sentence.
//   - ".." (exactly two dots) is a pause, as Arabic news writing uses it
//     ("المُتطورة.. وأنه سيتم"): it does not end a sentence unless it ends a line.
//     An ellipsis ("...", "…") after a space is an elision mark and does not
//     end a sentence either; after a word it does, unless lowercase Latin
//     text or a digit follows.
//   - A single "." does not end a sentence after titles and Latin
//     abbreviations (Dr., Mr., e.g., i.e., vs.), Arabic one-letter and dotted
//     abbreviations (د. أ.د.) unless a number precedes them (2018 م.), "No."
//     "p." and month names before a digit, a number of one or two digits at
//     the start of a line or after a colon ("1. ", ": 2. "), or when
//     lowercase Latin text follows. After initials and
//     other ambiguous abbreviations (J. U.S. Inc. etc.) it ends a sentence
//     only before a common sentence opener (The, He, …), non-Latin text, or
//     a line break.
//   - Inside a matched «…» (and “…”, (…), […], "…") a terminator ends a
//     sentence only when at least quoteMinRunes (40) runes of quoted text
//     stand before it (since the quote opened or the last split) and after it
//     (up to the closing mark); short quoted sentences stay whole. An
//     unmatched opening quote is ignored. A terminator followed by ")" or "]"
//     ends the sentence only if the bracket opened at the sentence's start:
//     "(He declined.) The talks …" splits, "الخبر (انظر الصورة.) منشور" does not.
//   - A line break ends a sentence only when the line before it ends with
//     terminal punctuation (then quote, lowercase and ".." rules give way)
//     or the next line is a list item ("- ", "* ", "• ", "· ", "1. ", "1) ",
//     "١. "); otherwise it is plain whitespace.
func SplitSentences(text string) [][2]int {
	s := splitter{text: text, regions: quoteRegions(text), parenOpen: map[int]int{}}
	for _, q := range s.regions {
		if c := text[q.close]; c == ')' || c == ']' {
			s.parenOpen[q.close] = q.open
		}
	}
	return s.split()
}

type splitter struct {
	text    string
	regions []quoteRegion // sorted by open
	// parenOpen maps the offset of each matched ")" or "]" to its opener.
	parenOpen map[int]int
	next      int   // regions[:next] have been opened by the scan
	open      []int // indexes of opened regions, innermost last
	cuts      []int
	lastCut   int
}

type quoteRegion struct {
	open    int // byte offset of the opening mark
	openEnd int // byte offset just after it
	close   int // byte offset of the closing mark
}

func (s *splitter) split() [][2]int {
	t := s.text
	for i := 0; i < len(t); {
		r, w := utf8.DecodeRuneInString(t[i:])
		switch {
		case isTerminator(r):
			j := skipRunes(t, i, isTerminator)
			k := skipRunes(t, j, isCloseMark)
			m := skipRunes(t, k, isBlankRune)
			if k < m && m < len(t) && s.ends(i, j, k, m, strings.Contains(t[k:m], "\n")) {
				s.cuts = append(s.cuts, k)
				s.lastCut = k
			}
			i = j
		case r == '\n':
			if isListLine(lineAt(t, i+1)) {
				s.cuts = append(s.cuts, i)
				s.lastCut = i
			}
			i += w
		default:
			i += w
		}
	}
	return s.spans()
}

// ends decides whether the terminator run t[i:j], followed by closers up to
// k and whitespace up to m (m < len(text)), ends a sentence.
func (s *splitter) ends(i, j, k, m int, newline bool) bool {
	t := s.text
	run := t[i:j]
	strong := strings.ContainsAny(run, "?!؟؛‼⁇⁈⁉")
	dots := strings.Count(run, ".")
	ellipsis := strings.ContainsRune(run, '…') || dots >= 3
	next := t[m:]
	nr, _ := utf8.DecodeRuneInString(skipOpeners(next))

	if !strong && !ellipsis && dots == 1 {
		tok := tokenBefore(t, i)
		switch abbrevKind(t, i, tok) {
		case abbrNever:
			return false
		case abbrBeforeDigit:
			if unicode.IsDigit(nr) {
				return false
			}
		case abbrAmbiguous:
			return newline || isStarter(firstWordOf(next)) || (unicode.IsLetter(nr) && !isLatinLetter(nr))
		}
	}
	if newline {
		return true
	}
	if !strong {
		if dots == 2 && !ellipsis {
			return false // ".." is a pause
		}
		if ellipsis {
			if i == 0 {
				return false
			}
			if pr, _ := utf8.DecodeLastRuneInString(t[:i]); isBlankRune(pr) {
				return false // elision mark " ... "
			}
			if unicode.IsDigit(nr) {
				return false
			}
		}
		if unicode.IsLower(nr) {
			return false
		}
	}
	// A terminator closing a parenthesis or bracket ends the sentence only
	// when the parenthesis began it: "(He declined.) The talks" but not
	// "الخبر (انظر الصورة.) منشور".
	for c := j; c < k; c++ {
		if t[c] != ')' && t[c] != ']' {
			continue
		}
		if o, ok := s.parenOpen[c]; ok {
			if a, b := trimSpan(t, s.lastCut, o); a < b {
				return false
			}
		}
	}
	// Inside a quotation that is still open after the closers?
	if in := s.innermost(i, k); in != nil {
		start := max(in.openEnd, s.lastCut)
		if start > i || !atLeastRunes(t[start:i], quoteMinRunes) ||
			!atLeastRunes(t[m:in.close], quoteMinRunes) {
			return false
		}
	}
	return true
}

// innermost returns the quote region opened before i and not closed before
// k, opened last; nil if none. Calls must come with non-decreasing i and k.
func (s *splitter) innermost(i, k int) *quoteRegion {
	for s.next < len(s.regions) && s.regions[s.next].open < i {
		s.open = append(s.open, s.next)
		s.next++
	}
	for len(s.open) > 0 {
		q := &s.regions[s.open[len(s.open)-1]]
		if q.close >= k {
			return q
		}
		s.open = s.open[:len(s.open)-1]
	}
	return nil
}

// atLeastRunes reports whether s has at least n runes.
func atLeastRunes(s string, n int) bool {
	for range s {
		n--
		if n <= 0 {
			return true
		}
	}
	return n <= 0
}

// spans turns the cut points into trimmed, non-empty spans, joining spans
// without letters or digits to a neighbour.
func (s *splitter) spans() [][2]int {
	var out [][2]int
	pending := [2]int{-1, -1}
	prev := 0
	bounds := append(s.cuts, len(s.text))
	for _, c := range bounds {
		if c < prev {
			continue
		}
		a, b := trimSpan(s.text, prev, c)
		prev = c
		if a >= b {
			continue
		}
		if !hasAlnum(s.text[a:b]) {
			if len(out) > 0 {
				out[len(out)-1][1] = b
			} else {
				if pending[0] < 0 {
					pending[0] = a
				}
				pending[1] = b
			}
			continue
		}
		if pending[0] >= 0 {
			a = pending[0]
			pending = [2]int{-1, -1}
		}
		out = append(out, [2]int{a, b})
	}
	if pending[0] >= 0 {
		out = append(out, pending)
	}
	return out
}

// quoteRegions finds matched pairs of quotation marks and brackets, sorted
// by the position of the opening mark. ASCII '"' opens after a space or an
// opening mark when a non-space follows, and closes otherwise.
func quoteRegions(t string) []quoteRegion {
	var stacks [6][]int // one per pair kind
	var out []quoteRegion
	closeKind := func(kind, i int) {
		if n := len(stacks[kind]); n > 0 {
			o := stacks[kind][n-1]
			stacks[kind] = stacks[kind][:n-1]
			_, ow := utf8.DecodeRuneInString(t[o:])
			out = append(out, quoteRegion{open: o, openEnd: o + ow, close: i})
		}
	}
	prev := ' '
	for i := 0; i < len(t); {
		r, w := utf8.DecodeRuneInString(t[i:])
		switch r {
		case '«':
			stacks[0] = append(stacks[0], i)
		case '“':
			stacks[1] = append(stacks[1], i)
		case '(':
			stacks[2] = append(stacks[2], i)
		case '[':
			stacks[3] = append(stacks[3], i)
		case '{':
			stacks[4] = append(stacks[4], i)
		case '»':
			closeKind(0, i)
		case '”':
			closeKind(1, i)
		case ')':
			closeKind(2, i)
		case ']':
			closeKind(3, i)
		case '}':
			closeKind(4, i)
		case '"':
			nr, _ := utf8.DecodeRuneInString(t[i+w:])
			if (isBlankRune(prev) || (prev != '"' && isOpenMark(prev))) && i+w < len(t) && !isBlankRune(nr) {
				stacks[5] = append(stacks[5], i)
			} else {
				closeKind(5, i)
			}
		}
		prev = r
		i += w
	}
	sort.Slice(out, func(a, b int) bool { return out[a].open < out[b].open })
	return out
}

func isTerminator(r rune) bool {
	switch r {
	case '.', '?', '!', '؟', '؛', '…', '‼', '⁇', '⁈', '⁉':
		return true
	}
	return false
}

func isCloseMark(r rune) bool {
	switch r {
	case '»', '”', '"', '’', '\'', ')', ']', '}', '›':
		return true
	}
	return false
}

func isOpenMark(r rune) bool {
	switch r {
	case '«', '“', '"', '‘', '\'', '(', '[', '{', '‹':
		return true
	}
	return false
}

// isBlankRune reports whitespace, including zero-width and bidi format marks.
func isBlankRune(r rune) bool {
	if unicode.IsSpace(r) {
		return true
	}
	switch {
	case r >= 0x200B && r <= 0x200F, r >= 0x202A && r <= 0x202E,
		r >= 0x2060 && r <= 0x2064, r >= 0x2066 && r <= 0x2069,
		r == 0xFEFF, r == 0x061C:
		return true
	}
	return false
}

func trimSpan(t string, a, b int) (int, int) {
	for a < b {
		r, w := utf8.DecodeRuneInString(t[a:b])
		if !isBlankRune(r) {
			break
		}
		a += w
	}
	for b > a {
		r, w := utf8.DecodeLastRuneInString(t[a:b])
		if !isBlankRune(r) {
			break
		}
		b -= w
	}
	return a, b
}

// trimText trims whitespace as isBlankRune defines it.
func trimText(s string) string {
	a, b := trimSpan(s, 0, len(s))
	return s[a:b]
}

func hasAlnum(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			return true
		}
	}
	return false
}

func isLatinLetter(r rune) bool { return r < 0x250 && unicode.IsLetter(r) }

func isArabicLetter(r rune) bool {
	return unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r)
}

// skipRunes returns the offset of the first rune of t, from i on, for which
// in is false, or len(t).
func skipRunes(t string, i int, in func(rune) bool) int {
	for i < len(t) {
		r, w := utf8.DecodeRuneInString(t[i:])
		if !in(r) {
			break
		}
		i += w
	}
	return i
}

func skipOpeners(s string) string { return s[skipRunes(s, 0, isOpenMark):] }

func firstWordOf(s string) string {
	s = skipOpeners(s)
	return s[:skipRunes(s, 0, unicode.IsLetter)]
}

// tokenBefore returns the non-space run that ends at i, without leading
// opening quotes and brackets.
func tokenBefore(t string, i int) string {
	a := i
	for a > 0 {
		r, w := utf8.DecodeLastRuneInString(t[:a])
		if isBlankRune(r) {
			break
		}
		a -= w
	}
	return skipOpeners(t[a:i])
}

// lineAt returns the line starting at byte i (without its newline).
func lineAt(t string, i int) string {
	if i >= len(t) {
		return ""
	}
	if n := strings.IndexByte(t[i:], '\n'); n >= 0 {
		return t[i : i+n]
	}
	return t[i:]
}

// listMarker returns the length in bytes of a list marker at the start of
// line (after leading whitespace), including the whitespace after it, or 0.
// Markers: "-", "*", "•", "·" followed by a space, or one to three digits
// (ASCII or Arabic-Indic) followed by "." or ")" and a space.
func listMarker(line string) int {
	a, _ := trimSpan(line, 0, len(line))
	rest := line[a:]
	r, w := utf8.DecodeRuneInString(rest)
	n := 0
	switch {
	case r == '-' || r == '*' || r == '•' || r == '·':
		n = w
	case isDigitRune(r):
		digits := 0
		for n < len(rest) && digits <= 3 {
			r2, w2 := utf8.DecodeRuneInString(rest[n:])
			if !isDigitRune(r2) {
				break
			}
			n += w2
			digits++
		}
		if digits > 3 || n >= len(rest) || (rest[n] != '.' && rest[n] != ')') {
			return 0
		}
		n++
	default:
		return 0
	}
	m := n
	for m < len(rest) {
		r2, w2 := utf8.DecodeRuneInString(rest[m:])
		if !isBlankRune(r2) || r2 == '\n' {
			break
		}
		m += w2
	}
	if m == n || m == len(rest) {
		return 0 // no space after the marker, or nothing after it
	}
	return a + m
}

func isListLine(line string) bool { return listMarker(line) > 0 }

// isDigitRune reports ASCII, Arabic-Indic and Extended Arabic-Indic digits.
func isDigitRune(r rune) bool {
	return (r >= '0' && r <= '9') || (r >= '٠' && r <= '٩') || (r >= '۰' && r <= '۹')
}

func isNumeral(s string) bool {
	if s == "" {
		return false
	}
	digits := 0
	for _, r := range s {
		switch {
		case isDigitRune(r):
			digits++
		case r == '.' || r == ',' || r == '٫' || r == '٬':
		default:
			return false
		}
	}
	return digits > 0
}

type abbrKind int

const (
	abbrNone        abbrKind = iota
	abbrNever                // never ends a sentence
	abbrBeforeDigit          // does not end a sentence before a digit
	abbrAmbiguous            // ends a sentence only before a clear opener
)

var (
	abbrNeverWords = wordSet("mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt",
		"cmdr", "adm", "gov", "sen", "rep", "rev", "hon", "pres", "mt", "messrs", "mme", "mlle",
		"eg", "ie", "cf", "viz", "vs", "approx", "incl", "esp", "ca", "dept")
	abbrDigitWords = wordSet("no", "nos", "nr", "fig", "figs", "vol", "vols", "p", "pp", "art",
		"sec", "ch", "chap", "op", "ed", "eds", "jan", "feb", "mar", "apr", "jun", "jul",
		"aug", "sep", "sept", "oct", "nov", "dec")
	abbrAmbiguousWords = wordSet("inc", "ltd", "co", "corp", "jr", "sr", "st", "ave", "blvd", "rd",
		"etc", "al", "plc", "llc", "bros")
	sentenceStarters = wordSet("the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "but", "and",
		"in", "on", "at", "this", "that", "these", "those", "there", "his", "her", "its",
		"their", "our", "my", "after", "before", "when", "while", "if", "as", "however",
		"meanwhile", "also", "so", "yet", "for", "to", "what", "who", "why", "how", "where")
)

func wordSet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

func isStarter(w string) bool {
	if w == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r) && sentenceStarters[strings.ToLower(w)]
}

// abbrevKind classifies the token tok that ends with a single "." at t[i].
func abbrevKind(t string, i int, tok string) abbrKind {
	if tok == "" {
		return abbrNone
	}
	tokStart := i - len(tok)
	// A list number at the start of a line, or after a colon: "1. ", ": 2. ".
	if isNumeral(tok) && utf8.RuneCountInString(tok) <= 2 {
		before := strings.TrimRightFunc(t[:tokStart], func(r rune) bool { return isBlankRune(r) && r != '\n' })
		if before == "" || strings.HasSuffix(before, "\n") || strings.HasSuffix(before, ":") {
			return abbrNever
		}
		return abbrNone
	}
	if !strings.Contains(tok, ".") {
		// Fast path: a plain word longer than any listed abbreviation, or
		// an Arabic word of more than two letters.
		n := utf8.RuneCountInString(tok)
		if r, _ := utf8.DecodeRuneInString(tok); n > 7 || (n > 2 && isArabicLetter(r)) {
			return abbrNone
		}
	}
	parts := strings.Split(tok, ".")
	arabic, latin, short := false, false, true
	for _, p := range parts {
		n := 0
		for _, r := range p {
			switch {
			case r == 'ـ': // tatweel, as in هـ
			case isArabicLetter(r):
				arabic = true
				n++
			case isLatinLetter(r):
				latin = true
				n++
			default:
				return abbrNone
			}
		}
		if n == 0 || n > 2 {
			short = false
		}
	}
	if arabic && latin {
		return abbrNone
	}
	if arabic {
		// One-letter (د.) or dotted (أ.د.) Arabic abbreviations; after a
		// number they are era marks (2018 م.) and may end a sentence.
		if !short || (len(parts) == 1 && utf8.RuneCountInString(strings.ReplaceAll(tok, "ـ", "")) > 1) {
			return abbrNone
		}
		if isNumeral(tokenBefore(t, trimLeftEnd(t, tokStart))) {
			return abbrNone
		}
		return abbrNever
	}
	word := strings.ToLower(strings.ReplaceAll(tok, ".", ""))
	switch {
	case abbrNeverWords[word]:
		return abbrNever
	case abbrDigitWords[word]:
		return abbrBeforeDigit
	case abbrAmbiguousWords[word]:
		return abbrAmbiguous
	case len(parts) > 1 && short:
		return abbrAmbiguous // U.S., a.m., Ph.D.
	case len(parts) == 1 && utf8.RuneCountInString(tok) == 1:
		return abbrAmbiguous // an initial: J. R. R. Tolkien
	}
	return abbrNone
}

// trimLeftEnd moves i back over whitespace.
func trimLeftEnd(t string, i int) int {
	for i > 0 {
		r, w := utf8.DecodeLastRuneInString(t[:i])
		if !isBlankRune(r) {
			break
		}
		i -= w
	}
	return i
}
