package qa

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/qabot/qabot/index"
	"github.com/qabot/qabot/qa/lexicon"
	"github.com/qabot/qabot/seeds"
)

// TestThreshold prints, for a range of abstention thresholds, how many
// answerable seed questions are answered and how many unanswerable ones are
// declined. A tool: QABOT_TUNE=threshold runs it.
func TestThreshold(t *testing.T) {
	if os.Getenv("QABOT_TUNE") != "threshold" {
		t.Skip("set QABOT_TUNE=threshold")
	}
	arts, errs := index.LoadDir(seeds.FS)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	ix, err := index.Build(context.Background(), arts, index.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	lex, _ := lexicon.Load(lexicon.DefaultDictdPairs())
	e := NewEngine(ix, lex, DefaultOptions)
	type sample struct {
		conf       float64
		answerable bool
	}
	sets := map[string][]EvalQuestion{}
	for _, set := range []string{"testdata/seed-ar.jsonl", "testdata/seed-en.jsonl"} {
		qs, err := ReadQuestionFile(set)
		if err != nil {
			t.Fatal(err)
		}
		sets[set] = qs
	}
	for _, oov := range []float64{0.3, 0.5, 0.8, 1.0, 1.5} {
		for _, oovEn := range []float64{0.3, 0.5, 0.8, 1.0} {
			for _, cc := range []float64{0, 0.25, 0.5} {
				oovWeight, oovWeightEnglish, contextConfidence = oov, oovEn, cc
				line := ""
				for _, set := range []string{"testdata/seed-ar.jsonl", "testdata/seed-en.jsonl"} {
					var ss []sample
					for _, q := range sets[set] {
						r, _ := e.Rank(context.Background(), q.Question)
						c := 0.0
						if len(r) > 0 {
							c = r[0].Confidence
						}
						ss = append(ss, sample{c, q.Answer != ""})
						if os.Getenv("QABOT_SHOW") != "" && oov == 0.5 && oovEn == 0.3 && cc == 0 {
							t.Logf("%v %.2f %s", q.Answer != "", c, q.Question)
						}
					}
					// best threshold with answered >= 0.95: report abstained
					bestAb, bestTh := 0.0, 0.0
					for th := 0.1; th < 1.2; th += 0.01 {
						a, na, u, nu := 0, 0, 0, 0
						for _, s := range ss {
							if s.answerable {
								na++
								if s.conf >= th {
									a++
								}
							} else {
								nu++
								if s.conf < th {
									u++
								}
							}
						}
						if float64(a)/float64(na) >= 0.95 && float64(u)/float64(nu) > bestAb {
							bestAb, bestTh = float64(u)/float64(nu), th
						}
					}
					line += fmt.Sprintf("  %s th=%.2f abstain=%.2f", set[9:16], bestTh, bestAb)
				}
				t.Logf("oov=%.1f oovEn=%.1f ctx=%.2f %s", oov, oovEn, cc, line)
			}
		}
	}
}
