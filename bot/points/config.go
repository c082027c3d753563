package points

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/cohortbot/cohort/bot"
)

// Config is the `points:` section of a community. Zero values take the
// defaults of Defaults.
type Config struct {
	// MessagePoints is what one message earns (default 20, the middle of
	// MEE6's 15–25, fixed so members can check the ledger).
	MessagePoints int64 `yaml:"message_points"`
	// Cooldown is the least time between two earning messages of a member,
	// across all their linked accounts (default 60s).
	Cooldown time.Duration `yaml:"cooldown"`
	// MinLength is the least number of letters and digits a message needs
	// to earn (default 5).
	MinLength int `yaml:"min_length"`
	// DailyCap bounds what messages earn per day (default 300; the streak
	// bonus and other rules are not capped).
	DailyCap int64 `yaml:"daily_cap"`
	// StreakBonus is paid on the first message of each day that continues
	// a streak of daily activity (default 10).
	StreakBonus int64 `yaml:"streak_bonus"`
	// Rewards are the amounts of the rules other features ask for, by rule
	// name: poll_vote, event_checkin, feedback_accepted, survey, referral.
	Rewards map[string]int64 `yaml:"rewards"`
	// MaxAward bounds one /award or /deduct (default 100000).
	MaxAward int64 `yaml:"max_award"`
	// Tiers is the ladder, lowest first (default Member, Active, VIP, Core).
	Tiers []Tier `yaml:"tiers"`
	// ManualTiers are the tiers only moderators give (default "Opinion Leader").
	ManualTiers []string `yaml:"manual_tiers"`
	// Announce posts promotions in the chat where they happen (default true).
	Announce *bool `yaml:"announce_promotions"`
	// Shop is the rewards catalog.
	Shop []Item `yaml:"shop"`
	// Referral sets when a referral pays.
	Referral ReferralConfig `yaml:"referral"`
	// Lifecycle sets the member status thresholds.
	Lifecycle LifecycleConfig `yaml:"lifecycle"`
}

// Tier is one step of the ladder.
type Tier struct {
	Name        string `yaml:"name"`
	MinPoints   int64  `yaml:"min_points"`
	MinDays     int    `yaml:"min_active_days"`
	Perks       string `yaml:"perks"`
	DiscordRole string `yaml:"discord_role"`
}

// Item is a reward in the shop.
type Item struct {
	ID      string `yaml:"id"`
	Name    string `yaml:"name"`
	Cost    int64  `yaml:"cost"`
	Stock   int    `yaml:"stock"` // 0 = unlimited
	MinTier string `yaml:"min_tier"`
}

// ReferralConfig says when a referred member counts: after ActiveDays
// distinct days with messages and Messages messages (defaults 3 and 10).
type ReferralConfig struct {
	ActiveDays int   `yaml:"active_days"`
	Messages   int64 `yaml:"messages"`
}

// LifecycleConfig are the status thresholds in days: new until NewDays
// after joining, active while the last activity is at most ActiveDays old,
// dormant until ChurnDays, churned after (defaults 7, 14, 30).
type LifecycleConfig struct {
	NewDays    int `yaml:"new_days"`
	ActiveDays int `yaml:"active_days"`
	ChurnDays  int `yaml:"churn_days"`
}

// DefaultRewards are the default amounts of the reward rules.
var DefaultRewards = map[string]int64{
	bot.RulePollVote: 5,
	bot.RuleCheckin:  20,
	bot.RuleFeedback: 50,
	bot.RuleSurvey:   30,
	bot.RuleReferral: 100,
}

// Defaults fills in unset values.
func (c *Config) Defaults() {
	if c.MessagePoints == 0 {
		c.MessagePoints = 20
	}
	if c.Cooldown == 0 {
		c.Cooldown = time.Minute
	}
	if c.MinLength == 0 {
		c.MinLength = 5
	}
	if c.DailyCap == 0 {
		c.DailyCap = 300
	}
	if c.StreakBonus == 0 {
		c.StreakBonus = 10
	}
	rewards := map[string]int64{}
	for k, v := range DefaultRewards {
		rewards[k] = v
	}
	for k, v := range c.Rewards {
		rewards[k] = v
	}
	c.Rewards = rewards
	if c.MaxAward == 0 {
		c.MaxAward = 100000
	}
	if len(c.Tiers) == 0 {
		c.Tiers = []Tier{
			{Name: "Member"},
			{Name: "Active", MinPoints: 500, MinDays: 3},
			{Name: "VIP", MinPoints: 3000, MinDays: 14},
			{Name: "Core", MinPoints: 10000, MinDays: 30},
		}
	}
	if c.ManualTiers == nil {
		c.ManualTiers = []string{"Opinion Leader"}
	}
	if c.Announce == nil {
		yes := true
		c.Announce = &yes
	}
	if c.Referral.ActiveDays == 0 {
		c.Referral.ActiveDays = 3
	}
	if c.Referral.Messages == 0 {
		c.Referral.Messages = 10
	}
	if c.Lifecycle.NewDays == 0 {
		c.Lifecycle.NewDays = 7
	}
	if c.Lifecycle.ActiveDays == 0 {
		c.Lifecycle.ActiveDays = 14
	}
	if c.Lifecycle.ChurnDays == 0 {
		c.Lifecycle.ChurnDays = 30
	}
}

var itemID = regexp.MustCompile(`^[a-z0-9_-]{1,24}$`)

// Validate reports the first invalid value, naming its key.
func (c Config) Validate() error {
	switch {
	case c.MessagePoints < 0:
		return fmt.Errorf("points.message_points: must not be negative")
	case c.Cooldown < 0:
		return fmt.Errorf("points.cooldown: must be positive")
	case c.MinLength < 0:
		return fmt.Errorf("points.min_length: must not be negative")
	case c.DailyCap < 0:
		return fmt.Errorf("points.daily_cap: must not be negative")
	case c.StreakBonus < 0:
		return fmt.Errorf("points.streak_bonus: must not be negative")
	case c.MaxAward < 0 || c.MaxAward > 1e9:
		return fmt.Errorf("points.max_award: must be between 1 and 1000000000")
	case c.Referral.ActiveDays < 0 || c.Referral.Messages < 0:
		return fmt.Errorf("points.referral: values must not be negative")
	case c.Lifecycle.NewDays < 0 || c.Lifecycle.ActiveDays <= 0 || c.Lifecycle.ChurnDays < c.Lifecycle.ActiveDays:
		return fmt.Errorf("points.lifecycle: want 0 <= new_days, 0 < active_days <= churn_days")
	}
	for rule, v := range c.Rewards {
		if v < 0 {
			return fmt.Errorf("points.rewards.%s: must not be negative", rule)
		}
	}
	names := map[string]bool{}
	for i, t := range c.Tiers {
		key := fmt.Sprintf("points.tiers[%d]", i)
		switch {
		case strings.TrimSpace(t.Name) == "":
			return fmt.Errorf("%s.name: required", key)
		case names[strings.ToLower(t.Name)]:
			return fmt.Errorf("%s.name: %q is used twice", key, t.Name)
		case t.MinPoints < 0 || t.MinDays < 0:
			return fmt.Errorf("%s: min_points and min_active_days must not be negative", key)
		case i > 0 && t.MinPoints < c.Tiers[i-1].MinPoints:
			return fmt.Errorf("%s.min_points: the ladder must go up (below %s's %d)", key, c.Tiers[i-1].Name, c.Tiers[i-1].MinPoints)
		}
		names[strings.ToLower(t.Name)] = true
	}
	for i, n := range c.ManualTiers {
		if strings.TrimSpace(n) == "" || names[strings.ToLower(n)] {
			return fmt.Errorf("points.manual_tiers[%d]: %q is empty or a ladder tier already", i, n)
		}
		names[strings.ToLower(n)] = true
	}
	ids := map[string]bool{}
	for i, it := range c.Shop {
		key := fmt.Sprintf("points.shop[%d]", i)
		switch {
		case !itemID.MatchString(it.ID):
			return fmt.Errorf("%s.id: %q must be 1-24 of a-z, 0-9, _ and -", key, it.ID)
		case ids[it.ID]:
			return fmt.Errorf("%s.id: %q is used twice", key, it.ID)
		case strings.TrimSpace(it.Name) == "":
			return fmt.Errorf("%s.name: required", key)
		case it.Cost <= 0:
			return fmt.Errorf("%s.cost: must be positive", key)
		case it.Stock < 0:
			return fmt.Errorf("%s.stock: must not be negative (0 = unlimited)", key)
		case it.MinTier != "" && !names[strings.ToLower(it.MinTier)]:
			return fmt.Errorf("%s.min_tier: %q is not a tier", key, it.MinTier)
		}
		ids[it.ID] = true
	}
	return nil
}

// item finds a shop item by id.
func (c *Config) item(id string) (Item, bool) {
	for _, it := range c.Shop {
		if it.ID == strings.ToLower(id) {
			return it, true
		}
	}
	return Item{}, false
}
