package discord

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/bwmarrin/discordgo"
	"github.com/cohortbot/cohort/bot"
)

// errEmpty is returned for a message with nothing to show.
var errEmpty = errors.New("discord: empty message")

// buildMessages renders an Outgoing as one or more Discord messages: text
// over 2000 characters is split; buttons, the poll and files go with the
// last part, the reply reference with the first. Mentions never ping
// anyone but the accounts in msg.Mention.
func buildMessages(channelID string, msg bot.Outgoing) ([]*discordgo.MessageSend, error) {
	keep := map[string]bool{}
	allowed := &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
	for _, acct := range msg.Mention {
		if acct.Platform == bot.Discord && acct.ID != "" && !keep[acct.ID] {
			keep[acct.ID] = true
			allowed.Users = append(allowed.Users, acct.ID)
		}
	}
	text := renderMarkup(msg.Text, keep)
	var parts []*discordgo.MessageSend
	if msg.Title != "" {
		m := &discordgo.MessageSend{Embeds: []*discordgo.MessageEmbed{{
			Type:        discordgo.EmbedTypeRich,
			Title:       truncate(renderMarkup(msg.Title, nil), maxEmbedTitle),
			Description: truncate(text, maxEmbedDesc),
		}}}
		// Mentions inside embeds never ping: put the wanted ones in the content.
		for _, id := range allowed.Users {
			m.Content += "<@" + id + "> "
		}
		parts = append(parts, m)
	} else {
		for _, piece := range splitContent(text, maxContent) {
			parts = append(parts, &discordgo.MessageSend{Content: piece})
		}
	}
	last := parts[len(parts)-1]
	rows, err := components(msg.Buttons)
	if err != nil {
		return nil, err
	}
	last.Components = rows
	if msg.Poll != nil {
		last.Poll = poll(msg.Poll)
	}
	for _, f := range msg.Files {
		last.Files = append(last.Files, &discordgo.File{Name: f.Name, ContentType: f.MIME, Reader: bytes.NewReader(f.Data)})
	}
	if msg.ReplyTo != "" {
		no := false
		parts[0].Reference = &discordgo.MessageReference{MessageID: msg.ReplyTo, ChannelID: channelID, FailIfNotExists: &no}
	}
	for _, p := range parts {
		p.AllowedMentions = allowed
	}
	if len(parts) == 1 && last.Content == "" && len(last.Embeds) == 0 && last.Poll == nil && len(last.Files) == 0 && len(last.Components) == 0 {
		return nil, errEmpty
	}
	return parts, nil
}

// components turns button rows into action rows: data buttons carry the
// data as custom_id (at most 100 bytes), URL buttons are link buttons.
func components(rows [][]bot.Button) ([]discordgo.MessageComponent, error) {
	var out []discordgo.MessageComponent
	for _, row := range rows {
		if len(row) == 0 {
			continue
		}
		var r discordgo.ActionsRow
		for _, b := range row {
			btn := discordgo.Button{Label: truncate(b.Text, maxButtonLabel), Style: discordgo.PrimaryButton}
			switch {
			case b.URL != "":
				if !bot.SafeURL(b.URL) {
					return nil, fmt.Errorf("discord: button %q: unsafe URL", b.Text)
				}
				btn.Style, btn.URL = discordgo.LinkButton, b.URL
			case len(b.Data) > maxCustomID:
				return nil, fmt.Errorf("discord: button %q: data is %d bytes, Discord allows %d", b.Text, len(b.Data), maxCustomID)
			case b.Data == "":
				return nil, fmt.Errorf("discord: button %q has neither data nor URL", b.Text)
			default:
				btn.CustomID = b.Data
			}
			if len(r.Components) == 5 {
				out = append(out, r)
				r = discordgo.ActionsRow{}
			}
			r.Components = append(r.Components, btn)
		}
		out = append(out, r)
	}
	if len(out) > 5 {
		return nil, fmt.Errorf("discord: %d rows of buttons, Discord allows 5", len(out))
	}
	return out, nil
}

func poll(p *bot.Poll) *discordgo.Poll {
	hours := p.Duration
	if hours <= 0 {
		hours = 24
	}
	if hours > 32*24 {
		hours = 32 * 24
	}
	out := &discordgo.Poll{
		Question:         discordgo.PollMedia{Text: truncate(p.Question, maxPollText)},
		AllowMultiselect: p.Multi,
		LayoutType:       discordgo.PollLayoutTypeDefault,
		Duration:         hours,
	}
	for _, o := range p.Options {
		out.Answers = append(out.Answers, discordgo.PollAnswer{Media: &discordgo.PollMedia{Text: truncate(o, maxPollAnswer)}})
	}
	return out
}

// channelOf is the channel a ChatRef sends to: the thread, else the
// channel, else (for DM channels written as discord:<id>) the space.
func channelOf(to bot.ChatRef) (string, error) {
	switch {
	case to.Platform != bot.Discord:
		return "", fmt.Errorf("discord: cannot send to %s", to)
	case to.Thread != "":
		return to.Thread, nil
	case to.Chat != "":
		return to.Chat, nil
	case to.Space != "":
		return to.Space, nil
	}
	return "", fmt.Errorf("discord: %s names no channel", to)
}

// Send posts msg to a channel (or thread) and returns the last message sent.
func (a *Adapter) Send(ctx context.Context, to bot.ChatRef, msg bot.Outgoing) (bot.MessageRef, error) {
	ch, err := channelOf(to)
	if err != nil {
		return bot.MessageRef{}, err
	}
	return a.sendTo(ctx, to, ch, msg)
}

func (a *Adapter) sendTo(ctx context.Context, to bot.ChatRef, channelID string, msg bot.Outgoing) (bot.MessageRef, error) {
	parts, err := buildMessages(channelID, msg)
	if err != nil {
		return bot.MessageRef{}, err
	}
	var ref bot.MessageRef
	for _, p := range parts {
		m, err := a.s.ChannelMessageSendComplex(channelID, p, discordgo.WithContext(ctx))
		if err != nil {
			return ref, wrapErr("send message", err)
		}
		ref = bot.MessageRef{Chat: to, ID: m.ID}
	}
	if msg.Pin {
		if err := a.s.ChannelMessagePin(channelID, ref.ID, discordgo.WithContext(ctx)); err != nil {
			return ref, wrapErr("pin message", err)
		}
	}
	return ref, nil
}

// wrapErr names the action and maps Discord's "cannot send messages to this
// user" (50007) to bot.ErrCannotDM.
func wrapErr(action string, err error) error {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Message != nil {
		if re.Message.Code == discordgo.ErrCodeCannotSendMessagesToThisUser {
			return fmt.Errorf("discord: %s: %w (%s)", action, bot.ErrCannotDM, re.Message.Message)
		}
		return fmt.Errorf("discord: %s: %d %s", action, re.Message.Code, re.Message.Message)
	}
	return fmt.Errorf("discord: %s: %w", action, err)
}
