// Package telegram connects Cohort to Telegram through the Bot API, using
// github.com/go-telegram/bot.
package telegram
