package faq

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cohortbot/cohort/bot"
	"github.com/rs/zerolog"
)

// maxQueryLen bounds the questions the bot matches.
const maxQueryLen = 300

// Commands offers /faq and /faqadmin.
func (m *Module) Commands() []bot.Command {
	return []bot.Command{
		{Name: "faq", Args: []bot.Arg{{Name: "question", Kind: bot.ArgText}}, Run: m.runFAQ},
		{Name: "faqadmin", Role: bot.RoleModerator, Slow: true, Args: []bot.Arg{
			{Name: "action", Kind: bot.ArgString, Required: true, Choices: []string{"add", "edit", "remove", "list", "import", "export", "unanswered", "log"}},
			{Name: "text", Kind: bot.ArgText},
		}, Run: m.runAdmin},
	}
}

// Buttons handles topic ("faq:a:<id>") and page ("faq:p:<n>") buttons.
func (m *Module) Buttons() []bot.ButtonRoute {
	return []bot.ButtonRoute{{Prefix: "faq", Run: m.runButton}}
}

// pageRe matches "/faq page 2", "/faq p2", "/faq 2", "/faq 第2页".
var pageRe = regexp.MustCompile(`^(?i:page\s*|p\s*|第\s*)?(\d{1,4})\s*页?$`)

// runFAQ lists topics, or answers a question.
func (m *Module) runFAQ(ctx context.Context, req *bot.Request) error {
	query := strings.TrimSpace(req.RawArgs)
	if query == "" {
		return m.replyTopics(ctx, req, 1)
	}
	if g := pageRe.FindStringSubmatch(query); g != nil {
		n, _ := strconv.Atoi(g[1])
		return m.replyTopics(ctx, req, n)
	}
	if utf8.RuneCountInString(query) > maxQueryLen {
		return bot.Errorf("faq.too_long", bot.Args{"max": maxQueryLen})
	}
	cat, err := m.catalog(ctx, req.Community.ID, req.Now())
	if err != nil {
		return err
	}
	if len(cat.entries) == 0 {
		return req.ReplyText(ctx, "faq.empty", nil)
	}
	cfg := m.settings.For(req.Community.ID)
	v := cat.lookup(query, cfg.Threshold)
	if v.confident {
		return m.replyAnswer(ctx, req, v.best, v.similar, answerLang(query, req.Lang), false)
	}
	if err := m.recordUnanswered(ctx, req, query); err != nil {
		return err
	}
	out := bot.Outgoing{Text: req.T("faq.no_answer", nil)}
	if v.found {
		suggest := append([]Entry{v.best}, v.similar...)
		out.Text = req.T("faq.not_sure", nil)
		out.Buttons = topicButtons(suggest, req.Lang)
	}
	_, err = req.Reply(ctx, out)
	return err
}

// replyAnswer answers with an entry, offering similar entries as buttons,
// and counts the hit.
func (m *Module) replyAnswer(ctx context.Context, req *bot.Request, e Entry, similar []Entry, lang string, auto bool) error {
	question, answer := e.In(lang)
	text := req.T("faq.answer", bot.Args{"question": question, "answer": bot.Raw(answer)})
	out := bot.Outgoing{Text: text}
	if len(similar) > 0 {
		out.Text += "\n\n" + req.T("faq.did_you_mean", nil)
		out.Buttons = topicButtons(similar, lang)
	}
	if auto {
		out.Text += "\n\n" + req.T("faq.auto_footer", nil)
	}
	if _, err := req.Reply(ctx, out); err != nil {
		return err
	}
	if err := m.store.CountFAQHit(ctx, req.Community.ID, e.ID); err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Str("entry", e.ID).Msg("counting FAQ hit failed")
	}
	return nil
}

// replyTopics lists one page of topics with a button per topic.
func (m *Module) replyTopics(ctx context.Context, req *bot.Request, page int) error {
	cat, err := m.catalog(ctx, req.Community.ID, req.Now())
	if err != nil {
		return err
	}
	if len(cat.entries) == 0 {
		return req.ReplyText(ctx, "faq.empty", nil)
	}
	size := m.settings.For(req.Community.ID).PageSize
	pages := (len(cat.entries) + size - 1) / size
	if page < 1 || page > pages {
		return bot.Errorf("faq.bad_page", bot.Args{"page": page, "pages": pages})
	}
	items := cat.entries[(page-1)*size : min(page*size, len(cat.entries))]
	var b strings.Builder
	b.WriteString(req.T("faq.topics", bot.Args{"page": page, "pages": pages}))
	for _, e := range items {
		q, _ := e.In(req.Lang)
		b.WriteString("\n• " + bot.Escape(q) + " — `" + e.ID + "`")
	}
	b.WriteString("\n\n" + req.T("faq.topics_hint", nil))
	out := bot.Outgoing{Text: b.String(), Buttons: topicButtons(items, req.Lang)}
	var nav []bot.Button
	if page > 1 {
		nav = append(nav, bot.Button{Text: req.T("faq.prev", nil), Data: "faq:p:" + strconv.Itoa(page-1)})
	}
	if page < pages {
		nav = append(nav, bot.Button{Text: req.T("faq.next", nil), Data: "faq:p:" + strconv.Itoa(page+1)})
	}
	if len(nav) > 0 {
		out.Buttons = append(out.Buttons, nav)
	}
	_, err = req.Reply(ctx, out)
	return err
}

// topicButtons makes one button row per entry.
func topicButtons(entries []Entry, lang string) [][]bot.Button {
	rows := make([][]bot.Button, 0, len(entries))
	for _, e := range entries {
		q, _ := e.In(lang)
		rows = append(rows, []bot.Button{{Text: clip(q, 60), Data: "faq:a:" + e.ID}})
	}
	return rows
}

// runButton answers a topic button or turns a page. Button data comes from
// the chat and is checked like any input.
func (m *Module) runButton(ctx context.Context, req *bot.Request) error {
	if len(req.Args) != 2 {
		return nil
	}
	switch req.Args[0] {
	case "p":
		n, err := strconv.Atoi(req.Args[1])
		if err != nil || n < 1 {
			return nil
		}
		return m.replyTopics(ctx, req, n)
	case "a":
		id := req.Args[1]
		if !validID(id) {
			return nil
		}
		cat, err := m.catalog(ctx, req.Community.ID, req.Now())
		if err != nil {
			return err
		}
		e, ok := cat.entry(id)
		if !ok {
			return bot.Errorf("faq.unknown_entry", bot.Args{"id": id})
		}
		return m.replyAnswer(ctx, req, e, nil, req.Lang, false)
	}
	return nil
}

// answerLang is the language to answer a query in: the query's own when it
// is clearly Chinese or English, else the member's.
func answerLang(query, memberLang string) string {
	if detectLanguage(query) == "zh-CN" {
		return "zh-CN"
	}
	for _, r := range query {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return "en"
		}
	}
	return memberLang
}
