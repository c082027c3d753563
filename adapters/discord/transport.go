package discord

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cohortbot/cohort/bot"
)

// discordBase is where discordgo sends every REST request.
const discordBase = "https://discord.com/"

// transport sends discordgo's REST requests to the configured API base
// instead of https://discord.com/, and keeps all requests under a global
// rate (Discord allows 50 requests per second per bot). discordgo itself
// handles per-route buckets and waits out 429s.
type transport struct {
	base    *url.URL // nil when the base is discord.com itself
	next    http.RoundTripper
	limiter *limiter

	metrics bot.OutboundMetrics // optional
	pending atomic.Int64
}

func newTransport(apiURL string, perSecond float64) (*transport, error) {
	t := &transport{next: http.DefaultTransport, limiter: newLimiter(perSecond, perSecond)}
	if strings.TrimSuffix(apiURL, "/") != strings.TrimSuffix(discordBase, "/") {
		u, err := url.Parse(apiURL)
		if err != nil {
			return nil, err
		}
		if !strings.HasSuffix(u.Path, "/") {
			u.Path += "/"
		}
		t.base = u
	}
	return t, nil
}

// RoundTrip implements http.RoundTripper. Server errors (500, 502, 503,
// 504) are retried a few times with backoff before the answer is handed to
// discordgo, which gives up at once on all but 502: Discord documents them
// as temporary.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.metrics != nil {
		t.metrics.QueueDepth(bot.Discord, int(t.pending.Add(1)))
		defer func() { t.metrics.QueueDepth(bot.Discord, int(t.pending.Add(-1))) }()
	}
	for attempt := 0; ; attempt++ {
		resp, err := t.roundTrip(req)
		if err == nil && resp.StatusCode == http.StatusTooManyRequests && t.metrics != nil {
			t.metrics.RateLimited(bot.Discord)
		}
		if err != nil || !temporary(resp.StatusCode) || attempt+1 >= maxServerRetries {
			return resp, err
		}
		retry, ok := rewind(req)
		if !ok {
			return resp, nil
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		timer := time.NewTimer(serverRetryBase << attempt)
		select {
		case <-timer.C:
		case <-req.Context().Done():
			timer.Stop()
			return nil, req.Context().Err()
		}
		req = retry
	}
}

// maxServerRetries bounds the attempts of one request that meets server
// errors; serverRetryBase is the first wait, doubled each time (about 3.5 s
// in all).
const (
	maxServerRetries = 5
	serverRetryBase  = 250 * time.Millisecond
)

// temporary reports whether an HTTP status is a server error worth retrying.
func temporary(status int) bool {
	switch status {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// rewind returns req ready to be sent again, with a fresh body.
func rewind(req *http.Request) (*http.Request, bool) {
	if req.Body == nil || req.Body == http.NoBody {
		return req, true
	}
	if req.GetBody == nil {
		return nil, false
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, false
	}
	r := req.Clone(req.Context())
	r.Body = body
	return r, true
}

func (t *transport) roundTrip(req *http.Request) (*http.Response, error) {
	if err := t.limiter.wait(req.Context()); err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	if t.base != nil && req.URL.Scheme == "https" && req.URL.Host == "discord.com" {
		r := req.Clone(req.Context())
		u := *t.base
		u.Path = t.base.Path + strings.TrimPrefix(req.URL.Path, "/")
		u.RawPath = ""
		if req.URL.RawPath != "" {
			u.RawPath = t.base.EscapedPath() + strings.TrimPrefix(req.URL.RawPath, "/")
		}
		u.RawQuery = req.URL.RawQuery
		r.URL = &u
		r.Host = u.Host
		req = r
	}
	return t.next.RoundTrip(req)
}

// limiter is a token bucket: rate tokens per second, up to burst.
type limiter struct {
	mu     sync.Mutex
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
}

func newLimiter(rate, burst float64) *limiter {
	return &limiter{rate: rate, burst: burst, tokens: burst, last: time.Now()}
}

// wait takes one token, sleeping until it is available or ctx ends.
func (l *limiter) wait(ctx context.Context) error {
	l.mu.Lock()
	now := time.Now()
	l.tokens += now.Sub(l.last).Seconds() * l.rate
	if l.tokens > l.burst {
		l.tokens = l.burst
	}
	l.last = now
	l.tokens--
	var d time.Duration
	if l.tokens < 0 {
		d = time.Duration(-l.tokens / l.rate * float64(time.Second))
	}
	l.mu.Unlock()
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		l.mu.Lock()
		l.tokens++ // give the reservation back
		l.mu.Unlock()
		return ctx.Err()
	}
}
