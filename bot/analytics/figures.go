package analytics

import (
	"context"
	"sort"

	"github.com/cohortbot/cohort/bot"
)

// Lifecycle and churn thresholds, in days since a member was last seen (or
// joined, for new members).
const (
	newDays     = 7  // joined less than 7 days ago: new
	activeDays  = 14 // seen less than 14 days ago: active
	churnedDays = 30 // seen more than 30 days ago: churned; in between: dormant
)

// RetentionDays are the retention checkpoints of join cohorts.
var RetentionDays = [3]Day{1, 7, 30}

// Figures are what /stats and the weekly report show for a period ending today.
type Figures struct {
	From, To Day // inclusive; To is today
	Daily    []Daily
	// DAU is the average number of active members per day of the period;
	// WAU and MAU count the members active in the 7 and 30 days up to To.
	DAU      float64
	WAU, MAU int
	// Totals sums the community's counters over the period.
	Totals    map[string]int64
	Churned   int64
	Cohorts   []Cohort
	Funnel    Funnel
	Lifecycle Lifecycle
	TopChats  []ChatActivity
	// Tiers is the members per tier, lowest first, when known.
	Tiers []bot.TierCount
}

// Daily are the figures of one day.
type Daily struct {
	Day                          Day
	Active, Joined, New, Left    int64
	Messages, Commands, VIPsMade int64
}

// Share is Num out of Den; Den is zero when nobody could be measured yet.
type Share struct{ Num, Den int }

// Cohort is the members who first joined in one week (starting Monday) and
// how many of them were active 1, 7 and 30 days after joining.
type Cohort struct {
	Week     Day
	Size     int
	Retained [3]Share
}

// Funnel follows the members who joined in the period.
type Funnel struct {
	Joined, FirstMessage, Active7, VIP int
}

// Lifecycle splits the members seen so far by how recently they were seen.
type Lifecycle struct {
	New, Active, Dormant, Churned int64
}

// ChatActivity is one chat's share of the period's activity.
type ChatActivity struct {
	Chat     string
	Messages int64
	// ActiveDays sums the chat's daily active members over the period.
	ActiveDays int64
}

// Compute gathers the figures of a community for the days days up to today.
func Compute(ctx context.Context, s Store, community string, today Day, days, topChats int) (Figures, error) {
	f := Figures{From: today - Day(days-1), To: today, Totals: map[string]int64{}}
	from := min(f.From, today-newDays+1)
	counters, err := s.Counters(ctx, community, from, today)
	if err != nil {
		return f, err
	}
	chats := map[string]*ChatActivity{}
	for k, n := range counters {
		if k.Day < f.From {
			continue
		}
		if k.Chat == "" {
			f.Totals[k.Name] += n
			continue
		}
		ca := chats[k.Chat]
		if ca == nil {
			ca = &ChatActivity{Chat: k.Chat}
			chats[k.Chat] = ca
		}
		switch k.Name {
		case bot.CountMessages:
			ca.Messages += n
		case CountActive:
			ca.ActiveDays += n
		}
	}
	var activeSum int64
	for d := f.From; d <= today; d++ {
		get := func(name string) int64 { return counters[CounterKey{Day: d, Name: name}] }
		day := Daily{Day: d, Active: get(CountActive), Joined: get(bot.CountJoined), New: get(CountNew), Left: get(bot.CountLeft),
			Messages: get(bot.CountMessages), Commands: get(bot.CountCommands), VIPsMade: get(bot.CountVIP)}
		activeSum += day.Active
		f.Daily = append(f.Daily, day)
	}
	f.DAU = float64(activeSum) / float64(days)
	if f.WAU, err = s.ActiveMembers(ctx, community, today-6, today); err != nil {
		return f, err
	}
	if f.MAU, err = s.ActiveMembers(ctx, community, today-29, today); err != nil {
		return f, err
	}
	for _, ca := range chats {
		f.TopChats = append(f.TopChats, *ca)
	}
	sort.Slice(f.TopChats, func(i, j int) bool {
		a, b := f.TopChats[i], f.TopChats[j]
		if a.Messages != b.Messages {
			return a.Messages > b.Messages
		}
		return a.Chat < b.Chat
	})
	if len(f.TopChats) > topChats {
		f.TopChats = f.TopChats[:topChats]
	}

	seen, err := s.LastSeen(ctx, community)
	if err != nil {
		return f, err
	}
	for d := today - newDays + 1; d <= today; d++ {
		f.Lifecycle.New += counters[CounterKey{Day: d, Name: CountNew}]
	}
	for last, n := range seen {
		age := today - last
		switch {
		case age < activeDays:
			f.Lifecycle.Active += n
		case age <= churnedDays:
			f.Lifecycle.Dormant += n
		default:
			f.Lifecycle.Churned += n
		}
		// A member last seen on day L turns churned on day L+churnedDays+1.
		if turned := last + churnedDays + 1; turned >= f.From && turned <= today {
			f.Churned += n
		}
	}
	f.Lifecycle.Active -= f.Lifecycle.New

	joiners, err := s.Joiners(ctx, community, f.From, today)
	if err != nil {
		return f, err
	}
	f.Cohorts, f.Funnel = cohorts(joiners, today)
	return f, nil
}

// cohorts groups joiners by week and follows them through the funnel.
func cohorts(joiners []MemberFacts, today Day) ([]Cohort, Funnel) {
	var fun Funnel
	byWeek := map[Day]*Cohort{}
	for _, m := range joiners {
		if m.Joined == 0 {
			continue
		}
		w := m.Joined.WeekStart()
		c := byWeek[w]
		if c == nil {
			c = &Cohort{Week: w}
			byWeek[w] = c
		}
		c.Size++
		for i, n := range RetentionDays {
			if today < m.Joined+n {
				continue
			}
			c.Retained[i].Den++
			if m.LastActive >= m.Joined+n {
				c.Retained[i].Num++
			}
		}
		fun.Joined++
		if m.FirstMessage == 0 {
			continue
		}
		fun.FirstMessage++
		if m.LastActive < m.Joined+7 {
			continue
		}
		fun.Active7++
		if m.VIP != 0 {
			fun.VIP++
		}
	}
	out := make([]Cohort, 0, len(byWeek))
	for _, c := range byWeek {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Week < out[j].Week })
	return out, fun
}
