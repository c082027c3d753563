package moderation

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/cohortbot/cohort/bot"
)

var (
	linkRe    = regexp.MustCompile(`(?i)\b(?:https?://[^\s<>]+|www\.[^\s<>]+|(?:t\.me|telegram\.me|telegram\.dog|discord\.gg|discord(?:app)?\.com/invite)/[^\s<>]+)`)
	mentionRe = regexp.MustCompile(`(?:^|\s)@[\p{L}\p{N}_]{2,}|<@!?\d+>`)
)

// tracker remembers recent message times and texts per member for the
// flood and duplicate rules. It keeps only what the windows need.
type tracker struct {
	mu      sync.Mutex
	members map[string]*recent
}

type recent struct {
	times []time.Time
	texts []sentText
}

type sentText struct {
	text string
	at   time.Time
}

func newTracker() *tracker { return &tracker{members: map[string]*recent{}} }

// observe records a message and reports how many messages the member sent
// within flood and how many times this text within dup (both including it).
func (t *tracker) observe(key, text string, at time.Time, flood, dup time.Duration) (inFlood, repeats int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.members) > 50000 {
		t.sweep(at, max(flood, dup))
	}
	r := t.members[key]
	if r == nil {
		r = &recent{}
		t.members[key] = r
	}
	kept := r.times[:0]
	for _, ts := range r.times {
		if at.Sub(ts) < flood {
			kept = append(kept, ts)
		}
	}
	r.times = append(kept, at)
	keptTexts := r.texts[:0]
	norm := strings.ToLower(strings.Join(strings.Fields(text), " "))
	repeats = 1
	for _, st := range r.texts {
		if at.Sub(st.at) < dup {
			keptTexts = append(keptTexts, st)
			if st.text == norm {
				repeats++
			}
		}
	}
	r.texts = append(keptTexts, sentText{norm, at})
	return len(r.times), repeats
}

func (t *tracker) sweep(now time.Time, keep time.Duration) {
	for k, r := range t.members {
		if len(r.times) == 0 || now.Sub(r.times[len(r.times)-1]) > keep {
			delete(t.members, k)
		}
	}
}

// muteBook remembers members the bot muted, so a muted member's leftover
// messages are deleted without piling up warnings.
type muteBook struct {
	mu    sync.Mutex
	until map[string]time.Time
}

func newMuteBook() *muteBook { return &muteBook{until: map[string]time.Time{}} }

func (b *muteBook) set(key string, until time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if until.IsZero() {
		delete(b.until, key)
		return
	}
	b.until[key] = until
}

func (b *muteBook) muted(key string, now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	u, ok := b.until[key]
	if ok && !now.Before(u) {
		delete(b.until, key)
		return false
	}
	return ok
}

// hasForbiddenLink reports whether text links anywhere outside allow.
func hasForbiddenLink(text string, allow []string) bool {
	for _, l := range linkRe.FindAllString(text, -1) {
		if !allowed(l, allow) {
			return true
		}
	}
	return false
}

func allowed(link string, allow []string) bool {
	if len(allow) == 0 {
		return false
	}
	raw := link
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	host := strings.ToLower(u.Hostname())
	for _, d := range allow {
		d = strings.ToLower(strings.TrimPrefix(d, "."))
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

// violation is a broken rule and the catalog key that explains it.
type violation struct {
	rule string
	args bot.Args
}

// check applies the automatic rules to a message.
func (m *Module) check(ctx context.Context, req *bot.Request) error {
	ev := req.Event
	own := m.settings.For(req.Community.ID)
	cfg, words := own.Config, own.words
	key := req.Community.ID + "\x00" + string(req.Member)
	now := ev.Time
	floodWin, dupWin := cfg.Flood.Window, cfg.Duplicates.Window
	inFlood, repeats := m.tracker.observe(key, ev.Text, now, floodWin, dupWin)

	var v *violation
	switch {
	case cfg.Flood.Messages > 0 && inFlood > cfg.Flood.Messages:
		v = &violation{RuleFlood, bot.Args{"count": cfg.Flood.Messages, "seconds": int(floodWin.Seconds())}}
	case cfg.Duplicates.Messages > 0 && strings.TrimSpace(ev.Text) != "" && repeats >= cfg.Duplicates.Messages:
		v = &violation{RuleDuplicate, nil}
	case cfg.MaxMentions > 0 && max(len(ev.Mentions), len(mentionRe.FindAllString(ev.Text, -1))) > cfg.MaxMentions:
		v = &violation{RuleMentions, bot.Args{"count": cfg.MaxMentions}}
	case words.match(ev.Text):
		v = &violation{RuleBannedWord, nil}
	case (cfg.Links.MinAgeDays > 0 || cfg.Links.MinTier != "") && hasForbiddenLink(ev.Text, cfg.Links.Allow):
		var err error
		if v, err = m.linkAllowed(ctx, req, cfg.Links, now); err != nil {
			return err
		}
	}
	if v == nil || req.Role(ctx) >= bot.RoleModerator {
		return nil
	}
	req.Claim() // a message that breaks a rule earns nothing
	return m.enforceRule(ctx, req, cfg, *v)
}

// linkAllowed checks a member who posted a link against the link rules:
// old enough in the community, and at the least tier when one is set.
func (m *Module) linkAllowed(ctx context.Context, req *bot.Request, rule LinkConfig, now time.Time) (*violation, error) {
	if rule.MinAgeDays > 0 {
		mem, ok, err := req.Bot.Members().Member(ctx, req.Community.ID, req.Member)
		if err != nil {
			return nil, err
		}
		if !ok || now.Sub(mem.Joined) < time.Duration(rule.MinAgeDays)*24*time.Hour {
			return &violation{RuleLink, bot.Args{"count": rule.MinAgeDays}}, nil
		}
	}
	if rule.MinTier != "" && m.reached != nil {
		ok, err := m.reached(ctx, req.Community.ID, req.Member, rule.MinTier)
		if err != nil {
			return nil, err
		}
		if !ok {
			return &violation{RuleLinkTier, bot.Args{"tier": rule.MinTier}}, nil
		}
	}
	return nil, nil
}
