package service

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestReload1000Articles reloads 1,000 articles while a user keeps asking:
// no question may fail. It logs how much longer questions took during the
// reload than before it (the target is at most 50 ms more); the wall-clock
// numbers are reported, not asserted.
func TestReload1000Articles(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	e := newEnv(t)
	writeArticles(t, e.content, 999, 12)
	s := e.open(t)
	defer s.Close()

	ask := func(d *[]time.Duration, failed *atomic.Int64) {
		start := time.Now()
		res := s.Ask(context.Background(), seedQuestion, 1)
		*d = append(*d, time.Since(start))
		if !res.Answered || len(res.Answers) == 0 {
			failed.Add(1)
		}
	}
	var before, during []time.Duration
	var failed atomic.Int64
	for range 300 {
		ask(&before, &failed)
	}
	// change one article so the reload has something to report
	if err := os.WriteFile(filepath.Join(e.content, "gen", "a0000.txt"), []byte("تغيير في المقال الأول.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for !stop.Load() {
			ask(&during, &failed)
		}
	}()
	rep, err := s.Reload(context.Background())
	stop.Store(true)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if failed.Load() != 0 {
		t.Fatalf("%d of %d questions failed", failed.Load(), len(before)+len(during))
	}
	if rep.Articles != 1000 || len(rep.Changed) != 1 {
		t.Errorf("report: %d articles, changed %v", rep.Articles, rep.Changed)
	}
	slices.Sort(before)
	slices.Sort(during)
	t.Logf("reload of %d articles (%d sentences) took %s; %d questions during it, none failed", rep.Articles, rep.Sentences, rep.Took.Round(time.Millisecond), len(during))
	t.Logf("question latency before: p50 %s max %s; during: p50 %s p99 %s max %s",
		before[len(before)/2], before[len(before)-1],
		during[len(during)/2], during[len(during)*99/100], during[len(during)-1])
}

// writeArticles writes n synthetic articles of per sentences each under
// dir/gen, from a vocabulary of generated words.
func writeArticles(t *testing.T, dir string, n, per int) {
	t.Helper()
	r := rand.New(rand.NewSource(7))
	letters := []rune("ابتثجحخدذرزسشصضطظعغفقكلمنهوي")
	vocab := make([]string, 5000)
	for i := range vocab {
		rs := make([]rune, 3+r.Intn(5))
		for j := range rs {
			rs[j] = letters[r.Intn(len(letters))]
		}
		vocab[i] = string(rs)
	}
	sub := filepath.Join(dir, "gen")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	for a := range n {
		var b strings.Builder
		fmt.Fprintf(&b, "+++\ntitle = \"مقال %d\"\n+++\n", a)
		for s := range per {
			for w := range 8 + r.Intn(12) {
				if w > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(vocab[r.Intn(len(vocab))])
			}
			b.WriteString(".")
			if s%4 == 3 {
				b.WriteString("\n\n")
			} else {
				b.WriteByte(' ')
			}
		}
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("a%04d.txt", a)), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
