package discord

import (
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cohortbot/cohort/bot"
)

func TestRenderMarkup(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain", "plain"},
		{"*bold* and _it_", "**bold** and _it_"},
		{"`a*b`", "`a*b`"},
		{"[docs](https://example.com/a)", "[docs](https://example.com/a)"},
		{bot.Escape("@everyone **x** ~~y~~ > q # h - l |s|"), `@` + "\u200b" + `everyone \*\*x\*\* \~\~y\~\~ \> q \# h \- l \|s\|`},
		{bot.Escape("[click](https://evil.example)"), `\[click\](https://evil.example)`},
		{"<@42> hi", "<@\u200b42\\> hi"},
	} {
		if got := renderMarkup(tc.in, nil); got != tc.want {
			t.Errorf("renderMarkup(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := renderMarkup("hi <@42>", map[string]bool{"42": true}); got != "hi <@42>" {
		t.Errorf("kept mention = %q", got)
	}
}

func TestSplitContent(t *testing.T) {
	text := strings.Repeat("line of text\n", 400)
	parts := splitContent(text, maxContent)
	if len(parts) != 3 {
		t.Fatalf("%d parts", len(parts))
	}
	for _, p := range parts {
		if utf8.RuneCountInString(p) > maxContent || strings.HasSuffix(p, "\n") {
			t.Errorf("part of %d runes ends %q", utf8.RuneCountInString(p), p[len(p)-3:])
		}
	}
	escaped := strings.Repeat(`\*`, 1500)
	for _, p := range splitContent(escaped, maxContent) {
		if strings.HasSuffix(p, `\`) && !strings.HasSuffix(p, `\\`) {
			t.Errorf("a part ends inside an escape")
		}
	}
}

func TestTransportRewritesDiscordURLs(t *testing.T) {
	tr, err := newTransport("http://127.0.0.1:9/fake/", 50)
	if err != nil {
		t.Fatal(err)
	}
	var got string
	tr.next = roundTripFunc(func(r *http.Request) (*http.Response, error) {
		got = r.URL.String()
		return &http.Response{StatusCode: 204, Body: http.NoBody, Request: r}, nil
	})
	req, _ := http.NewRequest(http.MethodGet, "https://discord.com/api/v9/gateway?x=1", nil)
	if _, err := tr.RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	if got != "http://127.0.0.1:9/fake/api/v9/gateway?x=1" {
		t.Errorf("rewritten to %q", got)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
