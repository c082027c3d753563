package telegram

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/rs/zerolog"

	"github.com/cohortbot/cohort/bot"
)

// allowedUpdates are the update types the adapter asks Telegram for.
var allowedUpdates = []string{
	models.AllowedUpdateMessage,
	models.AllowedUpdateEditedMessage,
	models.AllowedUpdateCallbackQuery,
	models.AllowedUpdatePollAnswer,
	models.AllowedUpdateChatMember,
	models.AllowedUpdateMyChatMember,
}

// adminTTL is how long a chat's administrator list is trusted before it is
// fetched again; chat_member updates about admins refresh it sooner.
const adminTTL = 10 * time.Minute

// maxPolls is how many sent polls the adapter remembers for poll_answer.
const maxPolls = 4096

// An Adapter connects the bot with Telegram through the Bot API. It turns
// updates (long polling or webhook) into bot Events and sends Outgoing
// messages through a rate-limited queue. Create it with New.
type Adapter struct {
	cfg   Config
	log   zerolog.Logger
	api   *tgbot.Bot
	out   *outbox
	clock clock

	mu       sync.RWMutex
	handler  bot.Handler
	me       *models.User
	commands []bot.CommandInfo
	admins   map[int64]adminEntry
	// migrated maps an old group id to its supergroup id, and back.
	migratedTo   map[int64]int64
	migratedFrom map[int64]int64
	polls        *pollBook
	recent       *recentSet

	inbound bot.Lanes // incoming updates, in order per chat
	// lastError is when the client last failed to get updates (unix ns).
	lastError atomic.Int64
	// retryBase is the first wait before retrying getMe at start.
	retryBase time.Duration
}

type adminEntry struct {
	roles   map[int64]bot.Role
	fetched time.Time
}

// New creates a Telegram adapter from its configuration. It does not talk
// to Telegram yet: Run checks the token (getMe), publishes the command menu
// and starts receiving updates. Send may be used before Run.
func New(cfg Config, log zerolog.Logger) (*Adapter, error) {
	cfg.Defaults()
	if cfg.Token == "" {
		return nil, errors.New("telegram.token: required")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	log = log.With().Str("platform", bot.Telegram).Logger()
	a := &Adapter{
		cfg:          cfg,
		log:          log,
		clock:        realClock{},
		admins:       map[int64]adminEntry{},
		migratedTo:   map[int64]int64{},
		migratedFrom: map[int64]int64{},
		polls:        newPollBook(maxPolls),
		recent:       newRecentSet(1024, time.Minute),
		retryBase:    time.Second,
	}
	a.out = newOutbox(cfg.Limits, a.clock, log)
	a.out.migrated = a.noteMigration
	pollTimeout := cfg.PollTimeout
	if pollTimeout <= 0 {
		pollTimeout = time.Minute
	}
	opts := []tgbot.Option{
		tgbot.WithServerURL(strings.TrimRight(cfg.APIURL, "/")),
		tgbot.WithSkipGetMe(),
		tgbot.WithHTTPClient(pollTimeout, &http.Client{Timeout: pollTimeout + 10*time.Second}),
		tgbot.WithDefaultHandler(a.onUpdate),
		tgbot.WithNotAsyncHandlers(),
		tgbot.WithAllowedUpdates(allowedUpdates),
		tgbot.WithErrorsHandler(func(err error) {
			a.lastError.Store(time.Now().UnixNano())
			a.log.Warn().Err(a.scrub(err)).Msg("telegram client error")
		}),
	}
	if cfg.Mode == "webhook" && cfg.Webhook.Secret != "" {
		opts = append(opts, tgbot.WithWebhookSecretToken(cfg.Webhook.Secret))
	}
	api, err := tgbot.New(cfg.Token, opts...)
	if err != nil {
		return nil, fmt.Errorf("telegram: %w", a.scrub(err))
	}
	a.api = api
	return a, nil
}

// Platform returns "telegram".
func (a *Adapter) Platform() string { return bot.Telegram }

// SetCommands remembers the command list; Run publishes it with
// setMyCommands.
func (a *Adapter) SetCommands(cmds []bot.CommandInfo) {
	a.mu.Lock()
	a.commands = append([]bot.CommandInfo(nil), cmds...)
	a.mu.Unlock()
}

// Username is the bot's own username, known once Run has called getMe.
func (a *Adapter) Username() string {
	a.mu.RLock()
	defer a.mu.RUnlock()
	if a.me == nil {
		return ""
	}
	return a.me.Username
}

// Run checks the token, publishes the command menu and delivers updates to
// h until ctx is cancelled: by long polling, or in webhook mode through an
// HTTP server on cfg.Webhook.Listen.
func (a *Adapter) Run(ctx context.Context, h bot.Handler) error {
	me, err := a.getMe(ctx)
	if err != nil {
		return err
	}
	a.mu.Lock()
	a.me = me
	a.handler = h
	a.mu.Unlock()
	a.log.Info().Str("bot", me.Username).Str("mode", a.cfg.Mode).Msg("connected to telegram")
	a.publishCommands(ctx)

	var runErr error
	if a.cfg.Mode == "webhook" {
		runErr = a.runWebhook(ctx)
	} else {
		runErr = a.runPolling(ctx)
	}
	a.inbound.Wait()
	a.out.wait()
	return runErr
}

func (a *Adapter) getMe(ctx context.Context) (*models.User, error) {
	for attempt := 0; ; attempt++ {
		me, err := a.api.GetMe(ctx)
		if err == nil {
			return me, nil
		}
		if !retryable(err) || attempt >= 4 || ctx.Err() != nil {
			if errors.Is(err, tgbot.ErrorUnauthorized) || errors.Is(err, tgbot.ErrorNotFound) {
				return nil, fmt.Errorf("telegram: the token was refused (check telegram.token): %w", a.scrub(err))
			}
			return nil, fmt.Errorf("telegram: getMe: %w", a.scrub(err))
		}
		a.log.Warn().Err(a.scrub(err)).Msg("telegram getMe failed; retrying")
		select {
		case <-ctx.Done():
		case <-a.clock.After(a.retryBase << attempt):
		}
	}
}

func (a *Adapter) runPolling(ctx context.Context) error {
	// A webhook left over from webhook mode blocks getUpdates (409 Conflict).
	if _, err := a.api.DeleteWebhook(ctx, &tgbot.DeleteWebhookParams{}); err != nil && ctx.Err() == nil {
		a.log.Warn().Err(a.scrub(err)).Msg("telegram deleteWebhook failed")
	}
	a.api.Start(ctx)
	return nil
}

func (a *Adapter) runWebhook(ctx context.Context) error {
	_, err := a.api.SetWebhook(ctx, &tgbot.SetWebhookParams{
		URL:            a.cfg.Webhook.PublicURL,
		AllowedUpdates: allowedUpdates,
		SecretToken:    a.cfg.Webhook.Secret,
	})
	if err != nil {
		return fmt.Errorf("telegram: setWebhook %s: %w", a.cfg.Webhook.PublicURL, a.scrub(err))
	}
	srv := &http.Server{
		Addr:              a.cfg.Webhook.Listen,
		Handler:           a.WebhookHandler(),
		ReadHeaderTimeout: 10 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	workers := make(chan struct{})
	go func() { a.api.StartWebhook(ctx); close(workers) }()
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(shut)
	<-workers
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("telegram: webhook server on %s: %w", a.cfg.Webhook.Listen, err)
	}
	return nil
}

// WebhookHandler is the HTTP handler that receives webhook updates. It
// answers 401 to requests without the configured secret token header, so
// they never reach the bot; Run mounts it on its own server in webhook mode.
func (a *Adapter) WebhookHandler() http.Handler {
	lib := a.api.WebhookHandler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if a.cfg.Webhook.Secret != "" && !secretEqual(r.Header.Get("X-Telegram-Bot-Api-Secret-Token"), a.cfg.Webhook.Secret) {
			a.log.Warn().Str("remote", r.RemoteAddr).Msg("telegram webhook request with a wrong secret token rejected")
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		lib(w, r)
	})
}

// scrub removes the token from an error's text, keeping the error chain.
func (a *Adapter) scrub(err error) error {
	if err == nil || a.cfg.Token == "" || !strings.Contains(err.Error(), a.cfg.Token) {
		return err
	}
	return &scrubbedError{msg: strings.ReplaceAll(err.Error(), a.cfg.Token, "***"), err: err}
}

type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

// chatID reads the Telegram chat id of a ChatRef.
func chatID(ref bot.ChatRef) (int64, error) {
	if ref.Platform != "" && ref.Platform != bot.Telegram {
		return 0, fmt.Errorf("telegram: chat %s is not a telegram chat", ref)
	}
	s := ref.Chat
	if s == "" {
		s = ref.Space
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("telegram: chat %q is not a chat id", s)
	}
	return id, nil
}

func threadID(ref bot.ChatRef) int {
	n, _ := strconv.Atoi(ref.Thread)
	return n
}

func chatRef(id int64, thread int) bot.ChatRef {
	s := strconv.FormatInt(id, 10)
	ref := bot.ChatRef{Platform: bot.Telegram, Space: s, Chat: s}
	if thread != 0 {
		ref.Thread = strconv.Itoa(thread)
	}
	return ref
}

// resolve follows group to supergroup migrations for outgoing calls.
func (a *Adapter) resolve(id int64) int64 {
	a.mu.RLock()
	defer a.mu.RUnlock()
	for i := 0; i < 4; i++ {
		to, ok := a.migratedTo[id]
		if !ok {
			break
		}
		id = to
	}
	return id
}

// reported is the id events of a chat are reported under: a group that
// became a supergroup keeps its old id while the process runs, so the
// community it belongs to in the configuration keeps it.
func (a *Adapter) reported(id int64) int64 {
	a.mu.RLock()
	defer a.mu.RUnlock()
	if from, ok := a.migratedFrom[id]; ok {
		return from
	}
	return id
}

func (a *Adapter) noteMigration(from, to int64) {
	a.mu.Lock()
	if a.migratedTo[from] == to {
		a.mu.Unlock()
		return
	}
	a.migratedTo[from] = to
	if _, ok := a.migratedFrom[to]; !ok {
		a.migratedFrom[to] = from
	}
	if e, ok := a.admins[from]; ok {
		a.admins[to] = e
		delete(a.admins, from)
	}
	a.mu.Unlock()
	a.log.Warn().Str("chat", chatRef(from, 0).String()).Str("new_chat", chatRef(to, 0).String()).
		Msg("telegram group became a supergroup with a new id; working under the new id until restart — update the configuration to the new id")
}

func secretEqual(got, want string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
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
	_ bot.Inviter          = (*Adapter)(nil)
	_ bot.CommandRegistrar = (*Adapter)(nil)
	_ bot.Responder        = chatResponder{}
)

// SetMetrics reports the outbound queue's depth and 429 answers to m. Call
// it before Run.
func (a *Adapter) SetMetrics(m bot.OutboundMetrics) { a.out.metrics = m }

// Ready reports whether the bot is connected: getMe succeeded and getting
// updates has not failed in the last 30 seconds.
func (a *Adapter) Ready() error {
	if a.Username() == "" {
		return errors.New("telegram not connected yet")
	}
	if last := a.lastError.Load(); last != 0 && time.Since(time.Unix(0, last)) < 30*time.Second {
		return errors.New("telegram requests are failing")
	}
	return nil
}
