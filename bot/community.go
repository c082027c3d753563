package bot

import (
	"slices"
	"sync"
	"time"
)

// Community is one community the bot serves: its chats on every platform,
// its moderators and where moderator notices go.
type Community struct {
	ID       string
	Name     string
	Locale   string         // default language of replies
	Location *time.Location // timezone for schedules and reports
	// Moderators and Owners are account keys ("telegram:1001").
	Moderators []string
	Owners     []string
	ModChat    ChatRef
	Chats      []CommunityChat
	// Implicit is true for a chat that is not in the configuration and so is
	// a community of its own.
	Implicit bool
}

// CommunityChat is one chat of a community and the segment it serves
// (general, investors, core, ...).
type CommunityChat struct {
	Ref     ChatRef
	Segment string
}

// Targets returns the community's chats in a segment, or all chats for "".
// Whole-guild entries (a Discord guild without a channel) are left out:
// messages need a channel.
func (c *Community) Targets(segment string) []ChatRef {
	var out []ChatRef
	for _, ch := range c.Chats {
		if ch.Ref.Chat == "" {
			continue
		}
		if segment == "" || ch.Segment == segment {
			out = append(out, ch.Ref)
		}
	}
	return out
}

// Segment returns the segment of a chat of the community, or "".
func (c *Community) Segment(chat ChatRef) string {
	for _, ch := range c.Chats {
		if chatMatches(ch.Ref, chat) {
			return ch.Segment
		}
	}
	return ""
}

// HasChat reports whether the chat belongs to the community.
func (c *Community) HasChat(chat ChatRef) bool {
	for _, ch := range c.Chats {
		if chatMatches(ch.Ref, chat) {
			return true
		}
	}
	return false
}

// IsModerator reports whether the account is a configured moderator or owner.
func (c *Community) IsModerator(acct Account) bool {
	return slices.Contains(c.Moderators, acct.Key()) || slices.Contains(c.Owners, acct.Key())
}

// chatMatches reports whether a configured ref covers a chat: same platform
// and space, and the same channel unless the configured ref is a whole guild.
func chatMatches(configured, chat ChatRef) bool {
	if configured.Platform != chat.Platform || configured.Space != chat.Space {
		return false
	}
	return configured.Chat == "" || configured.Chat == chat.Chat
}

// Communities finds the community of a chat. Configured communities come
// first; a chat outside all of them is a community of its own, named after
// its space ("telegram:-100123", "discord:<guild>"). A community's mod chat
// belongs to it even when it is not one of its chats, so moderator commands
// and buttons there act on the right community. Private chats belong to
// the first configured community, or to one implicit community per platform.
type Communities struct {
	configured []*Community
	locale     string
	location   *time.Location

	mu       sync.Mutex
	implicit map[string]*Community
}

// NewCommunities indexes the configured communities. locale and location are
// the defaults for communities that set none.
func NewCommunities(configured []*Community, locale string, location *time.Location) *Communities {
	if location == nil {
		location = time.UTC
	}
	for _, c := range configured {
		if c.Locale == "" {
			c.Locale = locale
		}
		if c.Location == nil {
			c.Location = location
		}
	}
	return &Communities{configured: configured, locale: locale, location: location, implicit: map[string]*Community{}}
}

// All returns the configured communities.
func (cs *Communities) All() []*Community { return cs.configured }

// Get returns a community by id, configured or already seen.
func (cs *Communities) Get(id string) *Community {
	for _, c := range cs.configured {
		if c.ID == id {
			return c
		}
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	return cs.implicit[id]
}

// For returns the community of an event's chat.
func (cs *Communities) For(chat ChatRef, private bool) *Community {
	if private {
		if len(cs.configured) > 0 {
			return cs.configured[0]
		}
		return cs.implicitFor(chat.Platform+":private", ChatRef{})
	}
	for _, c := range cs.configured {
		if c.HasChat(chat) {
			return c
		}
	}
	// A community's moderator chat belongs to it, so moderators acting
	// there (buttons on fulfilment requests, tickets) act in the community.
	for _, c := range cs.configured {
		if !c.ModChat.IsZero() && chatMatches(c.ModChat, chat) {
			return c
		}
	}
	space := ChatRef{Platform: chat.Platform, Space: chat.Space, Chat: chat.Space}
	if chat.Platform == Discord {
		space.Chat = ""
	}
	return cs.implicitFor(space.String(), space)
}

func (cs *Communities) implicitFor(id string, space ChatRef) *Community {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if c, ok := cs.implicit[id]; ok {
		return c
	}
	c := &Community{ID: id, Name: id, Locale: cs.locale, Location: cs.location, Implicit: true}
	if !space.IsZero() {
		c.Chats = []CommunityChat{{Ref: space, Segment: "general"}}
	}
	cs.implicit[id] = c
	return c
}
