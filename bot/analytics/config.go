package analytics

import (
	"fmt"
	"strings"

	"github.com/robfig/cron/v3"
)

// DefaultWeeklyReport is the default report schedule: Mondays at 09:00 in
// the community's timezone. (Cron's own "@weekly" means Sundays at 00:00.)
const DefaultWeeklyReport = "0 9 * * 1"

// Config is the analytics section of a community (communities[].analytics).
type Config struct {
	// WeeklyReport is a cron spec ("0 9 * * 1", "@weekly", "CRON_TZ=Asia/Shanghai 0 9 * * 1")
	// for the report posted to the community's mod_chat, in the community's
	// timezone unless the spec names one; "off" disables it.
	WeeklyReport string `yaml:"weekly_report"`
	// TopChats is how many of the most active chats /stats lists.
	TopChats int `yaml:"top_chats"`
}

// Defaults returns the default configuration.
func Defaults() Config {
	return Config{WeeklyReport: DefaultWeeklyReport, TopChats: 5}
}

// withDefaults fills unset fields from Defaults.
func (c Config) withDefaults() Config {
	d := Defaults()
	if strings.TrimSpace(c.WeeklyReport) == "" {
		c.WeeklyReport = d.WeeklyReport
	}
	if c.TopChats == 0 {
		c.TopChats = d.TopChats
	}
	return c
}

// Validate checks the configuration; errors name the key.
func (c Config) Validate() error {
	c = c.withDefaults()
	if _, err := c.schedule(); err != nil {
		return fmt.Errorf("analytics.weekly_report: %w", err)
	}
	if c.TopChats < 0 || c.TopChats > 20 {
		return fmt.Errorf("analytics.top_chats: must be between 1 and 20, got %d", c.TopChats)
	}
	return nil
}

// schedule parses the report schedule; nil means the report is off.
func (c Config) schedule() (cron.Schedule, error) {
	spec := strings.TrimSpace(c.WeeklyReport)
	if strings.EqualFold(spec, "off") {
		return nil, nil
	}
	s, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("%q is not a cron spec (want e.g. \"0 9 * * 1\", \"@weekly\" or \"off\"): %w", spec, err)
	}
	return s, nil
}
