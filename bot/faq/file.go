package faq

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cohortbot/cohort/bot"
	"github.com/goccy/go-yaml"
)

// fileEntry is one entry as written in a faq_file.
type fileEntry struct {
	ID           string                 `yaml:"id,omitempty"`
	Question     string                 `yaml:"question"`
	Variants     []string               `yaml:"variants,omitempty"`
	Answer       string                 `yaml:"answer"`
	Tags         []string               `yaml:"tags,omitempty"`
	Language     string                 `yaml:"language,omitempty"`
	Translations map[string]Translation `yaml:"translations,omitempty"`
}

// maxFileSize bounds a faq_file or an import pasted in chat.
const maxFileSize = 2 << 20

// ParseFile reads a faq_file: a YAML list of entries with question,
// variants, answer, tags and optionally id, language and translations.
// Entries get SourceFile, the given author and time. Errors name the entry.
func ParseFile(data []byte, author string, at time.Time) ([]Entry, error) {
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("faq file is larger than %d bytes", maxFileSize)
	}
	var raw []fileEntry
	if err := yaml.UnmarshalWithOptions(data, &raw, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("faq file: %w", err)
	}
	if len(raw) > maxEntries {
		return nil, fmt.Errorf("faq file has %d entries; at most %d are allowed", len(raw), maxEntries)
	}
	seen := map[string]bool{}
	out := make([]Entry, 0, len(raw))
	for i, r := range raw {
		e := Entry{
			ID: strings.TrimSpace(r.ID), Question: strings.TrimSpace(r.Question), Variants: trimAll(r.Variants),
			Answer: strings.TrimSpace(r.Answer), Tags: trimAll(r.Tags), Language: r.Language,
			Translations: r.Translations, Source: SourceFile, Author: author, Updated: at,
		}
		if e.ID == "" {
			e.ID = uniqueID(makeID(e.Question), func(id string) bool { return seen[id] })
		}
		if err := validate(e); err != nil {
			return nil, fmt.Errorf("faq file entry %d (%q): %w", i+1, clip(e.Question, 40), err)
		}
		if seen[e.ID] {
			return nil, fmt.Errorf("faq file entry %d: id %q is used twice", i+1, e.ID)
		}
		seen[e.ID] = true
		out = append(out, normalize(e))
	}
	return out, nil
}

// validate checks an entry's limits.
func validate(e Entry) error {
	switch {
	case !validID(e.ID):
		return fmt.Errorf("id %q: use 1 to %d characters a-z, 0-9 and -", e.ID, maxIDLen)
	case e.Question == "":
		return fmt.Errorf("question is empty")
	case e.Answer == "":
		return fmt.Errorf("answer is empty")
	case utf8.RuneCountInString(e.Question) > maxQuestionLen:
		return fmt.Errorf("question is longer than %d characters", maxQuestionLen)
	case utf8.RuneCountInString(e.Answer) > maxAnswerLen:
		return fmt.Errorf("answer is longer than %d characters", maxAnswerLen)
	case len(e.Variants) > maxVariants:
		return fmt.Errorf("more than %d variants", maxVariants)
	case len(e.Tags) > maxTags:
		return fmt.Errorf("more than %d tags", maxTags)
	case e.Language != "" && bot.NormalizeLang(e.Language) == "":
		return fmt.Errorf("language %q: use en or zh-CN", e.Language)
	}
	for _, v := range e.Variants {
		if utf8.RuneCountInString(v) > maxQuestionLen {
			return fmt.Errorf("variant %q is longer than %d characters", clip(v, 30), maxQuestionLen)
		}
	}
	for _, t := range e.Tags {
		if utf8.RuneCountInString(t) > maxTagLen {
			return fmt.Errorf("tag %q is longer than %d characters", clip(t, 30), maxTagLen)
		}
	}
	for lang, t := range e.Translations {
		if bot.NormalizeLang(lang) == "" {
			return fmt.Errorf("translation %q: use en or zh-CN", lang)
		}
		if utf8.RuneCountInString(t.Question) > maxQuestionLen || utf8.RuneCountInString(t.Answer) > maxAnswerLen {
			return fmt.Errorf("translation %s is too long", lang)
		}
	}
	return nil
}

// normalize fills in the language and canonical translation keys.
func normalize(e Entry) Entry {
	if e.Language == "" {
		e.Language = detectLanguage(e.Question)
	}
	e.Language = bot.NormalizeLang(e.Language)
	if len(e.Translations) > 0 {
		tr := make(map[string]Translation, len(e.Translations))
		for lang, t := range e.Translations {
			tr[bot.NormalizeLang(lang)] = Translation{Question: strings.TrimSpace(t.Question), Answer: strings.TrimSpace(t.Answer)}
		}
		e.Translations = tr
	}
	return e
}

// MarshalFile writes entries as a faq_file.
func MarshalFile(entries []Entry) ([]byte, error) {
	raw := make([]fileEntry, len(entries))
	for i, e := range entries {
		raw[i] = fileEntry{ID: e.ID, Question: e.Question, Variants: e.Variants, Answer: e.Answer, Tags: e.Tags, Language: e.Language, Translations: e.Translations}
	}
	return yaml.MarshalWithOptions(raw, yaml.UseLiteralStyleIfMultiline(true))
}

func trimAll(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// clip shortens s to n runes, marking the cut with an ellipsis.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}
