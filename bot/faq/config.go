package faq

import (
	"fmt"
	"time"

	"github.com/cohortbot/cohort/bot"
)

// Config is the FAQ configuration of one community (the `faq:` section).
type Config struct {
	// File is the community's faq_file (the communities[].faq_file key);
	// it is set by the caller, not read from the faq section. Empty: no
	// file, entries come only from chat and pasted imports.
	File string `yaml:"-"`
	// Threshold is the least match score (0..1) /faq answers with; below
	// it the question counts as unanswered. Default 0.4.
	Threshold float64 `yaml:"threshold"`
	// PageSize is the number of topics per /faq page. Default 8.
	PageSize int `yaml:"page_size"`
	// AutoAnswer answers questions in group messages without /faq.
	AutoAnswer AutoAnswer `yaml:"auto_answer"`
	// Unanswered configures the list of questions without an answer.
	Unanswered UnansweredConfig `yaml:"unanswered"`
}

// AutoAnswer is the `faq.auto_answer:` section.
type AutoAnswer struct {
	// Enabled turns automatic answers on for the community's chats.
	// Default off: members have to ask with /faq.
	Enabled bool `yaml:"enabled"`
	// Threshold is the least score for an automatic answer; higher than
	// the /faq threshold because nobody asked the bot. Default 0.6.
	Threshold float64 `yaml:"threshold"`
	// Cooldown is the least time between two automatic answers in one
	// chat. Default 2m.
	Cooldown time.Duration `yaml:"cooldown"`
	// RepeatAfter is the least time before the same entry is answered
	// automatically again in one chat. Default 30m.
	RepeatAfter time.Duration `yaml:"repeat_after"`
	// Chats switches automatic answers per chat, overriding Enabled:
	// {"telegram:-100100": false, "discord:111/222": true}. A Discord
	// guild ("discord:111") covers all its channels.
	Chats map[string]bool `yaml:"chats"`
}

// UnansweredConfig is the `faq.unanswered:` section.
type UnansweredConfig struct {
	// Keep is how many distinct unanswered questions are remembered; the
	// least asked are forgotten first. Default 500.
	Keep int `yaml:"keep"`
	// Forward posts each new unanswered question to the community's
	// mod_chat. Default off.
	Forward bool `yaml:"forward"`
}

// Defaults fills in unset values.
func (c *Config) Defaults() {
	if c.Threshold == 0 {
		c.Threshold = 0.4
	}
	if c.PageSize == 0 {
		c.PageSize = 8
	}
	if c.AutoAnswer.Threshold == 0 {
		c.AutoAnswer.Threshold = 0.6
	}
	if c.AutoAnswer.Cooldown == 0 {
		c.AutoAnswer.Cooldown = 2 * time.Minute
	}
	if c.AutoAnswer.RepeatAfter == 0 {
		c.AutoAnswer.RepeatAfter = 30 * time.Minute
	}
	if c.Unanswered.Keep == 0 {
		c.Unanswered.Keep = 500
	}
}

// Validate reports the first invalid value, naming its key under "faq.".
func (c Config) Validate() error {
	switch {
	case c.Threshold < 0 || c.Threshold > 1:
		return fmt.Errorf("faq.threshold: %v is not between 0 and 1", c.Threshold)
	case c.PageSize < 0 || c.PageSize > 20:
		return fmt.Errorf("faq.page_size: %d is not between 1 and 20", c.PageSize)
	case c.AutoAnswer.Threshold < 0 || c.AutoAnswer.Threshold > 1:
		return fmt.Errorf("faq.auto_answer.threshold: %v is not between 0 and 1", c.AutoAnswer.Threshold)
	case c.AutoAnswer.Cooldown < 0:
		return fmt.Errorf("faq.auto_answer.cooldown: must not be negative")
	case c.AutoAnswer.RepeatAfter < 0:
		return fmt.Errorf("faq.auto_answer.repeat_after: must not be negative")
	case c.Unanswered.Keep < 0 || c.Unanswered.Keep > 10000:
		return fmt.Errorf("faq.unanswered.keep: %d is not between 1 and 10000", c.Unanswered.Keep)
	}
	for chat := range c.AutoAnswer.Chats {
		if _, err := bot.ParseChatRef(chat); err != nil {
			return fmt.Errorf("faq.auto_answer.chats: %w", err)
		}
	}
	return nil
}

// autoAnswerIn reports whether automatic answers are on in a chat: the most
// specific entry of Chats wins (thread, channel, guild), then Enabled.
func (c Config) autoAnswerIn(chat bot.ChatRef) bool {
	keys := []string{chat.String(), chat.WithoutThread().String()}
	if chat.Platform == bot.Discord {
		keys = append(keys, bot.ChatRef{Platform: chat.Platform, Space: chat.Space}.String())
	}
	for _, k := range keys {
		if on, ok := c.AutoAnswer.Chats[k]; ok {
			return on
		}
	}
	return c.AutoAnswer.Enabled
}
