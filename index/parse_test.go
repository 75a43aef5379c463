package index

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func mustParse(t *testing.T, path, src string) *Article {
	t.Helper()
	a, err := ParseArticle(path, []byte(src))
	if err != nil {
		t.Fatalf("ParseArticle(%s): %v", path, err)
	}
	checkArticle(t, a)
	return a
}

// checkArticle asserts the structural invariants of a parsed article.
func checkArticle(t *testing.T, a *Article) {
	t.Helper()
	for i, p := range a.Paragraphs {
		if p.N != i+1 {
			t.Fatalf("paragraph %d has N=%d", i+1, p.N)
		}
		if p.Text == "" || trimText(p.Text) != p.Text {
			t.Fatalf("paragraph %d text %q empty or untrimmed", p.N, p.Text)
		}
		if p.Line < 1 || len(p.Sentences) == 0 {
			t.Fatalf("paragraph %d: line %d, %d sentences", p.N, p.Line, len(p.Sentences))
		}
		prev := 0
		for k, s := range p.Sentences {
			if s.N != k+1 || s.Paragraph != p.N || s.Doc != a.ID {
				t.Fatalf("sentence %d.%d: %+v", p.N, k+1, s)
			}
			if s.Start < prev || s.End <= s.Start || s.End > len(p.Text) || p.Text[s.Start:s.End] != s.Text {
				t.Fatalf("sentence %d.%d span [%d,%d) wrong for %q", p.N, k+1, s.Start, s.End, p.Text)
			}
			prev = s.End
		}
	}
}

func wantLoadError(t *testing.T, err error, line int, contains string) {
	t.Helper()
	var le LoadError
	if !errors.As(err, &le) {
		t.Fatalf("error %v (%T) is not a LoadError", err, err)
	}
	if le.Line != line || !strings.Contains(le.Err, contains) || le.Path == "" {
		t.Fatalf("got %v (line %d), want line %d containing %q", le, le.Line, line, contains)
	}
}

func TestParseFrontMatter(t *testing.T) {
	a := mustParse(t, "news/one.txt", `+++
title = "العنوان"
source = "جريدة القبس"
url = "https://alqabas.com/x"
author = "مي السكري"
published = 2025-06-01
section = "سياسة"
lang = "ar"
+++
نص الخبر الأول. والجملة الثانية.
`)
	if a.ID != "news/one" || a.Path != "news/one.txt" || a.Title != "العنوان" || a.Source != "جريدة القبس" ||
		a.URL != "https://alqabas.com/x" || a.Author != "مي السكري" || a.Section != "سياسة" || a.Lang != "ar" {
		t.Errorf("front matter: %+v", a)
	}
	if want := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC); !a.Published.Equal(want) || a.Published.Location() != time.UTC {
		t.Errorf("published %v, want %v", a.Published, want)
	}
	if len(a.Paragraphs) != 1 || a.Paragraphs[0].Line != 10 || len(a.Paragraphs[0].Sentences) != 2 {
		t.Errorf("body: %+v", a.Paragraphs)
	}
	if len(a.Hash) != 64 {
		t.Errorf("hash %q", a.Hash)
	}
}

func TestParseDates(t *testing.T) {
	for _, tt := range []struct{ v, want string }{
		{"2025-06-01", "2025-06-01T00:00:00Z"},
		{"2025-06-01T10:30:00", "2025-06-01T10:30:00Z"},
		{"2025-06-01T10:30:00+03:00", "2025-06-01T10:30:00+03:00"},
		{"2025-06-01 10:30:00Z", "2025-06-01T10:30:00Z"},
	} {
		a := mustParse(t, "d.txt", "+++\npublished = "+tt.v+"\n+++\nText.\n")
		if got := a.Published.Format(time.RFC3339); got != tt.want {
			t.Errorf("published = %s: got %s, want %s", tt.v, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src string
		line      int
		contains  string
	}{
		{"unknown key", "+++\ntitle = \"t\"\n\nauthr = \"x\"\n+++\nText.\n", 4, `unknown key "authr"`},
		{"unknown table", "+++\ntitle = \"t\"\n[extra]\nx = 1\n+++\nText.\n", 3, `unknown key "extra"`},
		{"wrong type", "+++\ntitle = 5\n+++\nText.\n", 2, "title must be a string"},
		{"quoted date", "+++\ntitle = \"t\"\npublished = \"2025-06-01\"\n+++\nText.\n", 3, "published must be a TOML date"},
		{"time of day", "+++\npublished = 10:30:00\n+++\nText.\n", 2, "published"},
		{"bad lang", "+++\nlang = \"fr\"\n+++\nText.\n", 2, "lang must be"},
		{"bad toml", "+++\ntitle = \"t\"\nsource = \"unterminated\n+++\nText.\n", 3, "front matter"},
		{"bad toml later line", "+++\ntitle = \"t\"\nsource = \"s\"\nurl = = \"u\"\n+++\nText.\n", 4, "front matter"},
		{"duplicate key", "+++\ntitle = \"t\"\ntitle = \"u\"\n+++\nText.\n", 3, "front matter"},
		{"unterminated front matter", "+++\ntitle = \"t\"\nText.\n", 1, "not closed"},
		{"empty body", "+++\ntitle = \"t\"\n+++\n\n  \n", 4, "no text"},
		{"empty file", "", 1, "no text"},
		{"invalid utf-8", "+++\ntitle = \"t\"\n+++\nسطر أول.\nسطر \xff ثان.\n", 5, "invalid UTF-8"},
		{"invalid utf-8 crlf", "Line one.\r\n\r\nbad \xc3\x28\r\n", 3, "invalid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := ParseArticle("x/bad.txt", []byte(tt.src))
			if err == nil {
				t.Fatalf("no error; got %+v", a)
			}
			wantLoadError(t, err, tt.line, tt.contains)
			if !strings.HasPrefix(err.Error(), "x/bad.txt:") {
				t.Errorf("error %q does not start with the path", err)
			}
		})
	}
}

func TestParseTooBig(t *testing.T) {
	_, err := ParseArticle("big.txt", []byte(strings.Repeat("a", MaxArticleBytes+1)))
	wantLoadError(t, err, 0, "more than")
}

func TestParseNoFrontMatter(t *testing.T) {
	a := mustParse(t, "dir/plain-file.md", "First paragraph here.\n\nSecond one, with two. Sentences here.\n")
	if a.Title != "plain-file" || a.Lang != "ar" || a.ID != "dir/plain-file" || len(a.Paragraphs) != 2 {
		t.Errorf("got title %q lang %q id %q, %d paragraphs", a.Title, a.Lang, a.ID, len(a.Paragraphs))
	}
	if a.Paragraphs[1].Line != 3 || len(a.Paragraphs[1].Sentences) != 2 {
		t.Errorf("paragraph 2: %+v", a.Paragraphs[1])
	}
}

func TestParseHeadingsAndLists(t *testing.T) {
	src := `+++
lang = "en"
+++
Turkey and Kuwait
Intro paragraph, which is long enough and ends with a full stop.

Joint will

The protocol was signed in March. It was the first.

The programmes are:
- search and rescue
- special operations
  in the field
* intelligence

Training box

Search and rescue

Special operations

A final sentence after the box.

# Markdown heading
1. first numbered
2) second numbered
١. arabic numbered

***

She asked: why?
`
	a := mustParse(t, "h.en.md", src)
	type want struct {
		text              string
		heading, listItem bool
		section           string
		line              int
	}
	wants := []want{
		{"Turkey and Kuwait\nIntro paragraph, which is long enough and ends with a full stop.", false, false, "", 4},
		{"Joint will", true, false, "Joint will", 7},
		{"The protocol was signed in March. It was the first.", false, false, "Joint will", 9},
		{"The programmes are:", false, false, "Joint will", 11},
		{"search and rescue", false, true, "Joint will", 12},
		{"special operations\n  in the field", false, true, "Joint will", 13},
		{"intelligence", false, true, "Joint will", 15},
		{"Training box", true, false, "Training box", 17},
		{"Search and rescue", false, true, "Training box", 19},
		{"Special operations", false, true, "Training box", 21},
		{"A final sentence after the box.", false, false, "Training box", 23},
		{"Markdown heading", true, false, "Markdown heading", 25},
		{"first numbered", false, true, "Markdown heading", 26},
		{"second numbered", false, true, "Markdown heading", 27},
		{"arabic numbered", false, true, "Markdown heading", 28},
		{"She asked: why?", false, false, "Markdown heading", 32},
	}
	if len(a.Paragraphs) != len(wants) {
		for _, p := range a.Paragraphs {
			t.Logf("%d %q h=%v l=%v", p.N, p.Text, p.Heading, p.ListItem)
		}
		t.Fatalf("%d paragraphs, want %d", len(a.Paragraphs), len(wants))
	}
	for i, w := range wants {
		p := a.Paragraphs[i]
		if p.Text != w.text || p.Heading != w.heading || p.ListItem != w.listItem || p.Section != w.section || p.Line != w.line {
			t.Errorf("paragraph %d = {%q h=%v l=%v %q line %d}, want %+v", i+1, p.Text, p.Heading, p.ListItem, p.Section, p.Line, w)
		}
		if !strings.Contains(src, p.Text) {
			t.Errorf("paragraph %d text %q is not in the file", i+1, p.Text)
		}
	}
	if a.Title != "Joint will" || a.Lang != "en" || a.ID != "h.en" {
		t.Errorf("title %q lang %q id %q", a.Title, a.Lang, a.ID)
	}
}

func TestParseCRLFAndBOM(t *testing.T) {
	lf := "+++\ntitle = \"T\"\n+++\nعنوان فرعي\n\nالجملة الأولى.\nوالثانية في سطر.\n\nفقرة أخيرة.\n"
	crlf := "\xEF\xBB\xBF" + strings.ReplaceAll(lf, "\n", "\r\n")
	a := mustParse(t, "a.txt", lf)
	b := mustParse(t, "a.txt", crlf)
	if a.Hash == b.Hash {
		t.Error("hash ignores the bytes")
	}
	if len(a.Paragraphs) != len(b.Paragraphs) || b.Title != "T" {
		t.Fatalf("CRLF/BOM: %d vs %d paragraphs, title %q", len(a.Paragraphs), len(b.Paragraphs), b.Title)
	}
	for i := range a.Paragraphs {
		pa, pb := a.Paragraphs[i], b.Paragraphs[i]
		if pa.Text != pb.Text || pa.Line != pb.Line || pa.Heading != pb.Heading || len(pa.Sentences) != len(pb.Sentences) {
			t.Errorf("paragraph %d differs: %+v vs %+v", i+1, pa, pb)
		}
		if strings.ContainsRune(pb.Text, '\r') {
			t.Errorf("paragraph %d keeps \\r: %q", i+1, pb.Text)
		}
	}
	if !a.Paragraphs[0].Heading || len(a.Paragraphs[1].Sentences) != 2 {
		t.Errorf("structure: %+v", a.Paragraphs)
	}
	// A BOM alone before the front matter.
	c := mustParse(t, "c.txt", "\xEF\xBB\xBF"+lf)
	if c.Title != "T" {
		t.Errorf("BOM hides the front matter: title %q", c.Title)
	}
}

// TestParseSeed parses the seed article and checks its structure.
func TestParseSeed(t *testing.T) {
	data, err := os.ReadFile("../seeds/alqabas-turkey-kuwait-defence.txt")
	if err != nil {
		t.Skip("seed article not found:", err)
	}
	a, err := ParseArticle("alqabas-turkey-kuwait-defence.txt", data)
	if err != nil {
		t.Fatal(err)
	}
	checkArticle(t, a)
	if a.Title != "السفيرة التركية لـ القبس: اتفاقيات دفاعية جديدة قيد التفاوض مع الكويت" ||
		a.Source != "جريدة القبس الإلكتروني" || a.Author != "مي السكري" || a.Section != "سياسة" ||
		a.Lang != "ar" || a.ID != "alqabas-turkey-kuwait-defence" {
		t.Errorf("front matter: %q %q %q %q %q %q", a.Title, a.Source, a.Author, a.Section, a.Lang, a.ID)
	}
	var headings, items []string
	sentences := 0
	for _, p := range a.Paragraphs {
		if p.Heading {
			headings = append(headings, p.Text)
		}
		if p.ListItem {
			items = append(items, p.Text)
			if p.Section != "برامج تدريبية تركية للحرس الوطني" {
				t.Errorf("list item %q in section %q", p.Text, p.Section)
			}
		}
		sentences += len(p.Sentences)
		for _, s := range p.Sentences {
			if !strings.Contains(string(data), s.Text) {
				t.Errorf("sentence %d.%d is not in the file", p.N, s.N)
			}
		}
	}
	wantH := []string{"إرادة مشتركة", "خطط للتعاون", "شريك موثوق", "علاقات متطورة", "برامج تدريبية تركية للحرس الوطني"}
	if strings.Join(headings, "|") != strings.Join(wantH, "|") {
		t.Errorf("headings %q, want %q", headings, wantH)
	}
	wantI := []string{"البحث والإنقاذ في الكوارث الطبيعية", "التدريب في مجال العمليات الخاصة", "مجال الاستخبارات والأمن الداخلي", "الصيانة والإصلاح والتدريب على الطيران"}
	if strings.Join(items, "|") != strings.Join(wantI, "|") {
		t.Errorf("list items %q, want %q", items, wantI)
	}
	last := a.Paragraphs[len(a.Paragraphs)-1]
	if !last.ListItem || last.Text != wantI[3] {
		t.Errorf("last paragraph %+v", last)
	}
	if p := a.Paragraphs[0]; p.Line != 9 || p.Section != "" {
		t.Errorf("first paragraph at line %d section %q", p.Line, p.Section)
	}
	t.Logf("seed: %d paragraphs, %d sentences", len(a.Paragraphs), sentences)
	if len(a.Paragraphs) != 29 || sentences != 30 {
		t.Errorf("seed: %d paragraphs, %d sentences; want 29, 30", len(a.Paragraphs), sentences)
	}
}

func FuzzParseArticle(f *testing.F) {
	f.Add([]byte("+++\ntitle = \"t\"\npublished = 2025-06-01\n+++\nHeading\n\nText. More text?\n- item\n"))
	f.Add([]byte("\xEF\xBB\xBFعنوان\r\n\r\nنص «قصير. جدا» هنا.\r\n"))
	f.Add([]byte("+++\nx = [1,2]\n+++\n"))
	f.Add([]byte("# h\n1. a\n2) b\n***\n\n"))
	if data, err := os.ReadFile("../seeds/alqabas-turkey-kuwait-defence.txt"); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := ParseArticle("f.txt", data)
		if err != nil {
			var le LoadError
			if !errors.As(err, &le) || le.Path != "f.txt" || le.Line < 0 {
				t.Fatalf("bad error %v", err)
			}
			return
		}
		if len(a.Paragraphs) == 0 {
			t.Fatal("no paragraphs without an error")
		}
		checkArticle(t, a)
	})
}
