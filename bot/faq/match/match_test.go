package match

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"How do I invest?", []string{"?how", "invest"}},
		{"Investing, investments & INVESTORS!", []string{"invest", "invest", "invest"}},
		{"What are the refunds policies", []string{"refund", "policy"}},
		{"怎么投资", []string{"?how", "投", "投资", "资"}},
		{"我的认证", []string{"认", "认证", "证"}},
		{"ＫＹＣ 多长时间", []string{"kyc", "多", "多久", "久"}},
		{"Can US citizens join?", []string{"usa", "citizen", "join"}},
		{"", nil},
		{"?!…", nil},
	}
	for _, tc := range tests {
		if got := Tokens(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Tokens(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestStem(t *testing.T) {
	groups := [][]string{
		{"invest", "invests", "investing", "invested", "investment", "investments", "investor"},
		{"refund", "refunds", "refunded", "refunding"},
		{"transfer", "transfers", "transferred", "transferring"},
		{"verify", "verification"},
		{"policy", "policies"},
	}
	for _, g := range groups {
		for _, w := range g[1:] {
			if stem(w) != stem(g[0]) {
				t.Errorf("stem(%q) = %q, stem(%q) = %q", w, stem(w), g[0], stem(g[0]))
			}
		}
	}
	for _, w := range []string{"kyc", "usdt", "status", "bus"} {
		if got := stem(w); got != w {
			t.Errorf("stem(%q) = %q, want it unchanged", w, got)
		}
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"refund", "refund", 0},
		{"refnud", "refund", 1}, // swap
		{"refun", "refund", 1},
		{"reefund", "refund", 1},
		{"wallet", "ballot", 2},
		{"abcdef", "uvwxyz", 2}, // gives up at limit+1
	}
	for _, tc := range tests {
		if got := distance(tc.a, tc.b, 1); got != min(tc.want, 2) {
			t.Errorf("distance(%q, %q) = %d, want %d", tc.a, tc.b, got, min(tc.want, 2))
		}
	}
}

func testIndex() *Index {
	return New([]Doc{
		{ID: "invest", Phrasings: []string{"How do I invest?", "怎么投资"}, Tags: []string{"buy"}},
		{ID: "who", Phrasings: []string{"Who can invest?", "谁可以投资"}},
		{ID: "refund", Phrasings: []string{"Can I get a refund?", "可以退款吗"}, Body: "Within 14 days, to the wallet you paid from."},
		{ID: "wallet", Phrasings: []string{"Which wallet do I need?", "需要什么钱包"}},
	})
}

func TestSearch(t *testing.T) {
	ix := testIndex()
	tests := []struct {
		query string
		want  string
	}{
		{"how can I buy in", "invest"},
		{"怎么投资？", "invest"},
		{"who is allowed to invest", "who"},
		{"谁能投资", "who"},
		{"refnud", "refund"},
		{"I want a refund please", "refund"},
		{"退款", "refund"},
		{"wallet 用哪个", "wallet"},
	}
	for _, tc := range tests {
		got := ix.Search(tc.query, 3)
		if len(got) == 0 || got[0].ID != tc.want {
			t.Errorf("Search(%q) = %+v, want %s first", tc.query, got, tc.want)
		}
	}
	for _, q := range []string{"", "the weather", "天气怎么样", "play chess"} {
		if got := ix.Search(q, 3); len(got) > 0 && got[0].Score >= 0.4 {
			t.Errorf("Search(%q) = %+v, want nothing confident", q, got)
		}
	}
	if got := ix.Search("How do I invest?", 1); got[0].Score < 0.99 || got[0].Score > 1 {
		t.Errorf("exact phrasing scores %v, want 1", got[0].Score)
	}
}

func TestKey(t *testing.T) {
	if a, b := Key("How do I invest?"), Key("how to INVEST"); a != b || a == "" {
		t.Errorf("Key: %q != %q", a, b)
	}
	if Key("the?") != "" {
		t.Errorf("Key of stop words = %q, want empty", Key("the?"))
	}
	if k := Key(strings.Repeat("投资风险收益", 100)); len(k) > maxKeyLen {
		t.Errorf("Key is %d bytes, longer than %d", len(k), maxKeyLen)
	}
	if Key("谁") == "" || Key("退") == "" {
		t.Error("single Chinese characters give no key")
	}
}

// BenchmarkSearch measures one query against 1000 entries of ten
// phrasings each (the largest FAQ a community may have).
func BenchmarkSearch(b *testing.B) {
	docs := make([]Doc, 1000)
	for i := range docs {
		var ps []string
		for j := 0; j < 10; j++ {
			ps = append(ps, fmt.Sprintf("how do I topic%d word%d 项目%d 投资问题", i, j, i%50))
		}
		docs[i] = Doc{ID: fmt.Sprint(i), Phrasings: ps, Tags: []string{"tag"}}
	}
	ix := New(docs)
	b.ResetTimer()
	for b.Loop() {
		ix.Search("how can I invest in topic42 项目的投资问题", 4)
	}
}
