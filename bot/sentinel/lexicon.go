package sentinel

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
)

//go:embed lexicon/*.txt
var builtinLexicon embed.FS

// Kinds of lexicon entries.
const (
	KindPositive    = "positive"
	KindNegative    = "negative"
	KindNegator     = "negator"
	KindQuestion    = "question"
	KindIntensifier = "intensifier"
	KindRisk        = "risk"
	KindContext     = "context"
	KindBenign      = "benign"
)

// builtinFiles maps the embedded files onto entry kinds.
var builtinFiles = map[string]string{
	"en_positive.txt": KindPositive, "zh_positive.txt": KindPositive,
	"en_negative.txt": KindNegative, "zh_negative.txt": KindNegative,
	"negators_en.txt": KindNegator, "negators_zh.txt": KindNegator,
	"questions_zh.txt":    KindQuestion,
	"intensifiers_en.txt": KindIntensifier, "intensifiers_zh.txt": KindIntensifier,
	"risk_en.txt": KindRisk, "risk_zh.txt": KindRisk,
	"context.txt": KindContext,
	"benign.txt":  KindBenign,
}

// defaultWeight is the weight of an entry that names none.
var defaultWeight = map[string]float64{KindIntensifier: 1.5, KindRisk: 2}

// entry is one lexicon term as tokens; a wildcard entry's last token
// matches any token it prefixes.
type entry struct {
	term     string
	tokens   []string
	wildcard bool
	kind     string
	weight   float64
}

// Lexicon holds the sentiment and risk vocabulary of both languages.
type Lexicon struct {
	byFirst  map[string][]entry // exact first token → entries, longest first
	wildcard []entry            // single-token wildcard entries
}

// LoadLexicon reads the built-in lexicon and then the extra files, given
// by kind (positive, negative, negator, question, intensifier, risk,
// context, benign). Lines are "term" or "term<TAB>weight"; # starts a
// comment.
func LoadLexicon(extra map[string][]string) (*Lexicon, error) {
	l := &Lexicon{byFirst: map[string][]entry{}}
	names := make([]string, 0, len(builtinFiles))
	for n := range builtinFiles {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		data, err := builtinLexicon.ReadFile("lexicon/" + n)
		if err != nil {
			return nil, err
		}
		if err := l.add(data, builtinFiles[n], n); err != nil {
			return nil, err
		}
	}
	kinds := make([]string, 0, len(extra))
	for k := range extra {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, kind := range kinds {
		if _, ok := defaultWeight[kind]; !ok && !validKind(kind) {
			return nil, fmt.Errorf("unknown lexicon kind %q", kind)
		}
		for _, path := range extra[kind] {
			data, err := os.ReadFile(path)
			if err != nil {
				return nil, err
			}
			if err := l.add(data, kind, path); err != nil {
				return nil, err
			}
		}
	}
	for k := range l.byFirst {
		es := l.byFirst[k]
		sort.SliceStable(es, func(i, j int) bool { return len(es[i].tokens) > len(es[j].tokens) })
	}
	return l, nil
}

func validKind(k string) bool {
	switch k {
	case KindPositive, KindNegative, KindNegator, KindQuestion, KindIntensifier, KindRisk, KindContext, KindBenign:
		return true
	}
	return false
}

func (l *Lexicon) add(data []byte, kind, name string) error {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		term, w, hasW := strings.Cut(line, "\t")
		weight := defaultWeight[kind]
		if weight == 0 {
			weight = 1
		}
		if hasW {
			f, err := strconv.ParseFloat(strings.TrimSpace(w), 64)
			if err != nil || f <= 0 {
				return fmt.Errorf("%s:%d: bad weight %q", name, n, w)
			}
			weight = f
		}
		term = strings.TrimSpace(term)
		wild := strings.HasSuffix(term, "*")
		toks := tokenize(strings.TrimSuffix(term, "*"))
		if len(toks) == 0 {
			return fmt.Errorf("%s:%d: no word in %q", name, n, term)
		}
		e := entry{term: strings.TrimSuffix(term, "*"), tokens: make([]string, len(toks)), wildcard: wild, kind: kind, weight: weight}
		for i, t := range toks {
			e.tokens[i] = t.text
		}
		if wild && len(e.tokens) == 1 {
			l.wildcard = append(l.wildcard, e)
			continue
		}
		l.byFirst[e.tokens[0]] = append(l.byFirst[e.tokens[0]], e)
	}
	return sc.Err()
}

// match returns the longest entry starting at toks[i], if any.
func (l *Lexicon) match(toks []token, i int) (entry, bool) {
	for _, e := range l.byFirst[toks[i].text] {
		if fits(e, toks, i) {
			return e, true
		}
	}
	for _, e := range l.wildcard {
		if strings.HasPrefix(toks[i].text, e.tokens[0]) {
			return e, true
		}
	}
	return entry{}, false
}

func fits(e entry, toks []token, i int) bool {
	if i+len(e.tokens) > len(toks) {
		return false
	}
	for j, want := range e.tokens {
		got := toks[i+j]
		if got.clause != toks[i].clause {
			return false
		}
		last := j == len(e.tokens)-1
		if got.text != want && !(last && e.wildcard && strings.HasPrefix(got.text, want)) {
			return false
		}
	}
	return true
}
