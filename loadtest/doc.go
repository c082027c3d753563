// Package loadtest drives the real cohort binary against the fake Telegram
// (telegramtest) and the fake Discord (discordtest) served in this process,
// and checks what members would notice: every message earned its points,
// every /points reply was true, outbound traffic stayed within the
// configured platform limits, and across kill -9 restarts no acknowledged
// change was lost and no announcement was posted twice.
//
// Load runs steady traffic and reports events per second, reply latency,
// outbound rates per chat and the bot's peak memory. Crash runs traffic
// while killing and restarting the bot. cmd/cohort-load runs both from the
// command line; the tests here run short versions of both.
package loadtest
