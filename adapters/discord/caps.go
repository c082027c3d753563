package discord

import (
	"context"
	"errors"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/cohortbot/cohort/bot"
)

// maxTimeout is the longest member timeout Discord accepts.
const maxTimeout = 28 * 24 * time.Hour

// RoleOf reports the account's role in the guild of chat: the guild owner
// is bot.RoleOwner; members whose roles grant Administrator or Manage Server
// are bot.RoleModerator. Guild state comes from the gateway, with REST as
// the fallback.
func (a *Adapter) RoleOf(ctx context.Context, chat bot.ChatRef, userID string) (bot.Role, error) {
	if chat.Space == "" {
		return bot.RoleMember, nil // a DM: nobody moderates it
	}
	owner, _, ok := a.c.owner(chat.Space)
	if !ok {
		g, err := a.s.Guild(chat.Space, discordgo.WithContext(ctx))
		if err != nil {
			return bot.RoleMember, wrapErr("reading guild", err)
		}
		a.c.putGuild(g)
		owner = g.OwnerID
	}
	if owner == userID {
		return bot.RoleOwner, nil
	}
	m, ok := a.c.member(chat.Space, userID)
	if !ok {
		gm, err := a.s.GuildMember(chat.Space, userID, discordgo.WithContext(ctx))
		if err != nil {
			if isCode(err, discordgo.ErrCodeUnknownMember) {
				return bot.RoleMember, nil
			}
			return bot.RoleMember, wrapErr("reading member", err)
		}
		a.c.putMember(chat.Space, gm)
		m = memberInfo{roles: gm.Roles}
	}
	perms := a.c.permissions(chat.Space, m.roles)
	if perms&(discordgo.PermissionAdministrator|discordgo.PermissionManageGuild) != 0 {
		return bot.RoleModerator, nil
	}
	return bot.RoleMember, nil
}

// SendDirect opens (or reuses) the DM channel with the user and sends msg.
// It returns an error wrapping bot.ErrCannotDM when the user does not
// accept DMs from the bot (Discord error 50007).
func (a *Adapter) SendDirect(ctx context.Context, userID string, msg bot.Outgoing) (bot.MessageRef, error) {
	a.mu.Lock()
	ch := a.dms[userID]
	a.mu.Unlock()
	if ch == "" {
		c, err := a.s.UserChannelCreate(userID, discordgo.WithContext(ctx))
		if err != nil {
			return bot.MessageRef{}, wrapErr("opening DM", err)
		}
		ch = c.ID
		a.mu.Lock()
		a.dms[userID] = ch
		a.mu.Unlock()
	}
	msg.ReplyTo = ""
	return a.sendTo(ctx, bot.ChatRef{Platform: bot.Discord, Chat: ch}, ch, msg)
}

// Delete deletes a message.
func (a *Adapter) Delete(ctx context.Context, msg bot.MessageRef) error {
	ch, err := channelOf(msg.Chat)
	if err != nil {
		return err
	}
	return wrapIf("delete message", a.s.ChannelMessageDelete(ch, msg.ID, discordgo.WithContext(ctx)))
}

// Edit replaces the text, embed and buttons of a message the bot sent.
func (a *Adapter) Edit(ctx context.Context, msg bot.MessageRef, out bot.Outgoing) error {
	ch, err := channelOf(msg.Chat)
	if err != nil {
		return err
	}
	parts, err := buildMessages(ch, out)
	if err != nil {
		return err
	}
	p := parts[0]
	if len(parts) > 1 {
		p.Content = truncate(p.Content, maxContent)
	}
	rows := p.Components
	if rows == nil {
		rows = []discordgo.MessageComponent{}
	}
	embeds := p.Embeds
	if embeds == nil {
		embeds = []*discordgo.MessageEmbed{}
	}
	e := &discordgo.MessageEdit{ID: msg.ID, Channel: ch, Content: &p.Content, Components: &rows, Embeds: &embeds, AllowedMentions: p.AllowedMentions}
	_, err = a.s.ChannelMessageEditComplex(e, discordgo.WithContext(ctx))
	return wrapIf("edit message", err)
}

// Mute times the member out until the given time (at most 28 days ahead,
// as Discord allows); a zero time lifts the timeout.
func (a *Adapter) Mute(ctx context.Context, chat bot.ChatRef, userID string, until time.Time) error {
	if until.IsZero() {
		return a.Unmute(ctx, chat, userID)
	}
	if chat.Space == "" {
		return errors.New("discord: mute needs a guild")
	}
	if limit := time.Now().Add(maxTimeout - time.Minute); until.After(limit) {
		until = limit
	}
	return wrapIf("timeout member", a.s.GuildMemberTimeout(chat.Space, userID, &until, discordgo.WithContext(ctx)))
}

// Unmute lifts a member's timeout.
func (a *Adapter) Unmute(ctx context.Context, chat bot.ChatRef, userID string) error {
	if chat.Space == "" {
		return errors.New("discord: unmute needs a guild")
	}
	return wrapIf("lift timeout", a.s.GuildMemberTimeout(chat.Space, userID, nil, discordgo.WithContext(ctx)))
}

// Ban bans the user from the whole guild, keeping their messages.
func (a *Adapter) Ban(ctx context.Context, chat bot.ChatRef, userID string, reason string) error {
	if chat.Space == "" {
		return errors.New("discord: ban needs a guild")
	}
	opts := []discordgo.RequestOption{discordgo.WithContext(ctx)}
	if reason != "" {
		opts = append(opts, discordgo.WithAuditLogReason(truncate(reason, 512)))
	}
	return wrapIf("ban member", a.s.GuildBanCreate(chat.Space, userID, 0, opts...))
}

// Unban lifts a guild ban.
func (a *Adapter) Unban(ctx context.Context, chat bot.ChatRef, userID string) error {
	if chat.Space == "" {
		return errors.New("discord: unban needs a guild")
	}
	return wrapIf("unban member", a.s.GuildBanDelete(chat.Space, userID, discordgo.WithContext(ctx)))
}

// ClosePoll ends a native poll now.
func (a *Adapter) ClosePoll(ctx context.Context, msg bot.MessageRef) error {
	ch, err := channelOf(msg.Chat)
	if err != nil {
		return err
	}
	_, err = a.s.PollExpire(ch, msg.ID)
	return wrapIf("end poll", err)
}

// Pin pins a message in its channel.
func (a *Adapter) Pin(ctx context.Context, msg bot.MessageRef) error {
	ch, err := channelOf(msg.Chat)
	if err != nil {
		return err
	}
	return wrapIf("pin message", a.s.ChannelMessagePin(ch, msg.ID, discordgo.WithContext(ctx)))
}

// SetRole grants (on) or removes a guild role, e.g. a tier such as "Gold Backer".
func (a *Adapter) SetRole(ctx context.Context, space, userID, roleID string, on bool) error {
	if on {
		return wrapIf("add role", a.s.GuildMemberRoleAdd(space, userID, roleID, discordgo.WithContext(ctx)))
	}
	return wrapIf("remove role", a.s.GuildMemberRoleRemove(space, userID, roleID, discordgo.WithContext(ctx)))
}

// CreateInvite creates a permanent invite to the channel and returns its
// link. Discord invites carry no name; joins through it report the code in
// Event.Invite when the bot may read the guild's invites (Manage Server).
func (a *Adapter) CreateInvite(ctx context.Context, chat bot.ChatRef, name string) (string, error) {
	ch, err := channelOf(chat)
	if err != nil {
		return "", err
	}
	if chat.Thread != "" {
		ch = chat.Chat // threads cannot have invites
	}
	inv, err := a.s.ChannelInviteCreate(ch, discordgo.Invite{MaxAge: 0, MaxUses: 0, Unique: true}, discordgo.WithContext(ctx))
	if err != nil {
		return "", wrapErr("create invite", err)
	}
	a.mu.Lock()
	if known := a.invites[chat.Space]; known != nil {
		known[inv.Code] = inv.Uses
	}
	a.mu.Unlock()
	return "https://discord.gg/" + inv.Code, nil
}

// snapshotInvites records the use counts of the guild's invites.
func (a *Adapter) snapshotInvites(guildID string) {
	invs, err := a.s.GuildInvites(guildID, discordgo.WithContext(a.runCtx()))
	if err != nil {
		a.log.Debug().Err(err).Str("guild", guildID).Msg("cannot read invites; joins will not name their invite")
		return
	}
	uses := map[string]int{}
	for _, inv := range invs {
		uses[inv.Code] = inv.Uses
	}
	a.mu.Lock()
	a.invites[guildID] = uses
	a.mu.Unlock()
}

// usedInvite finds the invite whose use count grew since the last look,
// if exactly one did, and remembers the new counts.
func (a *Adapter) usedInvite(guildID string) string {
	a.mu.Lock()
	before := a.invites[guildID]
	a.mu.Unlock()
	invs, err := a.s.GuildInvites(guildID, discordgo.WithContext(a.runCtx()))
	if err != nil {
		return ""
	}
	now := map[string]int{}
	var used []string
	for _, inv := range invs {
		now[inv.Code] = inv.Uses
		if inv.Uses > before[inv.Code] {
			used = append(used, inv.Code)
		}
	}
	a.mu.Lock()
	a.invites[guildID] = now
	a.mu.Unlock()
	if len(used) == 1 && before != nil {
		return used[0]
	}
	return ""
}

func wrapIf(action string, err error) error {
	if err == nil {
		return nil
	}
	return wrapErr(action, err)
}

// Interface guards.
var (
	_ bot.Adapter          = (*Adapter)(nil)
	_ bot.RoleChecker      = (*Adapter)(nil)
	_ bot.DirectMessenger  = (*Adapter)(nil)
	_ bot.Deleter          = (*Adapter)(nil)
	_ bot.Editor           = (*Adapter)(nil)
	_ bot.Muter            = (*Adapter)(nil)
	_ bot.Banner           = (*Adapter)(nil)
	_ bot.PollCloser       = (*Adapter)(nil)
	_ bot.Pinner           = (*Adapter)(nil)
	_ bot.RoleSetter       = (*Adapter)(nil)
	_ bot.Inviter          = (*Adapter)(nil)
	_ bot.CommandRegistrar = (*Adapter)(nil)
)
