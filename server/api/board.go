package api

import (
	"bytes"
	"container/list"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
	"github.com/labstack/echo/v4"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/store"
)

// The board snapshot is the heaviest read: a 2,000-card board is over a
// megabyte of JSON, and encoding and compressing it costs far more than
// reading it. Every change to a board's cards appends an event naming the
// card, so each instance keeps one snapshot per board and audience (staff
// or client) and brings it up to date by reading only the cards that the
// events since touched, encoding and compressing only the runs of cards
// they are in; the rest of the snapshot is reused byte for byte. The team
// board is cached by a digest of all it depends on instead, and rebuilt
// when that changes.

// boardKey names one snapshot: a digest of everything it depends on.
type boardKey [32]byte

// keyOf digests the parts a snapshot depends on.
func keyOf(parts ...any) boardKey {
	b, _ := json.Marshal(parts)
	return sha256.Sum256(b)
}

type boardEntry struct {
	key      boardKey
	raw, gz  []byte
	lruEntry *list.Element
	live     *liveBoard // a project board's, kept current by events
}

// liveBoard is a project board as of event seq, as its parts: the encoded
// project, the cards' places in board order, each card encoded on its own,
// and the cards compressed in runs, so a change re-encodes the cards it
// touched and recompresses their runs and nothing else. The whole JSON is
// kept only compressed; the rare reader without gzip gets it assembled
// anew.
type liveBoard struct {
	seq      int64
	project  []byte
	order    []models.BoardKey
	enc      map[int64][]byte
	encBytes int
	runs     []run
}

// run is consecutive cards of a board's JSON compressed on their own, with
// the comma before each card but the board's first. A run ends after a
// card whose id says so, about one card in 128: a card moved or added
// changes the run it lands in and the one it left, and the other runs stay
// the same cards, in the same order, so they are reused.
type run struct {
	ids   []int64
	first bool
	z     []byte // raw deflate, ended by a sync flush: runs concatenate
	crc   uint32 // of the run's JSON, n bytes long
	n     int
}

func endsRun(id int64) bool {
	return uint64(id)*0x9E3779B97F4A7C15>>57 == 0 //nolint:gosec // a hash: the bits are wanted, wrapped or not
}

// size is what an entry holds in memory, counted against the cache's bound.
func (e *boardEntry) size() int {
	n := len(e.raw) + len(e.gz)
	if lb := e.live; lb != nil {
		n += len(lb.project) + lb.encBytes + len(lb.order)*int(unsafe.Sizeof(models.BoardKey{}))
		// The runs' compressed bytes are counted once, in gz.
		n += len(lb.runs)*int(unsafe.Sizeof(run{})) + len(lb.order)*8
	}
	return n
}

// BoardCache holds recent snapshots up to a total size, least recently
// used out first. Each instance has its own: keys are exact, so instances
// never disagree.
type BoardCache struct {
	mu           sync.Mutex
	max          int
	size         int
	entries      map[boardKey]*boardEntry
	lru          *list.List
	hits, misses uint64
}

// NewBoardCache returns an empty cache that holds up to maxBytes of
// snapshots, encoded and compressed.
func NewBoardCache(maxBytes int) *BoardCache {
	return &BoardCache{max: maxBytes, entries: map[boardKey]*boardEntry{}, lru: list.New()}
}

// CacheStats is what operators watch: the bytes held against the bound,
// and how often a read found its snapshot.
type CacheStats struct {
	Bytes, MaxBytes int
	Hits, Misses    uint64
}

// Stats reports the cache's size and hit counts since start.
func (bc *BoardCache) Stats() CacheStats {
	bc.mu.Lock()
	defer bc.mu.Unlock()
	return CacheStats{Bytes: bc.size, MaxBytes: bc.max, Hits: bc.hits, Misses: bc.misses}
}

func (bc *BoardCache) get(k boardKey) *boardEntry {
	bc.mu.Lock()
	defer bc.mu.Unlock()
	e := bc.entries[k]
	if e != nil {
		bc.hits++
		bc.lru.MoveToFront(e.lruEntry)
	} else {
		bc.misses++
	}
	return e
}

// put keeps e, in place of an entry of the same key unless that one is of
// a later event: readers racing to bring a board up to date never set it
// back.
func (bc *BoardCache) put(e *boardEntry) {
	n := e.size()
	if n > bc.max/4 {
		return // one giant board must not flush every other
	}
	bc.mu.Lock()
	defer bc.mu.Unlock()
	if old, ok := bc.entries[e.key]; ok {
		if old == e || old.live == nil || e.live == nil || old.live.seq > e.live.seq {
			return
		}
		bc.remove(old)
	}
	e.lruEntry = bc.lru.PushFront(e)
	bc.entries[e.key] = e
	bc.size += n
	for bc.size > bc.max {
		bc.remove(bc.lru.Back().Value.(*boardEntry))
	}
}

func (bc *BoardCache) remove(e *boardEntry) {
	bc.lru.Remove(e.lruEntry)
	delete(bc.entries, e.key)
	bc.size -= e.size()
}

// boardDeltaMax is how many events a snapshot is brought forward by; after
// more, reading the whole board is as cheap.
const boardDeltaMax = 200

func (h *handler) board(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	a := actor(c)
	ctx := c.Request().Context()
	p, seq, err := h.store.BoardHead(ctx, a, id)
	if err != nil {
		return err
	}
	key := keyOf("board", id, a.IsStaff())
	project, err := json.Marshal(p)
	if err != nil {
		return err
	}
	e := h.boards.get(key)
	switch {
	case e == nil:
	case e.live.seq == seq && bytes.Equal(e.live.project, project):
	case e.live.seq == seq:
		e, err = assemble(key, &liveBoard{seq: seq, project: project, order: e.live.order, enc: e.live.enc, encBytes: e.live.encBytes}, e.live, nil)
	default:
		e, err = h.boardForward(c, a, id, key, e.live, seq, project)
	}
	if err != nil {
		return err
	}
	if e == nil {
		b, err := h.store.Board(ctx, a, id)
		if err != nil {
			return err
		}
		if e, err = newLiveBoard(key, b); err != nil {
			return err
		}
	}
	h.boards.put(e)
	return h.answerSnapshot(c, e)
}

// boardForward brings a snapshot from its event to seq by the cards the
// events between touched. It returns nil when the board is best read
// whole: too many events, or more came after seq, whose project fields the
// caller has not read (a socket resuming from the snapshot's number would
// then miss them).
func (h *handler) boardForward(c echo.Context, a models.Actor, id int64, key boardKey, old *liveBoard, seq int64, project []byte) (*boardEntry, error) {
	d, ok, err := h.store.BoardChanges(c.Request().Context(), a, id, old.seq, boardDeltaMax)
	if err != nil || !ok || d.Seq != seq {
		return nil, err
	}
	touched := make(map[int64]bool, len(d.Touched))
	for _, id := range d.Touched {
		touched[id] = true
	}
	lb := &liveBoard{seq: seq, project: project, order: make([]models.BoardKey, 0, len(old.order)+len(d.Cards)),
		enc: make(map[int64][]byte, len(old.enc)+len(d.Cards))}
	for _, k := range old.order {
		if !touched[k.ID] {
			lb.add(k, old.enc[k.ID])
		}
	}
	for _, t := range d.Cards {
		b, err := json.Marshal(t)
		if err != nil {
			return nil, err
		}
		lb.add(t.BoardKey(), b)
	}
	slices.SortFunc(lb.order, models.CompareBoard)
	return assemble(key, lb, old, touched)
}

func (lb *liveBoard) add(k models.BoardKey, enc []byte) {
	lb.order = append(lb.order, k)
	lb.enc[k.ID] = enc
	lb.encBytes += len(enc)
}

// newLiveBoard encodes a board read whole.
func newLiveBoard(key boardKey, b store.Board) (*boardEntry, error) {
	project, err := json.Marshal(b.Project)
	if err != nil {
		return nil, err
	}
	lb := &liveBoard{seq: b.Seq, project: project, order: make([]models.BoardKey, 0, len(b.Tasks)), enc: make(map[int64][]byte, len(b.Tasks))}
	for _, t := range b.Tasks {
		enc, err := json.Marshal(t)
		if err != nil {
			return nil, err
		}
		lb.add(t.BoardKey(), enc)
	}
	return assemble(key, lb, nil, nil)
}

// json is the snapshot, byte for byte what encoding store.Board whole
// gives: {"project":…,"seq":…,"tasks":[…]}.
func (lb *liveBoard) json() []byte {
	raw := make([]byte, 0, len(lb.project)+lb.encBytes+len(lb.order)+64)
	raw = append(raw, `{"project":`...)
	raw = append(raw, lb.project...)
	raw = append(raw, `,"seq":`...)
	raw = strconv.AppendInt(raw, lb.seq, 10)
	raw = append(raw, `,"tasks":[`...)
	for i, k := range lb.order {
		if i > 0 {
			raw = append(raw, ',')
		}
		raw = append(raw, lb.enc[k.ID]...)
	}
	return append(raw, "]}"...)
}

// assemble makes the cache entry of a board: its JSON compressed, as one
// gzip member whose deflate stream is the head, the runs and the tail.
// The runs of old that hold the same cards, none of them touched, are
// reused as they are.
func assemble(key boardKey, lb *liveBoard, old *liveBoard, touched map[int64]bool) (*boardEntry, error) {
	reuse := map[int64]*run{}
	if old != nil {
		for i := range old.runs {
			reuse[old.runs[i].ids[0]] = &old.runs[i]
		}
	}
	var z flateWriter
	head := make([]byte, 0, len(lb.project)+64)
	head = append(head, `{"project":`...)
	head = append(head, lb.project...)
	head = append(head, `,"seq":`...)
	head = strconv.AppendInt(head, lb.seq, 10)
	head = append(head, `,"tasks":[`...)
	gz := append(make([]byte, 0, lb.encBytes/8), gzipHeader...)
	gz = append(gz, z.deflate(false, head)...)
	crc := crc32.ChecksumIEEE(head)
	size := len(head)
	lb.runs = lb.runs[:0]
	for start := 0; start < len(lb.order); {
		end := start
		for end < len(lb.order)-1 && !endsRun(lb.order[end].ID) {
			end++
		}
		ids := make([]int64, 0, end-start+1)
		for _, k := range lb.order[start : end+1] {
			ids = append(ids, k.ID)
		}
		r := run{ids: ids, first: start == 0}
		if o := reuse[ids[0]]; o != nil && o.first == r.first && slices.Equal(o.ids, ids) && !anyTouched(ids, touched) {
			r.z, r.crc, r.n = o.z, o.crc, o.n
		} else {
			parts := lb.runJSON(r)
			r.z = z.deflate(false, parts...)
			for _, p := range parts {
				r.crc = crc32.Update(r.crc, crc32.IEEETable, p)
				r.n += len(p)
			}
		}
		crc = crc32Combine(crc, r.crc, r.n)
		size += r.n
		gz = append(gz, r.z...)
		lb.runs = append(lb.runs, r)
		start = end + 1
	}
	tail := []byte("]}")
	gz = append(gz, z.deflate(true, tail)...)
	crc = crc32.Update(crc, crc32.IEEETable, tail)
	size += len(tail)
	gz = binary.LittleEndian.AppendUint32(gz, crc)
	gz = binary.LittleEndian.AppendUint32(gz, uint32(size)) //nolint:gosec // gzip keeps the size modulo 2³²
	return &boardEntry{key: key, gz: gz, live: lb}, z.err
}

// gzipHeader starts a gzip member: deflate, no name, no time, fastest
// level, unknown system (as compress/gzip writes it).
var gzipHeader = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 4, 0xff}

var comma = []byte{','}

// crc32Combine is the CRC-32 of a then b, from their CRCs and b's length:
// zlib's crc32_combine, which multiplies crcA by x^(8·lenB) modulo the
// polynomial. It spares reading the runs a board reuses.
func crc32Combine(crcA, crcB uint32, lenB int) uint32 {
	p := uint32(1) << 31 // x^0, bits reflected as in crc32.IEEE

	for n, k := uint(lenB), 3; n != 0; n, k = n>>1, k+1 { //nolint:gosec // a length, never negative
		if n&1 != 0 {
			p = multModP(x2n[k&31], p)
		}
	}
	return multModP(p, crcA) ^ crcB
}

// x2n[k] is x^(2^k) modulo the polynomial.
var x2n = func() (t [32]uint32) {
	p := uint32(1) << 30 // x^1
	for k := range t {
		t[k] = p
		p = multModP(p, p)
	}
	return t
}()

// multModP multiplies a and b modulo the IEEE polynomial, bits reflected.
func multModP(a, b uint32) uint32 {
	var p uint32
	for m := uint32(1) << 31; m != 0; m >>= 1 {
		if a&m != 0 {
			p ^= b
		}
		if b&1 != 0 {
			b = b>>1 ^ crc32.IEEE
		} else {
			b >>= 1
		}
	}
	return p
}

func anyTouched(ids []int64, touched map[int64]bool) bool {
	for _, id := range ids {
		if touched[id] {
			return true
		}
	}
	return false
}

// runJSON is a run's part of the board's JSON, in pieces.
func (lb *liveBoard) runJSON(r run) [][]byte {
	parts := make([][]byte, 0, 2*len(r.ids))
	for i, id := range r.ids {
		if i > 0 || !r.first {
			parts = append(parts, comma)
		}
		parts = append(parts, lb.enc[id])
	}
	return parts
}

// flateWriter compresses pieces of one deflate stream, each on its own:
// a piece refers to nothing before it, so it can be reused in another
// stream. The first error is kept.
type flateWriter struct {
	w   *flate.Writer
	buf bytes.Buffer
	err error
}

func (f *flateWriter) deflate(last bool, parts ...[]byte) []byte {
	f.buf.Reset()
	if f.w == nil {
		f.w, f.err = flate.NewWriter(&f.buf, flate.BestSpeed)
		if f.err != nil {
			return nil
		}
	} else {
		f.w.Reset(&f.buf)
	}
	for _, p := range parts {
		if _, err := f.w.Write(p); err != nil && f.err == nil {
			f.err = err
		}
	}
	var err error
	if last {
		err = f.w.Close()
	} else {
		err = f.w.Flush()
	}
	if err != nil && f.err == nil {
		f.err = err
	}
	return bytes.Clone(f.buf.Bytes())
}

// teamBoard is cached the same way: it changes when one of the projects
// the actor sees gets an event, or the people, or the hour.
func (h *handler) teamBoard(c echo.Context) error {
	a := actor(c)
	ctx := c.Request().Context()
	head, err := h.store.TeamBoardHead(ctx, a)
	if err != nil {
		return err
	}
	e := h.boards.get(keyOf("team", head))
	if e == nil {
		b, err := h.store.TeamBoard(ctx, a, head)
		if err != nil {
			return err
		}
		tasks := b.Tasks
		b.Tasks = []models.Task{}
		key := keyOf("team", b)
		b.Tasks = tasks
		if e, err = encodeBoard(key, b); err != nil {
			return err
		}
		h.boards.put(e)
	}
	return h.answerSnapshot(c, e)
}

func (h *handler) answerSnapshot(c echo.Context, e *boardEntry) error {
	res := c.Response()
	res.Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	res.Header().Set("Vary", "Accept-Encoding")
	res.Header().Set("Cache-Control", "no-store")
	body := e.raw
	if strings.Contains(c.Request().Header.Get(echo.HeaderAcceptEncoding), "gzip") {
		res.Header().Set(echo.HeaderContentEncoding, "gzip")
		body = e.gz
	} else if e.live != nil {
		body = e.live.json()
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, body)
}

func encodeBoard(k boardKey, b any) (*boardEntry, error) {
	raw, err := json.Marshal(b)
	if err != nil {
		return nil, err
	}
	gz, err := compress(raw)
	if err != nil {
		return nil, err
	}
	return &boardEntry{key: k, raw: raw, gz: gz}, nil
}

func compress(raw []byte) ([]byte, error) {
	var buf bytes.Buffer
	// The fastest level: a busy board is compressed after every change, and
	// the time saved matters more than the last third of the size.
	// klauspost/compress does this about five times as fast as the standard
	// library, smaller too (1.2 MB of board: 4 ms against 22).
	buf.Grow(len(raw) / 16)
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if _, err := zw.Write(raw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
