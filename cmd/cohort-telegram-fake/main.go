package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/cohortbot/cohort/adapters/telegram/telegramtest"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:8081", "address to serve the fake Bot API on")
	chat := flag.Int64("chat", -1001000000001, "id of the fake group")
	user := flag.Int64("user", 1001, "user id you type as")
	name := flag.String("name", "Alice", "your display name")
	lang := flag.String("lang", "en", "your language code")
	flag.Parse()

	srv, err := telegramtest.Listen(*listen)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	fmt.Printf("fake Bot API on %s\ntoken: %s\ngroup: telegram:%d   you: telegram:%d\n", srv.URL, srv.Token, *chat, *user)

	me := telegramtest.User{ID: *user, FirstName: *name, LanguageCode: *lang}
	var mu sync.Mutex
	seen := map[int64]int{}
	go func() {
		for range time.Tick(100 * time.Millisecond) {
			for _, id := range []int64{*chat, *user} {
				msgs := srv.Messages(id)
				mu.Lock()
				for _, m := range msgs[min(seen[id], len(msgs)):] {
					where := "group"
					if id > 0 {
						where = "dm"
					}
					fmt.Printf("[%s] bot: %s\n", where, strings.ReplaceAll(m.Text, "\n", "\n      "))
				}
				seen[id] = len(msgs)
				mu.Unlock()
			}
		}
	}()
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		line := strings.TrimSpace(in.Text())
		switch {
		case line == "":
		case strings.HasPrefix(line, "dm "):
			srv.AddUpdate(telegramtest.PrivateText(me, strings.TrimPrefix(line, "dm ")))
		default:
			srv.AddUpdate(telegramtest.GroupText(*chat, me, line))
		}
	}
}
