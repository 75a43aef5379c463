package qa

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/qabot/qabot/index"
	"github.com/qabot/qabot/qa/lexicon"
)

func TestTuneBoosts(t *testing.T) {
	if os.Getenv("QABOT_TUNE") != "boost" {
		t.Skip("set QABOT_TUNE=boost")
	}
	arts, qs, err := ReadXQuAD("../../shared/xquad-dev/xquad-dev.ar.json", "")
	if err != nil {
		t.Skip(err)
	}
	ix, _ := index.Build(context.Background(), arts, index.BuildOptions{})
	lex, _ := lexicon.Load(nil)
	e := NewEngine(ix, lex, DefaultOptions)
	run := func(name string) {
		r := Evaluate(context.Background(), e, qs)
		t.Logf("%-40s P@1 %.3f R@5 %.3f", name, r.P1, r.R5)
	}
	run("base")
	for _, v := range []float64{0, 0.1, 0.5} {
		old := boostNgram
		boostNgram = v
		run("ngram=" + ftoa(v))
		boostNgram = old
	}
	for _, v := range []float64{0.2, 1.0} {
		old := boostSnow
		boostSnow = v
		run("snow=" + ftoa(v))
		boostSnow = old
	}
	for _, v := range []float64{0.5, 1.2} {
		old := boostLight
		boostLight = v
		run("light=" + ftoa(v))
		boostLight = old
	}
	for _, v := range []float64{0.5, 0.7} {
		old := matchSnow
		matchSnow = v
		run("matchSnow=" + ftoa(v))
		matchSnow = old
	}
	for _, v := range []float64{0.7, 1.0} {
		old := matchLight
		matchLight = v
		run("matchLight=" + ftoa(v))
		matchLight = old
	}
	for _, k := range []int{30, 100} {
		e.opts.Candidates = k
		run("cands=" + ftoa(float64(k)))
	}
}

func ftoa(f float64) string { return fmtFloat(f) }

func fmtFloat(f float64) string {
	return string(append([]byte(nil), []byte(strconv.FormatFloat(f, 'g', 3, 64))...))
}
