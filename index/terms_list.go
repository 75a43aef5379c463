package index

// TermStrings returns every term of the table indexed by its id, without the
// kind prefix ("" for id 0). It walks the whole dictionary: call it once
// per index generation, not per query.
func (t *TermTable) TermStrings() []string {
	out := make([]string, len(t.dict))
	for key, id := range t.dict {
		if key != "" && int(id) < len(out) {
			out[id] = key[1:]
		}
	}
	return out
}
