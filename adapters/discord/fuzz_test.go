package discord

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/rs/zerolog"

	"github.com/cohortbot/cohort/bot"
)

// fuzzAdapter is an adapter that is never connected: the fuzz targets call
// its gateway-event conversions directly.
func fuzzAdapter(f *testing.F) *Adapter {
	f.Helper()
	a, err := New(Config{Token: "fuzz-token", ApplicationID: "900", APIURL: "http://127.0.0.1:1/"}, zerolog.Nop())
	if err != nil {
		f.Fatal(err)
	}
	a.SetCommands([]bot.CommandInfo{
		{Name: "points", Args: []bot.Arg{{Name: "member", Kind: bot.ArgUser}}},
		{Name: "feedback", Args: []bot.Arg{{Name: "category", Kind: bot.ArgString}, {Name: "text", Kind: bot.ArgText, Required: true}}},
		{Name: "award", Role: bot.RoleModerator, Slow: true, Args: []bot.Arg{{Name: "member", Kind: bot.ArgUser}, {Name: "amount", Kind: bot.ArgInt}, {Name: "reason", Kind: bot.ArgText}}},
	})
	return a
}

// pinged matches what Discord turns into a notification in message
// content: @everyone, @here, and user, role or nickname mentions.
var pinged = regexp.MustCompile(`@everyone|@here|<@[!&]?\d+>`)

// checkDefused renders user text the way features echo it (escaped, in
// neutral markup) and fails when the message could ping anyone.
func checkDefused(t *testing.T, text string) {
	t.Helper()
	parts, err := buildMessages("300", bot.Outgoing{Text: bot.Escape(text)})
	if err != nil {
		return // nothing to send (blank text)
	}
	for _, p := range parts {
		if am := p.AllowedMentions; am == nil || len(am.Parse) != 0 || len(am.Users) != 0 || len(am.Roles) != 0 {
			t.Fatalf("echo of %q allows mentions: %+v", text, am)
		}
		if m := pinged.FindString(p.Content); m != "" {
			t.Fatalf("echo of %q contains the live mention %q: %q", text, m, p.Content)
		}
	}
}

// FuzzMessageCreate feeds arbitrary MESSAGE_CREATE payloads to the
// conversion: it never panics, only text starting with the prefix becomes a
// command (with a lower-case name), messages of bots and webhooks are
// ignored, and echoing the text back can never ping anyone.
func FuzzMessageCreate(f *testing.F) {
	a := fuzzAdapter(f)
	for _, s := range []string{
		`{"id":"1","channel_id":"300","guild_id":"100","author":{"id":"200","username":"mike"},"content":"!points","type":0}`,
		`{"id":"2","channel_id":"300","guild_id":"100","author":{"id":"200","username":"mike"},"member":{"nick":"Mikey"},"content":"!AWARD <@201> 10 \"great talk\"","type":0,"mentions":[{"id":"201","username":"ann"}]}`,
		`{"id":"3","channel_id":"300","author":{"id":"200","username":"mike"},"content":"hello @everyone <@&400> <@!201>","type":19,"message_reference":{"message_id":"9"},"referenced_message":{"id":"9","author":{"id":"900","bot":true}}}`,
		`{"id":"4","channel_id":"300","author":{"id":"201","bot":true},"content":"!points"}`,
		`{"id":"5","channel_id":"300","author":{"id":"202"},"webhook_id":"7","content":"!ban"}`,
		`{"id":"6","channel_id":"300","author":{"id":"203"},"content":"  !top week","type":7}`,
		`{"id":"7","channel_id":"300","author":{"id":"204"},"content":"!","mentions":[null]}`,
		`{"id":"8","author":null,"content":"!points"}`,
		`{"content":"![x](https://evil) **bold** ||spoiler|| # heading\n> quote"}`,
		`{}`, `null`, `[]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var m discordgo.MessageCreate
		if err := json.Unmarshal(raw, &m); err != nil {
			return
		}
		ev := a.messageEvent(&m)
		if ev == nil {
			return
		}
		if m.Author == nil || m.Author.Bot || m.WebhookID != "" {
			t.Fatalf("event from a bot, a webhook or nobody: %+v", ev)
		}
		if ev.Chat.Platform != bot.Discord || ev.From.Platform != bot.Discord {
			t.Fatalf("event not from discord: %+v", ev)
		}
		switch ev.Kind {
		case bot.EventCommand:
			if !strings.HasPrefix(strings.TrimSpace(m.Content), "!") {
				t.Fatalf("%q became a command without the prefix", m.Content)
			}
			if n := ev.Command.Name; n == "" || n != strings.ToLower(n) || strings.ContainsAny(n, " \t\n@/!") {
				t.Fatalf("%q gave the command name %q", m.Content, n)
			}
		case bot.EventMessage:
		default:
			t.Fatalf("MESSAGE_CREATE became a %s event", ev.Kind)
		}
		if utf8.ValidString(ev.Text) {
			checkDefused(t, ev.Text)
		}
	})
}

// FuzzInteractionCreate feeds arbitrary INTERACTION_CREATE payloads to the
// conversion: it never panics; slash commands and command modals become
// commands with a clean lower-case name, buttons carry their custom_id as
// data, and anything else is dropped.
func FuzzInteractionCreate(f *testing.F) {
	a := fuzzAdapter(f)
	for _, s := range []string{
		`{"id":"1100000000000000000","type":2,"channel_id":"300","guild_id":"100","member":{"user":{"id":"200","username":"mike"}},"locale":"zh-CN","data":{"id":"5","name":"points","type":1,"options":[{"name":"member","type":6,"value":"201"}],"resolved":{"users":{"201":{"id":"201","username":"ann"}}}}}`,
		`{"id":"2","type":2,"channel_id":"300","user":{"id":"200"},"data":{"name":"award","options":[{"name":"reason","type":3,"value":"a \"b\" 'c'"},{"name":"amount","type":4,"value":1e300},{"name":"member","type":6,"value":"x"}]}}`,
		`{"id":"3","type":2,"channel_id":"300","user":{"id":"200"},"data":{"name":"Feedback","options":[{"name":"text","type":3,"value":"@everyone look"},{"name":"zzz","type":5,"value":true}]}}`,
		`{"id":"4","type":3,"channel_id":"300","guild_id":"100","member":{"user":{"id":"200"}},"message":{"id":"77"},"data":{"custom_id":"forget:yes:m1","component_type":2}}`,
		`{"id":"5","type":5,"channel_id":"300","user":{"id":"200"},"data":{"custom_id":"/feedback","components":[{"type":1,"components":[{"type":4,"custom_id":"text","value":"it broke"}]}]}}`,
		`{"id":"6","type":5,"channel_id":"300","user":{"id":"200"},"data":{"custom_id":"/","components":[]}}`,
		`{"id":"7","type":5,"channel_id":"300","user":{"id":"200"},"data":{"custom_id":"/Two Words","components":[{"type":1,"components":[{"type":2}]}]}}`,
		`{"id":"8","type":1}`, `{"id":"9","type":4,"data":{"name":"points"}}`, `{"type":2,"data":{}}`, `{"type":3,"data":null}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var ic discordgo.InteractionCreate
		if err := json.Unmarshal(raw, &ic); err != nil || ic.Interaction == nil {
			return
		}
		ev, _, ok := a.interactionEvent(ic.Interaction)
		if !ok {
			return
		}
		switch ev.Kind {
		case bot.EventCommand:
			if n := ev.Command.Name; n == "" || n != strings.ToLower(n) || strings.ContainsAny(n, " \t\n@/") {
				t.Fatalf("interaction gave the command name %q", n)
			}
		case bot.EventButton:
			want := ""
			switch d := ic.Data.(type) {
			case discordgo.MessageComponentInteractionData:
				want = d.CustomID
			case discordgo.ModalSubmitInteractionData:
				want = d.CustomID
			}
			if ev.Data != want {
				t.Fatalf("button data %q, custom_id %q", ev.Data, want)
			}
		default:
			t.Fatalf("interaction became a %s event", ev.Kind)
		}
		if utf8.ValidString(ev.Text) {
			checkDefused(t, ev.Text)
		}
	})
}

// markdownSpecialsRE finds a markdown character and the backslashes before it.
var markdownSpecialsRE = regexp.MustCompile("(\\\\*)([*_~`|>#\\-\\[\\]])")

// FuzzEscapedRender renders escaped user text to Discord markdown: the
// output never holds a live mention, and every markdown character in it is
// escaped by an odd number of backslashes, so nothing a user typed can
// format, quote, hide or link.
func FuzzEscapedRender(f *testing.F) {
	for _, s := range []string{"@everyone", "@here", "<@123>", "<@!123>", "<@&456>", "**bold** __u__ ~~s~~ ||spoiler||", "`code` ```block```",
		"> quote", "# heading\n-# small", "[x](https://evil.example)", `\*`, `\\`, "@\u200beveryone", "＠everyone", "a\\", "-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		out := renderMarkup(bot.Escape(s), nil)
		if m := pinged.FindString(out); m != "" {
			t.Fatalf("%q rendered with the live mention %q: %q", s, m, out)
		}
		for _, m := range markdownSpecialsRE.FindAllStringSubmatch(out, -1) {
			if len(m[1])%2 == 0 {
				t.Fatalf("%q rendered with an unescaped %q: %q", s, m[2], out)
			}
		}
		checkDefused(t, s)
	})
}
