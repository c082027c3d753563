package analytics

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/cohortbot/cohort/bot"
)

// translator is the part of the bot that renders catalog messages.
type translator func(key string, args bot.Args) string

// render writes the figures as a message, headed by the catalog message
// titleKey.
func render(t translator, titleKey string, c *bot.Community, f Figures) string {
	var b strings.Builder
	line := func(key string, args bot.Args) {
		b.WriteString(t(key, args))
		b.WriteByte('\n')
	}
	line(titleKey, bot.Args{"community": c.Name, "from": f.From.String(), "to": f.To.String(), "days": len(f.Daily)})
	line("stats.activity", bot.Args{"dau": fmt.Sprintf("%.1f", f.DAU), "wau": f.WAU, "mau": f.MAU})
	line("stats.members", bot.Args{"new": f.Totals[CountNew], "joined": f.Totals[bot.CountJoined], "left": f.Totals[bot.CountLeft], "churned": f.Churned})
	line("stats.volume", bot.Args{"messages": f.Totals[bot.CountMessages], "commands": f.Totals[bot.CountCommands]})
	line("stats.features", bot.Args{
		"opened": f.Totals[bot.CountTicketsOpened], "resolved": f.Totals[bot.CountTicketsResolved],
		"votes": f.Totals[bot.CountPollVotes], "rsvps": f.Totals[bot.CountRSVPs],
		"redemptions": f.Totals[bot.CountRedemptions], "referrals": f.Totals[bot.CountReferrals],
	})
	line("stats.lifecycle", bot.Args{"new": f.Lifecycle.New, "active": f.Lifecycle.Active, "dormant": f.Lifecycle.Dormant, "churned": f.Lifecycle.Churned})
	if len(f.Tiers) > 0 {
		parts := make([]string, len(f.Tiers))
		for i, tc := range f.Tiers {
			parts[i] = bot.Escape(tc.Tier) + " " + strconv.Itoa(tc.Members)
		}
		line("stats.tiers", bot.Args{"tiers": bot.Raw(strings.Join(parts, " · "))})
	}
	fu := f.Funnel
	line("stats.funnel", bot.Args{
		"joined": fu.Joined,
		"first":  fu.FirstMessage, "first_pct": percent(Share{fu.FirstMessage, fu.Joined}),
		"active": fu.Active7, "active_pct": percent(Share{fu.Active7, fu.Joined}),
		"vip": fu.VIP, "vip_pct": percent(Share{fu.VIP, fu.Joined}),
	})
	if len(f.Cohorts) == 0 {
		line("stats.no_cohorts", nil)
	} else {
		line("stats.retention", nil)
		for _, co := range f.Cohorts {
			line("stats.cohort", bot.Args{"week": co.Week.String(), "count": co.Size,
				"d1": percent(co.Retained[0]), "d7": percent(co.Retained[1]), "d30": percent(co.Retained[2])})
		}
	}
	if len(f.TopChats) > 0 {
		line("stats.top_chats", nil)
		for i, ch := range f.TopChats {
			name := ch.Chat
			if ref, err := bot.ParseChatRef(ch.Chat); err == nil && c.Segment(ref) != "" {
				name += " (" + c.Segment(ref) + ")"
			}
			line("stats.chat", bot.Args{"rank": i + 1, "chat": name, "count": ch.Messages})
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// percent writes a share as "42%", or "–" when nothing could be measured.
func percent(s Share) string {
	if s.Den == 0 {
		return "–"
	}
	return fmt.Sprintf("%d%%", (s.Num*100+s.Den/2)/s.Den)
}

// chartFile renders the figures' chart as an attachment.
func chartFile(t translator, c *bot.Community, f Figures) (bot.File, error) {
	png, err := Chart(f.Daily, ChartLabels{
		Title:  bot.PlainText(t("stats.chart_title", bot.Args{"from": f.From.String(), "to": f.To.String()})),
		Active: bot.PlainText(t("stats.chart_active", nil)),
		Joins:  bot.PlainText(t("stats.chart_joins", nil)),
	})
	if err != nil {
		return bot.File{}, fmt.Errorf("stats chart for %s: %w", c.ID, err)
	}
	return bot.File{Name: "stats.png", MIME: "image/png", Data: png}, nil
}
