package telegramtest

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
)

// Entity is a formatting entity of a message, as the Bot API reports it:
// offsets and lengths count UTF-16 code units.
type Entity struct {
	Type   string `json:"type"`
	Offset int    `json:"offset"`
	Length int    `json:"length"`
	URL    string `json:"url,omitempty"`
}

var htmlTags = map[string]string{
	"b": "bold", "strong": "bold",
	"i": "italic", "em": "italic",
	"u": "underline", "ins": "underline",
	"s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
	"code": "code", "pre": "pre",
	"a":          "text_link",
	"tg-spoiler": "spoiler",
	"span":       "spoiler",
	"blockquote": "blockquote",
}

var namedEntities = map[string]string{"lt": "<", "gt": ">", "amp": "&", "quot": `"`}

// ParseHTML parses text in the Bot API's HTML parse mode into plain text
// and entities, the way Telegram does: only the documented tags, the four
// named entities and numeric entities are understood; any other '<' or '&'
// is an error ("can't parse entities").
func ParseHTML(s string) (string, []Entity, error) {
	type open struct {
		tag   string
		start int // UTF-16 offset
		url   string
	}
	var out strings.Builder
	var stack []open
	var ents []Entity
	pos := 0 // UTF-16 length of out
	write := func(t string) {
		out.WriteString(t)
		for _, r := range t {
			pos += utf16.RuneLen(r)
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch c {
		case '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				return "", nil, fmt.Errorf("can't parse entities: Unclosed start tag at byte offset %d", i)
			}
			raw := s[i+1 : i+end]
			if strings.HasPrefix(raw, "/") {
				name := strings.ToLower(strings.TrimSpace(raw[1:]))
				if len(stack) == 0 {
					return "", nil, fmt.Errorf("can't parse entities: Unexpected end tag at byte offset %d", i)
				}
				top := stack[len(stack)-1]
				if top.tag != name {
					return "", nil, fmt.Errorf("can't parse entities: Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", i, top.tag, name)
				}
				stack = stack[:len(stack)-1]
				if pos > top.start {
					e := Entity{Type: htmlTags[top.tag], Offset: top.start, Length: pos - top.start, URL: top.url}
					if top.tag == "a" && strings.HasPrefix(top.url, "tg://user?id=") {
						e.Type = "text_mention"
					}
					ents = append(ents, e)
				}
			} else {
				name, attrs, _ := strings.Cut(raw, " ")
				name = strings.ToLower(name)
				kind, ok := htmlTags[name]
				if !ok || kind == "" {
					return "", nil, fmt.Errorf("can't parse entities: Unsupported start tag \"%s\" at byte offset %d", name, i)
				}
				o := open{tag: name, start: pos}
				switch name {
				case "a":
					href, err := attr(attrs, "href")
					if err != nil {
						return "", nil, fmt.Errorf("can't parse entities: %v at byte offset %d", err, i)
					}
					o.url = href
				case "span":
					if class, _ := attr(attrs, "class"); class != "tg-spoiler" {
						return "", nil, fmt.Errorf("can't parse entities: Tag \"span\" must have class \"tg-spoiler\" at byte offset %d", i)
					}
				}
				stack = append(stack, o)
			}
			i += end + 1
		case '&':
			end := strings.IndexByte(s[i:], ';')
			if end < 0 || end > 10 {
				return "", nil, fmt.Errorf("can't parse entities: Character '&' must be escaped at byte offset %d", i)
			}
			name := s[i+1 : i+end]
			r, ok := decodeEntity(name)
			if !ok {
				return "", nil, fmt.Errorf("can't parse entities: Unsupported HTML entity \"&%s;\" at byte offset %d", name, i)
			}
			write(r)
			i += end + 1
		case '>':
			// Telegram accepts a bare '>' in text, but the docs ask to escape it.
			write(">")
			i++
		default:
			j := i
			for j < len(s) && s[j] != '<' && s[j] != '&' && s[j] != '>' {
				j++
			}
			write(s[i:j])
			i = j
		}
	}
	if len(stack) > 0 {
		return "", nil, fmt.Errorf("can't parse entities: Can't find end tag corresponding to start tag \"%s\"", stack[len(stack)-1].tag)
	}
	sort.SliceStable(ents, func(a, b int) bool {
		if ents[a].Offset != ents[b].Offset {
			return ents[a].Offset < ents[b].Offset
		}
		return ents[a].Length > ents[b].Length
	})
	return out.String(), ents, nil
}

func decodeEntity(name string) (string, bool) {
	if v, ok := namedEntities[name]; ok {
		return v, true
	}
	if strings.HasPrefix(name, "#") {
		num := name[1:]
		base := 10
		if strings.HasPrefix(num, "x") || strings.HasPrefix(num, "X") {
			num, base = num[1:], 16
		}
		n, err := strconv.ParseInt(num, base, 32)
		if err != nil || n <= 0 || n > 0x10FFFF {
			return "", false
		}
		return string(rune(n)), true
	}
	return "", false
}

// attr reads name="value" (with HTML entities decoded) from a tag's
// attribute text.
func attr(attrs, name string) (string, error) {
	i := strings.Index(attrs, name+"=")
	if i < 0 {
		return "", fmt.Errorf("attribute %q missing", name)
	}
	rest := attrs[i+len(name)+1:]
	if rest == "" {
		return "", fmt.Errorf("attribute %q empty", name)
	}
	q := rest[0]
	var val string
	if q == '"' || q == '\'' {
		end := strings.IndexByte(rest[1:], q)
		if end < 0 {
			return "", fmt.Errorf("unclosed attribute %q", name)
		}
		val = rest[1 : end+1]
	} else {
		val, _, _ = strings.Cut(rest, " ")
	}
	text, _, err := ParseHTML(val)
	if err != nil {
		return "", err
	}
	return text, nil
}

// UTF16Len is the length of s in UTF-16 code units, the unit of Bot API
// offsets and message limits.
func UTF16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
