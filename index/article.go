// Package index turns article files into documents, paragraphs and sentences,
// and keeps them in a bleve index of one document per sentence.
package index

import "time"

// Article is one content file: its front matter and its body split into
// paragraphs and sentences. Translation, when set, is the parallel English
// version read from NAME.en.txt (same number of paragraphs, same order).
type Article struct {
	ID        string // path relative to the content dir, without extension, "/" separated
	Path      string // path relative to the content dir, as found
	Title     string
	Source    string
	URL       string
	Author    string
	Section   string
	Lang      string // "ar" (default) or "en"
	Published time.Time

	Paragraphs  []Paragraph
	Translation *Article // nil when there is no NAME.en.txt
	Hash        string   // hex sha256 of the file bytes (and the translation's, if any)
}

// Paragraph is one block of the body, separated from the next by a blank line.
// N is 1-based over all paragraphs of the article, headings and list items included.
type Paragraph struct {
	N         int
	Text      string // the paragraph text, whitespace-trimmed, internal line breaks kept
	Heading   bool   // a short line without final punctuation: a sub-heading
	ListItem  bool   // a line starting with "-", "*", "•" or "1." etc., or a heading-like line under a heading
	Section   string // text of the nearest heading above this paragraph ("" before the first)
	Sentences []Sentence
	Line      int // 1-based line in the file where the paragraph starts
}

// Sentence is one sentence of a paragraph. Text is exactly Paragraph.Text[Start:End]
// (byte offsets), so a quote is always the article's own text.
type Sentence struct {
	Doc       string
	Paragraph int // 1-based
	N         int // 1-based within the paragraph
	Start     int
	End       int
	Text      string
}

// LoadError reports a content file that could not be read or parsed.
type LoadError struct {
	Path string
	Line int // 0 when not known
	Err  string
}

func (e LoadError) Error() string {
	if e.Line > 0 {
		return e.Path + ":" + itoa(e.Line) + ": " + e.Err
	}
	return e.Path + ": " + e.Err
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
