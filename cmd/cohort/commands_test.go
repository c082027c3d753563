package main

import (
	"regexp"
	"testing"

	"github.com/cohortbot/cohort/bot"
	"github.com/cohortbot/cohort/config"
	"github.com/cohortbot/cohort/store"
	"github.com/rs/zerolog"
)

// TestCommandsFitThePlatforms checks every wired command against the rules
// Telegram and Discord apply when commands are registered: names of 1–32
// lower-case letters, digits, _ or -, descriptions in both languages of at
// most 100 characters (Discord's limit) and unique, valid argument names.
// (The Discord adapter itself keeps required options before optional
// ones.) The command names of the design must all be there.
func TestCommandsFitThePlatforms(t *testing.T) {
	cfg, err := config.Parse([]byte("data_dir: " + t.TempDir() + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(cfg.DataDir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	w, err := wire(cfg, st, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	b, err := bot.New(bot.Options{Modules: w.modules})
	if err != nil {
		t.Fatal(err)
	}
	name := regexp.MustCompile(`^[a-z0-9_]{1,32}$`)
	seen := map[string]bool{}
	for _, c := range b.CommandInfos() {
		seen[c.Name] = true
		if !name.MatchString(c.Name) {
			t.Errorf("/%s: not a valid command name on both platforms", c.Name)
		}
		for _, lang := range bot.Languages {
			if d := []rune(c.Descriptions[lang]); len(d) == 0 || len(d) > 100 {
				t.Errorf("/%s: %s description has %d characters", c.Name, lang, len(d))
			}
		}
		args := map[string]bool{}
		for _, a := range c.Args {
			if !name.MatchString(a.Name) || args[a.Name] {
				t.Errorf("/%s: argument %q is invalid or repeated", c.Name, a.Name)
			}
			args[a.Name] = true
		}
	}
	for _, want := range []string{"help", "start", "points", "top", "faq", "feedback", "link", "shop", "redeem", "invite",
		"events", "rsvp", "checkin", "rules", "mydata", "forgetme", "award", "deduct", "faqadmin", "announce", "schedule",
		"poll", "event", "survey", "tickets", "reply", "warn", "mute", "unmute", "ban", "unban", "stats", "tier", "badge"} {
		if !seen[want] {
			t.Errorf("/%s is missing", want)
		}
	}
}
