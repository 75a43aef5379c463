package index

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// MaxArticleBytes is the largest content file ParseArticle and LoadDir accept.
const MaxArticleBytes = 2 << 20

// Heading limits: a paragraph that is one line of at most headingMaxRunes
// runes and headingMaxWords words, without final punctuation, is a heading.
const (
	headingMaxRunes = 60
	headingMaxWords = 8
)

// frontMatterKeys are the keys the TOML front matter may hold.
var frontMatterKeys = []string{"title", "source", "url", "author", "published", "section", "lang"}

// ParseArticle parses one content file. path is the file's path relative to
// the content directory ("/" or OS separators); it becomes Article.Path, and
// without its extension Article.ID and every Sentence.Doc. The result's Hash
// is the hex sha256 of data.
//
// The file may start with a TOML front matter between two lines "+++" (the
// first line of the file; trailing blanks on those lines are allowed) with
// the keys title, source, url, author, section, lang (strings; lang is "ar",
// the default, or "en") and published (a TOML date or date-time, unquoted;
// local ones are taken as UTC). A UTF-8 BOM is stripped and CRLF line ends
// are read as LF: Paragraph.Text and Sentence.Text are the file's text with
// "\r\n" read as "\n", so every sentence is a substring of the file apart
// from that.
//
// The body is cut into paragraphs at blank (whitespace-only) lines; lines
// of pure decoration ("***", "---") are dropped. Inside a block, each line
// starting with a list marker ("- ", "* ", "• ", "· ", "1. ", "1) ", "١. ")
// begins its own ListItem paragraph, whose Text leaves the marker out;
// following lines without a marker continue it. A line "# text" (Markdown,
// 1-6 "#") is a heading of its own. A block of one line with at most 60
// runes and 8 words that does not end in final punctuation (. ؟ ? ! : ؛ … »
// " ” ' ، , ;) is a heading; such lines directly after a heading, one after
// the other, are ListItems instead (a heading then a short list). Section is
// the text of the nearest heading at or above the paragraph (a heading's
// Section is its own text). Title defaults to the first heading, then to the
// file name without extension.
//
// Errors are LoadError values with the path and, where known, the 1-based
// line: a file over MaxArticleBytes, invalid UTF-8, an unterminated front
// matter, bad TOML, an unknown key or a value of the wrong type, a lang
// other than ar/en, and a body without text.
func ParseArticle(path string, data []byte) (*Article, error) {
	fail := func(line int, format string, args ...any) error {
		return LoadError{Path: path, Line: line, Err: fmt.Sprintf(format, args...)}
	}
	if len(data) > MaxArticleBytes {
		return nil, fail(0, "file is %d bytes, more than the %d allowed", len(data), MaxArticleBytes)
	}
	sum := sha256.Sum256(data)
	body := bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if !utf8.Valid(body) {
		bad := 0
		for bad < len(body) {
			r, w := utf8.DecodeRune(body[bad:])
			if r == utf8.RuneError && w == 1 {
				break
			}
			bad += w
		}
		return nil, fail(1+bytes.Count(body[:bad], []byte("\n")), "invalid UTF-8 at byte %d", bad+len(data)-len(body))
	}
	text := strings.ReplaceAll(string(body), "\r\n", "\n")
	lines := strings.Split(text, "\n")

	a := &Article{
		ID:   docID(path),
		Path: path,
		Lang: "ar",
		Hash: hex.EncodeToString(sum[:]),
	}

	first := 0 // index of the first body line
	if len(lines) > 0 && isFence(lines[0]) {
		end := -1
		for i := 1; i < len(lines); i++ {
			if isFence(lines[i]) {
				end = i
				break
			}
		}
		if end < 0 {
			return nil, fail(1, "front matter opened with +++ is not closed by a line +++")
		}
		if err := parseFrontMatter(a, lines[1:end], fail); err != nil {
			return nil, err
		}
		first = end + 1
	}

	// Byte offset of each line in text.
	offs := make([]int, len(lines)+1)
	for i, l := range lines {
		offs[i+1] = offs[i] + len(l) + 1
	}
	a.Paragraphs = parseBody(a.ID, text, lines, offs, first)
	if len(a.Paragraphs) == 0 {
		return nil, fail(min(first+1, len(lines)), "the body has no text")
	}
	if a.Title == "" {
		for _, p := range a.Paragraphs {
			if p.Heading {
				a.Title = p.Text
				break
			}
		}
	}
	if a.Title == "" {
		a.Title = strings.TrimSuffix(filepath.Base(filepath.FromSlash(path)), filepath.Ext(path))
	}
	return a, nil
}

// docID is path, "/"-separated, without its extension.
func docID(p string) string {
	p = filepath.ToSlash(p)
	return strings.TrimSuffix(p, path.Ext(p))
}

func isFence(line string) bool {
	return strings.TrimRight(line, " \t") == "+++"
}

// parseFrontMatter decodes the TOML lines (file lines 2…) into a.
func parseFrontMatter(a *Article, lines []string, fail func(int, string, ...any) error) error {
	src := strings.Join(lines, "\n")
	var m map[string]any
	md, err := toml.Decode(src, &m)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return fail(1+max(pe.Position.Line, 1), "front matter: %s", pe.Message)
		}
		return fail(1, "front matter: %v", err)
	}
	// Check keys in file order so the first problem is reported.
	keys := make([]string, 0, len(m))
	seen := map[string]bool{}
	for _, k := range md.Keys() {
		if len(k) > 0 && !seen[k[0]] {
			seen[k[0]] = true
			keys = append(keys, k[0])
		}
	}
	for k := range m {
		if !seen[k] {
			keys = append(keys, k)
		}
	}
	line := func(key string) int { return 1 + keyLine(lines, key) }
	for _, k := range keys {
		v := m[k]
		switch k {
		case "published":
			t, ok := v.(time.Time)
			if !ok || t.Location().String() == "time-local" {
				return fail(line(k), "front matter: published must be a TOML date or date-time like 2025-06-01 (unquoted), not %s", tomlTypeName(v))
			}
			switch t.Location().String() {
			case "date-local", "datetime-local":
				t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
			}
			a.Published = t
		case "title", "source", "url", "author", "section", "lang":
			s, ok := v.(string)
			if !ok {
				return fail(line(k), "front matter: %s must be a string, not %s", k, tomlTypeName(v))
			}
			s = strings.TrimSpace(s)
			switch k {
			case "title":
				a.Title = s
			case "source":
				a.Source = s
			case "url":
				a.URL = s
			case "author":
				a.Author = s
			case "section":
				a.Section = s
			case "lang":
				s = strings.ToLower(s)
				if s != "ar" && s != "en" {
					return fail(line(k), "front matter: lang must be \"ar\" or \"en\", not %q", s)
				}
				a.Lang = s
			}
		default:
			return fail(line(k), "front matter: unknown key %q (known: %s)", k, strings.Join(frontMatterKeys, ", "))
		}
	}
	return nil
}

func tomlTypeName(v any) string {
	switch x := v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case time.Time:
		if x.Location().String() == "time-local" {
			return "a time of day"
		}
		return "a date"
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("%T", v)
}

// keyLine returns the 1-based line within lines where the top-level key is
// defined (as "key =", "key.sub =", "[key]" or "[[key]]", bare or quoted),
// or 0 when it cannot be found.
func keyLine(lines []string, key string) int {
	for i, l := range lines {
		s := strings.TrimLeft(l, " \t")
		s = strings.TrimLeft(s, "[")
		s = strings.TrimLeft(s, " \t")
		var name string
		switch {
		case strings.HasPrefix(s, `"`) || strings.HasPrefix(s, `'`):
			q := s[:1]
			end := strings.Index(s[1:], q)
			if end < 0 {
				continue
			}
			name, s = s[1:1+end], s[2+end:]
		default:
			end := strings.IndexFunc(s, func(r rune) bool {
				return !(r == '_' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r))
			})
			if end < 0 {
				end = len(s)
			}
			name, s = s[:end], s[end:]
		}
		s = strings.TrimLeft(s, " \t")
		if name == key && (strings.HasPrefix(s, "=") || strings.HasPrefix(s, ".") || strings.HasPrefix(s, "]")) {
			return i + 1
		}
	}
	return 0
}

// bodyPart is a stretch of lines that becomes one paragraph.
type bodyPart struct {
	start, end int // byte range in text (untrimmed)
	line       int // 1-based file line
	single     bool
	list       bool
	hash       bool // a "# heading" line
}

// parseBody cuts the lines from index first on into paragraphs.
func parseBody(doc, text string, lines []string, offs []int, first int) []Paragraph {
	var parts []bodyPart
	var cur *bodyPart
	flush := func() {
		if cur != nil {
			parts = append(parts, *cur)
			cur = nil
		}
	}
	for i := first; i < len(lines); i++ {
		l := lines[i]
		lineEnd := offs[i] + len(l)
		switch {
		case trimText(l) == "":
			flush()
			continue
		case isRule(l):
			flush() // decoration: "***", "---", "* * *", "==="
			continue
		}
		if n := hashHeading(l); n > 0 {
			flush()
			parts = append(parts, bodyPart{start: offs[i] + n, end: lineEnd, line: i + 1, single: true, hash: true})
			continue
		}
		if n := listMarker(l); n > 0 {
			flush()
			cur = &bodyPart{start: offs[i] + n, end: lineEnd, line: i + 1, single: true, list: true}
			continue
		}
		if cur == nil {
			cur = &bodyPart{start: offs[i], end: lineEnd, line: i + 1, single: true}
			continue
		}
		cur.end = lineEnd
		cur.single = false
	}
	flush()

	var paras []Paragraph
	section := ""
	afterHeading := false // the previous paragraph is a heading or a list under it
	for _, pt := range parts {
		a, b := trimSpan(text, pt.start, pt.end)
		p := Paragraph{N: len(paras) + 1, Text: text[a:b], Line: pt.line}
		switch {
		case pt.hash:
			p.Heading = true
		case pt.list:
			p.ListItem = true
		case pt.single && isHeadingLike(p.Text):
			if afterHeading {
				p.ListItem = true
			} else {
				p.Heading = true
			}
		}
		afterHeading = p.Heading || (afterHeading && p.ListItem && !pt.list)
		if p.Heading {
			section = p.Text
		}
		p.Section = section
		for k, sp := range SplitSentences(p.Text) {
			p.Sentences = append(p.Sentences, Sentence{
				Doc: doc, Paragraph: p.N, N: k + 1,
				Start: sp[0], End: sp[1], Text: p.Text[sp[0]:sp[1]],
			})
		}
		paras = append(paras, p)
	}
	return paras
}

// isRule reports a line of only rule characters ("***", "- - -", "===").
func isRule(line string) bool {
	return strings.Trim(line, "-*_=~#•·. \t") == "" && !hasAlnum(line)
}

// hashHeading returns the byte length of a Markdown heading marker ("# ",
// "## ", … up to six) at the start of line, spaces included, or 0.
func hashHeading(line string) int {
	n := 0
	for n < len(line) && line[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || n >= len(line) || (line[n] != ' ' && line[n] != '\t') {
		return 0
	}
	for n < len(line) && (line[n] == ' ' || line[n] == '\t') {
		n++
	}
	if trimText(line[n:]) == "" {
		return 0
	}
	return n
}

// isHeadingLike reports a short line without final punctuation.
func isHeadingLike(s string) bool {
	if strings.ContainsRune(s, '\n') || utf8.RuneCountInString(s) > headingMaxRunes ||
		len(strings.Fields(s)) > headingMaxWords || !hasLetterRune(s) {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return !strings.ContainsRune(".؟?!:؛…»\"”'،,;", r)
}

func hasLetterRune(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}
