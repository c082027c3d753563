// Command cohort-load drives the real cohort binary through the fake
// Telegram and Discord servers and prints what it measured.
//
//	go run ./cmd/cohort-load -duration 60s -rate 2000     # load
//	go run ./cmd/cohort-load -crash -kills 20             # kill -9 and restart
//
// It builds cmd/cohort first (or runs -bin), works in a temporary
// directory (or -dir), and exits 1 when a check failed: a member's total,
// a /points reply, an outbound limit, an acknowledged change lost after a
// kill, or an announcement posted twice.
package main
