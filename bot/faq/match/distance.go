package match

// maxWordLen is the longest word typo correction looks at.
const maxWordLen = 32

// distance is the optimal-string-alignment edit distance between two ASCII
// words (insertions, deletions, substitutions and swaps of neighbours),
// giving up with limit+1 once it is sure to exceed limit. Words longer
// than maxWordLen are never close.
func distance(a, b string, limit int) int {
	if len(a) > maxWordLen || len(b) > maxWordLen {
		return limit + 1
	}
	var rows [3][maxWordLen + 1]int
	prev2, prev, cur := rows[0][:len(b)+1], rows[1][:len(b)+1], rows[2][:len(b)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
