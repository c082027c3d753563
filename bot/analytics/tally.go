package analytics

import (
	"context"
	"fmt"
	"time"

	"github.com/cohortbot/cohort/bot"
)

// counterID is an Increment without its amount.
type counterID struct {
	community string
	day       Day
	chat      string
	name      string
}

// buffer holds what has been counted since the last flush.
type buffer struct {
	counts map[counterID]int64
	acts   map[Activity]struct{}
}

func newBuffer() *buffer {
	return &buffer{counts: map[counterID]int64{}, acts: map[Activity]struct{}{}}
}

func (b *buffer) size() int { return len(b.counts) + len(b.acts) }

// batch turns the buffer into a Batch.
func (b *buffer) batch() Batch {
	var out Batch
	for id, n := range b.counts {
		if n != 0 {
			out.Counts = append(out.Counts, Increment{Community: id.community, Day: id.day, Chat: id.chat, Name: id.name, N: n})
		}
	}
	for a := range b.acts {
		out.Activity = append(out.Activity, a)
	}
	return out
}

// Count adds n to a community counter for today, and to the chat's counter
// when the chat belongs to the community. It implements bot.Tally and only
// touches memory.
func (m *Module) Count(_ context.Context, community string, chat bot.ChatRef, counter string, n int) {
	if n == 0 || counter == "" {
		return
	}
	day, c := m.today(community)
	m.add(community, day, chatKey(c, chat, false), counter, int64(n), nil)
}

// CountMember records a counter about one member. bot.CountVIP marks the
// member's first VIP day (the funnel's last step) and counts it once per
// member; other counters are added to the community total for today. It
// implements bot.MemberTally.
func (m *Module) CountMember(_ context.Context, community string, member bot.MemberID, counter string, n int) {
	if n == 0 || counter == "" {
		return
	}
	day, _ := m.today(community)
	if counter == bot.CountVIP {
		m.add(community, day, "", "", 0, &Activity{Community: community, Member: member, Day: day, Kind: ReachedVIP})
		return
	}
	m.add(community, day, "", counter, int64(n), nil)
}

// today is the current day in a community's timezone, by the bot's clock
// once the bot is known (from Run, the first event or command); before
// that, by the system clock in UTC.
func (m *Module) today(community string) (Day, *bot.Community) {
	b := m.theBot()
	if b == nil {
		return DayOf(time.Now(), nil), nil
	}
	c := b.Communities().Get(community)
	return DayOf(b.Now(), location(c)), c
}

// chatKey is the chat under which per-chat figures are kept: "" for private
// conversations and chats outside the community.
func chatKey(c *bot.Community, chat bot.ChatRef, private bool) string {
	if private || chat.IsZero() || c == nil || !c.HasChat(chat) {
		return ""
	}
	return chat.WithoutThread().String()
}

// add buffers a counter increment (to the total and, if chat is set, to the
// chat) and an activity, and asks for an early flush when the buffer is full.
func (m *Module) add(community string, day Day, chat, name string, n int64, act *Activity) {
	m.mu.Lock()
	if name != "" {
		m.pending.counts[counterID{community, day, "", name}] += n
		if chat != "" {
			m.pending.counts[counterID{community, day, chat, name}] += n
		}
	}
	if act != nil {
		m.pending.acts[*act] = struct{}{}
	}
	full := m.pending.size() >= m.opts.MaxPending
	m.mu.Unlock()
	if full {
		select {
		case m.kick <- struct{}{}:
		default:
		}
	}
}

// Flush writes everything buffered so far in one store write. Figures read
// after Flush returns include every event counted before it was called.
// What a failed write carried is lost (counters are best effort).
func (m *Module) Flush(ctx context.Context) error {
	m.mu.Lock()
	buf := m.pending
	m.pending = newBuffer()
	m.mu.Unlock()
	if buf.size() == 0 {
		return nil
	}
	b := buf.batch()
	if err := m.store.Record(ctx, b); err != nil {
		return fmt.Errorf("analytics: %d counters and %d activities lost: %w", len(b.Counts), len(b.Activity), err)
	}
	return nil
}
