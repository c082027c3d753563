// Package bottest runs a whole bot in memory for feature tests: fake
// Telegram and Discord adapters that record what the bot sends, a fake
// clock, and helpers that make a test read like a chat transcript:
//
//	tb := bottest.New(t, bottest.Options{Modules: []bot.Module{points.New(...)}})
//	tb.Say(bottest.Group, bottest.Alice, "/points")
//	tb.LastText() // "Alice: 15 points ..."
package bottest
