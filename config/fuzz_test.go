package config

import "testing"

// FuzzParse: no configuration text makes the loader panic, and whatever it
// accepts passes validation.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"data_dir: x\n", "log: {level: debug, format: json}\n", "communities: [{id: a, chats: [{ref: 'telegram:-1'}]}]\n",
		"telegram: {token: '${T}', mode: webhook}\n", "{", "- a\n- b\n", "locale: zh-CN\ntimezone: Asia/Shanghai\n",
		"discord: {token: x, shard_count: 0}\n", "communities: [{id: a, mod_chat: 'discord:1/2', chats: [{ref: 'discord:1'}]}]\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		c, err := Parse([]byte(text))
		if err != nil {
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("accepted config fails validation: %v", err)
		}
		if _, err := c.BotCommunities(); err != nil {
			t.Fatalf("accepted config has bad communities: %v", err)
		}
	})
}
