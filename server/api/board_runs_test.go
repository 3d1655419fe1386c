package api

import (
	"fmt"
	"hash/crc32"
	"strings"
	"testing"

	"github.com/doska/doska/models"
)

// BenchmarkBoardAfterChange is the work a read does after one card of a
// 20,000-card board changed: the card's run recompressed, the rest reused.
func BenchmarkBoardAfterChange(b *testing.B) {
	lb := &liveBoard{seq: 1, project: []byte(`{"id":1,"name":"Online shop"}`), enc: map[int64][]byte{}}
	for i := range 20000 {
		id := int64(i + 1)
		enc := fmt.Appendf(nil, `{"id":%d,"number":%d,"title":"Card number %d with a title of some length","status":"set","rank":"a%06d","description":"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua %d.","labels":["frontend","bug"],"comment_count":%d}`, id, id, id, i, i*7, i%13)
		lb.add(models.BoardKey{ID: id, Rank: fmt.Sprintf("a%06d", i)}, enc)
	}
	first, err := assemble(boardKey{}, lb, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("whole", func(b *testing.B) {
		for b.Loop() {
			if _, err := assemble(boardKey{}, lb, nil, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("one card changed", func(b *testing.B) {
		for b.Loop() {
			next := *first.live
			next.runs = nil
			if _, err := assemble(boardKey{}, &next, first.live, map[int64]bool{777: true}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func TestCRC32Combine(t *testing.T) {
	data := []byte("{\"project\":{},\"tasks\":[" + strings.Repeat("card, ", 1000) + "]}")
	for _, cut := range []int{0, 1, 7, 100, 4095, len(data)} {
		a, b := data[:cut], data[cut:]
		got := crc32Combine(crc32.ChecksumIEEE(a), crc32.ChecksumIEEE(b), len(b))
		if want := crc32.ChecksumIEEE(data); got != want {
			t.Errorf("cut at %d: %08x, want %08x", cut, got, want)
		}
	}
}
