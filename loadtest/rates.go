package loadtest

import (
	"sort"
	"strings"
	"time"
)

// Outbound is what the bot posted, measured on the fakes' clocks.
type Outbound struct {
	// TelegramMessages and DiscordMessages count posted messages.
	TelegramMessages, DiscordMessages int
	// MaxPerChatSecond is the most messages one Telegram chat received in
	// any 1 s window; MaxPerChatBurstWindow in any window of
	// per_chat_burst × per_chat (at most per_chat_burst allowed).
	MaxPerChatSecond, MaxPerChatBurstWindow int
	// MaxPerGroupMinute is the most one Telegram group received in any
	// minute (at most group_per_minute allowed).
	MaxPerGroupMinute int
	// MaxPerSecond is the most messages Telegram received in any second
	// over all chats (at most per_second allowed).
	MaxPerSecond int
	// MaxDiscordPerChannelSecond is the most messages one Discord channel
	// received in any 1 s window.
	MaxDiscordPerChannelSecond int
}

// maxInWindow is the most times that fall into one half-open window of
// length d; times must be sorted.
func maxInWindow(times []time.Time, d time.Duration) int {
	best, i := 0, 0
	for j := range times {
		for times[j].Sub(times[i]) >= d {
			i++
		}
		best = max(best, j-i+1)
	}
	return best
}

func sortTimes(ts []time.Time) []time.Time {
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	return ts
}

// outbound measures the bot's posts recorded by the fakes.
func (w *world) outbound() Outbound {
	var o Outbound
	l := w.opts.Limits
	byChat := map[string][]time.Time{}
	var all []time.Time
	for _, c := range w.tg.Calls("") {
		if !strings.HasPrefix(c.Method, "send") || c.Method == "sendChatAction" {
			continue
		}
		o.TelegramMessages++
		byChat[c.Params["chat_id"]] = append(byChat[c.Params["chat_id"]], c.Time)
		all = append(all, c.Time)
	}
	for chat, ts := range byChat {
		ts = sortTimes(ts)
		o.MaxPerChatSecond = max(o.MaxPerChatSecond, maxInWindow(ts, time.Second))
		o.MaxPerChatBurstWindow = max(o.MaxPerChatBurstWindow, maxInWindow(ts, time.Duration(max(l.PerChatBurst, 1))*l.PerChat))
		if strings.HasPrefix(chat, "-") {
			o.MaxPerGroupMinute = max(o.MaxPerGroupMinute, maxInWindow(ts, time.Minute))
		}
	}
	o.MaxPerSecond = maxInWindow(sortTimes(all), time.Second)
	byChannel := map[string][]time.Time{}
	for _, r := range w.dc.Requests("POST", "/api/v9/channels/*/messages") {
		o.DiscordMessages++
		byChannel[r.Path] = append(byChannel[r.Path], r.Time)
	}
	for _, ts := range byChannel {
		o.MaxDiscordPerChannelSecond = max(o.MaxDiscordPerChannelSecond, maxInWindow(sortTimes(ts), time.Second))
	}
	return o
}

// withinLimits reports the first configured Telegram limit the bot broke.
func (o Outbound) withinLimits(l Limits) string {
	switch {
	case o.MaxPerChatBurstWindow > max(l.PerChatBurst, 1):
		return "per_chat/per_chat_burst"
	case o.MaxPerGroupMinute > l.GroupPerMinute:
		return "group_per_minute"
	case float64(o.MaxPerSecond) > l.PerSecond:
		return "per_second"
	}
	return ""
}
