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

// renderUsage renders store statistics in Arabic or English.
func renderUsage(s store.Stats, lang string) string {
	var b strings.Builder
	pct := func(f float64) int { return int(math.Round(f * 100)) }
	if lang == "en" {
		fmt.Fprintf(&b, "Questions: %d today, %d in the last 7 days.\n", s.QuestionsToday, s.Questions7d)
		if s.Questions7d > 0 {
			fmt.Fprintf(&b, "Answered (7 days): %d%%. Median answer time: %s.\n", pct(s.AnsweredRate), shortDuration(s.MedianLatency))
		}
		if n := s.Up + s.Down; n > 0 {
			fmt.Fprintf(&b, "Feedback (7 days): 👍 %d / 👎 %d (%d%% positive).\n", s.Up, s.Down, pct(s.VoteRatio))
		} else {
			b.WriteString("Feedback (7 days): no votes yet.\n")
		}
		if len(s.TopUnanswered) > 0 {
			b.WriteString("Most asked without an answer (7 days) — articles worth adding:\n")
			for i, u := range s.TopUnanswered {
				fmt.Fprintf(&b, "%d. “%s” ×%d\n", i+1, clip(u.Question, 80), u.Count)
			}
		} else if s.Questions7d > 0 {
			b.WriteString("Every question of the last 7 days was answered.\n")
		}
		return b.String()
	}
	fmt.Fprintf(&b, "الأسئلة: %d اليوم، و%d في الأيام السبعة الأخيرة.\n", s.QuestionsToday, s.Questions7d)
	if s.Questions7d > 0 {
		fmt.Fprintf(&b, "نسبة الأسئلة المُجاب عنها (7 أيام): %d%%. الوقت الوسيط للإجابة: %s.\n", pct(s.AnsweredRate), shortDuration(s.MedianLatency))
	}
	if n := s.Up + s.Down; n > 0 {
		fmt.Fprintf(&b, "التقييمات (7 أيام): 👍 %d / 👎 %d (%d%% إيجابية).\n", s.Up, s.Down, pct(s.VoteRatio))
	} else {
		b.WriteString("التقييمات (7 أيام): لا أصوات بعد.\n")
	}
	if len(s.TopUnanswered) > 0 {
		b.WriteString("أكثر الأسئلة التي بقيت بلا إجابة (7 أيام) — مقالات تستحق الإضافة:\n")
		for i, u := range s.TopUnanswered {
			fmt.Fprintf(&b, "%d. «%s» ×%d\n", i+1, clip(u.Question, 80), u.Count)
		}
	} else if s.Questions7d > 0 {
		b.WriteString("أُجيب عن كل أسئلة الأيام السبعة الأخيرة.\n")
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
