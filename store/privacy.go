package store

import (
	"bytes"
	"context"
	"slices"
	"strings"

	"github.com/cohortbot/cohort/bot"
	bolt "go.etcd.io/bbolt"
)

// personalPart is one feature's share of a member's data: how to export it
// and how to forget it. An export that finds nothing returns nil; a nil
// forget keeps everything (the part holds no personal data to erase).
type personalPart struct {
	name   string
	export func(tx *bolt.Tx, community string, member bot.MemberID) (any, error)
	forget func(tx *bolt.Tx, community string, member bot.MemberID) error
}

// personalParts lists every feature that keeps data about members, besides
// the member record itself: ForgetMember erases that one last, because the
// parts recognise the member's records by its accounts and names.
func personalParts() []personalPart {
	return []personalPart{
		feedbackPart(),
		moderationPart(),
		sentinelPart(),
		schedulePart(),
		analyticsPart(),
		faqPart(),
		pointsPart(),
	}
}

// ExportMember returns everything stored about a member, by feature.
func (s *Store) ExportMember(_ context.Context, community string, member bot.MemberID) (map[string]any, error) {
	out := map[string]any{}
	err := s.view(func(tx *bolt.Tx) error {
		for _, p := range append([]personalPart{membersPart()}, personalParts()...) {
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
		for _, p := range append(personalParts(), membersPart()) {
			if p.forget == nil {
				continue
			}
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

// subject is how the parts recognise a member in their records: every
// member id that is or was theirs (ids merged into them by account
// linking), their account keys and the names they go by.
type subject struct {
	ids      []bot.MemberID
	accounts map[string]bool
	names    map[string]bool
}

// has reports whether id is one of the member's ids.
func (s subject) has(id bot.MemberID) bool { return slices.Contains(s.ids, id) }

// subjectOf reads the member's ids, accounts and names; it must run before
// membersPart forgets them.
func subjectOf(tx *bolt.Tx, community string, member bot.MemberID) (subject, error) {
	sub := subject{ids: []bot.MemberID{member}, accounts: map[string]bool{}, names: map[string]bool{}}
	if merged := tx.Bucket(bucketMerged); merged != nil {
		prefix := ckey(community, "")
		c := merged.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			id := bot.MemberID(k[len(prefix):])
			if id != member && followMerged(tx, community, id) == member {
				sub.ids = append(sub.ids, id)
			}
		}
	}
	rec, found, err := getMember(tx, community, member)
	if err != nil || !found {
		return sub, err
	}
	if rec.Name != "" {
		sub.names[rec.Name] = true
	}
	for _, a := range rec.Accounts {
		sub.accounts[a.Key()] = true
		for _, n := range []string{a.Name, a.Username, a.Display()} {
			if n != "" {
				sub.names[n] = true
			}
		}
	}
	return sub, nil
}

// kv is a copied key and value, safe to use after its cursor moved on.
type kv struct{ k, v []byte }

// prefixed copies the pairs of b whose key starts with prefix; a nil
// bucket has none. Callers change the bucket after the scan, never during.
func prefixed(b *bolt.Bucket, prefix []byte) []kv {
	if b == nil {
		return nil
	}
	var out []kv
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		out = append(out, kv{bytes.Clone(k), bytes.Clone(v)})
	}
	return out
}
