package telegram

import (
	"html"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/qabot/qabot/bot"
)

// maxMessageLen is Telegram's limit for a message's text. Telegram counts
// the text after entity parsing (tags removed, entities decoded); the
// renderer is conservative and keeps the HTML source itself within it, in
// UTF-16 code units (which is never less than the rune count).
const maxMessageLen = 4096

// maxCallbackData is Telegram's limit for callback_data, in bytes.
const maxCallbackData = 64

// rendered is one Reply in Telegram's form: one or more HTML texts, each
// within maxMessageLen and valid on its own, and the keyboard that goes
// under the last one.
type rendered struct {
	parts    []string
	keyboard *tgbotapi.InlineKeyboardMarkup
	dropped  []string // button data dropped for being too long or empty
}

// block is a piece of balanced HTML that may share a message with its
// neighbours; sep goes between it and the block before it.
type block struct {
	html string
	sep  string
}

// renderReply turns r into Telegram HTML. Every piece of text from the user
// or from an article goes through html.EscapeString; only the renderer's own
// tags are left unescaped.
func renderReply(r bot.Reply, limit int) rendered {
	var blocks []block
	if t := strings.TrimSpace(clean(r.Text)); t != "" {
		for i, p := range splitText(t, limit, "", "") {
			blocks = append(blocks, block{html: esc(p), sep: sepFor(i)})
		}
	}
	for _, q := range r.Quotes {
		blocks = append(blocks, quoteBlocks(q, r.Lang, limit)...)
	}
	var out rendered
	out.parts = pack(blocks, limit)
	out.keyboard, out.dropped = keyboard(r.Buttons)
	return out
}

func sepFor(i int) string {
	if i == 0 {
		return "\n\n"
	}
	return "\n"
}

// quoteBlocks renders one quote: the quoted text in a blockquote, the
// citation under it and the translation in italics. When the whole does
// not fit in one message, the quote and the translation are split at
// sentence (or, failing that, word) boundaries, each piece in its own
// balanced tags.
func quoteBlocks(q bot.Quote, lang string, limit int) []block {
	text := strings.TrimSpace(clean(q.Text))
	tr := strings.TrimSpace(clean(q.Translation))
	cite := citation(q, lang)

	var whole strings.Builder
	if text != "" {
		whole.WriteString("<blockquote>" + esc(text) + "</blockquote>")
	}
	if cite != "" {
		if whole.Len() > 0 {
			whole.WriteString("\n")
		}
		whole.WriteString(cite)
	}
	note := bot.UnmatchedNote(lang, q.Unmatched)
	if note != "" {
		if whole.Len() > 0 {
			whole.WriteString("\n")
		}
		whole.WriteString("<i>" + esc(note) + "</i>")
	}
	if tr != "" {
		if whole.Len() > 0 {
			whole.WriteString("\n")
		}
		whole.WriteString("<i>" + esc(tr) + "</i>")
	}
	if whole.Len() == 0 {
		return nil
	}
	if u16len(whole.String()) <= limit {
		return []block{{html: whole.String(), sep: "\n\n"}}
	}
	var bs []block
	add := func(h string) { bs = append(bs, block{html: h, sep: sepFor(len(bs))}) }
	for _, p := range splitText(text, limit, "<blockquote>", "</blockquote>") {
		add("<blockquote>" + esc(p) + "</blockquote>")
	}
	if cite != "" {
		add(cite)
	}
	if note != "" {
		add("<i>" + esc(note) + "</i>")
	}
	for _, p := range splitText(tr, limit, "<i>", "</i>") {
		add("<i>" + esc(p) + "</i>")
	}
	return bs
}

// citation renders "<b>title</b> — source — paragraph N — <a href=…>link</a>",
// leaving out the parts that are missing. Titles and sources are cut to a
// sane length so that a citation always fits in a message.
func citation(q bot.Quote, lang string) string {
	var parts []string
	title := q.Title
	if strings.TrimSpace(title) == "" {
		title = q.Doc
	}
	if t := strings.TrimSpace(clean(title)); t != "" {
		parts = append(parts, "<b>"+esc(truncate(t, 300))+"</b>")
	}
	if s := strings.TrimSpace(clean(q.Source)); s != "" {
		parts = append(parts, esc(truncate(s, 200)))
	}
	ar := strings.HasPrefix(strings.ToLower(lang), "ar")
	if q.Paragraph > 0 {
		if ar {
			parts = append(parts, "الفقرة "+strconv.Itoa(q.Paragraph))
		} else {
			parts = append(parts, "paragraph "+strconv.Itoa(q.Paragraph))
		}
	}
	if u, ok := safeURL(q.URL); ok {
		label := "link"
		if ar {
			label = "الرابط"
		}
		parts = append(parts, `<a href="`+esc(u)+`">`+label+`</a>`)
	}
	return strings.Join(parts, " — ")
}

// safeURL accepts only absolute http and https URLs of a sane length.
func safeURL(raw string) (string, bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > 2048 || !utf8.ValidString(raw) {
		return "", false
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.String(), true
	}
	return "", false
}

// pack joins blocks into as few messages as fit within limit.
func pack(blocks []block, limit int) []string {
	var parts []string
	var cur strings.Builder
	curLen := 0
	for _, b := range blocks {
		n := u16len(b.html)
		switch {
		case cur.Len() == 0:
		case curLen+u16len(b.sep)+n <= limit:
			cur.WriteString(b.sep)
			curLen += u16len(b.sep)
		default:
			parts = append(parts, cur.String())
			cur.Reset()
			curLen = 0
		}
		cur.WriteString(b.html)
		curLen += n
	}
	if cur.Len() > 0 {
		parts = append(parts, cur.String())
	}
	return parts
}

// keyboard builds the inline keyboard. Buttons whose data is empty or longer
// than Telegram's 64 bytes are dropped (their data is returned for logging).
// Short labels share a row, up to three to a row.
func keyboard(btns []bot.Button) (*tgbotapi.InlineKeyboardMarkup, []string) {
	var rows [][]tgbotapi.InlineKeyboardButton
	var dropped []string
	rowRunes := 0
	count := 0
	for _, b := range btns {
		label := strings.TrimSpace(clean(b.Label))
		if b.Data == "" || len(b.Data) > maxCallbackData || !utf8.ValidString(b.Data) || label == "" || count == 100 {
			dropped = append(dropped, b.Data)
			continue
		}
		count++
		data := b.Data
		btn := tgbotapi.InlineKeyboardButton{Text: truncate(label, 64), CallbackData: &data}
		n := utf8.RuneCountInString(btn.Text)
		if len(rows) == 0 || len(rows[len(rows)-1]) >= 3 || rowRunes+n > 30 {
			rows = append(rows, nil)
			rowRunes = 0
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], btn)
		rowRunes += n
	}
	if len(rows) == 0 {
		return nil, dropped
	}
	return &tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows}, dropped
}

// esc escapes text for Telegram's HTML parse mode: <, >, &, ' and ".
// Telegram accepts the numeric entities html.EscapeString uses for quotes.
func esc(s string) string { return html.EscapeString(s) }

// clean makes s valid UTF-8 and drops NUL bytes.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.ReplaceAll(s, "\x00", "")
}

// truncate cuts s to at most n runes, marking the cut with "…".
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// u16len is the length of s in UTF-16 code units, as Telegram counts.
func u16len(s string) int {
	n := 0
	for _, r := range s {
		n += runeU16(r)
	}
	return n
}

func runeU16(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

// escLen is u16len(esc(s)) without building the string.
func escLen(s string) int {
	n := 0
	for _, r := range s {
		n += escRuneLen(r)
	}
	return n
}

func escRuneLen(r rune) int {
	switch r {
	case '<', '>':
		return 4 // &lt; &gt;
	case '&', '\'', '"':
		return 5 // &amp; &#39; &#34;
	}
	return runeU16(r)
}

// splitText cuts raw (unescaped) text into pieces whose escaped form,
// wrapped in open…close, fits within limit. It cuts at paragraph breaks
// first, then line breaks, then sentence ends, then spaces, and only as a
// last resort between characters (never before a combining mark, so Arabic
// diacritics stay on their letter).
func splitText(raw string, limit int, open, close string) []string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil
	}
	budget := limit - u16len(open) - u16len(close)
	if budget < 16 {
		budget = 16
	}
	if escLen(raw) <= budget {
		return []string{raw}
	}
	return splitLevel(raw, budget, 0)
}

var splitters = []func(string) []string{
	func(s string) []string { return splitAfter(s, isParagraphBreak) },
	func(s string) []string { return splitAfter(s, isLineBreak) },
	func(s string) []string { return splitAfter(s, isSentenceEnd) },
	func(s string) []string { return splitAfter(s, isSpaceEnd) },
}

func splitLevel(s string, budget, level int) []string {
	if level >= len(splitters) {
		return splitRunes(s, budget)
	}
	segs := splitters[level](s)
	if len(segs) <= 1 {
		return splitLevel(s, budget, level+1)
	}
	var out []string
	var cur strings.Builder
	curLen := 0
	flush := func() {
		if t := strings.TrimSpace(cur.String()); t != "" {
			out = append(out, t)
		}
		cur.Reset()
		curLen = 0
	}
	for _, seg := range segs {
		n := escLen(seg)
		if curLen+n <= budget {
			cur.WriteString(seg)
			curLen += n
			continue
		}
		flush()
		if n <= budget || escLen(strings.TrimSpace(seg)) <= budget {
			cur.WriteString(seg)
			curLen = n
			continue
		}
		out = append(out, splitLevel(strings.TrimSpace(seg), budget, level+1)...)
	}
	flush()
	return out
}

// splitRunes is the last resort: fill each piece up to budget, cutting
// before a base character rather than before a combining mark.
func splitRunes(s string, budget int) []string {
	var out []string
	start, n := 0, 0
	safe, nSafe := -1, 0 // the last cut point after start, and n there
	for i, r := range s {
		w := escRuneLen(r)
		mark := unicode.Is(unicode.Mn, r)
		if i > start && !mark {
			safe, nSafe = i, n
		}
		if n+w > budget && i > start {
			cut := i
			if mark && safe > start {
				cut = safe
			}
			out = append(out, s[start:cut])
			if cut == i {
				n = 0
			} else {
				n -= nSafe
			}
			start, safe = cut, -1
		}
		n += w
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// splitAfter cuts s after every position where at(s, i) reports a boundary
// ending at byte i (exclusive); the pieces joined give s back.
func splitAfter(s string, at func(s string, i int) int) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); {
		if end := at(s, i); end > i {
			out = append(out, s[start:end])
			start, i = end, end
			continue
		}
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// Each boundary function looks at position i and, when a boundary starts
// there, returns the end of the separator (the next piece starts there).

func isParagraphBreak(s string, i int) int {
	if s[i] != '\n' {
		return 0
	}
	j := i + 1
	blank := false
	for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r' || s[j] == '\n') {
		if s[j] == '\n' {
			blank = true
		}
		j++
	}
	if !blank {
		return 0
	}
	return j
}

func isLineBreak(s string, i int) int {
	if s[i] != '\n' {
		return 0
	}
	return i + 1
}

func isSentenceEnd(s string, i int) int {
	r, w := utf8.DecodeRuneInString(s[i:])
	switch r {
	case '.', '!', '?', '؟', '…', '۔', '。':
	default:
		return 0
	}
	j := i + w
	// closing quotes and brackets stay with their sentence
	for j < len(s) {
		r2, w2 := utf8.DecodeRuneInString(s[j:])
		if r2 == '"' || r2 == '\'' || r2 == ')' || r2 == '»' || r2 == '”' || r2 == '’' {
			j += w2
			continue
		}
		break
	}
	k := j
	for k < len(s) {
		r2, w2 := utf8.DecodeRuneInString(s[k:])
		if !unicode.IsSpace(r2) {
			break
		}
		k += w2
	}
	if k == j {
		return 0 // "3.5", "e.g.x": not a sentence end
	}
	return k
}

func isSpaceEnd(s string, i int) int {
	r, _ := utf8.DecodeRuneInString(s[i:])
	if !unicode.IsSpace(r) {
		return 0
	}
	k := i
	for k < len(s) {
		r2, w2 := utf8.DecodeRuneInString(s[k:])
		if !unicode.IsSpace(r2) {
			break
		}
		k += w2
	}
	return k
}

// plainText turns rendered HTML back into plain text: the fallback when
// Telegram refuses to parse a message's entities.
func plainText(h string) string {
	var b strings.Builder
	in := false
	for _, r := range h {
		switch {
		case r == '<':
			in = true
		case r == '>' && in:
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return html.UnescapeString(b.String())
}
