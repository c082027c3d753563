package loadtest

import (
	"context"
	"os"
	"testing"
	"time"
)

// cohortBinary builds cmd/cohort once for the tests of this package.
func cohortBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the cohort binary for a minute or two; skipped with -short")
	}
	bin, err := Build(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// botLog keeps the bot's log in a file shown when the test fails.
func botLog(t *testing.T) *os.File {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "cohort-*.log")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		f.Close()
		if t.Failed() {
			b, _ := os.ReadFile(f.Name())
			if len(b) > 8000 {
				b = b[len(b)-8000:]
			}
			t.Logf("end of the bot's log:\n%s", b)
		}
	})
	return f
}

func TestLoad_EveryMessageEarnsAndEveryReplyIsTrue(t *testing.T) {
	opts := Options{
		Binary: cohortBinary(t), Dir: t.TempDir(), Log: botLog(t),
		TelegramGroups: 3, DiscordChannels: 1, Members: 15, Rate: 40, Duration: 8 * time.Second, PointsPerMinute: 20,
	}
	r, err := Load(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + r.String())
	for _, p := range r.Problems {
		t.Error(p)
	}
	if r.Wrong != 0 || r.Members != 60 {
		t.Errorf("%d of %d members have a wrong total", r.Wrong, r.Members)
	}
	if r.Replies == 0 || r.Outbound.TelegramMessages == 0 || r.Outbound.DiscordMessages == 0 {
		t.Errorf("no /points answered on both platforms: %d replies, outbound %+v", r.Replies, r.Outbound)
	}
}

func TestCrash_KillNineLosesNothingAcknowledgedAndPostsNothingTwice(t *testing.T) {
	opts := Options{
		Binary: cohortBinary(t), Dir: t.TempDir(), Log: botLog(t),
		TelegramGroups: 2, DiscordChannels: 1, Members: 10, Rate: 20, Duration: 80 * time.Second,
		Kills: 3, Announcements: 3,
	}
	r, err := Crash(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + r.String())
	for _, p := range r.Problems {
		t.Error(p)
	}
	if r.Kills != 3 || r.AcksBeforeKill == 0 || r.Announced == 0 {
		t.Errorf("the run proved little: %d kills, %d replies before a kill, %d announcements acknowledged", r.Kills, r.AcksBeforeKill, r.Announced)
	}
}

func TestWord_TextsHaveDistinctFingerprints(t *testing.T) {
	seen := map[string]int{}
	for n := 0; n < 100000; n++ {
		w := word(n)
		for i := 1; i < len(w); i++ {
			if w[i] == w[i-1] {
				t.Fatalf("word(%d) = %q repeats a letter, which the duplicate check collapses", n, w)
			}
		}
		if m, ok := seen[w]; ok {
			t.Fatalf("word(%d) = word(%d) = %q", n, m, w)
		}
		seen[w] = n
	}
}

func TestMaxInWindow(t *testing.T) {
	at := func(ms ...int) []time.Time {
		var out []time.Time
		for _, m := range ms {
			out = append(out, time.Unix(0, 0).Add(time.Duration(m)*time.Millisecond))
		}
		return out
	}
	tests := []struct {
		name  string
		times []time.Time
		want  int
	}{
		{"none", nil, 0},
		{"one", at(5), 1},
		{"a second apart fall in two windows", at(0, 1000, 2000), 1},
		{"burst", at(0, 10, 20, 999, 1500), 4},
		{"sliding", at(0, 600, 1100, 1200, 1599), 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := maxInWindow(tt.times, time.Second); got != tt.want {
				t.Errorf("maxInWindow = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestMustPost(t *testing.T) {
	t0 := time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)
	sec := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	a := &announcement{at: sec(0), acked: sec(1)} // due between 60 s and 61 s
	tests := []struct {
		name  string
		lives []interval
		want  bool
	}{
		{"up throughout", []interval{{start: sec(-5)}}, true},
		{"killed soon after its time", []interval{{sec(-5), sec(70)}, {start: sec(71)}}, false},
		{"killed long after its time", []interval{{sec(-5), sec(90)}, {start: sec(91)}}, true},
		{"down at its time, then up long enough", []interval{{sec(-5), sec(50)}, {start: sec(65)}}, true},
		{"down at its time, then killed again quickly", []interval{{sec(-5), sec(50)}, {sec(65), sec(70)}, {start: sec(71)}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustPost(a, tt.lives); got != tt.want {
				t.Errorf("mustPost = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMiddayZone(t *testing.T) {
	for h := 0; h < 24; h++ {
		now := time.Date(2026, 1, 5, h, 30, 0, 0, time.UTC)
		loc, err := time.LoadLocation(middayZone(now))
		if err != nil {
			t.Skipf("no tzdata: %v", err)
		}
		if got := now.In(loc).Hour(); got < 10 || got > 14 {
			t.Errorf("at %02d:30 UTC the zone %s reads %02d h, want about noon", h, middayZone(now), got)
		}
	}
}

func TestValidate_RefusesUnpredictableAwards(t *testing.T) {
	o := Options{Binary: "cohort", Dir: "x", TelegramGroups: 1, Members: 10, Rate: 20}
	o.Defaults()
	if err := o.Validate(); err == nil {
		t.Error("10 members at 20 messages/s accepted: each would write twice a second")
	}
	o.Rate = 5
	o.PointsPerMinute = 60
	if err := o.Validate(); err == nil {
		t.Error("60 /points a minute accepted under a 20 a minute group limit")
	}
}
