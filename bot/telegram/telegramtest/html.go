package telegramtest

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// telegramTags are the tags Telegram's HTML parse mode knows.
var telegramTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
	"s": true, "strike": true, "del": true, "span": true, "tg-spoiler": true,
	"a": true, "code": true, "pre": true, "blockquote": true, "tg-emoji": true,
}

// ParseHTML checks text as Telegram's HTML parse mode would, strictly: only
// Telegram's tags, properly nested and closed; <a> with an href; every <,
// > and & that is not part of a tag or entity escaped; only the named
// entities &lt; &gt; &amp; &quot; (numeric ones are fine). It returns the
// text users see: tags removed, entities decoded.
func ParseHTML(text string) (string, error) {
	var out strings.Builder
	var stack []string
	for i := 0; i < len(text); {
		c := text[i]
		switch c {
		case '<':
			end := strings.IndexByte(text[i:], '>')
			if end < 0 {
				return "", fmt.Errorf("unclosed start tag at byte offset %d", i)
			}
			tag := text[i+1 : i+end]
			i += end + 1
			if name, ok := strings.CutPrefix(tag, "/"); ok {
				name = strings.ToLower(strings.TrimSpace(name))
				if len(stack) == 0 || stack[len(stack)-1] != name {
					return "", fmt.Errorf("can't find end tag corresponding to start tag %q", name)
				}
				stack = stack[:len(stack)-1]
				continue
			}
			name, attrs, _ := strings.Cut(tag, " ")
			name = strings.ToLower(name)
			if !telegramTags[name] {
				return "", fmt.Errorf("unsupported start tag %q", name)
			}
			if strings.HasSuffix(tag, "/") {
				return "", fmt.Errorf("self-closing tag %q", name)
			}
			if name == "blockquote" && contains(stack, "blockquote") {
				return "", fmt.Errorf("nested blockquote")
			}
			if name == "a" {
				href, ok := attr(attrs, "href")
				if !ok || href == "" {
					return "", fmt.Errorf("<a> without href")
				}
				if _, err := decodeEntities(href); err != nil {
					return "", fmt.Errorf("bad href: %v", err)
				}
			}
			stack = append(stack, name)
		case '>':
			return "", fmt.Errorf("unescaped '>' at byte offset %d", i)
		case '&':
			end := strings.IndexByte(text[i:], ';')
			if end < 0 || end > 12 {
				return "", fmt.Errorf("unescaped '&' at byte offset %d", i)
			}
			dec, err := decodeEntities(text[i : i+end+1])
			if err != nil {
				return "", err
			}
			out.WriteString(dec)
			i += end + 1
		default:
			_, w := utf8.DecodeRuneInString(text[i:])
			out.WriteString(text[i : i+w])
			i += w
		}
	}
	if len(stack) > 0 {
		return "", fmt.Errorf("can't find end tag corresponding to start tag %q", stack[len(stack)-1])
	}
	return out.String(), nil
}

func contains(stack []string, name string) bool {
	for _, s := range stack {
		if s == name {
			return true
		}
	}
	return false
}

// attr finds name="value" (or single-quoted) in a tag's attributes.
func attr(attrs, name string) (string, bool) {
	for attrs = strings.TrimSpace(attrs); attrs != ""; attrs = strings.TrimSpace(attrs) {
		k, rest, ok := strings.Cut(attrs, "=")
		if !ok {
			return "", false
		}
		rest = strings.TrimSpace(rest)
		if rest == "" || (rest[0] != '"' && rest[0] != '\'') {
			return "", false
		}
		q := rest[0]
		end := strings.IndexByte(rest[1:], q)
		if end < 0 {
			return "", false
		}
		v := rest[1 : 1+end]
		if strings.TrimSpace(k) == name {
			return v, true
		}
		attrs = rest[2+end:]
	}
	return "", false
}

// decodeEntities decodes the entities Telegram knows; any other & is an
// error.
func decodeEntities(s string) (string, error) {
	var out strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '&' {
			out.WriteByte(s[i])
			i++
			continue
		}
		end := strings.IndexByte(s[i:], ';')
		if end < 0 {
			return "", fmt.Errorf("unescaped '&'")
		}
		ent := s[i+1 : i+end]
		switch {
		case ent == "lt":
			out.WriteByte('<')
		case ent == "gt":
			out.WriteByte('>')
		case ent == "amp":
			out.WriteByte('&')
		case ent == "quot":
			out.WriteByte('"')
		case strings.HasPrefix(ent, "#x") || strings.HasPrefix(ent, "#X"):
			n, err := strconv.ParseUint(ent[2:], 16, 32)
			if err != nil || !utf8.ValidRune(rune(n)) {
				return "", fmt.Errorf("bad entity &%s;", ent)
			}
			out.WriteRune(rune(n))
		case strings.HasPrefix(ent, "#"):
			n, err := strconv.ParseUint(ent[1:], 10, 32)
			if err != nil || !utf8.ValidRune(rune(n)) {
				return "", fmt.Errorf("bad entity &%s;", ent)
			}
			out.WriteRune(rune(n))
		default:
			return "", fmt.Errorf("unsupported entity &%s;", ent)
		}
		i += end + 1
	}
	return out.String(), nil
}

// DetectEntities finds the entities Telegram's clients mark in a plain
// text: bot_command ("/ask", "/ask@somebot") at the start or after a
// space, and mention ("@username", 3–32 of A–Z, a–z, 0–9, _). Offsets and
// lengths count UTF-16 code units.
func DetectEntities(text string) []Entity {
	var ents []Entity
	runes := []rune(text)
	u16 := make([]int, len(runes)+1) // UTF-16 offset of each rune
	for i, r := range runes {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		u16[i+1] = u16[i] + w
	}
	word := func(r rune) bool {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_'
	}
	run := func(i int) int { // end of the word run starting at i
		for i < len(runes) && word(runes[i]) {
			i++
		}
		return i
	}
	for i := 0; i < len(runes); i++ {
		prevOK := i == 0 || !word(runes[i-1]) && runes[i-1] != '/' && runes[i-1] != '@'
		switch {
		case runes[i] == '/' && (i == 0 || runes[i-1] == ' ' || runes[i-1] == '\n'):
			end := run(i + 1)
			if end == i+1 || end-i-1 > 32 {
				continue
			}
			if end < len(runes) && runes[end] == '@' {
				if e2 := run(end + 1); e2-end-1 >= 3 {
					end = e2
				}
			}
			ents = append(ents, Entity{Type: "bot_command", Offset: u16[i], Length: u16[end] - u16[i]})
			i = end - 1
		case runes[i] == '@' && prevOK:
			end := run(i + 1)
			if n := end - i - 1; n < 3 || n > 32 {
				continue
			}
			ents = append(ents, Entity{Type: "mention", Offset: u16[i], Length: u16[end] - u16[i]})
			i = end - 1
		}
	}
	return ents
}
