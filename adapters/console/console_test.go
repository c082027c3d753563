package console_test

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/cohortbot/cohort/adapters/console"
	"github.com/cohortbot/cohort/bot"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// recorder runs the console with a handler that records events and lets
// the test answer them.
func runConsole(t *testing.T, input string, answer func(ctx context.Context, a *console.Adapter, ev *bot.Event)) ([]bot.Event, string) {
	t.Helper()
	var out lockedBuffer
	a := console.New(console.Options{In: strings.NewReader(input), Out: &out, Lang: "en_US.UTF-8", FileDir: t.TempDir()})
	var events []bot.Event
	err := a.Run(context.Background(), func(ctx context.Context, ev *bot.Event) {
		events = append(events, *ev)
		if answer != nil {
			answer(ctx, a, ev)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return events, out.String()
}

func TestConsole_SpeakersAndCommands(t *testing.T) {
	events, out := runConsole(t, "hello\n/as Bob\n/points @alice\n/as Mia mod\n/award @bob 5 \"nice\"\n\n", nil)
	if len(events) != 3 {
		t.Fatalf("events %+v", events)
	}
	if events[0].Kind != bot.EventMessage || events[0].From.Name != "you" || events[0].Text != "hello" {
		t.Errorf("first event %+v", events[0])
	}
	if events[1].Kind != bot.EventCommand || events[1].From.Name != "Bob" || events[1].Command.Name != "points" {
		t.Errorf("second event %+v", events[1])
	}
	if c := events[2].Command; c == nil || c.Name != "award" || strings.Join(c.Args, "|") != "@bob|5|nice" {
		t.Errorf("third event %+v", events[2])
	}
	if !strings.Contains(out, "now speaking as Mia (moderator)") {
		t.Errorf("output %q", out)
	}
}

func TestConsole_ModeratorRole(t *testing.T) {
	var roles []bot.Role
	runConsole(t, "/as Mia mod\n/x\n/as Bob\n/x\n", func(ctx context.Context, a *console.Adapter, ev *bot.Event) {
		r, _ := a.RoleOf(ctx, ev.Chat, ev.From.ID)
		roles = append(roles, r)
	})
	if len(roles) != 2 || roles[0] != bot.RoleModerator || roles[1] != bot.RoleMember {
		t.Fatalf("roles %v", roles)
	}
}

func TestConsole_PollsButtonsAndPrivate(t *testing.T) {
	input := "/poll\n/vote 2\n/vote x\n/press fb:claim:7\n/dm my idea\n"
	events, out := runConsole(t, input, func(ctx context.Context, a *console.Adapter, ev *bot.Event) {
		if ev.Kind == bot.EventCommand {
			_, _ = a.Send(ctx, ev.Chat, bot.Outgoing{Text: "*Lunch?*", Poll: &bot.Poll{Question: "Lunch?", Options: []string{"Noodles", "Rice"}},
				Buttons: [][]bot.Button{{{Text: "Claim", Data: "fb:claim:7"}}}, Files: []bot.File{{Name: "../../evil.csv", Data: []byte("a,b")}}})
		}
	})
	if len(events) != 4 {
		t.Fatalf("events: %+v", events)
	}
	if v := events[1]; v.Kind != bot.EventPollVote || len(v.Poll.Options) != 1 || v.Poll.Options[0] != 1 {
		t.Errorf("vote %+v", v.Poll)
	}
	if b := events[2]; b.Kind != bot.EventButton || b.Data != "fb:claim:7" {
		t.Errorf("button %+v", b)
	}
	if p := events[3]; !p.Private || p.Text != "my idea" {
		t.Errorf("private %+v", p)
	}
	for _, want := range []string{"cohort> Lunch?", "2. Rice", "[Claim] /press fb:claim:7", "evil.csv", "/vote takes option numbers"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "../../evil.csv") {
		t.Error("file name not confined to the file directory")
	}
}

func TestConsole_MutedSpeakerCannotWrite(t *testing.T) {
	var n int
	runConsole(t, "/as Bob\nspam\nspam\n", func(ctx context.Context, a *console.Adapter, ev *bot.Event) {
		n++
		_ = a.Ban(ctx, ev.Chat, ev.From.ID, "spam")
	})
	if n != 1 {
		t.Fatalf("banned speaker still delivered %d messages", n)
	}
}
