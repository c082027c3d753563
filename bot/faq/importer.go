package faq

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"time"

	"github.com/rs/zerolog"
)

// importResult counts what an import changed.
type importResult struct {
	Total, Added, Updated, Removed, Kept int
	Unchanged                            bool // the file had not changed since its last import
}

func (r importResult) detail() string {
	return fmt.Sprintf("%d entries: %d new, %d changed, %d removed, %d kept", r.Total, r.Added, r.Updated, r.Removed, r.Kept)
}

// fileActor is the author of the startup import.
func fileActor(at time.Time) Change { return Change{At: at, Actor: "faq_file", Name: "faq_file"} }

// importFile reads a faq_file and imports it. With onlyIfChanged it does
// nothing when the file's digest matches the last import.
func (m *Module) importFile(ctx context.Context, community, path string, who Change, onlyIfChanged bool) (importResult, error) {
	data, err := m.readFile(path)
	if err != nil {
		return importResult{}, fmt.Errorf("reading faq_file: %w", err)
	}
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])
	if onlyIfChanged {
		last, err := m.store.FAQFileHash(ctx, community)
		if err != nil {
			return importResult{}, err
		}
		if last == hash {
			return importResult{Unchanged: true}, nil
		}
	}
	return m.importData(ctx, community, data, hash, who)
}

// importData parses a faq_file's content and makes it the community's
// file entries: entries with the same id are replaced, file entries that
// are gone are removed, entries added in chat are kept unless the file
// now has their id. hash, when set, is recorded as the file's digest.
func (m *Module) importData(ctx context.Context, community string, data []byte, hash string, who Change) (importResult, error) {
	entries, err := ParseFile(data, actorLabel(who), who.At)
	if err != nil {
		return importResult{}, err
	}
	var res importResult
	who.Action = "import"
	u := Update{Change: who, FileHash: hash, KeepChanges: keepChanges, Apply: func(current []Entry) ([]Entry, string, error) {
		res = importResult{Total: len(entries)}
		old := make(map[string]Entry, len(current))
		for _, e := range current {
			old[e.ID] = e
		}
		next := make([]Entry, 0, len(entries)+len(current))
		inFile := make(map[string]bool, len(entries))
		for i, e := range entries {
			inFile[e.ID] = true
			e.Order = i
			prev, ok := old[e.ID]
			switch {
			case !ok:
				res.Added++
			case sameContent(prev, e):
				e.Author, e.Updated = prev.Author, prev.Updated
			default:
				res.Updated++
			}
			next = append(next, e)
		}
		for _, e := range current {
			switch {
			case inFile[e.ID]:
			case e.Source == SourceChat:
				e.Order = len(entries) + e.Order
				res.Kept++
				next = append(next, e)
			default:
				res.Removed++
			}
		}
		return next, res.detail(), nil
	}}
	if err := m.store.UpdateFAQ(ctx, community, u); err != nil {
		return importResult{}, err
	}
	u.Change.Detail = res.detail()
	m.logChange(ctx, community, u.Change)
	m.invalidate(community)
	return res, nil
}

// sameContent reports whether two entries say the same thing.
func sameContent(a, b Entry) bool {
	return a.Question == b.Question && a.Answer == b.Answer && a.Language == b.Language &&
		reflect.DeepEqual(a.Variants, b.Variants) && reflect.DeepEqual(a.Tags, b.Tags) &&
		reflect.DeepEqual(a.Translations, b.Translations) && a.Source == b.Source
}

// actorLabel is how an entry records its author: "Mia (telegram:1900)".
func actorLabel(c Change) string {
	if c.Name == "" || c.Name == c.Actor {
		return c.Actor
	}
	return c.Name + " (" + c.Actor + ")"
}

// logChange writes a change to the log.
func (m *Module) logChange(ctx context.Context, community string, c Change) {
	zerolog.Ctx(ctx).Info().Str("community", community).Str("actor", c.Actor).Str("action", c.Action).
		Str("entry", c.ID).Str("detail", c.Detail).Msg("faq changed")
}
