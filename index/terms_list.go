package index

// TermStrings returns every term of the table indexed by its id, without the
// kind prefix ("" for id 0), and each term's kind (see ID; 0 for id 0). It
// walks the whole dictionary: call it once per index generation, not per
// query.
func (t *TermTable) TermStrings() (terms []string, kinds []byte) {
	terms = make([]string, len(t.dict))
	kinds = make([]byte, len(t.dict))
	for key, id := range t.dict {
		if key != "" && int(id) < len(terms) {
			terms[id], kinds[id] = key[1:], key[0]
		}
	}
	return terms, kinds
}
