// Package store keeps Cohort's data in one bbolt file. It is the only
// package that imports bbolt; it implements the narrow store interfaces the
// feature packages declare.
//
// Writes that come at a high rate (participation events, counters) go
// through one writer goroutine with group commit: it drains up to
// Options.MaxBatch queued operations into a single transaction and
// acknowledges each caller after the commit, so an acknowledged change is
// durable and costs a fraction of an fsync.
package store
