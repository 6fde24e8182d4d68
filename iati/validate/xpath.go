package validate

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A subset of XPath 1.0, evaluated over the tree of one activity. Supported:
//
//   - location paths, absolute and relative, with the abbreviations / // . ..
//     @ and the axes child, attribute, parent, self, descendant,
//     descendant-or-self, ancestor, ancestor-or-self, following-sibling,
//     preceding-sibling, following and preceding;
//   - node tests: names (the prefix xml is predefined; no other prefixes),
//     *, text() and node() (comments and processing instructions are not kept
//     in the tree, so comment() and processing-instruction() match nothing);
//   - predicates, including positional ones such as [1] and [last()];
//   - the union operator |, and filter expressions such as (a|b)[1];
//   - or, and, = != < <= > >=, + - * div mod and unary minus, with the XPath
//     1.0 comparison rules for node-sets, strings, numbers and booleans;
//   - string and number literals;
//   - the functions last, position, count, local-name, namespace-uri, name,
//     string, concat, starts-with, contains, substring-before,
//     substring-after, substring, string-length, normalize-space, translate,
//     boolean, not, true, false, number, sum, floor, ceiling and round;
//   - $1, the value of the current loop group in ruleset loops: inside string
//     literals it is substituted textually, as the IATI validator does (but
//     without re-parsing, so a value containing a quote cannot change the
//     expression); elsewhere it is a string variable.
//
// Not supported: variables other than $1, namespace prefixes other than xml,
// the namespace axis, and the functions id and lang.

type xop uint8

const (
	xOr xop = iota
	xAnd
	xEq
	xNe
	xLt
	xLe
	xGt
	xGe
	xAdd
	xSub
	xMul
	xDiv
	xMod
	xNeg
	xUnion
	xStr
	xNum
	xVar
	xFunc
	xPath
)

type xaxis uint8

const (
	axChild xaxis = iota
	axAttribute
	axParent
	axSelf
	axDescendant
	axDescendantOrSelf
	axAncestor
	axAncestorOrSelf
	axFollowingSibling
	axPrecedingSibling
	axFollowing
	axPreceding
)

var axisNames = map[string]xaxis{
	"child": axChild, "attribute": axAttribute, "parent": axParent, "self": axSelf,
	"descendant": axDescendant, "descendant-or-self": axDescendantOrSelf,
	"ancestor": axAncestor, "ancestor-or-self": axAncestorOrSelf,
	"following-sibling": axFollowingSibling, "preceding-sibling": axPrecedingSibling,
	"following": axFollowing, "preceding": axPreceding,
}

func (a xaxis) reverse() bool {
	return a == axParent || a == axAncestor || a == axAncestorOrSelf || a == axPrecedingSibling || a == axPreceding
}

const (
	testName    = iota // a qualified name
	testAny            // *
	testNSAny          // prefix:*
	testText           // text()
	testNode           // node()
	testNothing        // comment(), processing-instruction()
)

type xstep struct {
	axis  xaxis
	test  uint8
	name  qname
	id    int32 // element name id of a name test (names.go)
	preds []*xexpr
}

type xexpr struct {
	op    xop
	a, b  *xexpr
	args  []*xexpr
	s     string
	n     float64
	fn    string
	tmpl  bool     // string literal containing $1
	base  *xexpr   // path: filter expression the path starts from
	preds []*xexpr // path: predicates of the filter expression
	abs   bool     // path: starts at the document node
	steps []xstep
	src   string // whole expression text (top-level only), for messages
}

// XPathError reports an expression the evaluator cannot parse.
type XPathError struct {
	Expr string
	Pos  int
	Msg  string
}

func (e *XPathError) Error() string {
	return fmt.Sprintf("xpath %q at offset %d: %s", e.Expr, e.Pos, e.Msg)
}

// ---- lexer ----

type xtokKind uint8

const (
	tkEOF xtokKind = iota
	tkName
	tkNum
	tkStr
	tkVar
	tkOp // punctuation and operators, text in s
)

type xtok struct {
	kind xtokKind
	s    string
	n    float64
	pos  int
}

func lexXPath(src string) ([]xtok, error) {
	var toks []xtok
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '"' || c == '\'':
			j := strings.IndexByte(src[i+1:], c)
			if j < 0 {
				return nil, &XPathError{src, i, "unterminated string literal"}
			}
			toks = append(toks, xtok{kind: tkStr, s: src[i+1 : i+1+j], pos: i})
			i += j + 2
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			j := i
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '.') {
				j++
			}
			f, err := strconv.ParseFloat(src[i:j], 64)
			if err != nil {
				return nil, &XPathError{src, i, "bad number"}
			}
			toks = append(toks, xtok{kind: tkNum, n: f, s: src[i:j], pos: i})
			i = j
		case c == '$':
			j := i + 1
			for j < len(src) && (isNameByte(src[j]) && src[j] != ':') {
				j++
			}
			if j == i+1 {
				return nil, &XPathError{src, i, "bad variable reference"}
			}
			toks = append(toks, xtok{kind: tkVar, s: src[i+1 : j], pos: i})
			i = j
		case isNameStartByte(c) && c != ':':
			j := i + 1
			for j < len(src) && isNameByte(src[j]) && src[j] != ':' {
				j++
			}
			// prefix:local or prefix:*
			if j+1 < len(src) && src[j] == ':' && src[j+1] != ':' {
				if src[j+1] == '*' {
					j += 2
				} else if isNameStartByte(src[j+1]) {
					j += 2
					for j < len(src) && isNameByte(src[j]) && src[j] != ':' {
						j++
					}
				}
			}
			toks = append(toks, xtok{kind: tkName, s: src[i:j], pos: i})
			i = j
		default:
			two := ""
			if i+1 < len(src) {
				two = src[i : i+2]
			}
			switch two {
			case "//", "..", "::", "!=", "<=", ">=":
				toks = append(toks, xtok{kind: tkOp, s: two, pos: i})
				i += 2
				continue
			}
			if strings.IndexByte("/.()[]@,|+-*=<>", c) < 0 {
				return nil, &XPathError{src, i, fmt.Sprintf("unexpected character %q", c)}
			}
			toks = append(toks, xtok{kind: tkOp, s: string(c), pos: i})
			i++
		}
	}
	toks = append(toks, xtok{kind: tkEOF, pos: len(src)})
	return toks, nil
}

// ---- parser ----

type xparser struct {
	src   string
	toks  []xtok
	i     int
	subst bool // $1 in literals is a template
}

func compileXPath(src string) (*xexpr, error) {
	return compileXPathSubst(src, false)
}

// compileXPathSubst compiles src; with subst, "$1" inside string literals is
// replaced at evaluation time by the loop value.
func compileXPathSubst(src string, subst bool) (*xexpr, error) {
	toks, err := lexXPath(src)
	if err != nil {
		return nil, err
	}
	p := &xparser{src: src, toks: toks, subst: subst}
	e, err := p.expr()
	if err != nil {
		return nil, err
	}
	if p.peek().kind != tkEOF {
		return nil, p.errf("unexpected %q", p.peek().s)
	}
	e.src = src
	return e, nil
}

func mustXPath(src string) *xexpr {
	e, err := compileXPath(src)
	if err != nil {
		panic(err)
	}
	return e
}

func (p *xparser) peek() xtok  { return p.toks[p.i] }
func (p *xparser) peek2() xtok { return p.toks[min(p.i+1, len(p.toks)-1)] }
func (p *xparser) nextTok() xtok {
	t := p.toks[p.i]
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

func (p *xparser) errf(format string, args ...any) error {
	return &XPathError{p.src, p.peek().pos, fmt.Sprintf(format, args...)}
}

func (p *xparser) isOp(s string) bool {
	t := p.peek()
	return t.kind == tkOp && t.s == s
}

// isOperatorName reports whether the current name token is the operator
// and/or/div/mod, which depends on the preceding token.
func (p *xparser) isOperatorName(name string) bool {
	t := p.peek()
	if t.kind != tkName || t.s != name || p.i == 0 {
		return false
	}
	prev := p.toks[p.i-1]
	if prev.kind == tkOp {
		switch prev.s {
		case "@", "::", "(", "[", ",", "|", "+", "-", "*", "=", "!=", "<", "<=", ">", ">=", "/", "//":
			return prev.s == "*" // "* and" after a name test star
		}
	}
	return true
}

func (p *xparser) expr() (*xexpr, error) { return p.orExpr() }

func (p *xparser) orExpr() (*xexpr, error) {
	l, err := p.andExpr()
	if err != nil {
		return nil, err
	}
	for p.isOperatorName("or") {
		p.nextTok()
		r, err := p.andExpr()
		if err != nil {
			return nil, err
		}
		l = &xexpr{op: xOr, a: l, b: r}
	}
	return l, nil
}

func (p *xparser) andExpr() (*xexpr, error) {
	l, err := p.eqExpr()
	if err != nil {
		return nil, err
	}
	for p.isOperatorName("and") {
		p.nextTok()
		r, err := p.eqExpr()
		if err != nil {
			return nil, err
		}
		l = &xexpr{op: xAnd, a: l, b: r}
	}
	return l, nil
}

func (p *xparser) eqExpr() (*xexpr, error) {
	l, err := p.relExpr()
	if err != nil {
		return nil, err
	}
	for p.isOp("=") || p.isOp("!=") {
		op := xEq
		if p.nextTok().s == "!=" {
			op = xNe
		}
		r, err := p.relExpr()
		if err != nil {
			return nil, err
		}
		l = &xexpr{op: op, a: l, b: r}
	}
	return l, nil
}

func (p *xparser) relExpr() (*xexpr, error) {
	l, err := p.addExpr()
	if err != nil {
		return nil, err
	}
	for p.isOp("<") || p.isOp("<=") || p.isOp(">") || p.isOp(">=") {
		var op xop
		switch p.nextTok().s {
		case "<":
			op = xLt
		case "<=":
			op = xLe
		case ">":
			op = xGt
		default:
			op = xGe
		}
		r, err := p.addExpr()
		if err != nil {
			return nil, err
		}
		l = &xexpr{op: op, a: l, b: r}
	}
	return l, nil
}

func (p *xparser) addExpr() (*xexpr, error) {
	l, err := p.mulExpr()
	if err != nil {
		return nil, err
	}
	for p.isOp("+") || p.isOp("-") {
		op := xAdd
		if p.nextTok().s == "-" {
			op = xSub
		}
		r, err := p.mulExpr()
		if err != nil {
			return nil, err
		}
		l = &xexpr{op: op, a: l, b: r}
	}
	return l, nil
}

func (p *xparser) mulExpr() (*xexpr, error) {
	l, err := p.unaryExpr()
	if err != nil {
		return nil, err
	}
	for {
		var op xop
		switch {
		case p.isOp("*"):
			op = xMul
		case p.isOperatorName("div"):
			op = xDiv
		case p.isOperatorName("mod"):
			op = xMod
		default:
			return l, nil
		}
		p.nextTok()
		r, err := p.unaryExpr()
		if err != nil {
			return nil, err
		}
		l = &xexpr{op: op, a: l, b: r}
	}
}

func (p *xparser) unaryExpr() (*xexpr, error) {
	if p.isOp("-") {
		p.nextTok()
		e, err := p.unaryExpr()
		if err != nil {
			return nil, err
		}
		return &xexpr{op: xNeg, a: e}, nil
	}
	return p.unionExpr()
}

func (p *xparser) unionExpr() (*xexpr, error) {
	l, err := p.pathExpr()
	if err != nil {
		return nil, err
	}
	for p.isOp("|") {
		p.nextTok()
		r, err := p.pathExpr()
		if err != nil {
			return nil, err
		}
		l = &xexpr{op: xUnion, a: l, b: r}
	}
	return l, nil
}

var nodeTypes = map[string]bool{"node": true, "text": true, "comment": true, "processing-instruction": true}

func (p *xparser) pathExpr() (*xexpr, error) {
	t := p.peek()
	isFilter := t.kind == tkStr || t.kind == tkNum || t.kind == tkVar ||
		t.kind == tkOp && t.s == "(" ||
		t.kind == tkName && p.peek2().kind == tkOp && p.peek2().s == "(" && !nodeTypes[t.s]
	if !isFilter {
		return p.locationPath()
	}
	prim, err := p.primary()
	if err != nil {
		return nil, err
	}
	var preds []*xexpr
	for p.isOp("[") {
		pr, err := p.predicate()
		if err != nil {
			return nil, err
		}
		preds = append(preds, pr)
	}
	if !p.isOp("/") && !p.isOp("//") {
		if len(preds) == 0 {
			return prim, nil
		}
		return &xexpr{op: xPath, base: prim, preds: preds}, nil
	}
	path := &xexpr{op: xPath, base: prim, preds: preds}
	if err := p.relativeSteps(path); err != nil {
		return nil, err
	}
	return path, nil
}

func (p *xparser) primary() (*xexpr, error) {
	t := p.nextTok()
	switch t.kind {
	case tkStr:
		return &xexpr{op: xStr, s: t.s, tmpl: p.subst && strings.Contains(t.s, "$1")}, nil
	case tkNum:
		return &xexpr{op: xNum, n: t.n}, nil
	case tkVar:
		if t.s != "1" {
			return nil, &XPathError{p.src, t.pos, "only the loop variable $1 is supported"}
		}
		return &xexpr{op: xVar, s: t.s}, nil
	case tkOp:
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		if !p.isOp(")") {
			return nil, p.errf("expected ')'")
		}
		p.nextTok()
		return e, nil
	case tkName:
		p.nextTok() // (
		f := &xexpr{op: xFunc, fn: t.s}
		if _, ok := xfuncs[t.s]; !ok {
			return nil, &XPathError{p.src, t.pos, fmt.Sprintf("unsupported function %s()", t.s)}
		}
		if !p.isOp(")") {
			for {
				a, err := p.expr()
				if err != nil {
					return nil, err
				}
				f.args = append(f.args, a)
				if p.isOp(",") {
					p.nextTok()
					continue
				}
				break
			}
		}
		if !p.isOp(")") {
			return nil, p.errf("expected ')' after arguments of %s()", t.s)
		}
		p.nextTok()
		ar := xfuncs[t.s]
		if len(f.args) < ar[0] || ar[1] >= 0 && len(f.args) > ar[1] {
			return nil, &XPathError{p.src, t.pos, fmt.Sprintf("wrong number of arguments for %s()", t.s)}
		}
		return f, nil
	}
	return nil, p.errf("unexpected %q", t.s)
}

// xfuncs gives the minimum and maximum (-1: any) number of arguments.
var xfuncs = map[string][2]int{
	"last": {0, 0}, "position": {0, 0}, "count": {1, 1},
	"local-name": {0, 1}, "namespace-uri": {0, 1}, "name": {0, 1},
	"string": {0, 1}, "concat": {2, -1}, "starts-with": {2, 2}, "contains": {2, 2},
	"substring-before": {2, 2}, "substring-after": {2, 2}, "substring": {2, 3},
	"string-length": {0, 1}, "normalize-space": {0, 1}, "translate": {3, 3},
	"boolean": {1, 1}, "not": {1, 1}, "true": {0, 0}, "false": {0, 0},
	"number": {0, 1}, "sum": {1, 1}, "floor": {1, 1}, "ceiling": {1, 1}, "round": {1, 1},
}

func (p *xparser) predicate() (*xexpr, error) {
	p.nextTok() // [
	e, err := p.expr()
	if err != nil {
		return nil, err
	}
	if !p.isOp("]") {
		return nil, p.errf("expected ']'")
	}
	p.nextTok()
	return e, nil
}

func (p *xparser) locationPath() (*xexpr, error) {
	path := &xexpr{op: xPath}
	if p.isOp("/") {
		p.nextTok()
		path.abs = true
		// "/" alone selects the document node
		t := p.peek()
		if !(t.kind == tkName || t.kind == tkOp && (t.s == "@" || t.s == "*" || t.s == "." || t.s == "..")) {
			return path, nil
		}
		if err := p.step(path); err != nil {
			return nil, err
		}
	} else if p.isOp("//") {
		p.nextTok()
		path.abs = true
		path.steps = append(path.steps, xstep{axis: axDescendantOrSelf, test: testNode})
		if err := p.step(path); err != nil {
			return nil, err
		}
	} else if err := p.step(path); err != nil {
		return nil, err
	}
	for p.isOp("/") || p.isOp("//") {
		if p.nextTok().s == "//" {
			path.steps = append(path.steps, xstep{axis: axDescendantOrSelf, test: testNode})
		}
		if err := p.step(path); err != nil {
			return nil, err
		}
	}
	path.steps = foldDescendants(path.steps)
	return path, nil
}

// foldDescendants rewrites descendant-or-self::node()/child::x (what // means)
// to descendant::x, which visits each node once instead of listing the
// children of every node. The two differ only for positional predicates on
// the child step, so steps with such predicates are left alone.
func foldDescendants(steps []xstep) []xstep {
	out := steps[:0:0]
	for i := 0; i < len(steps); i++ {
		st := steps[i]
		if st.axis == axDescendantOrSelf && st.test == testNode && len(st.preds) == 0 && i+1 < len(steps) {
			nx := steps[i+1]
			if nx.axis == axChild && !anyPositional(nx.preds) {
				nx.axis = axDescendant
				out = append(out, nx)
				i++
				continue
			}
		}
		out = append(out, st)
	}
	return out
}

func anyPositional(preds []*xexpr) bool {
	for _, p := range preds {
		if mayBePositional(p) {
			return true
		}
	}
	return false
}

// mayBePositional reports whether a predicate may depend on the context
// position: it may yield a number, or it calls position() or last().
func mayBePositional(x *xexpr) bool {
	switch x.op {
	case xNum, xAdd, xSub, xMul, xDiv, xMod, xNeg:
		return true
	case xFunc:
		switch x.fn {
		case "count", "sum", "number", "string-length", "floor", "ceiling", "round":
			return true
		}
	}
	return callsPosition(x)
}

func callsPosition(x *xexpr) bool {
	if x == nil {
		return false
	}
	if x.op == xFunc && (x.fn == "position" || x.fn == "last") {
		return true
	}
	if callsPosition(x.a) || callsPosition(x.b) || callsPosition(x.base) {
		return true
	}
	for _, a := range x.args {
		if callsPosition(a) {
			return true
		}
	}
	for _, a := range x.preds {
		if callsPosition(a) {
			return true
		}
	}
	for i := range x.steps {
		for _, a := range x.steps[i].preds {
			if callsPosition(a) {
				return true
			}
		}
	}
	return false
}

func (p *xparser) relativeSteps(path *xexpr) error {
	for p.isOp("/") || p.isOp("//") {
		if p.nextTok().s == "//" {
			path.steps = append(path.steps, xstep{axis: axDescendantOrSelf, test: testNode})
		}
		if err := p.step(path); err != nil {
			return err
		}
	}
	path.steps = foldDescendants(path.steps)
	return nil
}

func (p *xparser) step(path *xexpr) error {
	if p.isOp(".") {
		p.nextTok()
		path.steps = append(path.steps, xstep{axis: axSelf, test: testNode})
		return nil
	}
	if p.isOp("..") {
		p.nextTok()
		path.steps = append(path.steps, xstep{axis: axParent, test: testNode})
		return nil
	}
	st := xstep{axis: axChild}
	if p.isOp("@") {
		p.nextTok()
		st.axis = axAttribute
	} else if t := p.peek(); t.kind == tkName && p.peek2().kind == tkOp && p.peek2().s == "::" {
		ax, ok := axisNames[t.s]
		if !ok {
			return p.errf("unsupported axis %s", t.s)
		}
		st.axis = ax
		p.nextTok()
		p.nextTok()
	}
	t := p.nextTok()
	switch {
	case t.kind == tkOp && t.s == "*":
		st.test = testAny
	case t.kind == tkName && p.isOp("(") && nodeTypes[t.s]:
		p.nextTok()
		if !p.isOp(")") {
			return p.errf("expected ')'")
		}
		p.nextTok()
		switch t.s {
		case "node":
			st.test = testNode
		case "text":
			st.test = testText
		default:
			st.test = testNothing
		}
	case t.kind == tkName:
		prefix, local := "", t.s
		if i := strings.IndexByte(t.s, ':'); i >= 0 {
			prefix, local = t.s[:i], t.s[i+1:]
		}
		switch prefix {
		case "":
		case "xml":
			st.name.Space = nsXML
		default:
			return &XPathError{p.src, t.pos, fmt.Sprintf("namespace prefix %s is not supported", prefix)}
		}
		if local == "*" {
			st.test = testNSAny
		} else {
			st.test = testName
			st.name.Local = local
			if st.axis != axAttribute {
				st.id = registerName(st.name)
			}
		}
	default:
		return &XPathError{p.src, t.pos, fmt.Sprintf("expected a step, found %q", t.s)}
	}
	for p.isOp("[") {
		pr, err := p.predicate()
		if err != nil {
			return err
		}
		st.preds = append(st.preds, pr)
	}
	path.steps = append(path.steps, st)
	return nil
}

// ---- values and evaluation ----

type vkind uint8

const (
	vNodes vkind = iota
	vStr
	vNum
	vBool
)

type xval struct {
	k     vkind
	nodes []int32
	s     string
	n     float64
	b     bool
}

type xctx struct {
	node      int32
	pos, size int
}

// xeval evaluates expressions over one tree. loop is the value of $1.
type xeval struct {
	t        *tree
	loop     string
	scratch  []int32 // axis results are collected here, then copied out
	arena    []int32 // node-sets are carved from here; reset per record
	matchBuf []matchedPath
}

// reset prepares the evaluator for a new tree. Node-sets from before must no
// longer be in use.
func (e *xeval) reset(t *tree) {
	e.t = t
	e.loop = ""
	e.arena = e.arena[:0]
}

// alloc returns a node-set of n nodes from the arena. Its capacity is n, so
// appending to it copies rather than overwrites its neighbours.
func (e *xeval) alloc(n int) []int32 {
	if len(e.arena)+n > cap(e.arena) {
		e.arena = make([]int32, 0, max(8192, n))
	}
	l := len(e.arena)
	e.arena = e.arena[:l+n]
	return e.arena[l : l+n : l+n]
}

func (e *xeval) one(n int32) []int32 {
	s := e.alloc(1)
	s[0] = n
	return s
}

func (e *xeval) boolean(x *xexpr, node int32) bool {
	return e.truth(x, xctx{node: node, pos: 1, size: 1})
}

func (e *xeval) nodes(x *xexpr, node int32) []int32 {
	v := e.eval(x, xctx{node: node, pos: 1, size: 1})
	if v.k == vNodes {
		return v.nodes
	}
	return nil
}

func (e *xeval) value(x *xexpr, node int32) xval {
	return e.eval(x, xctx{node: node, pos: 1, size: 1})
}

func (e *xeval) toBool(v xval) bool {
	switch v.k {
	case vNodes:
		return len(v.nodes) > 0
	case vStr:
		return v.s != ""
	case vNum:
		return v.n != 0 && !math.IsNaN(v.n)
	}
	return v.b
}

func (e *xeval) toStr(v xval) string {
	switch v.k {
	case vNodes:
		if len(v.nodes) == 0 {
			return ""
		}
		return e.t.stringValue(v.nodes[0])
	case vNum:
		return numToString(v.n)
	case vBool:
		if v.b {
			return "true"
		}
		return "false"
	}
	return v.s
}

func (e *xeval) toNum(v xval) float64 {
	switch v.k {
	case vNodes, vStr:
		return strToNum(e.toStr(v))
	case vBool:
		if v.b {
			return 1
		}
		return 0
	}
	return v.n
}

func numToString(n float64) string {
	switch {
	case math.IsNaN(n):
		return "NaN"
	case math.IsInf(n, 1):
		return "Infinity"
	case math.IsInf(n, -1):
		return "-Infinity"
	case n == 0:
		return "0"
	}
	return strconv.FormatFloat(n, 'f', -1, 64)
}

// strToNum implements XPath number() on a string.
func strToNum(s string) float64 {
	s = strings.Trim(s, " \t\r\n")
	if s == "" {
		return math.NaN()
	}
	i := 0
	if s[0] == '-' {
		i = 1
	}
	digits, dot := 0, false
	for j := i; j < len(s); j++ {
		c := s[j]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			return math.NaN()
		}
	}
	if digits == 0 {
		return math.NaN()
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.NaN()
	}
	return f
}

func (e *xeval) eval(x *xexpr, c xctx) xval {
	switch x.op {
	case xStr:
		if x.tmpl {
			return xval{k: vStr, s: strings.ReplaceAll(x.s, "$1", e.loop)}
		}
		return xval{k: vStr, s: x.s}
	case xNum:
		return xval{k: vNum, n: x.n}
	case xVar:
		return xval{k: vStr, s: e.loop}
	case xOr, xAnd:
		return xval{k: vBool, b: e.truth(x, c)}
	case xEq, xNe, xLt, xLe, xGt, xGe:
		if simpleAttr(x.a) && (x.b.op == xStr || x.b.op == xNum) {
			// @name = 'literal': no node-set needed
			v, ok := e.t.attr(c.node, x.a.steps[0].name)
			if !ok || e.t.nodes[c.node].kind != ndElem {
				return xval{k: vBool}
			}
			if x.b.op == xNum {
				return xval{k: vBool, b: e.compareAtoms(x.op, xval{k: vNum, n: strToNum(v)}, e.eval(x.b, c))}
			}
			return xval{k: vBool, b: e.compareAtoms(x.op, xval{k: vStr, s: v}, e.eval(x.b, c))}
		}
		return xval{k: vBool, b: e.compare(x.op, e.eval(x.a, c), e.eval(x.b, c))}
	case xAdd, xSub, xMul, xDiv, xMod:
		a, b := e.toNum(e.eval(x.a, c)), e.toNum(e.eval(x.b, c))
		var r float64
		switch x.op {
		case xAdd:
			r = a + b
		case xSub:
			r = a - b
		case xMul:
			r = a * b
		case xDiv:
			r = a / b
		case xMod:
			r = math.Mod(a, b)
		}
		return xval{k: vNum, n: r}
	case xNeg:
		return xval{k: vNum, n: -e.toNum(e.eval(x.a, c))}
	case xUnion:
		a, b := e.eval(x.a, c), e.eval(x.b, c)
		if a.k != vNodes || b.k != vNodes {
			return xval{k: vNodes}
		}
		return xval{k: vNodes, nodes: e.mergeNodes(a.nodes, b.nodes)}
	case xFunc:
		return e.call(x, c)
	case xPath:
		return xval{k: vNodes, nodes: e.path(x, c)}
	}
	return xval{k: vBool}
}

func (e *xeval) mergeNodes(a, b []int32) []int32 {
	out := e.alloc(len(a) + len(b))[:0]
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || i < len(a) && a[i] < b[j]:
			out = append(out, a[i])
			i++
		case i == len(a) || b[j] < a[i]:
			out = append(out, b[j])
			j++
		default:
			out = append(out, a[i])
			i++
			j++
		}
	}
	return out
}

func (e *xeval) path(x *xexpr, c xctx) []int32 {
	var cur []int32
	steps := x.steps
	switch {
	case x.base != nil:
		v := e.eval(x.base, c)
		if v.k != vNodes {
			return nil
		}
		cur = v.nodes
		for _, p := range x.preds {
			cur = e.filter(cur, p)
		}
	case len(steps) == 0:
		if x.abs {
			return e.one(0)
		}
		return e.one(c.node)
	default:
		start := c.node
		if x.abs {
			start = 0
		}
		cur = e.step(&steps[0], start)
		steps = steps[1:]
	}
	for si := range steps {
		if len(cur) == 0 {
			return nil
		}
		st := &steps[si]
		if len(cur) == 1 {
			cur = e.step(st, cur[0])
			continue
		}
		total := 0
		parts := make([][]int32, 0, len(cur))
		for _, n := range cur {
			p := e.step(st, n)
			total += len(p)
			parts = append(parts, p)
		}
		next := e.alloc(total)[:0]
		for _, p := range parts {
			next = append(next, p...)
		}
		cur = sortUnique(next)
	}
	if len(cur) == 0 {
		return nil
	}
	return cur
}

// step applies one location step to one context node; the result is in
// document order.
func (e *xeval) step(st *xstep, n int32) []int32 {
	cand := e.axis(st, n)
	for _, p := range st.preds {
		cand = e.filter(cand, p)
	}
	if st.axis.reverse() && len(cand) > 1 {
		sort.Slice(cand, func(i, j int) bool { return cand[i] < cand[j] })
	}
	return cand
}

// simpleSteps reports whether x is a relative path of child and attribute
// steps without predicates, which truth and count evaluate without
// building node-sets.
func simpleSteps(x *xexpr) bool {
	if x.op != xPath || x.base != nil || x.abs || len(x.steps) == 0 {
		return false
	}
	for i := range x.steps {
		st := &x.steps[i]
		if len(st.preds) > 0 || st.axis != axChild && st.axis != axAttribute {
			return false
		}
	}
	return true
}

// truth evaluates x as a boolean.
func (e *xeval) truth(x *xexpr, c xctx) bool {
	if simpleSteps(x) {
		return e.countSteps(x.steps, c.node, true) > 0
	}
	switch x.op {
	case xOr:
		return e.truth(x.a, c) || e.truth(x.b, c)
	case xAnd:
		return e.truth(x.a, c) && e.truth(x.b, c)
	case xFunc:
		if x.fn == "not" {
			return !e.truth(x.args[0], c)
		}
		if x.fn == "boolean" {
			return e.truth(x.args[0], c)
		}
	}
	return e.toBool(e.eval(x, c))
}

// countSteps counts the nodes selected by simple steps from node (stopping
// at the first when any is set). Child and attribute steps from distinct
// nodes never select the same node twice, so no duplicates are counted.
func (e *xeval) countSteps(steps []xstep, node int32, any bool) int {
	st := &steps[0]
	t := e.t
	nd := &t.nodes[node]
	total := 0
	if st.axis == axAttribute {
		if nd.kind != ndElem {
			return 0
		}
		for a := nd.attrFrom; a < nd.attrFrom+nd.nattr; a++ {
			if e.matches(st, a) {
				if len(steps) == 1 {
					total++
				} else {
					total += e.countSteps(steps[1:], a, any)
				}
				if any && total > 0 {
					return total
				}
			}
		}
		return total
	}
	for ch := nd.first; ch >= 0; ch = t.nodes[ch].next {
		if e.matches(st, ch) {
			if len(steps) == 1 {
				total++
			} else {
				total += e.countSteps(steps[1:], ch, any)
			}
			if any && total > 0 {
				return total
			}
		}
	}
	return total
}

// simpleAttr recognises "@name" relative to the context node.
func simpleAttr(x *xexpr) bool {
	return x.op == xPath && x.base == nil && !x.abs && len(x.steps) == 1 &&
		x.steps[0].axis == axAttribute && x.steps[0].test == testName && len(x.steps[0].preds) == 0
}

func sortUnique(ns []int32) []int32 {
	if len(ns) < 2 {
		return ns
	}
	sorted := true
	for i := 1; i < len(ns); i++ {
		if ns[i] <= ns[i-1] {
			sorted = false
			break
		}
	}
	if sorted {
		return ns
	}
	sort.Slice(ns, func(i, j int) bool { return ns[i] < ns[j] })
	out := ns[:1]
	for _, n := range ns[1:] {
		if n != out[len(out)-1] {
			out = append(out, n)
		}
	}
	return out
}

// filter applies a predicate to nodes listed in axis order. It works in
// place: ns must not be shared.
func (e *xeval) filter(ns []int32, p *xexpr) []int32 {
	if len(ns) == 0 {
		return ns
	}
	// fast path for a constant position such as [1]
	if p.op == xNum {
		i := int(p.n)
		if float64(i) == p.n && i >= 1 && i <= len(ns) {
			return ns[i-1 : i]
		}
		return nil
	}
	positional := mayBePositional(p)
	out := ns[:0]
	size := len(ns)
	for i, n := range ns {
		c := xctx{node: n, pos: i + 1, size: size}
		var keep bool
		if !positional {
			keep = e.truth(p, c)
		} else if v := e.eval(p, c); v.k == vNum {
			keep = v.n == float64(i+1)
		} else {
			keep = e.toBool(v)
		}
		if keep {
			out = append(out, n)
		}
	}
	return out
}

// matches applies the node test of st to node n.
func (e *xeval) matches(st *xstep, n int32) bool {
	nd := &e.t.nodes[n]
	switch st.test {
	case testNode:
		return true
	case testText:
		return nd.kind == ndText
	case testNothing:
		return false
	}
	if st.axis == axAttribute {
		if nd.kind != ndAttr {
			return false
		}
		switch st.test {
		case testAny:
			return true
		case testNSAny:
			return nd.name.Space == st.name.Space
		}
		return nd.name == st.name
	}
	if nd.kind != ndElem {
		return false
	}
	switch st.test {
	case testAny:
		return true
	case testNSAny:
		return nd.name.Space == st.name.Space
	}
	return nd.nameID == st.id
}

// axis lists the nodes on an axis that pass the node test, in axis order
// (reverse document order for reverse axes).
func (e *xeval) axis(st *xstep, n int32) []int32 {
	t := e.t
	nd := &t.nodes[n]
	out := e.scratch[:0]
	switch st.axis {
	case axChild:
		for c := nd.first; c >= 0; c = t.nodes[c].next {
			if e.matches(st, c) {
				out = append(out, c)
			}
		}
	case axAttribute:
		for a := nd.attrFrom; a < nd.attrFrom+nd.nattr; a++ {
			if nd.kind == ndElem && e.matches(st, a) {
				out = append(out, a)
			}
		}
	case axParent:
		if nd.parent >= 0 && e.matches(st, nd.parent) {
			out = append(out, nd.parent)
		}
	case axSelf:
		if e.matches(st, n) {
			out = append(out, n)
		}
	case axDescendant, axDescendantOrSelf:
		if st.axis == axDescendantOrSelf && e.matches(st, n) {
			out = append(out, n)
		}
		if nd.kind == ndElem || nd.kind == ndDoc {
			end := nd.end
			if nd.kind == ndDoc {
				end = int32(len(t.nodes) - 1)
			}
			for j := n + 1; j <= end; j++ {
				if t.nodes[j].kind != ndAttr && e.matches(st, j) {
					out = append(out, j)
				}
			}
		}
	case axAncestor, axAncestorOrSelf:
		if st.axis == axAncestorOrSelf && e.matches(st, n) {
			out = append(out, n)
		}
		for p := nd.parent; p >= 0; p = t.nodes[p].parent {
			if e.matches(st, p) {
				out = append(out, p)
			}
		}
	case axFollowingSibling:
		if nd.kind != ndAttr {
			for c := nd.next; c >= 0; c = t.nodes[c].next {
				if e.matches(st, c) {
					out = append(out, c)
				}
			}
		}
	case axPrecedingSibling:
		if nd.kind != ndAttr && nd.parent >= 0 {
			for c := t.nodes[nd.parent].first; c >= 0 && c != n; c = t.nodes[c].next {
				if e.matches(st, c) {
					out = append(out, c)
				}
			}
			for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
				out[i], out[j] = out[j], out[i]
			}
		}
	case axFollowing:
		start := nd.end + 1
		if nd.kind == ndAttr {
			start = t.nodes[nd.parent].attrFrom + t.nodes[nd.parent].nattr
		}
		for j := start; j < int32(len(t.nodes)); j++ {
			if t.nodes[j].kind != ndAttr && e.matches(st, j) {
				out = append(out, j)
			}
		}
	case axPreceding:
		anc := map[int32]bool{}
		for p := nd.parent; p >= 0; p = t.nodes[p].parent {
			anc[p] = true
		}
		for j := n - 1; j >= 0; j-- {
			if t.nodes[j].kind != ndAttr && !anc[j] && e.matches(st, j) {
				out = append(out, j)
			}
		}
	}
	e.scratch = out[:0]
	if len(out) == 0 {
		return nil
	}
	res := e.alloc(len(out))
	copy(res, out)
	return res
}

// compare implements = != < <= > >= with XPath 1.0 conversions.
func (e *xeval) compare(op xop, a, b xval) bool {
	if a.k == vNodes && b.k == vNodes {
		for _, x := range a.nodes {
			sx := e.t.stringValue(x)
			for _, y := range b.nodes {
				if e.compareAtoms(op, xval{k: vStr, s: sx}, xval{k: vStr, s: e.t.stringValue(y)}) {
					return true
				}
			}
		}
		return false
	}
	if a.k == vNodes || b.k == vNodes {
		ns, other, swapped := a, b, false
		if b.k == vNodes {
			ns, other, swapped = b, a, true
		}
		if other.k == vBool {
			l, r := xval{k: vBool, b: len(ns.nodes) > 0}, other
			if swapped {
				l, r = r, l
			}
			return e.compareAtoms(op, l, r)
		}
		for _, x := range ns.nodes {
			var nv xval
			if other.k == vNum {
				nv = xval{k: vNum, n: strToNum(e.t.stringValue(x))}
			} else {
				nv = xval{k: vStr, s: e.t.stringValue(x)}
			}
			l, r := nv, other
			if swapped {
				l, r = r, l
			}
			if e.compareAtoms(op, l, r) {
				return true
			}
		}
		return false
	}
	return e.compareAtoms(op, a, b)
}

func (e *xeval) compareAtoms(op xop, a, b xval) bool {
	if op == xEq || op == xNe {
		var eq bool
		switch {
		case a.k == vBool || b.k == vBool:
			eq = e.toBool(a) == e.toBool(b)
		case a.k == vNum || b.k == vNum:
			eq = e.toNum(a) == e.toNum(b)
		default:
			eq = e.toStr(a) == e.toStr(b)
		}
		if op == xEq {
			return eq
		}
		return !eq
	}
	x, y := e.toNum(a), e.toNum(b)
	switch op {
	case xLt:
		return x < y
	case xLe:
		return x <= y
	case xGt:
		return x > y
	}
	return x >= y
}

func (e *xeval) argStr(x *xexpr, i int, c xctx) string {
	if i >= len(x.args) {
		return e.t.stringValue(c.node)
	}
	return e.toStr(e.eval(x.args[i], c))
}

func (e *xeval) argNodes(x *xexpr, i int, c xctx) []int32 {
	if i >= len(x.args) {
		return []int32{c.node}
	}
	v := e.eval(x.args[i], c)
	if v.k != vNodes {
		return nil
	}
	return v.nodes
}

func (e *xeval) call(x *xexpr, c xctx) xval {
	str := func(s string) xval { return xval{k: vStr, s: s} }
	num := func(n float64) xval { return xval{k: vNum, n: n} }
	boo := func(b bool) xval { return xval{k: vBool, b: b} }
	switch x.fn {
	case "last":
		return num(float64(c.size))
	case "position":
		return num(float64(c.pos))
	case "count":
		if simpleSteps(x.args[0]) {
			return num(float64(e.countSteps(x.args[0].steps, c.node, false)))
		}
		return num(float64(len(e.argNodes(x, 0, c))))
	case "local-name", "name", "namespace-uri":
		ns := e.argNodes(x, 0, c)
		if len(ns) == 0 {
			return str("")
		}
		nd := &e.t.nodes[ns[0]]
		switch x.fn {
		case "local-name":
			return str(nd.name.Local)
		case "namespace-uri":
			return str(nd.name.Space)
		}
		if nd.prefix != "" {
			return str(nd.prefix + ":" + nd.name.Local)
		}
		return str(nd.name.Local)
	case "string":
		if len(x.args) == 0 {
			return str(e.t.stringValue(c.node))
		}
		return str(e.toStr(e.eval(x.args[0], c)))
	case "concat":
		var b strings.Builder
		for i := range x.args {
			b.WriteString(e.argStr(x, i, c))
		}
		return str(b.String())
	case "starts-with":
		return boo(strings.HasPrefix(e.argStr(x, 0, c), e.argStr(x, 1, c)))
	case "contains":
		return boo(strings.Contains(e.argStr(x, 0, c), e.argStr(x, 1, c)))
	case "substring-before":
		s, sep := e.argStr(x, 0, c), e.argStr(x, 1, c)
		if i := strings.Index(s, sep); i >= 0 {
			return str(s[:i])
		}
		return str("")
	case "substring-after":
		s, sep := e.argStr(x, 0, c), e.argStr(x, 1, c)
		if i := strings.Index(s, sep); i >= 0 {
			return str(s[i+len(sep):])
		}
		return str("")
	case "substring":
		r := []rune(e.argStr(x, 0, c))
		start := xround(e.toNum(e.eval(x.args[1], c)))
		end := math.Inf(1)
		if len(x.args) > 2 {
			end = start + xround(e.toNum(e.eval(x.args[2], c)))
		}
		var b strings.Builder
		for i, ch := range r {
			p := float64(i + 1)
			if p >= start && p < end {
				b.WriteRune(ch)
			}
		}
		return str(b.String())
	case "string-length":
		return num(float64(utf8.RuneCountInString(e.argStr(x, 0, c))))
	case "normalize-space":
		return str(strings.Join(strings.FieldsFunc(e.argStr(x, 0, c), func(r rune) bool {
			return r == ' ' || r == '\t' || r == '\n' || r == '\r'
		}), " "))
	case "translate":
		s, from, to := e.argStr(x, 0, c), []rune(e.argStr(x, 1, c)), []rune(e.argStr(x, 2, c))
		return str(strings.Map(func(r rune) rune {
			for i, f := range from {
				if f == r {
					if i < len(to) {
						return to[i]
					}
					return -1
				}
			}
			return r
		}, s))
	case "boolean":
		return boo(e.truth(x.args[0], c))
	case "not":
		return boo(!e.truth(x.args[0], c))
	case "true":
		return boo(true)
	case "false":
		return boo(false)
	case "number":
		if len(x.args) == 0 {
			return num(strToNum(e.t.stringValue(c.node)))
		}
		return num(e.toNum(e.eval(x.args[0], c)))
	case "sum":
		s := 0.0
		for _, n := range e.argNodes(x, 0, c) {
			s += strToNum(e.t.stringValue(n))
		}
		return num(s)
	case "floor":
		return num(math.Floor(e.toNum(e.eval(x.args[0], c))))
	case "ceiling":
		return num(math.Ceil(e.toNum(e.eval(x.args[0], c))))
	case "round":
		return num(xround(e.toNum(e.eval(x.args[0], c))))
	}
	return xval{k: vBool}
}

// xround rounds half up (towards positive infinity), as XPath round() does.
func xround(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return f
	}
	return math.Floor(f + 0.5)
}
