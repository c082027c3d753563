package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohort/adapters/discord/discordtest"
	"github.com/cohortbot/cohort/adapters/telegram/telegramtest"
)

// Fake world of the end-to-end tests.
const (
	tgGroup = int64(-1001000000100)
	tgMods  = int64(-1001000000900)
)

var (
	tgAlice = telegramtest.User{ID: 1001, FirstName: "Alice", Username: "alice", LanguageCode: "en"}
	tgLi    = telegramtest.User{ID: 1003, FirstName: "李雷", Username: "lilei", LanguageCode: "zh-hans"}
)

// world is cohort running with both platforms pointed at fakes.
type world struct {
	tg      *telegramtest.Server
	dc      *discordtest.Server
	dataDir string
	stop    func() int
}

// startWorld runs cohort in process, through the same wiring as the binary,
// against a fake Telegram and a fake Discord. extra is appended to the
// community's configuration.
func startWorld(t *testing.T, extra string) *world {
	t.Helper()
	w := &world{tg: telegramtest.NewServer(t), dc: discordtest.NewServer(t), dataDir: t.TempDir()}
	cfg := w.config(worldConfig{community: extra})
	w.launch(t, cfg, nil)
	return w
}

// defaultLimits are Telegram rate limits fast enough for tests.
const defaultLimits = "per_chat: 10ms, per_chat_burst: 100, group_per_minute: 6000, per_second: 1000"

// worldConfig are the parts of a world's configuration tests vary.
type worldConfig struct {
	limits    string // telegram.limits keys; default defaultLimits
	telegram  string // more telegram keys, e.g. "poll_timeout: 2s"
	top       string // top-level YAML
	modChat   string // the community's mod_chat; default the Telegram moderators' group
	community string // appended to the community (indented by four spaces)
}

// config writes the configuration of a world: both fakes, one community
// with the Telegram group and the Discord #general channel.
func (w *world) config(c worldConfig) string {
	if c.limits == "" {
		c.limits = defaultLimits
	}
	if c.telegram != "" {
		c.telegram = ", " + c.telegram
	}
	if c.modChat == "" {
		c.modChat = fmt.Sprintf("telegram:%d", tgMods)
	}
	return fmt.Sprintf(`data_dir: %s
log: {level: warn}
telegram: {token: "%s", api_url: "%s", limits: {%s}%s}
discord: {token: "%s", application_id: "%s", api_url: "%s", guilds: ["%s"]}
%s
communities:
  - id: acme
    name: ACME Solar
    moderators: ["telegram:1900"]
    mod_chat: "%s"
    chats:
      - {ref: "telegram:%d", segment: general}
      - {ref: "discord:%s/%s", segment: general}
%s`, w.dataDir, telegramtest.Token, w.tg.URL, c.limits, c.telegram, discordtest.Token, discordtest.AppID, w.dc.URL, discordtest.GuildID,
		c.top, c.modChat, tgGroup, discordtest.GuildID, discordtest.ChannelID, c.community)
}

// launch runs cohort in process with the configuration text cfg, through
// the same wiring as the binary, until the test ends, and waits for the
// Discord gateway to be ready. onFailure, if set, is given cohort's output
// when the test failed.
func (w *world) launch(t *testing.T, cfg string, onFailure func(logs string)) {
	t.Helper()
	path := writeConfig(t, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var out syncBuffer
	go func() {
		done <- run(ctx, []string{"-config", path}, env{stdin: strings.NewReader(""), stdout: &out, stderr: &out, getenv: func(string) string { return "" }})
	}()
	stopped := false
	w.stop = func() int {
		if stopped {
			return 0
		}
		stopped = true
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(20 * time.Second):
			t.Fatalf("cohort did not stop; output:\n%s", out.String())
			return -1
		}
	}
	t.Cleanup(func() {
		if code := w.stop(); code != 0 {
			t.Errorf("cohort exited %d; output:\n%s", code, out.String())
		}
		if t.Failed() && onFailure != nil {
			onFailure(out.String())
		}
	})
	w.dc.WaitReady(t, 1)
}

// waitTelegram waits until the bot has sent a message to chat containing want.
func (w *world) waitTelegram(t *testing.T, chat int64, want string) telegramtest.Message {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, m := range w.tg.Messages(chat) {
			if strings.Contains(m.Text, want) {
				return m
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	var got []string
	for _, m := range w.tg.Messages(chat) {
		got = append(got, m.Text)
	}
	t.Fatalf("telegram chat %d never got %q; got %q", chat, want, got)
	return telegramtest.Message{}
}

// waitDiscord waits until the bot posted a channel message containing want.
func (w *world) waitDiscord(t *testing.T, want string) discordtest.Request {
	t.Helper()
	return w.dc.WaitRequest(t, "POST", "/api/v9/channels/*/messages", func(r discordtest.Request) bool {
		return strings.Contains(string(r.Body), want)
	})
}

func TestEndToEnd_HelpOnBothPlatforms(t *testing.T) {
	w := startWorld(t, "")
	w.tg.AddUpdate(telegramtest.GroupText(tgGroup, tgAlice, "/help@"+telegramtest.BotUsername))
	w.waitTelegram(t, tgGroup, "/start")
	w.tg.AddUpdate(telegramtest.GroupText(tgGroup, tgLi, "/help"))
	w.waitTelegram(t, tgGroup, "查看你可以使用的命令")
	w.dc.DispatchMessage(discordtest.ChannelID, discordtest.MemberID, "!help")
	w.waitDiscord(t, "Show the commands you can use")
	in := w.dc.DispatchSlash(discordtest.Slash{Name: "help", ChannelID: discordtest.ChannelID, UserID: discordtest.MemberID})
	if cb := w.dc.WaitCallback(t, in); !strings.Contains(fmt.Sprint(cb), "/start") {
		t.Fatalf("slash /help answered with %v", cb)
	}
	if cmds := w.dc.Commands(discordtest.GuildID); len(cmds) == 0 {
		t.Fatal("no slash commands registered")
	}
}
