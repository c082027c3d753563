package moderation

import (
	"fmt"
	"time"
)

// Config is the moderation setting of one community (YAML section
// "moderation"). Zero counts switch a rule off.
type Config struct {
	// Rules is the rules text by language ("en", "zh-CN"), in the neutral markup.
	Rules map[string]string `yaml:"rules"`
	// Welcome greets members who join.
	Welcome WelcomeConfig `yaml:"welcome"`
	// Flood limits how many messages a member may send within a window.
	Flood FloodConfig `yaml:"flood"`
	// Duplicates limits how often a member may repeat the same message.
	Duplicates FloodConfig `yaml:"duplicates"`
	// Links holds links and invite links back from new members.
	Links LinkConfig `yaml:"links"`
	// BannedWords are extra banned words or phrases (any language).
	BannedWords []string `yaml:"banned_words"`
	// BannedWordFiles are extra word lists, one word or phrase a line.
	BannedWordFiles []string `yaml:"banned_word_files"`
	// DefaultWords keeps the built-in English and Chinese word lists.
	DefaultWords bool `yaml:"default_words"`
	// MaxMentions is the most mentions one message may carry.
	MaxMentions int `yaml:"max_mentions"`
	// Ladder turns warnings into mutes and bans.
	Ladder []Step `yaml:"ladder"`
	// MuteDefault is the length of /mute without a duration.
	MuteDefault time.Duration `yaml:"mute_default"`
	// ApplyLinked applies mutes and bans to every linked account of a member.
	ApplyLinked bool `yaml:"apply_linked"`
}

// WelcomeConfig configures the welcome message.
type WelcomeConfig struct {
	Enabled bool `yaml:"enabled"`
	// Text replaces the built-in greeting, by language; {name} is the
	// member's name.
	Text map[string]string `yaml:"text"`
}

// FloodConfig is a count of messages within a window.
type FloodConfig struct {
	Messages int           `yaml:"messages"`
	Window   time.Duration `yaml:"window"`
}

// LinkConfig holds links back from members younger than MinAgeDays or
// below the tier MinTier.
type LinkConfig struct {
	MinAgeDays int `yaml:"min_age_days"`
	// MinTier is the least points tier (e.g. "Active") whose members may
	// post links; empty: any tier.
	MinTier string `yaml:"min_tier"`
	// Allow lists domains anyone may link to (the project's site).
	Allow []string `yaml:"allow"`
}

// Step is one rung of the warn ladder: Warns warnings within Within lead
// to Action ("mute" or "ban"), for Duration when muting.
type Step struct {
	Warns    int           `yaml:"warns"`
	Within   time.Duration `yaml:"within"`
	Action   string        `yaml:"action"`
	Duration time.Duration `yaml:"duration"`
}

// Defaults returns the settings of a community that configures nothing.
func Defaults() Config {
	return Config{
		Welcome:      WelcomeConfig{Enabled: true},
		Flood:        FloodConfig{Messages: 6, Window: 5 * time.Second},
		Duplicates:   FloodConfig{Messages: 3, Window: time.Minute},
		Links:        LinkConfig{MinAgeDays: 3},
		DefaultWords: true,
		MaxMentions:  5,
		Ladder: []Step{
			{Warns: 3, Within: 7 * 24 * time.Hour, Action: "mute", Duration: 24 * time.Hour},
			{Warns: 5, Within: 30 * 24 * time.Hour, Action: "ban"},
		},
		MuteDefault: time.Hour,
	}
}

// Validate reports the first invalid setting, naming its key.
func (c Config) Validate() error {
	checkRate := func(key string, f FloodConfig) error {
		if f.Messages < 0 || (f.Messages > 0 && f.Window <= 0) {
			return fmt.Errorf("moderation.%s: messages must be ≥ 0 and window positive", key)
		}
		return nil
	}
	if err := checkRate("flood", c.Flood); err != nil {
		return err
	}
	if err := checkRate("duplicates", c.Duplicates); err != nil {
		return err
	}
	switch {
	case c.Links.MinAgeDays < 0:
		return fmt.Errorf("moderation.links.min_age_days: must not be negative")
	case c.MaxMentions < 0:
		return fmt.Errorf("moderation.max_mentions: must not be negative")
	case c.MuteDefault <= 0:
		return fmt.Errorf("moderation.mute_default: must be positive")
	}
	for i, s := range c.Ladder {
		switch {
		case s.Warns < 1:
			return fmt.Errorf("moderation.ladder[%d].warns: must be at least 1", i)
		case s.Within <= 0:
			return fmt.Errorf("moderation.ladder[%d].within: must be positive", i)
		case s.Action != "mute" && s.Action != "ban":
			return fmt.Errorf("moderation.ladder[%d].action: want mute or ban, got %q", i, s.Action)
		case s.Action == "mute" && s.Duration <= 0:
			return fmt.Errorf("moderation.ladder[%d].duration: a mute needs a positive duration", i)
		}
	}
	return nil
}
