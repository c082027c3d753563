package store

import (
	"encoding/json"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/faq"
	bolt "go.etcd.io/bbolt"
)

// faqChangeExport is a change a moderator made to the FAQ, as /mydata shows it.
type faqChangeExport struct {
	At     time.Time `json:"at"`
	Action string    `json:"action"`
	Entry  string    `json:"entry,omitempty"`
}

// faqPart covers the FAQ change log, which names the moderator who made
// each change. Unanswered questions record no asker, so they cannot be
// told apart; they go with retention instead.
func faqPart() personalPart {
	return personalPart{
		name: "faq",
		export: func(tx *bolt.Tx, community string, member bot.MemberID) (any, error) {
			sub, err := subjectOf(tx, community, member)
			if err != nil {
				return nil, err
			}
			var out []faqChangeExport
			err = eachFAQChange(tx, community, sub, func(_ []byte, c faq.Change) error {
				out = append(out, faqChangeExport{At: c.At, Action: c.Action, Entry: c.ID})
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
			return eachFAQChange(tx, community, sub, func(k []byte, c faq.Change) error {
				c.Actor, c.Name = "", ""
				return putRecord(tx.Bucket(bucketFAQChanges), k, c)
			})
		},
	}
}

// eachFAQChange calls fn with every change of the community the member
// made from one of their accounts; fn may change the bucket.
func eachFAQChange(tx *bolt.Tx, community string, sub subject, fn func(k []byte, c faq.Change) error) error {
	for _, p := range prefixed(tx.Bucket(bucketFAQChanges), ckey(community, "")) {
		var c faq.Change
		if err := json.Unmarshal(p.v, &c); err != nil {
			return err
		}
		if !sub.accounts[c.Actor] {
			continue
		}
		if err := fn(p.k, c); err != nil {
			return err
		}
	}
	return nil
}

// purgeUnanswered forgets unanswered questions last asked before their
// community's cutoff.
func purgeUnanswered(tx *bolt.Tx, cut *cutoffs, purged map[string]int) error {
	b := tx.Bucket(bucketFAQUnanswered)
	for _, p := range prefixed(b, nil) {
		var q faq.Unanswered
		if err := json.Unmarshal(p.v, &q); err != nil {
			return err
		}
		if !q.Last.Before(cut.of(communityOf(p.k))) {
			continue
		}
		if err := b.Delete(p.k); err != nil {
			return err
		}
		purged["faq_questions"]++
	}
	return nil
}
