package discordtest

import (
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// Gateway close codes, as documented.
const (
	CloseNotAuthenticated   = 4003
	CloseAuthFailed         = 4004
	CloseInvalidShard       = 4010
	CloseInvalidIntents     = 4013
	CloseDisallowedIntents  = 4014
	closeDecodeError        = 4002
	opDispatch, opHeartbeat = 0, 1
	opIdentify, opResume    = 2, 6
	opReconnect, opInvalid  = 7, 9
	opHello, opHeartbeatACK = 10, 11
)

type gatewayState struct {
	sessions   map[string]*gwSession
	current    *gwSession
	conns      []*gwConn
	identifies []Identify
	readies    int
	resumes    int
	accepted   int
	seen       map[string]bool // ids of messages dispatched to the client
}

type gwSession struct {
	id   string
	seq  int64
	log  []gwFrame
	conn *gwConn
}

type gwFrame struct {
	seq  int64
	data []byte
}

type gwConn struct {
	ws  *websocket.Conn
	wmu sync.Mutex
	// Set under Server.mu by the fault helpers:
	noAck  bool // do not acknowledge heartbeats (a zombied connection)
	reauth bool // op 9 was sent: a new IDENTIFY or RESUME is expected
}

func (c *gwConn) write(data []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.ws.WriteMessage(websocket.TextMessage, data)
}

func (c *gwConn) close(code int, text string) {
	c.wmu.Lock()
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), time.Now().Add(time.Second))
	c.wmu.Unlock()
	c.ws.Close()
}

// Identify is an IDENTIFY (op 2) payload the gateway received.
type Identify struct {
	Token      string         `json:"token"`
	Intents    int            `json:"intents"`
	Shard      *[2]int        `json:"shard"`
	Properties map[string]any `json:"properties"`
}

type payload struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  *int64          `json:"s,omitempty"`
	T  string          `json:"t,omitempty"`
}

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

// serveGateway runs one gateway connection: HELLO, then IDENTIFY or
// RESUME, then heartbeats until the client goes away.
func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &gwConn{ws: ws}
	s.mu.Lock()
	s.gw.conns = append(s.gw.conns, c)
	s.gw.accepted++
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		for _, sess := range s.gw.sessions {
			if sess.conn == c {
				sess.conn = nil
			}
		}
		for i, o := range s.gw.conns {
			if o == c {
				s.gw.conns = append(s.gw.conns[:i], s.gw.conns[i+1:]...)
				break
			}
		}
		s.notify()
		s.mu.Unlock()
		ws.Close()
	}()
	hello, _ := json.Marshal(map[string]any{"op": opHello, "d": map[string]any{"heartbeat_interval": s.HeartbeatInterval}})
	if c.write(hello) != nil {
		return
	}
	_ = ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	var first payload
	if err := ws.ReadJSON(&first); err != nil {
		c.close(closeDecodeError, "Decode error")
		return
	}
	_ = ws.SetReadDeadline(time.Time{})
	switch first.Op {
	case opIdentify:
		if !s.identify(c, first.D) {
			return
		}
	case opResume:
		if !s.resume(c, first.D) {
			return
		}
	default:
		c.close(CloseNotAuthenticated, "Not authenticated.")
		return
	}
	for {
		var p payload
		if err := ws.ReadJSON(&p); err != nil {
			return
		}
		s.mu.Lock()
		noAck, reauth := c.noAck, c.reauth
		c.reauth = false
		s.mu.Unlock()
		switch {
		case p.Op == opHeartbeat && noAck:
		case p.Op == opHeartbeat:
			ack, _ := json.Marshal(map[string]any{"op": opHeartbeatACK})
			if c.write(ack) != nil {
				return
			}
		case p.Op == opIdentify && reauth:
			if !s.identify(c, p.D) {
				return
			}
		case p.Op == opResume && reauth:
			if !s.resume(c, p.D) {
				return
			}
		case p.Op == opIdentify, p.Op == opResume:
			c.close(4005, "Already authenticated.")
			return
		}
	}
}

func validToken(tok string) bool { return tok == "Bot "+Token || tok == Token }

func (s *Server) identify(c *gwConn, raw json.RawMessage) bool {
	var id Identify
	if err := json.Unmarshal(raw, &id); err != nil {
		c.close(closeDecodeError, "Decode error")
		return false
	}
	s.mu.Lock()
	s.gw.identifies = append(s.gw.identifies, id)
	s.notify()
	s.mu.Unlock()
	switch {
	case !validToken(id.Token):
		c.close(CloseAuthFailed, "Authentication failed.")
		return false
	case id.Intents&^knownIntents != 0:
		c.close(CloseInvalidIntents, "Invalid intent(s).")
		return false
	case id.Intents&privilegedIntents&^s.PrivilegedIntents != 0:
		c.close(CloseDisallowedIntents, "Disallowed intent(s).")
		return false
	case id.Shard != nil && (id.Shard[1] < 1 || id.Shard[0] < 0 || id.Shard[0] >= id.Shard[1]):
		c.close(CloseInvalidShard, "Invalid shard.")
		return false
	}
	var buf [8]byte
	for i := range buf {
		buf[i] = byte(rand.IntN(256))
	}
	sess := &gwSession{id: hex.EncodeToString(buf[:]), conn: c}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gw.sessions[sess.id] = sess
	s.gw.current = sess
	var guilds []any
	var full []map[string]any
	for gid, g := range s.guilds {
		if id.Shard != nil {
			n, _ := strconv.ParseInt(gid, 10, 64)
			if int((n>>22)%int64(id.Shard[1])) != id.Shard[0] {
				continue
			}
		}
		guilds = append(guilds, map[string]any{"id": gid, "unavailable": true})
		full = append(full, s.guildObject(g, true))
	}
	ready := map[string]any{"v": 9, "user": s.users[BotID], "guilds": guilds, "session_id": sess.id,
		"resume_gateway_url": s.GatewayURL, "application": map[string]any{"id": AppID, "flags": 0}}
	if id.Shard != nil {
		ready["shard"] = id.Shard[:]
	}
	s.dispatchLocked(sess, "READY", ready)
	for _, g := range full {
		s.dispatchLocked(sess, "GUILD_CREATE", g)
	}
	s.gw.readies++
	return true
}

func (s *Server) resume(c *gwConn, raw json.RawMessage) bool {
	var in struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		c.close(closeDecodeError, "Decode error")
		return false
	}
	if !validToken(in.Token) {
		c.close(CloseAuthFailed, "Authentication failed.")
		return false
	}
	s.mu.Lock()
	sess := s.gw.sessions[in.SessionID]
	if sess == nil {
		s.mu.Unlock()
		data, _ := json.Marshal(map[string]any{"op": opInvalid, "d": false})
		_ = c.write(data)
		// The client answers op 9 with a new IDENTIFY on this connection.
		var p payload
		if err := c.ws.ReadJSON(&p); err != nil || p.Op != opIdentify {
			return false
		}
		return s.identify(c, p.D)
	}
	defer s.mu.Unlock()
	sess.conn = c
	s.gw.current = sess
	for _, f := range sess.log {
		if f.seq > in.Seq {
			_ = c.write(f.data)
		}
	}
	s.dispatchLocked(sess, "RESUMED", nil)
	s.gw.resumes++
	s.notify()
	return true
}

// dispatchLocked sends a dispatch (op 0) on the session, keeping it for
// replay after a resume; s.mu is held.
func (s *Server) dispatchLocked(sess *gwSession, event string, data any) int64 {
	sess.seq++
	seq := sess.seq
	d, _ := json.Marshal(data)
	frame, _ := json.Marshal(payload{Op: opDispatch, D: d, S: &seq, T: event})
	sess.log = append(sess.log, gwFrame{seq: seq, data: frame})
	if sess.conn != nil {
		_ = sess.conn.write(frame)
	}
	s.notify()
	return seq
}

// Dispatch sends a gateway event (op 0) with the given type and data to
// the current session and returns its sequence number. Events sent while
// the client is disconnected are replayed when it resumes. The client must
// have identified (see WaitReady).
func (s *Server) Dispatch(event string, data any) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gw.current == nil {
		s.fatalf("discordtest: Dispatch(%s) before the client identified", event)
	}
	return s.dispatchLocked(s.gw.current, event, data)
}

// WaitReady waits until the gateway has sent READY n times in all
// (n = 1 for the first connection).
func (s *Server) WaitReady(t testing.TB, n int) {
	t.Helper()
	s.waitFor(t, "READY", func() bool { return s.gw.readies >= n })
}

// WaitResume waits until the gateway has accepted n RESUMEs in all.
func (s *Server) WaitResume(t testing.TB, n int) {
	t.Helper()
	s.waitFor(t, "RESUME", func() bool { return s.gw.resumes >= n })
}

// Identifies returns the IDENTIFY payloads received so far.
func (s *Server) Identifies() []Identify {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Identify(nil), s.gw.identifies...)
}

// Reconnect sends op 7 (Reconnect) on the current connection, asking the
// client to reconnect and resume. Events dispatched until it resumes are
// replayed then.
func (s *Server) Reconnect() {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess := s.gw.current
	if sess == nil || sess.conn == nil {
		s.fatalf("discordtest: Reconnect with no connected session")
	}
	data, _ := json.Marshal(map[string]any{"op": opReconnect, "d": nil})
	_ = sess.conn.write(data)
	sess.conn = nil
}

// Close codes after which, as documented, the session cannot be resumed:
// the client must identify again.
const (
	CloseInvalidSeq     = 4007
	CloseSessionTimeout = 4009
)

// Disconnect ends the current gateway connection the way Discord or the
// network does: with a close frame carrying code (4000 "Unknown error" and
// most 4xxx codes may be resumed), or, with code 0, abruptly without any
// close frame. After CloseInvalidSeq or CloseSessionTimeout the session is
// gone: a RESUME gets op 9 and the client must identify again, and events
// cannot be dispatched until it has (see WaitReady). After other codes
// events dispatched while the client is away are replayed when it resumes.
func (s *Server) Disconnect(code int) {
	s.mu.Lock()
	sess := s.gw.current
	if sess == nil || sess.conn == nil {
		s.mu.Unlock()
		s.t.Fatalf("discordtest: Disconnect with no connected session")
		return
	}
	c := sess.conn
	sess.conn = nil
	if code == CloseInvalidSeq || code == CloseSessionTimeout {
		delete(s.gw.sessions, sess.id)
		s.gw.current = nil
	}
	s.mu.Unlock()
	if code == 0 {
		c.ws.Close() // no close frame: the client sees the connection break
		return
	}
	c.close(code, "Disconnected by the test")
}

// InvalidateSession sends op 9 (Invalid Session) on the current connection.
// With resumable false the session is gone and the client must IDENTIFY
// anew (a new READY follows; see WaitReady); with true it may also RESUME.
// The connection accepts that IDENTIFY or RESUME.
func (s *Server) InvalidateSession(resumable bool) {
	s.mu.Lock()
	sess := s.gw.current
	if sess == nil || sess.conn == nil {
		s.mu.Unlock()
		s.t.Fatalf("discordtest: InvalidateSession with no connected session")
		return
	}
	c := sess.conn
	c.reauth = true
	if !resumable {
		sess.conn = nil
		delete(s.gw.sessions, sess.id)
		s.gw.current = nil
	}
	s.mu.Unlock()
	data, _ := json.Marshal(map[string]any{"op": opInvalid, "d": resumable})
	_ = c.write(data)
}

// StopHeartbeatACKs makes the current connection a zombie: it keeps
// reading the client's heartbeats but never acknowledges them (op 11). A
// client is expected to notice, drop the connection and resume on a new
// one, which is acknowledged normally. Events dispatched meanwhile are
// replayed on resume.
func (s *Server) StopHeartbeatACKs() {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess := s.gw.current
	if sess == nil || sess.conn == nil {
		s.t.Fatalf("discordtest: StopHeartbeatACKs with no connected session")
		return
	}
	sess.conn.noAck = true
}

// Connections is the number of gateway connections the server has
// accepted so far (including closed ones).
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gw.accepted
}

// userObject returns the documented user object; s.mu is held.
func (s *Server) userObject(id string) map[string]any {
	if u := s.users[id]; u != nil {
		return u
	}
	s.fatalf("discordtest: unknown user %s", id)
	return nil
}

// memberObject returns the guild member without its user (as in message
// and reaction events), with permissions; s.mu is held.
func (s *Server) memberObject(guildID, userID string, withUser bool) map[string]any {
	g := s.guilds[guildID]
	if g == nil || g.members[userID] == nil {
		return nil
	}
	out := map[string]any{}
	for k, v := range g.members[userID] {
		if k != "user" || withUser {
			out[k] = v
		}
	}
	out["permissions"] = strconv.FormatInt(s.permissions(g, userID), 10)
	return out
}

func (s *Server) permissions(g *guild, userID string) int64 {
	if g.obj["owner_id"] == userID {
		return 1<<41 - 1
	}
	var p int64
	roles, _ := g.members[userID]["roles"].([]string)
	for _, r := range g.roles {
		for _, id := range append([]string{g.obj["id"].(string)}, roles...) {
			if r["id"] == id {
				n, _ := strconv.ParseInt(r["permissions"].(string), 10, 64)
				p |= n
			}
		}
	}
	return p
}

func (s *Server) channelObject(id string) map[string]any {
	c := s.channels[id]
	if c == nil {
		s.fatalf("discordtest: unknown channel %s", id)
	}
	return c
}

var mentionRE = regexp.MustCompile(`<@!?(\d+)>`)

// DispatchMessage sends MESSAGE_CREATE for a message by authorID in a
// channel (a guild channel, a thread, or a DM channel) and returns its id.
func (s *Server) DispatchMessage(channelID, authorID, content string) string {
	return s.DispatchReply(channelID, authorID, content, "")
}

// DispatchReply is DispatchMessage for a reply to message replyTo.
func (s *Server) DispatchReply(channelID, authorID, content, replyTo string) string {
	s.mu.Lock()
	c := s.channelObject(channelID)
	id := s.Snowflake()
	m := map[string]any{
		"id": id, "channel_id": channelID, "author": s.userObject(authorID), "content": content,
		"timestamp": time.Now().UTC().Format(time.RFC3339Nano), "edited_timestamp": nil, "tts": false,
		"mention_everyone": strings.Contains(content, "@everyone") || strings.Contains(content, "@here"),
		"mention_roles":    []any{}, "attachments": []any{}, "embeds": []any{}, "components": []any{},
		"pinned": false, "type": 0, "flags": 0, "nonce": strconv.FormatInt(rand.Int64(), 10),
	}
	gid, _ := c["guild_id"].(string)
	if gid != "" {
		m["guild_id"] = gid
		m["member"] = s.memberObject(gid, authorID, false)
	}
	mentions := []any{}
	for _, sub := range mentionRE.FindAllStringSubmatch(content, -1) {
		if u := s.users[sub[1]]; u != nil {
			mu := map[string]any{}
			for k, v := range u {
				mu[k] = v
			}
			if gid != "" {
				mu["member"] = s.memberObject(gid, sub[1], false)
			}
			mentions = append(mentions, mu)
		}
	}
	m["mentions"] = mentions
	if replyTo != "" {
		m["type"] = 19
		m["message_reference"] = map[string]any{"type": 0, "message_id": replyTo, "channel_id": channelID, "guild_id": gid}
		if ref := s.messages[replyTo]; ref != nil {
			m["referenced_message"] = ref
		}
	}
	if s.gw.seen == nil {
		s.gw.seen = map[string]bool{}
	}
	s.gw.seen[id] = true
	s.mu.Unlock()
	s.Dispatch("MESSAGE_CREATE", m)
	return id
}

// Interaction identifies a dispatched interaction.
type Interaction struct {
	ID    string
	Token string
}

// Option is one option value of a slash command.
type Option struct {
	Name  string
	Type  int // 3 string, 4 integer, 6 user, ...
	Value any
}

// StringOption is a string option value.
func StringOption(name, v string) Option { return Option{Name: name, Type: 3, Value: v} }

// IntOption is an integer option value.
func IntOption(name string, v int) Option { return Option{Name: name, Type: 4, Value: v} }

// UserOption is a user option value (a user id, resolved by the server).
func UserOption(name, userID string) Option { return Option{Name: name, Type: 6, Value: userID} }

// Slash describes a slash command invocation.
type Slash struct {
	ChannelID string
	UserID    string
	Name      string
	Options   []Option
	Locale    string // the user's client locale; default en-US
}

// Click describes a button press on a message.
type Click struct {
	ChannelID string
	UserID    string
	MessageID string
	CustomID  string
	Locale    string
}

// ModalSubmit describes the submission of a modal form.
type ModalSubmit struct {
	ChannelID string
	UserID    string
	CustomID  string
	Fields    []ModalField
	Locale    string
}

// ModalField is one text input of a submitted modal.
type ModalField struct {
	CustomID string
	Value    string
}

// interaction builds and dispatches INTERACTION_CREATE.
func (s *Server) interaction(typ int, channelID, userID, locale string, data map[string]any, extra map[string]any) Interaction {
	s.mu.Lock()
	c := s.channelObject(channelID)
	if locale == "" {
		locale = "en-US"
	}
	in := &interaction{id: s.Snowflake(), channel: channelID, created: time.Now()}
	var tok [24]byte
	for i := range tok {
		tok[i] = byte(rand.IntN(256))
	}
	in.token = "aW50ZXJhY3Rpb246" + hex.EncodeToString(tok[:])
	s.interactions[in.token] = in
	obj := map[string]any{
		"id": in.id, "application_id": AppID, "type": typ, "data": data, "channel_id": channelID, "channel": c,
		"token": in.token, "version": 1, "locale": locale, "entitlements": []any{},
		"app_permissions": strconv.FormatInt(1<<41-1, 10),
	}
	if gid, _ := c["guild_id"].(string); gid != "" {
		obj["guild_id"] = gid
		obj["guild_locale"] = "en-US"
		obj["member"] = s.memberObject(gid, userID, true)
		obj["context"] = 0
		obj["authorizing_integration_owners"] = map[string]any{"0": gid}
	} else {
		obj["user"] = s.userObject(userID)
		obj["context"] = 1
		obj["authorizing_integration_owners"] = map[string]any{"0": "0"}
	}
	for k, v := range extra {
		obj[k] = v
	}
	s.mu.Unlock()
	s.Dispatch("INTERACTION_CREATE", obj)
	return Interaction{ID: in.id, Token: in.token}
}

// DispatchSlash sends INTERACTION_CREATE for a slash command (type 2). User
// options are resolved into data.resolved as Discord does.
func (s *Server) DispatchSlash(c Slash) Interaction {
	s.mu.Lock()
	var cmdID string
	for _, list := range s.commands {
		for _, cmd := range list {
			if cmd["name"] == c.Name {
				cmdID, _ = cmd["id"].(string)
			}
		}
	}
	if cmdID == "" {
		cmdID = s.Snowflake()
	}
	opts := []any{}
	users, members := map[string]any{}, map[string]any{}
	gid, _ := s.channelObject(c.ChannelID)["guild_id"].(string)
	for _, o := range c.Options {
		opts = append(opts, map[string]any{"name": o.Name, "type": o.Type, "value": o.Value})
		if o.Type == 6 {
			id, _ := o.Value.(string)
			users[id] = s.userObject(id)
			if m := s.memberObject(gid, id, false); m != nil {
				members[id] = m
			}
		}
	}
	data := map[string]any{"id": cmdID, "name": c.Name, "type": 1, "options": opts}
	if len(users) > 0 {
		data["resolved"] = map[string]any{"users": users, "members": members}
	}
	s.mu.Unlock()
	return s.interaction(2, c.ChannelID, c.UserID, c.Locale, data, nil)
}

// DispatchButton sends INTERACTION_CREATE for a button press (type 3).
func (s *Server) DispatchButton(c Click) Interaction {
	s.mu.Lock()
	msg := s.messages[c.MessageID]
	if msg == nil {
		msg = map[string]any{"id": c.MessageID, "channel_id": c.ChannelID, "content": "", "author": s.users[BotID],
			"timestamp": time.Now().UTC().Format(time.RFC3339Nano), "type": 0}
	}
	s.mu.Unlock()
	data := map[string]any{"custom_id": c.CustomID, "component_type": 2}
	return s.interaction(3, c.ChannelID, c.UserID, c.Locale, data, map[string]any{"message": msg})
}

// DispatchModal sends INTERACTION_CREATE for a modal submission (type 5).
func (s *Server) DispatchModal(c ModalSubmit) Interaction {
	rows := []any{}
	for _, f := range c.Fields {
		rows = append(rows, map[string]any{"type": 1, "components": []any{map[string]any{"type": 4, "custom_id": f.CustomID, "value": f.Value}}})
	}
	data := map[string]any{"custom_id": c.CustomID, "components": rows}
	return s.interaction(5, c.ChannelID, c.UserID, c.Locale, data, nil)
}

// WaitCallback waits for the interaction's initial response and returns its
// body: {"type": 4, "data": {...}}.
func (s *Server) WaitCallback(t testing.TB, in Interaction) map[string]any {
	t.Helper()
	return s.WaitRequest(t, http.MethodPost, "/api/v9/interactions/"+in.ID+"/"+in.Token+"/callback", func(r Request) bool { return r.Status < 300 }).JSON()
}

// WaitFollowup waits for a follow-up message on the interaction's webhook
// and returns its body.
func (s *Server) WaitFollowup(t testing.TB, in Interaction) map[string]any {
	t.Helper()
	return s.WaitRequest(t, http.MethodPost, "/api/v9/webhooks/"+AppID+"/"+in.Token, func(r Request) bool { return r.Status < 300 }).JSON()
}

// DispatchMemberJoin adds a user to the guild and sends GUILD_MEMBER_ADD.
func (s *Server) DispatchMemberJoin(guildID, userID string) {
	s.mu.Lock()
	g := s.guilds[guildID]
	s.userObject(userID)
	s.addMember(g, userID, nil)
	m := s.memberObject(guildID, userID, true)
	delete(m, "permissions")
	m["guild_id"] = guildID
	s.mu.Unlock()
	s.Dispatch("GUILD_MEMBER_ADD", m)
}

// DispatchMemberLeave removes a member and sends GUILD_MEMBER_REMOVE.
func (s *Server) DispatchMemberLeave(guildID, userID string) {
	s.mu.Lock()
	delete(s.guilds[guildID].members, userID)
	u := s.userObject(userID)
	s.mu.Unlock()
	s.Dispatch("GUILD_MEMBER_REMOVE", map[string]any{"guild_id": guildID, "user": u})
}

// DispatchPollVote sends MESSAGE_POLL_VOTE_ADD (add) or
// MESSAGE_POLL_VOTE_REMOVE for answer answerID (1-based, as Discord counts).
func (s *Server) DispatchPollVote(channelID, messageID, userID string, answerID int, add bool) {
	s.mu.Lock()
	gid, _ := s.channelObject(channelID)["guild_id"].(string)
	s.mu.Unlock()
	event := "MESSAGE_POLL_VOTE_REMOVE"
	if add {
		event = "MESSAGE_POLL_VOTE_ADD"
	}
	s.Dispatch(event, map[string]any{"user_id": userID, "channel_id": channelID, "message_id": messageID, "guild_id": gid, "answer_id": answerID})
}

// DispatchReaction sends MESSAGE_REACTION_ADD for a unicode emoji.
func (s *Server) DispatchReaction(channelID, messageID, userID, emoji string) {
	s.mu.Lock()
	gid, _ := s.channelObject(channelID)["guild_id"].(string)
	d := map[string]any{"user_id": userID, "channel_id": channelID, "message_id": messageID,
		"emoji": map[string]any{"id": nil, "name": emoji}, "burst": false, "type": 0}
	if gid != "" {
		d["guild_id"] = gid
		d["member"] = s.memberObject(gid, userID, true)
	}
	s.mu.Unlock()
	s.Dispatch("MESSAGE_REACTION_ADD", d)
}
