package discord

import "sync"

// lanes runs functions one at a time per key, each key on its own
// goroutine that ends when the key has nothing left to do.
type lanes struct {
	mu    sync.Mutex
	queue map[string][]func()
}

func newLanes() *lanes { return &lanes{queue: map[string][]func(){}} }

// do queues fn on key's lane, starting the lane when it is idle.
func (l *lanes) do(key string, fn func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	q, busy := l.queue[key]
	l.queue[key] = append(q, fn)
	if busy {
		return
	}
	go func() {
		for {
			l.mu.Lock()
			q := l.queue[key]
			if len(q) == 0 {
				delete(l.queue, key)
				l.mu.Unlock()
				return
			}
			next := q[0]
			l.queue[key] = q[1:]
			l.mu.Unlock()
			next()
		}
	}()
}
