// Package ops is the operations endpoint: /healthz (the process is alive),
// /readyz (every readiness check passes: adapters connected, store
// writable) and Prometheus /metrics.
//
// Metrics gathers what the bot does: events in by platform and kind
// (Metrics.Middleware, for bot.Options.Middleware), commands by name and
// outcome and handler latency (Metrics.OnCommand, for
// bot.Options.OnCommand), outbound queue depth and 429s (Metrics implements
// bot.OutboundMetrics for the adapters) and store group commits
// (Metrics.OnCommit, for store.Options.OnCommit).
//
// The server is off unless http.listen is set; it should listen on
// localhost or a private network, as it has no authentication.
package ops
