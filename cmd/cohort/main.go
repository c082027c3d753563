package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/cohortbot/cohort/config"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = ""

// env is what the program takes from its process, so tests can run it in place.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv})
	stop()
	os.Exit(code)
}

const usage = `usage: cohort [-config PATH] [run | check-config | backup FILE | version]`

// run executes one command line and returns the exit code.
func run(ctx context.Context, args []string, e env) int {
	fs := flag.NewFlagSet("cohort", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	configPath := fs.String("config", "", "configuration file (default $COHORT_CONFIG)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cmd, rest := "run", fs.Args()
	if len(rest) > 0 {
		cmd, rest = rest[0], rest[1:]
	}
	// Flags may also follow the command: cohort check-config -config x.yaml
	if err := fs.Parse(rest); err != nil {
		return 2
	}
	rest = fs.Args()
	if *configPath == "" {
		*configPath = e.getenv("COHORT_CONFIG")
	}
	if cmd == "version" {
		fmt.Fprintln(e.stdout, "cohort", buildVersion())
		return 0
	}
	cfg, err := loadConfig(*configPath)
	if err != nil {
		fmt.Fprintf(e.stderr, "cohort: config: %v\n", err)
		return 1
	}
	switch cmd {
	case "run":
		if len(rest) > 0 {
			fmt.Fprintln(e.stderr, usage)
			return 2
		}
		if err := runBot(ctx, cfg, *configPath != "", e); err != nil {
			fmt.Fprintf(e.stderr, "cohort: %v\n", err)
			return 1
		}
		return 0
	case "check-config":
		fmt.Fprintf(e.stdout, "configuration OK: %d communities, telegram %s, discord %s, console %s\n",
			len(cfg.Communities), onOff(cfg.Telegram.Enabled()), onOff(cfg.Discord.Enabled()), onOff(cfg.ConsoleEnabled()))
		return 0
	case "backup":
		if len(rest) != 1 {
			fmt.Fprintln(e.stderr, "usage: cohort backup FILE")
			return 2
		}
		n, err := backup(ctx, cfg.DataDir, rest[0])
		if err != nil {
			fmt.Fprintf(e.stderr, "cohort: backup: %v\n", err)
			return 1
		}
		fmt.Fprintf(e.stdout, "backup written to %s (%d bytes)\n", rest[0], n)
		return 0
	default:
		fmt.Fprintf(e.stderr, "cohort: unknown command %q\n%s\n", cmd, usage)
		return 2
	}
}

func loadConfig(path string) (*config.Config, error) {
	if path == "" {
		return config.Default(), nil
	}
	return config.Load(path)
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func buildVersion() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		return info.Main.Version
	}
	return "(devel)"
}
