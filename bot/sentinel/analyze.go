package sentinel

import (
	"strings"
	"unicode"
)

// token is a word (Latin script, lower case, apostrophes dropped) or a
// single Chinese character, with the clause it belongs to.
type token struct {
	text   string
	clause int
	nt     bool // an English contraction with n't: don't, shouldn't
}

const clauseBreaks = ".,!?;:()，。！？；：（）、\n"

// tokenize splits text into words and Han characters; punctuation ends a
// clause.
func tokenize(text string) []token {
	var out []token
	var word strings.Builder
	clause := 0
	apostrophe := false
	flush := func() {
		if word.Len() > 0 {
			w := word.String()
			out = append(out, token{text: w, clause: clause, nt: apostrophe && strings.HasSuffix(w, "nt")})
			word.Reset()
		}
		apostrophe = false
	}
	for _, r := range strings.ToLower(text) {
		switch {
		case unicode.Is(unicode.Han, r):
			flush()
			out = append(out, token{text: string(r), clause: clause})
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			word.WriteRune(r)
		case r == '\'' || r == '’':
			apostrophe = true // "don't" → "dont"
		case strings.ContainsRune(clauseBreaks, r):
			flush()
			clause++
		default:
			flush()
		}
	}
	flush()
	return out
}

// hit is a lexicon entry found in a message.
type hit struct {
	entry
	pos, end int // token span [pos, end)
	clause   int
}

// negationWindow is how many tokens before a term a negator still negates it.
const negationWindow = 4

// Analysis is what the sentinel reads in one message.
type Analysis struct {
	// Score is the sentiment: below zero negative, above zero positive.
	Score float64
	// Risk is the risk score; Alert is true when it reaches AlertRisk.
	Risk  float64
	Alert bool
	// Phrases are the risk phrases that counted, as in the lexicon.
	Phrases []string
}

// Negative reports whether the message counts as negative.
func (a Analysis) Negative() bool { return a.Score <= -1 }

// AlertRisk is the risk score that raises an alert.
const AlertRisk = 2

// Analyze scores a message's sentiment and risk.
func (l *Lexicon) Analyze(text string) Analysis {
	toks := tokenize(text)
	var hits []hit
	for i := 0; i < len(toks); {
		e, ok := l.match(toks, i)
		if !ok {
			if toks[i].nt {
				hits = append(hits, hit{entry: entry{term: toks[i].text, kind: KindNegator}, pos: i, end: i + 1, clause: toks[i].clause})
			}
			i++
			continue
		}
		hits = append(hits, hit{entry: e, pos: i, end: i + len(e.tokens), clause: toks[i].clause})
		i += len(e.tokens)
	}
	var a Analysis
	var tone float64 // sentiment without risk terms
	var risks []hit
	context, benign := false, false
	for i, h := range hits {
		negated := false
		for j := i - 1; j >= 0 && hits[j].clause == h.clause && h.pos-hits[j].pos <= negationWindow; j-- {
			if hits[j].kind == KindNegator {
				negated = true
				break
			}
		}
		mult := 1.0
		if i > 0 && hits[i-1].kind == KindIntensifier && hits[i-1].clause == h.clause && h.pos-hits[i-1].end <= 1 {
			mult = hits[i-1].weight
		}
		switch h.kind {
		case KindPositive, KindNegative:
			v := h.weight * mult
			if h.kind == KindNegative {
				v = -v
			}
			if negated {
				v = -0.8 * v
			}
			tone += v
		case KindRisk:
			if !negated {
				risks = append(risks, h)
			}
		case KindContext:
			context = true
		case KindBenign:
			benign = true
		}
	}
	a.Score = tone
	for _, r := range risks {
		a.Risk += r.weight
		a.Phrases = append(a.Phrases, r.term)
	}
	if benign {
		a.Risk = min(a.Risk, 1) // a warning or a report, not an accusation
	}
	if a.Risk > 0 && a.Risk < AlertRisk && (context || tone <= -1) {
		a.Risk++
	}
	a.Alert = a.Risk >= AlertRisk
	if a.Alert {
		a.Score = min(a.Score-1, -1) // worry about the project is negative
	}
	return a
}
