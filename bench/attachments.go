package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// attachments uploads a 5 MB screenshot at concurrency 8, then reads the
// thumbnail of each (made on the first read), and reports the server's
// memory before and after: files stream, so it must stay flat however big
// and however many they are.
func attachments(ctx context.Context, e *benchEnv) ([]Result, error) {
	_, ids, err := e.project(ctx, "Attachments", 8, 5)
	if err != nil {
		return nil, err
	}
	shot, err := noisePNG(5 << 20)
	if err != nil {
		return nil, err
	}
	time.Sleep(time.Second)
	before, err := e.rssMB()
	if err != nil {
		return nil, err
	}
	var (
		mu    sync.Mutex
		files []int64
	)
	up := measure(ctx, 8, e.pick(32, 160), 60*time.Second, func(w, i int) error {
		id, err := e.upload(ids[i%len(ids)], shot)
		mu.Lock()
		files = append(files, id)
		mu.Unlock()
		return err
	})
	up.Scenario, up.Variant, up.Size, up.Bytes = "attach", "upload 5 MB", 1, len(shot)
	thumbs := measure(ctx, 8, len(files), 60*time.Second, func(w, i int) error {
		_, err := e.get(fmt.Sprintf("/api/attachments/%d/thumbnail", files[i]), false)
		return err
	})
	thumbs.Scenario, thumbs.Variant, thumbs.Size = "attach", "thumbnail, first read", 1
	after, err := e.rssMB()
	if err != nil {
		return nil, err
	}
	thumbs.RSSMB = after
	thumbs.Note = fmt.Sprintf("RSS before %.0f MB, after %d uploads of %.1f MB and their thumbnails %.0f MB",
		before, len(files), float64(len(shot))/(1<<20), after)
	return []Result{up, thumbs}, nil
}

// noisePNG is a PNG of random pixels of about size bytes: noise does not
// compress, so the file is as big as its pixels.
func noisePNG(size int) ([]byte, error) {
	side := 1
	for side*side*4 < size {
		side++
	}
	img := image.NewNRGBA(image.Rect(0, 0, side, side))
	r := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = byte(r.Uint32())
	}
	var buf bytes.Buffer
	err := png.Encode(&buf, img)
	return buf.Bytes(), err
}

// upload sends a file onto a card and returns its attachment's id.
func (e *benchEnv) upload(task int64, file []byte) (int64, error) {
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/tasks/%d/attachments?name=screenshot.png", e.base, task), bytes.NewReader(file))
	req.Header.Set("Authorization", "Bearer "+e.token)
	res, err := e.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, err
	}
	if res.StatusCode != http.StatusCreated {
		return 0, fmt.Errorf("upload: %d %s", res.StatusCode, body)
	}
	var at struct{ ID int64 }
	return at.ID, json.Unmarshal(body, &at)
}
