package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/cohortbot/cohort/adapters/discord"
	"github.com/cohortbot/cohort/adapters/telegram"
	"github.com/cohortbot/cohort/bot"
	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Config is the whole configuration file.
type Config struct {
	DataDir     string          `yaml:"data_dir"`
	Log         Log             `yaml:"log"`
	Locale      string          `yaml:"locale"`
	Timezone    string          `yaml:"timezone"`
	Telegram    telegram.Config `yaml:"telegram"`
	Discord     discord.Config  `yaml:"discord"`
	Console     Console         `yaml:"console"`
	HTTP        HTTP            `yaml:"http"`
	Commands    Commands        `yaml:"commands"`
	Communities []Community     `yaml:"communities"`
	Sections    `yaml:",inline"`

	// Defaults are the feature settings of communities that are not
	// configured (the top-level sections over the built-in defaults).
	Defaults Features `yaml:"-"`

	doc *ast.File // the parsed file, for line numbers in errors
}

// Log is the `log:` section.
type Log struct {
	Level  string `yaml:"level"`  // debug | info | warn | error
	Format string `yaml:"format"` // console | json
}

// Console is the `console:` section.
type Console struct {
	Enabled string `yaml:"enabled"` // auto | true | false
}

// Commands is the `commands:` section: how many commands one member may
// run in a period (moderators are not limited).
type Commands struct {
	Burst int           `yaml:"burst"`
	Per   time.Duration `yaml:"per"`
}

// HTTP is the `http:` section: health, readiness and metrics endpoints.
type HTTP struct {
	Listen string `yaml:"listen"` // e.g. 127.0.0.1:9090; empty = off
}

// Community is one entry of `communities:`.
type Community struct {
	ID         string   `yaml:"id"`
	Name       string   `yaml:"name"`
	Locale     string   `yaml:"locale"`
	Timezone   string   `yaml:"timezone"`
	Moderators []string `yaml:"moderators"`
	Owners     []string `yaml:"owners"`
	ModChat    string   `yaml:"mod_chat"`
	FAQFile    string   `yaml:"faq_file"`
	Chats      []Chat   `yaml:"chats"`
	Sections   `yaml:",inline"`

	// Features are the community's decoded feature settings.
	Features Features `yaml:"-"`
}

// Chat is one entry of a community's `chats:`.
type Chat struct {
	Ref     string `yaml:"ref"`
	Segment string `yaml:"segment"`
}

// Default returns the configuration used without a file.
func Default() *Config {
	c := &Config{}
	c.defaults()
	if err := c.Validate(); err != nil {
		panic("built-in defaults are invalid: " + err.Error())
	}
	return c
}

// Load reads, expands, decodes, defaults and validates a file.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	c, err := Parse(data)
	if err != nil {
		return nil, err
	}
	// Files named in the configuration are relative to it.
	for i := range c.Communities {
		if f := c.Communities[i].FAQFile; f != "" && !filepath.IsAbs(f) {
			c.Communities[i].FAQFile = filepath.Join(filepath.Dir(path), f)
		}
		if err := c.Communities[i].checkFiles(fmt.Sprintf("communities[%d]", i)); err != nil {
			return nil, err
		}
	}
	return c, nil
}

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// Parse decodes configuration text. ${NAME} is replaced by the environment
// variable NAME (empty when unset).
func Parse(data []byte) (*Config, error) {
	expanded := envRef.ReplaceAllFunc(data, func(m []byte) []byte {
		return []byte(os.Getenv(string(envRef.FindSubmatch(m)[1])))
	})
	c := &Config{}
	if err := yaml.UnmarshalWithOptions(expanded, c, yaml.DisallowUnknownField()); err != nil {
		return nil, errors.New(yaml.FormatError(err, false, true))
	}
	if doc, err := parser.ParseBytes(expanded, 0); err == nil {
		c.doc = doc
	}
	c.defaults()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Config) defaults() {
	if c.DataDir == "" {
		c.DataDir = "./cohort-data"
	}
	if c.Log.Level == "" {
		c.Log.Level = "info"
	}
	if c.Log.Format == "" {
		c.Log.Format = "console"
	}
	if c.Locale == "" {
		c.Locale = "en"
	}
	if c.Timezone == "" {
		c.Timezone = "UTC"
	}
	if c.Console.Enabled == "" {
		c.Console.Enabled = "auto"
	}
	if c.Commands.Burst == 0 {
		c.Commands.Burst = 30
	}
	if c.Commands.Per == 0 {
		c.Commands.Per = 30 * time.Second
	}
	c.Telegram.Defaults()
	c.Discord.Defaults()
	for i := range c.Communities {
		for j := range c.Communities[i].Chats {
			if c.Communities[i].Chats[j].Segment == "" {
				c.Communities[i].Chats[j].Segment = "general"
			}
		}
	}
}

// ConsoleEnabled reports whether the console adapter runs: always with
// "true", never with "false", and with "auto" when no platform token is set.
func (c *Config) ConsoleEnabled() bool {
	switch c.Console.Enabled {
	case "true":
		return true
	case "false":
		return false
	}
	return !c.Telegram.Enabled() && !c.Discord.Enabled()
}

// Validate reports the first invalid value, naming its key.
func (c *Config) Validate() error {
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("log.level: %q is not debug, info, warn or error", c.Log.Level)
	}
	switch c.Log.Format {
	case "console", "json":
	default:
		return fmt.Errorf("log.format: %q is not console or json", c.Log.Format)
	}
	if bot.NormalizeLang(c.Locale) == "" {
		return fmt.Errorf("locale: %q is not supported (en or zh-CN)", c.Locale)
	}
	if _, err := time.LoadLocation(c.Timezone); err != nil {
		return fmt.Errorf("timezone: %q is not a known time zone (e.g. UTC, Asia/Shanghai)", c.Timezone)
	}
	if c.Commands.Burst < 1 || c.Commands.Per < time.Second {
		return fmt.Errorf("commands: burst must be at least 1 and per at least 1s, got %d per %s", c.Commands.Burst, c.Commands.Per)
	}
	switch c.Console.Enabled {
	case "auto", "true", "false":
	default:
		return fmt.Errorf("console.enabled: %q is not auto, true or false", c.Console.Enabled)
	}
	var err error
	if c.Defaults, err = resolveFeatures(c.doc, c.Sections, Sections{}, ""); err != nil {
		return err
	}
	for i := range c.Communities {
		if c.Communities[i].Features, err = resolveFeatures(c.doc, c.Sections, c.Communities[i].Sections, fmt.Sprintf("communities[%d].", i)); err != nil {
			return err
		}
	}
	if err := c.Telegram.Validate(); err != nil {
		return err
	}
	if err := c.Discord.Validate(); err != nil {
		return err
	}
	seenIDs := map[string]bool{}
	seenChats := map[string]string{}
	for i, cm := range c.Communities {
		key := fmt.Sprintf("communities[%d]", i)
		if err := cm.validate(key); err != nil {
			return err
		}
		if seenIDs[cm.ID] {
			return fmt.Errorf("%s.id: %q is used twice", key, cm.ID)
		}
		seenIDs[cm.ID] = true
		for j, ch := range cm.Chats {
			if other, dup := seenChats[ch.Ref]; dup {
				return fmt.Errorf("%s.chats[%d].ref: %s already belongs to community %q", key, j, ch.Ref, other)
			}
			seenChats[ch.Ref] = cm.ID
		}
	}
	return nil
}

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)

func (cm Community) validate(key string) error {
	if !idPattern.MatchString(cm.ID) {
		return fmt.Errorf("%s.id: %q must be 1-32 lower-case letters, digits, - or _", key, cm.ID)
	}
	if cm.Locale != "" && bot.NormalizeLang(cm.Locale) == "" {
		return fmt.Errorf("%s.locale: %q is not supported (en or zh-CN)", key, cm.Locale)
	}
	if cm.Timezone != "" {
		if _, err := time.LoadLocation(cm.Timezone); err != nil {
			return fmt.Errorf("%s.timezone: %q is not a known time zone", key, cm.Timezone)
		}
	}
	for j, m := range append(append([]string{}, cm.Moderators...), cm.Owners...) {
		p, id, ok := strings.Cut(m, ":")
		if !ok || id == "" || (p != bot.Telegram && p != bot.Discord && p != bot.Console) {
			field := "moderators"
			if j >= len(cm.Moderators) {
				field, j = "owners", j-len(cm.Moderators)
			}
			return fmt.Errorf("%s.%s[%d]: %q must be platform:user_id, e.g. telegram:1001", key, field, j, m)
		}
	}
	if cm.ModChat != "" {
		if _, err := bot.ParseChatRef(cm.ModChat); err != nil {
			return fmt.Errorf("%s.mod_chat: %v", key, err)
		}
	}
	if len(cm.Chats) == 0 {
		return fmt.Errorf("%s.chats: a community needs at least one chat", key)
	}
	for j, ch := range cm.Chats {
		if _, err := bot.ParseChatRef(ch.Ref); err != nil {
			return fmt.Errorf("%s.chats[%d].ref: %v", key, j, err)
		}
		if !idPattern.MatchString(ch.Segment) {
			return fmt.Errorf("%s.chats[%d].segment: %q must be a short lower-case name such as general or investors", key, j, ch.Segment)
		}
	}
	return nil
}

// BotCommunities converts the configured communities for the core.
func (c *Config) BotCommunities() ([]*bot.Community, error) {
	out := make([]*bot.Community, 0, len(c.Communities))
	for _, cm := range c.Communities {
		loc, err := time.LoadLocation(firstNonEmpty(cm.Timezone, c.Timezone))
		if err != nil {
			return nil, err
		}
		bc := &bot.Community{
			ID: cm.ID, Name: firstNonEmpty(cm.Name, cm.ID), Locale: firstNonEmpty(cm.Locale, c.Locale), Location: loc,
			Moderators: cm.Moderators, Owners: cm.Owners,
		}
		if cm.ModChat != "" {
			bc.ModChat, _ = bot.ParseChatRef(cm.ModChat)
		}
		for _, ch := range cm.Chats {
			ref, _ := bot.ParseChatRef(ch.Ref)
			bc.Chats = append(bc.Chats, bot.CommunityChat{Ref: ref, Segment: ch.Segment})
		}
		out = append(out, bc)
	}
	return out, nil
}

// Location is the default timezone.
func (c *Config) Location() *time.Location {
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// FeaturesByCommunity returns each configured community's settings of one
// feature, keyed by community id.
func FeaturesByCommunity[T any](c *Config, pick func(Features) T) map[string]T {
	out := make(map[string]T, len(c.Communities))
	for _, cm := range c.Communities {
		out[cm.ID] = pick(cm.Features)
	}
	return out
}

// checkFiles reports a faq_file that cannot be read.
func (cm Community) checkFiles(key string) error {
	if cm.FAQFile == "" {
		return nil
	}
	if _, err := os.Stat(cm.FAQFile); err != nil {
		return fmt.Errorf("%s.faq_file: %v", key, err)
	}
	return nil
}
