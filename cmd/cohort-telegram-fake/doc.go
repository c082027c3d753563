// Command cohort-telegram-fake runs the fake Telegram Bot API server from
// adapters/telegram/telegramtest, so you can try Cohort end to end without
// Telegram: start it, point cohort at it, then type into the fake group.
//
//	cohort-telegram-fake -listen 127.0.0.1:8081
//	COHORT_TELEGRAM_TOKEN=<printed token> cohort -config cfg.yaml   # telegram.api_url: http://127.0.0.1:8081
//
// Every line typed on stdin is posted to the group as the fake user; lines
// starting with "dm " are sent to the bot privately. The bot's messages are
// printed as members would see them.
package main
