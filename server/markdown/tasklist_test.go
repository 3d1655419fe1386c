package markdown

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var box = regexp.MustCompile(`<input[^>]*>`)

// TestTaskListsKeepTheirBoxes renders GFM task lists as checkboxes that
// name where their "[" is in the source, and nothing else as an input.
func TestTaskListsKeepTheirBoxes(t *testing.T) {
	t.Parallel()
	src := "Checklist for «Hero»:\n\n- [x] Hero approved\n- [ ] Copy **final**\n  - [X] nested\n\n1. [ ] numbered\n\n```\n- [ ] in code\n```\n"
	out := New().Render(src, nil)
	boxes := box.FindAllString(out, -1)
	if len(boxes) != 4 {
		t.Fatalf("%d boxes in %q, want 4", len(boxes), out)
	}
	checked := []bool{true, false, true, false}
	for i, b := range boxes {
		if !strings.Contains(b, `type="checkbox"`) || !strings.Contains(b, `disabled=""`) {
			t.Errorf("box %d = %s: want a disabled checkbox", i, b)
		}
		if got := strings.Contains(b, `checked=""`); got != checked[i] {
			t.Errorf("box %d = %s: checked %v, want %v", i, b, got, checked[i])
		}
		m := regexp.MustCompile(`data-task-at="(\d+)"`).FindStringSubmatch(b)
		if m == nil {
			t.Fatalf("box %d = %s: no data-task-at", i, b)
		}
		at, _ := strconv.Atoi(m[1])
		if mark := src[at : at+3]; mark != "[x]" && mark != "[ ]" && mark != "[X]" {
			t.Errorf("box %d points at %q, want its [ ] in the source", i, mark)
		}
	}
	if strings.Contains(out, "[x] Hero") || !strings.Contains(out, "- [ ] in code") {
		t.Errorf("the marker stays as text or code lost its text: %q", out)
	}
}

// TestOnlyTaskBoxesSurviveSanitizing: an input that the markdown did not
// make as a task box (pasted HTML is escaped anyway) is dropped, and no
// attribute but the box's own stays.
func TestOnlyTaskBoxesSurviveSanitizing(t *testing.T) {
	t.Parallel()
	p := New().policy
	for in, want := range map[string]string{
		`<input type="text" value="x">`:                                "",
		`<input type="password">`:                                      "",
		`<input type="checkbox" onclick="alert(1)" name="a" form="f">`: `<input type="checkbox">`,
		`<input type="checkbox" checked="" data-task-at="12x">`:        `<input type="checkbox" checked="">`,
		`<input type="checkbox" disabled="" data-task-at="7">`:         `<input type="checkbox" disabled="" data-task-at="7">`,
		`<input type="image" src="x" onerror="alert(1)">`:              "",
		`<button formaction="javascript:alert(1)">x</button>`:          "x",
	} {
		if got := p.Sanitize(in); got != want {
			t.Errorf("Sanitize(%s) = %q, want %q", in, got, want)
		}
	}
	out := New().Render(`<input type="checkbox" checked> - [ ] <input type=text>`, nil)
	if strings.Contains(out, "<input") {
		t.Errorf("raw HTML inputs must stay text: %q", out)
	}
}
