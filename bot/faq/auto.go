package faq

import (
	"context"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/cohortbot/cohort/bot"
)

// Observe answers group messages that read as a question the FAQ answers
// with confidence, when automatic answers are on for the chat.
func (m *Module) Observe(ctx context.Context, req *bot.Request) error {
	ev := req.Event
	if ev.Kind != bot.EventMessage || ev.Private || ev.Edited || ev.ReplyTo != nil || ev.From.IsBot {
		return nil
	}
	text := strings.TrimSpace(ev.Text)
	if text == "" || utf8.RuneCountInString(text) > maxQueryLen || !LooksLikeQuestion(text) {
		return nil
	}
	cfg := m.settings.For(req.Community.ID)
	if !cfg.autoAnswerIn(ev.Chat) {
		return nil
	}
	now := req.Now()
	chat := ev.Chat.String()
	if !m.auto.ready(chat, now, cfg.AutoAnswer.Cooldown) {
		return nil
	}
	cat, err := m.catalog(ctx, req.Community.ID, now)
	if err != nil {
		return err
	}
	v := cat.lookup(text, cfg.AutoAnswer.Threshold)
	if !v.confident || len(v.similar) > 0 {
		return nil // not sure enough to speak unasked
	}
	if !m.auto.take(chat, v.best.ID, now, cfg.AutoAnswer.Cooldown, cfg.AutoAnswer.RepeatAfter) {
		return nil
	}
	return m.replyAnswer(ctx, req, v.best, nil, answerLang(text, req.Lang), true)
}

// englishQuestionWords start a question in English.
var englishQuestionWords = map[string]bool{
	"what": true, "whats": true, "how": true, "hows": true, "when": true, "why": true, "where": true, "wheres": true,
	"who": true, "which": true, "can": true, "could": true, "is": true, "are": true, "does": true, "do": true,
	"will": true, "should": true, "would": true, "may": true, "anyone": true,
}

// chineseQuestionWords mark a question anywhere in a Chinese sentence.
var chineseQuestionWords = []string{"怎么", "怎样", "如何", "什么", "为什么", "为啥", "哪", "多少", "多久", "请问", "能不能", "可不可以", "是不是", "有没有", "是否", "能否"}

// LooksLikeQuestion reports whether a message reads as a question: it ends
// in a question mark (? or ？), starts with an English question word, uses
// a Chinese question word, or ends in a question particle (吗, 呢).
func LooksLikeQuestion(text string) bool {
	t := strings.TrimRightFunc(text, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) && r != '?' && r != '？' })
	if strings.HasSuffix(t, "?") || strings.HasSuffix(t, "？") || strings.HasSuffix(t, "吗") || strings.HasSuffix(t, "呢") {
		return true
	}
	first := strings.ToLower(strings.TrimLeftFunc(t, func(r rune) bool { return !unicode.IsLetter(r) }))
	if i := strings.IndexFunc(first, func(r rune) bool { return !unicode.IsLetter(r) }); i >= 0 {
		first = first[:i]
	}
	if englishQuestionWords[first] {
		return true
	}
	for _, w := range chineseQuestionWords {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}

// autoLimiter spaces automatic answers per chat and per entry in a chat.
type autoLimiter struct {
	mu    sync.Mutex
	chats map[string]time.Time // chat -> last automatic answer
	pairs map[string]time.Time // chat ‖ entry -> last automatic answer
}

func newAutoLimiter() *autoLimiter {
	return &autoLimiter{chats: map[string]time.Time{}, pairs: map[string]time.Time{}}
}

// ready reports whether the chat's cooldown has passed.
func (l *autoLimiter) ready(chat string, now time.Time, cooldown time.Duration) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	last, ok := l.chats[chat]
	return !ok || now.Sub(last) >= cooldown
}

// take records an automatic answer with an entry in a chat, unless the
// chat's cooldown or the entry's repeat interval has not passed.
func (l *autoLimiter) take(chat, entry string, now time.Time, cooldown, repeat time.Duration) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if last, ok := l.chats[chat]; ok && now.Sub(last) < cooldown {
		return false
	}
	pair := chat + "\x00" + entry
	if last, ok := l.pairs[pair]; ok && now.Sub(last) < repeat {
		return false
	}
	if len(l.pairs) > 10000 {
		for k, t := range l.pairs {
			if now.Sub(t) >= repeat {
				delete(l.pairs, k)
			}
		}
	}
	l.chats[chat] = now
	l.pairs[pair] = now
	return true
}
