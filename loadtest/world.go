package loadtest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/cohortbot/cohort/adapters/discord/discordtest"
	"github.com/cohortbot/cohort/adapters/telegram/telegramtest"
)

// Community is the id of the one community of a run.
const Community = "load"

// MessagePoints is what each chat message earns in a run. The generated
// configuration makes every message earn exactly this much: a 1 ns
// cooldown (members write at most once a second), no minimum length, no
// daily cap, and unique texts so the duplicate check never applies.
const MessagePoints = 5

// Telegram chats of the run besides the load groups.
const (
	modChatID  = int64(-1009000000001) // where the moderator types /announce
	newsChatID = int64(-1009000000002) // where announcements go
	firstGroup = int64(-1008000000001)
)

// moderator is the configured moderator who schedules announcements.
var moderator = telegramtest.User{ID: 1900, FirstName: "Mod", Username: "loadmod", LanguageCode: "en"}

// Options configure a run. Zero values take the defaults of Defaults.
type Options struct {
	// Binary is the cohort executable (see Build).
	Binary string
	// Dir holds the data directory and the configuration file.
	Dir string
	// TelegramGroups and DiscordChannels are the chats members write in.
	TelegramGroups, DiscordChannels int
	// Members is the number of members writing in each chat.
	Members int
	// Rate is the chat messages per second offered over all chats.
	Rate float64
	// Duration is how long messages are offered.
	Duration time.Duration
	// PointsPerMinute is how many /points commands each chat sees a minute.
	PointsPerMinute int
	// Limits are the telegram.limits of the bot's configuration (default:
	// Telegram's documented limits, as in config.example.yaml).
	Limits Limits
	// Kills is how many times Crash kills the bot (default 20).
	Kills int
	// Announcements is how many one-shot announcements Crash schedules.
	Announcements int
	// Seed makes the kill times repeatable (default: the clock).
	Seed int64
	// Log receives the bot's standard error (nil discards it).
	Log io.Writer
	// Progress receives one line per phase and per kill (nil discards it).
	Progress io.Writer
}

// Limits are the bot's Telegram outbound limits.
type Limits struct {
	PerSecond      float64
	PerChat        time.Duration
	PerChatBurst   int
	GroupPerMinute int
}

// Defaults fills unset options.
func (o *Options) Defaults() {
	if o.TelegramGroups == 0 && o.DiscordChannels == 0 {
		o.TelegramGroups, o.DiscordChannels = 30, 10
	}
	if o.Members == 0 {
		o.Members = 60
	}
	if o.Rate == 0 {
		o.Rate = 500
	}
	if o.Duration == 0 {
		o.Duration = 30 * time.Second
	}
	if o.PointsPerMinute == 0 {
		o.PointsPerMinute = 12
	}
	if o.Limits == (Limits{}) {
		o.Limits = Limits{PerSecond: 30, PerChat: time.Second, PerChatBurst: 3, GroupPerMinute: 20}
	}
	if o.Kills == 0 {
		o.Kills = 20
	}
	if o.Seed == 0 {
		o.Seed = time.Now().UnixNano()
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
}

// Validate rejects options under which message awards are not
// predictable: a member must not write twice within a second (Telegram
// dates have second resolution), and /points must fit the group limit.
func (o *Options) Validate() error {
	members := (o.TelegramGroups + o.DiscordChannels) * o.Members
	switch {
	case o.Binary == "":
		return errors.New("no cohort binary")
	case o.Dir == "":
		return errors.New("no working directory")
	case members == 0:
		return errors.New("no members")
	case float64(members)/o.Rate < 1.05:
		return fmt.Errorf("%d members at %.0f messages/s write more than once a second each; add members or chats", members, o.Rate)
	case o.PointsPerMinute > o.Limits.GroupPerMinute:
		return fmt.Errorf("%d /points a minute per chat exceed the group limit of %d replies a minute", o.PointsPerMinute, o.Limits.GroupPerMinute)
	}
	return nil
}

// Build compiles cmd/cohort into dir and returns the executable's path.
// It must run inside the module.
func Build(ctx context.Context, dir string) (string, error) {
	out := filepath.Join(dir, "cohort")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "github.com/cohortbot/cohort/cmd/cohort")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, b)
	}
	return out, nil
}

// member is one person writing in one chat.
type member struct {
	chat *chat
	tg   telegramtest.User // Telegram members
	dcID string            // Discord members
	// sent counts the member's chat messages handed to the fake.
	sent int
}

// key is the member's account key, as FindMember takes it.
func (m *member) key() string {
	if m.dcID != "" {
		return "discord:" + m.dcID
	}
	return "telegram:" + strconv.FormatInt(m.tg.ID, 10)
}

// chat is one load chat.
type chat struct {
	tgID    int64  // Telegram group id, or 0
	dcID    string // Discord channel id, or ""
	members []*member
}

func (c *chat) name() string {
	if c.dcID != "" {
		return "discord:" + c.dcID
	}
	return "telegram:" + strconv.FormatInt(c.tgID, 10)
}

// world is the fakes, the members and the bot process of a run.
type world struct {
	opts      Options
	tg        *telegramtest.Server
	dc        *discordtest.Server
	chats     []*chat
	members   []*member
	newsDC    string
	dataDir   string
	config    string
	adminAddr string

	proc   *exec.Cmd
	exited chan error
}

// newWorld starts the fakes, creates the chats and members and writes the
// bot's configuration. Close stops the fakes.
func newWorld(opts Options) (*world, error) {
	w := &world{opts: opts, dataDir: filepath.Join(opts.Dir, "data")}
	var err error
	if w.tg, err = telegramtest.Listen("127.0.0.1:0"); err != nil {
		return nil, err
	}
	if w.dc, err = discordtest.Listen("127.0.0.1:0"); err != nil {
		w.tg.Close()
		return nil, err
	}
	w.newsDC = w.dc.AddChannel("news")
	n := 0
	for i := 0; i < opts.TelegramGroups; i++ {
		c := &chat{tgID: firstGroup - int64(i)}
		for j := 0; j < opts.Members; j++ {
			n++
			c.members = append(c.members, &member{chat: c, tg: telegramtest.User{ID: int64(100000 + n), FirstName: fmt.Sprintf("M%d", n), Username: fmt.Sprintf("m%d", n), LanguageCode: "en"}})
		}
		w.chats = append(w.chats, c)
	}
	for i := 0; i < opts.DiscordChannels; i++ {
		c := &chat{dcID: w.dc.AddChannel(fmt.Sprintf("load-%d", i+1))}
		for j := 0; j < opts.Members; j++ {
			n++
			c.members = append(c.members, &member{chat: c, dcID: w.dc.AddMember(fmt.Sprintf("d%d", n))})
		}
		w.chats = append(w.chats, c)
	}
	for _, c := range w.chats {
		w.members = append(w.members, c.members...)
	}
	if w.adminAddr, err = freeAddr(); err != nil {
		w.close()
		return nil, err
	}
	if err := os.MkdirAll(w.dataDir, 0o700); err != nil {
		w.close()
		return nil, err
	}
	w.config = filepath.Join(opts.Dir, "cohort-load.yaml")
	if err := os.WriteFile(w.config, []byte(w.configText()), 0o600); err != nil {
		w.close()
		return nil, err
	}
	return w, nil
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// middayZone is a fixed-offset zone where it is about noon now, so a run
// never crosses the community's midnight (which would pay streak bonuses).
func middayZone(now time.Time) string {
	h := 12 - now.UTC().Hour()
	switch {
	case h == 0:
		return "UTC"
	case h > 0:
		return fmt.Sprintf("Etc/GMT-%d", h)
	default:
		return fmt.Sprintf("Etc/GMT+%d", -h)
	}
}

func (w *world) configText() string {
	var chats strings.Builder
	for _, c := range w.chats {
		ref := c.name()
		if c.dcID != "" {
			ref = "discord:" + discordtest.GuildID + "/" + c.dcID
		}
		fmt.Fprintf(&chats, "      - {ref: %q, segment: general}\n", ref)
	}
	fmt.Fprintf(&chats, "      - {ref: \"telegram:%d\", segment: news}\n", newsChatID)
	fmt.Fprintf(&chats, "      - {ref: \"discord:%s/%s\", segment: news}\n", discordtest.GuildID, w.newsDC)
	fmt.Fprintf(&chats, "      - {ref: \"telegram:%d\", segment: mods}\n", modChatID)
	l := w.opts.Limits
	return fmt.Sprintf(`data_dir: %q
log: {level: warn, format: json}
locale: en
timezone: %s
http: {listen: %q}
console: {enabled: "false"}
telegram:
  token: %q
  api_url: %q
  poll_timeout: 10s
  limits: {per_second: %g, per_chat: %s, per_chat_burst: %d, group_per_minute: %d}
discord: {token: %q, application_id: %q, api_url: %q, guilds: [%q]}
communities:
  - id: %s
    name: Load Test
    moderators: ["telegram:%d"]
    mod_chat: "telegram:%d"
    chats:
%s    points:
      message_points: %d
      cooldown: 1ns
      min_length: 1
      daily_cap: 1000000000
      announce_promotions: false
    moderation:
      flood: {messages: 100000, window: 1s}
      duplicates: {messages: 100000, window: 1s}
`, w.dataDir, middayZone(time.Now()), w.adminAddr,
		telegramtest.Token, w.tg.URL, l.PerSecond, l.PerChat, l.PerChatBurst, l.GroupPerMinute,
		discordtest.Token, discordtest.AppID, w.dc.URL, discordtest.GuildID,
		Community, moderator.ID, modChatID, chats.String(), MessagePoints)
}

// start runs the bot and waits until /readyz says both platforms are up.
func (w *world) start(ctx context.Context) error {
	cmd := exec.Command(w.opts.Binary, "-config", w.config)
	cmd.Stdout, cmd.Stderr = w.opts.Log, w.opts.Log
	cmd.Stdin = strings.NewReader("")
	if err := cmd.Start(); err != nil {
		return err
	}
	w.proc = cmd
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	w.exited = exited
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			w.proc = nil
			return fmt.Errorf("cohort exited during start: %v", err)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		resp, err := http.Get("http://" + w.adminAddr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	return errors.New("cohort did not become ready within 30s")
}

// kill sends SIGKILL and waits for the process to be gone.
func (w *world) kill() error {
	if w.proc == nil {
		return errors.New("cohort is not running")
	}
	if err := w.proc.Process.Signal(syscall.SIGKILL); err != nil {
		return err
	}
	<-w.exited
	w.proc = nil
	return nil
}

// stop asks the bot to stop (SIGTERM) and waits; it must exit cleanly.
func (w *world) stop() error {
	if w.proc == nil {
		return nil
	}
	if err := w.proc.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	select {
	case err := <-w.exited:
		w.proc = nil
		if err != nil {
			return fmt.Errorf("cohort exited with %v", err)
		}
		return nil
	case <-time.After(30 * time.Second):
		_ = w.kill()
		return errors.New("cohort did not stop within 30s of SIGTERM")
	}
}

// peakMemory is the bot's peak resident set (VmHWM) in bytes.
func (w *world) peakMemory() (int64, error) {
	if w.proc == nil {
		return 0, errors.New("cohort is not running")
	}
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", w.proc.Process.Pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb * 1024, err
		}
	}
	return 0, errors.New("no VmHWM in /proc status")
}

// cpuTime is the CPU time (user and system) the bot has used so far.
func (w *world) cpuTime() (time.Duration, error) {
	if w.proc == nil {
		return 0, errors.New("cohort is not running")
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", w.proc.Process.Pid))
	if err != nil {
		return 0, err
	}
	// Fields after the parenthesized command name; utime and stime are
	// the 14th and 15th fields, in clock ticks (100 a second on Linux).
	_, rest, ok := strings.Cut(string(b), ") ")
	f := strings.Fields(rest)
	if !ok || len(f) < 13 {
		return 0, errors.New("unreadable /proc stat")
	}
	user, err1 := strconv.ParseInt(f[11], 10, 64)
	sys, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	return time.Duration(user+sys) * 10 * time.Millisecond, nil
}

// handled is the number of events the bot has finished handling, from
// its /metrics (cohort_handler_seconds_count over all kinds).
func (w *world) handled() (int64, error) {
	resp, err := http.Get("http://" + w.adminAddr + "/metrics")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var total int64
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "cohort_handler_seconds_count") {
			continue
		}
		f := strings.Fields(line)
		n, err := strconv.ParseFloat(f[len(f)-1], 64)
		if err != nil {
			return 0, err
		}
		total += int64(n)
	}
	return total, sc.Err()
}

func (w *world) close() {
	if w.proc != nil {
		_ = w.kill()
	}
	w.tg.Close()
	w.dc.Close()
}
