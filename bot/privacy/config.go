package privacy

import (
	"fmt"
	"time"
)

// MinRetention is the shortest retention allowed: the monthly active
// member count needs 30 days of per-day activity.
const MinRetention = 30 * 24 * time.Hour

// Config is the privacy setting of one community (YAML section "privacy").
type Config struct {
	// Retention is how long message-derived data is kept: flagged
	// messages, texts of closed feedback tickets, free-text survey
	// answers, unanswered FAQ questions and who was active on which day.
	// Counters and totals are kept.
	Retention time.Duration `yaml:"retention"`
}

// Defaults returns the settings of a community that configures nothing:
// 90 days of retention.
func Defaults() Config {
	return Config{Retention: 90 * 24 * time.Hour}
}

// Validate reports the first invalid setting, naming its key.
func (c Config) Validate() error {
	if c.Retention < MinRetention {
		return fmt.Errorf("privacy.retention: must be at least %s (30 days, for monthly active members), got %s", MinRetention, c.Retention)
	}
	return nil
}
