package store

import (
	"encoding/binary"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/analytics"
	bolt "go.etcd.io/bbolt"
)

// activityExport is what analytics keeps about a member, as /mydata shows it.
type activityExport struct {
	Joined       string   `json:"joined,omitempty"`
	FirstMessage string   `json:"first_message,omitempty"`
	LastActive   string   `json:"last_active,omitempty"`
	VIP          string   `json:"vip_since,omitempty"`
	Left         string   `json:"left,omitempty"`
	ActiveDays   []string `json:"active_days,omitempty"`
}

func dayString(d analytics.Day) string {
	if d == 0 {
		return ""
	}
	return d.String()
}

// analyticsPart exports the days analytics keeps about a member. Analytics
// holds no names or texts, only days under the member's bare id, which the
// community's totals (active members, retention, funnel) need, so
// forgetting keeps it; the per-day activity goes with retention.
func analyticsPart() personalPart {
	return personalPart{
		name: "analytics",
		export: func(tx *bolt.Tx, community string, member bot.MemberID) (any, error) {
			sub, err := subjectOf(tx, community, member)
			if err != nil {
				return nil, err
			}
			var out activityExport
			found := false
			for _, id := range sub.ids {
				f, ok, err := getJSON[factsRecord](tx, bucketFacts, ckey(community, string(id)))
				if err != nil {
					return nil, err
				}
				if ok && !found {
					found = true
					out = activityExport{Joined: dayString(f.Joined), FirstMessage: dayString(f.FirstMessage),
						LastActive: dayString(f.LastActive), VIP: dayString(f.VIP), Left: dayString(f.Left)}
				}
			}
			prefix := ckey(community, "")
			for _, p := range prefixed(tx.Bucket(bucketDayActive), prefix) {
				if len(p.k) < len(prefix)+4 || !sub.has(bot.MemberID(p.k[len(prefix)+4:])) {
					continue
				}
				found = true
				out.ActiveDays = append(out.ActiveDays, analytics.Day(binary.BigEndian.Uint32(p.k[len(prefix):])).String())
			}
			if !found {
				return nil, nil
			}
			return out, nil
		},
	}
}

// purgeActiveDays deletes who was active on which day (and in which chat)
// before their community's cutoff day; the daily counters stay.
func purgeActiveDays(tx *bolt.Tx, cut *cutoffs, purged map[string]int) error {
	for _, bucket := range [][]byte{bucketDayActive, bucketChatActive} {
		b := tx.Bucket(bucket)
		for _, p := range prefixed(b, nil) {
			c := communityOf(p.k)
			if len(p.k) < len(c)+5 {
				continue
			}
			day := analytics.Day(binary.BigEndian.Uint32(p.k[len(c)+1:]))
			if day >= analytics.DayOf(cut.of(c), nil) {
				continue
			}
			if err := b.Delete(p.k); err != nil {
				return err
			}
			purged["active_days"]++
		}
	}
	return nil
}
