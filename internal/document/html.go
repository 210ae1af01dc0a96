package document

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	cg "github.com/commissioning-graph/cgraph/internal/commissioning"
)

var metaCharset = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)`)

// readHTML decodes the page, picks its main content (ModernGov's #modgov or
// .mgContent, else <main>, else the body) and writes its text with one
// line per block, leaving out scripts, styles, navigation, menus, forms
// and footers.
func readHTML(d *Document, data []byte) error {
	declared := ""
	head := data[:min(len(data), 4096)]
	if m := metaCharset.FindSubmatch(head); m != nil {
		declared = string(m[1])
	}
	if !hasUTF16BOM(data) && strings.Count(string(data[:min(len(data), 8192)]), "\x00") > 0 {
		return cg.Errorf(cg.EINVALID, "%s looks binary, not html", d.Name)
	}
	s, err := decode(data, declared)
	if err != nil {
		return cg.Errorf(cg.EINVALID, "%s: %v", d.Name, err)
	}
	root, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return cg.Errorf(cg.EINVALID, "%s: parse html: %v", d.Name, err)
	}
	if d.URL == "" {
		d.URL = canonical(root)
	}
	main := mainContent(root)
	var w textWriter
	w.walk(main)
	d.Text = tidyLines(w.b.String())
	if h1 := findFirst(main, atom.H1); h1 != nil {
		d.Title = strings.Join(strings.Fields(nodeText(h1)), " ")
	}
	// ModernGov's h1 is often "Decision details"; the item's title is the h2.
	if genericHeadings[strings.ToLower(d.Title)] {
		if h2 := findFirst(main, atom.H2); h2 != nil {
			d.Title = strings.Join(strings.Fields(nodeText(h2)), " ")
		}
	}
	if d.Title == "" {
		if t := findFirst(root, atom.Title); t != nil {
			d.Title = strings.Join(strings.Fields(nodeText(t)), " ")
		}
	}
	// A page that is mostly script, with little text, is not a document.
	words := len(strings.Fields(d.Text))
	if words < 5 || (len(s) > 4096 && len(d.Text)*50 < len(s) && words < 40) {
		return cg.Errorf(cg.EINVALID, "%s has little text (%d words): mostly script or markup", d.Name, words)
	}
	return nil
}

func canonical(n *html.Node) string {
	var found string
	var f func(*html.Node)
	f = func(n *html.Node) {
		if found != "" {
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Link && strings.EqualFold(attr(n, "rel"), "canonical") {
			if h := attr(n, "href"); strings.HasPrefix(h, "http") {
				found = h
				return
			}
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Meta && attr(n, "property") == "og:url" {
			if h := attr(n, "content"); strings.HasPrefix(h, "http") {
				found = h
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			f(c)
		}
	}
	f(n)
	return found
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

func findFirst(n *html.Node, a atom.Atom) *html.Node {
	if n.Type == html.ElementNode && n.DataAtom == a {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findFirst(c, a); f != nil {
			return f
		}
	}
	return nil
}

func findBy(n *html.Node, pred func(*html.Node) bool) *html.Node {
	if n.Type == html.ElementNode && pred(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findBy(c, pred); f != nil {
			return f
		}
	}
	return nil
}

func hasClass(n *html.Node, class string) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

// mainContent picks the element that holds the page's own text.
func mainContent(root *html.Node) *html.Node {
	preds := []func(*html.Node) bool{
		func(n *html.Node) bool { return attr(n, "id") == "modgov" },
		func(n *html.Node) bool { return hasClass(n, "mgContent") },
		func(n *html.Node) bool { return n.DataAtom == atom.Main },
		func(n *html.Node) bool { return strings.EqualFold(attr(n, "role"), "main") },
		func(n *html.Node) bool {
			id := strings.ToLower(attr(n, "id"))
			return id == "content" || id == "main-content" || id == "maincontent" || id == "main"
		},
	}
	for _, p := range preds {
		if n := findBy(root, p); n != nil && len(strings.Fields(nodeText(n))) >= 5 {
			return n
		}
	}
	if b := findFirst(root, atom.Body); b != nil {
		return b
	}
	return root
}

var skipTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Nav: true,
	atom.Footer: true, atom.Form: true, atom.Template: true, atom.Svg: true,
	atom.Iframe: true, atom.Select: true, atom.Button: true, atom.Aside: true,
	atom.Head: true, atom.Object: true, atom.Canvas: true, atom.Input: true,
}

var blockTags = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Br: true, atom.Li: true, atom.Tr: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Table: true, atom.Ul: true, atom.Ol: true, atom.Dl: true, atom.Dt: true, atom.Dd: true,
	atom.Section: true, atom.Article: true, atom.Blockquote: true, atom.Pre: true,
	atom.Header: true, atom.Hr: true, atom.Caption: true, atom.Address: true, atom.Fieldset: true,
}

var chromeWords = []string{"breadcrumb", "menu", "footer", "cookie", "skip", "share", "sidebar", "navigation", "navbar", "banner", "masthead", "search", "mglinks", "mgprint", "social"}

// isChrome reports whether an element's class or id marks it as page
// furniture rather than content.
func isChrome(n *html.Node) bool {
	if strings.EqualFold(attr(n, "role"), "navigation") || strings.EqualFold(attr(n, "aria-hidden"), "true") {
		return true
	}
	if strings.Contains(strings.ToLower(attr(n, "style")), "display:none") {
		return true
	}
	toks := strings.Fields(strings.ToLower(attr(n, "class") + " " + attr(n, "id")))
	for _, t := range toks {
		if t == "nav" || strings.HasPrefix(t, "nav-") || strings.HasPrefix(t, "nav_") || strings.HasSuffix(t, "-nav") || strings.HasSuffix(t, "_nav") || t == "hidden" || t == "visuallyhidden" || t == "sr-only" {
			return true
		}
		for _, w := range chromeWords {
			if strings.Contains(t, w) {
				return true
			}
		}
	}
	return false
}

type textWriter struct{ b strings.Builder }

func (w *textWriter) newline() {
	s := w.b.String()
	if len(s) > 0 && !strings.HasSuffix(s, "\n") {
		w.b.WriteString("\n")
	}
}

func (w *textWriter) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		t := strings.Map(func(r rune) rune {
			switch r {
			case '\u00a0', '\t', '\n', '\r', '\f', '\u2002', '\u2003', '\u2009', '\u200b':
				return ' '
			}
			return r
		}, n.Data)
		if strings.TrimSpace(t) == "" {
			if w.b.Len() > 0 && !strings.HasSuffix(w.b.String(), " ") && !strings.HasSuffix(w.b.String(), "\n") {
				w.b.WriteString(" ")
			}
			return
		}
		// collapse runs of spaces
		t = collapseSpaces(t)
		if strings.HasSuffix(w.b.String(), "\n") || w.b.Len() == 0 {
			t = strings.TrimLeft(t, " ")
		} else if strings.HasSuffix(w.b.String(), " ") {
			t = strings.TrimLeft(t, " ")
		}
		w.b.WriteString(t)
		return
	case html.ElementNode:
		if skipTags[n.DataAtom] || isChrome(n) {
			return
		}
		block := blockTags[n.DataAtom]
		if n.DataAtom == atom.P || isHeading(n.DataAtom) || n.DataAtom == atom.Table {
			w.newline()
			w.b.WriteString("\n")
		} else if block {
			w.newline()
		}
		if n.DataAtom == atom.Td || n.DataAtom == atom.Th {
			if s := w.b.String(); len(s) > 0 && !strings.HasSuffix(s, "\n") && !strings.HasSuffix(s, " ") {
				w.b.WriteString(" ")
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			w.walk(c)
		}
		if block {
			w.newline()
			if n.DataAtom == atom.P || isHeading(n.DataAtom) {
				w.b.WriteString("\n")
			}
		}
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c)
	}
}

func collapseSpaces(s string) string {
	var b strings.Builder
	sp := false
	for _, r := range s {
		if r == ' ' {
			if sp {
				continue
			}
			sp = true
		} else {
			sp = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func nodeText(n *html.Node) string {
	var b strings.Builder
	var f func(*html.Node)
	f = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style) {
			return
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			b.WriteString(" ")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			f(c)
		}
	}
	f(n)
	return b.String()
}

func isHeading(a atom.Atom) bool {
	switch a {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}
