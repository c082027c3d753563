package telegram

import (
	"strings"
	"testing"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string // substring of the error; "" for valid
	}{
		{"no token is fine", Config{}, ""},
		{"polling", Config{Token: "t"}, ""},
		{"bad mode", Config{Token: "t", Mode: "push"}, "telegram.mode"},
		{"bad api url", Config{Token: "t", APIURL: "ftp://x"}, "telegram.api_url"},
		{"webhook needs listen", Config{Token: "t", Mode: "webhook"}, "telegram.webhook.listen"},
		{"webhook needs https", Config{Token: "t", Mode: "webhook", Webhook: WebhookConfig{Listen: ":8443", PublicURL: "http://x"}}, "public_url"},
		{"webhook needs secret", Config{Token: "t", Mode: "webhook", Webhook: WebhookConfig{Listen: ":8443", PublicURL: "https://x/tg"}}, "telegram.webhook.secret"},
		{"secret charset", Config{Token: "t", Mode: "webhook", Webhook: WebhookConfig{Listen: ":8443", PublicURL: "https://x/tg", Secret: "a b"}}, "telegram.webhook.secret"},
		{"webhook ok", Config{Token: "t", Mode: "webhook", Webhook: WebhookConfig{Listen: ":8443", PublicURL: "https://x/tg", Secret: "abc_-1"}}, ""},
		{"negative limits", Config{Token: "t", Limits: Limits{PerChatBurst: -1}}, "telegram.limits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.Defaults()
			err := tt.cfg.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("unexpected error %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("err = %v, want it to name %s", err, tt.want)
			}
		})
	}
}
