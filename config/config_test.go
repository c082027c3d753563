package config

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

func TestExampleConfigIsValid(t *testing.T) {
	c, err := Load("../config.example.yaml")
	if err != nil {
		t.Fatalf("config.example.yaml: %v", err)
	}
	cs, err := c.BotCommunities()
	if err != nil || len(cs) != 1 || cs[0].ModChat.String() != "telegram:-100900" || len(cs[0].Targets("investors")) != 1 {
		t.Fatalf("communities: %+v %v", cs, err)
	}
}

func TestEnvExpansion(t *testing.T) {
	t.Setenv("TG", "123:abc")
	c, err := Parse([]byte("telegram: {token: \"${TG}\"}\ndiscord: {token: \"${UNSET_TOKEN_XYZ}\"}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Telegram.Token != "123:abc" || c.Discord.Token != "" || c.ConsoleEnabled() {
		t.Fatalf("got %+v", c)
	}
}

func TestErrorsNameTheKey(t *testing.T) {
	tests := []struct{ yaml, want string }{
		{"data_dri: x\n", "data_dri"},
		{"log:\n  levle: info\n", "levle"},
		{"log: {level: loud}\n", "log.level"},
		{"locale: fr\n", "locale"},
		{"timezone: Mars/Base\n", "timezone"},
		{"telegram: {token: x, mode: push}\n", "telegram.mode"},
		{"discord: {token: x, shard_id: 3, shard_count: 2}\n", "discord.shard_id"},
		{"communities: [{id: Bad Id, chats: [{ref: 'telegram:-1'}]}]\n", "communities[0].id"},
		{"communities: [{id: a, chats: []}]\n", "communities[0].chats"},
		{"communities: [{id: a, chats: [{ref: 'slack:1'}]}]\n", "communities[0].chats[0].ref"},
		{"communities: [{id: a, mod_chat: nope, chats: [{ref: 'telegram:-1'}]}]\n", "communities[0].mod_chat"},
		{"communities: [{id: a, moderators: [alice], chats: [{ref: 'telegram:-1'}]}]\n", "communities[0].moderators[0]"},
		{"communities: [{id: a, chats: [{ref: 'telegram:-1'}]}, {id: a, chats: [{ref: 'telegram:-2'}]}]\n", "communities[1].id"},
		{"communities: [{id: a, chats: [{ref: 'telegram:-1'}]}, {id: b, chats: [{ref: 'telegram:-1'}]}]\n", "already belongs"},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.yaml))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want it to name %q", tt.yaml, err, tt.want)
		}
	}
}

func TestUnknownKeyHasLine(t *testing.T) {
	_, err := Parse([]byte("data_dir: x\nlog:\n  level: info\n  formt: json\n"))
	if err == nil || !strings.Contains(err.Error(), "[4:") {
		t.Fatalf("error %v does not give line 4", err)
	}
}

func TestDefaults(t *testing.T) {
	c := Default()
	if c.DataDir != "./cohort-data" || !c.ConsoleEnabled() || c.Telegram.APIURL != "https://api.telegram.org" {
		t.Fatalf("defaults: %+v", c)
	}
}

func TestFeatureSections_CommunityOverridesTopLevel(t *testing.T) {
	c, err := Parse([]byte(`
feedback: {max_open: 5}
communities:
  - id: a
    chats: [{ref: "telegram:-1"}]
    feedback: {reannounce_after: 3h}
  - id: b
    chats: [{ref: "telegram:-2"}]
`))
	if err != nil {
		t.Fatal(err)
	}
	a, b := c.Communities[0].Features.Feedback, c.Communities[1].Features.Feedback
	if a.MaxOpen != 5 || a.ReannounceAfter.Hours() != 3 || b.MaxOpen != 5 || b.ReannounceAfter.Hours() != 2 || c.Defaults.Feedback.MaxOpen != 5 {
		t.Fatalf("a %+v b %+v defaults %+v", a, b, c.Defaults.Feedback)
	}
}

func TestFeatureSections_ErrorsNameTheKey(t *testing.T) {
	for text, want := range map[string]string{
		"feedback: {max_open: 0}\n": "feedback.max_open",
		"communities: [{id: a, chats: [{ref: 'telegram:-1'}], feedback: {max_open: 0}}]\n":   "communities[0].feedback.max_open",
		"communities: [{id: a, chats: [{ref: 'telegram:-1'}], feedback: {max_opn: 2}}]\n":    "communities[0].feedback",
		"schedule: {grace_period: soon}\n":                                                   "schedule",
		"communities: [{id: a, chats: [{ref: 'telegram:-1'}], privacy: {retention: 24h}}]\n": "communities[0].privacy.retention",
	} {
		_, err := Parse([]byte(text))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", text, err, want)
		}
	}
}

// TestExampleDocumentsEveryKey walks the configuration types and checks
// that config.example.yaml mentions every key.
func TestExampleDocumentsEveryKey(t *testing.T) {
	data, err := os.ReadFile("../config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	example := string(data)
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type, string)
	walk = func(typ reflect.Type, path string) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice || typ.Kind() == reflect.Map {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || seen[typ] || typ.PkgPath() == "time" {
			return
		}
		seen[typ] = true
		for i := range typ.NumField() {
			f := typ.Field(i)
			tag := strings.Split(f.Tag.Get("yaml"), ",")
			if tag[0] == "-" || !f.IsExported() {
				continue
			}
			if len(tag) > 1 && tag[1] == "inline" {
				continue // raw feature sections, checked through Features
			}
			name := tag[0]
			if name == "" {
				continue
			}
			if !regexp.MustCompile(`(?m)(^|[\s{,])` + regexp.QuoteMeta(name) + `:`).MatchString(example) {
				t.Errorf("config.example.yaml does not document %s%s", path, name)
			}
			walk(f.Type, path+name+".")
		}
	}
	walk(reflect.TypeOf(Config{}), "")
	features := reflect.TypeOf(Features{})
	for i := range features.NumField() {
		walk(features.Field(i).Type, strings.ToLower(features.Field(i).Name)+".")
	}
}

func TestPrivacySection(t *testing.T) {
	c, err := Parse([]byte("privacy: {retention: 720h}\ncommunities: [{id: a, chats: [{ref: 'telegram:-1'}], privacy: {retention: 4320h}}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Defaults.Privacy.Retention.Hours() != 720 || c.Communities[0].Features.Privacy.Retention.Hours() != 4320 {
		t.Fatalf("defaults %+v, community %+v", c.Defaults.Privacy, c.Communities[0].Features.Privacy)
	}
	if d := Default(); d.Defaults.Privacy.Retention.Hours() != 2160 {
		t.Fatalf("built-in retention %s", d.Defaults.Privacy.Retention)
	}
}

func TestLinkTierMustBeOnTheLadder(t *testing.T) {
	_, err := Parse([]byte("moderation: {links: {min_tier: Gold}}\n"))
	if err == nil || !strings.Contains(err.Error(), "moderation.links.min_tier") {
		t.Fatalf("error %v", err)
	}
	if _, err := Parse([]byte("moderation: {links: {min_tier: vip}}\n")); err != nil {
		t.Fatalf("a ladder tier was refused: %v", err)
	}
}

func TestFeatureSectionErrorsGiveTheFileLine(t *testing.T) {
	_, err := Parse([]byte("data_dir: x\ncommunities:\n  - id: a\n    chats: [{ref: 'telegram:-1'}]\n    feedback:\n      max_open: 2\n      max_opn: 3\n"))
	if err == nil || !strings.Contains(err.Error(), "communities[0].feedback: [7:") {
		t.Fatalf("error %v does not name the section and line 7", err)
	}
}
