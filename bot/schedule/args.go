package schedule

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cohortbot/cohort/bot"
)

// argReader reads a command line token by token ("quoted parts" stay
// together) and hands back the untouched remainder, so announcement text
// keeps its line breaks and spacing.
type argReader struct{ rest string }

func newArgReader(raw string) *argReader { return &argReader{rest: raw} }

// peek returns up to n next tokens without consuming them.
func (r *argReader) peek(n int) []string {
	var out []string
	s := r.rest
	for len(out) < n {
		tok, rest, ok := splitToken(s)
		if !ok {
			break
		}
		out = append(out, tok)
		s = rest
	}
	return out
}

// next consumes n tokens and returns them joined by a space.
func (r *argReader) next(n int) string {
	var parts []string
	for range n {
		tok, rest, ok := splitToken(r.rest)
		if !ok {
			break
		}
		parts = append(parts, tok)
		r.rest = rest
	}
	return strings.Join(parts, " ")
}

// flag returns the next token's flag name ("at" for "--at" or the
// autocorrected "—at"), or "" when the next token is not a flag.
func (r *argReader) flag() string {
	toks := r.peek(1)
	if len(toks) == 0 || strings.ContainsAny(toks[0], " ") {
		return ""
	}
	for _, p := range []string{"--", "—", "–"} {
		if name, ok := strings.CutPrefix(toks[0], p); ok && name != "" {
			return strings.ToLower(name)
		}
	}
	return ""
}

// remainder returns everything not yet consumed, trimmed.
func (r *argReader) remainder() string { return strings.TrimSpace(r.rest) }

// splitToken cuts the first token off s, removing its quotes.
func splitToken(s string) (tok, rest string, ok bool) {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	if s == "" {
		return "", "", false
	}
	first, size := utf8.DecodeRuneInString(s)
	if closing := bot.ClosingQuote(first); closing != 0 {
		if end := strings.IndexRune(s[size:], closing); end >= 0 {
			_, csize := utf8.DecodeRuneInString(s[size+end:])
			return s[size : size+end], s[size+end+csize:], true
		}
	}
	end := strings.IndexFunc(s, unicode.IsSpace)
	if end < 0 {
		return s, "", true
	}
	return s[:end], s[end:], true
}
