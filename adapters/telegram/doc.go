// Package telegram connects Cohort to Telegram through the Bot API, using
// github.com/go-telegram/bot (imported as tgbot).
//
// New builds an Adapter from the `telegram:` configuration section; pass it
// in bot.Options.Adapters. Run receives updates by long polling (or, in
// webhook mode, through its own HTTP server that checks the secret token)
// and turns them into bot Events: messages, commands (including
// /cmd@BotName, ignoring commands for other bots), button presses (always
// answered), poll votes, joins and leaves. Send renders the neutral markup
// as escaped Telegram HTML and posts through a rate-limited queue that keeps
// each chat's order and waits out 429 answers. The Adapter also implements
// every optional capability Telegram has: roles from the chat's
// administrators, direct messages, delete, edit, mute, ban, polls, pins,
// invite links and the command menu.
package telegram
