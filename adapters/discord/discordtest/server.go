package discordtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Well-known ids of the world every Server starts with.
const (
	Token         = "test-bot-token"     // the bot token the server accepts ("Bot " + Token)
	AppID         = "900000000000000001" // the application id (also the bot user's id)
	BotID         = AppID
	GuildID       = "100000000000000001"
	ChannelID     = "300000000000000001" // #general, a text channel and the guild's system channel
	ThreadID      = "300000000000000002" // a public thread under #general
	OwnerID       = "200000000000000001" // the guild owner
	AdminID       = "200000000000000002" // holds AdminRoleID (Administrator)
	ModeratorID   = "200000000000000003" // holds ModRoleID (Manage Server)
	MemberID      = "200000000000000004" // a member with no roles
	AdminRoleID   = "400000000000000001"
	ModRoleID     = "400000000000000002"
	TierRoleID    = "400000000000000003" // a plain role without permissions, for tier tests
	PermAdmin     = 1 << 3               // ADMINISTRATOR
	PermManage    = 1 << 5               // MANAGE_GUILD
	everyonePerms = 1<<10 | 1<<11 | 1<<16 | 1<<31
)

// Gateway intents, as documented.
const (
	IntentGuilds                = 1 << 0
	IntentGuildMembers          = 1 << 1 // privileged
	IntentGuildMessages         = 1 << 9
	IntentGuildMessageReactions = 1 << 10
	IntentDirectMessages        = 1 << 12
	IntentMessageContent        = 1 << 15 // privileged
	IntentGuildMessagePolls     = 1 << 24
	privilegedIntents           = IntentGuildMembers | 1<<8 | IntentMessageContent
	knownIntents                = 1<<26 - 1
)

// Request is one REST request the server received.
type Request struct {
	Method string
	Path   string // e.g. /api/v9/channels/300000000000000001/messages
	Query  url.Values
	Header http.Header
	// Body is the JSON body; for multipart requests, the payload_json part.
	Body  []byte
	Files []File
	// Status is the status code the server answered with.
	Status int
	// Time is when the server received the request.
	Time time.Time
}

// Decode unmarshals the JSON body into v.
func (r Request) Decode(v any) error { return json.Unmarshal(r.Body, v) }

// JSON returns the body as a generic JSON object (nil if it is not one).
func (r Request) JSON() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(r.Body, &m)
	return m
}

// File is one attachment of a multipart request.
type File struct {
	Field       string // files[0], ...
	Name        string
	ContentType string
	Data        []byte
}

// Failure is an error answer injected with FailNext.
type Failure struct {
	Status  int    // HTTP status
	Code    int    // Discord JSON error code
	Message string // error message
	// RetryAfter (seconds) makes the failure a 429 rate limit.
	RetryAfter float64
	Global     bool
}

// RateLimited is a 429 answer asking the client to wait retryAfter seconds.
func RateLimited(retryAfter float64) Failure {
	return Failure{Status: http.StatusTooManyRequests, Message: "You are being rate limited.", RetryAfter: retryAfter}
}

// NotFound is a 404 answer with a Discord error code, e.g. 10003 Unknown Channel.
func NotFound(code int, message string) Failure {
	return Failure{Status: http.StatusNotFound, Code: code, Message: message}
}

type failure struct {
	method, pattern string
	f               Failure
}

// Server is a fake Discord REST API and gateway.
type Server struct {
	// URL is the base URL that replaces https://discord.com/ (with a trailing slash).
	URL string
	// GatewayURL is the websocket URL returned by GET /api/v9/gateway.
	GatewayURL string
	// HeartbeatInterval is sent in HELLO, in milliseconds (default 41250).
	HeartbeatInterval int
	// InteractionTimeout is how long an interaction token accepts its
	// initial response (default 3 s, as documented).
	InteractionTimeout time.Duration
	// PrivilegedIntents are the privileged intents enabled for the
	// application in the developer portal (default: all of them).
	PrivilegedIntents int

	t   testing.TB
	hs  *httptest.Server
	ids atomic.Int64

	mu       sync.Mutex
	changed  chan struct{}
	requests []Request
	failures []failure
	blocked  map[string]bool // users refusing DMs
	// pendingFiles are the files of the request being served.
	pendingFiles []File

	users        map[string]map[string]any
	guilds       map[string]*guild
	channels     map[string]map[string]any
	messages     map[string]map[string]any
	interactions map[string]*interaction // by token
	commands     map[string][]map[string]any
	invites      map[string]map[string]any // by code
	bans         map[string]map[string]string

	gw gatewayState
}

type guild struct {
	obj     map[string]any
	roles   []map[string]any
	members map[string]map[string]any
	order   []string
}

type interaction struct {
	id, token string
	channel   string
	created   time.Time
	response  map[string]any // nil until answered
	original  string         // message id of the original response
}

// NewServer starts a fake Discord with the default world; it is closed
// when the test ends.
func NewServer(t testing.TB) *Server {
	t.Helper()
	s := newServer(t)
	s.start(httptest.NewServer(s.routes()))
	t.Cleanup(s.Close)
	return s
}

// Listen starts a fake Discord with the default world on addr (e.g.
// "127.0.0.1:0") outside a test, for load generators and trying the bot by
// hand; Close stops it. Misuse that would fail a test (dispatching before
// the client identified, an unknown channel or user) panics instead.
func Listen(addr string) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := newServer(nil)
	hs := &httptest.Server{Listener: ln, Config: &http.Server{Handler: s.routes()}}
	hs.Start()
	s.start(hs)
	return s, nil
}

func newServer(t testing.TB) *Server {
	s := &Server{
		HeartbeatInterval:  41250,
		InteractionTimeout: 3 * time.Second,
		PrivilegedIntents:  privilegedIntents,
		t:                  t,
		changed:            make(chan struct{}),
		blocked:            map[string]bool{},
		users:              map[string]map[string]any{},
		guilds:             map[string]*guild{},
		channels:           map[string]map[string]any{},
		messages:           map[string]map[string]any{},
		interactions:       map[string]*interaction{},
		commands:           map[string][]map[string]any{},
		invites:            map[string]map[string]any{},
		bans:               map[string]map[string]string{},
	}
	s.ids.Store(1000)
	s.gw.sessions = map[string]*gwSession{}
	s.seed()
	return s
}

func (s *Server) start(hs *httptest.Server) {
	s.hs = hs
	s.URL = hs.URL + "/"
	s.GatewayURL = "ws" + strings.TrimPrefix(hs.URL, "http") + "/gateway"
}

// fatalf fails the test that created the server, or panics for a server
// started with Listen.
func (s *Server) fatalf(format string, args ...any) {
	if s.t == nil {
		panic(fmt.Sprintf(format, args...))
	}
	s.t.Helper()
	s.t.Fatalf(format, args...)
}

// Close stops the server and drops every gateway connection.
func (s *Server) Close() {
	s.mu.Lock()
	for _, c := range s.gw.conns {
		c.ws.Close()
	}
	s.mu.Unlock()
	s.hs.CloseClientConnections()
	s.hs.Close()
}

// Snowflake returns a new unique id in Discord's snowflake format.
func (s *Server) Snowflake() string {
	ms := time.Now().UnixMilli() - 1420070400000
	return strconv.FormatInt(ms<<22|s.ids.Add(1)&0x3fffff, 10)
}

func (s *Server) seed() {
	user := func(id, name string, bot bool) {
		s.users[id] = map[string]any{"id": id, "username": name, "global_name": strings.ToUpper(name[:1]) + name[1:], "discriminator": "0", "avatar": nil, "bot": bot}
	}
	user(BotID, "cohort", true)
	user(OwnerID, "olivia", false)
	user(AdminID, "adam", false)
	user(ModeratorID, "maria", false)
	user(MemberID, "mike", false)
	g := &guild{members: map[string]map[string]any{}}
	g.obj = map[string]any{
		"id": GuildID, "name": "ACME Solar", "owner_id": OwnerID, "icon": nil,
		"system_channel_id": ChannelID, "preferred_locale": "en-US", "features": []any{},
		"verification_level": 0, "mfa_level": 0, "premium_tier": 0,
	}
	role := func(id, name string, perms int64, pos int) map[string]any {
		return map[string]any{"id": id, "name": name, "permissions": strconv.FormatInt(perms, 10), "position": pos,
			"color": 0, "hoist": false, "managed": false, "mentionable": false, "flags": 0}
	}
	g.roles = []map[string]any{
		role(GuildID, "@everyone", everyonePerms, 0),
		role(AdminRoleID, "Admin", PermAdmin, 3),
		role(ModRoleID, "Moderator", PermManage, 2),
		role(TierRoleID, "Gold Backer", 0, 1),
	}
	s.guilds[GuildID] = g
	for id, roles := range map[string][]string{BotID: {AdminRoleID}, OwnerID: nil, AdminID: {AdminRoleID}, ModeratorID: {ModRoleID}, MemberID: nil} {
		s.addMember(g, id, roles)
	}
	s.channels[ChannelID] = map[string]any{"id": ChannelID, "type": 0, "guild_id": GuildID, "name": "general", "position": 0, "parent_id": nil, "nsfw": false}
	s.channels[ThreadID] = map[string]any{"id": ThreadID, "type": 11, "guild_id": GuildID, "name": "ama-questions", "parent_id": ChannelID, "owner_id": ModeratorID,
		"thread_metadata": map[string]any{"archived": false, "auto_archive_duration": 1440, "locked": false}}
}

func (s *Server) addMember(g *guild, id string, roles []string) map[string]any {
	if roles == nil {
		roles = []string{}
	}
	m := map[string]any{"user": s.users[id], "nick": nil, "roles": roles, "joined_at": time.Now().UTC().Format(time.RFC3339),
		"deaf": false, "mute": false, "flags": 0, "communication_disabled_until": nil}
	g.members[id] = m
	g.order = append(g.order, id)
	return m
}

// AddUser adds a user (not yet a member of the guild) and returns its id.
func (s *Server) AddUser(name string) string {
	id := s.Snowflake()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[id] = map[string]any{"id": id, "username": name, "global_name": name, "discriminator": "0", "avatar": nil, "bot": false}
	return id
}

// AddMember adds a user with no roles to the default guild, without a
// GUILD_MEMBER_ADD event (as if they had joined before the bot started),
// and returns the user's id.
func (s *Server) AddMember(name string) string {
	id := s.AddUser(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addMember(s.guilds[GuildID], id, nil)
	return id
}

// BlockDMs makes messages to the user's DM channel fail with error 50007,
// as when a user disables DMs from server members.
func (s *Server) BlockDMs(userID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked[userID] = true
}

// FailNext makes the next request matching method and pattern fail with f.
// A pattern is a path in which "*" matches one segment, e.g.
// "/api/v9/channels/*/messages"; an empty method or pattern matches any.
func (s *Server) FailNext(method, pattern string, f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, failure{method, pattern, f})
}

// Requests returns the recorded requests matching method and pattern (see
// FailNext), oldest first.
func (s *Server) Requests(method, pattern string) []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Request
	for _, r := range s.requests {
		if match(method, pattern, r.Method, r.Path) {
			out = append(out, r)
		}
	}
	return out
}

// WaitRequest waits until a request matching method, pattern and pred (nil
// accepts any) has been answered, and returns the first such request. The
// test fails after ten seconds.
func (s *Server) WaitRequest(t testing.TB, method, pattern string, pred func(Request) bool) Request {
	t.Helper()
	var found Request
	s.waitFor(t, fmt.Sprintf("%s %s", method, pattern), func() bool {
		for _, r := range s.requests {
			if match(method, pattern, r.Method, r.Path) && (pred == nil || pred(r)) {
				found = r
				return true
			}
		}
		return false
	})
	return found
}

// waitFor waits until cond, called with s.mu held, is true.
func (s *Server) waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		ok := cond()
		ch := s.changed
		s.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("discordtest: timed out waiting for %s", what)
		}
	}
}

// notify wakes waiters; s.mu must be held.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Commands returns the application commands last registered for a guild
// ("" for global commands).
func (s *Server) Commands(guildID string) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.commands[guildID]
}

// Message returns a message the bot sent (or nil).
func (s *Server) Message(id string) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.messages[id]
}

// Member returns a guild member object (or nil).
func (s *Server) Member(guildID, userID string) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	if g := s.guilds[guildID]; g != nil {
		return g.members[userID]
	}
	return nil
}

// Banned reports whether the user is banned from the guild.
func (s *Server) Banned(guildID, userID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.bans[guildID][userID]
	return ok
}

func match(method, pattern, gotMethod, path string) bool {
	if method != "" && method != gotMethod {
		return false
	}
	if pattern == "" {
		return true
	}
	ps, gs := strings.Split(strings.Trim(pattern, "/"), "/"), strings.Split(strings.Trim(path, "/"), "/")
	if len(ps) != len(gs) {
		return false
	}
	for i := range ps {
		if ps[i] != "*" && ps[i] != gs[i] {
			return false
		}
	}
	return true
}

// routes builds the REST API and the gateway endpoint.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/gateway", s.serveGateway)
	mux.HandleFunc("/gateway/", s.serveGateway)
	api := http.NewServeMux()
	h := func(pattern string, fn func(w *reply, r *http.Request, body []byte)) {
		api.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			s.serveREST(w, r, fn)
		})
	}
	h("GET /api/v9/gateway", func(w *reply, r *http.Request, _ []byte) { w.json(200, map[string]any{"url": s.GatewayURL}) })
	h("GET /api/v9/gateway/bot", s.gatewayBot)
	h("GET /api/v9/users/@me", func(w *reply, r *http.Request, _ []byte) { w.json(200, s.users[BotID]) })
	h("POST /api/v9/users/@me/channels", s.createDM)
	h("GET /api/v9/channels/{channel}", s.getChannel)
	h("POST /api/v9/channels/{channel}/messages", s.createMessage)
	h("PATCH /api/v9/channels/{channel}/messages/{message}", s.editMessage)
	h("DELETE /api/v9/channels/{channel}/messages/{message}", s.deleteMessage)
	h("PUT /api/v9/channels/{channel}/pins/{message}", s.pinMessage)
	h("POST /api/v9/channels/{channel}/polls/{message}/expire", s.expirePoll)
	h("POST /api/v9/channels/{channel}/invites", s.createInvite)
	h("GET /api/v9/guilds/{guild}", s.getGuild)
	h("GET /api/v9/guilds/{guild}/roles", s.getRoles)
	h("GET /api/v9/guilds/{guild}/invites", s.guildInvites)
	h("GET /api/v9/guilds/{guild}/members/{user}", s.getMember)
	h("PATCH /api/v9/guilds/{guild}/members/{user}", s.modifyMember)
	h("PUT /api/v9/guilds/{guild}/members/{user}/roles/{role}", s.memberRole)
	h("DELETE /api/v9/guilds/{guild}/members/{user}/roles/{role}", s.memberRole)
	h("PUT /api/v9/guilds/{guild}/bans/{user}", s.ban)
	h("DELETE /api/v9/guilds/{guild}/bans/{user}", s.unban)
	h("PUT /api/v9/applications/{app}/commands", s.overwriteCommands)
	h("PUT /api/v9/applications/{app}/guilds/{guild}/commands", s.overwriteCommands)
	h("POST /api/v9/interactions/{id}/{token}/callback", s.interactionCallback)
	h("POST /api/v9/webhooks/{app}/{token}", s.followup)
	h("GET /api/v9/webhooks/{app}/{token}/messages/{message}", s.webhookMessage)
	h("PATCH /api/v9/webhooks/{app}/{token}/messages/{message}", s.webhookMessage)
	h("DELETE /api/v9/webhooks/{app}/{token}/messages/{message}", s.webhookMessage)
	h("/api/", func(w *reply, r *http.Request, _ []byte) { w.fail(404, 0, "404: Not Found") })
	mux.Handle("/api/", api)
	return mux
}

// reply collects the answer of a REST handler.
type reply struct {
	w      http.ResponseWriter
	status int
}

func (w *reply) json(status int, v any) {
	w.status = status
	w.w.Header().Set("Content-Type", "application/json")
	w.w.WriteHeader(status)
	_ = json.NewEncoder(w.w).Encode(v)
}

func (w *reply) noContent() {
	w.status = http.StatusNoContent
	w.w.WriteHeader(http.StatusNoContent)
}

// fail writes a documented JSON error: {"code": 10003, "message": "Unknown Channel"}.
func (w *reply) fail(status, code int, message string) {
	w.json(status, map[string]any{"code": code, "message": message})
}

func (s *Server) serveREST(hw http.ResponseWriter, r *http.Request, fn func(w *reply, r *http.Request, body []byte)) {
	w := &reply{w: hw}
	rec := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Time: time.Now()}
	raw, _ := io.ReadAll(r.Body)
	rec.Body = raw
	if mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil && strings.HasPrefix(mt, "multipart/") {
		rec.Body = nil
		mr := multipart.NewReader(bytes.NewReader(raw), params["boundary"])
		for {
			p, err := mr.NextPart()
			if err != nil {
				break
			}
			data, _ := io.ReadAll(p)
			if p.FormName() == "payload_json" {
				rec.Body = data
				continue
			}
			rec.Files = append(rec.Files, File{Field: p.FormName(), Name: p.FileName(), ContentType: p.Header.Get("Content-Type"), Data: data})
		}
	}
	s.mu.Lock()
	s.pendingFiles = rec.Files
	defer func() {
		rec.Status = w.status
		s.requests = append(s.requests, rec)
		s.notify()
		s.mu.Unlock()
	}()
	w.w.Header().Set("X-RateLimit-Limit", "50")
	w.w.Header().Set("X-RateLimit-Remaining", "49")
	w.w.Header().Set("X-RateLimit-Reset-After", "1.000")
	w.w.Header().Set("X-RateLimit-Bucket", bucketOf(r.URL.Path))
	for i, f := range s.failures {
		if match(f.method, f.pattern, r.Method, r.URL.Path) {
			s.failures = append(s.failures[:i], s.failures[i+1:]...)
			s.writeFailure(w, r, f.f)
			return
		}
	}
	if !strings.HasPrefix(r.URL.Path, "/api/v9/gateway") && !strings.HasPrefix(r.URL.Path, "/api/v9/interactions/") &&
		!strings.HasPrefix(r.URL.Path, "/api/v9/webhooks/") && r.Header.Get("Authorization") != "Bot "+Token {
		w.fail(http.StatusUnauthorized, 0, "401: Unauthorized")
		return
	}
	fn(w, r, rec.Body)
}

func bucketOf(path string) string {
	var h uint32 = 2166136261
	for i := 0; i < len(path); i++ {
		h = (h ^ uint32(path[i])) * 16777619
	}
	return fmt.Sprintf("%08x", h)
}

// writeFailure answers with an injected failure; rate limits carry the
// documented headers and body.
func (s *Server) writeFailure(w *reply, r *http.Request, f Failure) {
	if f.Status == 0 {
		f.Status = http.StatusBadRequest
	}
	if f.Status != http.StatusTooManyRequests {
		w.fail(f.Status, f.Code, f.Message)
		return
	}
	h := w.w.Header()
	after := strconv.FormatFloat(f.RetryAfter, 'f', 3, 64)
	h.Set("Retry-After", strconv.Itoa(int(f.RetryAfter+0.999)))
	h.Set("X-RateLimit-Remaining", "0")
	h.Set("X-RateLimit-Reset-After", after)
	h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(time.Now().UnixMilli())/1000+f.RetryAfter, 'f', 3, 64))
	scope := "user"
	if f.Global {
		h.Set("X-RateLimit-Global", "true")
		scope = "global"
	}
	h.Set("X-RateLimit-Scope", scope)
	w.json(http.StatusTooManyRequests, map[string]any{"message": f.Message, "retry_after": f.RetryAfter, "global": f.Global})
}

func (s *Server) gatewayBot(w *reply, r *http.Request, _ []byte) {
	w.json(200, map[string]any{"url": s.GatewayURL, "shards": 1,
		"session_start_limit": map[string]any{"total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": 1}})
}

func (s *Server) createDM(w *reply, r *http.Request, body []byte) {
	var in struct {
		RecipientID string `json:"recipient_id"`
	}
	if json.Unmarshal(body, &in) != nil || s.users[in.RecipientID] == nil {
		w.fail(400, 50035, "Invalid Form Body")
		return
	}
	for _, c := range s.channels {
		if c["type"] == 1 && c["recipient_id"] == in.RecipientID {
			w.json(200, c)
			return
		}
	}
	id := s.Snowflake()
	c := map[string]any{"id": id, "type": 1, "last_message_id": nil, "recipients": []any{s.users[in.RecipientID]}, "recipient_id": in.RecipientID}
	s.channels[id] = c
	w.json(200, c)
}

func (s *Server) getChannel(w *reply, r *http.Request, _ []byte) {
	c := s.channels[r.PathValue("channel")]
	if c == nil {
		w.fail(404, 10003, "Unknown Channel")
		return
	}
	w.json(200, c)
}

// messagePayload is the documented create/edit message body.
type messagePayload struct {
	Content         *string          `json:"content"`
	Embeds          []map[string]any `json:"embeds"`
	Components      []map[string]any `json:"components"`
	Poll            map[string]any   `json:"poll"`
	Flags           int              `json:"flags"`
	AllowedMentions map[string]any   `json:"allowed_mentions"`
	Reference       map[string]any   `json:"message_reference"`
}

// validate applies the documented limits; it returns a message when the
// payload would be refused.
func (p messagePayload) validate(files int) string {
	content := ""
	if p.Content != nil {
		content = *p.Content
	}
	if len([]rune(content)) > 2000 {
		return "content: Must be 2000 or fewer in length."
	}
	if content == "" && len(p.Embeds) == 0 && files == 0 && p.Poll == nil && len(p.Components) == 0 {
		return "Cannot send an empty message"
	}
	if len(p.Components) > 5 {
		return "components: Must be 5 or fewer in length."
	}
	for _, row := range p.Components {
		items, _ := row["components"].([]any)
		if len(items) > 5 {
			return "components.components: Must be 5 or fewer in length."
		}
		for _, it := range items {
			b, _ := it.(map[string]any)
			id, _ := b["custom_id"].(string)
			url, _ := b["url"].(string)
			if len(id) > 100 {
				return "custom_id: Must be 100 or fewer in length."
			}
			if (id == "") == (url == "") {
				return "components: a button needs exactly one of custom_id and url"
			}
		}
	}
	for _, e := range p.Embeds {
		if d, _ := e["description"].(string); len([]rune(d)) > 4096 {
			return "embeds.description: Must be 4096 or fewer in length."
		}
		if t, _ := e["title"].(string); len([]rune(t)) > 256 {
			return "embeds.title: Must be 256 or fewer in length."
		}
	}
	if p.Poll != nil {
		q, _ := p.Poll["question"].(map[string]any)
		if t, _ := q["text"].(string); t == "" || len([]rune(t)) > 300 {
			return "poll.question.text: Must be between 1 and 300 in length."
		}
		answers, _ := p.Poll["answers"].([]any)
		if len(answers) == 0 || len(answers) > 10 {
			return "poll.answers: Must be between 1 and 10 in length."
		}
	}
	return ""
}

// newMessage stores a message by the bot; s.mu is held.
func (s *Server) newMessage(channelID string, p messagePayload, files []File, extra map[string]any) map[string]any {
	id := s.Snowflake()
	content := ""
	if p.Content != nil {
		content = *p.Content
	}
	atts := []any{}
	for _, f := range files {
		atts = append(atts, map[string]any{"id": s.Snowflake(), "filename": f.Name, "size": len(f.Data), "content_type": f.ContentType,
			"url": s.URL + "attachments/" + channelID + "/" + id + "/" + f.Name})
	}
	m := map[string]any{
		"id": id, "channel_id": channelID, "type": 0, "author": s.users[BotID], "content": content,
		"timestamp": time.Now().UTC().Format(time.RFC3339Nano), "edited_timestamp": nil, "tts": false,
		"mention_everyone": false, "mentions": []any{}, "mention_roles": []any{}, "attachments": atts,
		"embeds": orEmpty(p.Embeds), "components": orEmpty(p.Components), "pinned": false, "flags": p.Flags,
	}
	if c := s.channels[channelID]; c != nil && c["guild_id"] != nil {
		m["guild_id"] = c["guild_id"]
	}
	if p.Poll != nil {
		poll := map[string]any{"question": p.Poll["question"], "allow_multiselect": p.Poll["allow_multiselect"], "layout_type": 1,
			"results": map[string]any{"is_finalized": false, "answer_counts": []any{}}}
		answers, _ := p.Poll["answers"].([]any)
		var out []any
		for i, a := range answers {
			am, _ := a.(map[string]any)
			out = append(out, map[string]any{"answer_id": i + 1, "poll_media": am["poll_media"]})
		}
		poll["answers"] = out
		hours, _ := p.Poll["duration"].(float64)
		if hours == 0 {
			hours = 24
		}
		poll["expiry"] = time.Now().Add(time.Duration(hours) * time.Hour).UTC().Format(time.RFC3339)
		m["poll"] = poll
	}
	if p.Reference != nil {
		m["message_reference"] = p.Reference
		m["type"] = 19
	}
	for k, v := range extra {
		m[k] = v
	}
	s.messages[id] = m
	return m
}

func orEmpty(v []map[string]any) []map[string]any {
	if v == nil {
		return []map[string]any{}
	}
	return v
}

func (s *Server) createMessage(w *reply, r *http.Request, body []byte) {
	cid := r.PathValue("channel")
	c := s.channels[cid]
	if c == nil {
		w.fail(404, 10003, "Unknown Channel")
		return
	}
	if rid, _ := c["recipient_id"].(string); c["type"] == 1 && s.blocked[rid] {
		w.fail(403, 50007, "Cannot send messages to this user")
		return
	}
	var p messagePayload
	if err := json.Unmarshal(body, &p); err != nil {
		w.fail(400, 50109, "The request body contains invalid JSON.")
		return
	}
	files := s.pendingFiles
	if msg := p.validate(len(files)); msg != "" {
		code := 50035
		if strings.HasPrefix(msg, "Cannot send an empty") {
			code = 50006
		}
		w.fail(400, code, msg)
		return
	}
	if ref := p.Reference; ref != nil {
		mid, _ := ref["message_id"].(string)
		if fail, ok := ref["fail_if_not_exists"].(bool); s.messages[mid] == nil && !s.known(mid) && (!ok || fail) {
			w.fail(400, 50035, "Invalid Form Body: message_reference: Unknown message")
			return
		}
	}
	w.json(200, s.newMessage(cid, p, files, nil))
}

// known reports whether a message id was seen in a dispatched event; s.mu is held.
func (s *Server) known(id string) bool { return s.gw.seen[id] }

func (s *Server) editMessage(w *reply, r *http.Request, body []byte) {
	m := s.messages[r.PathValue("message")]
	if m == nil || m["channel_id"] != r.PathValue("channel") {
		w.fail(404, 10008, "Unknown Message")
		return
	}
	var p map[string]any
	if json.Unmarshal(body, &p) != nil {
		w.fail(400, 50109, "The request body contains invalid JSON.")
		return
	}
	for _, k := range []string{"content", "embeds", "components", "flags"} {
		if v, ok := p[k]; ok {
			m[k] = v
		}
	}
	m["edited_timestamp"] = time.Now().UTC().Format(time.RFC3339Nano)
	w.json(200, m)
}

func (s *Server) deleteMessage(w *reply, r *http.Request, _ []byte) {
	id := r.PathValue("message")
	if m := s.messages[id]; m != nil && m["channel_id"] == r.PathValue("channel") {
		delete(s.messages, id)
		w.noContent()
		return
	}
	if s.known(id) {
		w.noContent()
		return
	}
	w.fail(404, 10008, "Unknown Message")
}

func (s *Server) pinMessage(w *reply, r *http.Request, _ []byte) {
	m := s.messages[r.PathValue("message")]
	if m == nil {
		if s.known(r.PathValue("message")) {
			w.noContent()
			return
		}
		w.fail(404, 10008, "Unknown Message")
		return
	}
	m["pinned"] = true
	w.noContent()
}

func (s *Server) expirePoll(w *reply, r *http.Request, _ []byte) {
	m := s.messages[r.PathValue("message")]
	if m == nil {
		w.fail(404, 10008, "Unknown Message")
		return
	}
	poll, _ := m["poll"].(map[string]any)
	if poll == nil {
		w.fail(400, 520001, "This message does not have a poll")
		return
	}
	poll["expiry"] = time.Now().UTC().Format(time.RFC3339)
	poll["results"] = map[string]any{"is_finalized": true, "answer_counts": []any{}}
	w.json(200, m)
}

func (s *Server) createInvite(w *reply, r *http.Request, body []byte) {
	c := s.channels[r.PathValue("channel")]
	if c == nil {
		w.fail(404, 10003, "Unknown Channel")
		return
	}
	var in map[string]any
	_ = json.Unmarshal(body, &in)
	code := strings.ToLower(strconv.FormatInt(s.ids.Add(7919)*2654435761%(1<<40), 36))
	inv := map[string]any{"type": 0, "code": code, "guild": map[string]any{"id": c["guild_id"], "name": "ACME Solar"},
		"channel": map[string]any{"id": c["id"], "name": c["name"], "type": c["type"]}, "inviter": s.users[BotID],
		"uses": 0, "max_uses": in["max_uses"], "max_age": in["max_age"], "temporary": false, "created_at": time.Now().UTC().Format(time.RFC3339)}
	s.invites[code] = inv
	w.json(200, inv)
}

// UseInvite counts one use of an invite code, as when someone joins through it.
func (s *Server) UseInvite(code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if inv := s.invites[code]; inv != nil {
		n, _ := inv["uses"].(int)
		inv["uses"] = n + 1
	}
}

// Invites returns the codes of the invites created so far.
func (s *Server) Invites() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for c := range s.invites {
		out = append(out, c)
	}
	return out
}

func (s *Server) guildInvites(w *reply, r *http.Request, _ []byte) {
	if s.guilds[r.PathValue("guild")] == nil {
		w.fail(404, 10004, "Unknown Guild")
		return
	}
	out := []any{}
	for _, inv := range s.invites {
		if g, _ := inv["guild"].(map[string]any); g["id"] == r.PathValue("guild") {
			out = append(out, inv)
		}
	}
	w.json(200, out)
}

func (s *Server) guildObject(g *guild, full bool) map[string]any {
	out := map[string]any{}
	for k, v := range g.obj {
		out[k] = v
	}
	out["roles"] = g.roles
	if full {
		var members, channels, threads []any
		for _, id := range g.order {
			if m := g.members[id]; m != nil {
				members = append(members, m)
			}
		}
		for _, c := range s.channels {
			if c["guild_id"] != g.obj["id"] {
				continue
			}
			if c["type"] == 11 || c["type"] == 12 || c["type"] == 10 {
				threads = append(threads, c)
			} else {
				channels = append(channels, c)
			}
		}
		out["members"], out["channels"], out["threads"] = members, channels, threads
		out["member_count"] = len(members)
		out["large"] = false
		out["unavailable"] = false
		out["joined_at"] = time.Now().UTC().Format(time.RFC3339)
	}
	return out
}

func (s *Server) getGuild(w *reply, r *http.Request, _ []byte) {
	g := s.guilds[r.PathValue("guild")]
	if g == nil {
		w.fail(404, 10004, "Unknown Guild")
		return
	}
	w.json(200, s.guildObject(g, false))
}

func (s *Server) getRoles(w *reply, r *http.Request, _ []byte) {
	g := s.guilds[r.PathValue("guild")]
	if g == nil {
		w.fail(404, 10004, "Unknown Guild")
		return
	}
	w.json(200, g.roles)
}

func (s *Server) member(w *reply, r *http.Request) (*guild, map[string]any) {
	g := s.guilds[r.PathValue("guild")]
	if g == nil {
		w.fail(404, 10004, "Unknown Guild")
		return nil, nil
	}
	m := g.members[r.PathValue("user")]
	if m == nil {
		w.fail(404, 10007, "Unknown Member")
		return nil, nil
	}
	return g, m
}

func (s *Server) getMember(w *reply, r *http.Request, _ []byte) {
	if _, m := s.member(w, r); m != nil {
		w.json(200, m)
	}
}

func (s *Server) modifyMember(w *reply, r *http.Request, body []byte) {
	_, m := s.member(w, r)
	if m == nil {
		return
	}
	var p map[string]any
	if json.Unmarshal(body, &p) != nil {
		w.fail(400, 50109, "The request body contains invalid JSON.")
		return
	}
	if v, ok := p["communication_disabled_until"]; ok {
		if ts, _ := v.(string); ts != "" {
			until, err := time.Parse(time.RFC3339, ts)
			if err != nil || until.After(time.Now().Add(28*24*time.Hour)) {
				w.fail(400, 50035, "communication_disabled_until: must be at most 28 days in the future")
				return
			}
		}
		m["communication_disabled_until"] = v
	}
	if v, ok := p["nick"]; ok {
		m["nick"] = v
	}
	w.json(200, m)
}

func (s *Server) memberRole(w *reply, r *http.Request, _ []byte) {
	g, m := s.member(w, r)
	if m == nil {
		return
	}
	role := r.PathValue("role")
	exists := false
	for _, ro := range g.roles {
		exists = exists || ro["id"] == role
	}
	if !exists {
		w.fail(404, 10011, "Unknown Role")
		return
	}
	var kept []string
	for _, id := range m["roles"].([]string) {
		if id != role {
			kept = append(kept, id)
		}
	}
	if r.Method == http.MethodPut {
		kept = append(kept, role)
	}
	if kept == nil {
		kept = []string{}
	}
	m["roles"] = kept
	w.noContent()
}

func (s *Server) ban(w *reply, r *http.Request, _ []byte) {
	g := s.guilds[r.PathValue("guild")]
	if g == nil {
		w.fail(404, 10004, "Unknown Guild")
		return
	}
	if s.bans[r.PathValue("guild")] == nil {
		s.bans[r.PathValue("guild")] = map[string]string{}
	}
	s.bans[r.PathValue("guild")][r.PathValue("user")] = r.Header.Get("X-Audit-Log-Reason")
	delete(g.members, r.PathValue("user"))
	w.noContent()
}

func (s *Server) unban(w *reply, r *http.Request, _ []byte) {
	if _, ok := s.bans[r.PathValue("guild")][r.PathValue("user")]; !ok {
		w.fail(404, 10026, "Unknown Ban")
		return
	}
	delete(s.bans[r.PathValue("guild")], r.PathValue("user"))
	w.noContent()
}

// overwriteCommands validates and stores a bulk overwrite of application commands.
func (s *Server) overwriteCommands(w *reply, r *http.Request, body []byte) {
	if r.PathValue("app") != AppID {
		w.fail(403, 50001, "Missing Access")
		return
	}
	var cmds []map[string]any
	if err := json.Unmarshal(body, &cmds); err != nil {
		w.fail(400, 50035, "Invalid Form Body")
		return
	}
	if len(cmds) > 100 {
		w.fail(400, 30032, "Maximum number of application commands reached (100)")
		return
	}
	for i, c := range cmds {
		if msg := validateCommand(c); msg != "" {
			w.fail(400, 50035, fmt.Sprintf("Invalid Form Body: %d.%s", i, msg))
			return
		}
		c["id"] = s.Snowflake()
		c["application_id"] = AppID
		c["version"] = s.Snowflake()
		if g := r.PathValue("guild"); g != "" {
			c["guild_id"] = g
		}
		if _, ok := c["type"]; !ok {
			c["type"] = 1
		}
	}
	s.commands[r.PathValue("guild")] = cmds
	w.json(200, cmds)
}

func validName(n string) bool {
	if n == "" || len([]rune(n)) > 32 || strings.ToLower(n) != n {
		return false
	}
	for _, r := range n {
		if !(r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127) {
			return false
		}
	}
	return true
}

func validText(v any) bool {
	t, ok := v.(string)
	return ok && t != "" && len([]rune(t)) <= 100
}

func validateCommand(c map[string]any) string {
	name, _ := c["name"].(string)
	if !validName(name) {
		return "name: must match ^[-_\\p{L}\\p{N}]{1,32}$ in lower case"
	}
	if !validText(c["description"]) {
		return "description: Must be between 1 and 100 in length."
	}
	for _, key := range []string{"name_localizations", "description_localizations"} {
		if locs, ok := c[key].(map[string]any); ok {
			for loc, v := range locs {
				if !knownLocale(loc) {
					return key + ": unknown locale " + loc
				}
				if key == "name_localizations" && !validName(fmt.Sprint(v)) || key == "description_localizations" && !validText(v) {
					return key + "." + loc + ": invalid"
				}
			}
		}
	}
	if p, ok := c["default_member_permissions"]; ok && p != nil {
		if _, isString := p.(string); !isString {
			return "default_member_permissions: must be a string"
		}
	}
	opts, _ := c["options"].([]any)
	if len(opts) > 25 {
		return "options: Must be 25 or fewer in length."
	}
	optional := false
	for j, o := range opts {
		om, _ := o.(map[string]any)
		if n, _ := om["name"].(string); !validName(n) {
			return fmt.Sprintf("options.%d.name: invalid", j)
		}
		if !validText(om["description"]) {
			return fmt.Sprintf("options.%d.description: Must be between 1 and 100 in length.", j)
		}
		if t, _ := om["type"].(float64); t < 1 || t > 11 {
			return fmt.Sprintf("options.%d.type: invalid", j)
		}
		req, _ := om["required"].(bool)
		if req && optional {
			return fmt.Sprintf("options.%d.required: Required options must be placed before non-required options", j)
		}
		optional = optional || !req
	}
	return ""
}

func knownLocale(l string) bool {
	switch l {
	case "id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu", "nl", "no", "pl", "pt-BR",
		"ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru", "uk", "hi", "th", "zh-CN", "ja", "zh-TW", "ko":
		return true
	}
	return false
}

// interactionCallback answers POST /interactions/{id}/{token}/callback.
func (s *Server) interactionCallback(w *reply, r *http.Request, body []byte) {
	in := s.interactions[r.PathValue("token")]
	if in == nil || in.id != r.PathValue("id") || time.Since(in.created) > s.InteractionTimeout && in.response == nil {
		w.fail(404, 10062, "Unknown interaction")
		return
	}
	if in.response != nil {
		w.fail(400, 40060, "Interaction has already been acknowledged.")
		return
	}
	var resp map[string]any
	if json.Unmarshal(body, &resp) != nil {
		w.fail(400, 50109, "The request body contains invalid JSON.")
		return
	}
	typ, _ := resp["type"].(float64)
	switch typ {
	case 4, 7:
		var p messagePayload
		data, _ := json.Marshal(resp["data"])
		_ = json.Unmarshal(data, &p)
		if msg := p.validate(len(s.pendingFiles)); msg != "" {
			w.fail(400, 50035, msg)
			return
		}
		if typ == 4 {
			in.original = s.newMessage(s.interactionChannel(in), p, s.pendingFiles, map[string]any{"interaction_id": in.id})["id"].(string)
		}
	case 5, 6:
	case 9:
		d, _ := resp["data"].(map[string]any)
		if d == nil || d["custom_id"] == nil || d["title"] == nil {
			w.fail(400, 50035, "modal: custom_id and title are required")
			return
		}
	default:
		w.fail(400, 50035, "type: invalid interaction callback type")
		return
	}
	in.response = resp
	w.noContent()
}

func (s *Server) interactionChannel(in *interaction) string {
	return in.channel
}

func (s *Server) acknowledged(w *reply, r *http.Request) *interaction {
	in := s.interactions[r.PathValue("token")]
	if in == nil || r.PathValue("app") != AppID || in.response == nil {
		w.fail(404, 10015, "Unknown Webhook")
		return nil
	}
	return in
}

func (s *Server) followup(w *reply, r *http.Request, body []byte) {
	in := s.acknowledged(w, r)
	if in == nil {
		return
	}
	var p messagePayload
	if json.Unmarshal(body, &p) != nil {
		w.fail(400, 50109, "The request body contains invalid JSON.")
		return
	}
	if msg := p.validate(len(s.pendingFiles)); msg != "" {
		w.fail(400, 50035, msg)
		return
	}
	m := s.newMessage(s.interactionChannel(in), p, s.pendingFiles, map[string]any{"webhook_id": AppID})
	if in.original == "" {
		in.original = m["id"].(string)
	}
	w.json(200, m)
}

func (s *Server) webhookMessage(w *reply, r *http.Request, body []byte) {
	in := s.acknowledged(w, r)
	if in == nil {
		return
	}
	id := r.PathValue("message")
	if id == "@original" {
		id = in.original
		if id == "" && r.Method == http.MethodPatch {
			var p messagePayload
			_ = json.Unmarshal(body, &p)
			in.original = s.newMessage(s.interactionChannel(in), p, s.pendingFiles, map[string]any{"interaction_id": in.id})["id"].(string)
			w.json(200, s.messages[in.original])
			return
		}
	}
	m := s.messages[id]
	if m == nil {
		w.fail(404, 10008, "Unknown Message")
		return
	}
	switch r.Method {
	case http.MethodGet:
		w.json(200, m)
	case http.MethodDelete:
		delete(s.messages, id)
		w.noContent()
	default:
		var p map[string]any
		_ = json.Unmarshal(body, &p)
		for _, k := range []string{"content", "embeds", "components"} {
			if v, ok := p[k]; ok {
				m[k] = v
			}
		}
		w.json(200, m)
	}
}
