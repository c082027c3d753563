package privacy_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/bot/bottest"
	"github.com/cohortbot/cohort/bot/privacy"
	"github.com/cohortbot/cohort/store/storetest"
)

// newPrivacy returns the privacy module on st with the default settings.
func newPrivacy(t *testing.T, st privacy.Store) *privacy.Module {
	t.Helper()
	m, err := privacy.New(st, nil, privacy.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCatalog(t *testing.T) {
	if err := bot.CheckCatalog(newPrivacy(t, storetest.Open(t)).Locales()); err != nil {
		t.Fatal(err)
	}
}

func TestNew_ValidatesRetention(t *testing.T) {
	st := storetest.Open(t)
	if _, err := privacy.New(nil, nil, privacy.Defaults()); err == nil {
		t.Error("no store accepted")
	}
	if _, err := privacy.New(st, nil, privacy.Config{Retention: 24 * time.Hour}); err == nil || !strings.Contains(err.Error(), "privacy.retention") {
		t.Errorf("a day of retention: %v", err)
	}
	_, err := privacy.New(st, map[string]privacy.Config{"acme": {}}, privacy.Defaults())
	if err == nil || !strings.Contains(err.Error(), "communities[acme].privacy.retention") {
		t.Errorf("unset community retention: %v", err)
	}
}

func TestMyData_SentPrivately(t *testing.T) {
	st := storetest.Open(t)
	tb := bottest.New(t, bottest.Options{Modules: []bot.Module{newPrivacy(t, st)}, Members: st})
	tb.Say(bottest.Group, bottest.Alice, "hello")
	sent := tb.Say(bottest.Group, bottest.Alice, "/mydata")
	var file []byte
	for _, s := range sent {
		if s.Direct == bottest.Alice.ID && len(s.Msg.Files) == 1 {
			file = s.Msg.Files[0].Data
		}
	}
	if file == nil {
		t.Fatalf("no private file: %v", bottest.Texts(sent))
	}
	var got map[string]any
	if err := json.Unmarshal(file, &got); err != nil || !strings.Contains(string(file), `"Alice"`) {
		t.Fatalf("export %s: %v", file, err)
	}
	if !strings.Contains(bottest.Joined(sent), "private message") {
		t.Errorf("group not told where the data went: %v", bottest.Texts(sent))
	}
	tb.Telegram.BlockDM(bottest.Bob.ID)
	if got := bottest.Joined(tb.Say(bottest.Group, bottest.Bob, "/mydata")); !strings.Contains(got, "private chat with me") {
		t.Errorf("blocked DM: %q", got)
	}
}

func TestForgetMe_LeavesNoTraceInTheFile(t *testing.T) {
	st := storetest.Open(t)
	tb := bottest.New(t, bottest.Options{Modules: []bot.Module{newPrivacy(t, st)}, Members: st})
	tb.Say(bottest.Group, bottest.Alice, "hello")
	tb.Say(bottest.Group, bottest.Bob, "hi")
	sent := tb.Say(bottest.Group, bottest.Alice, "/forgetme")
	if len(sent) != 1 || len(sent[0].Msg.Buttons) != 1 {
		t.Fatalf("no confirmation: %v", bottest.Texts(sent))
	}
	yes := sent[0].Msg.Buttons[0][0].Data
	if got := bottest.Joined(tb.Press(bottest.Group, bottest.Bob, yes)); !strings.Contains(got, "not for you") {
		t.Fatalf("another member pressed the button: %q", got)
	}
	if got := bottest.Joined(tb.Press(bottest.Group, bottest.Alice, yes)); !strings.Contains(got, "deleted") {
		t.Fatalf("confirm: %q", got)
	}
	raw, err := os.ReadFile(st.Path())
	if err != nil {
		t.Fatal(err)
	}
	for _, trace := range []string{"Alice", "alice", "telegram:1001"} {
		if bytes.Contains(raw, []byte(trace)) {
			t.Errorf("database file still contains %q", trace)
		}
	}
	if !bytes.Contains(raw, []byte("Bob")) {
		t.Error("the other member was erased too")
	}
}
