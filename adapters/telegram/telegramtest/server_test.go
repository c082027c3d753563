package telegramtest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/cohortbot/cohort/adapters/telegram/telegramtest"
)

func client(t *testing.T, srv *telegramtest.Server) *tgbot.Bot {
	t.Helper()
	b, err := tgbot.New(srv.Token, tgbot.WithServerURL(srv.URL)) // calls getMe with an empty body
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestUnknownMethodIs404(t *testing.T) {
	srv := telegramtest.NewServer(t)
	resp, err := http.Post(srv.URL+"/bot"+srv.Token+"/noSuchMethod", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 404 || strings.TrimSpace(string(body)) != `{"description":"Not Found","error_code":404,"ok":false}` {
		t.Errorf("%d %s", resp.StatusCode, body)
	}
	resp2, _ := http.Post(srv.URL+"/botWRONG/getMe", "", nil)
	if resp2.StatusCode != 401 {
		t.Errorf("wrong token: %d", resp2.StatusCode)
	}
	resp2.Body.Close()
}

func TestGetUpdatesOffsets(t *testing.T) {
	srv := telegramtest.NewServer(t)
	b := client(t, srv)
	srv.AddUpdate(telegramtest.GroupText(-5, telegramtest.User{ID: 1}, "one"))
	srv.AddUpdate(telegramtest.Joined(-5, telegramtest.User{ID: 2}, "")) // chat_member: not delivered by default
	srv.AddUpdate(telegramtest.GroupText(-5, telegramtest.User{ID: 1}, "two"))
	var ups []models.Update
	raw := func(params string) {
		t.Helper()
		resp, err := http.Post(srv.URL+"/bot"+srv.Token+"/getUpdates", "application/json", strings.NewReader(params))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var r struct {
			OK     bool            `json:"ok"`
			Result []models.Update `json:"result"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || !r.OK {
			t.Fatal(err)
		}
		ups = r.Result
	}
	raw(`{"timeout":0}`)
	if len(ups) != 2 || ups[0].Message.Text != "one" || ups[1].Message.Text != "two" || ups[1].Message.ID != 2 {
		t.Fatalf("updates = %+v", ups)
	}
	raw(`{"offset":2,"timeout":0}`)
	if len(ups) != 1 || ups[0].Message.Text != "two" {
		t.Fatalf("after offset 2: %+v", ups)
	}
	raw(`{"offset":4,"timeout":0}`)
	if len(ups) != 0 {
		t.Fatalf("after confirming all: %+v", ups)
	}
	// Library calls go through multipart: sending, then errors as the library reads them.
	m, err := b.SendMessage(context.Background(), &tgbot.SendMessageParams{ChatID: -5, Text: "<b>hi</b> &amp; <i>you</i>", ParseMode: models.ParseModeHTML})
	if err != nil {
		t.Fatal(err)
	}
	if m.Text != "hi & you" || len(m.Entities) != 2 || m.Entities[1].Offset != 5 || m.ID != 3 {
		t.Errorf("message = %+v", m)
	}
	_, err = b.SendMessage(context.Background(), &tgbot.SendMessageParams{ChatID: -5, Text: "<script>", ParseMode: models.ParseModeHTML})
	if !errors.Is(err, tgbot.ErrorBadRequest) || !strings.Contains(err.Error(), "can't parse entities") {
		t.Errorf("bad HTML: %v", err)
	}
	srv.FailNext("sendMessage", 429, 3, 1)
	_, err = b.SendMessage(context.Background(), &tgbot.SendMessageParams{ChatID: -5, Text: "x"})
	var tm *tgbot.TooManyRequestsError
	if !errors.As(err, &tm) || tm.RetryAfter != 3 {
		t.Errorf("429: %v", err)
	}
	_, err = b.SendMessage(context.Background(), &tgbot.SendMessageParams{ChatID: 77, Text: "x"})
	if !errors.Is(err, tgbot.ErrorForbidden) {
		t.Errorf("DM to a user who never started the bot: %v", err)
	}
	if c := srv.Calls("getMe"); len(c) != 1 || len(c[0].Params) != 0 {
		t.Errorf("getMe calls = %+v", c)
	}
}

func TestParseHTML(t *testing.T) {
	for _, bad := range []string{"<b>x", "a & b", "<x>y</x>", "<b><i>x</b></i>", "&nbsp;", "</b>"} {
		if _, _, err := telegramtest.ParseHTML(bad); err == nil {
			t.Errorf("ParseHTML(%q) accepted", bad)
		}
	}
	text, ents, err := telegramtest.ParseHTML(`😀 <a href="https://e.x/?a=1&amp;b=&quot;2&quot;">l&#33;</a>`)
	if err != nil || text != "😀 l!" || len(ents) != 1 || ents[0].Offset != 3 || ents[0].URL != `https://e.x/?a=1&b="2"` {
		t.Errorf("%q %+v %v", text, ents, err)
	}
}
