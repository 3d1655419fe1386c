package markdown

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
)

var handler = regexp.MustCompile(`<[^>]*\son[a-z]+\s*=`)

func TestRenderSanitizes(t *testing.T) {
	t.Parallel()
	r := New()
	payloads := []string{
		`<script>alert(1)</script>`,
		`<img src=x onerror=alert(1)>`,
		`[click](javascript:alert(1))`,
		`[click]( JaVaScRiPt:alert(1))`,
		`[x](data:text/html,<script>alert(1)</script>)`,
		`<a href="javascript:alert(1)">x</a>`,
		`<svg onload=alert(1)>`,
		`<iframe src="https://evil.example"></iframe>`,
		"```html\n<script>alert(1)</script>\n```",
		`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
		`![x](https://example.com/a.png" onerror="alert(1))`,
	}
	for _, p := range payloads {
		out := strings.ToLower(r.Render(p, nil))
		if handler.MatchString(out) {
			t.Errorf("Render(%q) = %q: an element has an event handler", p, out)
		}
		for _, bad := range []string{"<script", `href="javascript:`, `src="javascript:`, "<iframe", `="data:text/html`, "<svg", "<style", "<math"} {
			if strings.Contains(out, bad) {
				t.Errorf("Render(%q) = %q: contains %q", p, out, bad)
			}
		}
	}
}

func TestRenderLinksOpenSafely(t *testing.T) {
	t.Parallel()
	out := New().Render("see [site](https://example.com) and <https://acme.test>", nil)
	for _, want := range []string{`href="https://example.com"`, `rel="nofollow noreferrer noopener"`, `target="_blank"`} {
		if !strings.Contains(out, want) {
			t.Errorf("%q lacks %s", out, want)
		}
	}
}

func TestRenderTaskReferences(t *testing.T) {
	t.Parallel()
	r := New()
	visible := map[int64]string{12: "Fix the menu", 7: "Logo"}
	out := r.Render("Blocked by #12 and #13, see `#7` or [#7](https://x.test) and #7.", visible)
	if !strings.Contains(out, `<a href="/t/12" title="Fix the menu" class="task-ref"`) || !strings.Contains(out, `>#12</a>`) {
		t.Errorf("#12 must become a link: %s", out)
	}
	if strings.Contains(out, `/t/13`) {
		t.Errorf("#13 is not visible and must stay text: %s", out)
	}
	if !strings.Contains(out, "<code>#7</code>") || strings.Count(out, `href="/t/7"`) != 1 {
		t.Errorf("#7 in code or an existing link stays as it is; the bare one links: %s", out)
	}
	if !strings.HasSuffix(strings.TrimSpace(out), `#7</a>.</p>`) {
		t.Errorf("text after the last reference is kept: %s", out)
	}
}

func TestTaskNumbers(t *testing.T) {
	t.Parallel()
	got := TaskNumbers("fixes #12, #12 again, issue#5, &#39; and #0", "also #7")
	if want := []int64{12, 7}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestRawHTMLShownAsText(t *testing.T) {
	t.Parallel()
	r := New()
	out := r.Render("Paste: <b>bold</b> here\n\n<div class=\"x\">\n<script>alert(1)</script>\n</div>\n", nil)
	for _, want := range []string{"&lt;b&gt;bold&lt;/b&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;div class=&#34;x&#34;&gt;"} {
		if !strings.Contains(out, want) {
			t.Errorf("%q: missing %s", out, want)
		}
	}
	if strings.Contains(out, "<script") || strings.Contains(out, "<b>") {
		t.Errorf("raw HTML rendered: %s", out)
	}
}
