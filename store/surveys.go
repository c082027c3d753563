package store

import (
	"context"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/schedule"
	bolt "go.etcd.io/bbolt"
)

var (
	bucketSurveys         = []byte("surveys")           // community ‖ 0 ‖ survey id → schedule.Survey
	bucketSurveyOrigins   = []byte("surveys_origin")    // community ‖ 0 ‖ origin → survey id
	bucketSurveyResponses = []byte("surveys_responses") // community ‖ 0 ‖ survey id ‖ 0 ‖ member → schedule.Response
	bucketSurveySessions  = []byte("surveys_sessions")  // account key → schedule.Session
)

// CreateSurvey stores a survey, or returns the one with the same Origin.
func (s *Store) CreateSurvey(ctx context.Context, sv schedule.Survey) (schedule.Survey, error) {
	out := sv
	err := s.write(ctx, func(tx *bolt.Tx) error {
		out = sv
		if sv.Origin != "" {
			if b := tx.Bucket(bucketSurveyOrigins); b != nil {
				if id := b.Get(ckey(sv.Community, sv.Origin)); id != nil {
					existing, ok, err := getJSON[schedule.Survey](tx, bucketSurveys, ckey(sv.Community, string(id)))
					if err != nil || ok {
						out = existing
						return err
					}
				}
			}
		}
		id, err := nextID(tx, bucketSurveys)
		if err != nil {
			return err
		}
		out.ID = id
		if sv.Origin != "" {
			b, err := tx.CreateBucketIfNotExists(bucketSurveyOrigins)
			if err != nil {
				return err
			}
			if err := b.Put(ckey(sv.Community, sv.Origin), []byte(id)); err != nil {
				return err
			}
		}
		return putJSON(tx, bucketSurveys, ckey(sv.Community, id), out)
	})
	return out, err
}

// Survey returns a survey of a community.
func (s *Store) Survey(_ context.Context, community, id string) (sv schedule.Survey, ok bool, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		sv, ok, err = getJSON[schedule.Survey](tx, bucketSurveys, ckey(community, id))
		return err
	})
	return sv, ok, err
}

// LatestSurvey returns the community's newest survey.
func (s *Store) LatestSurvey(_ context.Context, community string) (sv schedule.Survey, ok bool, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		all, err := listJSON[schedule.Survey](tx, bucketSurveys, ckey(community, ""))
		sv, ok = latest(all, func(s schedule.Survey) string { return s.ID })
		return err
	})
	return sv, ok, err
}

// UpdateResponse changes (creating if needed) a member's response.
func (s *Store) UpdateResponse(ctx context.Context, community, id string, member bot.MemberID, fn func(*schedule.Response) error) (schedule.Response, error) {
	var out schedule.Response
	k := ckey(community, id+"\x00"+string(member))
	err := s.write(ctx, func(tx *bolt.Tx) error {
		r, ok, err := getJSON[schedule.Response](tx, bucketSurveyResponses, k)
		if err != nil {
			return err
		}
		if !ok {
			r = schedule.Response{Member: member}
		}
		if err := fn(&r); err != nil {
			return err
		}
		out = r
		return putJSON(tx, bucketSurveyResponses, k, r)
	})
	return out, err
}

// Responses lists a survey's responses.
func (s *Store) Responses(_ context.Context, community, id string) ([]schedule.Response, error) {
	var out []schedule.Response
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		out, err = listJSON[schedule.Response](tx, bucketSurveyResponses, ckey(community, id+"\x00"))
		return err
	})
	return out, err
}

// Session returns the survey an account is answering.
func (s *Store) Session(_ context.Context, account string) (sess schedule.Session, ok bool, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		sess, ok, err = getJSON[schedule.Session](tx, bucketSurveySessions, []byte(account))
		return err
	})
	return sess, ok, err
}

// SetSession starts, moves or (with nil) ends an account's survey session.
func (s *Store) SetSession(ctx context.Context, account string, sess *schedule.Session) error {
	return s.write(ctx, func(tx *bolt.Tx) error {
		if sess == nil {
			return setFlag(tx, bucketSurveySessions, []byte(account), false)
		}
		return putJSON(tx, bucketSurveySessions, []byte(account), sess)
	})
}

var _ schedule.Store = (*Store)(nil)
