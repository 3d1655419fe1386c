package models

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestRankBetweenKnownKeys(t *testing.T) {
	t.Parallel()
	// Expected values follow the reference implementation
	// (npm fractional-indexing), so ranks stay compatible with it.
	tests := []struct{ a, b, want string }{
		{"", "", "a0"},
		{"", "a0", "Zz"},
		{"", "Zz", "Zy"},
		{"a0", "", "a1"},
		{"a1", "", "a2"},
		{"a0", "a1", "a0V"},
		{"a1", "a2", "a1V"},
		{"a0V", "a1", "a0l"},
		{"Zz", "a0", "ZzV"},
		{"Zz", "a1", "a0"},
		{"", "Y00", "Xzzz"},
		{"bzz", "", "c000"},
		{"a0", "a0V", "a0G"},
		{"a0", "a0G", "a08"},
		{"b125", "b129", "b127"},
		{"a0", "a1V", "a1"},
		{"Zz", "a01", "a0"},
		{"", "a0V", "a0"},
		{"", "b999", "b99"},
		{"az", "", "b00"},
		{"zzzzzzzzzzzzzzzzzzzzzzzzzzy", "", "zzzzzzzzzzzzzzzzzzzzzzzzzzz"},
		{"zzzzzzzzzzzzzzzzzzzzzzzzzzz", "", "zzzzzzzzzzzzzzzzzzzzzzzzzzzV"},
	}
	for _, tt := range tests {
		got, err := RankBetween(tt.a, tt.b)
		if err != nil || got != tt.want {
			t.Errorf("RankBetween(%q, %q) = %q, %v; want %q", tt.a, tt.b, got, err, tt.want)
		}
	}
}

func TestRankBetweenRejects(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ a, b string }{
		{"a1", "a0"}, {"a0", "a0"}, {"a00", ""}, {"a0", "a10"}, {"!", ""}, {"a", ""}, {rankSmallestInt, ""},
	} {
		if got, err := RankBetween(tt.a, tt.b); err == nil {
			t.Errorf("RankBetween(%q, %q) = %q, want an error", tt.a, tt.b, got)
		}
	}
}

// TestRankRandomInserts inserts at random places and checks after every
// insert that the keys are strictly increasing in byte order.
func TestRankRandomInserts(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	keys := []string{}
	for i := 0; i < 5000; i++ {
		at := r.IntN(len(keys) + 1)
		var a, b string
		if at > 0 {
			a = keys[at-1]
		}
		if at < len(keys) {
			b = keys[at]
		}
		k, err := RankBetween(a, b)
		if err != nil {
			t.Fatalf("insert %d between %q and %q: %v", i, a, b, err)
		}
		if (a != "" && k <= a) || (b != "" && k >= b) {
			t.Fatalf("%q is not between %q and %q", k, a, b)
		}
		keys = slices.Insert(keys, at, k)
	}
	if !slices.IsSorted(keys) {
		t.Fatal("keys out of order")
	}
}

// TestRankSameSpotGrowth measures the worst case: every insert lands right
// after the same card. The store respaces a column once a key passes
// RankMaxLen, so this only has to grow slowly and stay ordered.
func TestRankSameSpotGrowth(t *testing.T) {
	t.Parallel()
	a, b := "a0", "a1"
	inserts := 0
	for {
		k, err := RankBetween(a, b)
		if err != nil {
			t.Fatal(err)
		}
		if k <= a || k >= b {
			t.Fatalf("%q not between %q and %q", k, a, b)
		}
		b = k
		inserts++
		if len(k) > RankMaxLen {
			break
		}
	}
	if inserts < 200 {
		t.Errorf("only %d same-spot inserts before a respace; want at least 200", inserts)
	}
	t.Logf("%d same-spot inserts before a key passes %d characters", inserts, RankMaxLen)
}

func TestRankSequence(t *testing.T) {
	t.Parallel()
	seq := RankSequence(20000)
	if !slices.IsSorted(seq) || len(seq) != 20000 {
		t.Fatal("sequence not increasing")
	}
	for i := 1; i < len(seq); i++ {
		if seq[i] == seq[i-1] {
			t.Fatalf("duplicate key %q", seq[i])
		}
	}
	if l := len(seq[len(seq)-1]); l > 4 {
		t.Errorf("20,000 respaced keys should stay within 4 characters, got %d", l)
	}
}

func TestRankBetweenJittered(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ a, b string }{{"", ""}, {"a0", "a1"}, {"a0", "a0V"}, {"", "a0"}, {"a0", ""}, {"a0", "a01"}} {
		seen := map[string]bool{}
		for pick := uint(0); pick < 200; pick++ {
			k, err := RankBetweenJittered(tt.a, tt.b, pick)
			if err != nil || (tt.a != "" && k <= tt.a) || (tt.b != "" && k >= tt.b) || validRank(k) != nil {
				t.Fatalf("RankBetweenJittered(%q, %q, %d) = %q, %v", tt.a, tt.b, pick, k, err)
			}
			seen[k] = true
		}
		if len(seen) < 2 {
			t.Errorf("(%q, %q): no jitter", tt.a, tt.b)
		}
	}
}
