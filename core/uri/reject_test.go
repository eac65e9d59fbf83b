package uri

import (
	"errors"
	"strings"
	"testing"

	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/path"
)

func TestRejections(t *testing.T) {
	ns := hostNS.String()
	ss := hostSS.String()
	owned := hostNS
	owned[31] |= 1
	ownedHex := owned.String()[1:]
	many := strings.Repeat("/a", path.MaxComponentCount+1)
	tests := []struct {
		in     string
		kind   ErrorKind
		offset int // -1: do not check
	}{
		// scheme
		{"", ErrScheme, 0},
		{"http://example.org/", ErrScheme, 0},
		{"willow:/" + ns + "." + ss, ErrScheme, 0},
		{"/blog/ideas", ErrScheme, 0},
		{"../image.png", ErrScheme, 0},
		// host
		{"willow://", ErrHost, 9},
		{"willow:///blog", ErrHost, 9},
		{"willow://?area", ErrHost, 9},
		{"willow://" + ns, ErrHost, 9},
		{"willow://" + ns + ss, ErrHost, 9},
		{"willow://me@" + ns + "." + ss, ErrHost, 11},
		{"willow://" + ns + "." + ss + ":80/x", ErrHost, 9 + 130},
		{"willow://%2B" + ns[1:] + "." + ss, ErrHost, 9},
		// namespace: sign, hex, length
		{"willow://" + ns[1:] + "." + ss, ErrNamespace, 9},
		{"willow://-" + ns[1:] + "." + ss, ErrNamespace, 9},
		{"willow://+" + ownedHex + "." + ss, ErrNamespace, 9},
		{"willow://+" + ns[2:] + "g." + ss, ErrNamespace, 9 + 65 - 1},
		{"willow://+" + ns[2:] + "." + ss, ErrNamespace, 10},
		{"willow://" + ns + "0." + ss, ErrNamespace, 10},
		{"willow://+." + ss, ErrNamespace, 10},
		{"willow://+ " + ns[2:] + "." + ss, ErrNamespace, 10},
		// subspace
		{"willow://" + ns + "." + ss[1:], ErrSubspace, 75},
		{"willow://" + ns + "." + ss + "0", ErrSubspace, 75},
		{"willow://" + ns + "." + ss[1:] + "x", ErrSubspace, 75 + 63},
		{"willow://" + ns + "." + ss + ".x", ErrSubspace, 75 + 64},
		{"willow://" + ns + ".", ErrSubspace, 75},
		// path characters and percent-encodings
		{host + "/a%2", ErrPercentEncoding, len(host) + 2},
		{host + "/a%zz", ErrPercentEncoding, len(host) + 2},
		{host + "/%", ErrPercentEncoding, len(host) + 1},
		{host + "/%%41", ErrPercentEncoding, len(host) + 1},
		{host + "/a b", ErrCharacter, len(host) + 2},
		{host + "/é", ErrCharacter, len(host) + 1},
		{host + "/a\"b", ErrCharacter, len(host) + 2},
		{host + "/[x]", ErrCharacter, len(host) + 1},
		{host + "/a\x00", ErrCharacter, len(host) + 2},
		{host + "/a\\b", ErrCharacter, len(host) + 2},
		// path limits (after resolving dot-segments)
		{host + many, ErrPathLimit, len(host)},
		{host + "/" + strings.Repeat("x", path.MaxComponentLength+1), ErrPathLimit, len(host)},
		{host + strings.Repeat("/"+strings.Repeat("x", 1000), 5), ErrPathLimit, len(host)},
		{host + "/" + strings.Repeat("%41", path.MaxComponentLength+1), ErrPathLimit, len(host)},
		// query structure
		{host + "?", ErrQuery, len(host)},
		{host + "?&from=1", ErrQuery, len(host) + 1},
		{host + "?from=1&", ErrQuery, len(host) + 8},
		{host + "?from=1&&to=2", ErrQuery, len(host) + 8},
		{host + "?from", ErrQuery, len(host) + 1},
		{host + "?area=1", ErrQuery, len(host) + 1},
		{host + "?from=1&area", ErrQuery, len(host) + 8},
		{host + "?hints=a b", ErrCharacter, len(host) + 8},
		{host + "?area&&count=1", ErrQuery, len(host) + 6},
		// duplicates
		{host + "?from=1&from=1", ErrDuplicateParameter, len(host) + 8},
		{host + "?to=1&from=2&to=3", ErrDuplicateParameter, len(host) + 13},
		{host + "?digest=" + digestH + "&digest=" + digestH, ErrDuplicateParameter, -1},
		{host + "?hints=a&hints=b", ErrDuplicateParameter, len(host) + 9},
		{host + "?area&area", ErrDuplicateParameter, len(host) + 6},
		{host + "?area&count=1&count=1", ErrDuplicateParameter, len(host) + 14},
		{host + "?area&size=1&sipe=1", ErrDuplicateParameter, len(host) + 13},
		{host + "?area&sipe=1&size=1", ErrDuplicateParameter, len(host) + 13},
		{host + "?area&from=1&from=2", ErrDuplicateParameter, -1},
		// unknown parameters
		{host + "?foo=1", ErrUnknownParameter, len(host) + 1},
		{host + "?FROM=1", ErrUnknownParameter, len(host) + 1},
		{host + "?count=1", ErrUnknownParameter, len(host) + 1},
		{host + "?size=1", ErrUnknownParameter, len(host) + 1},
		{host + "?area&digest=" + digestH, ErrUnknownParameter, len(host) + 6},
		{host + "?area&foo=", ErrUnknownParameter, len(host) + 6},
		{host + "?=1", ErrUnknownParameter, len(host) + 1},
		// numbers
		{host + "?from=", ErrNumber, len(host) + 6},
		{host + "?from=a", ErrNumber, len(host) + 6},
		{host + "?from=-1", ErrNumber, len(host) + 6},
		{host + "?from=%2B1", ErrNumber, len(host) + 6},
		{host + "?from=+1", ErrNumber, len(host) + 6},
		{host + "?to=1.0", ErrNumber, len(host) + 5},
		{host + "?to=0x10", ErrNumber, len(host) + 5},
		{host + "?to=1e3", ErrNumber, len(host) + 5},
		{host + "?area&count=five", ErrNumber, len(host) + 12},
		{host + "?area&to=", ErrNumber, len(host) + 9},
		// overflow
		{host + "?from=18446744073709551616", ErrOverflow, len(host) + 6},
		{host + "?to=99999999999999999999999", ErrOverflow, len(host) + 4},
		{host + "?area&size=18446744073709551616", ErrOverflow, len(host) + 11},
		{host + "?area&from=000018446744073709551616", ErrOverflow, len(host) + 11},
		// digest
		{host + "?digest=", ErrDigest, len(host) + 8},
		{host + "?digest=b287afb0", ErrDigest, len(host) + 8},
		{host + "?digest=" + digestH + "00", ErrDigest, len(host) + 8},
		{host + "?digest=" + digestH[:63] + "g", ErrDigest, len(host) + 8 + 63},
		{host + "?digest=" + digestH[:62] + "%41", ErrDigest, len(host) + 8 + 62},
		// hints
		{host + "?hints=", ErrHint, len(host) + 7},
		{host + "?hints=a;;b", ErrHint, len(host) + 9},
		{host + "?hints=;a", ErrHint, len(host) + 7},
		{host + "?hints=a;", ErrHint, len(host) + 9},
		{host + "?hints=%FF", ErrHint, len(host) + 7},
		{host + "?hints=a%2", ErrPercentEncoding, len(host) + 8},
		// fragment
		{host + "#a b", ErrFragment, len(host) + 2},
		{host + "#a%zz", ErrFragment, len(host) + 2},
		{host + "#a#b", ErrFragment, len(host) + 2},
		{host + "#é", ErrFragment, len(host) + 1},
		{host + "#%", ErrFragment, len(host) + 1},
		// areas that would include nothing
		{host + "?area&count=0", ErrEmptyArea, len(host) + 6},
		{host + "?area&count=000", ErrEmptyArea, len(host) + 6},
		{host + "?area&to=0", ErrEmptyArea, len(host) + 6},
		{host + "?area&from=5&to=5", ErrEmptyArea, len(host) + 13},
		{host + "?area&to=4&from=6", ErrEmptyArea, len(host) + 6},
	}
	for _, tt := range tests {
		name := tt.in
		if len(name) > 120 {
			name = name[:60] + "…" + name[len(name)-40:]
		}
		t.Run(name, func(t *testing.T) {
			u, err := Parse(tt.in)
			if err == nil {
				t.Fatalf("parsed as %v", u)
			}
			if !errors.Is(err, tt.kind) {
				t.Fatalf("err = %v, want kind %q", err, tt.kind)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err %T is not *Error", err)
			}
			if tt.offset >= 0 && e.Offset != tt.offset {
				t.Errorf("offset = %d, want %d (%v)", e.Offset, tt.offset, err)
			}
			if e.Detail == "" && e.Err == nil {
				t.Errorf("no detail: %v", err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("multi-line error: %q", err)
			}
		})
	}
}

func TestPathLimitWrapsPathErrLimit(t *testing.T) {
	_, err := Parse(host + strings.Repeat("/a", path.MaxComponentCount+1))
	if !errors.Is(err, ErrPathLimit) || !errors.Is(err, path.ErrLimit) {
		t.Fatalf("err = %v", err)
	}
	// Limits apply to the resolved path: dot-segments may bring it back.
	u, err := ParseEntry(host + strings.Repeat("/a", path.MaxComponentCount+1) + "/..")
	if err != nil || u.Path.Len() != path.MaxComponentCount {
		t.Fatalf("err = %v", err)
	}
	u, err = ParseEntry(host + "/" + strings.Repeat("x", path.MaxComponentLength+1) + "/../" + strings.Repeat("y", path.MaxComponentLength))
	if err != nil || u.Path.TotalLength() != path.MaxPathLength {
		t.Fatalf("err = %v", err)
	}
	// The largest paths round trip.
	for _, p := range []path.Path{u.Path, comps(make([]string, path.MaxComponentCount)...)} {
		s := EntryURI{Namespace: hostNS, Subspace: hostSS, Path: p}.String()
		back, err := ParseEntry(s)
		if err != nil || !back.Path.Equal(p) {
			t.Fatalf("round trip: %v", err)
		}
	}
}

func TestWrongKind(t *testing.T) {
	if _, err := ParseEntry(host + "?area"); !errors.Is(err, ErrWrongKind) {
		t.Errorf("ParseEntry(area) err = %v", err)
	}
	if _, err := ParseArea(host); !errors.Is(err, ErrWrongKind) {
		t.Errorf("ParseArea(entry) err = %v", err)
	}
	if _, err := ParseArea(host + "/x&areas"); !errors.Is(err, ErrWrongKind) {
		t.Errorf("&areas is a path byte sequence, not the area marker: %v", err)
	}
}

func TestFormatRejections(t *testing.T) {
	a := AreaURI{Namespace: hostNS, Subspace: hostSS} // MaxCount 0
	if _, err := a.Format(); !errors.Is(err, ErrEmptyArea) {
		t.Errorf("count 0: %v", err)
	}
	if s := a.String(); !strings.HasPrefix(s, "willow:invalid(") {
		t.Errorf("String of unformattable = %q", s)
	}
	if _, err := a.AreaOfInterest(); !errors.Is(err, ErrEmptyArea) || !errors.Is(err, grouping.ErrEmpty) {
		t.Errorf("AreaOfInterest count 0: %v", err)
	}
	a.MaxCount = 1
	for _, hints := range [][]string{{""}, {"a", ""}, {"\xff"}} {
		a.Hints = hints
		if _, err := a.Format(); !errors.Is(err, ErrHint) {
			t.Errorf("hints %q: %v", hints, err)
		}
		e := EntryURI{Namespace: hostNS, Subspace: hostSS, Hints: hints}
		if _, err := e.Format(); !errors.Is(err, ErrHint) {
			t.Errorf("entry hints %q: %v", hints, err)
		}
	}
	var e *Error
	_, err := NewAreaURI(hostNS, grouping.AreaOfInterest{Area: grouping.FullArea(), MaxCount: 1, MaxSize: 1})
	if !errors.Is(err, ErrAnySubspace) || !errors.As(err, &e) || e.Offset != -1 {
		t.Errorf("any subspace: %v", err)
	}
	_, err = NewAreaURI(hostNS, grouping.AreaOfInterest{Area: grouping.SubspaceArea(hostSS)})
	if !errors.Is(err, ErrEmptyArea) {
		t.Errorf("count 0: %v", err)
	}
}

func TestNewAreaURIAndForEntry(t *testing.T) {
	times, err := grouping.NewClosedRange[entry.Timestamp](3, 9)
	if err != nil {
		t.Fatal(err)
	}
	area := grouping.Area{Subspace: grouping.OnlySubspace(hostSS), Path: comps("blog"), Times: times}
	a, err := NewAreaURI(hostNS, grouping.AreaOfInterest{Area: area, MaxCount: 7, MaxSize: grouping.Unlimited})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := a.String(), host+"/blog?area&count=7&from=3&to=9"; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	aoi, err := a.AreaOfInterest()
	if err != nil || !aoi.Area.Equal(area) || aoi.MaxCount != 7 || aoi.MaxSize != grouping.Unlimited {
		t.Fatalf("AreaOfInterest = %+v, %v", aoi, err)
	}
	e := entry.Entry{NamespaceID: hostNS, SubspaceID: hostSS, Path: comps("a", "b"), PayloadDigest: digest}
	if got := ForEntry(e).String(); got != host+"/a/b" {
		t.Fatalf("ForEntry = %s", got)
	}
}
