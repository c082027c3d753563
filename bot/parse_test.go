package bot

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseCommand(t *testing.T) {
	tests := []struct {
		text, bot string
		ok        bool
		name      string
		args      []string
		err       error
	}{
		{"/help", "CohortBot", true, "help", nil, nil},
		{"/Help@CohortBot", "CohortBot", true, "help", nil, nil},
		{"/help@cohortbot", "CohortBot", true, "help", nil, nil},
		{"/help@OtherBot", "CohortBot", false, "", nil, nil},
		{"/award @bob 10 \"great talk\"", "", true, "award", []string{"@bob", "10", "great talk"}, nil},
		{"/poll “午饭吃什么” 「面条」 米饭", "", true, "poll", []string{"午饭吃什么", "面条", "米饭"}, nil},
		{"/say \"unclosed", "", true, "say", nil, ErrUnbalancedQuotes},
		{"/say it's fine", "", true, "say", []string{"it's", "fine"}, nil},
		{"hello /help", "", false, "", nil, nil},
		{"/", "", false, "", nil, nil},
		{"/ help", "", false, "", nil, nil},
		{"/he<b>lp", "", false, "", nil, nil},
		{"/help " + strings.Repeat("x", MaxCommandLength), "", true, "help", nil, ErrTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.text[:min(len(tt.text), 30)], func(t *testing.T) {
			inv, ok := ParseCommand(tt.text, "/", tt.bot)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if !ok {
				return
			}
			if inv.Name != tt.name || !errors.Is(inv.Err, tt.err) {
				t.Fatalf("got name %q err %v, want %q %v", inv.Name, inv.Err, tt.name, tt.err)
			}
			if tt.err == nil && !reflect.DeepEqual(inv.Args, tt.args) {
				t.Fatalf("args = %q, want %q", inv.Args, tt.args)
			}
		})
	}
}

func TestParseCommand_Prefix(t *testing.T) {
	inv, ok := ParseCommand("!top week", "!", "")
	if !ok || inv.Name != "top" || inv.RawArgs != "week" {
		t.Fatalf("got %+v %v", inv, ok)
	}
	if _, ok := ParseCommand("/top", "!", ""); ok {
		t.Fatal("slash command accepted with ! prefix")
	}
}

func TestChatRef_RoundTrip(t *testing.T) {
	for _, s := range []string{"telegram:-1001234567890", "discord:111/222", "discord:111", "telegram:-100#42", "console:main"} {
		c, err := ParseChatRef(s)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		if c.String() != s {
			t.Errorf("%s round-trips to %s", s, c.String())
		}
	}
	for _, s := range []string{"", "telegram", "slack:1", "discord:111/", "telegram:a b"} {
		if _, err := ParseChatRef(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}

func TestMarkup_EscapedTextStaysLiteral(t *testing.T) {
	for _, s := range []string{"*not bold*", "_x_ `y` [z](https://evil)", `back\slash`, "a * b _ c", "<b>&</code>"} {
		spans := ParseMarkup("*Name:* " + Escape(s))
		if len(spans) != 2 || !spans[0].Bold || spans[1].Text != " "+s || spans[1].Bold || spans[1].Code || spans[1].URL != "" {
			t.Errorf("%q parsed as %+v", s, spans)
		}
	}
}

func TestMarkup_Styles(t *testing.T) {
	got := ParseMarkup("*b* _i_ `c*` [site](https://x.io) [bad](javascript:alert)")
	want := []Span{{Text: "b", Bold: true}, {Text: " "}, {Text: "i", Italic: true}, {Text: " "}, {Text: "c*", Code: true}, {Text: " "}, {Text: "site", URL: "https://x.io"}, {Text: " [bad](javascript:alert)"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
}

func TestNormalizeLang(t *testing.T) {
	for in, want := range map[string]string{"zh_CN.UTF-8": "zh-CN", "zh-hans": "zh-CN", "zh": "zh-CN", "en-US": "en", "en_GB.UTF-8": "en", "C.UTF-8": "en", "fr": "", "": ""} {
		if got := NormalizeLang(in); got != want {
			t.Errorf("NormalizeLang(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCoreCatalog_Complete(t *testing.T) {
	if err := CheckCatalog(CoreLocales()); err != nil {
		t.Fatal(err)
	}
}

func TestShorten(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int
		want string
	}{{"short", 10, "short"}, {"two\nlines  here", 20, "two lines here"}, {"这个项目是不是要跑路了", 5, "这个项目…"}, {"abcdef", 6, "abcdef"}} {
		if got := Shorten(tt.in, tt.n); got != tt.want {
			t.Errorf("Shorten(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
