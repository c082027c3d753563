package telegram

import (
	"html"
	"strings"
	"unicode/utf16"

	"github.com/cohortbot/cohort/bot"
)

// Telegram's documented size limits, counted in UTF-16 code units after
// entity parsing. We measure the rendered HTML, which is never shorter than
// the visible text, so a chunk that fits here always fits on Telegram.
const (
	maxMessageLen = 4096
	maxCaptionLen = 1024
	maxCallback   = 64
)

// htmlEscaper escapes the characters Telegram's HTML parse mode treats as
// markup. Quotes are escaped too so text is safe inside an href attribute.
var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

func escapeHTML(s string) string { return htmlEscaper.Replace(s) }

// renderSpan renders one styled span as Telegram HTML. All text is escaped,
// so nothing a user typed can open a tag.
func renderSpan(sp bot.Span) string {
	s := escapeHTML(sp.Text)
	switch {
	case sp.Code:
		return "<code>" + s + "</code>"
	case sp.URL != "":
		s = `<a href="` + escapeHTML(sp.URL) + `">` + s + "</a>"
	}
	if sp.Italic {
		s = "<i>" + s + "</i>"
	}
	if sp.Bold {
		s = "<b>" + s + "</b>"
	}
	return s
}

// renderHTML renders neutral markup (with an optional title as a bold first
// line) as Telegram HTML, split into chunks of at most limit UTF-16 units.
// Chunks break at line boundaries; a single over-long line is cut between
// characters.
func renderHTML(title, text string, limit int) []string {
	var spans []bot.Span
	if title != "" {
		spans = append(spans, bot.Span{Text: title, Bold: true})
		if text != "" {
			spans = append(spans, bot.Span{Text: "\n"})
		}
	}
	spans = append(spans, bot.ParseMarkup(text)...)

	// Split the spans into lines, each rendered on its own so that every
	// chunk closes all the tags it opens.
	var lines []string
	var cur strings.Builder
	for _, sp := range spans {
		parts := strings.Split(sp.Text, "\n")
		for i, p := range parts {
			if i > 0 {
				lines = append(lines, cur.String())
				cur.Reset()
			}
			if p == "" {
				continue
			}
			piece := sp
			piece.Text = p
			for _, r := range splitSpan(piece, limit) {
				if cur.Len() > 0 && utf16Len(cur.String())+utf16Len(r) > limit {
					lines = append(lines, cur.String())
					cur.Reset()
				}
				cur.WriteString(r)
			}
		}
	}
	lines = append(lines, cur.String())

	var chunks []string
	var chunk strings.Builder
	for _, l := range lines {
		switch {
		case chunk.Len() == 0:
			chunk.WriteString(l)
		case utf16Len(chunk.String())+1+utf16Len(l) <= limit:
			chunk.WriteString("\n" + l)
		default:
			chunks = append(chunks, chunk.String())
			chunk.Reset()
			chunk.WriteString(l)
		}
	}
	if strings.TrimSpace(chunk.String()) != "" || len(chunks) == 0 {
		chunks = append(chunks, chunk.String())
	}
	// Drop chunks that would render as nothing, such as "<b> </b>" from a
	// blank title (Telegram refuses empty text).
	out := chunks[:0]
	for _, c := range chunks {
		c = strings.TrimRight(c, "\n")
		if strings.TrimSpace(visibleText(c)) != "" {
			out = append(out, c)
		}
	}
	return out
}

// visibleText is what Telegram shows of HTML rendered by renderSpan: the
// text without tags, entities decoded. Text never holds a raw "<", so
// every "<" starts a tag.
func visibleText(h string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(h, '<')
		if i < 0 {
			b.WriteString(h)
			break
		}
		b.WriteString(h[:i])
		j := strings.IndexByte(h[i:], '>')
		if j < 0 {
			break
		}
		h = h[i+j+1:]
	}
	return html.UnescapeString(b.String())
}

// splitSpan renders a span, cutting it into pieces that each fit in limit.
func splitSpan(sp bot.Span, limit int) []string {
	r := renderSpan(sp)
	if utf16Len(r) <= limit {
		return []string{r}
	}
	overhead := utf16Len(renderSpan(bot.Span{Text: "", Bold: sp.Bold, Italic: sp.Italic, Code: sp.Code, URL: sp.URL}))
	var out []string
	var part []rune
	size := 0
	for _, c := range sp.Text {
		n := utf16Len(escapeHTML(string(c)))
		if size+n+overhead > limit && len(part) > 0 {
			p := sp
			p.Text = string(part)
			out = append(out, renderSpan(p))
			part, size = part[:0], 0
		}
		part = append(part, c)
		size += n
	}
	if len(part) > 0 {
		p := sp
		p.Text = string(part)
		out = append(out, renderSpan(p))
	}
	return out
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
