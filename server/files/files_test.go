package files_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"strings"
	"testing"

	"github.com/doska/doska/server/files"
	"github.com/doska/doska/server/files/s3test"
)

// backends are both places files can live: a folder on the real file
// system (the default) and an S3 bucket over the protocol.
func backends(t *testing.T) map[string]*files.Bucket {
	t.Helper()
	disk, err := files.Open(context.Background(), "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { disk.Close() })
	return map[string]*files.Bucket{"file system": disk, "s3": s3test.Bucket(t)}
}

func pngOf(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, x%h, color.NRGBA{R: 200, A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func read(t *testing.T, b *files.Bucket, key string) []byte {
	t.Helper()
	r, err := b.Open(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestPutSniffsStoresAndDeletes(t *testing.T) {
	ctx := context.Background()
	for name, b := range backends(t) {
		t.Run(name, func(t *testing.T) {
			shot := pngOf(t, 1200, 800)
			key := files.NewKey()
			st, err := b.Put(ctx, key, bytes.NewReader(shot), 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			if st.ContentType != "image/png" || st.Size != int64(len(shot)) {
				t.Errorf("stored %+v, want image/png of %d bytes", st, len(shot))
			}
			if got := read(t, b, key); !bytes.Equal(got, shot) {
				t.Errorf("read back %d bytes, want the %d written", len(got), len(shot))
			}

			r, err := b.Thumbnail(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			thumb, _, err := image.Decode(r)
			r.Close()
			if err != nil {
				t.Fatal(err)
			}
			if bd := thumb.Bounds(); bd.Dx() != files.ThumbSize || bd.Dy() != files.ThumbSize*800/1200 {
				t.Errorf("thumbnail is %v, want %dx%d", bd, files.ThumbSize, files.ThumbSize*2/3)
			}

			// HTML is HTML whatever the file is called.
			page := "<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"
			hkey := files.NewKey()
			if st, err = b.Put(ctx, hkey, strings.NewReader(page), 1<<20); err != nil || !strings.HasPrefix(st.ContentType, "text/html") {
				t.Errorf("HTML stored as %q (%v)", st.ContentType, err)
			}
			if _, err := b.Thumbnail(ctx, hkey); !errors.Is(err, files.ErrNoThumbnail) {
				t.Errorf("thumbnail of HTML: %v, want ErrNoThumbnail", err)
			}

			if err := b.Delete(ctx, key, hkey, "attachments/never-written"); err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{key, hkey} {
				if _, err := b.Open(ctx, k); !errors.Is(err, files.ErrNotFound) {
					t.Errorf("%s after Delete: %v, want ErrNotFound", k, err)
				}
			}
			// The thumbnail went with its image: a new one would be made.
			if _, err := b.Thumbnail(ctx, key); !errors.Is(err, files.ErrNotFound) {
				t.Errorf("thumbnail after Delete: %v, want ErrNotFound", err)
			}
		})
	}
}

func TestPutOverTheLimitLeavesNothing(t *testing.T) {
	ctx := context.Background()
	for name, b := range backends(t) {
		t.Run(name, func(t *testing.T) {
			key := files.NewKey()
			_, err := b.Put(ctx, key, bytes.NewReader(make([]byte, 64<<10+1)), 64<<10)
			if !errors.Is(err, files.ErrTooLarge) {
				t.Fatalf("Put over the limit: %v, want ErrTooLarge", err)
			}
			if _, err := b.Open(ctx, key); !errors.Is(err, files.ErrNotFound) {
				t.Errorf("a refused upload left a blob: %v", err)
			}
			if st, err := b.Put(ctx, key, bytes.NewReader(make([]byte, 64<<10)), 64<<10); err != nil || st.Size != 64<<10 {
				t.Errorf("Put of exactly the limit: %+v, %v", st, err)
			}
		})
	}
}

// A picture over 40 megapixels is not decoded: a few kilobytes of PNG can
// claim a size whose pixels take gigabytes. This one is 48 megapixels of
// black in 50 KB.
func TestThumbnailRefusesHugePictures(t *testing.T) {
	ctx := context.Background()
	b := backends(t)["file system"]
	var huge bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&huge, image.NewGray(image.Rect(0, 0, 8000, 6000))); err != nil {
		t.Fatal(err)
	}
	key := files.NewKey()
	if _, err := b.Put(ctx, key, &huge, 1<<20); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Thumbnail(ctx, key); !errors.Is(err, files.ErrNoThumbnail) {
		t.Errorf("thumbnail of a 48-megapixel PNG: %v, want ErrNoThumbnail", err)
	}
}
