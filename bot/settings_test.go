package bot_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/cohortbot/cohort/bot"
)

func TestSettingsForFallsBackToTheDefault(t *testing.T) {
	byID := map[string]int{"acme": 1, "beta": 2}
	s := bot.NewSettings(byID, 7)
	byID["acme"] = 99 // the settings keep their own copy
	for community, want := range map[string]int{"acme": 1, "beta": 2, "other": 7, "": 7} {
		if got := s.For(community); got != want {
			t.Errorf("For(%q) = %d, want %d", community, got, want)
		}
	}
	if got := s.Configured(); !slices.Equal(got, []string{"acme", "beta"}) {
		t.Errorf("Configured() = %v", got)
	}
	var zero bot.Settings[string]
	if got := zero.For("acme"); got != "" || len(zero.Configured()) != 0 {
		t.Errorf("zero Settings: For = %q, Configured = %v", got, zero.Configured())
	}
}

func TestMapSettingsDerivesEveryCommunity(t *testing.T) {
	s := bot.NewSettings(map[string]string{"beta": "b", "acme": "a"}, "d")
	var order []string
	up, err := bot.MapSettings(s, func(id, c string) (string, error) {
		order = append(order, id)
		return strings.ToUpper(c), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(order, []string{"", "acme", "beta"}) {
		t.Errorf("called in order %q, want the default first, then by id", order)
	}
	if up.For("acme") != "A" || up.For("beta") != "B" || up.For("zeta") != "D" {
		t.Errorf("mapped: acme %q, beta %q, zeta %q", up.For("acme"), up.For("beta"), up.For("zeta"))
	}
}

func TestMapSettingsNamesTheFailingCommunity(t *testing.T) {
	bad := errors.New("points.cooldown: must be positive")
	s := bot.NewSettings(map[string]int{"acme": -1, "beta": 1}, 1)
	check := func(_ string, c int) (int, error) {
		if c < 0 {
			return 0, bad
		}
		return c, nil
	}
	_, err := bot.MapSettings(s, check)
	if err == nil || err.Error() != "communities[acme].points.cooldown: must be positive" || !errors.Is(err, bad) {
		t.Errorf("configured community: err = %v", err)
	}
	_, err = bot.MapSettings(bot.NewSettings(nil, -1), check)
	if err != bad {
		t.Errorf("default: err = %v, want it unprefixed", err)
	}
}
