package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ErrClosed is returned for writes queued after Close.
var ErrClosed = errors.New("store is closed")

type op struct {
	fn   func(tx *bolt.Tx) error
	done chan error
}

// writer is the single goroutine that applies queued operations in group
// commits.
type writer struct {
	update   func(fn func(tx *bolt.Tx) error) error
	maxBatch int
	onCommit func(int, time.Duration)
	hooks    txHooks
	ops      chan *op

	mu     sync.RWMutex
	closed bool
	wg     sync.WaitGroup
}

// txHooks run in every attempt of a group commit: begin before the
// first operation, end after the last one, inside the transaction (an
// error from end fails the whole batch).
type txHooks struct {
	begin func()
	end   func(tx *bolt.Tx) error
}

func newWriter(update func(fn func(tx *bolt.Tx) error) error, maxBatch int, onCommit func(int, time.Duration), hooks txHooks) *writer {
	w := &writer{update: update, maxBatch: maxBatch, onCommit: onCommit, hooks: hooks, ops: make(chan *op, maxBatch*4)}
	w.wg.Add(1)
	go w.loop()
	return w
}

// do queues fn and waits for its commit. Once queued the operation is not
// withdrawn when ctx ends: it waits for the outcome, so a nil error always
// means durable.
func (w *writer) do(ctx context.Context, fn func(tx *bolt.Tx) error) error {
	o := &op{fn: fn, done: make(chan error, 1)}
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		return ErrClosed
	}
	select {
	case w.ops <- o:
	case <-ctx.Done():
		w.mu.RUnlock()
		return ctx.Err()
	}
	w.mu.RUnlock()
	return <-o.done
}

func (w *writer) close() {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		close(w.ops)
	}
	w.mu.Unlock()
	w.wg.Wait()
}

func (w *writer) loop() {
	defer w.wg.Done()
	batch := make([]*op, 0, w.maxBatch)
	for first := range w.ops {
		batch = append(batch[:0], first)
	drain:
		for len(batch) < w.maxBatch {
			select {
			case o, ok := <-w.ops:
				if !ok {
					break drain
				}
				batch = append(batch, o)
			default:
				break drain
			}
		}
		w.commit(batch)
	}
}

// commit applies the batch in one transaction. An operation that fails is
// answered with its error and the transaction is retried without it, so one
// bad operation never fails the others.
func (w *writer) commit(batch []*op) {
	for len(batch) > 0 {
		start := time.Now()
		failed := -1
		var opErr error
		err := w.update(func(tx *bolt.Tx) error {
			if w.hooks.begin != nil {
				w.hooks.begin()
			}
			for i, o := range batch {
				if err := runOp(o, tx); err != nil {
					failed, opErr = i, err
					return err
				}
			}
			if w.hooks.end != nil {
				return w.hooks.end(tx)
			}
			return nil
		})
		if failed >= 0 {
			batch[failed].done <- opErr
			batch = append(batch[:failed:failed], batch[failed+1:]...)
			continue
		}
		if w.onCommit != nil {
			w.onCommit(len(batch), time.Since(start))
		}
		for _, o := range batch {
			o.done <- err
		}
		return
	}
}

func runOp(o *op, tx *bolt.Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("store operation panicked: %v", p)
		}
	}()
	return o.fn(tx)
}
