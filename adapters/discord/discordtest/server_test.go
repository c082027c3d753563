package discordtest

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

func get(t *testing.T, s *Server, path string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("GET", s.URL+path, nil)
	req.Header.Set("Authorization", "Bot "+Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body
}

func TestListen_ServesTheDefaultWorld(t *testing.T) {
	s, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	before := time.Now()
	if code, body := get(t, s, "api/v9/channels/"+ChannelID); code != 200 || body["name"] != "general" {
		t.Fatalf("GET channel = %d %v", code, body)
	}
	reqs := s.Requests("GET", "/api/v9/channels/*")
	if len(reqs) != 1 || reqs[0].Time.Before(before) {
		t.Fatalf("recorded %+v, want one request timed after %v", reqs, before)
	}
}

func TestListen_MisusePanicsInsteadOfFailingATest(t *testing.T) {
	s, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	defer func() {
		if recover() == nil {
			t.Fatal("Dispatch before IDENTIFY did not panic")
		}
	}()
	s.Dispatch("MESSAGE_CREATE", map[string]any{})
}

func TestAddChannelAndMember(t *testing.T) {
	s := NewServer(t)
	ch := s.AddChannel("load-1")
	user := s.AddMember("lena")
	if code, body := get(t, s, "api/v9/channels/"+ch); code != 200 || body["guild_id"] != GuildID || body["name"] != "load-1" {
		t.Fatalf("GET new channel = %d %v", code, body)
	}
	if code, body := get(t, s, "api/v9/guilds/"+GuildID+"/members/"+user); code != 200 {
		t.Fatalf("GET new member = %d %v", code, body)
	}
	if s.Member(GuildID, user) == nil {
		t.Fatal("Member does not know the added member")
	}
}
