package store

import (
	"context"
	"sort"

	"github.com/cohortbot/cohort/bot/schedule"
	bolt "go.etcd.io/bbolt"
)

var (
	bucketEvents        = []byte("events")         // community ‖ 0 ‖ event id → schedule.Event
	bucketEventsPending = []byte("events_pending") // community ‖ 0 ‖ event id → nil, for events not over
)

func putEvent(tx *bolt.Tx, e *schedule.Event) error {
	k := ckey(e.Community, e.ID)
	if err := putJSON(tx, bucketEvents, k, e); err != nil {
		return err
	}
	return setFlag(tx, bucketEventsPending, k, !e.Over)
}

// CreateEvent stores a new event with a fresh id.
func (s *Store) CreateEvent(ctx context.Context, e schedule.Event) (schedule.Event, error) {
	err := s.write(ctx, func(tx *bolt.Tx) error {
		id, err := nextID(tx, bucketEvents)
		if err != nil {
			return err
		}
		e.ID = id
		return putEvent(tx, &e)
	})
	return e, err
}

// Event returns an event of a community.
func (s *Store) Event(_ context.Context, community, id string) (e schedule.Event, ok bool, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		e, ok, err = getJSON[schedule.Event](tx, bucketEvents, ckey(community, id))
		return err
	})
	return e, ok, err
}

// Events lists a community's events that are not over, by start.
func (s *Store) Events(_ context.Context, community string) ([]schedule.Event, error) {
	var out []schedule.Event
	err := s.view(func(tx *bolt.Tx) error {
		all, err := indexedJSON[schedule.Event](tx, bucketEventsPending, bucketEvents)
		for _, e := range all {
			if e.Community == community {
				out = append(out, e)
			}
		}
		return err
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out, err
}

// PendingEvents lists every community's events that are not over.
func (s *Store) PendingEvents(context.Context) ([]schedule.Event, error) {
	var out []schedule.Event
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		out, err = indexedJSON[schedule.Event](tx, bucketEventsPending, bucketEvents)
		return err
	})
	return out, err
}

// UpdateEvent changes an event with fn.
func (s *Store) UpdateEvent(ctx context.Context, community, id string, fn func(*schedule.Event) error) (schedule.Event, bool, error) {
	return updateJSON(s, ctx, bucketEvents, ckey(community, id), fn, func(tx *bolt.Tx, e *schedule.Event) error {
		return setFlag(tx, bucketEventsPending, ckey(community, id), !e.Over)
	})
}
