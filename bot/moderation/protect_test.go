package moderation_test

import (
	"strings"
	"testing"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/bottest"
)

func TestManual_PlatformAdminsAreProtected(t *testing.T) {
	e := newEnv(t, testConfig())
	tb := e.tb
	tb.Say(bottest.Group, bottest.Bob, "hi")
	tb.Telegram.SetUserRole(bottest.Bob.ID, bot.RoleModerator)
	if got := bottest.Joined(tb.Say(bottest.Group, bottest.Mod, "/mute @bob 1h")); !strings.Contains(got, "Bob is a moderator") {
		t.Fatalf("muting a chat administrator: %q", got)
	}
	if n := len(actions(tb.Telegram, "mute")); n != 0 {
		t.Fatalf("%d mutes of a chat administrator", n)
	}
}
