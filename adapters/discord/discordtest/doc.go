// Package discordtest is a fake Discord for tests: an HTTP server that
// speaks the REST API (v9) and the websocket gateway the way the public
// Discord developer documentation describes them.
//
// A Server starts with one guild holding an owner, an administrator, a
// moderator (Manage Server), a plain member, a text channel and a thread,
// and the bot user. Tests point a client at Server.URL (the base that
// replaces https://discord.com/), wait for the client to identify, inject
// gateway events with the Dispatch helpers, and assert on the REST requests
// the client made with Requests and WaitRequest. Failures (429 rate limits,
// 404s, DM refusals) are injected with FailNext and BlockDMs; Reconnect
// sends op 7 so the client must resume.
//
// Every helper is safe for concurrent use.
package discordtest
