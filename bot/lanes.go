package bot

import "sync"

// Lanes runs functions one at a time per key, in the order they were
// queued, each busy key on its own goroutine that ends when the key has
// nothing left to do. Adapters key incoming events by chat, so one chat's
// events are handled in order while a slow chat never holds up another.
// The zero value is ready to use.
type Lanes struct {
	mu    sync.Mutex
	queue map[string][]func()
	wg    sync.WaitGroup
}

// Do queues fn on key's lane.
func (l *Lanes) Do(key string, fn func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.queue == nil {
		l.queue = map[string][]func(){}
	}
	q, busy := l.queue[key]
	l.queue[key] = append(q, fn)
	if busy {
		return
	}
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
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

// Wait waits until every queued function has run.
func (l *Lanes) Wait() { l.wg.Wait() }
