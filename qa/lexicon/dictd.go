package lexicon

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// maxRenderingWords is the longest dictd rendering kept, in words; longer
// ones are explanations ("مادة تستخدم لصنع مواسير المياه"), not translations.
const maxRenderingWords = 4

// LoadDictd reads a dictd dictionary: indexPath is the .index file (lines
// `headword<TAB>offset<TAB>length`, numbers in dictd's base64), dictPath
// the .dict file, plain or dictzip-compressed (.dict.dz, read whole as
// gzip). For each entry it takes the headword from the entry's first line
// (lowercased; a hyphenated headword is also keyed with spaces), and the
// Arabic renderings from the following lines: numbering ("1."),
// pronunciation, notes in parentheses, explanations after " - ", Latin
// words and punctuation are removed, alternatives are split on , ، ؛ ; and
// newlines, and diacritics are dropped. Renderings of more than four words
// are skipped. Renderings are added after those already known for the
// headword; Lookup gives them DictdWeight. entries counts the entries
// that gave at least one rendering.
func (l *Lexicon) LoadDictd(indexPath, dictPath string) (entries int, err error) {
	// Decompress the dictionary while the index is parsed.
	type dictResult struct {
		data []byte
		err  error
	}
	dc := make(chan dictResult, 1)
	go func() {
		d, err := readDict(dictPath)
		dc <- dictResult{d, err}
	}()
	spans, err := readDictdIndex(indexPath)
	dr := <-dc
	if err != nil {
		return 0, err
	}
	if dr.err != nil {
		return 0, dr.err
	}
	// ASCII-lowercase in place: headwords become keys without copying, and
	// byte offsets stay valid.
	for i, c := range dr.data {
		if c >= 'A' && c <= 'Z' {
			dr.data[i] = c + 'a' - 'A'
		}
	}
	text := string(dr.data)
	for _, sp := range spans {
		if sp.off+sp.n > len(text) {
			return 0, fmt.Errorf("%s:%d: offset %d+%d beyond the end of %s", indexPath, sp.line, sp.off, sp.n, dictPath)
		}
	}

	// Parse entries in parallel; each worker writes only its own slots.
	type parsed struct{ keys, ars []string }
	res := make([]parsed, len(spans))
	workers := min(runtime.GOMAXPROCS(0), 4)
	var wg sync.WaitGroup
	chunk := (len(spans) + workers - 1) / workers
	for w := 0; w < workers; w++ {
		lo, hi := w*chunk, min((w+1)*chunk, len(spans))
		if lo >= hi {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				sp := spans[i]
				res[i].keys, res[i].ars = parseDictdEntry(text[sp.off : sp.off+sp.n])
			}
		}()
	}
	wg.Wait()

	add := make(map[string][]string, len(spans))
	maxWords := 0
	for _, r := range res {
		if len(r.keys) == 0 || len(r.ars) == 0 {
			continue
		}
		entries++
		for _, k := range r.keys {
			if old, ok := add[k]; ok {
				add[k] = appendUnique(old, r.ars...)
			} else {
				add[k] = r.ars
			}
			if w := countWords(k); w > maxWords {
				maxWords = w
			}
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.dict) == 0 {
		l.dict = add
	} else {
		for k, v := range add {
			l.dict[k] = appendUnique(l.dict[k], v...)
		}
	}
	if maxWords > l.maxWords {
		l.maxWords = maxWords
	}
	return entries, nil
}

// dictdSpan is one index line: where its entry is in the .dict text.
type dictdSpan struct {
	off, n, line int
}

// readDictdIndex parses a dictd .index file, skipping the 00database…
// meta entries.
func readDictdIndex(indexPath string) ([]dictdSpan, error) {
	idx, err := os.ReadFile(indexPath)
	if err != nil {
		return nil, err
	}
	spans := make([]dictdSpan, 0, bytes.Count(idx, []byte{'\n'})+1)
	lineNo := 0
	for len(idx) > 0 {
		lineNo++
		var line []byte
		if i := bytes.IndexByte(idx, '\n'); i >= 0 {
			line, idx = idx[:i], idx[i+1:]
		} else {
			line, idx = idx, nil
		}
		if len(line) == 0 || bytes.HasPrefix(line, []byte("00database")) || bytes.HasPrefix(line, []byte("00-database")) {
			continue
		}
		f1 := bytes.IndexByte(line, '\t')
		if f1 < 0 {
			return nil, fmt.Errorf("%s:%d: not headword<TAB>offset<TAB>length", indexPath, lineNo)
		}
		rest := line[f1+1:]
		f2 := bytes.IndexByte(rest, '\t')
		if f2 < 0 {
			return nil, fmt.Errorf("%s:%d: not headword<TAB>offset<TAB>length", indexPath, lineNo)
		}
		lenField := rest[f2+1:]
		if j := bytes.IndexByte(lenField, '\t'); j >= 0 { // optional original-headword column
			lenField = lenField[:j]
		}
		off, ok1 := decodeB64(rest[:f2])
		n, ok2 := decodeB64(bytes.TrimRight(lenField, "\r"))
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("%s:%d: bad offset or length", indexPath, lineNo)
		}
		spans = append(spans, dictdSpan{off: off, n: n, line: lineNo})
	}
	return spans, nil
}

// readDict returns the text of a .dict or .dict.dz file.
func readDict(p string) ([]byte, error) {
	raw, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	if len(raw) < 18 || raw[0] != 0x1f || raw[1] != 0x8b {
		return raw, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	// The gzip trailer holds the uncompressed size (mod 2^32).
	size := int(binary.LittleEndian.Uint32(raw[len(raw)-4:]))
	if size <= 0 || size > 1<<30 {
		size = 4 * len(raw)
	}
	buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
	if _, err := io.Copy(buf, zr); err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	return buf.Bytes(), nil
}

// decodeB64 decodes a dictd number: base64 digits, most significant first.
func decodeB64(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 10 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		var d int
		switch {
		case c >= 'A' && c <= 'Z':
			d = int(c - 'A')
		case c >= 'a' && c <= 'z':
			d = int(c-'a') + 26
		case c >= '0' && c <= '9':
			d = int(c-'0') + 52
		case c == '+':
			d = 62
		case c == '/':
			d = 63
		default:
			return 0, false
		}
		n = n*64 + d
	}
	return n, true
}

// parseDictdEntry splits one dictd entry into its English keys and Arabic
// renderings.
func parseDictdEntry(e string) (keys, ars []string) {
	head, body, _ := strings.Cut(e, "\n")
	head = strings.TrimSpace(head)
	// "Headword /pronunciation/"
	if strings.HasSuffix(head, "/") {
		if i := strings.LastIndex(head[:len(head)-1], " /"); i >= 0 {
			head = head[:i]
		}
	}
	key := normalizeKey(head)
	if key == "" || strings.HasPrefix(key, "-") || strings.HasSuffix(key, "-") {
		return nil, nil // affixes ("A-", "-ness") are not words
	}
	keys = append(keys, key)
	if strings.Contains(key, "-") {
		if k := normalizeKey(strings.ReplaceAll(key, "-", " ")); k != key && k != "" {
			keys = append(keys, k)
		}
	}
	for body != "" {
		var line string
		line, body, _ = strings.Cut(body, "\n")
		ars = parseDictdLine(line, ars)
	}
	return keys, ars
}

// parseDictdLine appends the renderings found on one body line.
func parseDictdLine(line string, ars []string) []string {
	line = strings.TrimSpace(line)
	// numbering "1. "
	if i := strings.IndexFunc(line, func(r rune) bool { return r < '0' || r > '9' }); i > 0 && i < len(line) && line[i] == '.' {
		line = strings.TrimSpace(line[i+1:])
	}
	// pronunciation in a body line
	if strings.HasPrefix(line, "/") {
		if j := strings.IndexByte(line[1:], '/'); j >= 0 {
			line = line[j+2:]
		}
	}
	// "term - explanation": keep the term
	if i := strings.Index(line, " - "); i >= 0 {
		line = line[:i]
	}
	if strings.IndexByte(line, '(') >= 0 || strings.IndexByte(line, '[') >= 0 || strings.IndexByte(line, '{') >= 0 {
		line = stripBrackets(line)
	}
	for line != "" {
		i, w := indexSeparator(line)
		var part string
		if i < 0 {
			part, line = line, ""
		} else {
			part, line = line[:i], line[i+w:]
		}
		if a := cleanRendering(part); a != "" {
			ars = appendUnique(ars, a)
		}
	}
	return ars
}

// stripBrackets removes (…), […] and {…} notes, nested or not.
func stripBrackets(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '[', '{':
			depth++
			continue
		case ')', ']', '}':
			if depth > 0 {
				depth--
			}
			continue
		}
		if depth == 0 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// cleanRendering turns one alternative into an Arabic rendering: Latin
// words, digits and punctuation dropped, diacritics removed, white space
// collapsed. It returns "" for nothing usable.
func cleanRendering(s string) string {
	if s = strings.TrimSpace(s); isPlainArabic(s) {
		if s == "ال" || len(s) < 4 || strings.Count(s, " ") >= maxRenderingWords {
			return ""
		}
		return s
	}
	s = strings.TrimFunc(s, func(r rune) bool { return !isArabicLetter(r) })
	if s == "" {
		return ""
	}
	if strings.IndexFunc(s, func(r rune) bool {
		return !isArabicLetter(r) && !isArabicDiacritic(r) && r != ' '
	}) >= 0 {
		// Drop every non-Arabic, non-space rune (Latin glosses, quotes, digits).
		var b strings.Builder
		for _, r := range s {
			switch {
			case isArabicLetter(r), isArabicDiacritic(r):
				b.WriteRune(r)
			case unicode.IsSpace(r) || unicode.IsPunct(r) || r < 0x250 && unicode.IsLetter(r) || unicode.IsDigit(r):
				b.WriteByte(' ')
			}
		}
		s = b.String()
	}
	s = cleanArabic(s)
	if s == "" || s == "ال" || utf8.RuneCountInString(s) < 2 {
		return ""
	}
	if countWords(s) > maxRenderingWords {
		return ""
	}
	return s
}

// indexSeparator returns the byte index and width of the first alternative
// separator (, ; ، ؛) in s, or -1.
func indexSeparator(s string) (int, int) {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',', ';':
			return i, 1
		case 0xD8: // ، is D8 8C, ؛ is D8 9B
			if i+1 < len(s) && (s[i+1] == 0x8C || s[i+1] == 0x9B) {
				return i, 2
			}
		}
	}
	return -1, 0
}

// isPlainArabic reports whether s is already a clean rendering: Arabic
// letters only (no diacritics, no tatweel), words separated by single
// spaces, no space at either end. It looks at bytes only, for speed.
func isPlainArabic(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' {
			if s[i-1] == ' ' {
				return false
			}
			continue
		}
		if c < 0xD8 || c > 0xDB || i+1 >= len(s) {
			return false
		}
		r := rune(c&0x1F)<<6 | rune(s[i+1]&0x3F)
		if !isArabicLetter(r) || isArabicDiacritic(r) {
			return false
		}
		i++
	}
	return true
}
