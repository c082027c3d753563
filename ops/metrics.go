package ops

import (
	"context"
	"net/http"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the bot's Prometheus metrics in a registry of its own.
type Metrics struct {
	reg         *prometheus.Registry
	events      *prometheus.CounterVec
	handling    *prometheus.HistogramVec
	commands    *prometheus.CounterVec
	commandTime *prometheus.HistogramVec
	queue       *prometheus.GaugeVec
	limited     *prometheus.CounterVec
	commitTime  prometheus.Histogram
	commitOps   prometheus.Histogram
}

// NewMetrics creates the metrics, with the Go runtime and process
// collectors.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cohort_events_total", Help: "Events received from the platforms, by platform and kind.",
		}, []string{"platform", "kind"}),
		handling: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "cohort_handler_seconds", Help: "Time spent handling one event, by kind.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"kind"}),
		commands: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cohort_commands_total", Help: "Commands run, by name and outcome (ok, invalid, error, refused).",
		}, []string{"command", "outcome"}),
		commandTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "cohort_command_seconds", Help: "Time a command took, by name.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"command"}),
		queue: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "cohort_outbound_queue_depth", Help: "Messages waiting in an adapter's outbound queue.",
		}, []string{"platform"}),
		limited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cohort_rate_limited_total", Help: "429 Too Many Requests answers from a platform.",
		}, []string{"platform"}),
		commitTime: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "cohort_store_commit_seconds", Help: "Duration of one store group commit.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1},
		}),
		commitOps: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "cohort_store_commit_ops", Help: "Operations in one store group commit.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 10),
		}),
	}
	m.reg.MustRegister(m.events, m.handling, m.commands, m.commandTime, m.queue, m.limited, m.commitTime, m.commitOps,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Middleware counts every event and times its handling. Pass it in
// bot.Options.Middleware.
func (m *Metrics) Middleware() bot.Middleware {
	return func(next bot.Handler) bot.Handler {
		return func(ctx context.Context, ev *bot.Event) {
			start := time.Now()
			kind := ev.Kind.String()
			m.events.WithLabelValues(platform(ev.Chat.Platform), kind).Inc()
			defer func() { m.handling.WithLabelValues(kind).Observe(time.Since(start).Seconds()) }()
			next(ctx, ev)
		}
	}
}

// platform keeps the label set small whatever an adapter reports.
func platform(p string) string {
	switch p {
	case bot.Telegram, bot.Discord, bot.Console:
		return p
	}
	return "other"
}

// OnCommand records a command's outcome and duration. Pass it as
// bot.Options.OnCommand.
func (m *Metrics) OnCommand(name, outcome string, took time.Duration) {
	m.commands.WithLabelValues(name, outcome).Inc()
	m.commandTime.WithLabelValues(name).Observe(took.Seconds())
}

// OnCommit records one store group commit. Pass it as store.Options.OnCommit.
func (m *Metrics) OnCommit(ops int, took time.Duration) {
	m.commitOps.Observe(float64(ops))
	m.commitTime.Observe(took.Seconds())
}

// QueueDepth sets how many messages wait in a platform's outbound queue.
func (m *Metrics) QueueDepth(p string, n int) { m.queue.WithLabelValues(platform(p)).Set(float64(n)) }

// RateLimited counts a 429 answer from a platform.
func (m *Metrics) RateLimited(p string) { m.limited.WithLabelValues(platform(p)).Inc() }

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

var _ bot.OutboundMetrics = (*Metrics)(nil)
