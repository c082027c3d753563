package store

import (
	"context"
	"strings"

	"github.com/cohortbot/cohort/bot"
	bolt "go.etcd.io/bbolt"
)

// personalPart is one feature's share of a member's data: how to export it
// and how to forget it.
type personalPart struct {
	name   string
	export func(tx *bolt.Tx, community string, member bot.MemberID) (any, error)
	forget func(tx *bolt.Tx, community string, member bot.MemberID) error
}

// personalParts lists every feature that keeps data about members.
func personalParts() []personalPart {
	return []personalPart{
		pointsPart(), // before membersPart: it needs the member's accounts
		membersPart(),
	}
}

// ExportMember returns everything stored about a member, by feature.
func (s *Store) ExportMember(_ context.Context, community string, member bot.MemberID) (map[string]any, error) {
	out := map[string]any{}
	err := s.view(func(tx *bolt.Tx) error {
		for _, p := range personalParts() {
			v, err := p.export(tx, community, member)
			if err != nil {
				return err
			}
			if v != nil {
				out[p.name] = v
			}
		}
		return nil
	})
	return out, err
}

// ForgetMember erases a member's personal data in one transaction, then
// compacts the file so no deleted bytes remain in free pages.
func (s *Store) ForgetMember(ctx context.Context, community string, member bot.MemberID) error {
	err := s.write(ctx, func(tx *bolt.Tx) error {
		for _, p := range personalParts() {
			if err := p.forget(tx, community, member); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.Compact()
}

func membersPart() personalPart {
	return personalPart{
		name: "member",
		export: func(tx *bolt.Tx, community string, member bot.MemberID) (any, error) {
			rec, found, err := getMember(tx, community, member)
			if !found || err != nil {
				return nil, err
			}
			return rec, nil
		},
		forget: func(tx *bolt.Tx, community string, member bot.MemberID) error {
			rec, found, err := getMember(tx, community, member)
			if !found || err != nil {
				return err
			}
			for _, a := range rec.Accounts {
				if err := tx.Bucket(bucketAccount).Delete(ckey(community, a.Key())); err != nil {
					return err
				}
				if a.Username != "" {
					names := tx.Bucket(bucketNames)
					key := ckey(community, strings.ToLower(a.Username))
					if string(names.Get(key)) == string(member) {
						if err := names.Delete(key); err != nil {
							return err
						}
					}
				}
			}
			return tx.Bucket(bucketMembers).Delete(ckey(community, string(member)))
		},
	}
}
