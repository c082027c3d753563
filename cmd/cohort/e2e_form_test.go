package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cohortbot/cohort/adapters/discord/discordtest"
)

// TestEndToEnd_Feedback_DiscordForm: /feedback without text on Discord
// opens a form; its submission opens the ticket with the chosen category.
func TestEndToEnd_Feedback_DiscordForm(t *testing.T) {
	w := startWorldWith(t, worldOptions{})
	in := w.slash(discordtest.MemberID, "feedback", discordtest.StringOption("category", "bug"))
	cb := w.dc.WaitCallback(t, in)
	if cb["type"] != 9.0 {
		t.Fatalf("/feedback without text answered with %v, want a modal (type 9)", cb)
	}
	data, _ := cb["data"].(map[string]any)
	id, _ := data["custom_id"].(string)
	if id != "/feedback bug" || !strings.Contains(fmt.Sprint(data["components"]), "text") {
		t.Fatalf("modal = %v", data)
	}
	sub := w.dc.DispatchModal(discordtest.ModalSubmit{ChannelID: discordtest.ChannelID, UserID: discordtest.MemberID, CustomID: id,
		Fields: []discordtest.ModalField{{CustomID: "text", Value: "The wallet page crashes on export"}}})
	w.answered(t, sub, "Ticket #1 (Bug)")
	relay := w.waitTelegram(t, tgMods, "Ticket #1")
	if !strings.Contains(relay.Text, "The wallet page crashes on export") {
		t.Fatalf("relayed ticket = %q", relay.Text)
	}
	// Without a form (Telegram), /feedback without text explains the usage.
	w.say(tgAlice, "/feedback")
	w.waitTelegram(t, tgGroup, "/feedback")
}
