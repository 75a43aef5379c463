package index

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"sync"
	"unsafe"
)

// The snapshot file holds what an Index needs besides bleve — the articles
// and the TermTable — so opening a generation analyses nothing:
//
//	"QABOTSNP"                 magic
//	uvarint FormatVersion
//	uvarint len(A)
//	A: strings part            articles (every text field), then the term dictionary
//	B: numbers part            df, per-sentence words, translation words, vocabulary
//	crc32-C of all the above, 4 bytes little-endian
//
// Counts and positions are (u)varints; term ids and df (the bulk of B) are
// 4-byte little-endian, which decodes at memory speed. A is read into a
// buffer of its own that becomes one Go string, and every text field of the
// articles and every term is a substring of it, so reading allocates little;
// B is dropped once decoded. A and B decode in parallel. A Sentence's Text is stored only when it is not
// its paragraph's Text[Start:End]; its Doc only when it is not the article ID.

const snapshotMagic = "QABOTSNP"

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

type encoder struct{ b []byte }

func (e *encoder) uv(v uint64)  { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) iv(v int)     { e.b = binary.AppendVarint(e.b, int64(v)) }
func (e *encoder) u32(v uint32) { e.b = binary.LittleEndian.AppendUint32(e.b, v) }
func (e *encoder) str(s string) {
	e.uv(uint64(len(s)))
	e.b = append(e.b, s...)
}

// encodeSnapshot serialises the articles and term table of ix.
func encodeSnapshot(ix *Index) ([]byte, error) {
	var a, b encoder
	a.uv(uint64(len(ix.Articles)))
	for _, art := range ix.Articles {
		if err := a.article(art); err != nil {
			return nil, err
		}
	}
	t := ix.Terms
	terms := make([]string, len(t.dict))
	for k, id := range t.dict {
		if int(id) >= len(terms) {
			return nil, fmt.Errorf("snapshot: term id %d out of range", id)
		}
		terms[id] = k
	}
	a.uv(uint64(len(terms)))
	for _, k := range terms[1:] {
		a.str(k)
	}

	if len(t.df) != len(terms) {
		return nil, fmt.Errorf("snapshot: %d df entries for %d terms", len(t.df), len(terms))
	}
	b.uv(uint64(t.n))
	b.uv(uint64(len(terms)))
	for _, df := range t.df {
		b.u32(df)
	}
	writeWords := func(ws [][]Word, nilable bool) {
		total := 0
		for _, w := range ws {
			total += len(w)
		}
		b.uv(uint64(len(ws)))
		b.uv(uint64(total))
		for _, w := range ws {
			switch {
			case !nilable:
				b.uv(uint64(len(w)))
			case w == nil:
				b.uv(0)
			default:
				b.uv(uint64(len(w)) + 1)
			}
		}
		for _, w := range ws {
			for _, x := range w {
				b.u32(x.Exact)
				b.u32(x.Light)
				b.u32(x.Snow)
			}
		}
	}
	writeWords(t.words, false)
	writeWords(t.trans, true)
	b.uv(uint64(len(t.vocab)))
	for _, v := range t.vocab {
		id, ok := t.dict["e"+v]
		if !ok {
			return nil, fmt.Errorf("snapshot: vocabulary word %q is not in the dictionary", v)
		}
		b.u32(id)
	}

	out := make([]byte, 0, len(snapshotMagic)+20+len(a.b)+len(b.b)+4)
	out = append(out, snapshotMagic...)
	out = binary.AppendUvarint(out, FormatVersion)
	out = binary.AppendUvarint(out, uint64(len(a.b)))
	out = append(out, a.b...)
	out = append(out, b.b...)
	out = binary.LittleEndian.AppendUint32(out, crc32.Checksum(out, castagnoli))
	return out, nil
}

func (e *encoder) article(art *Article) error {
	for _, s := range []string{art.ID, art.Path, art.Title, art.Source, art.URL, art.Author, art.Section, art.Lang, art.Hash} {
		e.str(s)
	}
	pub, err := art.Published.MarshalBinary()
	if err != nil {
		return fmt.Errorf("snapshot: %s: %w", art.ID, err)
	}
	e.str(string(pub))
	e.uv(uint64(len(art.Paragraphs)))
	for i := range art.Paragraphs {
		p := &art.Paragraphs[i]
		e.iv(p.N)
		e.str(p.Text)
		var flags uint64
		if p.Heading {
			flags |= 1
		}
		if p.ListItem {
			flags |= 2
		}
		e.uv(flags)
		e.str(p.Section)
		e.iv(p.Line)
		e.uv(uint64(len(p.Sentences)))
		for j := range p.Sentences {
			s := &p.Sentences[j]
			var f uint64
			if s.Doc == art.ID {
				f |= 1
			}
			if s.Start >= 0 && s.Start <= s.End && s.End <= len(p.Text) && p.Text[s.Start:s.End] == s.Text {
				f |= 2
			}
			e.uv(f)
			if f&1 == 0 {
				e.str(s.Doc)
			}
			e.iv(s.Paragraph)
			e.iv(s.N)
			e.iv(s.Start)
			e.iv(s.End)
			if f&2 == 0 {
				e.str(s.Text)
			}
		}
	}
	if art.Translation == nil {
		e.uv(0)
		return nil
	}
	e.uv(1)
	return e.article(art.Translation)
}

var errCorrupt = errors.New("corrupt snapshot")

type decoder struct {
	b   []byte // the part being read
	s   string // the strings part as one string (strings are substrings of it)
	off int
	err error
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errCorrupt
	}
}

func (d *decoder) uv() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b[d.off:])
	if n <= 0 {
		d.fail()
		return 0
	}
	d.off += n
	return v
}

// count reads a length that cannot exceed the bytes left (every element
// takes at least min bytes), so a corrupt length never allocates wildly.
func (d *decoder) count(min int) int {
	v := d.uv()
	if v > uint64(len(d.b)-d.off)/uint64(min) {
		d.fail()
		return 0
	}
	return int(v)
}

// u32s returns the next n fixed-width uint32s as raw bytes.
func (d *decoder) u32s(n int) []byte {
	if d.err != nil || n < 0 || n > (len(d.b)-d.off)/4 {
		d.fail()
		return nil
	}
	b := d.b[d.off : d.off+4*n]
	d.off += 4 * n
	return b
}

func (d *decoder) iv() int {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b[d.off:])
	if n <= 0 {
		d.fail()
		return 0
	}
	d.off += n
	return int(v)
}

func (d *decoder) str() string {
	n := d.uv()
	if d.err != nil || n > uint64(len(d.b)-d.off) {
		d.fail()
		return ""
	}
	s := d.s[d.off : d.off+int(n)]
	d.off += int(n)
	return s
}

// readSnapshot reads and decodes the snapshot file at path.
func readSnapshot(path string) (*Index, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := st.Size()
	hdr := make([]byte, min(size, int64(len(snapshotMagic)+2*binary.MaxVarintLen64)))
	if _, err := io.ReadFull(f, hdr); err != nil {
		return nil, fmt.Errorf("%w: %v", errCorrupt, err)
	}
	hlen, alen, err := parseSnapshotHeader(hdr, size)
	if err != nil {
		return nil, err
	}
	// The strings part gets a buffer of its own: it lives as long as the
	// index; the numbers part is garbage once decoded.
	a := make([]byte, alen)
	b := make([]byte, size-int64(hlen)-int64(alen))
	if _, err := f.ReadAt(a, int64(hlen)); err != nil {
		return nil, fmt.Errorf("%w: %v", errCorrupt, err)
	}
	if _, err := f.ReadAt(b, int64(hlen)+int64(alen)); err != nil {
		return nil, fmt.Errorf("%w: %v", errCorrupt, err)
	}
	return decodeParts(hdr[:hlen], a, b)
}

// parseSnapshotHeader checks the magic and version in hdr (the start of a
// file of size bytes) and returns the header's length and the length of the
// strings part.
func parseSnapshotHeader(hdr []byte, size int64) (hlen, alen int, err error) {
	if len(hdr) < len(snapshotMagic) || string(hdr[:len(snapshotMagic)]) != snapshotMagic {
		return 0, 0, fmt.Errorf("%w: bad magic", errCorrupt)
	}
	d := &decoder{b: hdr, off: len(snapshotMagic)}
	v := d.uv()
	if d.err == nil && v != FormatVersion {
		return 0, 0, fmt.Errorf("snapshot format %d, this program reads %d", v, FormatVersion)
	}
	al := d.uv()
	if d.err != nil || al > uint64(size) || int64(d.off)+int64(al)+4 > size {
		return 0, 0, fmt.Errorf("%w: bad header", errCorrupt)
	}
	return d.off, int(al), nil
}

// decodeParts decodes the strings part a and numbers part b (b ends with
// the checksum of hdr, a and the rest of b). The strings of the index point
// into a, which must not change afterwards.
func decodeParts(hdr, a, b []byte) (*Index, error) {
	if len(b) < 4 {
		return nil, fmt.Errorf("%w: truncated", errCorrupt)
	}
	sum := b[len(b)-4:]
	b = b[:len(b)-4]
	crc := crc32.Update(crc32.Update(crc32.Checksum(hdr, castagnoli), castagnoli, a), castagnoli, b)
	if crc != binary.LittleEndian.Uint32(sum) {
		return nil, fmt.Errorf("%w: checksum mismatch", errCorrupt)
	}

	ix := &Index{}
	t := &TermTable{}
	var terms []string
	var aerr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		terms, aerr = decodeStrings(ix, t, a)
	}()
	vocab, berr := decodeNumbers(t, b)
	wg.Wait()
	if aerr != nil {
		return nil, fmt.Errorf("%w: strings part", aerr)
	}
	if berr != nil {
		return nil, fmt.Errorf("%w: numbers part", berr)
	}
	if len(terms) != len(t.df) {
		return nil, fmt.Errorf("%w: %d terms, %d df entries", errCorrupt, len(terms), len(t.df))
	}
	t.vocab = make([]string, len(vocab))
	for i, id := range vocab {
		if id == 0 || int(id) >= len(terms) || len(terms[id]) < 2 || terms[id][0] != 'e' {
			return nil, fmt.Errorf("%w: vocabulary", errCorrupt)
		}
		t.vocab[i] = terms[id][1:]
	}
	ix.Terms = t
	ix.Sents = sentenceTable(ix.Articles)
	if len(t.words) != len(ix.Sents) || len(t.trans) != len(ix.Sents) || t.n != len(ix.Sents) {
		return nil, fmt.Errorf("%w: %d sentences but term table for %d/%d/%d", errCorrupt, len(ix.Sents), len(t.words), len(t.trans), t.n)
	}
	return ix, nil
}

// decodeStrings decodes the articles into ix and the dictionary into t,
// and returns the terms by id.
func decodeStrings(ix *Index, t *TermTable, a []byte) ([]string, error) {
	d := &decoder{b: a, s: unsafe.String(unsafe.SliceData(a), len(a))}
	nart := d.count(10)
	ix.Articles = make([]*Article, nart)
	slab := make([]Article, nart)
	for i := range ix.Articles {
		d.article(&slab[i])
		ix.Articles[i] = &slab[i]
	}
	nterms := d.count(1)
	if d.err == nil && nterms < 1 {
		d.fail()
	}
	t.dict = make(map[string]uint32, nterms)
	terms := make([]string, nterms)
	if nterms > 0 {
		t.dict[""] = 0
	}
	for id := 1; id < nterms && d.err == nil; id++ {
		terms[id] = d.str()
		t.dict[terms[id]] = uint32(id)
	}
	if d.err == nil && d.off != len(d.b) {
		d.fail()
	}
	return terms, d.err
}

// decodeNumbers decodes df, the words and the translation words into t,
// checking every term id, and returns the vocabulary's term ids.
func decodeNumbers(t *TermTable, b []byte) ([]uint32, error) {
	d := &decoder{b: b}
	t.n = d.count(1)
	nterms := d.count(4)
	raw := d.u32s(nterms)
	t.df = make([]uint32, nterms)
	for i := range t.df {
		t.df[i] = binary.LittleEndian.Uint32(raw[4*i:])
	}
	readWords := func(nilable bool) [][]Word {
		n := d.count(1)
		total := d.count(12)
		ws := make([][]Word, n)
		lens := make([]int, n)
		sum := 0
		for i := range lens {
			l := int(d.uv())
			if nilable {
				l-- // -1: nil
			}
			lens[i] = l
			sum += max(l, 0)
		}
		if d.err != nil || sum != total {
			d.fail()
			return nil
		}
		raw := d.u32s(3 * total)
		if d.err != nil {
			return nil
		}
		flat := make([]Word, total)
		bad := false
		for i := range flat {
			r := raw[12*i : 12*i+12]
			w := Word{Exact: binary.LittleEndian.Uint32(r), Light: binary.LittleEndian.Uint32(r[4:]), Snow: binary.LittleEndian.Uint32(r[8:])}
			bad = bad || int(w.Exact) >= nterms || int(w.Light) >= nterms || int(w.Snow) >= nterms
			flat[i] = w
		}
		if bad {
			d.fail()
			return nil
		}
		for i, l := range lens {
			if l < 0 {
				continue
			}
			ws[i] = flat[:l:l]
			flat = flat[l:]
		}
		return ws
	}
	t.words = readWords(false)
	t.trans = readWords(true)
	nv := d.count(4)
	raw = d.u32s(nv)
	vocab := make([]uint32, nv)
	for i := range vocab {
		vocab[i] = binary.LittleEndian.Uint32(raw[4*i:])
	}
	if d.err == nil && d.off != len(d.b) {
		d.fail()
	}
	return vocab, d.err
}

func (d *decoder) article(art *Article) {
	for _, p := range []*string{&art.ID, &art.Path, &art.Title, &art.Source, &art.URL, &art.Author, &art.Section, &art.Lang, &art.Hash} {
		*p = d.str()
	}
	if pub := d.str(); d.err == nil {
		if err := art.Published.UnmarshalBinary([]byte(pub)); err != nil {
			d.fail()
		}
	}
	np := d.count(6)
	art.Paragraphs = make([]Paragraph, np)
	for i := range art.Paragraphs {
		p := &art.Paragraphs[i]
		p.N = d.iv()
		p.Text = d.str()
		flags := d.uv()
		p.Heading = flags&1 != 0
		p.ListItem = flags&2 != 0
		p.Section = d.str()
		p.Line = d.iv()
		ns := d.count(5)
		if ns > 0 {
			p.Sentences = make([]Sentence, ns)
		}
		for j := range p.Sentences {
			s := &p.Sentences[j]
			f := d.uv()
			if f&1 != 0 {
				s.Doc = art.ID
			} else {
				s.Doc = d.str()
			}
			s.Paragraph = d.iv()
			s.N = d.iv()
			s.Start = d.iv()
			s.End = d.iv()
			if f&2 != 0 {
				if s.Start < 0 || s.Start > s.End || s.End > len(p.Text) {
					d.fail()
					return
				}
				s.Text = p.Text[s.Start:s.End]
			} else {
				s.Text = d.str()
			}
		}
		if d.err != nil {
			return
		}
	}
	if d.uv() == 1 {
		art.Translation = &Article{}
		d.article(art.Translation)
	}
}
