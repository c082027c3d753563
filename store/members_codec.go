package store

import (
	"encoding/json"

	"github.com/cohortbot/cohort/bot"
)

// Member records are read on every event (the account → member lookup of
// the dispatcher), so they are stored in a compact binary form: a version
// byte, then the fields in order. Records written as JSON by earlier
// versions (they start with '{') are still read. TestMemberCodec checks
// that every field of memberRecord and bot.Account is encoded.

const memberV1 = 2 // distinct from the points records' versions

func encodeMember(rec *memberRecord) []byte {
	e := enc{b: make([]byte, 0, 96)}
	e.b = append(e.b, memberV1)
	e.str(string(rec.ID))
	e.uint(uint64(len(rec.Accounts)))
	for _, a := range rec.Accounts {
		e.str(a.Platform)
		e.str(a.ID)
		e.str(a.Name)
		e.str(a.Username)
		e.str(a.Lang)
		e.bool(a.IsBot)
	}
	e.str(rec.Name)
	e.str(rec.Lang)
	e.time(rec.Joined)
	return e.b
}

func decodeMember(v []byte, rec *memberRecord) error {
	if len(v) > 0 && v[0] == '{' {
		return json.Unmarshal(v, rec)
	}
	if len(v) == 0 || v[0] != memberV1 {
		return errCorrupt
	}
	d := dec{b: v[1:]}
	rec.ID = bot.MemberID(d.str())
	if n := d.count(); n > 0 {
		rec.Accounts = make([]bot.Account, n)
		for i := range rec.Accounts {
			a := &rec.Accounts[i]
			a.Platform, a.ID, a.Name, a.Username, a.Lang = d.str(), d.str(), d.str(), d.str(), d.str()
			a.IsBot = d.bool()
		}
	}
	rec.Name = d.str()
	rec.Lang = d.str()
	rec.Joined = d.time()
	return d.err
}
