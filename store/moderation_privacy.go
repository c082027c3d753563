package store

import (
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/moderation"
	bolt "go.etcd.io/bbolt"
)

// actionExport is a moderation action about a member as /mydata shows it.
type actionExport struct {
	Kind   string    `json:"kind"`
	Rule   string    `json:"rule"`
	Reason string    `json:"reason,omitempty"`
	By     string    `json:"by"` // "moderator" or "automatic"
	Until  time.Time `json:"until,omitzero"`
	At     time.Time `json:"at"`
}

// moderationPart exports the actions taken about a member; forgetting
// keeps each action's kind, rule and time (the log's counts) under no
// member, without its free-text reason or the accounts acted on, and
// removes the member's account from actions they took as a moderator.
func moderationPart() personalPart {
	return personalPart{
		name: "moderation",
		export: func(tx *bolt.Tx, community string, member bot.MemberID) (any, error) {
			sub, err := subjectOf(tx, community, member)
			if err != nil {
				return nil, err
			}
			var out []actionExport
			for _, id := range sub.ids {
				err := eachJSON(tx.Bucket(bucketModActions), ckey(community, string(id)+"\x00"), func(_ []byte, a moderation.Action) error {
					by := "moderator"
					if a.Actor == "auto" {
						by = "automatic"
					}
					out = append(out, actionExport{Kind: a.Kind, Rule: a.Rule, Reason: a.Reason, By: by, Until: a.Until, At: a.At})
					return nil
				})
				if err != nil {
					return nil, err
				}
			}
			if len(out) == 0 {
				return nil, nil
			}
			return out, nil
		},
		forget: forgetActions,
	}
}

func forgetActions(tx *bolt.Tx, community string, member bot.MemberID) error {
	b := tx.Bucket(bucketModActions)
	if b == nil {
		return nil
	}
	sub, err := subjectOf(tx, community, member)
	if err != nil {
		return err
	}
	for _, id := range sub.ids {
		err := eachJSON(b, ckey(community, string(id)+"\x00"), func(k []byte, a moderation.Action) error {
			if err := b.Delete(k); err != nil {
				return err
			}
			a.Member, a.Reason, a.Accounts = "", "", nil
			return putRecord(b, ckey(community, "\x00"+timeKey(a.At)+be64(a.ID)), a)
		})
		if err != nil {
			return err
		}
	}
	return eachJSON(b, ckey(community, ""), func(k []byte, a moderation.Action) error {
		if !sub.accounts[a.Actor] {
			return nil
		}
		a.Actor = ""
		return putRecord(b, k, a)
	})
}
