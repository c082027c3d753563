package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/cohortbot/cohort/bot"
	"github.com/rs/zerolog"
)

// Intents are the gateway intents the adapter asks for. Message content
// and server members are privileged: enable them for the application in
// the developer portal.
const Intents = discordgo.IntentGuilds |
	discordgo.IntentGuildMessages |
	discordgo.IntentMessageContent |
	discordgo.IntentGuildMembers |
	discordgo.IntentGuildMessageReactions |
	discordgo.IntentGuildMessagePolls |
	discordgo.IntentDirectMessages

// GlobalRate is the proactive limit on REST requests per second across all
// routes; Discord's global limit is 50.
const GlobalRate = 50

// Adapter connects the bot with Discord: it turns gateway events into
// bot.Events and bot.Outgoing messages into REST calls. Create it with New.
type Adapter struct {
	cfg Config
	log zerolog.Logger
	s   *discordgo.Session
	c   *cache
	tr  *transport

	connected atomic.Bool // READY or RESUMED seen, and no disconnect since

	mu       sync.Mutex
	cmds     []bot.CommandInfo
	byName   map[string]bot.CommandInfo
	appID    string
	botID    string
	handler  bot.Handler
	ctx      context.Context
	closed   bool // set when Run stops: no more handlers start
	wg       sync.WaitGroup
	lanes    bot.Lanes
	register sync.Once
	dms      map[string]string         // user id -> DM channel id
	invites  map[string]map[string]int // guild -> code -> uses
}

// New builds a Discord adapter. It validates the configuration but does not
// connect: Run does.
func New(cfg Config, log zerolog.Logger) (*Adapter, error) {
	cfg.Defaults()
	if !cfg.Enabled() {
		return nil, errors.New("discord.token: not set")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s, err := discordgo.New("Bot " + strings.TrimPrefix(cfg.Token, "Bot "))
	if err != nil {
		return nil, fmt.Errorf("discord: %w", err)
	}
	tr, err := newTransport(cfg.APIURL, GlobalRate)
	if err != nil {
		return nil, fmt.Errorf("discord.api_url: %w", err)
	}
	s.Client = &http.Client{Transport: tr, Timeout: 20 * time.Second}
	s.Identify.Intents = Intents
	s.ShardID, s.ShardCount = cfg.ShardID, cfg.ShardCount
	s.LogLevel = discordgo.LogError
	s.StateEnabled = false // see cache
	// Handlers run on the gateway's reading goroutine, in the order events
	// arrive; deliver moves the work to per-chat lanes at once.
	s.SyncEvents = true
	a := &Adapter{
		tr:      tr,
		cfg:     cfg,
		log:     log.With().Str("platform", bot.Discord).Logger(),
		s:       s,
		c:       newCache(),
		appID:   cfg.ApplicationID,
		byName:  map[string]bot.CommandInfo{},
		dms:     map[string]string{},
		invites: map[string]map[string]int{},
	}
	return a, nil
}

// Platform returns "discord".
func (a *Adapter) Platform() string { return bot.Discord }

// Session is the underlying discordgo session, for what the adapter does
// not cover.
func (a *Adapter) Session() *discordgo.Session { return a.s }

// SetCommands records the commands to publish as application commands
// after the gateway is ready.
func (a *Adapter) SetCommands(cmds []bot.CommandInfo) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.cmds = cmds
	a.byName = map[string]bot.CommandInfo{}
	for _, c := range cmds {
		a.byName[commandName(c.Name)] = c
	}
}

// Run connects to the gateway and delivers events to h until ctx is
// cancelled. It returns an error when the first connection fails (a bad
// token, a refused intent).
func (a *Adapter) Run(ctx context.Context, h bot.Handler) error {
	a.mu.Lock()
	a.handler, a.ctx = h, ctx
	a.mu.Unlock()
	remove := append(a.c.watch(a.s),
		a.s.AddHandler(a.onReady),
		a.s.AddHandler(a.onGuildCreate),
		a.s.AddHandler(a.onMessageCreate),
		a.s.AddHandler(a.onInteractionCreate),
		a.s.AddHandler(a.onMemberAdd),
		a.s.AddHandler(a.onMemberRemove),
		a.s.AddHandler(a.onPollVoteAdd),
		a.s.AddHandler(a.onPollVoteRemove),
		a.s.AddHandler(a.onReactionAdd),
		a.s.AddHandler(func(*discordgo.Session, *discordgo.Resumed) { a.connected.Store(true) }),
		a.s.AddHandler(func(*discordgo.Session, *discordgo.Disconnect) { a.connected.Store(false) }),
	)
	defer func() {
		for _, r := range remove {
			r()
		}
	}()
	if err := a.s.Open(); err != nil {
		return fmt.Errorf("discord: connecting to the gateway: %w", err)
	}
	a.log.Info().Int("shard", a.cfg.ShardID).Int("shards", a.cfg.ShardCount).Msg("connected to the gateway")
	<-ctx.Done()
	a.waitFirstHeartbeat()
	err := a.s.Close()
	a.mu.Lock()
	a.closed = true
	a.mu.Unlock()
	a.wg.Wait()
	if err != nil {
		return fmt.Errorf("discord: closing the gateway: %w", err)
	}
	return nil
}

// waitFirstHeartbeat waits (briefly) until the session has sent its first
// heartbeat. discordgo's heartbeat goroutine writes once without checking
// for a close; if Close wins that race, the failed write makes discordgo
// reconnect on its own after Run has returned.
func (a *Adapter) waitFirstHeartbeat() {
	for i := 0; i < 300; i++ {
		a.s.RLock()
		ready := a.s.DataReady
		a.s.RUnlock()
		if ready {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// deliver hands ev to the bot's handler on the lane of its chat: one
// chat's events are handled one at a time in the order the gateway sent
// them, never on the gateway's reading goroutine, and Run waits for them.
// then, if given, runs on the same lane after the handler. It reports
// false when Run has stopped and ev was dropped.
func (a *Adapter) deliver(ev *bot.Event, then ...func()) bool {
	return a.onLane(ev.Chat.WithoutThread().String(), func(ctx context.Context, h bot.Handler) {
		h(ctx, ev)
		for _, f := range then {
			f()
		}
	})
}

// onLane runs fn on key's lane with the bot's handler, unless Run has
// stopped (then it reports false); Run waits for it.
func (a *Adapter) onLane(key string, fn func(ctx context.Context, h bot.Handler)) bool {
	a.mu.Lock()
	h, ctx := a.handler, a.ctx
	if h == nil || a.closed || ctx.Err() != nil {
		a.mu.Unlock()
		return false
	}
	a.wg.Add(1)
	a.mu.Unlock()
	a.lanes.Do(key, func() {
		defer a.wg.Done()
		fn(ctx, h)
	})
	return true
}

// runCtx is the context of Run (Background before Run).
func (a *Adapter) runCtx() context.Context {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.ctx == nil {
		return context.Background()
	}
	return a.ctx
}

func (a *Adapter) onReady(s *discordgo.Session, r *discordgo.Ready) {
	a.mu.Lock()
	if a.appID == "" && r.Application != nil {
		a.appID = r.Application.ID
	}
	if r.User != nil {
		a.botID = r.User.ID
	}
	a.mu.Unlock()
	a.connected.Store(true)
	a.log.Info().Int("guilds", len(r.Guilds)).Msg("gateway ready")
	a.register.Do(func() {
		a.mu.Lock()
		if a.closed {
			a.mu.Unlock()
			return
		}
		a.wg.Add(1)
		a.mu.Unlock()
		go func() {
			defer a.wg.Done()
			if err := a.registerCommands(a.runCtx()); err != nil {
				a.log.Error().Err(err).Msg("registering slash commands failed")
			}
		}()
	})
}

func (a *Adapter) onGuildCreate(s *discordgo.Session, g *discordgo.GuildCreate) {
	if g.Guild == nil {
		return
	}
	// A REST call: keep it off the gateway's reading goroutine.
	a.onLane("invites:"+g.ID, func(context.Context, bot.Handler) { a.snapshotInvites(g.ID) })
}

// account turns a Discord user (and member, if known) into a bot.Account.
func account(u *discordgo.User, m *discordgo.Member) bot.Account {
	if u == nil && m != nil {
		u = m.User
	}
	if u == nil {
		return bot.Account{Platform: bot.Discord}
	}
	acct := bot.Account{Platform: bot.Discord, ID: u.ID, Username: u.Username, Name: u.GlobalName, IsBot: u.Bot}
	if m != nil && m.Nick != "" {
		acct.Name = m.Nick
	}
	if acct.Name == "" {
		acct.Name = u.Username
	}
	return acct
}

// chatRef names a channel: guild channels are discord:<guild>/<channel>,
// threads add #<thread> to their parent channel, DMs are discord:<channel>.
func (a *Adapter) chatRef(guildID, channelID string) bot.ChatRef {
	ref := bot.ChatRef{Platform: bot.Discord, Space: guildID, Chat: channelID}
	if guildID == "" {
		return ref
	}
	if parent, ok := a.c.parent(channelID); ok {
		ref.Chat, ref.Thread = parent, channelID
	}
	return ref
}

func (a *Adapter) onMessageCreate(s *discordgo.Session, m *discordgo.MessageCreate) {
	if ev := a.messageEvent(m); ev != nil {
		a.deliver(ev)
	}
}

// messageEvent turns MESSAGE_CREATE into a message or prefix-command event,
// or nil for messages the bot ignores (its own, other bots', webhooks',
// system messages).
func (a *Adapter) messageEvent(m *discordgo.MessageCreate) *bot.Event {
	if m == nil || m.Message == nil || m.Author == nil || m.Author.Bot || m.WebhookID != "" {
		return nil
	}
	if m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply {
		return nil
	}
	ev := &bot.Event{
		Kind:      bot.EventMessage,
		Chat:      a.chatRef(m.GuildID, m.ChannelID),
		Private:   m.GuildID == "",
		From:      account(m.Author, m.Member),
		MessageID: m.ID,
		Text:      m.Content,
		Time:      m.Timestamp,
	}
	for _, u := range m.Mentions {
		if u != nil {
			ev.Mentions = append(ev.Mentions, account(u, nil))
		}
	}
	if m.MessageReference != nil && m.MessageReference.MessageID != "" {
		ev.ReplyTo = &bot.MessageRef{Chat: ev.Chat, ID: m.MessageReference.MessageID}
		if m.ReferencedMessage != nil && m.ReferencedMessage.Author != nil {
			from := account(m.ReferencedMessage.Author, m.ReferencedMessage.Member)
			ev.ReplyToFrom = &from
		}
	}
	if inv, ok := bot.ParseCommand(m.Content, a.cfg.Prefix, ""); ok && strings.HasPrefix(strings.TrimSpace(m.Content), a.cfg.Prefix) {
		ev.Kind = bot.EventCommand
		ev.Command = &inv
	}
	return ev
}

func (a *Adapter) onMemberAdd(s *discordgo.Session, m *discordgo.GuildMemberAdd) {
	if m.Member == nil || m.User == nil {
		return
	}
	// Finding the welcome channel and the invite may take REST calls: do
	// it on the guild's membership lane, off the gateway's goroutine.
	a.onLane("members:"+m.GuildID, func(ctx context.Context, h bot.Handler) {
		ev := &bot.Event{Kind: bot.EventMemberJoined, Chat: a.welcomeChat(m.GuildID), From: account(m.User, m.Member), Time: m.JoinedAt}
		ev.Invite = a.usedInvite(m.GuildID)
		h(ctx, ev)
	})
}

func (a *Adapter) onMemberRemove(s *discordgo.Session, m *discordgo.GuildMemberRemove) {
	if m.Member == nil || m.User == nil {
		return
	}
	a.c.removeMember(m.GuildID, m.User.ID)
	a.onLane("members:"+m.GuildID, func(ctx context.Context, h bot.Handler) {
		h(ctx, &bot.Event{Kind: bot.EventMemberLeft, Chat: a.welcomeChat(m.GuildID), From: account(m.User, nil)})
	})
}

// welcomeChat is where join and leave events happen: the guild's system
// channel when it has one, else the guild itself.
func (a *Adapter) welcomeChat(guildID string) bot.ChatRef {
	ref := bot.ChatRef{Platform: bot.Discord, Space: guildID}
	_, system, ok := a.c.owner(guildID)
	if !ok {
		// Handlers run concurrently: GUILD_CREATE may not be cached yet.
		if g, err := a.s.Guild(guildID, discordgo.WithContext(a.runCtx())); err == nil {
			a.c.putGuild(g)
			system = g.SystemChannelID
		}
	}
	ref.Chat = system
	return ref
}

// memberAccount looks up a user id in the state to name it.
func (a *Adapter) memberAccount(guildID, userID string) bot.Account {
	if guildID != "" {
		if m, ok := a.c.member(guildID, userID); ok {
			return m.acct
		}
	}
	return bot.Account{Platform: bot.Discord, ID: userID}
}

func (a *Adapter) pollVote(guildID, channelID, messageID, userID string, answerID int, added bool) {
	chat := a.chatRef(guildID, channelID)
	a.deliver(&bot.Event{
		Kind:      bot.EventPollVote,
		Chat:      chat,
		Private:   guildID == "",
		From:      a.memberAccount(guildID, userID),
		MessageID: messageID,
		Poll: &bot.PollVote{
			PollID:  messageID,
			Message: bot.MessageRef{Chat: chat, ID: messageID},
			Options: []int{answerID - 1},
			Added:   added,
			Partial: true,
		},
	})
}

func (a *Adapter) onPollVoteAdd(s *discordgo.Session, v *discordgo.MessagePollVoteAdd) {
	a.pollVote(v.GuildID, v.ChannelID, v.MessageID, v.UserID, v.AnswerID, true)
}

func (a *Adapter) onPollVoteRemove(s *discordgo.Session, v *discordgo.MessagePollVoteRemove) {
	a.pollVote(v.GuildID, v.ChannelID, v.MessageID, v.UserID, v.AnswerID, false)
}

func (a *Adapter) onReactionAdd(s *discordgo.Session, r *discordgo.MessageReactionAdd) {
	if r.MessageReaction == nil {
		return
	}
	from := a.memberAccount(r.GuildID, r.UserID)
	if r.Member != nil && r.Member.User != nil {
		from = account(r.Member.User, r.Member)
	}
	if from.IsBot || from.ID == a.botUser() {
		return
	}
	emoji := r.Emoji.Name
	if r.Emoji.ID != "" {
		emoji = r.Emoji.Name + ":" + r.Emoji.ID
	}
	a.deliver(&bot.Event{
		Kind:      bot.EventReaction,
		Chat:      a.chatRef(r.GuildID, r.ChannelID),
		Private:   r.GuildID == "",
		From:      from,
		MessageID: r.MessageID,
		Emoji:     emoji,
	})
}

func (a *Adapter) botUser() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.botID
}

func (a *Adapter) applicationID() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.appID
}

// snowflakeTime is the creation time encoded in a Discord id.
func snowflakeTime(id string) time.Time {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return time.Time{}
	}
	return time.UnixMilli(n>>22 + 1420070400000)
}

// SetMetrics reports REST requests in flight and 429 answers to m. Call it
// before Run.
func (a *Adapter) SetMetrics(m bot.OutboundMetrics) { a.tr.metrics = m }

// Ready reports whether the gateway session is up.
func (a *Adapter) Ready() error {
	if !a.connected.Load() {
		return errors.New("discord gateway not connected")
	}
	return nil
}
