package api

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"slices"
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
	whole, _ := compress(lb.json())
	b.Logf("compressed in runs: %d bytes; whole: %d bytes", len(first.gz), len(whole))
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

// TestRunsMatchTheBoard changes a 3,000-card board 300 times (a card
// edited, moved, added or removed) and checks after each that the answer
// assembled from reused and new runs unzips, with the standard library's
// reader, to exactly the board's JSON.
func TestRunsMatchTheBoard(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	lb := &liveBoard{seq: 1, project: []byte(`{"id":1}`), enc: map[int64][]byte{}}
	next := int64(1)
	addCard := func(b *liveBoard) {
		b.add(models.BoardKey{ID: next, Rank: fmt.Sprintf("r%08d", r.IntN(1e8))}, fmt.Appendf(nil, `{"id":%d,"v":0}`, next))
		next++
	}
	for range 3000 {
		addCard(lb)
	}
	slices.SortFunc(lb.order, models.CompareBoard)
	e, err := assemble(boardKey{}, lb, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 300 {
		old := e.live
		b := &liveBoard{seq: old.seq + 1, project: old.project, enc: map[int64][]byte{}}
		victim := old.order[r.IntN(len(old.order))]
		touched := map[int64]bool{victim.ID: true}
		for _, k := range old.order {
			switch {
			case k.ID != victim.ID:
				b.add(k, old.enc[k.ID])
			case i%4 == 0: // edited
				b.add(k, fmt.Appendf(nil, `{"id":%d,"v":%d}`, k.ID, i))
			case i%4 == 1: // moved
				k.Rank = fmt.Sprintf("r%08d", r.IntN(1e8))
				b.add(k, old.enc[k.ID])
			case i%4 == 2: // removed
			default: // kept, and a card added
				b.add(k, old.enc[k.ID])
				touched[next] = true
				addCard(b)
			}
		}
		slices.SortFunc(b.order, models.CompareBoard)
		if e, err = assemble(boardKey{}, b, old, touched); err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(bytes.NewReader(e.gz))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("change %d: %v", i, err)
		}
		if !bytes.Equal(got, b.json()) {
			t.Fatalf("change %d: the runs unzip to another board", i)
		}
	}
	if n := len(e.live.runs); n < 10 {
		t.Errorf("%d runs: the board was not split", n)
	}
}
