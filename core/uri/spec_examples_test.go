package uri

import (
	"errors"
	"strings"
	"testing"

	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/path"
)

// The spec's examples use the placeholder host family.alfie and the short
// digest b287afb0, which are not Willow'25 codes; these tests substitute the
// Willow'25 default namespace (communal) and subspace ids and a full digest.
var (
	hostNS  = ids.DefaultNamespaceID()
	hostSS  = ids.DefaultSubspaceID()
	host    = "willow://" + hostNS.String() + "." + hostSS.String()
	digest  = ids.DefaultPayloadDigest()
	digestH = digest.String()
)

func comps(cs ...string) path.Path { return path.MustFromStrings(cs...) }

func TestHostSpelling(t *testing.T) {
	want := "willow://+934e6021339e1f013ba94900edc25d8d74c0b4e573768910ae0f507d8c817318.934e6021339e1f013ba94900edc25d8d74c0b4e573768910ae0f507d8c817318"
	if host != want {
		t.Fatalf("host = %s", host)
	}
	// The worked example of the spec notes (§7.4).
	ex := want + "/blog/hello%20world?digest=96d34c5478458231e364767952aaea02a31d2203c66f4365692ef91f351068d2&from=0"
	u, err := ParseEntry(ex)
	if err != nil {
		t.Fatal(err)
	}
	if !u.Path.Equal(comps("blog", "hello world")) || !u.HasDigest || u.Digest != digest || !u.Range.HasFrom || u.Range.HasTo {
		t.Fatalf("parsed %+v", u)
	}
	if got := u.String(); got != ex {
		t.Fatalf("format = %s", got)
	}
}

func TestSpecEntryExamples(t *testing.T) {
	tests := []struct {
		in        string
		path      path.Path
		canonical string // "" = same as in
		check     func(t *testing.T, u EntryURI)
	}{
		{in: "/blog/ideas", path: comps("blog", "ideas")},
		{in: "/blog/ideas/", path: comps("blog", "ideas", "")},
		{in: "/blog///ideas", path: comps("blog", "", "", "ideas")},
		{in: "", path: comps()},
		{in: "/", path: comps("")},
		{in: "/blog/./ideas/..", path: comps("blog"), canonical: "/blog"},
		{in: "/chess/../../../blog", path: comps("blog"), canonical: "/blog"},
		{
			in:   "/blog?hints=wcsp%3A%2F%2Fworm-blossom.org%3A1234%2Fexample;wtp%3A%2F%2Fworm-blossom.org%3A1235%2Fexample",
			path: comps("blog"),
			check: func(t *testing.T, u EntryURI) {
				want := []string{"wcsp://worm-blossom.org:1234/example", "wtp://worm-blossom.org:1235/example"}
				if !equalStrings(u.Hints, want) {
					t.Errorf("hints = %q", u.Hints)
				}
			},
		},
		{
			in: "/blog?digest=" + digestH, path: comps("blog"),
			check: func(t *testing.T, u EntryURI) {
				if !u.HasDigest || u.Digest != digest || u.HasFragment || u.Range.IsSet() {
					t.Errorf("got %+v", u)
				}
			},
		},
		{
			in: "/blog?digest=" + digestH + "#blabla%0A", path: comps("blog"),
			check: func(t *testing.T, u EntryURI) {
				if !u.HasDigest || !u.HasFragment || u.Fragment != "blabla%0A" {
					t.Errorf("got %+v", u)
				}
			},
		},
		{in: "/blog?from=0", path: comps("blog"), check: wantSlice(10, 0, 10)},
		{in: "/blog?to=17", path: comps("blog"), check: wantSlice(100, 0, 17)},
		{in: "/blog?to=6&from=4", path: comps("blog"), canonical: "/blog?from=4&to=6", check: wantSlice(100, 4, 6)},
		{in: "/blog?from=5&to=5", path: comps("blog"), check: wantSlice(100, 5, 5)},
		{in: "/blog?from=99&to=12", path: comps("blog"), canonical: "/blog?from=99&to=99", check: func(t *testing.T, u EntryURI) {
			if u.Range.From != 99 || u.Range.To != 12 {
				t.Errorf("parse must keep the written indices, got %+v", u.Range)
			}
			wantSlice(200, 99, 99)(t, u) // end raised to start
			wantSlice(50, 50, 50)(t, u)  // both truncated to the length
		}},
		// The "at a glance" example.
		{in: "/blog/idea.txt?from=5&digest=" + digestH + "#about", path: comps("blog", "idea.txt"),
			canonical: "/blog/idea.txt?digest=" + digestH + "&from=5#about", check: wantSlice(3, 3, 3)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			u, err := Parse(host + tt.in)
			if err != nil {
				t.Fatal(err)
			}
			e, ok := u.(EntryURI)
			if !ok {
				t.Fatalf("got %T", u)
			}
			if e.Namespace != hostNS || e.Subspace != hostSS {
				t.Errorf("host: %v %v", e.Namespace, e.Subspace)
			}
			if !e.Path.Equal(tt.path) {
				t.Errorf("path = %v, want %v", e.Path, tt.path)
			}
			if tt.check != nil {
				tt.check(t, e)
			}
			want := tt.canonical
			if want == "" {
				want = tt.in
			}
			if got, err := e.Format(); err != nil || got != host+want {
				t.Errorf("format = %q, %v; want %q", got, err, host+want)
			}
		})
	}
}

func wantSlice(length, start, end uint64) func(*testing.T, EntryURI) {
	return func(t *testing.T, u EntryURI) {
		t.Helper()
		s, e, ok := u.Range.Slice(length)
		if !ok || s != start || e != end {
			t.Errorf("Slice(%d) = %d, %d, %v; want %d, %d", length, s, e, ok, start, end)
		}
	}
}

func TestSpecAreaExamples(t *testing.T) {
	open := func(from uint64) grouping.TimeRange { return grouping.NewOpenRange(entry.Timestamp(from)) }
	closed := func(from, to uint64) grouping.TimeRange {
		r, err := grouping.NewClosedRange(entry.Timestamp(from), entry.Timestamp(to))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	const unl = grouping.Unlimited
	tests := []struct {
		in          string
		path        path.Path
		count, size uint64
		times       grouping.TimeRange
		canonical   string
	}{
		{in: "/blog/ideas?area", path: comps("blog", "ideas"), count: unl, size: unl, times: open(0)},
		{in: "/blog/ideas/?area", path: comps("blog", "ideas", ""), count: unl, size: unl, times: open(0)},
		{in: "/blog///ideas?area", path: comps("blog", "", "", "ideas"), count: unl, size: unl, times: open(0)},
		{in: "?area", path: comps(), count: unl, size: unl, times: open(0)},
		{in: "/?area", path: comps(""), count: unl, size: unl, times: open(0)},
		{in: "/blog/./ideas/..?area", path: comps("blog"), count: unl, size: unl, times: open(0), canonical: "/blog?area"},
		{in: "/chess/../../../blog?area", path: comps("blog"), count: unl, size: unl, times: open(0), canonical: "/blog?area"},
		{in: "/blog?area&hints=wcsp%3A%2F%2Fworm-blossom.org%3A1234%2Fexample;wtp%3A%2F%2Fworm-blossom.org%3A1235%2Fexample",
			path: comps("blog"), count: unl, size: unl, times: open(0)},
		{in: "/blog?area&count=5&size=0", path: comps("blog"), count: 5, size: 0, times: open(0)},
		{in: "/blog?area&count=5&size=0#blabla%0A", path: comps("blog"), count: 5, size: 0, times: open(0)},
		{in: "/blog?area&from=0", path: comps("blog"), count: unl, size: unl, times: open(0), canonical: "/blog?area"},
		{in: "/blog?area&to=17", path: comps("blog"), count: unl, size: unl, times: closed(0, 17)},
		{in: "/blog?area&to=6&from=4", path: comps("blog"), count: unl, size: unl, times: closed(4, 6), canonical: "/blog?area&from=4&to=6"},
		// The "at a glance" example.
		{in: "/blog?area&count=12", path: comps("blog"), count: 12, size: unl, times: open(0)},
		// The spec's byte list: "&area" right after the path, "sipe=".
		{in: "/blog&area&count=5&sipe=0", path: comps("blog"), count: 5, size: 0, times: open(0), canonical: "/blog?area&count=5&size=0"},
		{in: "&area", path: comps(), count: unl, size: unl, times: open(0), canonical: "?area"},
		{in: "/blog/&area", path: comps("blog", ""), count: unl, size: unl, times: open(0), canonical: "/blog/?area"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			a, err := ParseArea(host + tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if a.Namespace != hostNS || a.Subspace != hostSS {
				t.Errorf("host: %v %v", a.Namespace, a.Subspace)
			}
			if !a.Path.Equal(tt.path) {
				t.Errorf("path = %v, want %v", a.Path, tt.path)
			}
			if a.MaxCount != tt.count || a.MaxSize != tt.size || !a.Times.Equal(tt.times) {
				t.Errorf("count %d size %d times %v; want %d %d %v", a.MaxCount, a.MaxSize, a.Times, tt.count, tt.size, tt.times)
			}
			want := tt.canonical
			if want == "" {
				want = tt.in
			}
			if got, err := a.Format(); err != nil || got != host+want {
				t.Errorf("format = %q, %v; want %q", got, err, host+want)
			}
			aoi, err := a.AreaOfInterest()
			if err != nil || aoi.MaxCount != tt.count || !aoi.Area.Equal(a.Area()) {
				t.Errorf("AreaOfInterest = %+v, %v", aoi, err)
			}
		})
	}
}

func TestSpecPercentExamples(t *testing.T) {
	for comp, want := range map[string]string{
		"hello world": "hello%20world",
		"a/b":         "a%2Fb",
		"é":           "%C3%A9",
		"~x_y-z.w":    "~x_y-z.w",
		"":            "",
		"100%":        "100%25",
		".":           "%2E",
		"..":          "%2E%2E",
		"...":         "...",
		".a":          ".a",
	} {
		if got := PercentEncode(comp); comp != "." && comp != ".." && got != want {
			t.Errorf("PercentEncode(%q) = %q, want %q", comp, got, want)
		}
		u := EntryURI{Namespace: hostNS, Subspace: hostSS, Path: comps(comp)}
		s, err := u.Format()
		if err != nil || s != host+"/"+want {
			t.Errorf("format of [%q] = %q, %v; want %q", comp, s, err, host+"/"+want)
		}
		back, err := ParseEntry(s)
		if err != nil || !back.Path.Equal(u.Path) {
			t.Errorf("parse(%q) = %v, %v", s, back.Path, err)
		}
	}
	// Either hex case in, uppercase out; escaped unreserved bytes decode.
	u, err := ParseEntry(host + "/%c3%a9/%41b/%2e/%2E%2e/.%2E")
	if err != nil {
		t.Fatal(err)
	}
	if !u.Path.Equal(comps("é", "Ab", ".", "..", "..")) {
		t.Fatalf("path = %v", u.Path)
	}
	if got := u.String(); got != host+"/%C3%A9/Ab/%2E/%2E%2E/%2E%2E" {
		t.Fatalf("format = %s", got)
	}
	// Tolerated RFC 3986 pchars are written percent-encoded.
	u, err = ParseEntry(host + "/a:b@c!$'()*+,;=")
	if err != nil {
		t.Fatal(err)
	}
	if !u.Path.Equal(comps("a:b@c!$'()*+,;=")) || u.String() != host+"/a%3Ab%40c%21%24%27%28%29%2A%2B%2C%3B%3D" {
		t.Fatalf("got %v %s", u.Path, u.String())
	}
}

func TestFragmentEncode(t *testing.T) {
	for in, want := range map[string]string{
		"about":        "about",
		"blabla\n":     "blabla%0A",
		"blabla%0A":    "blabla%0A", // existing percent encodings are kept
		"50%":          "50%25",
		"%zz":          "%25zz",
		"%4":           "%254",
		"a b#c":        "a%20b%23c",
		"/?:@!$&'()*+": "/?:@!$&'()*+",
		",;=-._~":      ",;=-._~",
		"é":            "%C3%A9",
		"%c3%A9":       "%c3%A9",
	} {
		got := FragmentEncode(in)
		if got != want {
			t.Errorf("FragmentEncode(%q) = %q, want %q", in, got, want)
		}
		if FragmentEncode(got) != got || !IsFragmentSafe(got) {
			t.Errorf("FragmentEncode not idempotent on %q", got)
		}
		u := EntryURI{Namespace: hostNS, Subspace: hostSS, Fragment: in, HasFragment: true}
		back, err := ParseEntry(u.String())
		if err != nil || back.Fragment != want || !back.HasFragment || !back.Equal(u) {
			t.Errorf("round trip of fragment %q: %+v, %v", in, back, err)
		}
	}
	// "#" alone is an empty fragment, which differs from none.
	u, err := ParseEntry(host + "#")
	if err != nil || !u.HasFragment || u.Fragment != "" || u.String() != host+"#" {
		t.Fatalf("empty fragment: %+v %v", u, err)
	}
	if d, err := PercentDecode("blabla%0a%41"); err != nil || d != "blabla\nA" {
		t.Fatalf("PercentDecode = %q, %v", d, err)
	}
	if _, err := PercentDecode("50%"); !errors.Is(err, ErrPercentEncoding) {
		t.Fatalf("PercentDecode(50%%) err = %v", err)
	}
}

func TestParseTolerance(t *testing.T) {
	upper := "WILLOW://" + strings.ToUpper(host[len("willow://"):]) + "/x?DIGEST=1"
	// Uppercase scheme and hex are fine; parameter names are case-sensitive.
	if _, err := Parse(upper); !errors.Is(err, ErrUnknownParameter) {
		t.Fatalf("err = %v", err)
	}
	u, err := ParseEntry("WILLOW://" + strings.ToUpper(host[len("willow://"):]) + "/x?digest=" + strings.ToUpper(digestH) + "&from=0005&to=000")
	if err != nil {
		t.Fatal(err)
	}
	if u.Digest != digest || u.Range.From != 5 || u.Range.To != 0 || !u.Path.Equal(comps("x")) {
		t.Fatalf("got %+v", u)
	}
	if got := u.String(); got != host+"/x?digest="+digestH+"&from=5&to=5" {
		t.Fatalf("canonical = %s", got)
	}
	// Unescaped query-safe characters in hints.
	u, err = ParseEntry(host + "?hints=https://example.org/a?b=c:d@e;x%3By%26z")
	if err != nil {
		t.Fatal(err)
	}
	if !equalStrings(u.Hints, []string{"https://example.org/a?b=c:d@e", "x;y&z"}) {
		t.Fatalf("hints = %q", u.Hints)
	}
	if got := u.String(); got != host+"?hints=https%3A%2F%2Fexample.org%2Fa%3Fb%3Dc%3Ad%40e;x%3By%26z" {
		t.Fatalf("canonical = %s", got)
	}
	// Explicit unlimited count and size are accepted and then omitted.
	a, err := ParseArea(host + "?area&count=18446744073709551615&size=018446744073709551615")
	if err != nil || a.MaxCount != grouping.Unlimited || a.MaxSize != grouping.Unlimited || a.String() != host+"?area" {
		t.Fatalf("got %+v %v", a, err)
	}
	// An owned namespace is written with '-'.
	owned := hostNS
	owned[31] |= 1
	o := EntryURI{Namespace: owned, Subspace: hostSS}
	if s := o.String(); !strings.HasPrefix(s, "willow://-934e") {
		t.Fatalf("owned: %s", s)
	}
	if back, err := ParseEntry(o.String()); err != nil || back.Namespace != owned {
		t.Fatalf("owned round trip: %v", err)
	}
}
