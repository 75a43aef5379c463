package qa

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/qabot/qabot/index"
	"github.com/qabot/qabot/index/arabic"
)

// EvalQuestion is one question with its known answer. Answer is a piece of
// the article's text that the right sentence holds ("" when the articles do
// not answer the question). Doc and Paragraph, when set, must match too.
type EvalQuestion struct {
	ID       string `json:"id,omitempty"`
	Question string `json:"question"`
	Answer   string `json:"answer"`
	// Also lists other answer texts that are right too: an article may say
	// the same thing twice (a paragraph and a list item under a heading).
	Also      []string `json:"also,omitempty"`
	Doc       string   `json:"doc,omitempty"`
	Paragraph int      `json:"paragraph,omitempty"`
}

// ReadQuestionSet reads a question set: one JSON EvalQuestion per line;
// blank lines and lines starting with # are skipped.
func ReadQuestionSet(r io.Reader) ([]EvalQuestion, error) {
	var out []EvalQuestion
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	line := 0
	for sc.Scan() {
		line++
		t := strings.TrimSpace(sc.Text())
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		var q EvalQuestion
		if err := json.Unmarshal([]byte(t), &q); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if strings.TrimSpace(q.Question) == "" {
			return nil, fmt.Errorf("line %d: empty question", line)
		}
		out = append(out, q)
	}
	return out, sc.Err()
}

// ReadQuestionFile reads a question set from a file.
func ReadQuestionFile(path string) ([]EvalQuestion, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	qs, err := ReadQuestionSet(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return qs, nil
}

// xquadFile is the SQuAD/XQuAD JSON shape.
type xquadFile struct {
	Data []struct {
		Title      string `json:"title"`
		Paragraphs []struct {
			Context string `json:"context"`
			QAs     []struct {
				ID       string `json:"id"`
				Question string `json:"question"`
				Answers  []struct {
					Text string `json:"text"`
				} `json:"answers"`
			} `json:"qas"`
		} `json:"paragraphs"`
	} `json:"data"`
}

// ReadXQuAD reads an XQuAD (SQuAD-format) file: every paragraph becomes an
// article of its own ("xquad/A-P"), every question an EvalQuestion tied to
// its paragraph's article. contextsFrom, when not "", is a second XQuAD file
// whose paragraphs (same order) become the articles instead — English
// questions against the Arabic paragraphs.
func ReadXQuAD(path, contextsFrom string) ([]*index.Article, []EvalQuestion, error) {
	qf, err := readXQuADFile(path)
	if err != nil {
		return nil, nil, err
	}
	cf := qf
	if contextsFrom != "" {
		if cf, err = readXQuADFile(contextsFrom); err != nil {
			return nil, nil, err
		}
	}
	var arts []*index.Article
	var qs []EvalQuestion
	for ai, a := range cf.Data {
		for pi, p := range a.Paragraphs {
			id := fmt.Sprintf("xquad/%02d-%02d", ai, pi)
			art, err := index.ParseArticle(id+".txt", []byte(strings.TrimSpace(p.Context)))
			if err != nil {
				return nil, nil, fmt.Errorf("%s: %w", id, err)
			}
			art.Title = a.Title
			arts = append(arts, art)
			if ai >= len(qf.Data) || pi >= len(qf.Data[ai].Paragraphs) {
				continue
			}
			for _, q := range qf.Data[ai].Paragraphs[pi].QAs {
				if len(q.Answers) == 0 {
					continue
				}
				// The answer is checked against the article the contexts
				// come from: with English questions over Arabic contexts,
				// take the answer of the Arabic twin question.
				ans := q.Answers[0].Text
				if contextsFrom != "" {
					ans = twinAnswer(cf, ai, pi, q.ID)
				}
				qs = append(qs, EvalQuestion{ID: q.ID, Question: q.Question, Answer: ans, Doc: id})
			}
		}
	}
	return arts, qs, nil
}

func twinAnswer(f *xquadFile, ai, pi int, id string) string {
	for _, q := range f.Data[ai].Paragraphs[pi].QAs {
		if q.ID == id && len(q.Answers) > 0 {
			return q.Answers[0].Text
		}
	}
	return ""
}

func readXQuADFile(path string) (*xquadFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f xquadFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &f, nil
}

// EvalReport is what an evaluation measured.
type EvalReport struct {
	Questions    int     `json:"questions"`
	Answerable   int     `json:"answerable"`
	Unanswerable int     `json:"unanswerable"`
	P1           float64 `json:"p_at_1"`      // answerable questions whose top sentence is right
	R5           float64 `json:"r_at_5"`      // … whose right sentence is in the top 5
	MRR          float64 `json:"mrr"`         // mean reciprocal rank of the right sentence (top 20)
	Answered     float64 `json:"answered"`    // share of answerable questions the engine answers
	AnsweredOK   float64 `json:"answered_ok"` // … answers, with the right sentence first
	Abstained    float64 `json:"abstained"`   // share of unanswerable questions it declines
	LatencyP50   string  `json:"latency_p50"` // per question, ranking included
	LatencyP90   string  `json:"latency_p90"` //
	LatencyP99   string  `json:"latency_p99"` //
	Misses       []Miss  `json:"misses,omitempty"`
	latencies    []time.Duration
}

// Miss is an answerable question whose top sentence was wrong, or an
// unanswerable one that was answered.
type Miss struct {
	Question string `json:"question"`
	Want     string `json:"want"`
	Got      string `json:"got"`
	Rank     int    `json:"rank"` // rank of the right sentence, 0: not in the candidates
}

// Evaluate asks every question and scores the ranking. A sentence is right
// when it holds the answer text (both normalised) and, where the question
// names them, sits in the right article and paragraph.
func Evaluate(ctx context.Context, e *Engine, qs []EvalQuestion) EvalReport {
	var r EvalReport
	var p1, r5, rr, answered, answeredOK, abstained float64
	for _, q := range qs {
		start := time.Now()
		ranked, lang := e.Rank(ctx, q.Question)
		r.latencies = append(r.latencies, time.Since(start))
		conf, direct := 0.0, true
		if len(ranked) > 0 {
			conf, direct = ranked[0].Confidence, ranked[0].Direct
		}
		isAnswered := conf >= e.minConfidence(lang, direct)
		r.Questions++
		if q.Answer == "" {
			r.Unanswerable++
			if !isAnswered {
				abstained++
			} else {
				r.Misses = append(r.Misses, Miss{Question: q.Question, Want: "(no answer)", Got: e.sentenceText(ranked[0].ID)})
			}
			continue
		}
		r.Answerable++
		rank := 0
		for i, c := range ranked {
			if i >= 20 {
				break
			}
			if e.isRight(c.ID, q) {
				rank = i + 1
				break
			}
		}
		if rank == 1 {
			p1++
		}
		if rank >= 1 && rank <= 5 {
			r5++
		}
		if rank > 0 {
			rr += 1 / float64(rank)
		}
		if isAnswered {
			answered++
			if rank == 1 {
				answeredOK++
			}
		}
		if rank != 1 {
			got := ""
			if len(ranked) > 0 {
				got = e.sentenceText(ranked[0].ID)
			}
			r.Misses = append(r.Misses, Miss{Question: q.Question, Want: q.Answer, Got: got, Rank: rank})
		}
	}
	if r.Answerable > 0 {
		n := float64(r.Answerable)
		r.P1, r.R5, r.MRR, r.Answered, r.AnsweredOK = p1/n, r5/n, rr/n, answered/n, answeredOK/n
	}
	if r.Unanswerable > 0 {
		r.Abstained = abstained / float64(r.Unanswerable)
	}
	sort.Slice(r.latencies, func(i, j int) bool { return r.latencies[i] < r.latencies[j] })
	r.LatencyP50 = percentile(r.latencies, 0.50).String()
	r.LatencyP90 = percentile(r.latencies, 0.90).String()
	r.LatencyP99 = percentile(r.latencies, 0.99).String()
	return r
}

func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	i := int(float64(len(d)-1) * p)
	return d[i].Round(time.Microsecond)
}

func (e *Engine) sentenceText(id int) string {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if id < 0 || id >= len(e.ix.Sents) {
		return ""
	}
	_, _, s := e.ix.Lookup(id)
	return s.Text
}

func (e *Engine) isRight(id int, q EvalQuestion) bool {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if id < 0 || id >= len(e.ix.Sents) {
		return false
	}
	art, para, s := e.ix.Lookup(id)
	if q.Doc != "" && art.ID != q.Doc {
		return false
	}
	if q.Paragraph != 0 && para.N != q.Paragraph {
		return false
	}
	text := normalizeForMatch(s.Text)
	if strings.Contains(text, normalizeForMatch(q.Answer)) {
		return true
	}
	for _, a := range q.Also {
		if a != "" && strings.Contains(text, normalizeForMatch(a)) {
			return true
		}
	}
	return false
}

// normalizeForMatch folds a text for answer matching: Arabic normalisation,
// digits, punctuation dropped, spaces collapsed.
func normalizeForMatch(s string) string {
	s = arabic.Normalize(s) // digits folded too
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		} else {
			space = true
		}
	}
	return b.String()
}
