package pgcluster

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestMemorySettings(t *testing.T) {
	const gb = 1 << 30
	for _, c := range []struct {
		total uint64
		want  []string
	}{
		{0, []string{"-c", "shared_buffers=128MB", "-c", "effective_cache_size=128MB"}},
		{256 << 20, []string{"-c", "shared_buffers=128MB", "-c", "effective_cache_size=128MB"}},
		{2 * gb, []string{"-c", "shared_buffers=512MB", "-c", "effective_cache_size=1024MB"}},
		{24 * gb, []string{"-c", "shared_buffers=6144MB", "-c", "effective_cache_size=12288MB"}},
		{256 * gb, []string{"-c", "shared_buffers=8192MB", "-c", "effective_cache_size=131072MB"}},
	} {
		if got := memorySettings(c.total); !slices.Equal(got, c.want) {
			t.Errorf("memorySettings(%d) = %v, want %v", c.total, got, c.want)
		}
	}
}

// A durable cluster (make run's, the bench's) runs with its caches sized
// from the machine, not initdb's 128 MB.
func TestDurableClusterSizesMemory(t *testing.T) {
	dir, err := os.MkdirTemp("", "doska-pgcluster")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	_ = os.Chmod(dir, 0o755) // the server runs as another user when tests run as root
	ctx := context.Background()
	c, err := Start(ctx, Options{Dir: filepath.Join(dir, "pg"), Durable: true})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := c.Stop(); err != nil {
			t.Error(err)
		}
	}()
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	want := memorySettings(totalMemory())
	for i, name := range []string{"shared_buffers", "effective_cache_size"} {
		// PostgreSQL shows a whole number of GB as such: compare in MB.
		var mb int64
		if err := conn.QueryRow(ctx, "SELECT pg_size_bytes(current_setting($1)) >> 20", name).Scan(&mb); err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprintf("%s=%dMB", name, mb); got != want[2*i+1] {
			t.Errorf("%s, want %s", got, want[2*i+1])
		}
	}
}
