package store

import (
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/sentinel"
	bolt "go.etcd.io/bbolt"
)

// flaggedExport is a member's flagged message as /mydata shows it.
type flaggedExport struct {
	At      time.Time `json:"at"`
	Chat    string    `json:"chat"`
	Text    string    `json:"text"`
	Phrases []string  `json:"phrases"`
}

// sentinelPart exports the member's flagged messages; forgetting keeps
// each flag's time, phrases and alert (the report's counts) without its
// text, author, chat or message.
func sentinelPart() personalPart {
	return personalPart{
		name: "sentinel",
		export: func(tx *bolt.Tx, community string, member bot.MemberID) (any, error) {
			sub, err := subjectOf(tx, community, member)
			if err != nil {
				return nil, err
			}
			var out []flaggedExport
			err = eachJSON(tx.Bucket(bucketFlagged), ckey(community, ""), func(_ []byte, f sentinel.Flagged) error {
				if sub.has(f.Member) {
					out = append(out, flaggedExport{At: f.At, Chat: f.Chat.String(), Text: f.Text, Phrases: f.Phrases})
				}
				return nil
			})
			if len(out) == 0 {
				return nil, err
			}
			return out, err
		},
		forget: func(tx *bolt.Tx, community string, member bot.MemberID) error {
			sub, err := subjectOf(tx, community, member)
			if err != nil {
				return err
			}
			return eachJSON(tx.Bucket(bucketFlagged), ckey(community, ""), func(k []byte, f sentinel.Flagged) error {
				if !sub.has(f.Member) {
					return nil
				}
				f.Member, f.Author, f.Text, f.MessageID, f.Chat = "", "", "", "", bot.ChatRef{}
				return putRecord(tx.Bucket(bucketFlagged), k, f)
			})
		},
	}
}

// purgeFlagged deletes flagged messages older than their community's cutoff.
func purgeFlagged(tx *bolt.Tx, cut *cutoffs, purged map[string]int) error {
	b := tx.Bucket(bucketFlagged)
	for _, p := range prefixed(b, nil) {
		c := communityOf(p.k)
		if string(p.k) >= string(ckey(c, timeKey(cut.of(c)))) {
			continue
		}
		if err := b.Delete(p.k); err != nil {
			return err
		}
		purged["flagged_messages"]++
	}
	return nil
}
