package path_test

// Semantic tests of paths (limits, prefixes, order, successors, immutability),
// against the Data Model page: a path is a sequence of at most 4096 components
// of at most 4096 bytes each and 4096 bytes in total; s prefixes t iff t's
// first |s| components equal s's; paths are ordered lexicographically by
// component, components bytewise, a proper prefix before its extensions.
// Encodings are tested elsewhere.

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/willow-web/willow-web/core/path"
)

// semMust builds a path from byte components or fails the test.
func semMust(t testing.TB, comps ...[]byte) path.Path {
	t.Helper()
	p, err := path.New(comps...)
	if err != nil {
		t.Fatalf("path.New: %v", err)
	}
	return p
}

// semRep is n copies of byte b.
func semRep(b byte, n int) []byte { return bytes.Repeat([]byte{b}, n) }

// semEmpties is n empty components.
func semEmpties(n int) [][]byte { return make([][]byte, n) }

// semAlphabet is a tiny alphabet including both extremes, so that random
// paths are often related and often equal.
var semAlphabet = []byte{0x00, 0x01, 'a', 0xfe, 0xff}

// semRandComps returns random components: up to maxCount components of up to
// maxLen bytes from semAlphabet.
func semRandComps(r *rand.Rand, maxCount, maxLen int) [][]byte {
	comps := make([][]byte, r.IntN(maxCount+1))
	for i := range comps {
		comps[i] = semRandComp(r, maxLen)
	}
	return comps
}

// semRandComp returns one random component of up to maxLen bytes.
func semRandComp(r *rand.Rand, maxLen int) []byte {
	c := make([]byte, r.IntN(maxLen+1))
	for j := range c {
		c[j] = semAlphabet[r.IntN(len(semAlphabet))]
	}
	return c
}

func semRandPath(t testing.TB, r *rand.Rand) path.Path {
	return semMust(t, semRandComps(r, 4, 3)...)
}

// semNear returns a random path "close" to p in the path order: p with some
// components dropped, one component changed by a byte, or components added.
// Such paths are the ones that could slip between p and a claimed successor.
func semNear(r *rand.Rand, p path.Path) path.Path {
	comps := p.Components()
	for range 1 + r.IntN(3) {
		switch r.IntN(6) {
		case 0: // truncate
			if len(comps) > 0 {
				comps = comps[:r.IntN(len(comps)+1)]
			}
		case 1: // append a short component
			comps = append(comps, semRandComp(r, 2))
		case 2: // extend or shorten the last component
			if n := len(comps); n > 0 {
				c := comps[n-1]
				if len(c) > 0 && r.IntN(2) == 0 {
					comps[n-1] = c[:r.IntN(len(c))]
				} else {
					comps[n-1] = append(c, semAlphabet[r.IntN(len(semAlphabet))])
				}
			}
		case 3: // bump a byte up or down
			if n := len(comps); n > 0 {
				i := r.IntN(n)
				if len(comps[i]) > 0 {
					j := r.IntN(len(comps[i]))
					comps[i][j] += byte(1 - 2*r.IntN(2))
				}
			}
		case 4: // replace a component
			if n := len(comps); n > 0 {
				comps[r.IntN(n)] = semRandComp(r, 3)
			}
		case 5: // drop bytes from the end of a component and add 0xff
			if n := len(comps); n > 0 {
				i := r.IntN(n)
				k := r.IntN(len(comps[i]) + 1)
				comps[i] = append(comps[i][:k:k], 0xff)
			}
		}
	}
	q, err := path.New(comps...)
	if err != nil {
		return p
	}
	return q
}

// semRefCompare is an independent reference of the path order.
func semRefCompare(p, q path.Path) int {
	a, b := p.Components(), q.Components()
	for i := 0; i < len(a) && i < len(b); i++ {
		if c := bytes.Compare(a[i], b[i]); c != 0 {
			return c
		}
	}
	return len(a) - len(b)
}

func semSign(x int) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}

// semRefIsPrefix is an independent reference of the prefix relation.
func semRefIsPrefix(s, t path.Path) bool {
	a, b := s.Components(), t.Components()
	if len(a) > len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

func TestSemanticsLimits(t *testing.T) {
	ok := []struct {
		name  string
		comps [][]byte
	}{
		{"component of exactly 4096 bytes", [][]byte{semRep('x', 4096)}},
		{"exactly 4096 empty components", semEmpties(4096)},
		{"exactly 4096 bytes in two components", [][]byte{semRep('a', 2048), semRep('b', 2048)}},
		{"4096 components of one byte", func() [][]byte {
			c := make([][]byte, 4096)
			for i := range c {
				c[i] = []byte{byte(i)}
			}
			return c
		}()},
		{"empty path", nil},
	}
	for _, tc := range ok {
		p, err := path.New(tc.comps...)
		if err != nil {
			t.Errorf("%s: New failed: %v", tc.name, err)
			continue
		}
		if p.Len() != len(tc.comps) {
			t.Errorf("%s: Len = %d, want %d", tc.name, p.Len(), len(tc.comps))
		}
		total := 0
		for i, c := range tc.comps {
			total += len(c)
			if !bytes.Equal(p.Component(i), c) {
				t.Errorf("%s: component %d differs", tc.name, i)
			}
		}
		if p.TotalLength() != total {
			t.Errorf("%s: TotalLength = %d, want %d", tc.name, p.TotalLength(), total)
		}
	}

	bad := []struct {
		name  string
		comps [][]byte
	}{
		{"component of 4097 bytes", [][]byte{semRep('x', 4097)}},
		{"4097 empty components", semEmpties(4097)},
		{"4097 bytes in two components", [][]byte{semRep('a', 2048), semRep('b', 2049)}},
		{"4097 bytes in many components", [][]byte{semRep('a', 1000), semRep('b', 1000), semRep('c', 1000), semRep('d', 1097)}},
		{"oversized component after valid ones", [][]byte{[]byte("a"), semRep('x', 4097)}},
	}
	for _, tc := range bad {
		_, err := path.New(tc.comps...)
		if !errors.Is(err, path.ErrLimit) {
			t.Errorf("%s: New error = %v, want ErrLimit", tc.name, err)
		}
	}
	if _, err := path.FromStrings(string(semRep('s', 4097))); !errors.Is(err, path.ErrLimit) {
		t.Errorf("FromStrings over the limit: error = %v, want ErrLimit", err)
	}

	// Growing a path at the limit fails with ErrLimit; the input is untouched.
	full := semMust(t, semEmpties(4096)...)
	if _, err := full.Append(nil); !errors.Is(err, path.ErrLimit) {
		t.Errorf("Append to 4096 components: error = %v, want ErrLimit", err)
	}
	long := semMust(t, semRep('a', 4096))
	if _, err := long.Append([]byte{1}); !errors.Is(err, path.ErrLimit) {
		t.Errorf("Append a byte to 4096 bytes: error = %v, want ErrLimit", err)
	}
	if q, err := long.Append(nil); err != nil || q.Len() != 2 || q.TotalLength() != 4096 {
		t.Errorf("Append an empty component to 4096 bytes: %v, %v; want a 2-component path", q, err)
	}
	half := semMust(t, semRep('a', 2048))
	if _, err := half.Concat(semMust(t, semRep('b', 2049))); !errors.Is(err, path.ErrLimit) {
		t.Errorf("Concat to 4097 bytes: error = %v, want ErrLimit", err)
	}
	if q, err := half.Concat(semMust(t, semRep('b', 2048))); err != nil || q.TotalLength() != 4096 {
		t.Errorf("Concat to exactly 4096 bytes: %v", err)
	}
	if _, err := semMust(t, semEmpties(2048)...).Concat(semMust(t, semEmpties(2049)...)); !errors.Is(err, path.ErrLimit) {
		t.Errorf("Concat to 4097 components: error = %v, want ErrLimit", err)
	}
	if long.Len() != 1 || full.Len() != 4096 || half.Len() != 1 {
		t.Error("a failed Append/Concat changed its receiver")
	}
}

func TestSemanticsPrefixes(t *testing.T) {
	p := path.MustFromStrings
	cases := []struct {
		s, t    path.Path
		prefix  bool // s prefixes t
		related bool
		lcp     int
	}{
		{p(), p(), true, true, 0},
		{p(), p("a"), true, true, 0},
		{p("a"), p(), false, true, 0},
		{p("a"), p("a"), true, true, 1},
		{p("a"), p("a", "b"), true, true, 1},
		{p("a"), p("ab"), false, false, 0}, // component-wise, not bytewise
		{p("ab"), p("a"), false, false, 0},
		{p("a", ""), p("a"), false, true, 1},
		{p("a"), p("a", ""), true, true, 1},
		{p(""), p(), false, true, 0},
		{p(""), p("", ""), true, true, 1},
		{p("a", "b"), p("a", "c"), false, false, 1},
		{p("a", "b", "c"), p("a", "b", "c", "d"), true, true, 3},
		{p("x", "b"), p("a", "b"), false, false, 0},
	}
	for _, c := range cases {
		if got := c.s.IsPrefixOf(c.t); got != c.prefix {
			t.Errorf("%v.IsPrefixOf(%v) = %v, want %v", c.s, c.t, got, c.prefix)
		}
		if got := c.s.IsRelatedTo(c.t); got != c.related {
			t.Errorf("%v.IsRelatedTo(%v) = %v, want %v", c.s, c.t, got, c.related)
		}
		if got := c.t.IsRelatedTo(c.s); got != c.related {
			t.Errorf("%v.IsRelatedTo(%v) = %v, want %v", c.t, c.s, got, c.related)
		}
		if got := c.s.CommonPrefixLen(c.t); got != c.lcp {
			t.Errorf("%v.CommonPrefixLen(%v) = %d, want %d", c.s, c.t, got, c.lcp)
		}
		if got := c.s.LongestCommonPrefix(c.t); !got.Equal(c.s.Prefix(c.lcp)) || got.Len() != c.lcp {
			t.Errorf("%v.LongestCommonPrefix(%v) = %v", c.s, c.t, got)
		}
	}

	r := rand.New(rand.NewPCG(1, 2))
	for range 8000 {
		a := semRandPath(t, r)
		b := semNear(r, a)
		if r.IntN(3) == 0 {
			b = semRandPath(t, r)
		}
		if got, want := a.IsPrefixOf(b), semRefIsPrefix(a, b); got != want {
			t.Fatalf("%v.IsPrefixOf(%v) = %v, want %v", a, b, got, want)
		}
		if got, want := a.IsRelatedTo(b), semRefIsPrefix(a, b) || semRefIsPrefix(b, a); got != want {
			t.Fatalf("%v.IsRelatedTo(%v) = %v, want %v", a, b, got, want)
		}
		if a.Equal(b) != (semRefIsPrefix(a, b) && semRefIsPrefix(b, a)) {
			t.Fatalf("%v.Equal(%v) disagrees with mutual prefixing", a, b)
		}
		// The longest common prefix prefixes both, and no longer prefix of
		// a prefixes b.
		l := a.LongestCommonPrefix(b)
		if !semRefIsPrefix(l, a) || !semRefIsPrefix(l, b) {
			t.Fatalf("LCP(%v, %v) = %v does not prefix both", a, b, l)
		}
		if l.Len() < a.Len() && semRefIsPrefix(a.Prefix(l.Len()+1), b) {
			t.Fatalf("LCP(%v, %v) = %v is not the longest", a, b, l)
		}
		if !l.Equal(b.LongestCommonPrefix(a)) {
			t.Fatalf("LCP is not symmetric for %v, %v", a, b)
		}
		// Every prefix listed by AllPrefixes prefixes a, in order of length.
		all := a.AllPrefixes()
		if len(all) != a.Len()+1 {
			t.Fatalf("AllPrefixes(%v) has %d paths, want %d", a, len(all), a.Len()+1)
		}
		for i, q := range all {
			if q.Len() != i || !semRefIsPrefix(q, a) {
				t.Fatalf("AllPrefixes(%v)[%d] = %v", a, i, q)
			}
		}
		// Prefix(n) followed by Suffix(n) gives the path back.
		n := r.IntN(a.Len() + 1)
		joined, err := a.Prefix(n).Concat(a.Suffix(n))
		if err != nil || !joined.Equal(a) {
			t.Fatalf("%v: Prefix(%d)+Suffix(%d) = %v, %v", a, n, n, joined, err)
		}
		if a.Suffix(n).Len() != a.Len()-n {
			t.Fatalf("%v.Suffix(%d) has %d components", a, n, a.Suffix(n).Len())
		}
	}
}

func TestSemanticsCompareIsTheSpecOrder(t *testing.T) {
	p := path.MustFromStrings
	// Each path is less than the next one.
	chain := []path.Path{
		p(),
		p(""),
		p("", ""),
		p("", "a"),
		p("\x00"),
		p("a"),
		p("a", ""),
		p("a", "\x00"),
		p("a", "b"),
		p("a", "b", "c"),
		p("a", "c"),
		p("a\x00"),
		p("ab"),
		p("b"),
		p("\xff"),
		p("\xff", ""),
		p("\xff\x00"),
		p("\xff\xff"),
	}
	for i := range chain {
		for j := range chain {
			want := semSign(i - j)
			if got := chain[i].Compare(chain[j]); got != want {
				t.Errorf("Compare(%v, %v) = %d, want %d", chain[i], chain[j], got, want)
			}
		}
	}

	r := rand.New(rand.NewPCG(3, 4))
	paths := make([]path.Path, 0, 300)
	for range 150 {
		a := semRandPath(t, r)
		paths = append(paths, a, semNear(r, a))
	}
	for _, a := range paths {
		if a.Compare(a) != 0 {
			t.Fatalf("Compare(%v, %v) != 0", a, a)
		}
		for _, b := range paths {
			ab := a.Compare(b)
			if ab != semSign(semRefCompare(a, b)) {
				t.Fatalf("Compare(%v, %v) = %d, reference says %d", a, b, ab, semRefCompare(a, b))
			}
			if ab != -b.Compare(a) {
				t.Fatalf("Compare not antisymmetric on %v, %v", a, b)
			}
			if (ab == 0) != a.Equal(b) {
				t.Fatalf("Compare(%v, %v) = %d but Equal = %v", a, b, ab, a.Equal(b))
			}
			if semRefIsPrefix(a, b) && ab > 0 {
				t.Fatalf("prefix %v sorts after its extension %v", a, b)
			}
		}
	}
	// Transitivity on random triples.
	for range 200000 {
		a, b, c := paths[r.IntN(len(paths))], paths[r.IntN(len(paths))], paths[r.IntN(len(paths))]
		if a.Compare(b) <= 0 && b.Compare(c) <= 0 && a.Compare(c) > 0 {
			t.Fatalf("Compare not transitive: %v ≤ %v ≤ %v but %v > %v", a, b, c, a, c)
		}
	}
	// Sorting with Compare is a total order: sorting twice from different
	// starting orders gives the same sequence.
	s1 := slices.Clone(paths)
	s2 := slices.Clone(paths)
	r.Shuffle(len(s2), func(i, j int) { s2[i], s2[j] = s2[j], s2[i] })
	slices.SortFunc(s1, path.Path.Compare)
	slices.SortFunc(s2, path.Path.Compare)
	for i := range s1 {
		if !s1[i].Equal(s2[i]) {
			t.Fatalf("sorting is not deterministic at %d: %v vs %v", i, s1[i], s2[i])
		}
	}
}

// semCheckSuccessor checks that s is the least path greater than p among the
// candidates: every candidate greater than p is ≥ s.
func semCheckSuccessor(t *testing.T, p, s path.Path, candidates []path.Path) {
	t.Helper()
	if p.Compare(s) >= 0 {
		t.Fatalf("Successor(%v) = %v is not greater", p, s)
	}
	for _, q := range candidates {
		if p.Compare(q) < 0 && q.Compare(s) < 0 {
			t.Fatalf("%v lies strictly between %v and its successor %v", q, p, s)
		}
	}
}

// semCheckGBNP checks that g is the least path greater than p without p as a
// prefix, among the candidates.
func semCheckGBNP(t *testing.T, p, g path.Path, candidates []path.Path) {
	t.Helper()
	if p.Compare(g) >= 0 {
		t.Fatalf("GreaterButNotPrefixed(%v) = %v is not greater", p, g)
	}
	if p.IsPrefixOf(g) {
		t.Fatalf("GreaterButNotPrefixed(%v) = %v has it as a prefix", p, g)
	}
	for _, q := range candidates {
		if p.IsPrefixOf(q) {
			if q.Compare(g) >= 0 {
				t.Fatalf("extension %v of %v does not sort before %v", q, p, g)
			}
		} else if p.Compare(q) < 0 && q.Compare(g) < 0 {
			t.Fatalf("%v (not extending %v) lies strictly between it and %v", q, p, g)
		}
	}
}

func TestSemanticsSuccessorRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 3000 {
		p := semRandPath(t, r)
		cands := make([]path.Path, 0, 200)
		for range 100 {
			cands = append(cands, semNear(r, p), semRandPath(t, r))
		}
		s, ok := p.Successor()
		if !ok {
			t.Fatalf("small path %v has no successor", p)
		}
		if want, _ := p.Append(nil); !s.Equal(want) {
			t.Fatalf("Successor(%v) = %v, want %v (append an empty component)", p, s, want)
		}
		semCheckSuccessor(t, p, s, append(cands, semNear(r, s)))
		g, ok := p.GreaterButNotPrefixed()
		if !ok {
			// Only possible if every component is all 0xff and full-length,
			// which random small paths never are, unless p is empty.
			if p.Len() != 0 {
				t.Fatalf("GreaterButNotPrefixed(%v) reported none", p)
			}
			continue
		}
		semCheckGBNP(t, p, g, append(cands, semNear(r, g)))
	}
	// The empty path prefixes every path: nothing is greater but not prefixed.
	if g, ok := (path.Path{}).GreaterButNotPrefixed(); ok {
		t.Errorf("GreaterButNotPrefixed(empty) = %v, want none", g)
	}
}

func TestSemanticsSuccessorAtLimits(t *testing.T) {
	p := path.MustFromStrings
	ff := func(n int) []byte { return semRep(0xff, n) }
	type want struct {
		ok   bool
		path path.Path
	}
	cases := []struct {
		name string
		p    path.Path
		succ want
		gbnp want
	}{
		{
			name: "small",
			p:    p("a", "b"),
			succ: want{true, p("a", "b", "")},
			gbnp: want{true, p("a", "b\x00")},
		},
		{
			name: "4096 empty components: no room for a component, so the last grows",
			p:    semMust(t, semEmpties(4096)...),
			succ: want{true, semMust(t, append(semEmpties(4095), []byte{0})...)},
			gbnp: want{true, semMust(t, append(semEmpties(4095), []byte{0})...)},
		},
		{
			name: "4096 bytes in total: an empty component still fits, a byte does not",
			p:    semMust(t, semRep('a', 2048), semRep('b', 2048)),
			succ: want{true, semMust(t, semRep('a', 2048), semRep('b', 2048), nil)},
			gbnp: want{true, semMust(t, semRep('a', 2048), append(semRep('b', 2047), 'c'))},
		},
		{
			name: "4096 bytes ending in 0xff: increment the last byte below 0xff",
			p:    semMust(t, semRep('a', 2048), append(semRep('b', 2046), 0xff, 0xff)),
			succ: want{true, semMust(t, semRep('a', 2048), append(semRep('b', 2046), 0xff, 0xff), nil)},
			gbnp: want{true, semMust(t, semRep('a', 2048), append(semRep('b', 2045), 'c'))},
		},
		{
			name: "all-0xff components filling 4096 bytes: grow the first",
			p:    semMust(t, ff(2048), ff(2048)),
			succ: want{true, semMust(t, ff(2048), ff(2048), nil)},
			gbnp: want{true, semMust(t, append(ff(2048), 0))},
		},
		{
			name: "one all-0xff component of 4096 bytes: no greater non-extension",
			p:    semMust(t, ff(4096)),
			succ: want{true, semMust(t, ff(4096), nil)},
			gbnp: want{false, path.Path{}},
		},
		{
			name: "the greatest path: 0xff×4096 then 4095 empty components",
			p:    semMust(t, append([][]byte{ff(4096)}, semEmpties(4095)...)...),
			succ: want{false, path.Path{}},
			gbnp: want{false, path.Path{}},
		},
		{
			name: "4096 components, the last all 0xff and full: grow an earlier one",
			p:    semMust(t, append(semEmpties(4095), ff(4096))...),
			succ: want{true, semMust(t, append(semEmpties(4094), []byte{0})...)},
			gbnp: want{true, semMust(t, append(semEmpties(4094), []byte{0})...)},
		},
		{
			name: "4096 one-byte 0xff components filling 4096 bytes: grow the last but one",
			p:    semMust(t, semOnes(4096, 4096, nil)...),
			succ: want{true, semMust(t, semOnes(4095, 4094, []byte{0xff, 0})...)},
			gbnp: want{true, semMust(t, semOnes(4095, 4094, []byte{0xff, 0})...)},
		},
		{
			name: "4000 one-byte 0xff components: the last grows",
			p:    semMust(t, semOnes(4000, 4000, nil)...),
			succ: want{true, semMust(t, append(semOnes(4000, 4000, nil), nil)...)},
			gbnp: want{true, semMust(t, semOnes(4000, 3999, []byte{0xff, 0})...)},
		},
	}
	for _, c := range cases {
		s, ok := c.p.Successor()
		if ok != c.succ.ok || (ok && !s.Equal(c.succ.path)) {
			t.Errorf("%s: Successor = %v, %v; want %v, %v", c.name, semShort(s), ok, semShort(c.succ.path), c.succ.ok)
		}
		g, ok := c.p.GreaterButNotPrefixed()
		if ok != c.gbnp.ok || (ok && !g.Equal(c.gbnp.path)) {
			t.Errorf("%s: GreaterButNotPrefixed = %v, %v; want %v, %v", c.name, semShort(g), ok, semShort(c.gbnp.path), c.gbnp.ok)
		}
		// Whatever they return respects the limits (New accepted it, since
		// the result has the same components) and the order properties
		// against nearby paths.
		r := rand.New(rand.NewPCG(7, uint64(len(c.name))))
		var cands []path.Path
		for range 300 {
			cands = append(cands, semNear(r, c.p))
		}
		if sp, ok := c.p.Successor(); ok {
			if _, err := path.New(sp.Components()...); err != nil {
				t.Errorf("%s: successor breaks a limit: %v", c.name, err)
			}
			semCheckSuccessor(t, c.p, sp, cands)
		}
		if gp, ok := c.p.GreaterButNotPrefixed(); ok {
			if _, err := path.New(gp.Components()...); err != nil {
				t.Errorf("%s: GreaterButNotPrefixed breaks a limit: %v", c.name, err)
			}
			semCheckGBNP(t, c.p, gp, cands)
		}
	}
}

// semOnes returns n components: the first k are 0xff, the rest (if any) last.
func semOnes(n, k int, last []byte) [][]byte {
	c := make([][]byte, n)
	for i := range c {
		c[i] = []byte{0xff}
	}
	if k < n {
		c[k] = last
	}
	return c
}

// semShort renders a path briefly (limit-sized paths have long strings).
func semShort(p path.Path) string {
	s := p.String()
	if len(s) > 80 {
		return s[:40] + "…" + s[len(s)-30:]
	}
	return s
}

// Near the limits, a random walk of successors stays increasing and within
// the limits, and GreaterButNotPrefixed jumps over every extension.
func TestSemanticsSuccessorWalkNearLimits(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	for range 40 {
		// A path with 4090–4096 bytes or 4090–4096 components.
		var comps [][]byte
		if r.IntN(2) == 0 {
			total := 4090 + r.IntN(7)
			for total > 0 {
				n := min(total, 1+r.IntN(1500))
				c := make([]byte, n)
				for i := range c {
					c[i] = semAlphabet[3+r.IntN(2)] // 0xfe or 0xff
				}
				comps = append(comps, c)
				total -= n
			}
		} else {
			comps = semEmpties(4090 + r.IntN(7))
			for i := range comps {
				if r.IntN(8) == 0 {
					comps[i] = []byte{semAlphabet[r.IntN(len(semAlphabet))]}
				}
			}
		}
		p := semMust(t, comps...)
		for range 6 {
			s, ok := p.Successor()
			if !ok {
				break
			}
			if p.Compare(s) >= 0 {
				t.Fatalf("successor of %v is not greater", semShort(p))
			}
			if _, err := path.New(s.Components()...); err != nil {
				t.Fatalf("successor of %v breaks a limit: %v", semShort(p), err)
			}
			if g, ok := p.GreaterButNotPrefixed(); ok {
				var cands []path.Path
				for range 8 {
					cands = append(cands, semNear(r, p), semNear(r, g))
				}
				semCheckGBNP(t, p, g, cands)
			}
			p = s
		}
	}
}

var semSink path.Path

func TestSemanticsPrefixDoesNotAllocate(t *testing.T) {
	p := path.MustFromStrings("a", "bb", "ccc", "dddd")
	for n := 0; n <= p.Len(); n++ {
		allocs := testing.AllocsPerRun(100, func() { semSink = p.Prefix(n) })
		if allocs != 0 {
			t.Errorf("Prefix(%d) allocates %.1f times per call", n, allocs)
		}
	}
	allocs := testing.AllocsPerRun(100, func() { semSink = p.LongestCommonPrefix(p) })
	if allocs != 0 {
		t.Errorf("LongestCommonPrefix allocates %.1f times per call", allocs)
	}
}

func TestSemanticsImmutability(t *testing.T) {
	a, b := []byte("alpha"), []byte("beta")
	comps := [][]byte{a, b}
	p := semMust(t, comps...)
	a[0], b[0] = 'X', 'Y'
	comps[1] = []byte("gamma")
	if got := p.Components(); string(got[0]) != "alpha" || string(got[1]) != "beta" {
		t.Fatalf("mutating New's input changed the path: %q", got)
	}

	out := p.Components()
	out[0][0] = 'Z'
	out[1] = []byte("other")
	if string(p.Component(0)) != "alpha" || string(p.Component(1)) != "beta" {
		t.Fatalf("mutating Components() changed the path: %v", p)
	}

	// Component shares memory but is capped: appending to it cannot write
	// into the next component.
	c0 := p.Component(0)
	_ = append(c0, '!')
	if string(p.Component(1)) != "beta" {
		t.Fatalf("appending to Component(0) overwrote component 1: %v", p)
	}

	// Growing a prefix must not write into the path it was taken from.
	q := semMust(t, []byte("a"), []byte("b"), []byte("c"))
	pre := q.Prefix(1)
	r1, err := pre.Append([]byte("x"))
	if err != nil {
		t.Fatal(err)
	}
	r2, err := pre.Concat(path.MustFromStrings("y", "z"))
	if err != nil {
		t.Fatal(err)
	}
	if !q.Equal(path.MustFromStrings("a", "b", "c")) || !r1.Equal(path.MustFromStrings("a", "x")) ||
		!r2.Equal(path.MustFromStrings("a", "y", "z")) || !pre.Equal(path.MustFromStrings("a")) {
		t.Fatalf("aliasing: q=%v pre=%v r1=%v r2=%v", q, pre, r1, r2)
	}
	appended := []byte("tail")
	r3, _ := q.Append(appended)
	appended[0] = 'T'
	if string(r3.Component(3)) != "tail" {
		t.Fatalf("Append kept a reference to its argument: %v", r3)
	}
	// Successors are new paths too.
	s, _ := q.GreaterButNotPrefixed()
	if !q.Equal(path.MustFromStrings("a", "b", "c")) || !s.Equal(path.MustFromStrings("a", "b", "c\x00")) {
		t.Fatalf("GreaterButNotPrefixed: q=%v s=%v", q, s)
	}
}

func TestSemanticsString(t *testing.T) {
	cases := []struct {
		p    path.Path
		want string
	}{
		{path.Path{}, "<empty>"},
		{path.MustFromStrings(""), "/"},
		{path.MustFromStrings("a", "b"), "/a/b"},
		{path.MustFromStrings("a/b", "50%", "\x00\xff "), "/a%2Fb/50%25/%00%FF%20"},
	}
	for _, c := range cases {
		if got := c.p.String(); got != c.want {
			t.Errorf("String(%q) = %q, want %q", c.p.Components(), got, c.want)
		}
	}
}
