package discord

import "sync"

// lanes runs functions one at a time per key, in the order they were
// queued, each busy key on its own goroutine that ends when the key has
// nothing left to do. The adapter keys events by chat, so one chat's events
// are handled in gateway order while a slow chat never holds up another.
type lanes struct {
	mu    sync.Mutex
	queue map[string][]func()
}

func newLanes() *lanes { return &lanes{queue: map[string][]func(){}} }

// do queues fn on key's lane.
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
