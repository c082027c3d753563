package store

import (
	"encoding/json"
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
				for _, p := range prefixed(tx.Bucket(bucketModActions), ckey(community, string(id)+"\x00")) {
					var a moderation.Action
					if err := json.Unmarshal(p.v, &a); err != nil {
						return nil, err
					}
					by := "moderator"
					if a.Actor == "auto" {
						by = "automatic"
					}
					out = append(out, actionExport{Kind: a.Kind, Rule: a.Rule, Reason: a.Reason, By: by, Until: a.Until, At: a.At})
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
		for _, p := range prefixed(b, ckey(community, string(id)+"\x00")) {
			var a moderation.Action
			if err := json.Unmarshal(p.v, &a); err != nil {
				return err
			}
			if err := b.Delete(p.k); err != nil {
				return err
			}
			a.Member, a.Reason, a.Accounts = "", "", nil
			if err := putRecord(b, ckey(community, "\x00"+timeKey(a.At)+be64(a.ID)), a); err != nil {
				return err
			}
		}
	}
	for _, p := range prefixed(b, ckey(community, "")) {
		var a moderation.Action
		if err := json.Unmarshal(p.v, &a); err != nil {
			return err
		}
		if sub.accounts[a.Actor] {
			a.Actor = ""
			if err := putRecord(b, p.k, a); err != nil {
				return err
			}
		}
	}
	return nil
}
