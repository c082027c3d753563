package bot

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/rs/zerolog"
)

// Middleware wraps a Handler.
type Middleware func(Handler) Handler

type panicError struct{ value any }

func (p *panicError) Error() string { return fmt.Sprintf("panic: %v", p.value) }

// Recover stops a panic in any handler from reaching the adapter: it is
// logged with its stack and the event is dropped.
func Recover(log zerolog.Logger) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, ev *Event) {
			defer func() {
				if p := recover(); p != nil {
					log.Error().Interface("panic", p).Bytes("stack", debug.Stack()).Str("event", ev.Kind.String()).Msg("handler panicked")
				}
			}()
			next(ctx, ev)
		}
	}
}

// WithLogger puts a logger with the event's platform, chat and kind into the
// context (zerolog.Ctx). Message text is never logged.
func WithLogger(log zerolog.Logger) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, ev *Event) {
			l := log.With().Str("platform", ev.Chat.Platform).Str("chat", ev.Chat.String()).Str("event", ev.Kind.String()).Logger()
			next(l.WithContext(ctx), ev)
		}
	}
}

// Rate is a number of events per period.
type Rate struct {
	Burst int
	Per   time.Duration
}

// rateLimiter is a per-key sliding window limiter for commands.
type rateLimiter struct {
	rate Rate
	mu   sync.Mutex
	keys map[string]*window
}

type window struct {
	times  []time.Time
	warned bool
}

func newRateLimiter(r Rate) *rateLimiter {
	if r.Burst <= 0 {
		r.Burst = 30
	}
	if r.Per <= 0 {
		r.Per = 30 * time.Second
	}
	return &rateLimiter{rate: r, keys: map[string]*window{}}
}

// allow records an event for key at now and reports whether it is within the rate.
func (l *rateLimiter) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.keys) > 10000 {
		l.sweep(now)
	}
	w := l.keys[key]
	if w == nil {
		w = &window{}
		l.keys[key] = w
	}
	cut := now.Add(-l.rate.Per)
	kept := w.times[:0]
	for _, t := range w.times {
		if t.After(cut) {
			kept = append(kept, t)
		}
	}
	w.times = kept
	if len(w.times) >= l.rate.Burst {
		return false
	}
	w.times = append(w.times, now)
	w.warned = false
	return true
}

// warnOnce reports true the first time a key is refused in a row.
func (l *rateLimiter) warnOnce(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.keys[key]
	if w == nil || w.warned {
		return false
	}
	w.warned = true
	return true
}

func (l *rateLimiter) sweep(now time.Time) {
	cut := now.Add(-l.rate.Per)
	for k, w := range l.keys {
		if len(w.times) == 0 || !w.times[len(w.times)-1].After(cut) {
			delete(l.keys, k)
		}
	}
}
