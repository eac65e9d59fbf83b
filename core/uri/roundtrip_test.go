package uri

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/path"
)

// gen makes random URI values that stress the encodings: components with
// '.', '..', '%', '/', '&', '?', '#', non-ASCII and arbitrary bytes, empty
// components, all kinds of ranges, hints that are URIs with ';' and '&',
// fragments of arbitrary bytes.
type gen struct{ r *rand.Rand }

func (g gen) bytes(max int) string {
	const alphabet = "./%&?#;=+:@!$'()*,~_-aZ09 é\x00\xff"
	n := g.r.IntN(max + 1)
	b := make([]byte, n)
	for i := range b {
		if g.r.IntN(4) == 0 {
			b[i] = byte(g.r.IntN(256))
		} else {
			b[i] = alphabet[g.r.IntN(len(alphabet))]
		}
	}
	return string(b)
}

func (g gen) component() string {
	switch g.r.IntN(8) {
	case 0:
		return "."
	case 1:
		return ".."
	case 2:
		return ""
	case 3:
		return "%2E"
	}
	return g.bytes(12)
}

func (g gen) path() path.Path {
	n := g.r.IntN(6)
	if g.r.IntN(50) == 0 {
		n = path.MaxComponentCount
	}
	cs := make([]string, n)
	for i := range cs {
		if n <= 6 {
			cs[i] = g.component()
		}
	}
	return path.MustFromStrings(cs...)
}

func (g gen) u64() uint64 {
	switch g.r.IntN(5) {
	case 0:
		return 0
	case 1:
		return ^uint64(0)
	case 2:
		return g.r.Uint64()
	}
	return uint64(g.r.IntN(100))
}

func (g gen) hints() []string {
	n := g.r.IntN(4)
	if n == 0 {
		return nil
	}
	hs := make([]string, n)
	for i := range hs {
		switch g.r.IntN(4) {
		case 0:
			hs[i] = "https://example.org/a;b?c=d&e=f#g"
		case 1:
			hs[i] = host + "/x?from=1&to=2;" + PercentEncode(g.bytes(5))
		case 2:
			hs[i] = strings.ToValidUTF8("h"+g.bytes(10), "�")
		default:
			hs[i] = "wtp://worm-blossom.org:1235/example"
		}
	}
	return hs
}

func (g gen) ids() (ids.NamespaceID, ids.SubspaceID) {
	var ns ids.NamespaceID
	var ss ids.SubspaceID
	for i := range ns {
		ns[i], ss[i] = byte(g.r.IntN(256)), byte(g.r.IntN(256))
	}
	return ns, ss
}

func (g gen) fragment() (string, bool) {
	if g.r.IntN(2) == 0 {
		return "", false
	}
	return g.bytes(10), true
}

func (g gen) entryURI() EntryURI {
	u := EntryURI{Path: g.path(), Hints: g.hints()}
	u.Namespace, u.Subspace = g.ids()
	u.Fragment, u.HasFragment = g.fragment()
	if g.r.IntN(2) == 0 {
		u.HasDigest = true
		for i := range u.Digest {
			u.Digest[i] = byte(g.r.IntN(256))
		}
	}
	u.Range.HasFrom, u.Range.HasTo = g.r.IntN(2) == 0, g.r.IntN(2) == 0
	if u.Range.HasFrom {
		u.Range.From = g.u64()
	}
	if u.Range.HasTo {
		u.Range.To = g.u64()
	}
	return u
}

func (g gen) areaURI() AreaURI {
	a := AreaURI{Path: g.path(), Hints: g.hints(), MaxCount: max(1, g.u64()), MaxSize: g.u64()}
	a.Namespace, a.Subspace = g.ids()
	a.Fragment, a.HasFragment = g.fragment()
	start := g.u64()
	a.Times = grouping.NewOpenRange(entry.Timestamp(start))
	if g.r.IntN(2) == 0 && start < ^uint64(0) {
		end := start + 1 + uint64(g.r.IntN(1000))
		if end < start {
			end = ^uint64(0)
		}
		r, err := grouping.NewClosedRange(entry.Timestamp(start), entry.Timestamp(end))
		if err != nil {
			panic(err)
		}
		a.Times = r
	}
	return a
}

// sameEntry compares every field exactly (no canonicalisation).
func sameEntry(a, b EntryURI) bool {
	return a.Namespace == b.Namespace && a.Subspace == b.Subspace && a.Path.Equal(b.Path) &&
		a.Digest == b.Digest && a.HasDigest == b.HasDigest && a.Range == b.Range &&
		equalStrings(a.Hints, b.Hints) && (a.Hints == nil) == (b.Hints == nil) &&
		a.Fragment == b.Fragment && a.HasFragment == b.HasFragment
}

func sameArea(a, b AreaURI) bool {
	return a.Namespace == b.Namespace && a.Subspace == b.Subspace && a.Path.Equal(b.Path) &&
		a.Times.Equal(b.Times) && a.MaxCount == b.MaxCount && a.MaxSize == b.MaxSize &&
		equalStrings(a.Hints, b.Hints) && (a.Hints == nil) == (b.Hints == nil) &&
		a.Fragment == b.Fragment && a.HasFragment == b.HasFragment
}

const roundTrips = 20000

func TestRoundTripEntry(t *testing.T) {
	g := gen{rand.New(rand.NewPCG(1, 2))}
	n := roundTrips
	if testing.Short() {
		n /= 10
	}
	for i := 0; i < n; i++ {
		v := g.entryURI()
		s, err := v.Format()
		if err != nil {
			t.Fatalf("format %+v: %v", v, err)
		}
		back, err := ParseEntry(s)
		if err != nil {
			t.Fatalf("parse %q: %v", s, err)
		}
		// parse(format(v)) is v in canonical form, and equals v.
		if !sameEntry(back, v.Canonical()) || !back.Equal(v) {
			t.Fatalf("round trip of %q:\n got %+v\nwant %+v", s, back, v.Canonical())
		}
		// format(parse(format(v))) == format(v).
		if s2, err := back.Format(); err != nil || s2 != s {
			t.Fatalf("not a fixed point: %q → %q, %v", s, s2, err)
		}
		// Canonical values round trip exactly; the payload slice is kept.
		c := v.Canonical()
		if !sameEntry(c.Canonical(), c) {
			t.Fatalf("Canonical not idempotent: %+v", c)
		}
		for _, length := range []uint64{0, 1, 50, ^uint64(0)} {
			s1, e1, ok1 := v.Range.Slice(length)
			s2, e2, ok2 := c.Range.Slice(length)
			if s1 != s2 || e1 != e2 || ok1 != ok2 || s1 > e1 || e1 > length {
				t.Fatalf("canonical range %+v changes Slice(%d) of %+v", c.Range, length, v.Range)
			}
		}
	}
}

func TestRoundTripArea(t *testing.T) {
	g := gen{rand.New(rand.NewPCG(3, 4))}
	n := roundTrips
	if testing.Short() {
		n /= 10
	}
	for i := 0; i < n; i++ {
		v := g.areaURI()
		s, err := v.Format()
		if err != nil {
			t.Fatalf("format %+v: %v", v, err)
		}
		back, err := ParseArea(s)
		if err != nil {
			t.Fatalf("parse %q: %v", s, err)
		}
		if !sameArea(back, v.Canonical()) || !back.Equal(v) {
			t.Fatalf("round trip of %q:\n got %+v\nwant %+v", s, back, v.Canonical())
		}
		if s2, err := back.Format(); err != nil || s2 != s {
			t.Fatalf("not a fixed point: %q → %q, %v", s, s2, err)
		}
	}
}

func TestSliceRules(t *testing.T) {
	r := func(from, to int64) PayloadRange {
		var p PayloadRange
		if from >= 0 {
			p.From, p.HasFrom = uint64(from), true
		}
		if to >= 0 {
			p.To, p.HasTo = uint64(to), true
		}
		return p
	}
	tests := []struct {
		r               PayloadRange
		length          uint64
		start, end      uint64
		ok              bool
		canonicalString string
	}{
		{r(-1, -1), 10, 0, 0, false, ""},
		{r(0, -1), 10, 0, 10, true, "?from=0"},
		{r(3, -1), 10, 3, 10, true, "?from=3"},
		{r(30, -1), 10, 10, 10, true, "?from=30"},
		{r(-1, 4), 10, 0, 4, true, "?to=4"},
		{r(-1, 40), 10, 0, 10, true, "?to=40"},
		{r(0, 4), 10, 0, 4, true, "?to=4"},
		{r(2, 4), 10, 2, 4, true, "?from=2&to=4"},
		{r(4, 2), 10, 4, 4, true, "?from=4&to=4"},
		{r(40, 20), 10, 10, 10, true, "?from=40&to=40"},
		{r(5, 5), 10, 5, 5, true, "?from=5&to=5"},
		{r(-1, 0), 10, 0, 0, true, "?to=0"},
		{r(0, 0), 0, 0, 0, true, "?to=0"},
		{r(7, 9), 0, 0, 0, true, "?from=7&to=9"},
	}
	for _, tt := range tests {
		s, e, ok := tt.r.Slice(tt.length)
		if s != tt.start || e != tt.end || ok != tt.ok {
			t.Errorf("%+v.Slice(%d) = %d, %d, %v; want %d, %d, %v", tt.r, tt.length, s, e, ok, tt.start, tt.end, tt.ok)
		}
		u := EntryURI{Namespace: hostNS, Subspace: hostSS, Range: tt.r}
		if got := u.String(); got != host+tt.canonicalString {
			t.Errorf("%+v formats as %s, want %s", tt.r, got, host+tt.canonicalString)
		}
	}
}

func TestEqualAndCanonical(t *testing.T) {
	parse := func(s string) EntryURI {
		t.Helper()
		u, err := ParseEntry(host + s)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	same := [][2]string{
		{"?from=0&to=5", "?to=5"},
		{"?from=9&to=2", "?from=9&to=9"},
		{"?to=3&from=1", "?from=00001&to=3"},
		{"/a/./b/../c", "/a/c"},
		{"/%61%2e", "/a."},
		{"?digest=" + strings.ToUpper(digestH), "?digest=" + digestH},
		{"?hints=a:b", "?hints=a%3ab"},
	}
	for _, p := range same {
		a, b := parse(p[0]), parse(p[1])
		if !a.Equal(b) || a.String() != b.String() {
			t.Errorf("%s and %s differ: %s vs %s", p[0], p[1], a, b)
		}
	}
	differ := [][2]string{
		{"", "?from=0"},              // no payload vs whole payload
		{"?from=5&to=5", "?to=0"},    // empty slices at different places
		{"", "#"},                    // no fragment vs empty fragment
		{"/a", "/a/"},                // [a] vs [a, ""]
		{"/%2E", "/."},               // [.] vs []
		{"?hints=a;b", "?hints=b;a"}, // hint order matters
		{"?hints=a%3Bb", "?hints=a;b"},
		{"?to=18446744073709551615", ""},
	}
	for _, p := range differ {
		a, b := parse(p[0]), parse(p[1])
		if a.Equal(b) || a.String() == b.String() {
			t.Errorf("%s and %s are equal: %s", p[0], p[1], a)
		}
	}
	u := parse("?from=18446744073709551615&to=18446744073709551615")
	if s, e, ok := u.Range.Slice(^uint64(0)); !ok || s != ^uint64(0) || e != ^uint64(0) {
		t.Errorf("max indices: %d %d %v", s, e, ok)
	}
}
