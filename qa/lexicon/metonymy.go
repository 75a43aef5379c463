package lexicon

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// metonymyFile is the embedded capitals table (see metonymy/capitals.tsv).
const metonymyFile = "metonymy/capitals.tsv"

// LoadMetonyms reads lines `capital<TAB>country<TAB>adjective` (each a
// |-separated list of Arabic spellings) from r: news Arabic names a
// government by its capital («أنقرة» for Turkey), so each capital form
// stands for the country's names and its nationality adjective. name is
// used in error messages; bad lines are reported as "name:line: …" and
// skipped.
func (l *Lexicon) LoadMetonyms(name string, r io.Reader) (entries int, errs []error) {
	sc := bufio.NewScanner(r)
	line := 0
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.metonyms == nil {
		l.metonyms = map[string][]string{}
	}
	for sc.Scan() {
		line++
		t := strings.TrimSpace(sc.Text())
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		cols := strings.Split(t, "\t")
		if len(cols) != 3 {
			errs = append(errs, fmt.Errorf("%s:%d: want 3 tab-separated columns, got %d", name, line, len(cols)))
			continue
		}
		var stands []string
		for _, c := range cols[1:] {
			for _, f := range strings.Split(c, "|") {
				if f = cleanArabic(f); f != "" {
					stands = appendUnique(stands, f)
				}
			}
		}
		if len(stands) == 0 {
			errs = append(errs, fmt.Errorf("%s:%d: no country or adjective", name, line))
			continue
		}
		for _, f := range strings.Split(cols[0], "|") {
			if k := NormalizeArabic(f); k != "" {
				l.metonyms[k] = appendUnique(l.metonyms[k], stands...)
			}
		}
		entries++
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", name, err))
	}
	return entries, errs
}

// Metonyms returns what an Arabic word names by metonymy — for a capital,
// its country and nationality adjective (أنقرة → تركيا، تركي، تركية) — or
// nil. The word may carry a proclitic (بأنقرة, وأنقرة).
func (l *Lexicon) Metonyms(arabicWord string) []string {
	n := NormalizeArabic(arabicWord)
	if n == "" {
		return nil
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	return lookupProclitic(l.metonyms, n)
}
