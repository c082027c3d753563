package loadtest

import (
	"fmt"
	"strings"
	"time"
)

func mib(n int64) string { return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20)) }

func verdict(problems []string) string {
	if len(problems) == 0 {
		return "PASS"
	}
	return "FAIL\n  " + strings.Join(problems, "\n  ")
}

// String is the printed report of a load run.
func (r *LoadReport) String() string {
	o := r.Options
	l := o.Limits
	var b strings.Builder
	fmt.Fprintf(&b, "cohort load: %d telegram groups + %d discord channels, %d members, %.0f msg/s offered for %s\n",
		o.TelegramGroups, o.DiscordChannels, r.Members, o.Rate, o.Duration)
	fmt.Fprintf(&b, "  events      %d offered (%.0f/s), %.0f/s ingested end to end, backlog at end of sending %d\n", r.Events, r.Offered, r.Ingested, r.Backlog)
	fmt.Fprintf(&b, "  /points     %d replies, latency p50 %s, p99 %s, max %s\n", r.Replies, r.P50.Round(time.Millisecond), r.P99.Round(time.Millisecond), r.Max.Round(time.Millisecond))
	ob := r.Outbound
	fmt.Fprintf(&b, "  outbound    telegram %d msgs: max %d/s per chat (limit %d per %s), %d/min per group (limit %d), %d/s overall (limit %.0f)\n",
		ob.TelegramMessages, ob.MaxPerChatSecond, max(l.PerChatBurst, 1), time.Duration(max(l.PerChatBurst, 1))*l.PerChat, ob.MaxPerGroupMinute, l.GroupPerMinute, ob.MaxPerSecond, l.PerSecond)
	fmt.Fprintf(&b, "              discord %d msgs: max %d/s per channel\n", ob.DiscordMessages, ob.MaxDiscordPerChannelSecond)
	fmt.Fprintf(&b, "  bot         peak RSS (VmHWM) %s, CPU %s (%.0f events per CPU second)\n", mib(r.PeakRSS), r.CPU.Round(10*time.Millisecond), float64(r.Events)/max(r.CPU.Seconds(), 0.01))
	fmt.Fprintf(&b, "  points      %d members checked, %d wrong totals\n", r.Members, r.Wrong)
	fmt.Fprintf(&b, "  result      %s\n", verdict(r.Problems))
	return b.String()
}

// String is the printed report of a crash run.
func (r *CrashReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "cohort crash: %d kill -9 under %.0f msg/s, %d members, seed %d\n", r.Kills, r.Options.Rate, r.Members, r.Options.Seed)
	fmt.Fprintf(&b, "  events      %d offered; %d /points answered (%d before a kill)\n", r.Events, r.Acks, r.AcksBeforeKill)
	fmt.Fprintf(&b, "  points      %d members: none below an acknowledged balance: %d lost, %d doubled; %d unacknowledged messages lost in kills\n",
		r.Members, r.Lost, r.Doubled, r.Unacked)
	fmt.Fprintf(&b, "  announce    %d scheduled and acknowledged: %d posted once, %d never (in flight at a kill), %d twice or more\n",
		r.Announced, r.PostedOnce, r.NotPosted, r.PostedTwice)
	fmt.Fprintf(&b, "  result      %s\n", verdict(r.Problems))
	return b.String()
}
