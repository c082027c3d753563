package points

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cohortbot/cohort/bot"
)

// Input limits for chat arguments.
const (
	maxReason = 200 // runes of an /award or /deduct reason
	maxName   = 40  // runes of a badge or tier name
)

func nowOf(b *bot.Bot) time.Time {
	if b == nil {
		return time.Now()
	}
	return b.Now()
}

func timeLocation(b *bot.Bot, community string) *time.Location {
	if b != nil {
		if c := b.Communities().Get(community); c != nil && c.Location != nil {
			return c.Location
		}
	}
	return time.UTC
}

// parseAmount reads a positive whole number of points no larger than max.
func parseAmount(s string, max int64) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimPrefix(s, "+"), 10, 64)
	if err != nil || n <= 0 || n > max {
		return 0, bot.Errorf("points.bad_amount", bot.Args{"value": clip(s, 20), "max": max})
	}
	return n, nil
}

// clip shortens untrusted text to n runes.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// isInt reports whether s looks like a (possibly signed) number.
func isInt(s string) bool {
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil
}

// memberName is a member's display name, or their id when unknown.
func memberName(ctx context.Context, req *bot.Request, id bot.MemberID) string {
	mem, ok, err := req.Bot.Members().Member(ctx, req.Community.ID, id)
	if err != nil || !ok {
		return string(id)
	}
	return mem.Name
}
