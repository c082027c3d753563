package faq

import (
	"sort"
	"strings"

	"github.com/cohortbot/cohort/bot/faq/match"
)

// catalog is one community's entries with their search index. It is
// immutable; changes build a new one.
type catalog struct {
	entries []Entry
	byID    map[string]int
	index   *match.Index
}

func newCatalog(entries []Entry) *catalog {
	entries = append([]Entry(nil), entries...)
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].Order < entries[j].Order })
	c := &catalog{entries: entries, byID: make(map[string]int, len(entries))}
	docs := make([]match.Doc, len(entries))
	for i, e := range entries {
		c.byID[e.ID] = i
		docs[i] = match.Doc{ID: e.ID, Phrasings: e.Phrasings(), Tags: e.Tags, Body: e.Answer + " " + e.Translations["zh-CN"].Answer + " " + e.Translations["en"].Answer}
	}
	c.index = match.New(docs)
	return c
}

// entry returns an entry by id.
func (c *catalog) entry(id string) (Entry, bool) {
	i, ok := c.byID[id]
	if !ok {
		return Entry{}, false
	}
	return c.entries[i], true
}

// verdict is what a query found.
type verdict struct {
	// best is the best entry; confident when its score reaches the threshold.
	best      Entry
	score     float64
	found     bool
	confident bool
	// similar are other entries close enough to offer as "did you mean".
	similar []Entry
}

// Tuning of "did you mean": an entry is offered next to (or instead of)
// the best one when it scores at least closeRatio of the best, and at least
// suggestRatio of the threshold.
const (
	closeRatio   = 0.9
	suggestRatio = 0.6
	maxSimilar   = 3
)

// lookup finds the entry for a query: an exact id first, then by matching.
func (c *catalog) lookup(query string, threshold float64) verdict {
	if e, ok := c.entry(strings.ToLower(strings.TrimSpace(query))); ok {
		return verdict{best: e, score: 1, found: true, confident: true}
	}
	results := c.index.Search(query, maxSimilar+1)
	if len(results) == 0 || results[0].Score < threshold*suggestRatio {
		return verdict{}
	}
	v := verdict{found: true, score: results[0].Score, confident: results[0].Score >= threshold}
	v.best, _ = c.entry(results[0].ID)
	for _, r := range results[1:] {
		if r.Score >= results[0].Score*closeRatio && r.Score >= threshold*suggestRatio {
			e, _ := c.entry(r.ID)
			v.similar = append(v.similar, e)
		}
	}
	return v
}
