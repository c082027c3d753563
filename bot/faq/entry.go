package faq

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
	"unicode"

	"github.com/cohortbot/cohort/bot"
)

// Sources of entries.
const (
	// SourceFile marks entries that came from the faq_file (or an import):
	// the next import replaces or removes them.
	SourceFile = "file"
	// SourceChat marks entries added with /faqadmin add: imports keep them.
	SourceChat = "chat"
)

// Entry is one question and its answer.
type Entry struct {
	ID       string   `json:"id"`
	Question string   `json:"question"`
	Variants []string `json:"variants,omitempty"`
	Answer   string   `json:"answer"` // neutral markup
	Tags     []string `json:"tags,omitempty"`
	// Language is the language of Question and Answer ("en" or "zh-CN").
	Language string `json:"language"`
	// Translations are the question and answer in other languages, by
	// language.
	Translations map[string]Translation `json:"translations,omitempty"`
	// Order is the entry's place in topic lists (file order, then the
	// order entries were added in chat).
	Order   int       `json:"order"`
	Source  string    `json:"source"`
	Author  string    `json:"author"` // account key and name of the last editor, or "faq_file"
	Updated time.Time `json:"updated"`
	// Hits counts answers given with the entry. The store keeps it apart
	// from the entry; it is filled in on reading and ignored on writing.
	Hits int64 `json:"-"`
}

// Translation is an entry's question and answer in another language.
type Translation struct {
	Question string `json:"question" yaml:"question"`
	Answer   string `json:"answer" yaml:"answer"`
}

// Phrasings are every way the entry is asked: question, variants and the
// translated questions.
func (e Entry) Phrasings() []string {
	out := append([]string{e.Question}, e.Variants...)
	for _, lang := range bot.Languages {
		if t, ok := e.Translations[lang]; ok && t.Question != "" {
			out = append(out, t.Question)
		}
	}
	return out
}

// In returns the question and answer in lang, falling back to the entry's
// own language.
func (e Entry) In(lang string) (question, answer string) {
	question, answer = e.Question, e.Answer
	if lang == e.Language {
		return question, answer
	}
	if t, ok := e.Translations[lang]; ok {
		if t.Question != "" {
			question = t.Question
		}
		if t.Answer != "" {
			answer = t.Answer
		}
	}
	return question, answer
}

// Change is one edit of a community's FAQ, kept in the audit list.
type Change struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"` // account key, or "faq_file" for the startup import
	Name   string    `json:"name"`  // display name of the actor
	Action string    `json:"action"`
	ID     string    `json:"id,omitempty"`
	Detail string    `json:"detail,omitempty"`
}

// Unanswered is a question /faq could not answer, with how often it was asked.
type Unanswered struct {
	Key   string    `json:"-"`    // the normalized question
	Text  string    `json:"text"` // the question as first asked
	Count int       `json:"count"`
	First time.Time `json:"first"`
	Last  time.Time `json:"last"`
}

// Limits on what an entry may hold.
const (
	maxIDLen       = 40
	maxQuestionLen = 300
	maxAnswerLen   = 3500
	maxVariants    = 40
	maxTags        = 20
	maxTagLen      = 40
	maxEntries     = 1000
)

// validID reports whether id is a usable entry id: a-z, 0-9 and '-', at
// most 40 bytes, so it fits into button data.
func validID(id string) bool {
	if id == "" || len(id) > maxIDLen {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// makeID derives an id from a question: its ASCII words joined by '-', or
// "q-" and a digest for questions without any.
func makeID(question string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(question) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
		if b.Len() >= maxIDLen-4 {
			break
		}
	}
	id := strings.Trim(b.String(), "-")
	if len(id) < 3 {
		sum := sha256.Sum256([]byte(question))
		id = "q-" + hex.EncodeToString(sum[:4])
	}
	return id
}

// uniqueID returns id, or id with a number appended, so it is not in taken.
func uniqueID(id string, taken func(string) bool) string {
	if !taken(id) {
		return id
	}
	for n := 2; ; n++ {
		suffix := "-" + itoa(n)
		base := id
		if len(base)+len(suffix) > maxIDLen {
			base = base[:maxIDLen-len(suffix)]
		}
		if c := base + suffix; !taken(c) {
			return c
		}
	}
}

func itoa(n int) string {
	var buf [20]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(buf[i:])
		}
	}
}

// detectLanguage is "zh-CN" for text with Han characters, else "en".
func detectLanguage(s string) string {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return "zh-CN"
		}
	}
	return "en"
}
