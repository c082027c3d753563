package store

import (
	"bytes"
	"context"
	"time"

	"github.com/cohortbot/cohort/bot/privacy"
	bolt "go.etcd.io/bbolt"
)

// cutoffs remembers the retention cutoff of each community seen in a purge.
type cutoffs struct {
	fn   func(community string) time.Time
	seen map[string]time.Time
}

// of is the community's cutoff: data from before it goes.
func (c *cutoffs) of(community string) time.Time {
	t, ok := c.seen[community]
	if !ok {
		t = c.fn(community)
		c.seen[community] = t
	}
	return t
}

// communityOf is the community of a community-scoped key.
func communityOf(k []byte) string {
	if i := bytes.IndexByte(k, 0); i >= 0 {
		return string(k[:i])
	}
	return ""
}

// PurgeBefore deletes or empties the message-derived records older than the
// cutoff of their community, in one transaction: flagged messages, texts of
// closed feedback tickets, free-text survey answers, unanswered FAQ
// questions and the per-day sets of active members. Counters and totals
// stay. When anything went, the file is compacted so the deleted bytes do
// not survive in free pages. It implements privacy.Store.
func (s *Store) PurgeBefore(ctx context.Context, cutoff func(community string) time.Time) (privacy.Purged, error) {
	var purged privacy.Purged
	err := s.write(ctx, func(tx *bolt.Tx) error {
		purged = privacy.Purged{}
		cut := &cutoffs{fn: cutoff, seen: map[string]time.Time{}}
		for _, purge := range []func(*bolt.Tx, *cutoffs, map[string]int) error{
			purgeFlagged, purgeTickets, purgeSurveyAnswers, purgeUnanswered, purgeActiveDays,
		} {
			if err := purge(tx, cut, purged); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil || purged.Total() == 0 {
		return purged, err
	}
	return purged, s.Compact()
}

var _ privacy.Store = (*Store)(nil)
