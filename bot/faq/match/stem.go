package match

import "strings"

// stem reduces an English word to a crude stem by stripping common
// inflection and derivation suffixes. It only needs to map the forms of one
// word onto the same string, not to produce real words.
func stem(w string) string {
	if len(w) <= 3 || !isASCIILetters(w) {
		return w
	}
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		w = w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"):
		w = w[:len(w)-2]
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"):
	case strings.HasSuffix(w, "s"):
		w = w[:len(w)-1]
	}
	// Two rounds: "transferred" → "transfer" → "transf", like "transfer".
	for range 2 {
		for _, r := range suffixes {
			if strings.HasSuffix(w, r.suffix) && len(w)-len(r.suffix) >= r.min {
				w = w[:len(w)-len(r.suffix)] + r.repl
				if r.undouble {
					w = undouble(w)
				}
				break
			}
		}
	}
	return w
}

type suffixRule struct {
	suffix   string
	repl     string
	min      int // shortest stem left
	undouble bool
}

// suffixes are tried in order; the first that fits is applied.
var suffixes = []suffixRule{
	{"ication", "y", 3, false},
	{"ations", "", 4, false},
	{"ation", "", 4, false},
	{"ments", "", 4, false},
	{"ment", "", 4, false},
	{"ingly", "", 3, true},
	{"edly", "", 3, true},
	{"ing", "", 3, true},
	{"ied", "y", 2, false},
	{"ed", "", 3, true},
	{"ers", "", 4, false},
	{"er", "", 4, false},
	{"ors", "", 4, false},
	{"or", "", 4, false},
	{"ly", "", 4, false},
}

// undouble turns "stopp" into "stop" and "transferr" into "transfer".
func undouble(w string) string {
	n := len(w)
	if n >= 2 && w[n-1] == w[n-2] && !strings.ContainsRune("lsz", rune(w[n-1])) && !strings.ContainsRune("aeiou", rune(w[n-1])) {
		return w[:n-1]
	}
	return w
}

func isASCIILetters(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}
