package bot

import (
	"container/list"
	"crypto/rand"
	"encoding/binary"
	"strconv"
	"sync"

	"github.com/qabot/qabot/qa"
)

// page is one answer reply the router sent: a slice of a result's answers
// under a short key that its buttons carry.
type page struct {
	key      string
	result   qa.Result
	start    int    // index of the first answer shown on this page
	end      int    // index after the last one shown
	replyTo  string // the question's message id
	lang     string
	expanded bool            // "more" was pressed on this page already
	votes    map[string]bool // platform+"\x00"+user → up
}

// pageCache is a bounded LRU of pages by key.
type pageCache struct {
	mu    sync.Mutex
	max   int
	ll    *list.List // front: most recently used
	items map[string]*list.Element
}

func newPageCache(max int) *pageCache {
	return &pageCache{max: max, ll: list.New(), items: map[string]*list.Element{}}
}

// newKey returns a fresh random base36 key of at most 13 characters.
func newKey() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return strconv.FormatUint(binary.LittleEndian.Uint64(b[:]), 36)
}

// add stores p under a new key, evicting the least recently used page when
// full, and returns the key.
func (c *pageCache) add(p *page) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		p.key = newKey()
		if _, dup := c.items[p.key]; !dup {
			break
		}
	}
	c.items[p.key] = c.ll.PushFront(p)
	for c.ll.Len() > c.max {
		old := c.ll.Back()
		c.ll.Remove(old)
		delete(c.items, old.Value.(*page).key)
	}
	return p.key
}

// with calls f with the page under key while holding the cache lock, and
// reports whether the page was there.
func (c *pageCache) with(key string, f func(p *page)) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[key]
	if !ok {
		return false
	}
	c.ll.MoveToFront(e)
	f(e.Value.(*page))
	return true
}

// len returns the number of pages held.
func (c *pageCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ll.Len()
}
