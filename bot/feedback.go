package bot

import (
	"container/list"
	"context"
	"sync"
)

// FeedbackSink records 👍/👎 votes on answers. key is the answer page's key
// (the one in the button data); a user's second vote on the same key
// replaces the first.
type FeedbackSink interface {
	RecordVote(ctx context.Context, key string, platform, chatID, userID string, up bool)
}

// MemoryFeedback is the default FeedbackSink: it keeps the votes of the
// most recent answers in memory. It is safe for concurrent use.
type MemoryFeedback struct {
	mu    sync.Mutex
	max   int
	order *list.List // keys, oldest at the back
	votes map[string]*memVotes
}

type memVotes struct {
	elem  *list.Element
	users map[string]bool // platform+"\x00"+userID → up
}

// NewMemoryFeedback returns a MemoryFeedback holding the votes of at most
// maxKeys answers (4096 when maxKeys <= 0), forgetting the oldest first.
func NewMemoryFeedback(maxKeys int) *MemoryFeedback {
	if maxKeys <= 0 {
		maxKeys = 4096
	}
	return &MemoryFeedback{max: maxKeys, order: list.New(), votes: map[string]*memVotes{}}
}

// RecordVote implements FeedbackSink.
func (f *MemoryFeedback) RecordVote(_ context.Context, key string, platform, chatID, userID string, up bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v := f.votes[key]
	if v == nil {
		v = &memVotes{elem: f.order.PushFront(key), users: map[string]bool{}}
		f.votes[key] = v
		for f.order.Len() > f.max {
			old := f.order.Back()
			f.order.Remove(old)
			delete(f.votes, old.Value.(string))
		}
	}
	v.users[platform+"\x00"+userID] = up
}

// Votes returns the number of up and down votes recorded for key.
func (f *MemoryFeedback) Votes(key string) (up, down int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if v := f.votes[key]; v != nil {
		for _, u := range v.users {
			if u {
				up++
			} else {
				down++
			}
		}
	}
	return up, down
}
