// Package lexicon is qabot's English↔Arabic lexicon for query translation:
// the project's own glossary (embedded, see glossary/*.tsv), general
// dictionaries in dictd format read at run time when they are installed
// (Debian's dict-freedict-eng-ara), English word forms and stop words, and
// name transliteration by consonant skeletons (see NameMatcher).
//
// A Lexicon is filled by its Load* methods and then only read; all methods
// are safe for concurrent use.
package lexicon

import (
	"bufio"
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// Weights of translations by source: the glossary is written for news text
// by the team, dictd dictionaries are general and often pick the wrong sense.
const (
	GlossaryWeight = 1.0
	DictdWeight    = 0.6
)

// Translation sources.
const (
	SourceGlossary = "glossary"
	SourceDictd    = "dictd"
	SourceTranslit = "translit"
)

// Translation is one Arabic rendering of an English word or phrase.
type Translation struct {
	Arabic string  // without diacritics, as written in the lexicon (hamza forms, ة and ال kept)
	Weight float64 // GlossaryWeight, DictdWeight, or a transliteration score
	Source string  // SourceGlossary, SourceDictd or SourceTranslit
	Phrase bool    // Arabic has more than one word: match it as a phrase
}

//go:embed glossary/*.tsv metonymy/*.tsv
var glossaryFS embed.FS

// Lexicon maps lowercase English words and phrases to Arabic renderings,
// and Arabic words back to English from the glossary.
type Lexicon struct {
	mu       sync.RWMutex
	gloss    map[string][]string // English key → renderings, most common first
	dict     map[string][]string // English key → renderings from dictd
	rev      map[string][]string // NormalizeArabic(rendering) → English keys (glossary only)
	metonyms map[string][]string // NormalizeArabic(capital) → what it stands for (LoadMetonyms)
	maxWords int
}

// New returns an empty Lexicon.
func New() *Lexicon {
	return &Lexicon{
		gloss: make(map[string][]string),
		dict:  make(map[string][]string),
		rev:   make(map[string][]string),
	}
}

// normalizeKey lowercases an English word or phrase and collapses its white
// space to single spaces.
func normalizeKey(s string) string {
	lower := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 0x80 || c == '\t' || c == '\n' || c == '\r' {
			lower = false
			break
		}
	}
	if lower && !strings.Contains(s, "  ") && strings.TrimSpace(s) == s {
		return s
	}
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// countWords returns the number of space-separated words of a normalised key.
func countWords(s string) int {
	if s == "" {
		return 0
	}
	return strings.Count(s, " ") + 1
}

// appendUnique appends the renderings of add to list that are not in it yet,
// keeping order.
func appendUnique(list []string, add ...string) []string {
	for _, a := range add {
		if !slices.Contains(list, a) {
			list = append(list, a)
		}
	}
	return list
}

// LoadGlossary reads glossary lines `english<TAB>arabic1|arabic2|…` from r;
// name (usually the file name) is used in error messages. Lines starting
// with # and blank lines are ignored. Renderings lose their diacritics;
// a key seen before (in this or an earlier file) gets the new renderings
// appended after the old ones. A rendering may also be a sign that Arabic
// text uses as is (%). A bad line (no TAB, empty side, Latin letters in a
// rendering) is reported as "name:line: …" and skipped. entries counts the
// good lines.
func (l *Lexicon) LoadGlossary(name string, r io.Reader) (entries int, errs []error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	l.mu.Lock()
	defer l.mu.Unlock()
	lineNo := 0
	for sc.Scan() {
		lineNo++
		line := sc.Text()
		if lineNo == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		line = strings.TrimRight(line, "\r")
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		key, ars, err := parseGlossaryLine(line)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: %w", name, lineNo, err))
			continue
		}
		entries++
		l.gloss[key] = appendUnique(l.gloss[key], ars...)
		if n := countWords(key); n > l.maxWords {
			l.maxWords = n
		}
		for _, a := range ars {
			l.addReverse(a, key)
		}
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, fmt.Errorf("%s:%d: %w", name, lineNo+1, err))
	}
	return entries, errs
}

// parseGlossaryLine splits one non-comment glossary line.
func parseGlossaryLine(line string) (key string, ars []string, err error) {
	en, ar, ok := strings.Cut(line, "\t")
	if !ok {
		return "", nil, errors.New("no TAB between the English and the Arabic side")
	}
	if strings.Contains(ar, "\t") {
		return "", nil, errors.New("more than one TAB")
	}
	key = normalizeKey(en)
	if key == "" {
		return "", nil, errors.New("empty English side")
	}
	if hasArabicLetter(key) {
		return "", nil, fmt.Errorf("the English side %q has Arabic letters", key)
	}
	for _, part := range strings.Split(ar, "|") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		if strings.IndexFunc(part, isLatinLetter) >= 0 {
			return "", nil, fmt.Errorf("the Arabic rendering %q has Latin letters", strings.TrimSpace(part))
		}
		a := cleanArabic(part)
		if a == "" { // a sign such as % that Arabic text writes too
			a = strings.Join(strings.Fields(StripDiacritics(part)), " ")
		}
		ars = appendUnique(ars, a)
	}
	if len(ars) == 0 {
		return "", nil, fmt.Errorf("no Arabic rendering for %q", key)
	}
	return key, ars, nil
}

func isLatinLetter(r rune) bool {
	return r < 0x250 && unicode.IsLetter(r)
}

// addReverse indexes one glossary rendering for Reverse. Caller holds mu.
func (l *Lexicon) addReverse(arabic, key string) {
	n := NormalizeArabic(arabic)
	l.rev[n] = appendUnique(l.rev[n], key)
	if s, ok := strings.CutPrefix(n, "ال"); ok && !strings.Contains(n, " ") && utf8.RuneCountInString(s) >= 2 {
		l.rev[s] = appendUnique(l.rev[s], key)
	}
}

// Lookup returns the Arabic renderings of a lowercase English word or phrase
// (white space is collapsed, case folded): the glossary's first, in their
// order, then the dictd ones not already given. It returns nil when the
// lexicon does not know the key. Callers that want other word forms look
// up each of WordForms(word).
func (l *Lexicon) Lookup(english string) []Translation {
	key := normalizeKey(english)
	l.mu.RLock()
	g, d := l.gloss[key], l.dict[key]
	l.mu.RUnlock()
	if len(g) == 0 && len(d) == 0 {
		return nil
	}
	out := make([]Translation, 0, len(g)+len(d))
	for _, a := range g {
		out = append(out, Translation{Arabic: a, Weight: GlossaryWeight, Source: SourceGlossary, Phrase: strings.Contains(a, " ")})
	}
	for _, a := range d {
		if !slices.Contains(g, a) {
			out = append(out, Translation{Arabic: a, Weight: DictdWeight, Source: SourceDictd, Phrase: strings.Contains(a, " ")})
		}
	}
	return out
}

// Has reports whether the lexicon has a translation of the English key.
func (l *Lexicon) Has(english string) bool {
	key := normalizeKey(english)
	l.mu.RLock()
	defer l.mu.RUnlock()
	return len(l.gloss[key]) > 0 || len(l.dict[key]) > 0
}

// MaxPhraseWords returns the number of words of the longest English key, so
// that a caller can try phrases of up to that many words before single words.
func (l *Lexicon) MaxPhraseWords() int {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.maxWords
}

// reversePrefixes are proclitic combinations tried, longest first, when an
// Arabic word is not in the reverse index as it is.
var reversePrefixes = []string{"وبال", "وال", "بال", "كال", "فال", "لل", "ال", "و", "ف", "ب", "ل"}

// Reverse returns the English glossary keys whose Arabic renderings match an
// Arabic word or phrase, for Arabic questions against English text. The
// argument is normalised with NormalizeArabic (so already normalised text
// is fine). When the word itself is unknown, common proclitics (و ف ب ل ال
// and their combinations) are stripped and the rest tried. Only the
// glossary is used: dictd entries are too noisy in this direction.
func (l *Lexicon) Reverse(arabicNormalized string) []string {
	n := NormalizeArabic(arabicNormalized)
	if n == "" {
		return nil
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	if strings.Contains(n, " ") {
		return slices.Clone(l.rev[n])
	}
	return slices.Clone(lookupProclitic(l.rev, n))
}

// lookupProclitic returns m[n] or, when n is not in m, the entry of the rest
// of n (three letters or more) after the first of reversePrefixes whose
// removal leaves a word m knows.
func lookupProclitic(m map[string][]string, n string) []string {
	if v := m[n]; len(v) > 0 {
		return v
	}
	for _, p := range reversePrefixes {
		if rest, ok := strings.CutPrefix(n, p); ok && utf8.RuneCountInString(rest) >= 3 {
			if v := m[rest]; len(v) > 0 {
				return v
			}
		}
	}
	return nil
}

// Stats returns the number of distinct English keys from the glossary and
// from dictd dictionaries.
func (l *Lexicon) Stats() (glossary, dictd int) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return len(l.gloss), len(l.dict)
}

// DefaultDictdPaths returns the index and dictionary files of Debian's
// dict-freedict-eng-ara package.
func DefaultDictdPaths() []string {
	return []string{
		"/usr/share/dictd/freedict-eng-ara.index",
		"/usr/share/dictd/freedict-eng-ara.dict.dz",
	}
}

// DefaultDictdPairs returns DefaultDictdPaths as the pairs Load takes.
func DefaultDictdPairs() [][2]string {
	p := DefaultDictdPaths()
	return [][2]string{{p[0], p[1]}}
}

// SourceReport says how one lexicon source loaded.
type SourceReport struct {
	Name    string        // "glossary" or the dictd index path
	Entries int           // good glossary lines, or dictd entries with a translation
	Missing bool          // a dictd file does not exist (not an error)
	Err     error         // the source could not be read
	Took    time.Duration // load time
}

// Report describes what Load loaded.
type Report struct {
	Glossary      SourceReport
	GlossaryFiles int
	GlossaryKeys  int
	Metonyms      int     // capitals read from the metonymy table
	BadLines      []error // glossary lines that were skipped, "file:line: reason"
	Dictd         []SourceReport
	DictdKeys     int
	Took          time.Duration
}

// String returns a one-line summary for the start-up log.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "lexicon: glossary %d keys (%d lines, %d files, %d capitals", r.GlossaryKeys, r.Glossary.Entries, r.GlossaryFiles, r.Metonyms)
	if n := len(r.BadLines); n > 0 {
		fmt.Fprintf(&b, ", %d bad lines, first %v", n, r.BadLines[0])
	}
	if r.Glossary.Err != nil {
		fmt.Fprintf(&b, ", error %v", r.Glossary.Err)
	}
	b.WriteString(")")
	for _, d := range r.Dictd {
		name := strings.TrimSuffix(path.Base(d.Name), ".index")
		switch {
		case d.Missing:
			fmt.Fprintf(&b, "; dictd %s not installed", name)
		case d.Err != nil:
			fmt.Fprintf(&b, "; dictd %s failed: %v", name, d.Err)
		default:
			fmt.Fprintf(&b, "; dictd %s %d entries in %s", name, d.Entries, d.Took.Round(time.Millisecond))
		}
	}
	if len(r.Dictd) == 0 {
		b.WriteString("; no dictd dictionaries")
	}
	fmt.Fprintf(&b, "; %d keys from dictd; loaded in %s", r.DictdKeys, r.Took.Round(time.Millisecond))
	return b.String()
}

// Load returns a Lexicon with the embedded glossary and every dictd
// dictionary of dictdPaths ({index, dict} pairs) whose files exist. Missing
// files and unreadable dictionaries are reported, not fatal.
func Load(dictdPaths [][2]string) (*Lexicon, Report) {
	start := time.Now()
	l := New()
	var rep Report
	rep.Glossary.Name = "glossary"
	files, err := fs.Glob(glossaryFS, "glossary/*.tsv")
	if err != nil {
		rep.Glossary.Err = err
	}
	for _, f := range files { // fs.Glob returns names sorted
		data, err := glossaryFS.ReadFile(f)
		if err != nil {
			rep.BadLines = append(rep.BadLines, err)
			continue
		}
		rep.GlossaryFiles++
		n, errs := l.LoadGlossary(path.Base(f), bytes.NewReader(data))
		rep.Glossary.Entries += n
		rep.BadLines = append(rep.BadLines, errs...)
	}
	if data, err := glossaryFS.ReadFile(metonymyFile); err != nil {
		rep.BadLines = append(rep.BadLines, err)
	} else {
		n, errs := l.LoadMetonyms(path.Base(metonymyFile), bytes.NewReader(data))
		rep.Metonyms = n
		rep.BadLines = append(rep.BadLines, errs...)
	}
	rep.Glossary.Took = time.Since(start)
	for _, p := range dictdPaths {
		sr := SourceReport{Name: p[0]}
		t0 := time.Now()
		if missing(p[0]) || missing(p[1]) {
			sr.Missing = true
		} else {
			sr.Entries, sr.Err = l.LoadDictd(p[0], p[1])
		}
		sr.Took = time.Since(t0)
		rep.Dictd = append(rep.Dictd, sr)
	}
	rep.GlossaryKeys, rep.DictdKeys = l.Stats()
	rep.Took = time.Since(start)
	return l, rep
}

func missing(p string) bool {
	_, err := os.Stat(p)
	return errors.Is(err, fs.ErrNotExist)
}
