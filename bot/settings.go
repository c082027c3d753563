package bot

import (
	"fmt"
	"maps"
	"slices"
)

// Settings holds one feature's settings per community: those of each
// configured community, by community id, and the settings of every
// community that configures nothing. A Settings is read-only once built,
// so it is safe for concurrent use.
type Settings[T any] struct {
	byID map[string]T
	def  T
}

// NewSettings returns the settings of the communities in byID, keyed by
// community id, with def for every other community. It keeps a copy of
// byID.
func NewSettings[T any](byID map[string]T, def T) Settings[T] {
	return Settings[T]{byID: maps.Clone(byID), def: def}
}

// For returns a community's settings: its own when it is configured, else
// those of communities that configure nothing.
func (s Settings[T]) For(community string) T {
	if c, ok := s.byID[community]; ok {
		return c
	}
	return s.def
}

// Configured returns the ids of the configured communities, sorted.
func (s Settings[T]) Configured() []string {
	return slices.Sorted(maps.Keys(s.byID))
}

// MapSettings builds derived settings (validated, with defaults filled in,
// with files loaded) by calling fn on each of s: first on the settings of
// communities that configure nothing, with id "", then on each configured
// community in id order. It stops at the first error. An error of a
// configured community is prefixed with its key path, so that a Validate
// error such as "points.cooldown: must be positive" reads
// "communities[acme].points.cooldown: must be positive".
func MapSettings[T, U any](s Settings[T], fn func(id string, c T) (U, error)) (Settings[U], error) {
	def, err := fn("", s.def)
	if err != nil {
		return Settings[U]{}, err
	}
	out := Settings[U]{byID: make(map[string]U, len(s.byID)), def: def}
	for _, id := range s.Configured() {
		u, err := fn(id, s.byID[id])
		if err != nil {
			return Settings[U]{}, fmt.Errorf("communities[%s].%w", id, err)
		}
		out.byID[id] = u
	}
	return out, nil
}
