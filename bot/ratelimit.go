package bot

import (
	"sync"
	"time"
)

// limitVerdict is what the limiter says about one event.
type limitVerdict int

const (
	limitAllow  limitVerdict = iota // go ahead
	limitNotice                     // over the limit: send the one "slow down" notice
	limitSilent                     // over the limit and already told: say nothing
)

// window is the sliding-window state of one user or chat.
type window struct {
	times   []time.Time // allowed events inside the window, oldest first
	noticed bool        // the "slow down" notice went out since the last allowed event
}

// limiter is a sliding-window rate limiter over two kinds of keys (users and
// chats): at most n events per window for each key. It remembers that it
// told a key to slow down, so the notice goes out once per episode.
type limiter struct {
	mu        sync.Mutex
	userN     int
	chatN     int
	per       time.Duration
	users     map[string]*window
	chats     map[string]*window
	lastSweep time.Time
}

func newLimiter(userN, chatN int, per time.Duration) *limiter {
	return &limiter{
		userN: userN, chatN: chatN, per: per,
		users: map[string]*window{}, chats: map[string]*window{},
	}
}

// prune drops the times that left the window.
func (w *window) prune(now time.Time, per time.Duration) {
	i := 0
	for i < len(w.times) && !w.times[i].After(now.Add(-per)) {
		i++
	}
	if i > 0 {
		w.times = append(w.times[:0], w.times[i:]...)
	}
}

// full reports whether w already holds n events inside the window.
func (w *window) full(n int, now time.Time, per time.Duration) bool {
	if w == nil || n <= 0 {
		return false
	}
	w.prune(now, per)
	return len(w.times) >= n
}

// take records one event for user and chat if both have room. A key whose
// limit n is 0 or less is unlimited.
func (l *limiter) take(user, chat string, now time.Time) limitVerdict {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	uw := l.get(l.users, user, l.userN)
	cw := l.get(l.chats, chat, l.chatN)
	for _, c := range []struct {
		w *window
		n int
	}{{uw, l.userN}, {cw, l.chatN}} {
		if c.w.full(c.n, now, l.per) {
			if c.w.noticed {
				return limitSilent
			}
			c.w.noticed = true
			return limitNotice
		}
	}
	for _, w := range []*window{uw, cw} {
		if w != nil {
			w.times = append(w.times, now)
			w.noticed = false
		}
	}
	return limitAllow
}

// wouldAllow reports whether take would allow an event now, without
// recording anything.
func (l *limiter) wouldAllow(user, chat string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return !l.users[user].full(l.userN, now, l.per) && !l.chats[chat].full(l.chatN, now, l.per)
}

func (l *limiter) get(m map[string]*window, key string, n int) *window {
	if n <= 0 {
		return nil
	}
	w := m[key]
	if w == nil {
		w = &window{}
		m[key] = w
	}
	return w
}

// sweep forgets keys with no event inside the window, at most once per
// window, so the maps stay as small as the set of active users and chats.
func (l *limiter) sweep(now time.Time) {
	if now.Sub(l.lastSweep) < l.per {
		return
	}
	l.lastSweep = now
	for _, m := range []map[string]*window{l.users, l.chats} {
		for k, w := range m {
			if w.prune(now, l.per); len(w.times) == 0 {
				delete(m, k)
			}
		}
	}
}
