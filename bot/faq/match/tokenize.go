package match

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token kinds, used to weight features.
const (
	kindWord     = iota // an English (or other alphabetic) word or a number
	kindBigram          // two adjacent Han characters
	kindUnigram         // one Han character
	kindQuestion        // a question word, as its kind: "?how", "?who"
)

// feature is one indexed unit of text.
type feature struct {
	text string
	kind int
}

// Tokens returns the features of s as strings, in order, duplicates kept.
// It is exported for tests and diagnostics.
func Tokens(s string) []string {
	fs := features(s)
	if len(fs) == 0 {
		return nil
	}
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.text
	}
	return out
}

// features splits s into words (stemmed, stop words removed) and Han
// bigrams and unigrams.
func features(s string) []feature {
	var out []feature
	var word []rune
	var han []rune
	flushWord := func() {
		if len(word) == 0 {
			return
		}
		w := string(word)
		word = word[:0]
		if w == "US" {
			w = "usa" // the country, not the pronoun
		}
		if len([]rune(w)) < 2 && !isDigits(w) {
			return
		}
		w = strings.ToLower(w)
		if q, ok := questionWords[w]; ok {
			out = append(out, feature{text: q, kind: kindQuestion})
			return
		}
		if stopWords[w] {
			return
		}
		out = append(out, feature{text: stem(w), kind: kindWord})
	}
	flushHan := func() {
		if len(han) == 0 {
			return
		}
		out = appendHan(out, han)
		han = han[:0]
	}
	for _, r := range foldWidth(s) {
		switch {
		case unicode.Is(unicode.Han, r):
			flushWord()
			han = append(han, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			flushHan()
			word = append(word, r)
		default:
			flushWord()
			flushHan()
		}
	}
	flushWord()
	flushHan()
	return out
}

// foldWidth maps full-width ASCII (ＫＹＣ, ０-９) to ASCII.
func foldWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		return r
	}, s)
}

func isDigits(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}

// appendHan cuts a run of Han characters at Chinese stop words and adds the
// bigrams and unigrams of each remaining segment.
func appendHan(out []feature, run []rune) []feature {
	segs, questions := splitHan([]rune(hanSame.Replace(string(run))))
	for _, q := range questions {
		out = append(out, feature{text: q, kind: kindQuestion})
	}
	for _, seg := range segs {
		if len(seg) == 1 && hanWeakChars[seg[0]] {
			continue
		}
		for i := range seg {
			out = append(out, feature{text: string(seg[i]), kind: kindUnigram})
			if i+1 < len(seg) {
				out = append(out, feature{text: string(seg[i : i+2]), kind: kindBigram})
			}
		}
	}
	return out
}

// splitHan removes stop words from a Han run, longest first, and returns
// the segments between them and the kinds of the question words removed.
func splitHan(run []rune) (segs [][]rune, questions []string) {
	start := 0
	for i := 0; i < len(run); {
		n := stopAt(run, i)
		if n == 0 {
			i++
			continue
		}
		if q, ok := hanQuestionWords[string(run[i:i+n])]; ok {
			questions = append(questions, q)
		}
		if i > start {
			segs = append(segs, run[start:i])
		}
		i += n
		start = i
	}
	if start < len(run) {
		segs = append(segs, run[start:])
	}
	return segs, questions
}

// stopAt returns the length of the Chinese stop word at run[i], or 0.
func stopAt(run []rune, i int) int {
	for n := maxHanStop; n >= 2; n-- {
		if i+n <= len(run) && hanStopWords[string(run[i:i+n])] {
			return n
		}
	}
	if hanStopChars[run[i]] {
		return 1
	}
	return 0
}

// maxKeyLen bounds a Key.
const maxKeyLen = 200

// Key normalizes a question for counting: its words and Chinese bigrams
// (single characters only when there is nothing else), sorted and
// deduplicated, so "How do I invest?" and "how to invest" count as one.
// It is "" for text with nothing to match.
func Key(s string) string {
	fs := features(s)
	onlyUnigrams := true
	for _, f := range fs {
		if f.kind != kindUnigram {
			onlyUnigrams = false
		}
	}
	seen := map[string]bool{}
	var parts []string
	for _, f := range fs {
		if (f.kind == kindUnigram && !onlyUnigrams) || seen[f.text] {
			continue
		}
		seen[f.text] = true
		parts = append(parts, f.text)
	}
	sort.Strings(parts)
	k := strings.Join(parts, " ")
	for len(k) > maxKeyLen {
		_, size := utf8.DecodeLastRuneInString(k)
		k = k[:len(k)-size]
	}
	return k
}
