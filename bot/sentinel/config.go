package sentinel

import (
	"fmt"
	"time"
)

// Config is the sentinel setting of one community (YAML section "sentinel").
type Config struct {
	// AlertCooldown is how long a risk phrase stays quiet after an alert.
	AlertCooldown time.Duration `yaml:"alert_cooldown"`
	// SpikeFactor is how many times the 7-day negative share the current
	// hour must reach to raise a spike alert.
	SpikeFactor float64 `yaml:"spike_factor"`
	// SpikeMinNegative is the fewest negative messages in the hour for a spike.
	SpikeMinNegative int `yaml:"spike_min_negative"`
	// SpikeMinBaseline is the baseline share used when history is thin.
	SpikeMinBaseline float64 `yaml:"spike_min_baseline"`
	// SpikeCooldown is how long after a spike alert the next may come.
	SpikeCooldown time.Duration `yaml:"spike_cooldown"`
	// Lexicon adds word list files by kind: positive, negative, negator,
	// question, intensifier, risk, context, benign.
	Lexicon map[string][]string `yaml:"lexicon"`
}

// Defaults returns the settings of a community that configures nothing.
func Defaults() Config {
	return Config{AlertCooldown: 30 * time.Minute, SpikeFactor: 2, SpikeMinNegative: 10, SpikeMinBaseline: 0.05, SpikeCooldown: 3 * time.Hour}
}

// Validate reports the first invalid setting, naming its key.
func (c Config) Validate() error {
	switch {
	case c.AlertCooldown < 0:
		return fmt.Errorf("sentinel.alert_cooldown: must not be negative")
	case c.SpikeFactor <= 1:
		return fmt.Errorf("sentinel.spike_factor: must be greater than 1, got %g", c.SpikeFactor)
	case c.SpikeMinNegative < 1:
		return fmt.Errorf("sentinel.spike_min_negative: must be at least 1")
	case c.SpikeMinBaseline <= 0 || c.SpikeMinBaseline >= 1:
		return fmt.Errorf("sentinel.spike_min_baseline: must be between 0 and 1")
	case c.SpikeCooldown < 0:
		return fmt.Errorf("sentinel.spike_cooldown: must not be negative")
	}
	for kind := range c.Lexicon {
		if !validKind(kind) {
			return fmt.Errorf("sentinel.lexicon.%s: unknown kind (want positive, negative, negator, question, intensifier, risk, context or benign)", kind)
		}
	}
	return nil
}
