package api

import (
	"bytes"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// spa serves the built single-page app: hashed assets cached for a year,
// index.html never cached, and index.html for every other GET path so that
// client-side routes survive a reload.
func spa(e *echo.Echo, dist fs.FS) {
	built := dist != nil
	if built {
		if _, err := fs.Stat(dist, "index.html"); err != nil {
			built = false
		}
	}
	e.GET("/*", func(c echo.Context) error {
		if !built {
			return c.String(http.StatusServiceUnavailable, "frontend not built: run make frontend (or make run)\n")
		}
		name := strings.TrimPrefix(path.Clean("/"+c.Param("*")), "/")
		if name != "" && name != "index.html" {
			if fi, err := fs.Stat(dist, name); err == nil && !fi.IsDir() {
				if strings.HasPrefix(name, "assets/") {
					c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
				}
				return serveFile(c, dist, name)
			}
			if path.Ext(name) != "" {
				return echo.ErrNotFound
			}
		}
		c.Response().Header().Set("Cache-Control", "no-cache")
		return serveFile(c, dist, "index.html")
	})
}

func serveFile(c echo.Context, dist fs.FS, name string) error {
	b, err := fs.ReadFile(dist, name)
	if err != nil {
		return echo.ErrNotFound
	}
	http.ServeContent(c.Response(), c.Request(), name, time.Time{}, bytes.NewReader(b))
	return nil
}
