package bot

import (
	"context"
	"time"
)

// QuestionEvent is one question the router put to the backend.
type QuestionEvent struct {
	Time     time.Time // when the question was asked
	Platform string
	ChatID   string
	UserID   string
	Private  bool   // asked in a direct message
	Question string // the question as the backend got it (sanitised, trimmed)
	Lang     string // "ar" or "en"
	Answered bool
	TopDoc   string        // the document of the best answer; "" when unanswered
	Latency  time.Duration // how long the backend took
	// Key is the answer page's key, the one the 👍/👎 buttons carry and
	// FeedbackSink.RecordVote receives; "" when unanswered.
	Key string
}

// QuestionLog receives every question the router asked the backend,
// answered or not, once the reply is ready (not for commands like /help,
// nor for questions refused as empty, too long or rate limited). It is
// called on the handling goroutine, so it should be quick; it must be safe
// for concurrent use.
type QuestionLog interface {
	LogQuestion(ctx context.Context, e QuestionEvent)
}

// Metrics receives the router's counters. Implementations must be safe for
// concurrent use and quick.
type Metrics interface {
	// ObserveQuestion is called once per question put to the backend.
	ObserveQuestion(platform, lang string, answered bool, latency time.Duration)
	// RateLimited is called for every message refused by a rate limit.
	RateLimited(platform string)
}
