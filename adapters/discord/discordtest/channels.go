package discordtest

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
