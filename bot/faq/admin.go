package faq

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cohortbot/cohort/bot"
)

// adminPageSize is the number of lines in /faqadmin lists.
const adminPageSize = 20

// runAdmin dispatches /faqadmin ACTION ...; the Mux has checked the
// moderator role.
func (m *Module) runAdmin(ctx context.Context, req *bot.Request) error {
	action, rest := cutWord(req.RawArgs)
	switch strings.ToLower(action) {
	case "add":
		return m.adminAdd(ctx, req, rest)
	case "edit":
		return m.adminEdit(ctx, req, rest)
	case "remove", "delete", "rm":
		return m.adminRemove(ctx, req, rest)
	case "list":
		return m.adminList(ctx, req, rest)
	case "import":
		return m.adminImport(ctx, req, rest)
	case "export":
		return m.adminExport(ctx, req)
	case "unanswered":
		return m.adminUnanswered(ctx, req, rest)
	case "log":
		return m.adminLog(ctx, req)
	}
	return bot.Errorf("faqadmin.usage", nil)
}

// actor is the change record of the caller.
func actor(req *bot.Request) Change {
	return Change{At: req.Now(), Actor: req.Event.From.Key(), Name: req.Event.From.Display()}
}

// update applies a change made in chat and refreshes the catalog.
func (m *Module) update(ctx context.Context, req *bot.Request, c Change, apply func([]Entry) ([]Entry, string, error)) error {
	// Load first, so a pending faq_file import cannot overwrite this change.
	if _, err := m.catalog(ctx, req.Community.ID, req.Now()); err != nil {
		return err
	}
	if err := m.store.UpdateFAQ(ctx, req.Community.ID, Update{Change: c, KeepChanges: keepChanges, Apply: apply}); err != nil {
		return err
	}
	m.logChange(ctx, req.Community.ID, c)
	m.invalidate(req.Community.ID)
	if cat, err := m.catalog(ctx, req.Community.ID, req.Now()); err == nil {
		m.forgetAnswered(ctx, req.Community.ID, cat)
	}
	return nil
}

// adminAdd: /faqadmin add "question | variant | ..." answer, or the
// question on the first line and the answer on the following lines.
func (m *Module) adminAdd(ctx context.Context, req *bot.Request, rest string) error {
	head, answer, ok := cutQuestion(rest)
	if !ok {
		return bot.Errorf("faqadmin.add_usage", nil)
	}
	parts := trimAll(strings.Split(head, "|"))
	if len(parts) == 0 {
		return bot.Errorf("faqadmin.add_usage", nil)
	}
	c := actor(req)
	e := normalize(Entry{Question: parts[0], Variants: parts[1:], Answer: answer, Source: SourceChat, Author: actorLabel(c), Updated: c.At})
	e.ID = makeID(e.Question)
	if err := validate(e); err != nil {
		return bot.Errorf("faqadmin.invalid", bot.Args{"error": err.Error()})
	}
	c.Action = "add"
	var id string
	err := m.update(ctx, req, c, func(cur []Entry) ([]Entry, string, error) {
		if len(cur) >= maxEntries {
			return nil, "", bot.Errorf("faqadmin.full", bot.Args{"max": maxEntries})
		}
		taken := map[string]bool{}
		order := 0
		for _, x := range cur {
			taken[x.ID] = true
			order = max(order, x.Order+1)
		}
		n := e
		n.ID = uniqueID(e.ID, func(s string) bool { return taken[s] })
		n.Order = order
		id = n.ID
		return append(cur, n), n.ID + ": " + clip(n.Question, 80), nil
	})
	if err != nil {
		return err
	}
	return req.ReplyText(ctx, "faqadmin.added", bot.Args{"id": id})
}

// adminEdit: /faqadmin edit ID FIELD TEXT, FIELD one of question, answer,
// variants (separated by |), tags (separated by , or spaces), optionally
// with a language: answer.zh-CN.
func (m *Module) adminEdit(ctx context.Context, req *bot.Request, rest string) error {
	id, rest := cutWord(rest)
	field, text := cutWord(rest)
	id, field = strings.ToLower(id), strings.ToLower(field)
	if id == "" || field == "" || text == "" {
		return bot.Errorf("faqadmin.edit_usage", nil)
	}
	if !validID(id) {
		return bot.Errorf("faq.unknown_entry", bot.Args{"id": clip(id, 40)})
	}
	name, lang, _ := strings.Cut(field, ".")
	if lang != "" {
		if lang = bot.NormalizeLang(lang); lang == "" || (name != "question" && name != "answer") {
			return bot.Errorf("faqadmin.edit_usage", nil)
		}
		field = name + "." + lang
	}
	switch name {
	case "question", "answer", "variants", "tags":
	default:
		return bot.Errorf("faqadmin.edit_usage", nil)
	}
	c := actor(req)
	c.Action, c.ID = "edit", id
	err := m.update(ctx, req, c, func(cur []Entry) ([]Entry, string, error) {
		i := indexOf(cur, id)
		if i < 0 {
			return nil, "", bot.Errorf("faq.unknown_entry", bot.Args{"id": id})
		}
		out := append([]Entry(nil), cur...)
		e := out[i]
		e.Translations = copyTranslations(e.Translations)
		setField(&e, name, lang, text)
		e.Author, e.Updated = actorLabel(c), c.At
		if err := validate(e); err != nil {
			return nil, "", bot.Errorf("faqadmin.invalid", bot.Args{"error": err.Error()})
		}
		out[i] = normalize(e)
		return out, field, nil
	})
	if err != nil {
		return err
	}
	return req.ReplyText(ctx, "faqadmin.edited", bot.Args{"id": id, "field": field})
}

// setField changes one field of an entry.
func setField(e *Entry, name, lang, text string) {
	switch {
	case lang != "" && lang != e.Language:
		if e.Translations == nil {
			e.Translations = map[string]Translation{}
		}
		t := e.Translations[lang]
		if name == "question" {
			t.Question = text
		} else {
			t.Answer = text
		}
		e.Translations[lang] = t
	case name == "question":
		e.Question = text
	case name == "answer":
		e.Answer = text
	case name == "variants":
		e.Variants = trimAll(strings.Split(text, "|"))
	case name == "tags":
		e.Tags = trimAll(strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == '，' || unicode.IsSpace(r) }))
	}
}

func copyTranslations(t map[string]Translation) map[string]Translation {
	if t == nil {
		return nil
	}
	out := make(map[string]Translation, len(t))
	for k, v := range t {
		out[k] = v
	}
	return out
}

func indexOf(entries []Entry, id string) int {
	for i, e := range entries {
		if e.ID == id {
			return i
		}
	}
	return -1
}

// adminRemove: /faqadmin remove ID.
func (m *Module) adminRemove(ctx context.Context, req *bot.Request, rest string) error {
	id := strings.ToLower(strings.TrimSpace(rest))
	if id == "" {
		return bot.Errorf("faqadmin.remove_usage", nil)
	}
	if !validID(id) {
		return bot.Errorf("faq.unknown_entry", bot.Args{"id": clip(id, 40)})
	}
	c := actor(req)
	c.Action, c.ID = "remove", id
	err := m.update(ctx, req, c, func(cur []Entry) ([]Entry, string, error) {
		i := indexOf(cur, id)
		if i < 0 {
			return nil, "", bot.Errorf("faq.unknown_entry", bot.Args{"id": id})
		}
		out := append(append([]Entry(nil), cur[:i]...), cur[i+1:]...)
		return out, clip(cur[i].Question, 80), nil
	})
	if err != nil {
		return err
	}
	return req.ReplyText(ctx, "faqadmin.removed", bot.Args{"id": id})
}

// adminList: /faqadmin list [page] — ids, questions and hits.
func (m *Module) adminList(ctx context.Context, req *bot.Request, rest string) error {
	entries, err := m.freshEntries(ctx, req)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return req.ReplyText(ctx, "faq.empty", nil)
	}
	page, pages, err := pageOf(rest, len(entries))
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(req.T("faqadmin.list", bot.Args{"count": len(entries), "page": page, "pages": pages}))
	for _, e := range entries[(page-1)*adminPageSize : min(page*adminPageSize, len(entries))] {
		b.WriteString("\n`" + e.ID + "` " + bot.Escape(clip(e.Question, 60)) + " — " + req.T("faqadmin.hits", bot.Args{"count": e.Hits}))
	}
	_, err = req.Reply(ctx, bot.Outgoing{Text: b.String()})
	return err
}

// freshEntries returns the community's entries in topic order with
// current hit counts, after the faq_file has been checked.
func (m *Module) freshEntries(ctx context.Context, req *bot.Request) ([]Entry, error) {
	if _, err := m.catalog(ctx, req.Community.ID, req.Now()); err != nil {
		return nil, err
	}
	entries, err := m.store.FAQEntries(ctx, req.Community.ID)
	if err != nil {
		return nil, err
	}
	return newCatalog(entries).entries, nil
}

// pageOf reads an optional page number for a list of n lines.
func pageOf(arg string, n int) (page, pages int, err error) {
	pages = max(1, (n+adminPageSize-1)/adminPageSize)
	page = 1
	if arg = strings.TrimSpace(arg); arg != "" {
		if page, err = strconv.Atoi(arg); err != nil {
			return 0, 0, bot.Errorf("error.bad_number", bot.Args{"value": clip(arg, 20)})
		}
	}
	if page < 1 || page > pages {
		return 0, 0, bot.Errorf("faq.bad_page", bot.Args{"page": page, "pages": pages})
	}
	return page, pages, nil
}

// fenceRe strips a Markdown code fence around pasted YAML.
var fenceRe = regexp.MustCompile("(?s)^```[a-zA-Z]*\\s*\n(.*?)\n?```\\s*$")

// adminImport: /faqadmin import re-reads the faq_file; /faqadmin import
// followed by YAML imports that text instead.
func (m *Module) adminImport(ctx context.Context, req *bot.Request, rest string) error {
	if _, err := m.catalog(ctx, req.Community.ID, req.Now()); err != nil {
		return err
	}
	c := actor(req)
	var res importResult
	var err error
	if text := strings.TrimSpace(rest); text != "" {
		if g := fenceRe.FindStringSubmatch(text); g != nil {
			text = g[1]
		}
		res, err = m.importData(ctx, req.Community.ID, []byte(text), "", c)
	} else {
		file := m.settings.For(req.Community.ID).File
		if file == "" {
			return bot.Errorf("faqadmin.no_file", nil)
		}
		m.loadMu.Lock()
		res, err = m.importFile(ctx, req.Community.ID, file, c, false)
		m.loadMu.Unlock()
	}
	if err != nil {
		var ue *bot.UserError
		if errors.As(err, &ue) {
			return err
		}
		return bot.Errorf("faqadmin.import_failed", bot.Args{"error": clip(err.Error(), 300)})
	}
	if cat, err := m.catalog(ctx, req.Community.ID, req.Now()); err == nil {
		m.forgetAnswered(ctx, req.Community.ID, cat)
	}
	return req.ReplyText(ctx, "faqadmin.imported", bot.Args{"count": res.Total, "added": res.Added, "updated": res.Updated, "removed": res.Removed, "kept": res.Kept})
}

// adminExport sends the community's FAQ as a faq_file.
func (m *Module) adminExport(ctx context.Context, req *bot.Request) error {
	entries, err := m.freshEntries(ctx, req)
	if err != nil {
		return err
	}
	data, err := MarshalFile(entries)
	if err != nil {
		return err
	}
	name := "faq-" + safeName(req.Community.ID) + ".yaml"
	_, err = req.Reply(ctx, bot.Outgoing{
		Text:  req.T("faqadmin.exported", bot.Args{"count": len(entries)}),
		Files: []bot.File{{Name: name, MIME: "application/yaml", Data: data}},
	})
	return err
}

// safeName keeps letters, digits and dashes of a community id for a file name.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, s)
}

// adminUnanswered lists the most asked unanswered questions;
// "/faqadmin unanswered clear" forgets them all.
func (m *Module) adminUnanswered(ctx context.Context, req *bot.Request, rest string) error {
	if strings.EqualFold(strings.TrimSpace(rest), "clear") {
		if err := m.store.ClearUnanswered(ctx, req.Community.ID, nil); err != nil {
			return err
		}
		c := actor(req)
		c.Action = "unanswered_clear"
		m.logChange(ctx, req.Community.ID, c)
		return req.ReplyText(ctx, "faqadmin.unanswered_cleared", nil)
	}
	qs, err := m.store.UnansweredFAQ(ctx, req.Community.ID, adminPageSize)
	if err != nil {
		return err
	}
	if len(qs) == 0 {
		return req.ReplyText(ctx, "faqadmin.unanswered_none", nil)
	}
	var b strings.Builder
	b.WriteString(req.T("faqadmin.unanswered", nil))
	for _, q := range qs {
		b.WriteString("\n• " + bot.Escape(q.Text) + " — " + req.T("faqadmin.asked", bot.Args{"count": q.Count}))
	}
	_, err = req.Reply(ctx, bot.Outgoing{Text: b.String()})
	return err
}

// adminLog lists the latest changes with their authors.
func (m *Module) adminLog(ctx context.Context, req *bot.Request) error {
	cs, err := m.store.FAQChanges(ctx, req.Community.ID, adminPageSize)
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		return req.ReplyText(ctx, "faqadmin.log_none", nil)
	}
	var b strings.Builder
	b.WriteString(req.T("faqadmin.log", nil))
	for _, c := range cs {
		line := fmt.Sprintf("%s %s %s", c.At.In(req.Community.Location).Format("2006-01-02 15:04"), c.Name, c.Action)
		if c.ID != "" {
			line += " " + c.ID
		}
		if c.Detail != "" {
			line += ": " + c.Detail
		}
		b.WriteString("\n• " + bot.Escape(line))
	}
	_, err = req.Reply(ctx, bot.Outgoing{Text: b.String()})
	return err
}

// cutWord splits off the first word of s.
func cutWord(s string) (word, rest string) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimSpace(s[i:])
}

// quotePairs are the quotes a question may be put in.
var quotePairs = map[rune]rune{'"': '"', '\'': '\'', '“': '”', '「': '」', '『': '』'}

// cutQuestion splits "/faqadmin add" arguments into question and answer:
// a quoted question followed by the answer, or the first line and the
// lines after it.
func cutQuestion(s string) (question, answer string, ok bool) {
	s = strings.TrimSpace(s)
	first, size := utf8.DecodeRuneInString(s)
	if closing, quoted := quotePairs[first]; quoted {
		end := strings.IndexRune(s[size:], closing)
		if end < 0 {
			return "", "", false
		}
		question, answer = s[size:size+end], s[size+end+utf8.RuneLen(closing):]
	} else {
		var found bool
		question, answer, found = strings.Cut(s, "\n")
		if !found {
			return "", "", false
		}
	}
	question, answer = strings.TrimSpace(question), strings.TrimSpace(answer)
	return question, answer, question != "" && answer != ""
}
