package store

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/schedule"
	bolt "go.etcd.io/bbolt"
)

var (
	bucketPolls     = []byte("polls")       // community ‖ 0 ‖ poll id → schedule.Poll
	bucketPollsOpen = []byte("polls_open")  // community ‖ 0 ‖ poll id → nil, for open polls
	bucketPollIndex = []byte("polls_index") // message or platform poll key → community ‖ 0 ‖ poll id
	bucketPollVotes = []byte("polls_votes") // community ‖ 0 ‖ poll id ‖ 0 ‖ member → []int
)

func voteKey(community, id string, member bot.MemberID) []byte {
	return ckey(community, id+"\x00"+string(member))
}

// CreatePoll stores a new poll with a fresh id.
func (s *Store) CreatePoll(ctx context.Context, p schedule.Poll) (schedule.Poll, error) {
	err := s.write(ctx, func(tx *bolt.Tx) error {
		id, err := nextID(tx, bucketPolls)
		if err != nil {
			return err
		}
		p.ID = id
		if err := putJSON(tx, bucketPolls, ckey(p.Community, id), p); err != nil {
			return err
		}
		return setFlag(tx, bucketPollsOpen, ckey(p.Community, id), !p.Closed)
	})
	return p, err
}

// Poll returns a poll of a community.
func (s *Store) Poll(_ context.Context, community, id string) (p schedule.Poll, ok bool, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		p, ok, err = getJSON[schedule.Poll](tx, bucketPolls, ckey(community, id))
		return err
	})
	return p, ok, err
}

// LatestPoll returns the community's newest poll.
func (s *Store) LatestPoll(_ context.Context, community string) (p schedule.Poll, ok bool, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		all, err := listJSON[schedule.Poll](tx, bucketPolls, ckey(community, ""))
		p, ok = latest(all, func(p schedule.Poll) string { return p.ID })
		return err
	})
	return p, ok, err
}

// OpenPolls lists every community's open polls.
func (s *Store) OpenPolls(context.Context) ([]schedule.Poll, error) {
	var out []schedule.Poll
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		out, err = indexedJSON[schedule.Poll](tx, bucketPollsOpen, bucketPolls)
		return err
	})
	return out, err
}

// UpdatePoll changes a poll with fn.
func (s *Store) UpdatePoll(ctx context.Context, community, id string, fn func(*schedule.Poll) error) (schedule.Poll, bool, error) {
	return updateJSON(s, ctx, bucketPolls, ckey(community, id), fn, func(tx *bolt.Tx, p *schedule.Poll) error {
		return setFlag(tx, bucketPollsOpen, ckey(community, id), !p.Closed)
	})
}

// IndexPoll maps a lookup key to a poll.
func (s *Store) IndexPoll(ctx context.Context, key, community, id string) error {
	return s.write(ctx, func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketPollIndex)
		if err != nil {
			return err
		}
		return b.Put([]byte(key), ckey(community, id))
	})
}

// FindPoll looks a poll up by an IndexPoll key.
func (s *Store) FindPoll(_ context.Context, key string) (community, id string, ok bool, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPollIndex)
		if b == nil {
			return nil
		}
		if v := b.Get([]byte(key)); v != nil {
			community, id, ok = strings.Cut(string(v), "\x00")
		}
		return nil
	})
	return community, id, ok, err
}

// UpdateVote replaces a member's choice with what fn returns.
func (s *Store) UpdateVote(ctx context.Context, community, id string, member bot.MemberID, fn func(schedule.Poll, []int) ([]int, error)) (before, after []int, err error) {
	err = s.write(ctx, func(tx *bolt.Tx) error {
		p, ok, err := getJSON[schedule.Poll](tx, bucketPolls, ckey(community, id))
		if err != nil || !ok {
			return err
		}
		k := voteKey(community, id, member)
		before, _, err = getJSON[[]int](tx, bucketPollVotes, k)
		if err != nil {
			return err
		}
		if after, err = fn(p, before); err != nil {
			return err
		}
		if len(after) == 0 {
			return setFlag(tx, bucketPollVotes, k, false)
		}
		return putJSON(tx, bucketPollVotes, k, after)
	})
	return before, after, err
}

// Votes returns every member's current choice in a poll.
func (s *Store) Votes(_ context.Context, community, id string) (map[bot.MemberID][]int, error) {
	out := map[bot.MemberID][]int{}
	prefix := ckey(community, id+"\x00")
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPollVotes)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Seek(prefix); k != nil && strings.HasPrefix(string(k), string(prefix)); k, v = c.Next() {
			var choice []int
			if err := json.Unmarshal(v, &choice); err != nil {
				return err
			}
			out[bot.MemberID(k[len(prefix):])] = choice
		}
		return nil
	})
	return out, err
}
