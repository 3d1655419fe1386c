// Package markdown renders the markdown people write in Doska (task
// descriptions, comments, workshop notes) into HTML that is safe to show:
// raw HTML is not rendered, the output is sanitized, links open safely,
// and "#123" links to a task only for a reader who can see it.
package markdown

import (
	"bytes"
	"html"
	"regexp"
	"strconv"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Renderer turns markdown into sanitized HTML. It is safe for concurrent use.
type Renderer struct {
	policy *bluemonday.Policy
}

// New returns a Renderer.
func New() *Renderer {
	p := bluemonday.UGCPolicy()
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^task-ref$`)).OnElements("a")
	// Task list boxes, and nothing else an input could be: an input keeps
	// only these attributes, and one without a type is dropped.
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.AllowAttrs("checked", "disabled").Matching(regexp.MustCompile(`^$`)).OnElements("input")
	p.AllowAttrs("data-task-at").Matching(regexp.MustCompile(`^[0-9]{1,9}$`)).OnElements("input")
	return &Renderer{policy: p}
}

var taskRef = regexp.MustCompile(`(^|[^\w&#/])#([1-9][0-9]{0,17})\b`)

// TaskNumbers returns the task numbers a text mentions as #123, so the
// caller can find out which of them the reader may see.
func TaskNumbers(src ...string) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, s := range src {
		for _, m := range taskRef.FindAllStringSubmatch(s, 200) {
			n, err := strconv.ParseInt(m[2], 10, 64)
			if err == nil && !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out
}

// Render converts src to safe HTML. visible maps the task numbers the
// reader may see to their titles; other #numbers stay plain text, so a
// link never reveals that a hidden task exists.
func (r *Renderer) Render(src string, visible map[int64]string) string {
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(refLinker{visible}, 500))),
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(escapedHTML{}, 100), util.Prioritized(taskBox{}, 100))),
	)
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		return r.policy.Sanitize("<p>" + src + "</p>")
	}
	return r.policy.Sanitize(buf.String())
}

// refLinker replaces "#123" in text (not in code or existing links) with
// a link to the task.
type refLinker struct {
	visible map[int64]string
}

func (l refLinker) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	if len(l.visible) == 0 {
		return
	}
	source := reader.Source()
	var texts []*ast.Text
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.Kind() {
		case ast.KindLink, ast.KindAutoLink, ast.KindCodeSpan, ast.KindCodeBlock, ast.KindFencedCodeBlock, ast.KindHTMLBlock, ast.KindRawHTML:
			return ast.WalkSkipChildren, nil
		case ast.KindText:
			texts = append(texts, n.(*ast.Text))
		}
		return ast.WalkContinue, nil
	})
	for _, t := range texts {
		l.link(t, source)
	}
}

func (l refLinker) link(t *ast.Text, source []byte) {
	seg := t.Segment
	value := seg.Value(source)
	matches := taskRef.FindAllSubmatchIndex(value, -1)
	if len(matches) == 0 {
		return
	}
	parent := t.Parent()
	start := 0
	var last ast.Node = t
	insert := func(n ast.Node) {
		parent.InsertAfter(parent, last, n)
		last = n
	}
	for _, m := range matches {
		numStart, numEnd := m[4], m[5]
		n, err := strconv.ParseInt(string(value[numStart:numEnd]), 10, 64)
		if _, ok := l.visible[n]; err != nil || !ok {
			continue
		}
		hashAt := numStart - 1
		if hashAt > start {
			insert(ast.NewTextSegment(text.NewSegment(seg.Start+start, seg.Start+hashAt)))
		}
		link := ast.NewLink()
		link.Destination = []byte("/t/" + strconv.FormatInt(n, 10))
		link.Title = []byte(l.visible[n])
		link.SetAttributeString("class", []byte("task-ref"))
		link.AppendChild(link, ast.NewTextSegment(text.NewSegment(seg.Start+hashAt, seg.Start+numEnd)))
		insert(link)
		start = numEnd
	}
	if start == 0 {
		return
	}
	if start < len(value) {
		rest := ast.NewTextSegment(text.NewSegment(seg.Start+start, seg.Stop))
		rest.SetSoftLineBreak(t.SoftLineBreak())
		rest.SetHardLineBreak(t.HardLineBreak())
		insert(rest)
	}
	parent.RemoveChild(parent, t)
}

// escapedHTML shows raw HTML in markdown as the text that was typed: people
// paste snippets into tickets, and dropping them silently would lose what
// they wrote. It is escaped, never rendered.
type escapedHTML struct{}

func (escapedHTML) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, func(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			segs := n.(*ast.RawHTML).Segments
			for i := range segs.Len() {
				seg := segs.At(i)
				_, _ = w.WriteString(html.EscapeString(string(seg.Value(source))))
			}
		}
		return ast.WalkSkipChildren, nil
	})
	reg.Register(ast.KindHTMLBlock, func(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		b := n.(*ast.HTMLBlock)
		if !entering {
			if b.HasClosure() {
				_, _ = w.WriteString(html.EscapeString(string(b.ClosureLine.Value(source))))
			}
			_, _ = w.WriteString("</p>\n")
			return ast.WalkContinue, nil
		}
		_, _ = w.WriteString("<p>")
		for i := range b.Lines().Len() {
			line := b.Lines().At(i)
			_, _ = w.WriteString(html.EscapeString(string(line.Value(source))))
		}
		return ast.WalkContinue, nil
	})
}

// taskBox renders a task list item's box ("- [x] Hero approved") with the
// byte offset of its "[" in the source as data-task-at, so that ticking it
// on the card changes exactly that box's markdown. Boxes are rendered
// disabled: the page enables them for the people who may edit the card.
type taskBox struct{}

func (taskBox) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(east.KindTaskCheckBox, func(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		_, _ = w.WriteString(`<input type="checkbox" disabled=""`)
		if n.(*east.TaskCheckBox).IsChecked {
			_, _ = w.WriteString(` checked=""`)
		}
		// The box is parsed from the first line of its list item's text.
		if lines := n.Parent().Lines(); lines.Len() > 0 {
			if at := lines.At(0).Start; at < len(source) && source[at] == '[' {
				_, _ = w.WriteString(` data-task-at="` + strconv.Itoa(at) + `"`)
			}
		}
		_, _ = w.WriteString("> ")
		return ast.WalkContinue, nil
	})
}
