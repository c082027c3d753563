package sentinel

import "testing"

func TestAnalyze_NegationIntensifiersAndQuestions(t *testing.T) {
	lex, err := LoadLexicon(nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text  string
		alert bool
		sign  int // -1 negative, 0 neutral, 1 positive
	}{
		{"is this a rug pull?", true, -1},
		{"这个项目是不是要跑路了", true, -1},
		{"I'm not worried about a scam at all", false, 1},
		{"it isn't a scam", false, 0},
		{"this is no joke, it's a scam", true, -1},
		{"这不是骗局", false, 0},
		{"会不会跑路", true, -1},
		{"good", false, 1},
		{"not good", false, -1},
		{"very bad", false, -1},
		{"很好", false, 1},
		{"不好", false, -1},
		{"非常失望", false, -1},
		{"refund please", false, 0},
		{"refund my investment now", true, -1},
	}
	for _, tt := range tests {
		a := lex.Analyze(tt.text)
		sign := 0
		switch {
		case a.Score <= -0.5:
			sign = -1
		case a.Score >= 0.5:
			sign = 1
		}
		if a.Alert != tt.alert || sign != tt.sign {
			t.Errorf("%q: alert %v score %.2f, want alert %v sign %d", tt.text, a.Alert, a.Score, tt.alert, tt.sign)
		}
	}
	if a, b := lex.Analyze("very bad").Score, lex.Analyze("bad").Score; a >= b {
		t.Errorf("intensifier does not intensify: %.2f vs %.2f", a, b)
	}
}
