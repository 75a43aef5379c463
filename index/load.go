package index

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// LoadDir reads every article under the root of fsys: files ending in .txt
// or .md (any case), in subfolders too, skipping files and folders whose
// name starts with ".". Each is parsed with ParseArticle under its path
// relative to the root, so its ID is that path without the extension, "/"
// separated. The articles come back sorted by ID.
//
// NAME.en.txt (or NAME.en.md) beside NAME.txt or NAME.md is NAME's English
// translation: it is parsed the same way with Lang forced to "en", its ID
// and every Sentence.Doc set to NAME's ID (its Path stays its own), and it is
// attached as Article.Translation instead of being an article of its own.
// The original's Hash then covers both files' bytes (sha256 of the
// original's bytes followed by the translation's).
//
// Problems come back as LoadErrors, sorted by path and line, and never stop
// the other files from loading: a file that cannot be read or parsed; a
// second file with the same ID (a.txt after a.md: the later path in
// lexical order is reported); a translation without an original; a
// translation whose paragraph count differs from the original's (reported
// on the translation, the original loads without it). A translation of an
// original that failed to parse is dropped silently: the original's error
// says what to fix.
func LoadDir(fsys fs.FS) ([]*Article, []LoadError) {
	var errs []LoadError
	type file struct {
		path, id string
		data     []byte
	}
	var originals, translations []file
	walkErr := walkArticleFiles(fsys, func(p string, data []byte, problem string) {
		if problem != "" {
			errs = append(errs, LoadError{Path: p, Err: problem})
			return
		}
		id := strings.TrimSuffix(p, path.Ext(p))
		if base, ok := strings.CutSuffix(id, ".en"); ok && base != "" && !strings.HasSuffix(base, "/") {
			translations = append(translations, file{p, base, data})
		} else {
			originals = append(originals, file{p, id, data})
		}
	})
	if walkErr != nil {
		errs = append(errs, LoadError{Path: ".", Err: unwrapPathError(walkErr)})
	}

	byID := map[string]*Article{}
	srcPath := map[string]string{}
	failed := map[string]bool{}
	data := map[string][]byte{}
	for _, f := range originals {
		if prev, dup := srcPath[f.id]; dup {
			errs = append(errs, LoadError{Path: f.path, Err: fmt.Sprintf("duplicate document id %q (also %s); this file is ignored", f.id, prev)})
			continue
		}
		srcPath[f.id] = f.path
		a, err := ParseArticle(f.path, f.data)
		if err != nil {
			errs = append(errs, asLoadError(f.path, err))
			failed[f.id] = true
			continue
		}
		byID[f.id] = a
		data[f.id] = f.data
	}

	trSeen := map[string]string{}
	for _, f := range translations {
		if prev, dup := trSeen[f.id]; dup {
			errs = append(errs, LoadError{Path: f.path, Err: fmt.Sprintf("duplicate translation of %q (also %s); this file is ignored", f.id, prev)})
			continue
		}
		trSeen[f.id] = f.path
		orig := byID[f.id]
		if orig == nil {
			if !failed[f.id] {
				errs = append(errs, LoadError{Path: f.path, Err: fmt.Sprintf("translation without an original: no %s.txt or %s.md", f.id, f.id)})
			}
			continue
		}
		tr, err := ParseArticle(f.path, f.data)
		if err != nil {
			errs = append(errs, asLoadError(f.path, err))
			continue
		}
		if len(tr.Paragraphs) != len(orig.Paragraphs) {
			errs = append(errs, paragraphMismatch(f.path, tr, orig))
			continue
		}
		tr.ID = orig.ID
		tr.Lang = "en"
		for i := range tr.Paragraphs {
			for j := range tr.Paragraphs[i].Sentences {
				tr.Paragraphs[i].Sentences[j].Doc = orig.ID
			}
		}
		orig.Translation = tr
		h := sha256.New()
		h.Write(data[f.id])
		h.Write(f.data)
		orig.Hash = hex.EncodeToString(h.Sum(nil))
	}

	arts := make([]*Article, 0, len(byID))
	for _, a := range byID {
		arts = append(arts, a)
	}
	sort.Slice(arts, func(i, j int) bool { return arts[i].ID < arts[j].ID })
	sort.SliceStable(errs, func(i, j int) bool {
		if errs[i].Path != errs[j].Path {
			return errs[i].Path < errs[j].Path
		}
		return errs[i].Line < errs[j].Line
	})
	return arts, errs
}

// paragraphMismatch describes where a translation's paragraphs stop
// lining up with the original's: the first paragraph whose kind (heading,
// list item, text) differs, else the first one past the shorter article.
func paragraphMismatch(p string, tr, orig *Article) LoadError {
	e := LoadError{Path: p, Err: fmt.Sprintf("translation has %d paragraphs, %s has %d; the translation is ignored",
		len(tr.Paragraphs), orig.Path, len(orig.Paragraphs))}
	n := min(len(tr.Paragraphs), len(orig.Paragraphs))
	for i := 0; i < n; i++ {
		t, o := tr.Paragraphs[i], orig.Paragraphs[i]
		if t.Heading != o.Heading || t.ListItem != o.ListItem {
			e.Line = t.Line
			e.Err += fmt.Sprintf(" (paragraph %d is a %s here but a %s at %s:%d)", i+1, paraKind(t), paraKind(o), orig.Path, o.Line)
			return e
		}
	}
	if len(tr.Paragraphs) > n {
		e.Line = tr.Paragraphs[n].Line
		e.Err += fmt.Sprintf(" (paragraph %d has no counterpart)", n+1)
	} else if n > 0 {
		e.Err += fmt.Sprintf(" (%s paragraph %d, line %d, has no counterpart)", orig.Path, n+1, orig.Paragraphs[n].Line)
	}
	return e
}

func paraKind(p Paragraph) string {
	switch {
	case p.Heading:
		return "heading"
	case p.ListItem:
		return "list item"
	}
	return "text paragraph"
}

func asLoadError(p string, err error) LoadError {
	if le, ok := err.(LoadError); ok {
		return le
	}
	return LoadError{Path: p, Err: err.Error()}
}

// unwrapPathError drops the path an *fs.PathError repeats.
func unwrapPathError(err error) string {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Op + ": " + pe.Err.Error()
	}
	return err.Error()
}

// walkArticleFiles calls visit, in path order, for every file LoadDir reads
// (.txt and .md, not hidden, not in a hidden folder) with its bytes, or with
// the problem that kept it from being read (a walk error, too large, a read
// error). It returns the error of walking the root itself. LoadDir and
// ContentHash share it, so the hash covers exactly what is loaded.
func walkArticleFiles(fsys fs.FS, visit func(p string, data []byte, problem string)) error {
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "." {
				return err
			}
			visit(p, nil, unwrapPathError(err))
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		name := d.Name()
		if p != "." && strings.HasPrefix(name, ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		ext := strings.ToLower(path.Ext(name))
		if ext != ".txt" && ext != ".md" {
			return nil
		}
		if info, err := d.Info(); err == nil && info.Size() > MaxArticleBytes {
			visit(p, nil, fmt.Sprintf("file is %d bytes, more than the %d allowed", info.Size(), MaxArticleBytes))
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			visit(p, nil, unwrapPathError(err))
			return nil
		}
		visit(p, data, "")
		return nil
	})
}
