package store

import (
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
	return eachJSON(tx.Bucket(bucketFAQChanges), ckey(community, ""), func(k []byte, c faq.Change) error {
		if !sub.accounts[c.Actor] {
			return nil
		}
		return fn(k, c)
	})
}

// purgeUnanswered forgets unanswered questions last asked before their
// community's cutoff.
func purgeUnanswered(tx *bolt.Tx, cut *cutoffs, purged map[string]int) error {
	b := tx.Bucket(bucketFAQUnanswered)
	return eachJSON(b, nil, func(k []byte, q faq.Unanswered) error {
		if !q.Last.Before(cut.of(communityOf(k))) {
			return nil
		}
		if err := b.Delete(k); err != nil {
			return err
		}
		purged["faq_questions"]++
		return nil
	})
}
