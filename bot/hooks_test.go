package bot

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qabot/qabot/qa"
)

type recLog struct {
	mu     sync.Mutex
	events []QuestionEvent
}

func (l *recLog) LogQuestion(_ context.Context, e QuestionEvent) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, e)
}

type recMetrics struct {
	mu        sync.Mutex
	questions []string // platform/lang/answered
	latencies []time.Duration
	limited   map[string]int
}

func (m *recMetrics) ObserveQuestion(platform, lang string, answered bool, latency time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a := "no"
	if answered {
		a = "yes"
	}
	m.questions = append(m.questions, platform+"/"+lang+"/"+a)
	m.latencies = append(m.latencies, latency)
}

func (m *recMetrics) RateLimited(platform string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.limited == nil {
		m.limited = map[string]int{}
	}
	m.limited[platform]++
}

func TestQuestionLogAndMetrics(t *testing.T) {
	ql, met := &recLog{}, &recMetrics{}
	r, fb, ck, _ := newTestRouter(t, func(c *RouterConfig) {
		c.QuestionLog = ql
		c.Metrics = met
		c.UserPerMinute = 4
	})
	ctx := context.Background()
	fb.answer = func(q string) qa.Result {
		ck.add(250 * time.Millisecond) // the backend takes a while
		if strings.Contains(q, "Mars") {
			return qa.Result{Question: q, Lang: "en"}
		}
		return threeAnswers(q)
	}
	start := ck.now()

	// Commands are not questions.
	r.Handle(ctx, dm("5", "/help"))
	r.Handle(ctx, dm("5", "/sources"))
	r.Handle(ctx, dm("5", "/ask")) // empty: the backend is not asked
	if len(ql.events) != 0 || len(met.questions) != 0 {
		t.Fatalf("commands logged: %+v %+v", ql.events, met.questions)
	}

	rep := one(t, r.Handle(ctx, dm("5", "ما عاصمة الكويت؟")))
	if len(rep.Quotes) != 1 {
		t.Fatalf("reply %+v", rep)
	}
	one(t, r.Handle(ctx, group("6", "/ask capital of Mars?")))
	// user 5 is now over its limit of 4 (help, sources and the empty ask count too)
	if reps := r.Handle(ctx, dm("5", "again?")); len(reps) != 1 || reps[0].Text != msgs("en").SlowDown {
		t.Fatalf("want a slow-down notice, got %+v", reps)
	}

	if len(ql.events) != 2 {
		t.Fatalf("events = %+v", ql.events)
	}
	a, u := ql.events[0], ql.events[1]
	if a.Platform != "telegram" || a.ChatID != "c5" || a.UserID != "5" || !a.Private ||
		a.Question != "ما عاصمة الكويت؟" || a.Lang != "ar" || !a.Answered || a.TopDoc != "news/a" ||
		a.Latency != 250*time.Millisecond || !a.Time.Equal(start) || a.Key == "" {
		t.Errorf("answered event = %+v", a)
	}
	// the key is the one the vote buttons carry
	if !strings.Contains(rep.Buttons[len(rep.Buttons)-1].Data, a.Key) {
		t.Errorf("key %q not in the buttons %+v", a.Key, rep.Buttons)
	}
	if u.Answered || u.Key != "" || u.TopDoc != "" || u.Lang != "en" || u.Private || u.ChatID != "g1" ||
		u.Question != "capital of Mars?" {
		t.Errorf("unanswered event = %+v", u)
	}
	if got := strings.Join(met.questions, ","); got != "telegram/ar/yes,telegram/en/no" {
		t.Errorf("metrics questions = %s", got)
	}
	if met.latencies[0] != 250*time.Millisecond {
		t.Errorf("latency = %v", met.latencies[0])
	}
	if met.limited["telegram"] != 1 {
		t.Errorf("rate limited = %v", met.limited)
	}
	// a silent refusal counts too
	r.Handle(ctx, dm("5", "and again?"))
	if met.limited["telegram"] != 2 {
		t.Errorf("rate limited after a silent refusal = %v", met.limited)
	}
}

type panicLog struct{}

func (panicLog) LogQuestion(context.Context, QuestionEvent) { panic("boom") }

func TestQuestionLogPanicKeepsAnswer(t *testing.T) {
	r, _, _, _ := newTestRouter(t, func(c *RouterConfig) { c.QuestionLog = panicLog{} })
	rep := one(t, r.Handle(context.Background(), dm("5", "ما عاصمة الكويت؟")))
	if len(rep.Quotes) != 1 {
		t.Errorf("reply = %+v", rep)
	}
}
