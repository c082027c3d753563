package discord

import (
	"sync"

	"github.com/bwmarrin/discordgo"
	"github.com/cohortbot/cohort/bot"
)

// cache keeps what the adapter needs to know about guilds, fed by gateway
// events. discordgo's own State is off: it rewrites structs in place that
// event handlers may still be reading, which is a data race.
type cache struct {
	mu      sync.RWMutex
	guilds  map[string]*guildInfo
	threads map[string]string // thread id -> parent channel id
}

type guildInfo struct {
	owner   string
	system  string           // system channel, where joins are announced
	roles   map[string]int64 // role id -> permissions
	members map[string]memberInfo
}

type memberInfo struct {
	acct  bot.Account
	roles []string
}

func newCache() *cache {
	return &cache{guilds: map[string]*guildInfo{}, threads: map[string]string{}}
}

// guild returns the info of a guild, creating it; c.mu is held.
func (c *cache) guild(id string) *guildInfo {
	g := c.guilds[id]
	if g == nil {
		g = &guildInfo{roles: map[string]int64{}, members: map[string]memberInfo{}}
		c.guilds[id] = g
	}
	return g
}

// putGuild records a guild from GUILD_CREATE, GUILD_UPDATE or REST.
func (c *cache) putGuild(g *discordgo.Guild) {
	if g == nil || g.Unavailable || g.OwnerID == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	info := c.guild(g.ID)
	info.owner, info.system = g.OwnerID, g.SystemChannelID
	if g.Roles != nil {
		info.roles = map[string]int64{}
		for _, r := range g.Roles {
			info.roles[r.ID] = r.Permissions
		}
	}
	for _, m := range g.Members {
		if m.User != nil {
			info.members[m.User.ID] = memberInfo{acct: account(m.User, m), roles: append([]string(nil), m.Roles...)}
		}
	}
	for _, t := range g.Threads {
		c.threads[t.ID] = t.ParentID
	}
}

func (c *cache) putMember(guildID string, m *discordgo.Member) {
	if m == nil || m.User == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.guild(guildID).members[m.User.ID] = memberInfo{acct: account(m.User, m), roles: append([]string(nil), m.Roles...)}
}

func (c *cache) removeMember(guildID, userID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if g := c.guilds[guildID]; g != nil {
		delete(g.members, userID)
	}
}

func (c *cache) putRole(guildID string, r *discordgo.Role) {
	if r == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.guild(guildID).roles[r.ID] = r.Permissions
}

func (c *cache) removeRole(guildID, roleID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if g := c.guilds[guildID]; g != nil {
		delete(g.roles, roleID)
	}
}

func (c *cache) putThread(ch *discordgo.Channel) {
	if ch == nil || !ch.IsThread() || ch.ParentID == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.threads[ch.ID] = ch.ParentID
}

// parent returns the parent channel of a thread.
func (c *cache) parent(channelID string) (string, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	p, ok := c.threads[channelID]
	return p, ok
}

// owner returns the guild's owner and system channel, if the guild is known.
func (c *cache) owner(guildID string) (owner, system string, ok bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	g := c.guilds[guildID]
	if g == nil || g.owner == "" {
		return "", "", false
	}
	return g.owner, g.system, true
}

// member returns a cached member.
func (c *cache) member(guildID, userID string) (memberInfo, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if g := c.guilds[guildID]; g != nil {
		m, ok := g.members[userID]
		return m, ok
	}
	return memberInfo{}, false
}

// permissions ORs the permissions of @everyone and the given roles.
func (c *cache) permissions(guildID string, roles []string) int64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	g := c.guilds[guildID]
	if g == nil {
		return 0
	}
	p := g.roles[guildID]
	for _, r := range roles {
		p |= g.roles[r]
	}
	return p
}

// watch feeds the cache from gateway events; it returns the functions
// that remove the handlers.
func (c *cache) watch(s *discordgo.Session) []func() {
	return []func(){
		s.AddHandler(func(_ *discordgo.Session, e *discordgo.GuildCreate) { c.putGuild(e.Guild) }),
		s.AddHandler(func(_ *discordgo.Session, e *discordgo.GuildUpdate) { c.putGuild(e.Guild) }),
		s.AddHandler(func(_ *discordgo.Session, e *discordgo.GuildDelete) {
			if e.Guild != nil && !e.Unavailable {
				c.mu.Lock()
				delete(c.guilds, e.ID)
				c.mu.Unlock()
			}
		}),
		s.AddHandler(func(_ *discordgo.Session, e *discordgo.GuildRoleCreate) {
			if e.GuildRole != nil {
				c.putRole(e.GuildID, e.Role)
			}
		}),
		s.AddHandler(func(_ *discordgo.Session, e *discordgo.GuildRoleUpdate) {
			if e.GuildRole != nil {
				c.putRole(e.GuildID, e.Role)
			}
		}),
		s.AddHandler(func(_ *discordgo.Session, e *discordgo.GuildRoleDelete) { c.removeRole(e.GuildID, e.RoleID) }),
		s.AddHandler(func(_ *discordgo.Session, e *discordgo.GuildMemberAdd) {
			if e.Member != nil {
				c.putMember(e.GuildID, e.Member)
			}
		}),
		s.AddHandler(func(_ *discordgo.Session, e *discordgo.GuildMemberUpdate) {
			if e.Member != nil {
				c.putMember(e.GuildID, e.Member)
			}
		}),
		s.AddHandler(func(_ *discordgo.Session, e *discordgo.ThreadCreate) { c.putThread(e.Channel) }),
		s.AddHandler(func(_ *discordgo.Session, e *discordgo.ThreadUpdate) { c.putThread(e.Channel) }),
	}
}
