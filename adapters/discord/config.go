package discord

import (
	"errors"
	"fmt"
	"net/url"
	"time"
)

// Config is the `discord:` section of the configuration.
type Config struct {
	Token         string   `yaml:"token"`
	ApplicationID string   `yaml:"application_id"`
	APIURL        string   `yaml:"api_url"`
	Guilds        []string `yaml:"guilds"` // register commands per guild; empty = globally
	ShardID       int      `yaml:"shard_id"`
	ShardCount    int      `yaml:"shard_count"`
	Prefix        string   `yaml:"prefix"` // text prefix for commands in channels
	// DeferAfter is how long a handler may work on an interaction before
	// the adapter sends a deferred response (Discord allows 3 s in all).
	// Default 2 s.
	DeferAfter time.Duration `yaml:"defer_after"`
}

// Enabled reports whether a token is configured.
func (c Config) Enabled() bool { return c.Token != "" }

// Defaults fills in unset values.
func (c *Config) Defaults() {
	if c.APIURL == "" {
		c.APIURL = "https://discord.com/"
	}
	if c.ShardCount == 0 {
		c.ShardCount = 1
	}
	if c.Prefix == "" {
		c.Prefix = "!"
	}
	if c.DeferAfter <= 0 {
		c.DeferAfter = 2 * time.Second
	}
}

// Validate reports the first invalid value, naming its key.
func (c Config) Validate() error {
	if !c.Enabled() {
		return nil
	}
	if u, err := url.Parse(c.APIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("discord.api_url: %q is not an http(s) URL", c.APIURL)
	}
	if c.ShardCount < 1 {
		return errors.New("discord.shard_count: must be at least 1")
	}
	if c.ShardID < 0 || c.ShardID >= c.ShardCount {
		return fmt.Errorf("discord.shard_id: %d is outside 0..%d", c.ShardID, c.ShardCount-1)
	}
	if c.DeferAfter >= 3*time.Second {
		return fmt.Errorf("discord.defer_after: %s is too late; Discord needs an answer within 3s", c.DeferAfter)
	}
	if len(c.Prefix) > 5 {
		return errors.New("discord.prefix: at most 5 characters")
	}
	return nil
}
