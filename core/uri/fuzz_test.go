package uri

import (
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics and that, when it succeeds,
// formatting is a fixed point: parse(format(parse(s))) has the same code.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		host, host + "/", host + "/blog/./ideas/..", host + "/chess/../../../blog",
		host + "/blog?digest=" + digestH + "#blabla%0A",
		host + "/blog?to=6&from=4", host + "/blog?from=99&to=12",
		host + "/blog?area&count=5&size=0#x", host + "/blog&area&sipe=3",
		host + "?area&from=4&to=6&hints=a%3Bb;c",
		host + "/%2E%2E/.%2e/a%20b?hints=x#%zz",
		strings.ToUpper(host) + "/A?from=0000",
		"willow://-" + strings.Repeat("0", 63) + "1." + strings.Repeat("F", 64) + "/x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := Parse(s)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T is not *Error: %v", err, err)
			}
			return
		}
		c, err := u.Format()
		if err != nil {
			// Parse never returns a value without a code.
			t.Fatalf("parsed %q but cannot format: %v", s, err)
		}
		v, err := Parse(c)
		if err != nil {
			t.Fatalf("canonical %q of %q does not parse: %v", c, s, err)
		}
		if c2, err := v.Format(); err != nil || c2 != c {
			t.Fatalf("not a fixed point: %q → %q → %q (%v)", s, c, c2, err)
		}
		switch a := u.(type) {
		case EntryURI:
			if b, ok := v.(EntryURI); !ok || !sameEntry(b, a.Canonical()) {
				t.Fatalf("%q: reparse differs from canonical value", s)
			}
		case AreaURI:
			if b, ok := v.(AreaURI); !ok || !sameArea(b, a.Canonical()) {
				t.Fatalf("%q: reparse differs from canonical value", s)
			}
		}
	})
}
