package schedule

import (
	"fmt"
	"time"
)

// Config is the per-community configuration of scheduling, polls, events and
// surveys. Times are read in the community's timezone (bot.Community.Location,
// from the top-level or community "timezone" key).
type Config struct {
	// GracePeriod is how late a missed one-shot job (the bot was down at
	// its time) may still be sent; later it is recorded as missed.
	GracePeriod time.Duration `yaml:"grace_period"`
	// PollDuration is how long a poll stays open without --closes.
	PollDuration time.Duration `yaml:"poll_duration"`
	// Reminders are the offsets before an event's start at which those who
	// RSVPed are reminded.
	Reminders []time.Duration `yaml:"reminders"`
	// MinInterval is the shortest gap allowed between two runs of a
	// recurring job, so a typo cannot flood the community.
	MinInterval time.Duration `yaml:"min_interval"`
}

// Defaults returns the configuration used where nothing is set: grace 1 h,
// polls open 24 h, reminders 24 h and 15 min before events, recurring jobs
// at most every 15 min.
func Defaults() Config {
	return Config{
		GracePeriod:  time.Hour,
		PollDuration: 24 * time.Hour,
		Reminders:    []time.Duration{24 * time.Hour, 15 * time.Minute},
		MinInterval:  15 * time.Minute,
	}
}

// Validate reports the first invalid setting, naming its key.
func (c Config) Validate() error {
	switch {
	case c.GracePeriod < 0:
		return fmt.Errorf("schedule.grace_period: must not be negative")
	case c.PollDuration < time.Minute || c.PollDuration > maxPollDuration:
		return fmt.Errorf("schedule.poll_duration: must be between 1m and %s", maxPollDuration)
	case c.MinInterval < time.Minute:
		return fmt.Errorf("schedule.min_interval: must be at least 1m")
	}
	for i, r := range c.Reminders {
		if r <= 0 {
			return fmt.Errorf("schedule.reminders[%d]: must be positive", i)
		}
	}
	return nil
}

// maxPollDuration is Discord's longest poll (32 days).
const maxPollDuration = 32 * 24 * time.Hour
