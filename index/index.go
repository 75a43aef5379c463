package index

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/qabot/qabot/index/arabic"
)

// The index fields of a sentence document. Each is the same text analysed a
// different way; the query side builds one OR group per question word across
// them, each with its own boost.
const (
	FieldLight   = "lt" // Arabic: proclitics stripped, light suffix stemming
	FieldSnow    = "sn" // Arabic: Snowball stem
	FieldEnglish = "en" // English: the sentence of an English article, or the translation of an Arabic one
	FieldDoc     = "doc"
)

// SentRef locates a sentence: indexes into Index.Articles, the article's
// Paragraphs, and the paragraph's Sentences (all 0-based).
type SentRef struct {
	Art, Para, Sent int32
}

// Index is one built, searchable generation of the content: the articles,
// a flat table of their sentences (a sentence's bleve document id is its
// position in Sents), per-sentence analysed terms for re-ranking, and the
// bleve index itself. An Index is immutable once built; Close it when no
// search uses it any more.
type Index struct {
	Articles []*Article
	Sents    []SentRef
	Terms    *TermTable
	Dir      string // "" for an in-memory index
	Built    time.Time
	Took     time.Duration

	bleve     bleve.Index
	closeOnce sync.Once
}

// Hit is one search result: a sentence id (position in Index.Sents) and its
// bleve score.
type Hit struct {
	ID    int
	Score float64
}

// BuildOptions say where and how to build.
type BuildOptions struct {
	// Dir is the directory of an on-disk (scorch) index; it must not exist.
	// Empty builds in memory.
	Dir string
	// BatchSize is the number of sentences per bleve batch (default 1000).
	BatchSize int
}

// NewMapping returns the bleve index mapping of sentence documents.
func NewMapping() mapping.IndexMapping {
	im := bleve.NewIndexMapping()
	im.DefaultAnalyzer = arabic.ExactAnalyzer
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false

	dm := bleve.NewDocumentStaticMapping()
	text := func(name, analyzer string) *mapping.FieldMapping {
		fm := bleve.NewTextFieldMapping()
		fm.Name = name
		fm.Analyzer = analyzer
		fm.Store = false
		fm.IncludeInAll = false
		fm.IncludeTermVectors = false
		fm.DocValues = false
		return fm
	}
	dm.AddFieldMappingsAt("ar",
		text(FieldLight, arabic.LightAnalyzer),
		text(FieldSnow, arabic.SnowAnalyzer),
	)
	dm.AddFieldMappingsAt(FieldEnglish, text(FieldEnglish, arabic.EnglishAnalyzer))
	docField := text(FieldDoc, keyword.Name)
	dm.AddFieldMappingsAt(FieldDoc, docField)
	im.DefaultMapping = dm
	return im
}

// Build indexes every sentence of arts. The articles must not change
// afterwards: the Index keeps them.
func Build(ctx context.Context, arts []*Article, opts BuildOptions) (*Index, error) {
	start := time.Now()
	if opts.BatchSize <= 0 {
		// Large batches make few segments; an in-memory scorch index never
		// merges them, and every query pays per segment.
		opts.BatchSize = 10000
	}
	var (
		bi  bleve.Index
		err error
	)
	m := NewMapping()
	if opts.Dir == "" {
		bi, err = bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	} else {
		if _, statErr := os.Stat(opts.Dir); statErr == nil {
			return nil, fmt.Errorf("index build: %s already exists", opts.Dir)
		}
		bi, err = bleve.NewUsing(opts.Dir, m, scorch.Name, scorch.Name, map[string]interface{}{"bolt_timeout": boltTimeout})
	}
	if err != nil {
		return nil, fmt.Errorf("index build: %w", err)
	}
	ix := &Index{Articles: arts, Dir: opts.Dir, bleve: bi}
	ok := false
	defer func() {
		if !ok {
			ix.Close()
			if opts.Dir != "" {
				os.RemoveAll(opts.Dir)
			}
		}
	}()

	ix.Sents = sentenceTable(arts)
	ix.Terms = newTermTable(len(ix.Sents))
	// Analysis (ours) and segment building (bleve's) overlap: a producer
	// fills batches while the previous one is being indexed.
	batches := make(chan *bleve.Batch, 1)
	prodErr := make(chan error, 1)
	prodCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer close(batches)
		cache := wordCache{}
		var infos []*wordInfo
		batch := bi.NewBatch()
		for id, ref := range ix.Sents {
			if id%256 == 0 && prodCtx.Err() != nil {
				prodErr <- prodCtx.Err()
				return
			}
			// each Arabic sentence is split and analysed once, for both
			infos = infos[:0]
			if art := ix.Articles[ref.Art]; art.Lang != "en" {
				s := &art.Paragraphs[ref.Para].Sentences[ref.Sent]
				infos = cache.sentence(s.Text, infos)
			}
			ix.Terms.add(ix, ref, infos)
			if err := batch.IndexAdvanced(ix.analysedDocument(strconv.Itoa(id), ref, infos)); err != nil {
				prodErr <- fmt.Errorf("index build: sentence %d: %w", id, err)
				return
			}
			if batch.Size() >= opts.BatchSize {
				select {
				case batches <- batch:
				case <-prodCtx.Done():
					prodErr <- prodCtx.Err()
					return
				}
				batch = bi.NewBatch()
			}
		}
		if batch.Size() > 0 {
			select {
			case batches <- batch:
			case <-prodCtx.Done():
				prodErr <- prodCtx.Err()
				return
			}
		}
		prodErr <- nil
	}()
	// Scorch builds each batch's segment in the calling goroutine: two
	// consumers keep both cores of a small machine busy.
	var (
		wg       sync.WaitGroup
		batchMu  sync.Mutex
		batchErr error
	)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for batch := range batches {
				if err := bi.Batch(batch); err != nil {
					batchMu.Lock()
					if batchErr == nil {
						batchErr = err
					}
					batchMu.Unlock()
					cancel()
				}
			}
		}()
	}
	wg.Wait()
	if err := <-prodErr; err != nil {
		return nil, err
	}
	if batchErr != nil {
		return nil, fmt.Errorf("index build: %w", batchErr)
	}
	ix.Terms.finish()
	if n, err := bi.DocCount(); err != nil || int(n) != len(ix.Sents) {
		return nil, fmt.Errorf("index build: check failed: %d documents for %d sentences (%v)", n, len(ix.Sents), err)
	}
	ix.Built = time.Now()
	ix.Took = time.Since(start)
	ok = true
	return ix, nil
}

func sentenceTable(arts []*Article) []SentRef {
	var refs []SentRef
	for a, art := range arts {
		for p := range art.Paragraphs {
			for s := range art.Paragraphs[p].Sentences {
				refs = append(refs, SentRef{int32(a), int32(p), int32(s)})
			}
		}
	}
	return refs
}

// TranslationOf returns the English translation of a sentence of an Arabic
// article: the sentence at the same position of the parallel paragraph when
// both paragraphs have the same number of sentences, else the whole
// translated paragraph. "" when there is none.
func (ix *Index) TranslationOf(ref SentRef) string {
	art := ix.Articles[ref.Art]
	if art.Translation == nil || int(ref.Para) >= len(art.Translation.Paragraphs) {
		return ""
	}
	tp := &art.Translation.Paragraphs[ref.Para]
	if len(tp.Sentences) == len(art.Paragraphs[ref.Para].Sentences) {
		return tp.Sentences[ref.Sent].Text
	}
	return tp.Text
}

// Lookup returns the article, paragraph and sentence of a sentence id.
func (ix *Index) Lookup(id int) (*Article, *Paragraph, *Sentence) {
	ref := ix.Sents[id]
	art := ix.Articles[ref.Art]
	para := &art.Paragraphs[ref.Para]
	return art, para, &para.Sentences[ref.Sent]
}

// Search runs q and returns the k best sentences, best first.
func (ix *Index) Search(ctx context.Context, q query.Query, k int) ([]Hit, error) {
	req := bleve.NewSearchRequestOptions(q, k, 0, false)
	req.Score = ""
	res, err := ix.bleve.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	hits := make([]Hit, 0, len(res.Hits))
	for _, h := range res.Hits {
		id, err := strconv.Atoi(h.ID)
		if err != nil || id < 0 || id >= len(ix.Sents) {
			continue
		}
		hits = append(hits, Hit{ID: id, Score: h.Score})
	}
	return hits, nil
}

// Bleve returns the underlying bleve index (for an IndexAlias).
func (ix *Index) Bleve() bleve.Index { return ix.bleve }

// Close closes the bleve index. It is safe to call more than once (bleve
// itself panics on a second Close).
func (ix *Index) Close() error {
	var err error
	ix.closeOnce.Do(func() {
		if ix.bleve != nil {
			err = ix.bleve.Close()
		}
	})
	return err
}

// HasEnglish reports whether the index holds English text (an English
// article or a translation).
func (ix *Index) HasEnglish() bool {
	for _, a := range ix.Articles {
		if a.Lang == "en" || a.Translation != nil {
			return true
		}
	}
	return false
}
