// Package qa answers a question with quoted, cited sentences from the index.
package qa

// Answer is one quoted passage with its citation. Quote is the article's text
// exactly: one sentence, or a few adjacent ones.
type Answer struct {
	Quote       string  `json:"quote"`
	Doc         string  `json:"doc"`
	Title       string  `json:"title"`
	Source      string  `json:"source"`
	URL         string  `json:"url"`
	Paragraph   int     `json:"paragraph"`
	Sentence    int     `json:"sentence"`
	Score       float64 `json:"score"`
	Translation string  `json:"translation,omitempty"`
	Section     string  `json:"section,omitempty"` // the sub-heading the quote sits under
	// Unmatched are the question's words, as asked, that the quote does not
	// hold in any form the engine knows (itself, a stem, a root, a synonym,
	// a translation): at most three, the most telling first. A quote that
	// leaves out what the question asks about («متى تأسس …» answered by
	// a sentence that never mentions a founding) says so to the reader.
	Unmatched []string `json:"unmatched,omitempty"`
}

// Result is the answer to one question. Answered is false and Answers empty
// when nothing is good enough to quote; Closest then names the articles that
// came nearest, so the reply can point the asker somewhere.
type Result struct {
	Question string   `json:"question"`
	Lang     string   `json:"lang"`
	Answered bool     `json:"answered"`
	Answers  []Answer `json:"answers"`
	Closest  []DocRef `json:"closest,omitempty"`
}

// DocRef names an article.
type DocRef struct {
	Doc   string `json:"doc"`
	Title string `json:"title"`
	URL   string `json:"url,omitempty"`
}
