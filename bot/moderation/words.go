package moderation

import (
	"bufio"
	"bytes"
	"embed"
	"os"
	"regexp"
	"strings"
	"unicode"
)

//go:embed words/*.txt
var builtinWords embed.FS

// wordMatcher finds banned words: whole words for Latin script, plain
// substrings for Chinese (which has no spaces between words).
type wordMatcher struct {
	latin *regexp.Regexp
	han   []string
}

func readWordList(data []byte) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, strings.ToLower(line))
		}
	}
	return out
}

func newWordMatcher(c Config) (*wordMatcher, error) {
	var words []string
	if c.DefaultWords {
		for _, f := range []string{"words/en.txt", "words/zh.txt"} {
			data, err := builtinWords.ReadFile(f)
			if err != nil {
				return nil, err
			}
			words = append(words, readWordList(data)...)
		}
	}
	for _, path := range c.BannedWordFiles {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		words = append(words, readWordList(data)...)
	}
	for _, w := range c.BannedWords {
		if w = strings.ToLower(strings.TrimSpace(w)); w != "" {
			words = append(words, w)
		}
	}
	wm := &wordMatcher{}
	var latin []string
	for _, w := range words {
		if strings.IndexFunc(w, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0 {
			wm.han = append(wm.han, w)
		} else {
			latin = append(latin, regexp.QuoteMeta(w))
		}
	}
	if len(latin) > 0 {
		wm.latin = regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}])(?:` + strings.Join(latin, "|") + `)(?:$|[^\p{L}\p{N}])`)
	}
	return wm, nil
}

// match reports whether text contains a banned word.
func (wm *wordMatcher) match(text string) bool {
	if wm.latin != nil && wm.latin.MatchString(text) {
		return true
	}
	lower := strings.ToLower(text)
	for _, w := range wm.han {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}
