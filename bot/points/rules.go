package points

import (
	"hash/fnv"
	"slices"
	"strings"
	"time"
	"unicode"
)

// keptHashes is how many recent messages a member's duplicate check remembers.
const keptHashes = 5

// Automatic badges.
const (
	BadgeFirstMessage = "auto:first_message"
	BadgeStreak7      = "auto:streak_7"
	BadgeStreak30     = "auto:streak_30"
	badgeTop10Prefix  = "auto:top10:" // + month, "2026-01"
)

// fingerprint reduces a message to what the duplicate check compares:
// letters only (digits when there are none), lower case, runs of the same
// letter collapsed, so "Hello!!", "hello 2" and "HELLOOO" are one message.
// length counts the letters and digits, for the minimum length.
func fingerprint(text string) (hash uint64, length int) {
	var letters, digits strings.Builder
	var lastL, lastD rune
	for _, r := range strings.ToLower(text) {
		switch {
		case unicode.IsLetter(r):
			length++
			if r != lastL {
				letters.WriteRune(r)
				lastL = r
			}
		case unicode.IsDigit(r):
			length++
			if r != lastD {
				digits.WriteRune(r)
				lastD = r
			}
		}
	}
	s := letters.String()
	if s == "" {
		s = digits.String()
	}
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64(), length
}

// Skip reasons of a message that earned nothing.
const (
	skipShort     = "short"
	skipDuplicate = "duplicate"
	skipCooldown  = "cooldown"
	skipCap       = "cap"
)

// outcome is what a change decided, for the work after the commit.
type outcome struct {
	earned      int64
	skipped     string
	promoted    *Tier // a new, higher automatic tier
	oldTier     string
	newTier     string
	referralDue bool
	reachedVIP  bool // the member reached the VIP tier for the first time
}

// participate applies the message rules to a member's state.
func participate(cfg *Config, st *State, p periods, at time.Time, hash uint64, length int) outcome {
	var out outcome
	touch(st, p, at, cfg)
	st.Messages++
	if st.Messages == 1 {
		st.addBadge(BadgeFirstMessage)
	}
	dup := slices.Contains(st.Hashes, hash)
	if !dup {
		st.Hashes = append(st.Hashes, hash)
		if len(st.Hashes) > keptHashes {
			st.Hashes = st.Hashes[len(st.Hashes)-keptHashes:]
		}
	}
	switch {
	case length < cfg.MinLength:
		out.skipped = skipShort
	case dup:
		out.skipped = skipDuplicate
	case !st.LastEarn.IsZero() && at.Sub(st.LastEarn) < cfg.Cooldown:
		out.skipped = skipCooldown
	case st.DayPoints >= cfg.DailyCap || cfg.MessagePoints == 0:
		out.skipped = skipCap
	default:
		amount := min(cfg.MessagePoints, cfg.DailyCap-st.DayPoints)
		st.post(Entry{Time: at, Delta: amount, Score: amount, Reason: ReasonMessage}, p.week, p.month)
		st.LastEarn = at
		st.DayPoints += amount
		out.earned = amount
	}
	retier(cfg, st, &out)
	out.referralDue = st.ReferredBy != "" && !st.ReferralPaid &&
		st.ActiveDays >= cfg.Referral.ActiveDays && st.Messages >= cfg.Referral.Messages
	return out
}

// touch records activity on a day: active days, the streak and its bonus
// and badges, and the day's cap counter.
func touch(st *State, p periods, at time.Time, cfg *Config) {
	if st.FirstSeen.IsZero() {
		st.FirstSeen = at
	}
	if at.After(st.LastActive) {
		st.LastActive = at
	}
	if st.Day != p.day {
		st.Day, st.DayPoints = p.day, 0
	}
	if st.LastDay == p.day {
		return
	}
	if st.ActiveDays > 0 && st.LastDay == p.day-1 {
		st.Streak++
	} else {
		st.Streak = 1
	}
	st.LastDay = p.day
	st.ActiveDays++
	if st.Streak >= 2 && cfg.StreakBonus > 0 {
		st.post(Entry{Time: at, Delta: cfg.StreakBonus, Score: cfg.StreakBonus, Reason: ReasonStreak}, p.week, p.month)
	}
	if st.Streak >= 7 {
		st.addBadge(BadgeStreak7)
	}
	if st.Streak >= 30 {
		st.addBadge(BadgeStreak30)
	}
}

// TierVIP is the ladder tier whose first reaching (or of a tier above it)
// is counted for the analytics funnel (bot.CountVIP).
const TierVIP = "VIP"

// tierIndex is the position of a ladder tier, or -1.
func tierIndex(cfg *Config, name string) int {
	for i, t := range cfg.Tiers {
		if strings.EqualFold(t.Name, name) {
			return i
		}
	}
	return -1
}

// ladderTier is the highest ladder tier the state qualifies for.
func ladderTier(cfg *Config, st *State) int {
	best := 0
	for i, t := range cfg.Tiers {
		if st.Score >= t.MinPoints && st.ActiveDays >= t.MinDays {
			best = i
		}
	}
	return best
}

// retier moves the automatic tier to what the state qualifies for,
// recording a promotion in out.
func retier(cfg *Config, st *State, out *outcome) {
	if len(cfg.Tiers) == 0 {
		return
	}
	now := ladderTier(cfg, st)
	before := tierIndex(cfg, st.Tier)
	if now == before {
		return
	}
	out.oldTier, out.newTier = st.Tier, cfg.Tiers[now].Name
	if now > before && before >= 0 {
		t := cfg.Tiers[now]
		out.promoted = &t
	}
	if vip := tierIndex(cfg, TierVIP); now > before && vip >= 0 && now >= vip && !st.ReachedVIP {
		st.ReachedVIP = true
		out.reachedVIP = true
	}
	st.Tier = cfg.Tiers[now].Name
}

// TierOf is the tier a member shows: the manual tier a moderator gave, or
// the ladder tier their score and active days reach.
func (c *Config) TierOf(st State) string {
	if st.ManualTier != "" {
		return st.ManualTier
	}
	if len(c.Tiers) == 0 {
		return ""
	}
	return c.Tiers[ladderTier(c, &st)].Name
}

// reaches reports whether a member's tier is at least the named tier. A
// manual tier reaches every ladder tier; a manual tier is reached only by
// the members holding it.
func (c *Config) reaches(st State, tier string) bool {
	switch {
	case tier == "" || strings.EqualFold(st.ManualTier, tier):
		return true
	case tierIndex(c, tier) < 0:
		return false
	case st.ManualTier != "":
		return true
	}
	return ladderTier(c, &st) >= tierIndex(c, tier)
}
