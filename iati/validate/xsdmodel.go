package validate

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Content models are compiled to deterministic automata: particles are
// expanded (minOccurs/maxOccurs unrolled), turned into a Glushkov position
// automaton and determinised by subset construction. Every child element then
// costs one map lookup and one table lookup. xsd:all groups, which cannot be
// expressed that way without blowing up, get their own small matcher.

const unboundedOccurs = -1

// Occurrence bounds above this are treated as unbounded (more permissive),
// which keeps automata small; the IATI schemas only use 0, 1 and unbounded.
const maxUnrolledOccurs = 256

type particleKind uint8

const (
	pElement particleKind = iota
	pWildcard
	pSequence
	pChoice
	pAll
)

type particle struct {
	kind     particleKind
	min, max int
	elem     *elemDecl
	wc       *wildcard
	children []*particle
}

const (
	processStrict = iota
	processLax
	processSkip
)

// wildcard is a namespace constraint of xsd:any or xsd:anyAttribute.
type wildcard struct {
	any     bool     // ##any
	not     []string // ##other: namespaces excluded (target namespace and absent)
	list    []string // explicit namespaces ("" for ##local)
	process uint8
}

func (w *wildcard) allows(ns string) bool {
	switch {
	case w.any:
		return true
	case w.not != nil:
		for _, n := range w.not {
			if n == ns {
				return false
			}
		}
		return true
	}
	for _, n := range w.list {
		if n == ns {
			return true
		}
	}
	return false
}

func (w *wildcard) String() string {
	switch {
	case w.any:
		return "*"
	case w.not != nil:
		return "##other*"
	}
	parts := make([]string, len(w.list))
	for i, n := range w.list {
		parts[i] = "{" + n + "}*"
	}
	return strings.Join(parts, ", ")
}

// union of two attribute wildcards (for complex type extension).
func unionWildcards(a, b *wildcard) *wildcard {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	if a.any || b.any {
		return &wildcard{any: true, process: b.process}
	}
	if a.not != nil && b.not != nil {
		return b
	}
	if a.not != nil || b.not != nil {
		// ##other plus a list: allow all but the excluded ones not listed
		other, list := a, b
		if b.not != nil {
			other, list = b, a
		}
		var not []string
		for _, n := range other.not {
			if !contains(list.list, n) {
				not = append(not, n)
			}
		}
		if len(not) == 0 {
			return &wildcard{any: true, process: b.process}
		}
		return &wildcard{not: not, process: b.process}
	}
	l := append([]string(nil), a.list...)
	for _, n := range b.list {
		if !contains(l, n) {
			l = append(l, n)
		}
	}
	return &wildcard{list: l, process: b.process}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// term is what a transition matched: an element declaration or a wildcard.
type term struct {
	elem *elemDecl
	wc   *wildcard
}

// contentModel is a compiled particle.
type contentModel struct {
	// automaton (nil all)
	syms     map[qname]int32 // element names with their own symbol
	nsClass  map[string]int32
	otherSym int32 // symbol for namespaces not listed in nsClass
	nsym     int
	trans    []int32 // state*nsym+sym -> next state, -1 if none
	terms    []term  // state*nsym+sym -> matched term
	order    []int32 // state*nsym+sym -> first position matched, to list expectations in schema order
	final    []bool
	// all group
	all      []*particle
	allIndex map[qname]int
	// declFor maps element names to their declaration in this model, used
	// to keep validating children after a content model error
	declFor map[qname]*elemDecl
}

// symbol returns the symbol of an element name.
func (m *contentModel) symbol(n qname) int32 {
	if s, ok := m.syms[n]; ok {
		return s
	}
	if s, ok := m.nsClass[n.Space]; ok {
		return s
	}
	return m.otherSym
}

func (m *contentModel) step(state int32, n qname) (int32, term) {
	i := int(state)*m.nsym + int(m.symbol(n))
	return m.trans[i], m.terms[i]
}

// expected lists what may come next in a state, for messages.
func (m *contentModel) expected(state int32) []string {
	var out []string
	seen := map[string]bool{}
	idx := make([]int, 0, m.nsym)
	for s := 0; s < m.nsym; s++ {
		if i := int(state)*m.nsym + s; m.trans[i] >= 0 {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return m.order[idx[a]] < m.order[idx[b]] })
	for _, i := range idx {
		t := m.terms[i]
		var name string
		if t.elem != nil {
			name = t.elem.name.String()
		} else {
			name = t.wc.String()
		}
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	return out
}

func (m *contentModel) expectedAll(seen []bool, onlyRequired bool) []string {
	var out []string
	for i, p := range m.all {
		if seen[i] || onlyRequired && p.min == 0 {
			continue
		}
		out = append(out, p.elem.name.String())
	}
	return out
}

// libxmlInterleave rewrites "X{m,n}, any{0,unbounded}" in sequences (n > 1)
// to "X{m}, (X | any){0,unbounded}". libxml2, which the official IATI
// validator uses, compiles such models so that the repeating element and the
// trailing wildcard may interleave; IATI's common "narrative*, ##other*"
// then accepts extension elements between narratives. Following it avoids
// reporting errors the official validator does not.
func libxmlInterleave(p *particle) *particle {
	if p.kind != pSequence && p.kind != pChoice && p.kind != pAll {
		return p
	}
	q := *p
	q.children = nil
	for i := 0; i < len(p.children); i++ {
		c := libxmlInterleave(p.children[i])
		if p.kind == pSequence && i+1 < len(p.children) {
			w := p.children[i+1]
			if c.kind == pElement && (c.max == unboundedOccurs || c.max > 1) &&
				w.kind == pWildcard && w.min == 0 && w.max == unboundedOccurs {
				if c.min > 0 {
					q.children = append(q.children, &particle{kind: pElement, elem: c.elem, min: c.min, max: c.min})
				}
				x := &particle{kind: pElement, elem: c.elem, min: 1, max: 1}
				q.children = append(q.children, &particle{kind: pChoice, min: 0, max: unboundedOccurs,
					children: []*particle{x, w}})
				i++
				continue
			}
		}
		q.children = append(q.children, c)
	}
	return &q
}

// Regular expression over positions, for the Glushkov construction.
type rxNode struct {
	op   byte // 'p' position, '.' sequence, '|' choice, '*' star, '?' optional, 'e' empty
	pos  int
	kids []*rxNode
}

type glushkov struct {
	terms  []term
	follow [][]int
}

func (g *glushkov) newPos(t term) *rxNode {
	g.terms = append(g.terms, t)
	g.follow = append(g.follow, nil)
	return &rxNode{op: 'p', pos: len(g.terms) - 1}
}

// expand unrolls occurrence bounds, giving each copy fresh positions.
func (g *glushkov) expand(p *particle) *rxNode {
	lo, hi := p.min, p.max
	if lo > maxUnrolledOccurs {
		lo = maxUnrolledOccurs
	}
	if hi > maxUnrolledOccurs {
		hi = unboundedOccurs
	}
	if hi == 0 {
		return &rxNode{op: 'e'}
	}
	var seq []*rxNode
	for i := 0; i < lo; i++ {
		seq = append(seq, g.term(p))
	}
	if hi == unboundedOccurs {
		seq = append(seq, &rxNode{op: '*', kids: []*rxNode{g.term(p)}})
	} else if hi > lo {
		// nested optionals keep the automaton deterministic: (t (t (t)?)?)?
		var opt *rxNode
		for i := lo; i < hi; i++ {
			t := g.term(p)
			if opt != nil {
				t = &rxNode{op: '.', kids: []*rxNode{t, opt}}
			}
			opt = &rxNode{op: '?', kids: []*rxNode{t}}
		}
		seq = append(seq, opt)
	}
	if len(seq) == 1 {
		return seq[0]
	}
	return &rxNode{op: '.', kids: seq}
}

func (g *glushkov) term(p *particle) *rxNode {
	switch p.kind {
	case pElement:
		return g.newPos(term{elem: p.elem})
	case pWildcard:
		return g.newPos(term{wc: p.wc})
	case pSequence:
		n := &rxNode{op: '.'}
		for _, c := range p.children {
			n.kids = append(n.kids, g.expand(c))
		}
		if len(n.kids) == 0 {
			return &rxNode{op: 'e'}
		}
		return n
	case pChoice:
		n := &rxNode{op: '|'}
		for _, c := range p.children {
			n.kids = append(n.kids, g.expand(c))
		}
		if len(n.kids) == 0 {
			return &rxNode{op: 'e'}
		}
		return n
	}
	panic("unexpected particle kind in automaton")
}

// analyse returns nullable, first and last, and fills follow sets.
func (g *glushkov) analyse(n *rxNode) (bool, []int, []int) {
	switch n.op {
	case 'e':
		return true, nil, nil
	case 'p':
		return false, []int{n.pos}, []int{n.pos}
	case '*', '?':
		_, f, l := g.analyse(n.kids[0])
		if n.op == '*' {
			for _, p := range l {
				g.follow[p] = union(g.follow[p], f)
			}
		}
		return true, f, l
	case '|':
		null := false
		var first, last []int
		for _, k := range n.kids {
			kn, kf, kl := g.analyse(k)
			null = null || kn
			first = union(first, kf)
			last = union(last, kl)
		}
		return null, first, last
	case '.':
		null := true
		var first, last []int
		for _, k := range n.kids {
			kn, kf, kl := g.analyse(k)
			for _, p := range last {
				g.follow[p] = union(g.follow[p], kf)
			}
			if null {
				first = union(first, kf)
			}
			if kn {
				last = union(last, kl)
			} else {
				last = kl
			}
			null = null && kn
		}
		return null, first, last
	}
	panic("bad rx node")
}

func union(a, b []int) []int {
	if len(b) == 0 {
		return a
	}
	out := append([]int(nil), a...)
	for _, x := range b {
		found := false
		for _, y := range out {
			if x == y {
				found = true
				break
			}
		}
		if !found {
			out = append(out, x)
		}
	}
	return out
}

const maxDFAStates = 20000

// compileModel builds the automaton for a particle.
func compileModel(p *particle) (*contentModel, error) {
	m := &contentModel{declFor: map[qname]*elemDecl{}}
	if p.kind == pAll {
		m.all = p.children
		m.allIndex = make(map[qname]int, len(p.children))
		for i, c := range p.children {
			m.allIndex[c.elem.name] = i
			m.declFor[c.elem.name] = c.elem
		}
		return m, nil
	}
	p = libxmlInterleave(p)
	g := &glushkov{}
	rx := g.expand(p)
	for _, t := range g.terms {
		if t.elem != nil && m.declFor[t.elem.name] == nil {
			m.declFor[t.elem.name] = t.elem
		}
	}
	nullable, first, last := g.analyse(rx)

	// symbols
	m.syms = map[qname]int32{}
	m.nsClass = map[string]int32{}
	for _, t := range g.terms {
		if t.elem != nil {
			if _, ok := m.syms[t.elem.name]; !ok {
				m.syms[t.elem.name] = int32(len(m.syms))
			}
		}
	}
	nsRep := []string{} // representative namespace of each class symbol
	addClass := func(ns string) {
		if _, ok := m.nsClass[ns]; !ok {
			m.nsClass[ns] = int32(len(m.syms) + len(nsRep))
			nsRep = append(nsRep, ns)
		}
	}
	addClass("")
	for _, t := range g.terms {
		if t.wc != nil {
			for _, n := range t.wc.not {
				addClass(n)
			}
			for _, n := range t.wc.list {
				addClass(n)
			}
		}
	}
	m.otherSym = int32(len(m.syms) + len(nsRep))
	nsRep = append(nsRep, "\x00other") // a namespace no wildcard names
	m.nsym = len(m.syms) + len(nsRep)
	symNames := make([]qname, len(m.syms))
	for n, s := range m.syms {
		symNames[s] = n
	}
	matches := func(t term, sym int) bool {
		if sym < len(symNames) {
			if t.elem != nil {
				return t.elem.name == symNames[sym]
			}
			return t.wc.allows(symNames[sym].Space)
		}
		if t.elem != nil {
			return false
		}
		return t.wc.allows(nsRep[sym-len(symNames)])
	}
	isLast := make([]bool, len(g.terms))
	for _, p := range last {
		isLast[p] = true
	}

	// subset construction; state 0 is the start state
	type dstate struct{ set []int }
	keyOf := func(set []int) string {
		var b strings.Builder
		for _, p := range set {
			b.WriteString(strconv.Itoa(p))
			b.WriteByte(',')
		}
		return b.String()
	}
	states := []dstate{{set: nil}}
	index := map[string]int32{"start": 0}
	m.final = []bool{nullable}
	for si := 0; si < len(states); si++ {
		var from []int
		if si == 0 {
			from = first
		} else {
			for _, p := range states[si].set {
				from = union(from, g.follow[p])
			}
		}
		for sym := 0; sym < m.nsym; sym++ {
			var next []int
			var matched term
			for _, q := range from {
				t := g.terms[q]
				if matches(t, sym) {
					next = append(next, q)
					// prefer element declarations over wildcards
					if matched.elem == nil && (t.elem != nil || matched.wc == nil) {
						matched = t
					}
				}
			}
			if len(next) == 0 {
				m.trans = append(m.trans, -1)
				m.terms = append(m.terms, term{})
				m.order = append(m.order, 0)
				continue
			}
			sort.Ints(next)
			m.order = append(m.order, int32(next[0]))
			k := keyOf(next)
			id, ok := index[k]
			if !ok {
				if len(states) >= maxDFAStates {
					return nil, fmt.Errorf("content model too complex (more than %d automaton states)", maxDFAStates)
				}
				id = int32(len(states))
				index[k] = id
				states = append(states, dstate{set: next})
				fin := false
				for _, q := range next {
					if isLast[q] {
						fin = true
						break
					}
				}
				m.final = append(m.final, fin)
			}
			m.trans = append(m.trans, id)
			m.terms = append(m.terms, matched)
		}
	}
	return m, nil
}
