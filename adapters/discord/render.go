package discord

import (
	"strings"
	"unicode/utf8"

	"github.com/cohortbot/cohort/bot"
)

// Discord limits, as documented.
const (
	maxContent     = 2000
	maxEmbedDesc   = 4096
	maxEmbedTitle  = 256
	maxCustomID    = 100
	maxButtonLabel = 80
	maxPollText    = 300
	maxPollAnswer  = 55
	maxDescription = 100
)

// markdownSpecials are the characters Discord markdown gives a meaning to.
const markdownSpecials = "\\*_~`|>#-[]"

// escapeMarkdown makes s literal in Discord markdown and defuses mentions:
// every markdown character is escaped with a backslash and "@" gets a
// zero-width space, so "@everyone" and "<@123>" stay plain text. Mentions
// of the accounts in keep ("<@id>") are left working.
func escapeMarkdown(s string, keep map[string]bool) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		if s[i] == '<' && strings.HasPrefix(s[i:], "<@") {
			if end := strings.IndexByte(s[i:], '>'); end > 0 {
				id := strings.TrimPrefix(s[i+2:i+end], "!")
				if keep[id] {
					b.WriteString("<@" + id + ">")
					i += end + 1
					continue
				}
			}
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '@':
			b.WriteString("@\u200b")
		case r < utf8.RuneSelf && strings.IndexByte(markdownSpecials, byte(r)) >= 0:
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// renderMarkup turns the neutral markup into Discord markdown. Text is
// escaped; bold, italic, code and links become their markdown forms.
func renderMarkup(s string, keep map[string]bool) string {
	var b strings.Builder
	for _, sp := range bot.ParseMarkup(s) {
		if sp.Text == "" {
			continue
		}
		if sp.Code {
			t := strings.ReplaceAll(sp.Text, "`", "ˋ")
			b.WriteString("`" + t + "`")
			continue
		}
		text := escapeMarkdown(sp.Text, keep)
		if sp.URL != "" {
			if sp.Text == sp.URL {
				text = sp.URL
			} else {
				text = "[" + text + "](" + sp.URL + ")"
			}
		}
		switch {
		case sp.Bold && sp.Italic:
			text = "***" + text + "***"
		case sp.Bold:
			text = "**" + text + "**"
		case sp.Italic:
			text = "_" + text + "_"
		}
		b.WriteString(text)
	}
	return b.String()
}

// splitContent cuts rendered text into pieces of at most max characters,
// at line breaks where possible, then at spaces, never inside an escape.
func splitContent(s string, max int) []string {
	var out []string
	for utf8.RuneCountInString(s) > max {
		cut := byteIndexOfRune(s, max)
		head := s[:cut]
		if i := strings.LastIndexByte(head, '\n'); i > len(head)/2 {
			cut = i + 1
		} else if i := strings.LastIndexByte(head, ' '); i > len(head)/2 {
			cut = i + 1
		} else {
			// Do not separate a backslash from the character it escapes.
			n := 0
			for j := cut - 1; j >= 0 && s[j] == '\\'; j-- {
				n++
			}
			if n%2 == 1 {
				cut--
			}
		}
		out = append(out, strings.TrimRight(s[:cut], "\n"))
		s = s[cut:]
	}
	if s = strings.TrimRight(s, "\n"); s != "" || len(out) == 0 {
		out = append(out, s)
	}
	return out
}

// byteIndexOfRune returns the byte offset of the n-th rune of s.
func byteIndexOfRune(s string, n int) int {
	i := 0
	for j := range s {
		if i == n {
			return j
		}
		i++
	}
	return len(s)
}

// truncate shortens s to at most n characters, ending with an ellipsis when cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
