package feedback

import (
	"fmt"
	"time"
)

// Config is the feedback desk's setting for one community (YAML section
// "feedback").
type Config struct {
	// MaxOpen is how many unresolved tickets (drafts included) one member
	// may have at a time.
	MaxOpen int `yaml:"max_open"`
	// ReannounceAfter is how long an open ticket may stay unclaimed before
	// moderators are reminded (again every ReannounceAfter).
	ReannounceAfter time.Duration `yaml:"reannounce_after"`
	// PrivateIntake makes plain private messages to the bot offer to open
	// a ticket.
	PrivateIntake bool `yaml:"private_intake"`
	// CommentWindow is how long after rating a private message is taken as
	// the rating's comment.
	CommentWindow time.Duration `yaml:"comment_window"`
}

// Defaults returns the settings of a community that configures nothing.
func Defaults() Config {
	return Config{MaxOpen: 3, ReannounceAfter: 2 * time.Hour, PrivateIntake: true, CommentWindow: time.Hour}
}

// Validate reports the first invalid setting, naming its key.
func (c Config) Validate() error {
	switch {
	case c.MaxOpen < 1 || c.MaxOpen > 100:
		return fmt.Errorf("feedback.max_open: must be between 1 and 100, got %d", c.MaxOpen)
	case c.ReannounceAfter < time.Minute:
		return fmt.Errorf("feedback.reannounce_after: must be at least 1m, got %s", c.ReannounceAfter)
	case c.CommentWindow < 0:
		return fmt.Errorf("feedback.comment_window: must not be negative, got %s", c.CommentWindow)
	}
	return nil
}
