// Package s3test serves an S3-compatible bucket from memory inside the test
// process (gofakes3), so the S3 path of the attachment store is tested over
// the real protocol.
package s3test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/doska/doska/server/files"
)

// URL starts an S3 server for the test and returns a DOSKA_BLOB_URL for
// an empty bucket on it.
func URL(t testing.TB) string {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket("doska"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	return "s3://doska?endpoint=" + srv.URL + "&region=us-east-1&use_path_style=true&anonymous=true"
}

// Bucket opens a fresh S3 bucket for the test.
func Bucket(t testing.TB) *files.Bucket {
	t.Helper()
	b, err := files.Open(context.Background(), URL(t), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}
