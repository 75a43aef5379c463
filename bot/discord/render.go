package discord

import (
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/qabot/qabot/bot"
)

// Discord's documented message limits, counted in characters (UTF-16 code
// units here, which is never less than Discord's count).
const (
	maxContent     = 2000
	maxTitle       = 256
	maxDescription = 4096
	maxFieldName   = 256
	maxFieldValue  = 1024
	maxFooter      = 2048
	maxEmbeds      = 10
	maxEmbedTotal  = 6000
	maxCustomID    = 100
	maxLabel       = 80
	maxButtons     = 25
	buttonsPerRow  = 5
	embedColor     = 0x2B6CB0
)

// outMessage is one Discord message rendered from (part of) a bot.Reply.
type outMessage struct {
	Content    string
	Embeds     []*discordgo.MessageEmbed
	Components []discordgo.MessageComponent
	Ephemeral  bool
}

// allowNoMentions is set on every message the adapter sends: nothing in a
// reply (a quoted "@everyone", a role or user mention) may ping anyone.
func allowNoMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// renderReply turns one Reply into one or more Discord messages within the
// platform's limits: plain text as content (markdown escaped), each quote as
// an embed, split across messages at paragraph, sentence or word boundaries
// when needed. Buttons go on the last message.
func renderReply(r bot.Reply) []outMessage {
	var msgs []outMessage
	if strings.TrimSpace(r.Text) != "" {
		for _, chunk := range splitText(r.Text, maxContent, contentSize) {
			msgs = append(msgs, outMessage{Content: escapeContent(chunk)})
		}
	}
	var embeds []*discordgo.MessageEmbed
	for _, q := range r.Quotes {
		embeds = append(embeds, quoteEmbeds(q, r.Lang)...)
	}
	if len(embeds) > 0 {
		if len(msgs) == 0 {
			msgs = append(msgs, outMessage{})
		}
		cur := &msgs[len(msgs)-1]
		total := 0
		for _, e := range embeds {
			n := embedSize(e)
			if len(cur.Embeds) >= maxEmbeds || (len(cur.Embeds) > 0 && total+n > maxEmbedTotal) {
				msgs = append(msgs, outMessage{})
				cur = &msgs[len(msgs)-1]
				total = 0
			}
			cur.Embeds = append(cur.Embeds, e)
			total += n
		}
	}
	if rows := buttonRows(r.Buttons); len(rows) > 0 {
		if len(msgs) == 0 {
			msgs = append(msgs, outMessage{})
		}
		msgs[len(msgs)-1].Components = rows
	}
	for i := range msgs {
		msgs[i].Ephemeral = r.Ephemeral
	}
	return msgs
}

// quoteEmbeds renders one quote: the quoted text (escaped, so it shows
// exactly as written) as the description, the article title linking to
// the article, the English translation as a field (or in the description
// when too long for one), and the citation as the footer. A quote longer
// than one description continues in further embeds.
func quoteEmbeds(q bot.Quote, lang string) []*discordgo.MessageEmbed {
	parts := splitText(q.Text, maxDescription, escapedSize)
	var field *discordgo.MessageEmbedField
	if tr := strings.TrimSpace(q.Translation); tr != "" {
		esc := escapeMarkdown(tr)
		if utf16Len(esc) <= maxFieldValue {
			field = &discordgo.MessageEmbedField{Name: label(lang, "translation"), Value: esc}
		} else {
			parts = append(parts, splitText(tr, maxDescription, escapedSize)...)
		}
	}
	if len(parts) == 0 {
		parts = []string{""}
	}
	embeds := make([]*discordgo.MessageEmbed, len(parts))
	for i, p := range parts {
		embeds[i] = &discordgo.MessageEmbed{Description: escapeMarkdown(p), Color: embedColor}
	}
	first, last := embeds[0], embeds[len(embeds)-1]
	title := q.Title
	if strings.TrimSpace(title) == "" {
		title = q.Doc
	}
	first.Title = truncate(escapeMarkdown(oneLine(title)), maxTitle)
	if u := safeURL(q.URL); u != "" {
		first.URL = u
	}
	if name, list := bot.UnmatchedParts(lang, q.Unmatched); list != "" {
		last.Fields = append(last.Fields, &discordgo.MessageEmbedField{Name: name, Value: truncate(escapeMarkdown(list), maxFieldValue)})
	}
	if field != nil {
		last.Fields = append(last.Fields, field)
	}
	if c := citation(q, lang); c != "" {
		last.Footer = &discordgo.MessageEmbedFooter{Text: truncate(c, maxFooter)}
	}
	return embeds
}

// citation is the footer line: source, section and paragraph.
func citation(q bot.Quote, lang string) string {
	var parts []string
	if s := strings.TrimSpace(oneLine(q.Source)); s != "" {
		parts = append(parts, s)
	}
	if s := strings.TrimSpace(oneLine(q.Section)); s != "" {
		parts = append(parts, s)
	}
	if q.Paragraph > 0 {
		parts = append(parts, label(lang, "paragraph")+" "+strconv.Itoa(q.Paragraph))
	}
	return strings.Join(parts, " · ")
}

// label returns a short UI word in the reply's language.
func label(lang, key string) string {
	ar := strings.HasPrefix(lang, "ar")
	switch key {
	case "paragraph":
		if ar {
			return "الفقرة"
		}
		return "paragraph"
	case "translation":
		if ar {
			return "الترجمة الإنجليزية"
		}
		return "English translation"
	}
	return key
}

// buttonRows lays buttons out in action rows of five. Buttons whose data is
// empty or longer than Discord's custom_id limit are left out.
func buttonRows(bs []bot.Button) []discordgo.MessageComponent {
	var rows []discordgo.MessageComponent
	var row discordgo.ActionsRow
	n := 0
	for _, b := range bs {
		if b.Data == "" || len(b.Data) > maxCustomID || n >= maxButtons {
			continue
		}
		lbl := truncate(oneLine(b.Label), maxLabel)
		if strings.TrimSpace(lbl) == "" {
			lbl = "…"
		}
		row.Components = append(row.Components, discordgo.Button{
			Label:    lbl,
			Style:    discordgo.SecondaryButton,
			CustomID: b.Data,
		})
		n++
		if len(row.Components) == buttonsPerRow {
			rows = append(rows, row)
			row = discordgo.ActionsRow{}
		}
	}
	if len(row.Components) > 0 {
		rows = append(rows, row)
	}
	return rows
}

// embedSize counts what Discord counts towards the 6000-character total.
func embedSize(e *discordgo.MessageEmbed) int {
	n := utf16Len(e.Title) + utf16Len(e.Description)
	for _, f := range e.Fields {
		n += utf16Len(f.Name) + utf16Len(f.Value)
	}
	if e.Footer != nil {
		n += utf16Len(e.Footer.Text)
	}
	if e.Author != nil {
		n += utf16Len(e.Author.Name)
	}
	return n
}

// safeURL returns u when it is an absolute http(s) URL, else "".
func safeURL(u string) string {
	u = strings.TrimSpace(u)
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || len(u) > 2048 {
		return ""
	}
	return p.String()
}

// escapeMarkdown makes Discord markdown show s as written: every markdown
// character is backslash-escaped (Discord drops a backslash before any ASCII
// punctuation), and list or heading markers at the start of a line too.
func escapeMarkdown(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	lineStart := true
	for i, r := range s {
		switch r {
		case '\\', '*', '_', '~', '`', '|', '<', '>', '[', ']', '#':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '-', '+':
			if lineStart {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		case '.':
			if endsLineNumber(s[:i]) {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
		if r == '\n' {
			lineStart = true
		} else if !(lineStart && (r == ' ' || r == '\t')) {
			lineStart = false
		}
	}
	return b.String()
}

// endsLineNumber reports whether prefix ends with a line made only of
// spaces and digits ("12" in "12. item"), which would make an ordered list.
func endsLineNumber(prefix string) bool {
	line := prefix[strings.LastIndexByte(prefix, '\n')+1:]
	t := strings.TrimLeft(line, " \t")
	if t == "" {
		return false
	}
	for i := 0; i < len(t); i++ {
		if t[i] < '0' || t[i] > '9' {
			return false
		}
	}
	return true
}

// escapeContent escapes plain text for a message's content: markdown, and
// @everyone / @here broken with a zero-width space (allowed_mentions already
// stops the ping; this keeps the text from looking like one).
func escapeContent(s string) string {
	s = escapeMarkdown(s)
	s = strings.ReplaceAll(s, "@everyone", "@\u200beveryone")
	s = strings.ReplaceAll(s, "@here", "@\u200bhere")
	return s
}

func contentSize(s string) int { return utf16Len(escapeContent(s)) }
func escapedSize(s string) int { return utf16Len(escapeMarkdown(s)) }

// utf16Len counts UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += runeLen16(r)
	}
	return n
}

func runeLen16(r rune) int {
	if l := utf16.RuneLen(r); l > 0 {
		return l
	}
	return 1
}

// truncate shortens s to at most max UTF-16 units, ending with "…" when cut.
func truncate(s string, max int) string {
	if utf16Len(s) <= max {
		return s
	}
	n := 0
	for i, r := range s {
		if n+runeLen16(r) > max-1 {
			// do not leave a dangling escape backslash
			return strings.TrimSuffix(s[:i], "\\") + "…"
		}
		n += runeLen16(r)
	}
	return s
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// splitText cuts s into pieces whose size (as measured by size) is at most
// max, preferring paragraph breaks, then line breaks, then sentence ends,
// then spaces; a single overlong word is cut between characters.
func splitText(s string, max int, size func(string) int) []string {
	s = strings.TrimSpace(s)
	var out []string
	for s != "" && size(s) > max {
		limit := fitPrefix(s, max, size)
		cut := bestCut(s[:limit])
		piece := strings.TrimSpace(s[:cut])
		if piece == "" { // nothing fits before a boundary: hard cut
			cut, piece = limit, s[:limit]
		}
		out = append(out, piece)
		s = strings.TrimSpace(s[cut:])
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}

// fitPrefix returns the largest rune boundary p with size(s[:p]) <= max
// (at least one rune, so splitting always progresses).
func fitPrefix(s string, max int, size func(string) int) int {
	lo, hi := 0, len(s) // size(s[:lo]) <= max < size(s[:hi])
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		for mid > lo && !utf8.RuneStart(s[mid]) {
			mid--
		}
		if mid == lo {
			// no rune boundary strictly between lo and hi other than lo
			break
		}
		if size(s[:mid]) <= max {
			lo = mid
		} else {
			hi = mid
		}
	}
	if lo == 0 {
		_, w := utf8.DecodeRuneInString(s)
		return w
	}
	return lo
}

// bestCut picks where to end a piece within prefix: after the last
// paragraph break, line break, sentence end or space in its later part.
func bestCut(prefix string) int {
	minPos := len(prefix) / 3
	if i := strings.LastIndex(prefix, "\n\n"); i > minPos {
		return i + 2
	}
	if i := strings.LastIndexByte(prefix, '\n'); i > minPos {
		return i + 1
	}
	if i := lastSentenceEnd(prefix); i > minPos {
		return i
	}
	if i := strings.LastIndexFunc(prefix, unicode.IsSpace); i > minPos {
		return i + 1
	}
	return len(prefix)
}

// lastSentenceEnd returns the index just after the last sentence-ending
// punctuation that is followed by a space, or -1.
func lastSentenceEnd(s string) int {
	best := -1
	for i, r := range s {
		switch r {
		case '.', '!', '?', '؟', '…', '۔', '。':
			j := i + utf8.RuneLen(r)
			if j < len(s) {
				if nr, _ := utf8.DecodeRuneInString(s[j:]); unicode.IsSpace(nr) {
					best = j
				}
			}
		}
	}
	return best
}
