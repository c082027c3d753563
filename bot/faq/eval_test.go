package faq

import (
	"os"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
)

// evalQuery is one labelled query of testdata/queries.yaml.
type evalQuery struct {
	Q    string `yaml:"q"`
	Want string `yaml:"want"`
}

// TestEvaluation measures matching on the labelled set: top-1 accuracy over
// the queries that have an answer, and the false-answer rate (a confident
// answer that is wrong, or any answer to a query that has none) over all
// queries, at the default threshold.
func TestEvaluation(t *testing.T) {
	data, err := os.ReadFile("../../faq.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := ParseFile(data, "test", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var queries []evalQuery
	qdata, err := os.ReadFile("testdata/queries.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(qdata, &queries); err != nil {
		t.Fatal(err)
	}
	cat := newCatalog(entries)
	var cfg Config
	cfg.Defaults()
	threshold := cfg.Threshold
	var positives, correct, negatives, falseAnswers, falseOnNegatives int
	for _, q := range queries {
		if q.Want != "" {
			if _, ok := cat.entry(q.Want); !ok {
				t.Fatalf("query %q wants unknown entry %q", q.Q, q.Want)
			}
		}
		v := cat.lookup(q.Q, threshold)
		got := ""
		if v.confident {
			got = v.best.ID
		}
		switch {
		case q.Want == "":
			negatives++
			if got != "" {
				falseAnswers++
				falseOnNegatives++
				t.Logf("false answer: %q -> %s (%.2f)", q.Q, got, v.score)
			}
		default:
			positives++
			if got == q.Want {
				correct++
				continue
			}
			if got != "" {
				falseAnswers++
			}
			t.Logf("miss: %q want %s, got %q (best %s %.2f)", q.Q, q.Want, got, v.best.ID, v.score)
		}
	}
	if len(entries) < 20 || positives < 60 || negatives == 0 {
		t.Fatalf("evaluation set too small: %d entries, %d queries with answers, %d without", len(entries), positives, negatives)
	}
	top1 := float64(correct) / float64(positives)
	falseRate := float64(falseAnswers) / float64(positives+negatives)
	t.Logf("entries %d, queries %d (%d with an answer, %d without)", len(entries), positives+negatives, positives, negatives)
	t.Logf("top-1 accuracy %.1f%% (%d/%d)", 100*top1, correct, positives)
	t.Logf("false-answer rate %.1f%% (%d/%d; %d of %d unanswerable queries answered)", 100*falseRate, falseAnswers, positives+negatives, falseOnNegatives, negatives)
	if top1 < 0.90 {
		t.Errorf("top-1 accuracy %.1f%% is below 90%%", 100*top1)
	}
	if falseRate > 0.05 {
		t.Errorf("false-answer rate %.1f%% is above 5%%", 100*falseRate)
	}
}
