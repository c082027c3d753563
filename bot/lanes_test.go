package bot

import (
	"sync"
	"testing"
)

func TestLanes_OrderPerKey(t *testing.T) {
	var l Lanes
	var mu sync.Mutex
	got := map[string][]int{}
	for i := range 100 {
		for _, key := range []string{"a", "b", "c"} {
			l.Do(key, func() {
				mu.Lock()
				got[key] = append(got[key], i)
				mu.Unlock()
			})
		}
	}
	l.Wait()
	for key, seq := range got {
		if len(seq) != 100 {
			t.Fatalf("lane %s ran %d of 100", key, len(seq))
		}
		for i, v := range seq {
			if v != i {
				t.Fatalf("lane %s ran out of order: %v", key, seq)
			}
		}
	}
}
