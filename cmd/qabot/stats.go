package main

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/qabot/qabot/bot/store"
)

// usageStats renders the question log's numbers for /stats in lang, ending
// in a newline; "" when the store is off. The content counters follow it.
func usageStats(ctx context.Context, st *store.Store, lang string, now time.Time, log *slog.Logger) string {
	if st == nil {
		return ""
	}
	s, err := st.Stats(ctx, now)
	if err != nil {
		log.Error("stats", "err", err)
		if lang == "en" {
			return "Usage statistics are unavailable right now.\n"
		}
		return "إحصاءات الاستخدام غير متاحة الآن.\n"
	}
	return renderUsage(s, lang)
}

// usageText is the wording of /stats in one language.
type usageText struct {
	questionsF, answeredF, votesF, noVotes, unansweredHead, unansweredF, allAnswered string
}

var usageTexts = map[string]usageText{
	"en": {
		questionsF:     "Questions: %d today, %d in the last 7 days.\n",
		answeredF:      "Answered (7 days): %d%%. Median answer time: %s.\n",
		votesF:         "Feedback (7 days): 👍 %d / 👎 %d (%d%% positive).\n",
		noVotes:        "Feedback (7 days): no votes yet.\n",
		unansweredHead: "Most asked without an answer (7 days) — articles worth adding:\n",
		unansweredF:    "%d. “%s” ×%d\n",
		allAnswered:    "Every question of the last 7 days was answered.\n",
	},
	"ar": {
		questionsF:     "الأسئلة: %d اليوم، و%d في الأيام السبعة الأخيرة.\n",
		answeredF:      "نسبة الأسئلة المُجاب عنها (7 أيام): %d%%. الوقت الوسيط للإجابة: %s.\n",
		votesF:         "التقييمات (7 أيام): 👍 %d / 👎 %d (%d%% إيجابية).\n",
		noVotes:        "التقييمات (7 أيام): لا أصوات بعد.\n",
		unansweredHead: "أكثر الأسئلة التي بقيت بلا إجابة (7 أيام) — مقالات تستحق الإضافة:\n",
		unansweredF:    "%d. «%s» ×%d\n",
		allAnswered:    "أُجيب عن كل أسئلة الأيام السبعة الأخيرة.\n",
	},
}

// renderUsage renders store statistics in Arabic or English (any other
// language: Arabic, the articles' language).
func renderUsage(s store.Stats, lang string) string {
	t, ok := usageTexts[lang]
	if !ok {
		t = usageTexts["ar"]
	}
	var b strings.Builder
	pct := func(f float64) int { return int(math.Round(f * 100)) }
	fmt.Fprintf(&b, t.questionsF, s.QuestionsToday, s.Questions7d)
	if s.Questions7d > 0 {
		fmt.Fprintf(&b, t.answeredF, pct(s.AnsweredRate), shortDuration(s.MedianLatency))
	}
	if s.Up+s.Down > 0 {
		fmt.Fprintf(&b, t.votesF, s.Up, s.Down, pct(s.VoteRatio))
	} else {
		b.WriteString(t.noVotes)
	}
	if len(s.TopUnanswered) > 0 {
		b.WriteString(t.unansweredHead)
		for i, u := range s.TopUnanswered {
			fmt.Fprintf(&b, t.unansweredF, i+1, clip(u.Question, 80), u.Count)
		}
	} else if s.Questions7d > 0 {
		b.WriteString(t.allAnswered)
	}
	return b.String()
}

func shortDuration(d time.Duration) string {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(time.Millisecond).String()
	}
	return "<1ms"
}

// clip cuts s to at most n runes, with "…" when cut, on one line.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
