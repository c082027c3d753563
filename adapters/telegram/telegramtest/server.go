package telegramtest

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Token is the bot token the server accepts by default.
const Token = "123456:TEST-token-for-telegramtest"

// BotID is the user id of the fake bot.
const BotID = 123456

// BotUsername is the fake bot's username.
const BotUsername = "cohort_test_bot"

// Call is one recorded Bot API request.
type Call struct {
	Method string
	Params map[string]string // form fields; nested objects are JSON text
	Files  map[string]File   // uploaded files by field name
	Time   time.Time         // when the server received the request
}

// File is an uploaded file.
type File struct {
	Name string
	Data []byte
}

// JSON decodes a parameter that carries a JSON object or array into v.
func (c Call) JSON(param string, v any) error { return json.Unmarshal([]byte(c.Params[param]), v) }

// Int reads an integer parameter (0 when absent).
func (c Call) Int(param string) int64 {
	n, _ := strconv.ParseInt(c.Params[param], 10, 64)
	return n
}

// Message is a message the server knows, with its text already parsed
// from the parse mode the sender used.
type Message struct {
	ID       int
	ChatID   int64
	Thread   int
	FromBot  bool
	FromID   int64
	Kind     string // text, photo, document, poll
	Text     string // text or caption, as members see it
	Entities []Entity
	ReplyTo  int
	Markup   json.RawMessage // reply_markup as sent
	PollID   string
	Closed   bool
	Pinned   bool
	Deleted  bool
	Time     time.Time
	File     *File
}

type failure struct {
	code       int
	retryAfter int
	n          int
}

type delay struct {
	d time.Duration
	n int
}

type member struct {
	status string // creator, administrator, member, restricted, left, kicked
	until  int64
	user   User
}

type chat struct {
	id      int64
	title   string
	forum   bool
	nextID  int
	msgs    map[int]*Message
	order   []int
	members map[int64]*member
}

type poll struct {
	chatID   int64
	msgID    int
	question string
	options  []string
	multi    bool
	anon     bool
	closed   bool
}

// Server is a fake Bot API server. Create it with NewServer.
type Server struct {
	// URL is the server's base URL, for the client's API URL setting.
	URL string
	// Token is the token the server accepts.
	Token string

	ts   *httptest.Server
	quit chan struct{}

	mu        sync.Mutex
	changed   chan struct{}
	updates   []map[string]any
	nextUpd   int64
	confirmed int64
	allowed   map[string]bool
	calls     []Call
	chats     map[int64]*chat
	started   map[int64]bool
	fails     map[string][]*failure
	hangs     int                 // getUpdates calls to hold unanswered
	drops     map[string]int      // calls to cut off without an answer, by method
	delays    map[string][]*delay // calls to answer late, by method
	polls     map[string]*poll
	queries   map[string]bool // callback query id -> answered
	commands  map[string][]map[string]string
	webhook   map[string]string
	migrated  map[int64]int64
	nextPoll  int
	nextQuery int
	nextLink  int
}

// NewServer starts a fake Bot API server; it is closed when the test ends.
func NewServer(t testing.TB) *Server {
	s := newServer()
	s.ts = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.ts.URL
	t.Cleanup(s.Close)
	return s
}

// Listen starts a fake Bot API server on addr (e.g. "127.0.0.1:8081") for
// trying the bot by hand; Close stops it.
func Listen(addr string) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := newServer()
	s.ts = &httptest.Server{Listener: ln, Config: &http.Server{Handler: http.HandlerFunc(s.serve)}}
	s.ts.Start()
	s.URL = s.ts.URL
	return s, nil
}

func newServer() *Server {
	return &Server{
		Token:    Token,
		quit:     make(chan struct{}),
		changed:  make(chan struct{}),
		chats:    map[int64]*chat{},
		started:  map[int64]bool{},
		fails:    map[string][]*failure{},
		drops:    map[string]int{},
		delays:   map[string][]*delay{},
		polls:    map[string]*poll{},
		queries:  map[string]bool{},
		commands: map[string][]map[string]string{},
		migrated: map[int64]int64{},
	}
}

// Close stops the server, ending pending long polls first.
func (s *Server) Close() {
	s.mu.Lock()
	select {
	case <-s.quit:
		s.mu.Unlock()
		return
	default:
		close(s.quit)
	}
	s.mu.Unlock()
	s.ts.CloseClientConnections()
	s.ts.Close()
}

// FailNext makes the next n calls of method fail with the given error code
// (429 with retryAfter seconds, 403, 400, 500...), as Telegram words them.
func (s *Server) FailNext(method string, code, retryAfter, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fails[method] = append(s.fails[method], &failure{code: code, retryAfter: retryAfter, n: n})
}

// HangUpdates makes the next n getUpdates calls hang: the server takes the
// request and never answers it, as a stalled connection or proxy looks to
// the client, until the client gives up (its HTTP timeout) or the server
// closes. Updates added meanwhile wait for the next call.
func (s *Server) HangUpdates(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hangs += n
}

// DropNext makes the next n calls of method end with the connection closed
// before any answer, as when the network drops; the server does not act on
// them (no message is sent, no update is confirmed).
func (s *Server) DropNext(method string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.drops[method] += n
}

// DelayNext makes the next n calls of method wait d before the server
// handles and answers them, as a slow Bot API does.
func (s *Server) DelayNext(method string, d time.Duration, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delays[method] = append(s.delays[method], &delay{d: d, n: n})
}

// Migrate turns group from into supergroup to: sending to from then fails
// with 400 and parameters.migrate_to_chat_id, as after a real upgrade.
func (s *Server) Migrate(from, to int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.migrated[from] = to
}

// MakeAdmin makes a user an administrator ("administrator") or the owner
// ("creator") of a chat. Use BotID to give the bot admin rights.
func (s *Server) MakeAdmin(chatID int64, u User, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if status == "" {
		status = "administrator"
	}
	s.chat(chatID).members[u.ID] = &member{status: status, user: u}
}

// Start marks that a user has opened a private chat with the bot, so the
// bot may message them. A private message from the user does the same.
func (s *Server) Start(userID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.started[userID] = true
}

// Calls returns the recorded calls of a method ("" for all), in order.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Messages returns the messages the bot sent to a chat that were not
// deleted, in order.
func (s *Server) Messages(chatID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.chats[chatID]
	if !ok {
		return nil
	}
	var out []Message
	for _, id := range c.order {
		if m := c.msgs[id]; m.FromBot && !m.Deleted {
			out = append(out, *m)
		}
	}
	return out
}

// Message returns one message of a chat, including deleted ones.
func (s *Server) Message(chatID int64, id int) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.chats[chatID]; ok {
		if m, ok := c.msgs[id]; ok {
			return *m, true
		}
	}
	return Message{}, false
}

// MemberStatus is a user's status in a chat ("member" when unknown) and the
// until_date of a restriction or ban.
func (s *Server) MemberStatus(chatID, userID int64) (string, int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.chats[chatID]; ok {
		if m, ok := c.members[userID]; ok {
			return m.status, m.until
		}
	}
	return "member", 0
}

// Commands returns the command menu set for a scope type
// ("all_group_chats", ...) and language code ("" for the default), as
// command -> description pairs.
func (s *Server) Commands(scope, lang string) []map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.commands[scope+"/"+lang]
}

// Webhook returns the webhook set with setWebhook (url, secret_token,
// allowed_updates), or nil.
func (s *Server) Webhook() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.webhook == nil {
		return nil
	}
	out := map[string]string{}
	for k, v := range s.webhook {
		out[k] = v
	}
	return out
}

// Answered reports whether a callback query was answered.
func (s *Server) Answered(queryID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queries[queryID]
}

// PollOf returns the chat and message of a poll the bot sent.
func (s *Server) PollOf(pollID string) (chatID int64, msgID int, closed bool, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.polls[pollID]
	if !ok {
		return 0, 0, false, false
	}
	return p.chatID, p.msgID, p.closed, true
}

func (s *Server) chat(id int64) *chat {
	c, ok := s.chats[id]
	if !ok {
		c = &chat{id: id, title: fmt.Sprintf("Chat %d", id), msgs: map[int]*Message{}, members: map[int64]*member{}}
		s.chats[id] = c
	}
	return c
}

func (c *chat) add(m *Message) {
	if m.ID == 0 {
		c.nextID++
		m.ID = c.nextID
	} else if m.ID > c.nextID {
		c.nextID = m.ID
	}
	m.ChatID = c.id
	if _, ok := c.msgs[m.ID]; !ok {
		c.order = append(c.order, m.ID)
	}
	c.msgs[m.ID] = m
}

// apiError is a Bot API error answer.
type apiError struct {
	code       int
	desc       string
	retryAfter int
	migrateTo  int64
}

func badRequest(format string, args ...any) *apiError {
	return &apiError{code: 400, desc: "Bad Request: " + fmt.Sprintf(format, args...)}
}

func describe(code, retryAfter int) *apiError {
	switch code {
	case 429:
		return &apiError{code: 429, desc: fmt.Sprintf("Too Many Requests: retry after %d", retryAfter), retryAfter: retryAfter}
	case 403:
		return &apiError{code: 403, desc: "Forbidden: bot was blocked by the user"}
	case 400:
		return badRequest("chat not found")
	case 401:
		return &apiError{code: 401, desc: "Unauthorized"}
	case 404:
		return &apiError{code: 404, desc: "Not Found"}
	case 409:
		return &apiError{code: 409, desc: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}
	case 502:
		return &apiError{code: 502, desc: "Bad Gateway"}
	default:
		return &apiError{code: code, desc: "Internal Server Error"}
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, e *apiError) {
	body := map[string]any{"ok": false, "error_code": e.code, "description": e.desc}
	params := map[string]any{}
	if e.retryAfter > 0 {
		params["retry_after"] = e.retryAfter
	}
	if e.migrateTo != 0 {
		params["migrate_to_chat_id"] = e.migrateTo
	}
	if len(params) > 0 {
		body["parameters"] = params
	}
	writeJSON(w, e.code, body)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/")
	tokenPart, method, ok := strings.Cut(path, "/")
	if !ok || !strings.HasPrefix(tokenPart, "bot") {
		writeError(w, describe(404, 0))
		return
	}
	if tokenPart[3:] != s.Token {
		writeError(w, describe(401, 0))
		return
	}
	call := Call{Method: method, Time: time.Now(), Params: map[string]string{}, Files: map[string]File{}}
	if err := readParams(r, &call); err != nil {
		writeError(w, badRequest("%v", err))
		return
	}
	s.mu.Lock()
	s.calls = append(s.calls, call)
	wait := s.takeDelay(method)
	s.mu.Unlock()
	if wait > 0 {
		select {
		case <-time.After(wait):
		case <-r.Context().Done():
			return
		case <-s.quit:
		}
	}
	s.mu.Lock()
	if e := s.takeFailure(method); e != nil {
		s.mu.Unlock()
		writeError(w, e)
		return
	}
	if s.drops[method] > 0 {
		s.drops[method]--
		s.mu.Unlock()
		dropConnection(w)
		return
	}
	if method == "getUpdates" && s.hangs > 0 {
		s.hangs--
		s.mu.Unlock()
		select {
		case <-r.Context().Done():
		case <-s.quit:
		}
		return
	}
	s.mu.Unlock()

	if method == "getUpdates" {
		s.getUpdates(w, r, call)
		return
	}
	s.mu.Lock()
	result, e := s.handle(call)
	s.mu.Unlock()
	if e != nil {
		writeError(w, e)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "result": result})
}

func (s *Server) takeDelay(method string) time.Duration {
	q := s.delays[method]
	if len(q) == 0 {
		return 0
	}
	d := q[0]
	d.n--
	if d.n <= 0 {
		s.delays[method] = q[1:]
	}
	return d.d
}

// dropConnection closes the client's connection without writing an answer.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler) // net/http closes the connection
}

func (s *Server) takeFailure(method string) *apiError {
	q := s.fails[method]
	if len(q) == 0 {
		return nil
	}
	f := q[0]
	f.n--
	if f.n <= 0 {
		s.fails[method] = q[1:]
	}
	return describe(f.code, f.retryAfter)
}

// readParams reads multipart (streamed, possibly chunked, possibly an empty
// body for calls without parameters), url-encoded or JSON parameters, plus
// the query string, as the Bot API accepts all of them.
func readParams(r *http.Request, c *Call) error {
	for k, v := range r.URL.Query() {
		c.Params[k] = v[0]
	}
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "multipart/form-data":
		mr := multipart.NewReader(r.Body, params["boundary"])
		for {
			p, err := mr.NextPart()
			if err == io.EOF || (err != nil && strings.Contains(err.Error(), "EOF")) {
				return nil // the library sends an empty body when there are no parameters
			}
			if err != nil {
				return err
			}
			data, err := io.ReadAll(p)
			if err != nil {
				return err
			}
			if p.FileName() != "" {
				c.Files[p.FormName()] = File{Name: p.FileName(), Data: data}
				c.Params[p.FormName()] = "attach://" + p.FileName()
			} else {
				c.Params[p.FormName()] = string(data)
			}
		}
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return err
		}
		for k, v := range r.PostForm {
			c.Params[k] = v[0]
		}
	case "application/json":
		var m map[string]any
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil && err != io.EOF {
			return err
		}
		for k, v := range m {
			if str, ok := v.(string); ok {
				c.Params[k] = str
			} else {
				b, _ := json.Marshal(v)
				c.Params[k] = string(b)
			}
		}
	}
	return nil
}

// defaultAllowed are the update types delivered when allowed_updates was
// never given: all except chat_member and reactions, as documented.
func defaultAllowed(kind string) bool {
	switch kind {
	case "chat_member", "message_reaction", "message_reaction_count":
		return false
	}
	return true
}

func updateKind(u map[string]any) string {
	for k := range u {
		if k != "update_id" {
			return k
		}
	}
	return ""
}

func (s *Server) getUpdates(w http.ResponseWriter, r *http.Request, c Call) {
	offset := c.Int("offset")
	limit := int(c.Int("limit"))
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout := time.Duration(c.Int("timeout")) * time.Second
	s.mu.Lock()
	if s.webhook != nil {
		s.mu.Unlock()
		writeError(w, &apiError{code: 409, desc: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"})
		return
	}
	if raw := c.Params["allowed_updates"]; raw != "" {
		var list []string
		if err := json.Unmarshal([]byte(raw), &list); err == nil {
			if len(list) == 0 {
				s.allowed = nil
			} else {
				s.allowed = map[string]bool{}
				for _, k := range list {
					s.allowed[k] = true
				}
			}
		}
	}
	s.mu.Unlock()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		if offset > s.confirmed+1 {
			s.confirmed = offset - 1
		}
		var out []map[string]any
		kept := s.updates[:0]
		for _, u := range s.updates {
			id := u["update_id"].(int64)
			if id <= s.confirmed {
				continue
			}
			kind := updateKind(u)
			if (s.allowed != nil && !s.allowed[kind]) || (s.allowed == nil && !defaultAllowed(kind)) {
				continue // not requested: Telegram never creates it
			}
			kept = append(kept, u)
			if len(out) < limit {
				out = append(out, u)
			}
		}
		s.updates = kept
		ch := s.changed
		s.mu.Unlock()
		if len(out) > 0 || timeout == 0 {
			if out == nil {
				out = []map[string]any{}
			}
			writeJSON(w, http.StatusOK, map[string]any{"ok": true, "result": out})
			return
		}
		select {
		case <-ch:
		case <-deadline.C:
			timeout = 0
		case <-r.Context().Done():
			return
		case <-s.quit:
			writeJSON(w, http.StatusOK, map[string]any{"ok": true, "result": []any{}})
			return
		}
	}
}

func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Server) botUser() map[string]any {
	return map[string]any{"id": BotID, "is_bot": true, "first_name": "Cohort Test", "username": BotUsername}
}

func chatType(id int64) string {
	switch {
	case id > 0:
		return "private"
	case id <= -1000000000000:
		return "supergroup"
	default:
		return "group"
	}
}

func (s *Server) chatJSON(c *chat) map[string]any {
	j := map[string]any{"id": c.id, "type": chatType(c.id)}
	if c.id < 0 {
		j["title"] = c.title
		if c.forum {
			j["is_forum"] = true
		}
	} else {
		j["first_name"] = fmt.Sprintf("User %d", c.id)
	}
	return j
}

func (s *Server) messageJSON(c *chat, m *Message) map[string]any {
	j := map[string]any{"message_id": m.ID, "date": m.Time.Unix(), "chat": s.chatJSON(c)}
	if m.FromBot {
		j["from"] = s.botUser()
	}
	if m.Thread != 0 {
		j["message_thread_id"] = m.Thread
		j["is_topic_message"] = true
	}
	var ents any = m.Entities
	if len(m.Entities) == 0 {
		ents = nil
	}
	switch m.Kind {
	case "text":
		j["text"] = m.Text
		if ents != nil {
			j["entities"] = ents
		}
	case "photo", "document":
		if m.Text != "" {
			j["caption"] = m.Text
			if ents != nil {
				j["caption_entities"] = ents
			}
		}
		fid := fmt.Sprintf("file-%d-%d", c.id, m.ID)
		if m.Kind == "photo" {
			j["photo"] = []map[string]any{{"file_id": fid, "file_unique_id": fid, "width": 800, "height": 600, "file_size": len(m.File.Data)}}
		} else {
			j["document"] = map[string]any{"file_id": fid, "file_unique_id": fid, "file_name": m.File.Name, "file_size": len(m.File.Data)}
		}
	case "poll":
		j["poll"] = s.pollJSON(m.PollID)
	}
	if m.ReplyTo != 0 {
		if r, ok := c.msgs[m.ReplyTo]; ok {
			rj := map[string]any{"message_id": r.ID, "date": r.Time.Unix(), "chat": s.chatJSON(c)}
			if r.Kind == "text" {
				rj["text"] = r.Text
			}
			j["reply_to_message"] = rj
		}
	}
	if len(m.Markup) > 0 {
		j["reply_markup"] = json.RawMessage(m.Markup)
	}
	return j
}

func (s *Server) pollJSON(id string) map[string]any {
	p := s.polls[id]
	opts := make([]map[string]any, len(p.options))
	for i, o := range p.options {
		opts[i] = map[string]any{"text": o, "voter_count": 0}
	}
	return map[string]any{"id": id, "question": p.question, "options": opts, "total_voter_count": 0,
		"is_closed": p.closed, "is_anonymous": p.anon, "type": "regular", "allows_multiple_answers": p.multi}
}

func parseBool(s string, def bool) bool {
	if s == "" {
		return def
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return def
	}
	return b
}

// targetChat resolves chat_id, refusing chats the bot cannot write to.
func (s *Server) targetChat(c Call, write bool) (*chat, *apiError) {
	raw := c.Params["chat_id"]
	if raw == "" {
		return nil, badRequest("chat_id is empty")
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return nil, badRequest("chat not found")
	}
	if to, ok := s.migrated[id]; ok {
		return nil, &apiError{code: 400, desc: "Bad Request: group chat was upgraded to a supergroup chat", migrateTo: to}
	}
	if write && id > 0 && !s.started[id] {
		return nil, &apiError{code: 403, desc: "Forbidden: bot can't initiate conversation with a user"}
	}
	return s.chat(id), nil
}

func (s *Server) botIsAdmin(c *chat) bool {
	m, ok := c.members[BotID]
	return ok && (m.status == "administrator" || m.status == "creator")
}

// handle answers every method except getUpdates. s.mu is held.
func (s *Server) handle(c Call) (any, *apiError) {
	switch c.Method {
	case "getMe":
		u := s.botUser()
		u["can_join_groups"] = true
		u["can_read_all_group_messages"] = false
		u["supports_inline_queries"] = false
		return u, nil
	case "deleteWebhook":
		s.webhook = nil
		if parseBool(c.Params["drop_pending_updates"], false) {
			s.updates = nil
		}
		return true, nil
	case "setWebhook":
		u, err := url.Parse(c.Params["url"])
		if c.Params["url"] == "" {
			s.webhook = nil
			return true, nil
		}
		if err != nil || u.Scheme != "https" {
			return nil, badRequest("bad webhook: An HTTPS URL must be provided for webhook")
		}
		s.webhook = map[string]string{"url": c.Params["url"], "secret_token": c.Params["secret_token"], "allowed_updates": c.Params["allowed_updates"]}
		return true, nil
	case "getWebhookInfo":
		info := map[string]any{"url": "", "has_custom_certificate": false, "pending_update_count": len(s.updates)}
		if s.webhook != nil {
			info["url"] = s.webhook["url"]
		}
		return info, nil
	case "sendMessage", "sendPhoto", "sendDocument", "sendPoll":
		return s.send(c)
	case "editMessageText":
		ch, e := s.targetChat(c, false)
		if e != nil {
			return nil, e
		}
		m, ok := ch.msgs[int(c.Int("message_id"))]
		if !ok || m.Deleted || m.Kind != "text" {
			return nil, badRequest("message to edit not found")
		}
		if !m.FromBot {
			return nil, badRequest("message can't be edited")
		}
		text, ents, err := formatted(c.Params["text"], c.Params["parse_mode"])
		if err != nil {
			return nil, badRequest("%v", err)
		}
		if text == m.Text && c.Params["reply_markup"] == string(m.Markup) {
			return nil, badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
		}
		m.Text, m.Entities = text, ents
		if rm := c.Params["reply_markup"]; rm != "" {
			m.Markup = json.RawMessage(rm)
		}
		j := s.messageJSON(ch, m)
		j["edit_date"] = time.Now().Unix()
		return j, nil
	case "deleteMessage":
		ch, e := s.targetChat(c, false)
		if e != nil {
			return nil, e
		}
		m, ok := ch.msgs[int(c.Int("message_id"))]
		if !ok || m.Deleted {
			return nil, badRequest("message to delete not found")
		}
		if !m.FromBot && ch.id < 0 && !s.botIsAdmin(ch) {
			return nil, badRequest("message can't be deleted")
		}
		m.Deleted = true
		return true, nil
	case "pinChatMessage":
		ch, e := s.targetChat(c, false)
		if e != nil {
			return nil, e
		}
		m, ok := ch.msgs[int(c.Int("message_id"))]
		if !ok || m.Deleted {
			return nil, badRequest("message to pin not found")
		}
		if ch.id < 0 && !s.botIsAdmin(ch) {
			return nil, badRequest("not enough rights to manage pinned messages in the chat")
		}
		m.Pinned = true
		return true, nil
	case "stopPoll":
		ch, e := s.targetChat(c, false)
		if e != nil {
			return nil, e
		}
		m, ok := ch.msgs[int(c.Int("message_id"))]
		if !ok || m.Kind != "poll" {
			return nil, badRequest("message with poll to stop not found")
		}
		p := s.polls[m.PollID]
		if p.closed {
			return nil, badRequest("poll has already been closed")
		}
		p.closed, m.Closed = true, true
		return s.pollJSON(m.PollID), nil
	case "restrictChatMember", "banChatMember", "unbanChatMember":
		return s.moderate(c)
	case "getChatAdministrators":
		ch, e := s.targetChat(c, false)
		if e != nil {
			return nil, e
		}
		if ch.id > 0 {
			return nil, badRequest("there are no administrators in the private chat")
		}
		var out []map[string]any
		ids := make([]int64, 0, len(ch.members))
		for id := range ch.members {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		for _, id := range ids {
			m := ch.members[id]
			if m.status != "creator" && m.status != "administrator" {
				continue
			}
			out = append(out, memberJSON(id, m))
		}
		if out == nil {
			out = []map[string]any{}
		}
		return out, nil
	case "getChatMember":
		ch, e := s.targetChat(c, false)
		if e != nil {
			return nil, e
		}
		uid := c.Int("user_id")
		m, ok := ch.members[uid]
		if !ok {
			m = &member{status: "member", user: User{ID: uid, FirstName: fmt.Sprintf("User %d", uid)}}
		}
		return memberJSON(uid, m), nil
	case "answerCallbackQuery":
		id := c.Params["callback_query_id"]
		answered, ok := s.queries[id]
		if !ok || answered {
			return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
		}
		s.queries[id] = true
		return true, nil
	case "setMyCommands":
		var cmds []map[string]string
		if err := json.Unmarshal([]byte(c.Params["commands"]), &cmds); err != nil {
			return nil, badRequest("can't parse commands JSON object")
		}
		if len(cmds) > 100 {
			return nil, badRequest("too many commands")
		}
		for _, cmd := range cmds {
			name, desc := cmd["command"], cmd["description"]
			if name == "" || len(name) > 32 || strings.ToLower(name) != name || strings.ContainsAny(name, " -@/") {
				return nil, badRequest("BOT_COMMAND_INVALID")
			}
			if n := UTF16Len(desc); n < 1 || n > 256 {
				return nil, badRequest("command description must be non-empty")
			}
		}
		scope := "default"
		if raw := c.Params["scope"]; raw != "" {
			var sc struct {
				Type string `json:"type"`
			}
			if err := json.Unmarshal([]byte(raw), &sc); err != nil || sc.Type == "" {
				return nil, badRequest("can't parse BotCommandScope JSON object")
			}
			scope = sc.Type
		}
		lang := c.Params["language_code"]
		if len(lang) != 0 && len(lang) != 2 {
			return nil, badRequest("invalid language code specified")
		}
		s.commands[scope+"/"+lang] = cmds
		return true, nil
	case "createChatInviteLink":
		ch, e := s.targetChat(c, false)
		if e != nil {
			return nil, e
		}
		if ch.id > 0 || !s.botIsAdmin(ch) {
			return nil, badRequest("not enough rights to manage chat invite link")
		}
		if UTF16Len(c.Params["name"]) > 32 {
			return nil, badRequest("invite link name is too long")
		}
		s.nextLink++
		link := map[string]any{"invite_link": fmt.Sprintf("https://t.me/+fakeInvite%04d", s.nextLink), "creator": s.botUser(),
			"creates_join_request": false, "is_primary": false, "is_revoked": false}
		if n := c.Params["name"]; n != "" {
			link["name"] = n
		}
		return link, nil
	}
	return nil, describe(404, 0)
}

func memberJSON(id int64, m *member) map[string]any {
	u := m.user.json()
	if id == BotID {
		u = map[string]any{"id": BotID, "is_bot": true, "first_name": "Cohort Test", "username": BotUsername}
	}
	j := map[string]any{"status": m.status, "user": u}
	switch m.status {
	case "creator":
		j["is_anonymous"] = false
	case "administrator":
		for _, k := range []string{"can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages", "can_manage_video_chats",
			"can_restrict_members", "can_promote_members", "can_change_info", "can_invite_users"} {
			j[k] = k != "can_be_edited" && k != "is_anonymous" && k != "can_promote_members"
		}
		j["can_pin_messages"] = true
	case "restricted":
		j["is_member"] = true
		for _, k := range []string{"can_send_messages", "can_send_audios", "can_send_documents", "can_send_photos", "can_send_videos",
			"can_send_video_notes", "can_send_voice_notes", "can_send_polls", "can_send_other_messages", "can_add_web_page_previews",
			"can_change_info", "can_invite_users", "can_pin_messages"} {
			j[k] = false
		}
		j["until_date"] = m.until
	case "kicked":
		j["until_date"] = m.until
	}
	return j
}

func (s *Server) moderate(c Call) (any, *apiError) {
	ch, e := s.targetChat(c, false)
	if e != nil {
		return nil, e
	}
	if ch.id > 0 {
		return nil, badRequest("method is available for supergroup and channel chats only")
	}
	if !s.botIsAdmin(ch) {
		return nil, badRequest("not enough rights to restrict/unrestrict chat member")
	}
	uid := c.Int("user_id")
	if uid == 0 {
		return nil, badRequest("user_id is empty")
	}
	m, ok := ch.members[uid]
	if !ok {
		m = &member{status: "member", user: User{ID: uid, FirstName: fmt.Sprintf("User %d", uid)}}
		ch.members[uid] = m
	}
	if m.status == "creator" || m.status == "administrator" {
		return nil, badRequest("user is an administrator of the chat")
	}
	switch c.Method {
	case "restrictChatMember":
		var perms map[string]bool
		if err := json.Unmarshal([]byte(c.Params["permissions"]), &perms); err != nil {
			return nil, badRequest("can't parse permissions JSON object")
		}
		if perms["can_send_messages"] {
			m.status, m.until = "member", 0
		} else {
			m.status, m.until = "restricted", c.Int("until_date")
		}
	case "banChatMember":
		m.status, m.until = "kicked", c.Int("until_date")
	case "unbanChatMember":
		if m.status == "kicked" {
			m.status, m.until = "left", 0
		} else if !parseBool(c.Params["only_if_banned"], false) {
			m.status = "left"
		}
	}
	return true, nil
}

func formatted(text, mode string) (string, []Entity, error) {
	switch strings.ToLower(mode) {
	case "html":
		return ParseHTML(text)
	case "":
		return text, nil, nil
	default:
		return "", nil, fmt.Errorf("unsupported parse_mode %q in this fake", mode)
	}
}

func (s *Server) send(c Call) (any, *apiError) {
	ch, e := s.targetChat(c, true)
	if e != nil {
		return nil, e
	}
	m := &Message{FromBot: true, FromID: BotID, Time: c.Time, Thread: int(c.Int("message_thread_id"))}
	if ch.id > 0 && m.Thread != 0 {
		return nil, badRequest("message thread not found")
	}
	if rm := c.Params["reply_markup"]; rm != "" {
		var kb struct {
			InlineKeyboard [][]struct {
				Text         string `json:"text"`
				CallbackData string `json:"callback_data"`
				URL          string `json:"url"`
			} `json:"inline_keyboard"`
		}
		if err := json.Unmarshal([]byte(rm), &kb); err != nil {
			return nil, badRequest("can't parse reply keyboard markup JSON object")
		}
		for _, row := range kb.InlineKeyboard {
			for _, b := range row {
				if len(b.CallbackData) > 64 {
					return nil, badRequest("BUTTON_DATA_INVALID")
				}
				if b.Text == "" {
					return nil, badRequest("text buttons are unallowed in the inline keyboard")
				}
			}
		}
		m.Markup = json.RawMessage(rm)
	}
	if rp := c.Params["reply_parameters"]; rp != "" {
		var p struct {
			MessageID    int  `json:"message_id"`
			AllowWithout bool `json:"allow_sending_without_reply"`
		}
		if err := json.Unmarshal([]byte(rp), &p); err != nil {
			return nil, badRequest("can't parse reply parameters JSON object")
		}
		if r, ok := ch.msgs[p.MessageID]; ok && !r.Deleted {
			m.ReplyTo = p.MessageID
		} else if !p.AllowWithout {
			return nil, badRequest("message to be replied not found")
		}
	}
	switch c.Method {
	case "sendMessage":
		text, ents, err := formatted(c.Params["text"], c.Params["parse_mode"])
		if err != nil {
			return nil, badRequest("%v", err)
		}
		if strings.TrimSpace(text) == "" {
			return nil, badRequest("message text is empty")
		}
		if UTF16Len(text) > 4096 {
			return nil, badRequest("message is too long")
		}
		m.Kind, m.Text, m.Entities = "text", text, ents
	case "sendPhoto", "sendDocument":
		field := "photo"
		m.Kind = "photo"
		if c.Method == "sendDocument" {
			field, m.Kind = "document", "document"
		}
		f, ok := c.Files[field]
		if !ok {
			if c.Params[field] == "" {
				return nil, badRequest("there is no %s in the request", field)
			}
			f = File{Name: c.Params[field]}
		}
		m.File = &f
		text, ents, err := formatted(c.Params["caption"], c.Params["parse_mode"])
		if err != nil {
			return nil, badRequest("%v", err)
		}
		if UTF16Len(text) > 1024 {
			return nil, badRequest("message caption is too long")
		}
		m.Text, m.Entities = text, ents
	case "sendPoll":
		var opts []struct {
			Text string `json:"text"`
		}
		if err := json.Unmarshal([]byte(c.Params["options"]), &opts); err != nil {
			return nil, badRequest("can't parse options JSON object")
		}
		if len(opts) < 2 || len(opts) > 12 {
			return nil, badRequest("poll must have 2-12 options")
		}
		q := c.Params["question"]
		if q == "" || UTF16Len(q) > 300 {
			return nil, badRequest("poll question length must not exceed 300")
		}
		s.nextPoll++
		id := fmt.Sprintf("%d", 5000000000000000000+s.nextPoll)
		p := &poll{chatID: ch.id, question: q, multi: parseBool(c.Params["allows_multiple_answers"], false),
			anon: parseBool(c.Params["is_anonymous"], true)}
		for _, o := range opts {
			p.options = append(p.options, o.Text)
		}
		s.polls[id] = p
		m.Kind, m.PollID = "poll", id
		ch.add(m)
		p.msgID = m.ID
		return s.messageJSON(ch, m), nil
	}
	ch.add(m)
	return s.messageJSON(ch, m), nil
}
