package api

import (
	"bytes"
	"compress/gzip"
	"container/list"
	"crypto/sha256"
	"encoding/json"
	"net/http"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/doska/doska/models"
)

// The board snapshot is the heaviest read: a 2,000-card board is over a
// megabyte of JSON, and encoding and compressing it costs far more than
// reading it. Every change to a board's cards appends an event, so a
// snapshot is fully named by the project, its event number, the audience
// (staff or client) and the project's own fields. Snapshots are kept
// encoded and compressed, and answered from memory while nothing changed.

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

func (bc *BoardCache) put(e *boardEntry) {
	n := len(e.raw) + len(e.gz)
	if n > bc.max/4 {
		return // one giant board must not flush every other
	}
	bc.mu.Lock()
	defer bc.mu.Unlock()
	if _, ok := bc.entries[e.key]; ok {
		return
	}
	e.lruEntry = bc.lru.PushFront(e)
	bc.entries[e.key] = e
	bc.size += n
	for bc.size > bc.max {
		old := bc.lru.Remove(bc.lru.Back()).(*boardEntry)
		delete(bc.entries, old.key)
		bc.size -= len(old.raw) + len(old.gz)
	}
}

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
	e := h.boards.get(keyOf("board", seq, a.IsStaff(), p))
	if e == nil {
		b, err := h.store.Board(ctx, a, id)
		if err != nil {
			return err
		}
		if e, err = encodeBoard(keyOf("board", b.Seq, a.IsStaff(), b.Project), b); err != nil {
			return err
		}
		h.boards.put(e)
	}
	return h.answerSnapshot(c, e)
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
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, body)
}

func encodeBoard(k boardKey, b any) (*boardEntry, error) {
	raw, err := json.Marshal(b)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	// The fastest level: a busy board is rebuilt after every change, and
	// the time saved matters more than the last third of the size.
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if _, err := zw.Write(raw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return &boardEntry{key: k, raw: raw, gz: buf.Bytes()}, nil
}
