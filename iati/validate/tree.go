package validate

// tree is an in-memory document holding ONE activity (or organisation) at a
// time, for codelist checks and ruleset XPath evaluation: a document node, the
// root element (iati-activities, with its attributes) and the activity.
// Nodes live in one slice in document order, so a node's index is its
// position in document order and node-sets are sorted slices of indexes.
// Values are kept in one byte buffer while the activity streams in and turned
// into a single string when it is complete, which keeps allocation per
// activity to a handful.

type nodeKind uint8

const (
	ndDoc nodeKind = iota
	ndElem
	ndAttr
	ndText
)

type node struct {
	kind      nodeKind
	name      qname
	prefix    string
	parent    int32
	first     int32 // first child (element or text), -1 if none
	last      int32 // last child
	next      int32 // next sibling, -1 if none
	attrFrom  int32 // attributes are nodes attrFrom..attrFrom+nattr-1
	nattr     int32
	end       int32 // index of the last node of the subtree
	voff      int32 // value: offset and length in the value buffer
	vlen      int32
	line, col int32
	path      int32 // element path id (for codelist mappings)
	nameID    int32 // element name id (see names.go)
}

type tree struct {
	nodes []node
	buf   []byte
	str   string // buf as a string once the activity is complete
	open  []int32
	paths *pathTable // written by the reader while the tree is built
	// snapshots of paths.names and paths.up taken when the tree is finished:
	// the checker reads these while the reader goes on adding paths
	pathNames []string
	pathUp    []int32
	regGen    int // nameRegSize() when the element name ids were looked up
}

// pathTable interns element paths (the chain of local names from the
// document root) so that codelist mappings are matched once per distinct
// path rather than once per element.
type pathTable struct {
	ids    map[pathKey]int32
	names  []string // local name of each path
	up     []int32  // parent path of each path
	nameOf []int32  // name id of each path
	regGen int      // nameRegSize() when the table was made
}

type pathKey struct {
	parent int32
	space  string
	local  string
}

func newPathTable() *pathTable {
	return &pathTable{ids: map[pathKey]int32{}, regGen: nameRegSize()}
}

func (p *pathTable) id(parent int32, n qname) int32 {
	k := pathKey{parent, n.Space, n.Local}
	if id, ok := p.ids[k]; ok {
		return id
	}
	id := int32(len(p.names))
	p.ids[k] = id
	name := n.Local
	if n.Space != "" {
		name = "{" + n.Space + "}" + n.Local
	}
	p.names = append(p.names, name)
	p.up = append(p.up, parent)
	p.nameOf = append(p.nameOf, lookupName(n))
	return id
}

// begin starts a new document: document node and root element.
func (t *tree) begin(root *rootInfo, paths *pathTable) {
	t.paths = paths
	t.nodes = t.nodes[:0]
	t.buf = t.buf[:0]
	t.str = ""
	t.open = t.open[:0]
	t.nodes = append(t.nodes, node{kind: ndDoc, parent: -1, first: -1, last: -1, next: -1, path: -1})
	t.open = append(t.open, 0)
	t.startElem(root.name, root.prefix, root.attrs, root.line, root.col)
}

// recordNode is the index of the record (activity or organisation) element:
// after the document node, the root element and the root's attributes.
func (t *tree) recordNode() int32 { return 2 + t.nodes[1].nattr }

func (t *tree) addValue(b []byte) (int32, int32) {
	off := len(t.buf)
	t.buf = append(t.buf, b...)
	return int32(off), int32(len(b))
}

func (t *tree) appendChild(parent, child int32) {
	p := &t.nodes[parent]
	if p.last >= 0 {
		t.nodes[p.last].next = child
	} else {
		p.first = child
	}
	p.last = child
}

func (t *tree) startElem(name qname, prefix string, attrs []scanAttr, line, col int) {
	parent := t.open[len(t.open)-1]
	idx := int32(len(t.nodes))
	// white space before the first child element is not kept (see text)
	if p := &t.nodes[parent]; p.last >= 0 && p.last == idx-1 && t.nodes[p.last].kind == ndText && t.isBlank(p.last) {
		t.dropLastText(parent)
		idx--
	}
	ppath := t.nodes[parent].path
	pid := t.paths.id(ppath, name)
	t.nodes = append(t.nodes, node{
		kind: ndElem, name: name, prefix: prefix, parent: parent,
		first: -1, last: -1, next: -1, attrFrom: idx + 1,
		line: int32(line), col: int32(col), path: pid, nameID: t.paths.nameOf[pid],
	})
	n := int32(0)
	for i := range attrs {
		a := &attrs[i]
		if a.isNS {
			continue
		}
		off, l := t.addValue(a.Value)
		t.nodes = append(t.nodes, node{
			kind: ndAttr, name: a.Name, prefix: a.Prefix, parent: idx,
			first: -1, last: -1, next: -1, voff: off, vlen: l,
			line: int32(line), col: int32(col), path: -1,
		})
		t.nodes[len(t.nodes)-1].end = int32(len(t.nodes) - 1)
		n++
	}
	t.nodes[idx].nattr = n
	t.appendChild(parent, idx)
	t.open = append(t.open, idx)
}

// text adds character data. White space between elements (in an element
// that has element children) is not kept, as if xml:space were "default"
// and the whitespace stripped; white space in elements without element
// children is kept.
func (t *tree) text(b []byte, line, col int) {
	parent := t.open[len(t.open)-1]
	p := &t.nodes[parent]
	if p.last >= 0 && t.nodes[p.last].kind == ndElem && isAllSpace(b) {
		return
	}
	if p.last >= 0 && t.nodes[p.last].kind == ndText && int(t.nodes[p.last].voff+t.nodes[p.last].vlen) == len(t.buf) {
		t.buf = append(t.buf, b...)
		t.nodes[p.last].vlen += int32(len(b))
		return
	}
	idx := int32(len(t.nodes))
	off, l := t.addValue(b)
	t.nodes = append(t.nodes, node{
		kind: ndText, parent: parent, first: -1, last: -1, next: -1,
		voff: off, vlen: l, line: int32(line), col: int32(col), path: -1, end: idx,
	})
	t.appendChild(parent, idx)
}

func (t *tree) isBlank(i int32) bool {
	n := &t.nodes[i]
	return isAllSpace(t.buf[n.voff : n.voff+n.vlen])
}

// dropLastText removes the last node, a text child of parent.
func (t *tree) dropLastText(parent int32) {
	last := t.nodes[parent].last
	t.buf = t.buf[:t.nodes[last].voff]
	t.nodes = t.nodes[:last]
	p := &t.nodes[parent]
	if p.first == last {
		p.first, p.last = -1, -1
		return
	}
	c := p.first
	for t.nodes[c].next != last {
		c = t.nodes[c].next
	}
	t.nodes[c].next = -1
	p.last = c
}

func (t *tree) endElem() {
	idx := t.open[len(t.open)-1]
	t.open = t.open[:len(t.open)-1]
	t.nodes[idx].end = int32(len(t.nodes) - 1)
}

// finish closes the document (root and document node) and makes the values
// available as strings.
func (t *tree) finish(paths *pathTable) {
	for len(t.open) > 0 {
		idx := t.open[len(t.open)-1]
		t.open = t.open[:len(t.open)-1]
		t.nodes[idx].end = int32(len(t.nodes) - 1)
	}
	t.str = string(t.buf)
	t.pathNames = paths.names
	t.pathUp = paths.up
	t.regGen = paths.regGen
	t.paths = nil
}

// refreshNames looks the element name ids up again if XPath expressions
// were compiled after the tree's path table was made (names they test for
// would otherwise not match). Normally there is nothing to do.
func (t *tree) refreshNames() {
	if n := nameRegSize(); n != t.regGen {
		for i := range t.nodes {
			if t.nodes[i].kind == ndElem {
				t.nodes[i].nameID = lookupName(t.nodes[i].name)
			}
		}
		t.regGen = n
	}
}

func (t *tree) value(i int32) string {
	n := &t.nodes[i]
	return t.str[n.voff : n.voff+n.vlen]
}

// stringValue is the XPath string-value of a node.
func (t *tree) stringValue(i int32) string {
	n := &t.nodes[i]
	switch n.kind {
	case ndAttr, ndText:
		return t.str[n.voff : n.voff+n.vlen]
	}
	// concatenate descendant text nodes; usually there is exactly one
	var first = int32(-1)
	count := 0
	for j := i + 1; j <= n.end; j++ {
		if t.nodes[j].kind == ndText {
			if first < 0 {
				first = j
			}
			count++
		}
	}
	switch count {
	case 0:
		return ""
	case 1:
		return t.value(first)
	}
	b := make([]byte, 0, 64)
	for j := i + 1; j <= n.end; j++ {
		if t.nodes[j].kind == ndText {
			b = append(b, t.value(j)...)
		}
	}
	return string(b)
}

// attr returns the value of an attribute of element i.
func (t *tree) attr(i int32, n qname) (string, bool) {
	e := &t.nodes[i]
	for j := e.attrFrom; j < e.attrFrom+e.nattr; j++ {
		if t.nodes[j].name == n {
			return t.value(j), true
		}
	}
	return "", false
}

// childText returns the string value of the first child element named local.
func (t *tree) childText(i int32, local string) (string, bool) {
	for c := t.nodes[i].first; c >= 0; c = t.nodes[c].next {
		if t.nodes[c].kind == ndElem && t.nodes[c].name.Space == "" && t.nodes[c].name.Local == local {
			return t.stringValue(c), true
		}
	}
	return "", false
}
