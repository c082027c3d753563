package store

import (
	"context"
	"time"

	"github.com/cohortbot/cohort/bot/schedule"
	bolt "go.etcd.io/bbolt"
)

var (
	bucketJobs       = []byte("sched_jobs")        // community ‖ 0 ‖ job id → schedule.Job
	bucketJobOrigins = []byte("sched_job_origins") // community ‖ 0 ‖ origin → job id
	bucketJobsActive = []byte("sched_jobs_active") // community ‖ 0 ‖ job id → nil, for active jobs
	bucketDeliveries = []byte("sched_deliveries")  // community ‖ 0 ‖ job|run|chat → schedule.Delivery
)

// putJob writes a job and keeps the active index.
func putJob(tx *bolt.Tx, j *schedule.Job) error {
	k := ckey(j.Community, j.ID)
	if err := putJSON(tx, bucketJobs, k, j); err != nil {
		return err
	}
	return setFlag(tx, bucketJobsActive, k, j.State == schedule.StateActive)
}

// CreateJob stores a new job with a fresh id.
func (s *Store) CreateJob(ctx context.Context, j schedule.Job) (schedule.Job, error) {
	out := j
	err := s.write(ctx, func(tx *bolt.Tx) error {
		out = j
		var origins *bolt.Bucket
		if j.Origin != "" {
			var err error
			if origins, err = tx.CreateBucketIfNotExists(bucketJobOrigins); err != nil {
				return err
			}
			if id := origins.Get(ckey(j.Community, j.Origin)); id != nil {
				prev, ok, err := getJSON[schedule.Job](tx, bucketJobs, ckey(j.Community, string(id)))
				if err != nil || ok {
					out = prev
					return err
				}
			}
		}
		id, err := nextID(tx, bucketJobs)
		if err != nil {
			return err
		}
		out.ID = id
		if origins != nil {
			if err := origins.Put(ckey(j.Community, j.Origin), []byte(id)); err != nil {
				return err
			}
		}
		return putJob(tx, &out)
	})
	return out, err
}

// Job returns a job of a community.
func (s *Store) Job(_ context.Context, community, id string) (j schedule.Job, ok bool, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		j, ok, err = getJSON[schedule.Job](tx, bucketJobs, ckey(community, id))
		return err
	})
	return j, ok, err
}

// Jobs lists a community's active and paused jobs by id.
func (s *Store) Jobs(_ context.Context, community string) ([]schedule.Job, error) {
	var out []schedule.Job
	err := s.view(func(tx *bolt.Tx) error {
		all, err := listJSON[schedule.Job](tx, bucketJobs, ckey(community, ""))
		for _, j := range all {
			if j.State == schedule.StateActive || j.State == schedule.StatePaused {
				out = append(out, j)
			}
		}
		return err
	})
	byNumericID(out, func(j schedule.Job) string { return j.ID })
	return out, err
}

// ActiveJobs lists every community's active jobs.
func (s *Store) ActiveJobs(context.Context) ([]schedule.Job, error) {
	var out []schedule.Job
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		out, err = indexedJSON[schedule.Job](tx, bucketJobsActive, bucketJobs)
		return err
	})
	return out, err
}

// UpdateJob changes a job with fn.
func (s *Store) UpdateJob(ctx context.Context, community, id string, fn func(*schedule.Job) error) (schedule.Job, bool, error) {
	return updateJSON(s, ctx, bucketJobs, ckey(community, id), fn, func(tx *bolt.Tx, j *schedule.Job) error {
		return setFlag(tx, bucketJobsActive, ckey(community, id), j.State == schedule.StateActive)
	})
}

func deliveryKey(d schedule.Delivery) []byte {
	return ckey(d.Community, d.Job+"|"+d.Run.UTC().Format(time.RFC3339Nano)+"|"+d.Chat.String())
}

// BeginDelivery records the intent to send, unless the key is already recorded.
func (s *Store) BeginDelivery(ctx context.Context, d schedule.Delivery) (bool, error) {
	began := false
	err := s.write(ctx, func(tx *bolt.Tx) error {
		began = false
		if _, ok, err := getJSON[schedule.Delivery](tx, bucketDeliveries, deliveryKey(d)); err != nil || ok {
			return err
		}
		began = true
		return putJSON(tx, bucketDeliveries, deliveryKey(d), d)
	})
	return began, err
}

// FinishDelivery records the outcome of a delivery.
func (s *Store) FinishDelivery(ctx context.Context, d schedule.Delivery) error {
	return s.write(ctx, func(tx *bolt.Tx) error {
		return putJSON(tx, bucketDeliveries, deliveryKey(d), d)
	})
}

// Deliveries lists a job's deliveries.
func (s *Store) Deliveries(_ context.Context, community, job string) ([]schedule.Delivery, error) {
	var out []schedule.Delivery
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		out, err = listJSON[schedule.Delivery](tx, bucketDeliveries, ckey(community, job+"|"))
		return err
	})
	return out, err
}
