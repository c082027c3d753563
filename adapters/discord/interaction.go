package discord

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/cohortbot/cohort/bot"
)

func (a *Adapter) onInteractionCreate(s *discordgo.Session, ic *discordgo.InteractionCreate) {
	if ic == nil || ic.Interaction == nil {
		return
	}
	i := ic.Interaction
	ev, slow, ok := a.interactionEvent(i)
	if !ok {
		return // pings and autocomplete are not events of the bot
	}
	r := &responder{a: a, i: i, chat: ev.Chat, component: i.Type == discordgo.InteractionMessageComponent}
	ev.Responder = r
	r.start(slow)
	if !a.deliver(ev, r.finish) {
		r.mu.Lock()
		r.stopTimer() // shutting down: no "thinking…" for a handler that never runs
		r.mu.Unlock()
	}
}

// interactionEvent turns a slash command, button press or modal submission
// into an event (without its Responder), and tells whether the command is
// slow (to be deferred at once). ok is false for other interactions.
func (a *Adapter) interactionEvent(i *discordgo.Interaction) (ev *bot.Event, slow, ok bool) {
	ev = &bot.Event{
		Chat:    a.chatRef(i.GuildID, i.ChannelID),
		Private: i.GuildID == "",
		From:    account(i.User, i.Member),
		Time:    snowflakeTime(i.ID),
	}
	ev.From.Lang = string(i.Locale)
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		data, isCmd := i.Data.(discordgo.ApplicationCommandInteractionData)
		if !isCmd || !validCommandName(data.Name) {
			return nil, false, false
		}
		a.mu.Lock()
		info, known := a.byName[data.Name]
		a.mu.Unlock()
		inv, mentions := invocation(data, info, known)
		ev.Kind, ev.Command, ev.Mentions = bot.EventCommand, &inv, mentions
		ev.Text = strings.TrimSpace("/" + inv.Name + " " + inv.RawArgs)
		slow = info.Slow
	case discordgo.InteractionMessageComponent:
		data, isComp := i.Data.(discordgo.MessageComponentInteractionData)
		if !isComp {
			return nil, false, false
		}
		ev.Kind, ev.Data = bot.EventButton, data.CustomID
		if i.Message != nil {
			ev.MessageID = i.Message.ID
		}
	case discordgo.InteractionModalSubmit:
		data, isModal := i.Data.(discordgo.ModalSubmitInteractionData)
		if !isModal {
			return nil, false, false
		}
		values := modalValues(data.Components)
		if line, ok := strings.CutPrefix(data.CustomID, "/"); ok {
			// The form's id is the command line it completes: "/feedback bug".
			name, lead, _ := strings.Cut(line, " ")
			if !validCommandName(name) {
				return nil, false, false // forged: the bot names its forms after commands
			}
			args := append(strings.Fields(lead), values...)
			inv := bot.Invocation{Name: strings.ToLower(name), Args: args, RawArgs: strings.TrimSpace(lead + " " + strings.Join(values, " "))}
			ev.Kind, ev.Command = bot.EventCommand, &inv
		} else {
			ev.Kind, ev.Data = bot.EventButton, data.CustomID
		}
		ev.Text = strings.Join(values, "\n")
	default:
		return nil, false, false
	}
	return ev, slow, true
}

// validCommandName reports whether a command name from an interaction can
// name a command at all: not empty, no spaces, no "@" or "/".
func validCommandName(name string) bool {
	return name != "" && len(name) <= 64 && !strings.ContainsAny(name, " \t\r\n@/")
}

// invocation builds the command from typed options, in the order the
// command declares its arguments; user options become <@id> mentions.
func invocation(data discordgo.ApplicationCommandInteractionData, info bot.CommandInfo, known bool) (bot.Invocation, []bot.Account) {
	inv := bot.Invocation{Name: strings.ToLower(data.Name)}
	if known {
		inv.Name = strings.ToLower(info.Name)
	}
	byName := map[string]*discordgo.ApplicationCommandInteractionDataOption{}
	for _, o := range data.Options {
		byName[o.Name] = o
	}
	type ordered struct {
		opt  *discordgo.ApplicationCommandInteractionDataOption
		text bool
	}
	var opts []ordered
	for _, arg := range info.Args {
		if o := byName[commandName(arg.Name)]; o != nil {
			opts = append(opts, ordered{o, arg.Kind == bot.ArgText})
			delete(byName, o.Name)
		}
	}
	for _, o := range data.Options {
		if byName[o.Name] != nil {
			opts = append(opts, ordered{o, false})
		}
	}
	var raw []string
	var mentions []bot.Account
	for _, o := range opts {
		var v string
		switch o.opt.Type {
		case discordgo.ApplicationCommandOptionUser:
			id := fmt.Sprint(o.opt.Value)
			v = "<@" + id + ">"
			var u *discordgo.User
			var m *discordgo.Member
			if data.Resolved != nil {
				u, m = data.Resolved.Users[id], data.Resolved.Members[id]
			}
			if u == nil {
				u = &discordgo.User{ID: id}
			}
			mentions = append(mentions, account(u, m))
		case discordgo.ApplicationCommandOptionInteger:
			if f, ok := o.opt.Value.(float64); ok {
				v = strconv.FormatInt(int64(f), 10)
			} else {
				v = fmt.Sprint(o.opt.Value)
			}
		default:
			v = fmt.Sprint(o.opt.Value)
		}
		switch {
		case o.text:
			inv.Args = append(inv.Args, strings.Fields(v)...)
			raw = append(raw, v)
		default:
			inv.Args = append(inv.Args, v)
			raw = append(raw, quoteArg(v))
		}
	}
	inv.RawArgs = strings.TrimSpace(strings.Join(raw, " "))
	return inv, mentions
}

// quoteArg quotes a value with spaces so RawArgs splits like typed text.
func quoteArg(v string) string {
	if !strings.ContainsAny(v, " \t\n") && v != "" {
		return v
	}
	switch {
	case !strings.Contains(v, `"`):
		return `"` + v + `"`
	case !strings.Contains(v, "'"):
		return "'" + v + "'"
	}
	return "「" + v + "」"
}

func modalValues(rows []discordgo.MessageComponent) []string {
	var out []string
	for _, c := range rows {
		row, ok := c.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, in := range row.Components {
			if t, ok := in.(*discordgo.TextInput); ok {
				out = append(out, t.Value)
			}
		}
	}
	return out
}

// Interaction answer states.
const (
	pending = iota
	answered
	deferred
)

// responder answers one interaction: at once when the handler replies
// within cfg.DeferAfter, else with a deferred response and follow-ups.
type responder struct {
	a         *Adapter
	i         *discordgo.Interaction
	chat      bot.ChatRef
	component bool

	mu      sync.Mutex
	state   int
	replied bool
	timer   *time.Timer
}

var (
	_ bot.Responder          = (*responder)(nil)
	_ bot.FormResponder      = (*responder)(nil)
	_ bot.EphemeralResponder = (*responder)(nil)
)

func (r *responder) start(now bool) {
	if now {
		// Off the gateway's goroutine: the REST call may be retried.
		go r.deferResponse()
		return
	}
	r.mu.Lock()
	r.timer = time.AfterFunc(r.a.cfg.DeferAfter, r.deferResponse)
	r.mu.Unlock()
}

func (r *responder) stopTimer() {
	if r.timer != nil {
		r.timer.Stop()
	}
}

// deferResponse acknowledges the interaction so the handler may take up to
// 15 minutes: "thinking…" for commands, a silent update for buttons.
func (r *responder) deferResponse() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.state != pending {
		return
	}
	typ := discordgo.InteractionResponseDeferredChannelMessageWithSource
	if r.component {
		typ = discordgo.InteractionResponseDeferredMessageUpdate
	}
	if err := r.a.s.InteractionRespond(r.i, &discordgo.InteractionResponse{Type: typ}, discordgo.WithContext(r.a.runCtx())); err != nil {
		r.a.log.Warn().Err(wrapErr("deferring interaction", err)).Msg("interaction not acknowledged")
		return
	}
	r.state = deferred
}

// Respond answers the interaction with msg: as its response while none was
// sent, otherwise as a follow-up message.
// Ephemeral reports that answers marked Ephemeral are shown to the caller
// alone.
func (r *responder) Ephemeral() bool { return true }

// Respond answers the interaction (or follows up a deferred one).
func (r *responder) Respond(ctx context.Context, msg bot.Outgoing) (bot.MessageRef, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stopTimer()
	msg.ReplyTo = ""
	parts, err := buildMessages(r.i.ChannelID, msg)
	if err != nil {
		return bot.MessageRef{}, err
	}
	ref := bot.MessageRef{Chat: r.chat}
	for n, p := range parts {
		if n == 0 && r.state == pending {
			err := r.a.s.InteractionRespond(r.i, &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: responseData(p, msg.Ephemeral),
			}, discordgo.WithContext(ctx))
			if err != nil {
				if isCode(err, discordgo.ErrCodeUnknownInteraction) {
					// Too late to answer in place: post in the channel instead.
					r.replied = true
					return r.a.Send(ctx, r.chat, msg)
				}
				return ref, wrapErr("answering interaction", err)
			}
			r.state, r.replied = answered, true
			if msg.Poll != nil || msg.Pin {
				if m, err := r.a.s.InteractionResponse(r.i, discordgo.WithContext(ctx)); err == nil {
					ref.ID = m.ID
				}
			}
			continue
		}
		r.replied = true
		if p.Poll != nil {
			// Webhook follow-ups cannot carry polls in discordgo: post it.
			m, err := r.a.s.ChannelMessageSendComplex(r.i.ChannelID, p, discordgo.WithContext(ctx))
			if err != nil {
				return ref, wrapErr("send poll", err)
			}
			ref.ID = m.ID
			continue
		}
		m, err := r.a.s.FollowupMessageCreate(r.i, true, webhookParams(p, msg.Ephemeral), discordgo.WithContext(ctx))
		if err != nil {
			return ref, wrapErr("follow-up message", err)
		}
		ref.ID = m.ID
	}
	if msg.Pin && ref.ID != "" {
		if err := r.a.s.ChannelMessagePin(r.i.ChannelID, ref.ID, discordgo.WithContext(ctx)); err != nil {
			return ref, wrapErr("pin message", err)
		}
	}
	return ref, nil
}

// finish runs after the handler: an interaction nobody answered is still
// acknowledged, and a "thinking…" that got no follow-up is removed.
func (r *responder) finish() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stopTimer()
	ctx := r.a.runCtx()
	var err error
	switch {
	case r.state == pending && r.component:
		err = r.a.s.InteractionRespond(r.i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}, discordgo.WithContext(ctx))
	case r.state == pending:
		err = r.a.s.InteractionRespond(r.i, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: "✅", Flags: discordgo.MessageFlagsEphemeral,
				AllowedMentions: &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}},
		}, discordgo.WithContext(ctx))
	case r.state == deferred && !r.replied && !r.component:
		err = r.a.s.InteractionResponseDelete(r.i, discordgo.WithContext(ctx))
	}
	if err != nil {
		r.a.log.Warn().Err(wrapErr("acknowledging interaction", err)).Msg("interaction not acknowledged")
		return
	}
	if r.state == pending {
		r.state = answered
	}
}

func responseData(p *discordgo.MessageSend, ephemeral bool) *discordgo.InteractionResponseData {
	d := &discordgo.InteractionResponseData{
		Content:         p.Content,
		Components:      p.Components,
		Embeds:          p.Embeds,
		AllowedMentions: p.AllowedMentions,
		Files:           p.Files,
		Poll:            p.Poll,
	}
	if d.Components == nil {
		d.Components = []discordgo.MessageComponent{}
	}
	if d.Embeds == nil {
		d.Embeds = []*discordgo.MessageEmbed{}
	}
	if ephemeral {
		d.Flags = discordgo.MessageFlagsEphemeral
	}
	return d
}

func webhookParams(p *discordgo.MessageSend, ephemeral bool) *discordgo.WebhookParams {
	w := &discordgo.WebhookParams{
		Content:         p.Content,
		Components:      p.Components,
		Embeds:          p.Embeds,
		AllowedMentions: p.AllowedMentions,
		Files:           p.Files,
	}
	if w.Components == nil {
		w.Components = []discordgo.MessageComponent{}
	}
	if ephemeral {
		w.Flags = discordgo.MessageFlagsEphemeral
	}
	return w
}

func isCode(err error, code int) bool {
	var re *discordgo.RESTError
	return errors.As(err, &re) && re.Message != nil && re.Message.Code == code
}

// OpenForm answers the interaction with a modal. It must be the first
// answer to the event. The submission comes back as an EventCommand for
// the command line in f.ID (e.g. "/feedback suggestion") with the field
// values appended as arguments.
func (r *responder) OpenForm(ctx context.Context, f bot.Form) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.state != pending {
		return errors.New("discord: a form must be the first answer to an interaction")
	}
	r.stopTimer()
	var rows []discordgo.MessageComponent
	for _, fl := range f.Fields {
		style := discordgo.TextInputShort
		if fl.Long {
			style = discordgo.TextInputParagraph
		}
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{
			CustomID: fl.ID, Label: truncate(fl.Label, 45), Style: style, Placeholder: truncate(fl.Placeholder, 100),
			Required: fl.Required, MaxLength: fl.MaxLength,
		}}})
	}
	err := r.a.s.InteractionRespond(r.i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseModal,
		Data: &discordgo.InteractionResponseData{CustomID: truncate(f.ID, 100), Title: truncate(f.Title, 45), Components: rows},
	}, discordgo.WithContext(ctx))
	if err != nil {
		return wrapErr("opening modal", err)
	}
	r.state, r.replied = answered, true
	return nil
}
