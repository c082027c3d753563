package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/cohortbot/cohort/loadtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("cohort-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o loadtest.Options
	crash := fs.Bool("crash", false, "run the crash test (kill -9 and restart under load) instead of the load test")
	bin := fs.String("bin", "", "cohort binary (default: go build ./cmd/cohort)")
	dir := fs.String("dir", "", "working directory (default: a temporary directory, removed afterwards)")
	botLog := fs.String("botlog", "", "file for the bot's log (default: discarded)")
	fs.IntVar(&o.TelegramGroups, "groups", 0, "Telegram groups (default 30 for load, 6 for crash)")
	fs.IntVar(&o.DiscordChannels, "channels", 0, "Discord channels (default 10 for load, 2 for crash)")
	fs.IntVar(&o.Members, "members", 0, "members writing in each chat (default 60 for load, 20 for crash)")
	fs.Float64Var(&o.Rate, "rate", 0, "chat messages per second over all chats (default 500 for load, 100 for crash)")
	fs.DurationVar(&o.Duration, "duration", 0, "how long to send (default 30s for load, 3m for crash)")
	fs.IntVar(&o.PointsPerMinute, "points", 0, "/points commands per chat per minute (default 12 for load, 60 for crash)")
	fs.IntVar(&o.Kills, "kills", 0, "crash: how many kill -9 (default 20)")
	fs.IntVar(&o.Announcements, "announcements", 0, "crash: one-shot announcements to schedule (default 10)")
	fs.Int64Var(&o.Seed, "seed", 0, "crash: seed of the kill times (default: the clock)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *crash {
		loadtest.CrashDefaults(&o)
	}
	o.Progress = stderr
	o.Dir = *dir
	if o.Dir == "" {
		tmp, err := os.MkdirTemp("", "cohort-load-")
		if err != nil {
			fmt.Fprintln(stderr, "cohort-load:", err)
			return 1
		}
		defer os.RemoveAll(tmp)
		o.Dir = tmp
	}
	if *botLog != "" {
		f, err := os.Create(*botLog)
		if err != nil {
			fmt.Fprintln(stderr, "cohort-load:", err)
			return 1
		}
		defer f.Close()
		o.Log = f
	}
	o.Binary = *bin
	if o.Binary == "" {
		fmt.Fprintln(stderr, "building cmd/cohort...")
		b, err := loadtest.Build(ctx, o.Dir)
		if err != nil {
			fmt.Fprintln(stderr, "cohort-load:", err)
			return 1
		}
		o.Binary = b
	}
	var problems []string
	if *crash {
		r, err := loadtest.Crash(ctx, o)
		if err != nil {
			fmt.Fprintln(stderr, "cohort-load:", err)
			return 1
		}
		fmt.Fprint(stdout, r)
		problems = r.Problems
	} else {
		r, err := loadtest.Load(ctx, o)
		if err != nil {
			fmt.Fprintln(stderr, "cohort-load:", err)
			return 1
		}
		fmt.Fprint(stdout, r)
		problems = r.Problems
	}
	if len(problems) > 0 {
		return 1
	}
	return 0
}
