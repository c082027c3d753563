package sentinel

import (
	"strings"

	"github.com/cohortbot/cohort/bot"
)

// messageLink is a web link to a message where the platform has one:
// Discord channels, and Telegram supergroups (ids starting -100).
func messageLink(msg bot.MessageRef) string {
	c := msg.Chat
	if msg.ID == "" {
		return ""
	}
	switch c.Platform {
	case bot.Discord:
		if c.Space != "" && c.Chat != "" {
			return "https://discord.com/channels/" + c.Space + "/" + c.Chat + "/" + msg.ID
		}
	case bot.Telegram:
		if id, ok := strings.CutPrefix(c.Chat, "-100"); ok && id != "" {
			return "https://t.me/c/" + id + "/" + msg.ID
		}
	}
	return ""
}
