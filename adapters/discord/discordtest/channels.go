package discordtest

import (
	"sort"
	"strconv"
)

// AddChannel adds a text channel to the guild (for example a moderators'
// channel) and returns its id. Add channels before the client connects so
// they are part of the guild it receives with READY.
func (s *Server) AddChannel(name string) string {
	id := s.Snowflake()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channels[id] = map[string]any{"id": id, "type": 0, "guild_id": GuildID, "name": name, "position": len(s.channels), "parent_id": nil, "nsfw": false}
	return id
}

// ChannelMessages returns the messages the bot has in a channel (sent and
// not deleted), oldest first.
func (s *Server) ChannelMessages(channelID string) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, m := range s.messages {
		if m["channel_id"] == channelID {
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, _ := strconv.ParseUint(out[i]["id"].(string), 10, 64)
		b, _ := strconv.ParseUint(out[j]["id"].(string), 10, 64)
		return a < b
	})
	return out
}
