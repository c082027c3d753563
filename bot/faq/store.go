package faq

import "context"

// Store keeps FAQ entries, hit counts, unanswered questions and the change
// log. Package store implements it on bbolt; entries are scoped by
// community id.
type Store interface {
	// FAQEntries returns a community's entries with their hit counts.
	FAQEntries(ctx context.Context, community string) ([]Entry, error)
	// UpdateFAQ changes a community's entries in one transaction: Apply
	// gets the current entries and returns the new set (entries it leaves
	// out are deleted, with their hits) and a detail for the change, which
	// is appended to the change log. Apply must have no side effects: it may run more than
	// once. An error from Apply aborts the update and is returned.
	UpdateFAQ(ctx context.Context, community string, u Update) error
	// FAQFileHash is the digest recorded by the last file import, or "".
	FAQFileHash(ctx context.Context, community string) (string, error)
	// CountFAQHit adds one to an entry's hit count.
	CountFAQHit(ctx context.Context, community, id string) error
	// RecordUnanswered counts a question by its Key, keeping the text and
	// first time of its first occurrence. When more than keep questions
	// are stored, the least asked (then the oldest) is forgotten. It
	// returns the question as stored.
	RecordUnanswered(ctx context.Context, community string, q Unanswered, keep int) (Unanswered, error)
	// UnansweredFAQ returns up to limit questions, most asked first.
	UnansweredFAQ(ctx context.Context, community string, limit int) ([]Unanswered, error)
	// ClearUnanswered forgets the questions with the given keys, or all
	// of the community's questions when keys is nil.
	ClearUnanswered(ctx context.Context, community string, keys []string) error
	// FAQChanges returns up to limit changes, newest first.
	FAQChanges(ctx context.Context, community string, limit int) ([]Change, error)
}

// Update is one change of a community's entries (see Store.UpdateFAQ).
type Update struct {
	Change Change
	// FileHash, when set, is recorded as the digest of the imported file.
	FileHash string
	// KeepChanges bounds the change log: older changes are dropped.
	KeepChanges int
	Apply       func(current []Entry) (next []Entry, detail string, err error)
}
