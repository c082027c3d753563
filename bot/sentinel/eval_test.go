package sentinel

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// TestEvaluationSet measures risk alerts and sentiment on the labelled
// messages in testdata/eval.tsv. Risk alerts must keep precision ≥ 0.85.
func TestEvaluationSet(t *testing.T) {
	f, err := os.Open("testdata/eval.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lex, err := LoadLexicon(nil)
	if err != nil {
		t.Fatal(err)
	}
	var tp, fp, fn, n, sentOK int
	langs := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		parts := strings.SplitN(line, "\t", 3)
		if len(parts) != 3 {
			t.Fatalf("bad line %q", line)
		}
		wantRisk, wantSent, text := parts[0] == "1", parts[1], parts[2]
		n++
		if strings.ContainsFunc(text, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
			langs["zh"]++
		} else {
			langs["en"]++
		}
		a := lex.Analyze(text)
		switch {
		case a.Alert && wantRisk:
			tp++
		case a.Alert && !wantRisk:
			fp++
			t.Logf("false alert: %q (risk %.1f %v)", text, a.Risk, a.Phrases)
		case !a.Alert && wantRisk:
			fn++
			t.Logf("missed: %q (risk %.1f)", text, a.Risk)
		}
		got := "neu"
		switch {
		case a.Negative():
			got = "neg"
		case a.Score >= 1:
			got = "pos"
		}
		if got == wantSent {
			sentOK++
		} else {
			t.Logf("sentiment %s, want %s: %q (%.2f)", got, wantSent, text, a.Score)
		}
	}
	if n < 100 || langs["en"] < 40 || langs["zh"] < 40 {
		t.Fatalf("evaluation set too small: %d messages %v", n, langs)
	}
	precision := float64(tp) / float64(max(tp+fp, 1))
	recall := float64(tp) / float64(max(tp+fn, 1))
	t.Logf("risk alerts on %d messages (%d en, %d zh): precision %.2f, recall %.2f (tp %d, fp %d, fn %d)", n, langs["en"], langs["zh"], precision, recall, tp, fp, fn)
	t.Logf("sentiment accuracy (neg/neu/pos): %.2f", float64(sentOK)/float64(n))
	if precision < 0.85 {
		t.Errorf("risk alert precision %.2f is below 0.85", precision)
	}
}
