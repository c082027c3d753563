package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/cohortbot/cohort/bot"
)

// Chat is the console's one group chat.
var Chat = bot.ChatRef{Platform: bot.Console, Space: "main", Chat: "main"}

// MaxLine is the longest input line read; longer lines are cut.
const MaxLine = 64 * 1024

// Options configure the console.
type Options struct {
	In      io.Reader
	Out     io.Writer
	Lang    string // the speakers' language, e.g. from $LANG
	Speaker string // the first speaker's name; default "you"
	FileDir string // where attachments are written; default the temp dir
}

// Adapter is the terminal chat.
type Adapter struct {
	opts Options

	mu       sync.Mutex
	speaker  bot.Account
	mods     map[string]bool
	nextID   int
	lastPoll bot.MessageRef
	muted    map[string]time.Time
	banned   map[string]bool
}

// New returns a console adapter.
func New(opts Options) *Adapter {
	if opts.In == nil {
		opts.In = os.Stdin
	}
	if opts.Out == nil {
		opts.Out = os.Stdout
	}
	if opts.Speaker == "" {
		opts.Speaker = "you"
	}
	if opts.FileDir == "" {
		opts.FileDir = os.TempDir()
	}
	a := &Adapter{opts: opts, mods: map[string]bool{}, muted: map[string]time.Time{}, banned: map[string]bool{}}
	a.speaker = a.account(opts.Speaker)
	return a
}

func (a *Adapter) account(name string) bot.Account {
	id := strings.ToLower(name)
	return bot.Account{Platform: bot.Console, ID: id, Name: name, Username: id, Lang: a.opts.Lang}
}

// Platform is "console".
func (a *Adapter) Platform() string { return bot.Console }

// Run reads lines until end of input or ctx ends; each line is handled
// before the next is read.
func (a *Adapter) Run(ctx context.Context, h bot.Handler) error {
	lines := make(chan string)
	errc := make(chan error, 1)
	go func() {
		r := bufio.NewReader(a.opts.In)
		for {
			line, err := r.ReadString('\n')
			if len(line) > MaxLine {
				line = strings.ToValidUTF8(line[:MaxLine], "")
			}
			if line != "" {
				select {
				case lines <- strings.TrimSuffix(line, "\n"):
				case <-ctx.Done():
					return
				}
			}
			if err != nil {
				if err == io.EOF {
					err = nil
				}
				errc <- err
				close(lines)
				return
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case line, ok := <-lines:
			if !ok {
				if err := <-errc; err != nil {
					a.printf("console input: %v\n", err)
				}
				return nil
			}
			a.handleLine(ctx, h, line)
		}
	}
}

func (a *Adapter) handleLine(ctx context.Context, h bot.Handler, line string) {
	line = strings.TrimRight(line, "\r")
	if !utf8.ValidString(line) {
		line = strings.ToValidUTF8(line, "�")
	}
	if strings.TrimSpace(line) == "" {
		return
	}
	a.mu.Lock()
	a.nextID++
	ev := &bot.Event{Kind: bot.EventMessage, Chat: Chat, From: a.speaker, Text: line, MessageID: strconv.Itoa(a.nextID), Time: time.Now()}
	a.mu.Unlock()
	head, rest, _ := strings.Cut(strings.TrimSpace(line), " ")
	rest = strings.TrimSpace(rest)
	switch head {
	case "/as":
		a.switchSpeaker(rest)
		return
	case "/dm":
		if rest == "" {
			a.printf("console: /dm TEXT sends TEXT to the bot in private\n")
			return
		}
		ev.Private = true
		ev.Chat = bot.ChatRef{Platform: bot.Console, Space: ev.From.ID, Chat: ev.From.ID}
		ev.Text = rest
	case "/press":
		ev.Kind, ev.Data, ev.Text = bot.EventButton, rest, ""
		h(ctx, ev)
		return
	case "/vote":
		a.vote(ctx, h, ev, rest)
		return
	}
	if a.isMuted(ev.From.ID) {
		a.printf("console: %s is muted and cannot write\n", ev.From.Name)
		return
	}
	if inv, ok := bot.ParseCommand(ev.Text, "/", ""); ok {
		ev.Kind, ev.Command = bot.EventCommand, &inv
	}
	h(ctx, ev)
}

func (a *Adapter) switchSpeaker(args string) {
	fields := strings.Fields(args)
	if len(fields) == 0 || len(fields) > 2 || len(fields[0]) > 32 {
		a.printf("console: /as NAME [mod] switches the speaker\n")
		return
	}
	a.mu.Lock()
	a.speaker = a.account(fields[0])
	a.mods[a.speaker.ID] = len(fields) == 2 && fields[1] == "mod"
	role := "member"
	if a.mods[a.speaker.ID] {
		role = "moderator"
	}
	a.mu.Unlock()
	a.printf("console: now speaking as %s (%s)\n", fields[0], role)
}

func (a *Adapter) vote(ctx context.Context, h bot.Handler, ev *bot.Event, args string) {
	a.mu.Lock()
	poll := a.lastPoll
	a.mu.Unlock()
	if poll.ID == "" {
		a.printf("console: there is no poll to vote in\n")
		return
	}
	var opts []int
	for _, f := range strings.Fields(args) {
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 || n > 10 {
			a.printf("console: /vote takes option numbers, e.g. /vote 2\n")
			return
		}
		opts = append(opts, n-1)
	}
	ev.Kind, ev.Text = bot.EventPollVote, ""
	ev.Poll = &bot.PollVote{PollID: poll.ID, Message: poll, Options: opts}
	h(ctx, ev)
}

// Send prints a message to the chat.
func (a *Adapter) Send(_ context.Context, to bot.ChatRef, msg bot.Outgoing) (bot.MessageRef, error) {
	ref := a.print("cohort> ", to, msg)
	if msg.Poll != nil {
		a.mu.Lock()
		a.lastPoll = ref
		a.mu.Unlock()
	}
	return ref, nil
}

// SendDirect prints a private message.
func (a *Adapter) SendDirect(_ context.Context, userID string, msg bot.Outgoing) (bot.MessageRef, error) {
	return a.print("cohort (private to "+userID+")> ", bot.ChatRef{Platform: bot.Console, Space: userID, Chat: userID}, msg), nil
}

func (a *Adapter) print(prefix string, to bot.ChatRef, msg bot.Outgoing) bot.MessageRef {
	var lines []string
	if msg.Title != "" {
		lines = append(lines, bot.PlainText(msg.Title))
	}
	if msg.Text != "" {
		lines = append(lines, bot.PlainText(msg.Text))
	}
	var b strings.Builder
	b.WriteString(strings.Join(lines, "\n"))
	if p := msg.Poll; p != nil {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "📊 %s", p.Question)
		for i, o := range p.Options {
			fmt.Fprintf(&b, "\n  %d. %s", i+1, o)
		}
		b.WriteString("\n  (vote with /vote N)")
	}
	for _, row := range msg.Buttons {
		for _, btn := range row {
			if btn.URL != "" {
				fmt.Fprintf(&b, "\n  [%s] %s", btn.Text, btn.URL)
			} else {
				fmt.Fprintf(&b, "\n  [%s] /press %s", btn.Text, btn.Data)
			}
		}
	}
	for _, f := range msg.Files {
		path := filepath.Join(a.opts.FileDir, filepath.Base(f.Name))
		if err := os.WriteFile(path, f.Data, 0o600); err != nil {
			fmt.Fprintf(&b, "\n  (file %s could not be saved: %v)", f.Name, err)
			continue
		}
		fmt.Fprintf(&b, "\n  (file saved to %s)", path)
	}
	a.mu.Lock()
	a.nextID++
	ref := bot.MessageRef{Chat: to, ID: strconv.Itoa(a.nextID)}
	a.mu.Unlock()
	text := strings.ReplaceAll(strings.TrimRight(b.String(), "\n"), "\n", "\n"+strings.Repeat(" ", utf8.RuneCountInString(prefix)))
	a.printf("%s%s\n", prefix, text)
	return ref
}

func (a *Adapter) printf(format string, args ...any) {
	a.mu.Lock()
	defer a.mu.Unlock()
	fmt.Fprintf(a.opts.Out, format, args...)
}

// RoleOf reports moderators chosen with "/as NAME mod".
func (a *Adapter) RoleOf(_ context.Context, _ bot.ChatRef, userID string) (bot.Role, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.mods[userID] {
		return bot.RoleModerator, nil
	}
	return bot.RoleMember, nil
}

// Delete announces a deleted message.
func (a *Adapter) Delete(_ context.Context, msg bot.MessageRef) error {
	a.printf("console: message %s deleted\n", msg.ID)
	return nil
}

// Mute stops a speaker from writing until a time.
func (a *Adapter) Mute(_ context.Context, _ bot.ChatRef, userID string, until time.Time) error {
	a.mu.Lock()
	a.muted[userID] = until
	a.mu.Unlock()
	a.printf("console: %s is muted until %s\n", userID, until.Format(time.DateTime))
	return nil
}

// Unmute lifts a mute.
func (a *Adapter) Unmute(_ context.Context, _ bot.ChatRef, userID string) error {
	a.mu.Lock()
	delete(a.muted, userID)
	a.mu.Unlock()
	a.printf("console: %s may write again\n", userID)
	return nil
}

// Ban removes a speaker from the chat.
func (a *Adapter) Ban(_ context.Context, _ bot.ChatRef, userID, _ string) error {
	a.mu.Lock()
	a.banned[userID] = true
	a.mu.Unlock()
	a.printf("console: %s is banned\n", userID)
	return nil
}

// Unban lets a speaker back in.
func (a *Adapter) Unban(_ context.Context, _ bot.ChatRef, userID string) error {
	a.mu.Lock()
	delete(a.banned, userID)
	a.mu.Unlock()
	a.printf("console: %s is no longer banned\n", userID)
	return nil
}

// ClosePoll announces the end of a poll.
func (a *Adapter) ClosePoll(_ context.Context, msg bot.MessageRef) error {
	a.printf("console: poll %s closed\n", msg.ID)
	return nil
}

// Pin announces a pinned message.
func (a *Adapter) Pin(_ context.Context, msg bot.MessageRef) error {
	a.printf("console: message %s pinned\n", msg.ID)
	return nil
}

func (a *Adapter) isMuted(userID string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.banned[userID] {
		return true
	}
	until, ok := a.muted[userID]
	return ok && time.Now().Before(until)
}

var (
	_ bot.Adapter         = (*Adapter)(nil)
	_ bot.DirectMessenger = (*Adapter)(nil)
	_ bot.RoleChecker     = (*Adapter)(nil)
	_ bot.Deleter         = (*Adapter)(nil)
	_ bot.Muter           = (*Adapter)(nil)
	_ bot.Banner          = (*Adapter)(nil)
	_ bot.PollCloser      = (*Adapter)(nil)
	_ bot.Pinner          = (*Adapter)(nil)
)
