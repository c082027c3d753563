package telegram

import (
	"errors"
	"fmt"
	"net/url"
	"time"
)

// Config is the `telegram:` section of the configuration.
type Config struct {
	Token   string        `yaml:"token"`
	APIURL  string        `yaml:"api_url"`
	Mode    string        `yaml:"mode"` // polling | webhook
	Webhook WebhookConfig `yaml:"webhook"`
	Limits  Limits        `yaml:"limits"`
	// PollTimeout is the long-polling request timeout (default 1m).
	PollTimeout time.Duration `yaml:"poll_timeout"`
}

// WebhookConfig is the `telegram.webhook:` section.
type WebhookConfig struct {
	Listen    string `yaml:"listen"`     // address the webhook server listens on, e.g. :8443
	PublicURL string `yaml:"public_url"` // the https URL Telegram posts updates to
	Secret    string `yaml:"secret"`     // X-Telegram-Bot-Api-Secret-Token
}

// Limits are the outbound rate limits.
type Limits struct {
	PerSecond      float64       `yaml:"per_second"`       // all chats together
	PerChat        time.Duration `yaml:"per_chat"`         // minimum gap between messages to one chat
	PerChatBurst   int           `yaml:"per_chat_burst"`   // messages one chat may receive back to back
	GroupPerMinute int           `yaml:"group_per_minute"` // messages one group may receive per minute
}

// Enabled reports whether a token is configured.
func (c Config) Enabled() bool { return c.Token != "" }

// Defaults fills in unset values.
func (c *Config) Defaults() {
	if c.APIURL == "" {
		c.APIURL = "https://api.telegram.org"
	}
	if c.Mode == "" {
		c.Mode = "polling"
	}
	if c.Limits.PerSecond == 0 {
		c.Limits.PerSecond = 30
	}
	if c.Limits.PerChat == 0 {
		c.Limits.PerChat = time.Second
	}
	if c.Limits.PerChatBurst == 0 {
		c.Limits.PerChatBurst = 3
	}
	if c.Limits.GroupPerMinute == 0 {
		c.Limits.GroupPerMinute = 20
	}
}

// Validate reports the first invalid value, naming its key.
func (c Config) Validate() error {
	if !c.Enabled() {
		return nil
	}
	if u, err := url.Parse(c.APIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("telegram.api_url: %q is not an http(s) URL", c.APIURL)
	}
	switch c.Mode {
	case "polling":
	case "webhook":
		if c.Webhook.Listen == "" {
			return errors.New("telegram.webhook.listen: required in webhook mode (e.g. :8443)")
		}
		if u, err := url.Parse(c.Webhook.PublicURL); err != nil || u.Scheme != "https" || u.Host == "" {
			return fmt.Errorf("telegram.webhook.public_url: %q must be an https URL in webhook mode", c.Webhook.PublicURL)
		}
		if !validSecret(c.Webhook.Secret) {
			return errors.New("telegram.webhook.secret: required in webhook mode, 1-256 characters of A-Z, a-z, 0-9, _ and - (e.g. openssl rand -hex 32)")
		}
	default:
		return fmt.Errorf("telegram.mode: %q is not polling or webhook", c.Mode)
	}
	if c.Limits.PerSecond < 0 || c.Limits.PerChat < 0 || c.Limits.PerChatBurst < 0 || c.Limits.GroupPerMinute < 0 {
		return errors.New("telegram.limits: values must not be negative")
	}
	return nil
}

func validSecret(s string) bool {
	if s == "" || len(s) > 256 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}
