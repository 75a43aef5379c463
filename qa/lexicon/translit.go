package lexicon

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// Transliteration works on a small alphabet of sound classes that Arabic
// spelling preserves when it writes a foreign name, and that a Latin
// spelling of an Arabic name preserves too:
//
//	A  word-initial vowel / alef / ع      B  b p ب پ
//	T  t th ت ط ث                         D  d dh د ذ ض ظ
//	G  g j gh ج غ گ                       H  h ح ه (not final)
//	X  kh خ                               K  k c q ck ك ق
//	S  s c(e,i) س ص                       C  sh ch sch ش تش
//	Z  z ز ژ                              F  f v ph ف ڤ
//	L M N R  ل م ن ر                      W Y  word-initial w / y و ي
//	a i u  other vowels by quality: a; e i y; o u w — Arabic ا; ي ى; و
//	V  ع ء ئ ؤ not word-initial, and a final ة or ه
//
// A skeleton is the class string without vowels; identical neighbours
// (double letters) are written once. The full class string, with vowels,
// ranks candidates whose skeletons match: a Latin vowel missing in the
// Arabic costs little (short vowels are not written), a vowel of another
// quality a little more.

// latinFold maps accented Latin letters to ASCII spellings.
var latinFold = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'ā': "a",
	'ç': "ch", 'ć': "c", 'č': "ch", 'ğ': "g", 'ı': "i", 'İ': "i",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ē': "e",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ī': "i",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'ō': "o",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ū': "u",
	'ñ': "n", 'ş': "sh", 'š': "sh", 'ž': "z", 'ý': "y", 'ÿ': "y", 'ß': "ss",
	'ḥ': "h", 'ṣ': "s", 'ṭ': "t", 'ḍ': "d", 'ẓ': "z",
}

// foldLatin lowercases w, folds accents, drops everything but a–z, and
// removes an Arabic article written with a hyphen (al-, el-, ad-, as-, …).
func foldLatin(w string) string {
	w = strings.ToLower(strings.TrimSpace(w))
	for _, p := range []string{"al-", "el-", "al ", "ad-", "ar-", "as-", "ash-", "at-", "az-", "an-", "ath-"} {
		if strings.HasPrefix(w, p) && len(w) > len(p)+2 {
			w = w[len(p):]
			break
		}
	}
	var b strings.Builder
	b.Grow(len(w))
	for _, r := range w {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r + 'a' - 'A')
		default:
			if f, ok := latinFold[r]; ok {
				b.WriteString(f)
			}
		}
	}
	return b.String()
}

// collapse writes each run of one symbol once.
func collapse(s []byte) []byte {
	out := s[:0]
	for i, c := range s {
		if i > 0 && c == s[i-1] {
			continue
		}
		out = append(out, c)
	}
	return out
}

// isVowelClass reports whether c is a vowel class: a i u, or V for ع ء.
func isVowelClass(c byte) bool {
	return c == 'a' || c == 'i' || c == 'u' || c == 'V'
}

// skeletonOf drops the vowel classes from a class string.
func skeletonOf(full []byte) string {
	b := make([]byte, 0, len(full))
	for _, c := range full {
		if !isVowelClass(c) {
			b = append(b, c)
		}
	}
	return string(b)
}

// latinVowel returns the vowel class of a Latin vowel letter: a, i (e i y)
// or u (o u w), matching Arabic ا ي و.
func latinVowel(c byte) byte {
	switch c {
	case 'a':
		return 'a'
	case 'e', 'i', 'y':
		return 'i'
	}
	return 'u'
}

// latinClasses returns the class string (with V) of a folded Latin word.
func latinClasses(s string) []byte {
	out := make([]byte, 0, len(s)+2)
	at := func(i int) byte {
		if i >= 0 && i < len(s) {
			return s[i]
		}
		return 0
	}
	for i := 0; i < len(s); {
		c, n1, n2 := s[i], at(i+1), at(i+2)
		if i == 0 {
			switch {
			case isVowel(c):
				out = append(out, 'A')
				if c != 'a' {
					out = append(out, latinVowel(c))
				}
				i++
				continue
			case c == 'w':
				out = append(out, 'W')
				i++
				if n1 == 'h' {
					i++
				}
				continue
			case c == 'y' && isVowel(n1):
				out = append(out, 'Y')
				i++
				continue
			}
		}
		switch {
		case c == 's' && n1 == 'c' && n2 == 'h':
			out = append(out, 'C')
			i += 3
			continue
		case n1 == 'h' && strings.IndexByte("scktgdpz", c) >= 0:
			switch c {
			case 's':
				out = append(out, 'C')
			case 'c':
				if n2 == 'r' || n2 == 'l' {
					out = append(out, 'K')
				} else {
					out = append(out, 'C')
				}
			case 'k':
				out = append(out, 'X')
			case 't':
				out = append(out, 'T')
			case 'g':
				out = append(out, 'G')
			case 'd', 'z':
				out = append(out, 'D')
			case 'p':
				out = append(out, 'F')
			}
			i += 2
			continue
		case c == 'c' && n1 == 'k', c == 'q' && n1 == 'u':
			out = append(out, 'K')
			i += 2
			continue
		case c == 'n' && n1 == 'g' && n2 != 'e' && n2 != 'i':
			out = append(out, 'N')
			i += 2
			continue
		}
		switch c {
		case 'a', 'e', 'i', 'o', 'u', 'y', 'w':
			out = append(out, latinVowel(c))
		case 'b', 'p':
			out = append(out, 'B')
		case 'c':
			if n1 == 'e' || n1 == 'i' || n1 == 'y' {
				out = append(out, 'S')
			} else {
				out = append(out, 'K')
			}
		case 'd', 'l', 'm', 'n', 'r', 's', 't', 'z':
			out = append(out, c-'a'+'A') // their own class
		case 'f', 'v':
			out = append(out, 'F')
		case 'g', 'j':
			out = append(out, 'G')
		case 'h':
			if i == len(s)-1 && i > 0 && isVowel(s[i-1]) {
				out = append(out, 'a') // Sarah → سارة
			} else {
				out = append(out, 'H')
			}
		case 'k', 'q':
			out = append(out, 'K')
		case 'x':
			out = append(out, 'K', 'S')
		}
		i++
	}
	return collapse(out)
}

// Skeleton returns the consonant skeleton of a Latin word in the class
// alphabet described above, e.g. Erdogan → ARDGN, Washington → WCNTN,
// Meshal → MCL. Accents are folded and a hyphenated Arabic article
// (al-, el-) is dropped.
func Skeleton(latin string) string {
	return skeletonOf(latinClasses(foldLatin(latin)))
}

// arabicClass maps an Arabic letter (not initial) to its class; 0 for
// runes that are not letters.
func arabicClass(r rune) byte {
	switch r {
	case 'ب', 'پ':
		return 'B'
	case 'ت', 'ط', 'ث':
		return 'T'
	case 'ج', 'غ', 'گ', 'ڠ':
		return 'G'
	case 'ح', 'ه':
		return 'H'
	case 'خ':
		return 'X'
	case 'د', 'ذ', 'ض', 'ظ':
		return 'D'
	case 'ر':
		return 'R'
	case 'ز', 'ژ':
		return 'Z'
	case 'س', 'ص':
		return 'S'
	case 'ش', 'چ':
		return 'C'
	case 'ف', 'ڤ', 'ڨ':
		return 'F'
	case 'ق', 'ك', 'ک':
		return 'K'
	case 'ل':
		return 'L'
	case 'م':
		return 'M'
	case 'ن':
		return 'N'
	case 'ا', 'أ', 'إ', 'آ', 'ٱ', 'ة':
		return 'a'
	case 'و':
		return 'u'
	case 'ى', 'ي', 'ی':
		return 'i'
	case 'ء', 'ئ', 'ؤ', 'ع':
		return 'V'
	}
	return 0
}

// arabicClasses returns the class string (with V) of an Arabic word.
func arabicClasses(ar string) []byte {
	rs := make([]rune, 0, len(ar)/2)
	for _, r := range ar {
		if arabicClass(r) != 0 {
			rs = append(rs, r)
		}
	}
	out := make([]byte, 0, len(rs)+1)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		var next rune
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		if i == 0 {
			switch r {
			case 'ا', 'أ', 'إ', 'آ', 'ٱ', 'ء', 'ع', 'ؤ', 'ئ':
				out = append(out, 'A')
				if r == 'آ' {
					out = append(out, 'a')
				}
				continue
			case 'و':
				out = append(out, 'W')
				continue
			case 'ي':
				out = append(out, 'Y')
				continue
			}
		}
		switch {
		case r == 'ت' && next == 'ش':
			out = append(out, 'C')
			i++
			continue
		case r == 'ن' && next == 'غ':
			out = append(out, 'N')
			i++
			continue
		case r == 'ه' && i == len(rs)-1 && i >= 2:
			out = append(out, 'V') // final ه of a foreign name: بيونسيه
			continue
		}
		if r == 'ة' && i == len(rs)-1 {
			out = append(out, 'V') // أنقرة: a final vowel, often not written in Latin
			continue
		}
		out = append(out, arabicClass(r))
	}
	return collapse(out)
}

// stripArticle removes a leading ال when at least three letters remain.
func stripArticle(ar string) (string, bool) {
	if rest, ok := strings.CutPrefix(ar, "ال"); ok && utf8.RuneCountInString(rest) >= 3 {
		return rest, true
	}
	return ar, false
}

// ArabicSkeleton returns the consonant skeleton of an Arabic word in the
// same class alphabet as Skeleton: diacritics are ignored, a leading ال is
// removed (الكويت → KT), ا و ي ع are vowels except word-initially, and
// a final ة or ه is a vowel. So Skeleton("Kuwait") == ArabicSkeleton("الكويت").
func ArabicSkeleton(ar string) string {
	ar, _ = stripArticle(StripDiacritics(strings.TrimSpace(ar)))
	return skeletonOf(arabicClasses(ar))
}

// NameMatch is one transliteration candidate.
type NameMatch struct {
	Arabic string  // the vocabulary word as given to NewNameMatcher
	Score  float64 // 1 is a perfect match; results are at least MinNameScore
}

// MinNameScore is the lowest score Match returns.
const MinNameScore = 0.6

// nameEntry is one indexed spelling: a vocabulary word, or the same word
// without its article. Its class string is arena[off : off+n].
type nameEntry struct {
	word    int32 // index in NameMatcher.words
	off     int32
	n       uint8
	article bool // the word without its ال
}

// posting maps a packed skeleton (or a skeleton with one class deleted) to
// an entry; postings are sorted by key.
type posting struct {
	key   uint64
	entry int32
}

// NameMatcher finds the Arabic spellings of Latin names in a vocabulary of
// Arabic words, by consonant skeletons (see Skeleton). It is read-only
// after NewNameMatcher and safe for concurrent use.
type NameMatcher struct {
	words   []string
	freq    []int32
	entries []nameEntry
	arena   []byte    // class strings of all entries
	exact   []posting // skeleton → entry
	dels    []posting // skeleton minus one class → entry (skeletons of 4+ classes)
}

// maxKeyClasses is the number of skeleton classes packed into a key; longer
// skeletons are keyed by their first maxKeyClasses classes.
const maxKeyClasses = 12

// classCode numbers the consonant classes 1…31 for packing skeletons of key
// classes (see keyClass) into keys.
var classCode = func() [256]uint8 {
	var t [256]uint8
	for i, c := range "ABTDGHXKSCZFLMNRWY" {
		t[c] = uint8(i + 1)
	}
	return t
}()

// keyClass returns the key class of a consonant class. Classes that
// spellings confuse share a key class, so that they share a key: s z sh
// (English plural s is ز in Arabic: Reuters رويترز; German st is شت), and
// g k q (Beijing بكين, Gaddafi القذافي). The full class strings still tell
// them apart when candidates are scored.
func keyClass(c byte) byte {
	switch c {
	case 'Z', 'C':
		return 'S'
	case 'G':
		return 'K'
	}
	return c
}

// packKey packs a skeleton of key classes (see appendSkeleton), skipping
// position skip (-1: none), into a key.
func packKey(skel string, skip int) uint64 {
	var k uint64
	n := 0
	for i := 0; i < len(skel) && n < maxKeyClasses; i++ {
		if i == skip {
			continue
		}
		k = k<<5 | uint64(classCode[skel[i]])
		n++
	}
	return k
}

// NewNameMatcher indexes a vocabulary of Arabic words (as they appear in the
// index, normalised or not). A word given several times counts as more
// frequent, which breaks ties between equally good spellings. Words with
// a leading ال are indexed with and without it.
func NewNameMatcher(words []string) *NameMatcher {
	m := &NameMatcher{
		words:   make([]string, 0, len(words)),
		freq:    make([]int32, 0, len(words)),
		entries: make([]nameEntry, 0, len(words)+len(words)/4),
		arena:   make([]byte, 0, 6*len(words)),
		exact:   make([]posting, 0, len(words)+len(words)/4),
		dels:    make([]posting, 0, 4*len(words)),
	}
	ids := make(map[string]int32, len(words))
	for _, w := range words {
		w = strings.TrimSpace(w)
		if w == "" {
			continue
		}
		if id, ok := ids[w]; ok {
			m.freq[id]++
			continue
		}
		clean := StripDiacritics(w)
		if len(clean) < 4 || !isAllArabic(clean) { // two Arabic letters or more
			continue
		}
		id := int32(len(m.words))
		ids[w] = id
		m.words = append(m.words, w)
		m.freq = append(m.freq, 1)
		if rest, ok := stripArticle(clean); ok {
			// Near matches only for the word without its article: with
			// it, deleting the ل would make every الX look like an
			// alef-initial name.
			m.add(id, clean, false, false)
			m.add(id, rest, true, true)
		} else {
			m.add(id, clean, false, true)
		}
	}
	byKey := func(a, b posting) int { return cmp.Compare(a.key, b.key) }
	slices.SortFunc(m.exact, byKey)
	slices.SortFunc(m.dels, byKey)
	return m
}

func isAllArabic(s string) bool {
	for _, r := range s {
		if !isArabicLetter(r) {
			return false
		}
	}
	return true
}

func (m *NameMatcher) add(id int32, ar string, article, near bool) {
	full := arabicClasses(ar)
	if len(full) > 255 {
		full = full[:255]
	}
	var sb [64]byte
	skel := string(appendSkeleton(sb[:0], full))
	if len(skel) < 2 {
		return
	}
	e := int32(len(m.entries))
	m.entries = append(m.entries, nameEntry{word: id, off: int32(len(m.arena)), n: uint8(len(full)), article: article})
	m.arena = append(m.arena, full...)
	m.exact = append(m.exact, posting{packKey(skel, -1), e})
	if near && len(skel) >= 4 {
		for i := 0; i < len(skel) && i < maxKeyClasses; i++ {
			if i > 0 && skel[i] == skel[i-1] {
				continue // same deletion as the previous one
			}
			m.dels = append(m.dels, posting{packKey(skel, i), e})
		}
	}
}

// appendSkeleton appends the key classes (see classCode) of the consonants
// of full to dst, writing adjacent consonants that share a key class once.
func appendSkeleton(dst, full []byte) []byte {
	var prev byte
	for _, c := range full {
		if !isVowelClass(c) {
			k := keyClass(c)
			if k != prev { // ss, sz: one sound
				dst = append(dst, k)
			}
			prev = k
		} else {
			prev = 0
		}
	}
	return dst
}

// lookup appends the entries posted under key.
func lookup(ps []posting, key uint64, dst []int32) []int32 {
	i, _ := slices.BinarySearchFunc(ps, key, func(p posting, k uint64) int {
		switch {
		case p.key < k:
			return -1
		case p.key > k:
			return 1
		}
		return 0
	})
	for ; i < len(ps) && ps[i].key == key; i++ {
		dst = append(dst, ps[i].entry)
	}
	return dst
}

// Len returns the number of distinct vocabulary words.
func (m *NameMatcher) Len() int { return len(m.words) }

// IsNameCandidate reports whether Match would try to transliterate the
// Latin word: four letters or more, and not an English stop word or one of
// a list of common English words.
func IsNameCandidate(latin string) bool {
	f := foldLatin(latin)
	return len(f) >= 4 && !stopWords[f] && !commonWords[f]
}

// Match returns up to limit vocabulary words that may be the Arabic spelling
// of the Latin name, best first, each scoring at least MinNameScore.
// Skeletons must be equal, or, for names of four or more consonant classes,
// one class apart (for four classes, only when the Arabic has a class more
// or one other class; the Latin may have one more from five classes on;
// names under six classes keep their first class); candidates are scored by a weighted edit distance over
// the full class strings, in which vowels cost little (Arabic omits short
// vowels). Ties go to the more frequent word. Short words (under four
// letters) and common English words give nothing.
func (m *NameMatcher) Match(latin string, limit int) []NameMatch {
	if m == nil || limit <= 0 || !IsNameCandidate(latin) {
		return nil
	}
	full := latinClasses(foldLatin(latin))
	var sb [64]byte
	skel := string(appendSkeleton(sb[:0], full))
	if len(skel) < 2 {
		return nil
	}
	var cb [64]int32
	cands := lookup(m.exact, packKey(skel, -1), cb[:0])
	if len(skel) >= 4 {
		cands = lookup(m.dels, packKey(skel, -1), cands) // the Arabic has one more class
		for i := 0; i < len(skel) && i < maxKeyClasses; i++ {
			if i > 0 && skel[i] == skel[i-1] || i == 0 && len(skel) < 6 {
				continue // short names keep their first class
			}
			k := packKey(skel, i)
			if len(skel) >= 5 {
				// The Latin has one more class. Not for four classes:
				// that would bring in every triliteral word around.
				cands = lookup(m.exact, k, cands)
			}
			cands = lookup(m.dels, k, cands) // one class differs
		}
	}
	if len(cands) == 0 {
		return nil
	}
	slices.Sort(cands)
	cands = slices.Compact(cands)
	type scored struct {
		id    int32
		score float64
	}
	res := make([]scored, 0, 8)
	var eb [64]byte
	for _, e := range cands {
		en := m.entries[e]
		efull := m.arena[en.off : en.off+int32(en.n)]
		eskel := appendSkeleton(eb[:0], efull)
		if len(skel) >= 4 && string(eskel) != skel {
			if len(skel) < 6 && eskel[0] != skel[0] || levenshtein(skel, eskel) > 1 {
				continue
			}
		}
		d := classDistance(full, efull)
		if en.article {
			d += 0.1 // the Latin wrote no article
		}
		n := max(len(skel), len(eskel))
		score := 1 - d/float64(n+1)
		if score < MinNameScore {
			continue
		}
		dup := false
		for i := range res {
			if res[i].id == en.word {
				res[i].score = max(res[i].score, score)
				dup = true
				break
			}
		}
		if !dup {
			res = append(res, scored{en.word, score})
		}
	}
	sort.Slice(res, func(i, j int) bool {
		a, b := res[i], res[j]
		if a.score != b.score {
			return a.score > b.score
		}
		// Tie: the more frequent word, then the shorter, then by text.
		if m.freq[a.id] != m.freq[b.id] {
			return m.freq[a.id] > m.freq[b.id]
		}
		wa, wb := m.words[a.id], m.words[b.id]
		if len(wa) != len(wb) {
			return len(wa) < len(wb)
		}
		return wa < wb
	})
	if len(res) > limit {
		res = res[:limit]
	}
	out := make([]NameMatch, len(res))
	for i, r := range res {
		out[i] = NameMatch{Arabic: m.words[r.id], Score: r.score}
	}
	return out
}

// Translations returns Match's candidates as Translations with Source
// "translit" and the score as weight.
func (m *NameMatcher) Translations(latin string, limit int) []Translation {
	ms := m.Match(latin, limit)
	if len(ms) == 0 {
		return nil
	}
	out := make([]Translation, len(ms))
	for i, x := range ms {
		out[i] = Translation{Arabic: x.Arabic, Weight: x.Score, Source: SourceTranslit, Phrase: strings.Contains(x.Arabic, " ")}
	}
	return out
}

// levenshtein is the unit edit distance of two short class strings.
func levenshtein(a string, b []byte) int {
	if a == string(b) {
		return 0
	}
	var row [33]int
	if len(b) > 32 {
		b = b[:32]
	}
	for j := 0; j <= len(b); j++ {
		row[j] = j
	}
	for i := 1; i <= len(a); i++ {
		prev := row[0]
		row[0] = i
		for j := 1; j <= len(b); j++ {
			cur := row[j]
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			row[j] = min(row[j]+1, row[j-1]+1, prev+cost)
			prev = cur
		}
	}
	return row[len(b)]
}

// latinOnlyCost is the cost of a class written in the Latin name only.
func latinOnlyCost(c byte) float64 {
	switch {
	case isVowelClass(c):
		return 0.2 // Arabic writes no short vowels
	case c == 'H':
		return 0.6 // h written for a vowel (Sarah) or after one
	}
	return 1
}

// arabicOnlyCost is the cost of a class written in the Arabic word only.
func arabicOnlyCost(c byte) float64 {
	switch {
	case c == 'V':
		return 0.2 // ع ء, which Latin spellings often drop
	case isVowelClass(c):
		return 0.4 // a long vowel the Latin does not write
	case c == 'H':
		return 0.6
	}
	return 1
}

// subCost is the cost of Latin class a written as Arabic class b.
func subCost(a, b byte) float64 {
	switch {
	case a == b:
		return 0
	case isVowelClass(a) && isVowelClass(b):
		if a == 'V' || b == 'V' {
			return 0.1
		}
		return 0.35
	case a == 'A' && isVowelClass(b), b == 'A' && isVowelClass(a):
		return 0.5
	case a == 'A' && (b == 'W' || b == 'Y' || b == 'H'), b == 'A' && (a == 'W' || a == 'Y' || a == 'H'):
		return 0.6
	case a == 'T' && b == 'D', a == 'D' && b == 'T', a == 'S' && b == 'Z', a == 'Z' && b == 'S',
		a == 'K' && b == 'G', a == 'G' && b == 'K', a == 'H' && b == 'X', a == 'X' && b == 'H',
		a == 'S' && b == 'C', a == 'C' && b == 'S', a == 'K' && b == 'X', a == 'X' && b == 'K':
		return 0.6
	}
	return 1
}

// costTables holds latinOnlyCost, arabicOnlyCost and subCost for every
// class byte, so that classDistance does no branching.
type costTables struct {
	latinOnly, arabicOnly [128]float32
	sub                   [128][128]float32
}

var costs = func() *costTables {
	t := new(costTables)
	const classes = "ABTDGHXKSCZFLMNRWYaiuV"
	for i := range 128 {
		t.latinOnly[i], t.arabicOnly[i] = 1, 1
		for j := range 128 {
			t.sub[i][j] = 1
		}
	}
	for i := 0; i < len(classes); i++ {
		a := classes[i]
		t.latinOnly[a] = float32(latinOnlyCost(a))
		t.arabicOnly[a] = float32(arabicOnlyCost(a))
		for j := 0; j < len(classes); j++ {
			b := classes[j]
			t.sub[a][b] = float32(subCost(a, b))
		}
	}
	return t
}()

// classDistance is a weighted edit distance from a Latin class string a to
// an Arabic one b.
func classDistance(a, b []byte) float64 {
	const maxLen = 40
	if len(a) > maxLen {
		a = a[:maxLen]
	}
	if len(b) > maxLen {
		b = b[:maxLen]
	}
	var row [maxLen + 1]float32
	for j := 1; j <= len(b); j++ {
		row[j] = row[j-1] + costs.arabicOnly[b[j-1]&127]
	}
	for i := 1; i <= len(a); i++ {
		ca := a[i-1] & 127
		del := costs.latinOnly[ca]
		sub := &costs.sub[ca]
		prev := row[0]
		row[0] += del
		for j := 1; j <= len(b); j++ {
			cb := b[j-1] & 127
			cur := row[j]
			v := cur + del
			if w := row[j-1] + costs.arabicOnly[cb]; w < v {
				v = w
			}
			if w := prev + sub[cb]; w < v {
				v = w
			}
			row[j] = v
			prev = cur
		}
	}
	return float64(row[len(b)])
}
