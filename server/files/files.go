// Package files keeps the bytes of attachments in a gocloud.dev/blob
// bucket: a folder on disk by default, an S3-compatible bucket that every
// instance shares when configured. It sniffs what an upload really is,
// streams files in and out without holding them in memory, and makes the
// thumbnails of images.
package files

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // decoders for the thumbnails of inline images
	_ "image/jpeg"
	"image/png"
	"io"
	"path/filepath"

	"github.com/disintegration/imaging"
	"github.com/gabriel-vasile/mimetype"
	"gocloud.dev/blob"
	"gocloud.dev/blob/fileblob"
	_ "gocloud.dev/blob/s3blob" // DOSKA_BLOB_URL=s3://…
	"gocloud.dev/gcerrors"
	_ "golang.org/x/image/webp"
	"golang.org/x/sync/singleflight"

	"github.com/doska/doska/models"
)

// SniffBytes is how much of a file decides its type.
const SniffBytes = 3 << 10

// ThumbSize is the largest side of a thumbnail, in pixels: twice the size
// shown, for sharp screens.
const ThumbSize = 320

// maxThumbPixels refuses thumbnails of images that would take more memory
// to decode than a server should spend on one (a decompression bomb is a
// few kilobytes that decode to gigabytes): 40 megapixels is 160 MB.
const maxThumbPixels = 40_000_000

var (
	// ErrTooLarge is an upload over its limit; nothing of it is kept.
	ErrTooLarge = errors.New("files: file too large")
	// ErrNoThumbnail says that an image has no thumbnail (too big, broken).
	ErrNoThumbnail = errors.New("files: no thumbnail")
	// ErrNotFound is a key with no blob.
	ErrNotFound = errors.New("files: not found")
)

// Bucket holds the files.
type Bucket struct {
	b      *blob.Bucket
	thumbs singleflight.Group
	// decoding is a slot per image being decoded at once, so that a burst
	// of thumbnails of large images does not take the memory of all of
	// them together.
	decoding chan struct{}
}

// Open opens the bucket named by url (gocloud.dev's URLs: s3://bucket?…),
// or without one a folder "files" in the data folder.
func Open(ctx context.Context, url, dataDir string) (*Bucket, error) {
	if url != "" {
		b, err := blob.OpenBucket(ctx, url)
		if err != nil {
			return nil, fmt.Errorf("DOSKA_BLOB_URL: %w", err)
		}
		return New(b), nil
	}
	// Temporary files next to the final ones: os.Rename cannot cross from
	// /tmp to another file system. The type is in the database, so no
	// metadata files are written.
	b, err := fileblob.OpenBucket(filepath.Join(dataDir, "files"), &fileblob.Options{CreateDir: true, NoTempDir: true, Metadata: fileblob.MetadataDontWrite})
	if err != nil {
		return nil, fmt.Errorf("files: %w", err)
	}
	return New(b), nil
}

// New wraps an open bucket.
func New(b *blob.Bucket) *Bucket { return &Bucket{b: b, decoding: make(chan struct{}, 2)} }

// Close closes the bucket.
func (b *Bucket) Close() error { return b.b.Close() }

// NewKey makes up the name of a new file: random, so nobody can guess it
// or steer it into a path.
func NewKey() string {
	var r [16]byte
	_, _ = rand.Read(r[:])
	return "attachments/" + hex.EncodeToString(r[:])
}

// Stored is what an upload turned out to be.
type Stored struct {
	Size        int64
	ContentType string // sniffed from the bytes, never the sender's word
}

// Put streams r into the blob at key, at most limit bytes. The type comes
// from the first SniffBytes. A failed or oversized upload leaves no blob.
func (b *Bucket) Put(ctx context.Context, key string, r io.Reader, limit int64) (Stored, error) {
	br := bufio.NewReaderSize(r, SniffBytes)
	head, err := br.Peek(SniffBytes)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return Stored{}, fmt.Errorf("files: read upload: %w", err)
	}
	st := Stored{ContentType: mimetype.Detect(head).String()}
	// Cancelling the context before Close aborts the write.
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// One S3 part in flight at a time: memory per upload stays at one part.
	w, err := b.b.NewWriter(wctx, key, &blob.WriterOptions{ContentType: st.ContentType, MaxConcurrency: 1})
	if err != nil {
		return st, fmt.Errorf("files: write %s: %w", key, err)
	}
	st.Size, err = io.Copy(w, io.LimitReader(br, limit+1))
	if err == nil && st.Size > limit {
		err = ErrTooLarge
	}
	if err != nil {
		cancel()
		_ = w.Close()
		return st, fmt.Errorf("files: write %s: %w", key, err)
	}
	if err := w.Close(); err != nil {
		return st, fmt.Errorf("files: write %s: %w", key, err)
	}
	return st, nil
}

// Open reads the blob at key.
func (b *Bucket) Open(ctx context.Context, key string) (*blob.Reader, error) {
	r, err := b.b.NewReader(ctx, key, nil)
	if gcerrors.Code(err) == gcerrors.NotFound {
		return nil, fmt.Errorf("files: %s: %w", key, ErrNotFound)
	}
	return r, err
}

// Delete removes the blobs of the keys with their thumbnails; one already
// gone is no error.
func (b *Bucket) Delete(ctx context.Context, keys ...string) error {
	for _, k := range keys {
		for _, name := range []string{k, thumbKey(k)} {
			if err := b.b.Delete(ctx, name); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
				return fmt.Errorf("files: delete %s: %w", name, err)
			}
		}
	}
	return nil
}

func thumbKey(key string) string { return "thumbnails/" + key }

// Thumbnail reads the PNG thumbnail of the image at key, making it on
// first use and keeping it in the bucket: most files are never looked at,
// and an upload is answered sooner without it.
func (b *Bucket) Thumbnail(ctx context.Context, key string) (*blob.Reader, error) {
	r, err := b.Open(ctx, thumbKey(key))
	if !errors.Is(err, ErrNotFound) {
		return r, err
	}
	// Several readers of a new image wait for one decoding.
	_, err, _ = b.thumbs.Do(key, func() (any, error) { return nil, b.makeThumbnail(context.WithoutCancel(ctx), key) })
	if err != nil {
		return nil, err
	}
	return b.Open(ctx, thumbKey(key))
}

func (b *Bucket) makeThumbnail(ctx context.Context, key string) error {
	select {
	case b.decoding <- struct{}{}:
		defer func() { <-b.decoding }()
	case <-ctx.Done():
		return ctx.Err()
	}
	r, err := b.Open(ctx, key)
	if err != nil {
		return err
	}
	defer r.Close()
	// The header first: its size decides whether to decode at all.
	var head bytes.Buffer
	cfg, _, err := image.DecodeConfig(io.TeeReader(r, &head))
	if err != nil || cfg.Width*cfg.Height > maxThumbPixels || cfg.Width <= 0 || cfg.Height <= 0 {
		return fmt.Errorf("files: thumbnail of %s: %w", key, ErrNoThumbnail)
	}
	img, _, err := image.Decode(io.MultiReader(&head, r))
	if err != nil {
		return fmt.Errorf("files: thumbnail of %s: %w: %w", key, ErrNoThumbnail, err)
	}
	thumb := imaging.Fit(img, ThumbSize, ThumbSize, imaging.Box)
	w, err := b.b.NewWriter(ctx, thumbKey(key), &blob.WriterOptions{ContentType: "image/png"})
	if err != nil {
		return fmt.Errorf("files: thumbnail of %s: %w", key, err)
	}
	if err := png.Encode(w, thumb); err != nil {
		_ = w.Close()
		return fmt.Errorf("files: thumbnail of %s: %w", key, err)
	}
	return w.Close()
}

// Inline tells whether a file of this sniffed type is shown in the page.
func Inline(contentType string) bool { return models.InlineImage(contentType) }

// Trash is the store's side of the sweep.
type Trash interface {
	SweepUploads(ctx context.Context) error
	PurgeBlobs(ctx context.Context, del func(keys []string) error) error
}

// Sweep deletes the uploads never attached and then the blobs of every
// deleted attachment. It is safe on several instances at once.
func Sweep(ctx context.Context, t Trash, b *Bucket) error {
	if err := t.SweepUploads(ctx); err != nil {
		return err
	}
	return b.Purge(ctx, t)
}

// Purge deletes the blobs of the attachments deleted so far.
func (b *Bucket) Purge(ctx context.Context, t Trash) error {
	return t.PurgeBlobs(ctx, func(keys []string) error { return b.Delete(ctx, keys...) })
}
