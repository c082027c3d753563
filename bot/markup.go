package bot

import "strings"

// The neutral markup is a tiny, strict subset of Markdown that every adapter
// renders for its platform:
//
//	*bold*  _italic_  `code`  [text](https://link)
//
// A backslash escapes the next character. Text from users must go through
// Escape before it is placed in markup, so it can never format or link.

const markupSpecials = "\\*_`[]()"

// Escape makes s literal inside neutral markup.
func Escape(s string) string {
	if !strings.ContainsAny(s, markupSpecials) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s {
		if strings.ContainsRune(markupSpecials, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Span is a run of text with one style, produced by ParseMarkup.
type Span struct {
	Text   string
	Bold   bool
	Italic bool
	Code   bool
	URL    string // set for links; always http, https or tg
}

// ParseMarkup splits neutral markup into styled spans. Malformed markup
// (an unclosed star, a link with a bad URL) is kept as literal text.
func ParseMarkup(s string) []Span {
	var spans []Span
	var cur strings.Builder
	var bold, italic bool
	flush := func() {
		if cur.Len() > 0 {
			spans = append(spans, Span{Text: cur.String(), Bold: bold, Italic: italic})
			cur.Reset()
		}
	}
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '\\' && i+1 < len(rs):
			i++
			cur.WriteRune(rs[i])
		case r == '*' && (bold || hasClosing(rs, i+1, '*')):
			flush()
			bold = !bold
		case r == '_' && (italic || hasClosing(rs, i+1, '_')):
			flush()
			italic = !italic
		case r == '`':
			end := indexRune(rs, i+1, '`')
			if end < 0 {
				cur.WriteRune(r)
				continue
			}
			flush()
			spans = append(spans, Span{Text: string(rs[i+1 : end]), Code: true})
			i = end
		case r == '[':
			text, url, next, ok := parseLink(rs, i)
			if !ok {
				cur.WriteRune(r)
				continue
			}
			flush()
			spans = append(spans, Span{Text: text, URL: url, Bold: bold, Italic: italic})
			i = next - 1
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return spans
}

// PlainText renders markup as plain text: links become "text (url)".
func PlainText(s string) string {
	var b strings.Builder
	for _, sp := range ParseMarkup(s) {
		b.WriteString(sp.Text)
		if sp.URL != "" && sp.URL != sp.Text {
			b.WriteString(" (" + sp.URL + ")")
		}
	}
	return b.String()
}

func hasClosing(rs []rune, from int, mark rune) bool {
	for i := from; i < len(rs); i++ {
		switch rs[i] {
		case '\\':
			i++
		case mark:
			return i > from
		}
	}
	return false
}

func indexRune(rs []rune, from int, r rune) int {
	for i := from; i < len(rs); i++ {
		if rs[i] == r {
			return i
		}
	}
	return -1
}

// parseLink reads [text](url) starting at rs[i] == '['.
func parseLink(rs []rune, i int) (text, url string, next int, ok bool) {
	var t strings.Builder
	j := i + 1
	for ; j < len(rs) && rs[j] != ']'; j++ {
		if rs[j] == '\\' && j+1 < len(rs) {
			j++
		}
		t.WriteRune(rs[j])
	}
	if j+1 >= len(rs) || rs[j] != ']' || rs[j+1] != '(' {
		return "", "", 0, false
	}
	end := indexRune(rs, j+2, ')')
	if end < 0 {
		return "", "", 0, false
	}
	url = string(rs[j+2 : end])
	if !SafeURL(url) {
		return "", "", 0, false
	}
	return t.String(), url, end + 1, true
}

// SafeURL reports whether u is a link the bot may render: http, https or tg,
// with no spaces, quotes or angle brackets.
func SafeURL(u string) bool {
	if strings.ContainsAny(u, " \t\n\"'<>`") {
		return false
	}
	for _, p := range []string{"https://", "http://", "tg://"} {
		if strings.HasPrefix(u, p) && len(u) > len(p) {
			return true
		}
	}
	return false
}

// Shorten puts s on one line and cuts it to at most n characters, ending
// with an ellipsis when it was cut.
func Shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
