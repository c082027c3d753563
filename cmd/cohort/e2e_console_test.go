package main

import (
	"context"
	"strings"
	"testing"
)

// TestEndToEnd_Console_Transcript drives the console chat through the
// features that work without a platform: points, polls with votes,
// announcements, feedback and statistics.
func TestEndToEnd_Console_Transcript(t *testing.T) {
	cfg := writeConfig(t, `data_dir: `+t.TempDir()+`
log: {level: warn}
communities:
  - id: acme
    name: ACME Solar
    mod_chat: "console:main"
    chats:
      - {ref: "console:main"}
`)
	input := strings.Join([]string{
		"/as Alice",
		"Good morning everyone, how is the solar farm going?",
		"/points",
		"/feedback suggestion Please publish the audit report",
		"/announce not allowed for members",
		"/as Mia mod",
		`/poll "Where should the next roadshow go?" "Shanghai" "Singapore"`,
		"/as Alice",
		"/vote 2",
		"/as Mia mod",
		"/poll results",
		"/announce Roadshow in Shanghai next Tuesday",
		"/stats",
	}, "\n") + "\n"
	code, out, errOut := runCohort(t, context.Background(), strings.NewReader(input), nil, "-config", cfg)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"Alice: 20 points",
		"Ticket #1",
		"Only a moderator can use /announce",
		"1. Shanghai",
		"1 voter so far",
		"Roadshow in Shanghai next Tuesday",
		"DAU",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("console output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("output:\n%s\n%s", out, errOut)
	}
}
