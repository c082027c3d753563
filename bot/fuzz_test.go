package bot

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseCommand: any input parses without panicking; a parsed command has
// a valid lower-case name, and arguments that came back are non-empty
// pieces of the input.
func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{"/help", "/help@CohortBot x", `/award @bob 10 "great talk"`, "/poll “a b” 「c」", `/x "unclosed`, "/", "/@", "/a@", "hello", "/top\tweek", "/x ''", "/y \"\""} {
		f.Add(s, "CohortBot")
	}
	f.Fuzz(func(t *testing.T, text, botName string) {
		inv, ok := ParseCommand(text, "/", botName)
		if !ok {
			return
		}
		if inv.Name == "" || inv.Name != strings.ToLower(inv.Name) || strings.ContainsAny(inv.Name, " @/") {
			t.Fatalf("bad name %q from %q", inv.Name, text)
		}
		if inv.Err == nil && utf8.ValidString(text) {
			for _, a := range inv.Args {
				if strings.ContainsAny(a, "\n") && !strings.Contains(text, a) {
					t.Fatalf("arg %q not from input %q", a, text)
				}
			}
		}
	})
}

// FuzzEscapeRoundTrip: escaped text always parses back to exactly itself,
// with no formatting and no links.
func FuzzEscapeRoundTrip(f *testing.F) {
	for _, s := range []string{"*bold*", "_i_", "`c`", "[x](https://e.com)", `\`, "a\\*b", "<b>&</code>", "@everyone", "中文*测试*"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		var got strings.Builder
		for _, sp := range ParseMarkup(Escape(s)) {
			if sp.Bold || sp.Italic || sp.Code || sp.URL != "" {
				t.Fatalf("escaped %q produced styled span %+v", s, sp)
			}
			got.WriteString(sp.Text)
		}
		if got.String() != s {
			t.Fatalf("escaped %q parsed back as %q", s, got.String())
		}
	})
}

// FuzzParseMarkup: any markup parses; links are always safe URLs.
func FuzzParseMarkup(f *testing.F) {
	for _, s := range []string{"*a* _b_ `c` [d](https://e)", "[x](javascript:alert(1))", "*unclosed", "[a](https://b\"onclick)", "\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, sp := range ParseMarkup(s) {
			if sp.URL != "" && !SafeURL(sp.URL) {
				t.Fatalf("unsafe link %q from %q", sp.URL, s)
			}
		}
	})
}

// FuzzParseChatRef: a reference that parses prints back to one that parses
// to the same value.
func FuzzParseChatRef(f *testing.F) {
	for _, s := range []string{"telegram:-100123", "discord:1/2", "discord:1", "telegram:-1#5", "console:main", "x:y", "discord:/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseChatRef(s)
		if err != nil {
			return
		}
		again, err := ParseChatRef(c.String())
		if err != nil || again != c {
			t.Fatalf("%q -> %+v -> %q -> %+v, %v", s, c, c.String(), again, err)
		}
	})
}
