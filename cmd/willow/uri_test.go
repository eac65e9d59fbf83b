package main

import (
	"encoding/json"
	"strings"
	"testing"
)

const (
	uriHex  = "934e6021339e1f013ba94900edc25d8d74c0b4e573768910ae0f507d8c817318"
	uriHost = "willow://+" + uriHex + "." + uriHex
)

func TestURIParseEntry(t *testing.T) {
	out, errOut, code := invoke(t, "", "uri", "parse",
		uriHost+"/blog/./ideas/../hello%20world?to=6&from=4&digest="+strings.ToUpper(uriHex)+"&hints=a%3Bb%26c;https://x.org/#blabla%0A")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	want := map[string]any{
		"kind":         "entry",
		"canonical":    uriHost + "/blog/hello%20world?digest=" + uriHex + "&from=4&to=6&hints=a%3Bb%26c;https%3A%2F%2Fx.org%2F#blabla%0A",
		"namespace":    "+" + uriHex,
		"subspace":     uriHex,
		"path":         []any{"626c6f67", "68656c6c6f20776f726c64"},
		"path_display": "/blog/hello%20world",
		"digest":       uriHex,
		"from":         4.0,
		"to":           6.0,
		"hints":        []any{"a;b&c", "https://x.org/"},
		"fragment":     "blabla%0A",
	}
	if g, w := mustJSON(t, got), mustJSON(t, want); g != w {
		t.Fatalf("got  %s\nwant %s", g, w)
	}
	if strings.Contains(out, `\u0026`) {
		t.Errorf("& is escaped in the output: %s", out)
	}
	// format reads parse's output back and prints the canonical URI.
	formatted, errOut, code := invoke(t, out, "uri", "format")
	if code != 0 || formatted != want["canonical"].(string)+"\n" {
		t.Fatalf("format: exit %d %q %s", code, formatted, errOut)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestURIParseArea(t *testing.T) {
	out, errOut, code := invoke(t, "", "uri", "parse", uriHost+"/blog&area&sipe=0&to=9&from=3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		`"kind": "area"`,
		`"canonical": "` + uriHost + `/blog?area&size=0&from=3&to=9"`,
		`"count": 18446744073709551615`, // exact, unlimited
		`"size": 0`,
		`"time_from": 3`,
		`"time_to": 9`,
		`"path": [` + "\n    \"626c6f67\"\n  ]",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
	for _, absent := range []string{`"from"`, `"to"`, `"digest"`, `"fragment"`, `"hints"`} {
		if strings.Contains(out, absent) {
			t.Errorf("output has %s:\n%s", absent, out)
		}
	}
	formatted, errOut, code := invoke(t, out, "uri", "format")
	if code != 0 || formatted != uriHost+"/blog?area&size=0&from=3&to=9\n" {
		t.Fatalf("format: exit %d %q %s", code, formatted, errOut)
	}
}

func TestURIParseEmptyPathAndFragment(t *testing.T) {
	out, _, code := invoke(t, "", "uri", "parse", uriHost+"#")
	if code != 0 || !strings.Contains(out, `"path": []`) || !strings.Contains(out, `"path_display": ""`) ||
		!strings.Contains(out, `"fragment": ""`) {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if f, _, _ := invoke(t, out, "uri", "format"); f != uriHost+"#\n" {
		t.Fatalf("format = %q", f)
	}
}

func TestURIFormat(t *testing.T) {
	ns := `"namespace":"` + uriHex + `","subspace":"` + uriHex + `"`
	tests := []struct{ in, want string }{
		{`{"kind":"entry",` + ns + `}`, uriHost},
		{`{"kind":"entry",` + ns + `,"path":[""]}`, uriHost + "/"},
		{`{"kind":"entry",` + ns + `,"path":["2e","2e2e","612f62"],"from":0,"to":7}`, uriHost + "/%2E/%2E%2E/a%2Fb?to=7"},
		{`{"kind":"entry",` + ns + `,"path_display":"/a/../b/./c%20d","from":9,"to":2}`, uriHost + "/b/c%20d?from=9&to=9"},
		{`{"kind":"entry",` + ns + `,"path":["62"],"path_display":"/b"}`, uriHost + "/b"},
		{`{"kind":"entry",` + ns + `,"fragment":"a b\n%41"}`, uriHost + "#a%20b%0A%41"},
		{`{"kind":"entry",` + ns + `,"hints":["x;y","a&b"]}`, uriHost + "?hints=x%3By;a%26b"},
		{`{"kind":"area",` + ns + `}`, uriHost + "?area"},
		{`{"kind":"area",` + ns + `,"count":18446744073709551615,"size":5,"time_from":0}`, uriHost + "?area&size=5"},
		{`{"kind":"area",` + ns + `,"count":3,"time_from":7,"time_to":8,"hints":["h"]}`, uriHost + "?area&count=3&from=7&to=8&hints=h"},
		{`{"kind":"area",` + ns + `,"canonical":"ignored"}`, uriHost + "?area"},
	}
	for _, tt := range tests {
		out, errOut, code := invoke(t, tt.in, "uri", "format")
		if code != 0 || out != tt.want+"\n" {
			t.Errorf("format %s: exit %d, %q, %s; want %q", tt.in, code, out, errOut, tt.want)
		}
	}
}

func TestURIErrors(t *testing.T) {
	ns := `"namespace":"` + uriHex + `","subspace":"` + uriHex + `"`
	tests := []struct {
		stdin string
		args  []string
		want  string // substring of the one-line error
	}{
		{"", []string{"uri"}, "usage"},
		{"", []string{"uri", "parse"}, "usage"},
		{"", []string{"uri", "parse", "a", "b"}, "usage"},
		{"", []string{"uri", "frobnicate"}, "usage"},
		{"", []string{"uri", "parse", "https://example.org"}, "not a willow:// URI"},
		{"", []string{"uri", "parse", "willow://-" + uriHex + "." + uriHex}, "bad namespace id at byte 9"},
		{"", []string{"uri", "parse", uriHost + "/a%zz"}, "bad percent-encoding"},
		{"", []string{"uri", "parse", uriHost + "?from=1&from=2"}, "duplicate query parameter"},
		{"", []string{"uri", "parse", uriHost + "?from=x"}, "not a decimal number"},
		{"", []string{"uri", "parse", uriHost + "?to=18446744073709551616"}, "exceeds 2^64-1"},
		{"", []string{"uri", "parse", uriHost + "?area&count=0"}, "would include no entry"},
		{"", []string{"uri", "parse", uriHost + strings.Repeat("/a", 4097)}, "path exceeds"},
		{"", []string{"uri", "format"}, "reading JSON"},
		{"{", []string{"uri", "format"}, "reading JSON"},
		{`{"kind":"entry",` + ns + `}{}`, []string{"uri", "format"}, "more than one JSON value"},
		{`{"kind":"entry",` + ns + `,"bogus":1}`, []string{"uri", "format"}, "unknown field"},
		{`{"kind":"thing",` + ns + `}`, []string{"uri", "format"}, "JSON field kind"},
		{`{"kind":"entry","subspace":"` + uriHex + `"}`, []string{"uri", "format"}, "JSON field namespace"},
		{`{"kind":"entry","namespace":"-` + uriHex + `","subspace":"` + uriHex + `"}`, []string{"uri", "format"}, "contradicts"},
		{`{"kind":"entry",` + ns + `,"subspace":"zz"}`, []string{"uri", "format"}, "JSON field subspace"},
		{`{"kind":"entry",` + ns + `,"path":["zz"]}`, []string{"uri", "format"}, "JSON field path, component 0"},
		{`{"kind":"entry",` + ns + `,"path_display":"/a b"}`, []string{"uri", "format"}, "JSON field path_display"},
		{`{"kind":"entry",` + ns + `,"path":["61"],"path_display":"/b"}`, []string{"uri", "format"}, "disagree"},
		{`{"kind":"entry",` + ns + `,"digest":"b287afb0"}`, []string{"uri", "format"}, "JSON field digest"},
		{`{"kind":"entry",` + ns + `,"from":-1}`, []string{"uri", "format"}, "reading JSON"},
		{`{"kind":"entry",` + ns + `,"count":1}`, []string{"uri", "format"}, "belong to area URIs"},
		{`{"kind":"entry",` + ns + `,"hints":[""]}`, []string{"uri", "format"}, "bad hint"},
		{`{"kind":"area",` + ns + `,"from":1}`, []string{"uri", "format"}, "belong to entry URIs"},
		{`{"kind":"area",` + ns + `,"count":0}`, []string{"uri", "format"}, "would include no entry"},
		{`{"kind":"area",` + ns + `,"time_from":5,"time_to":5}`, []string{"uri", "format"}, "time_from, time_to"},
	}
	for _, tt := range tests {
		out, errOut, code := invoke(t, tt.stdin, tt.args...)
		if code != 1 || out != "" {
			t.Errorf("%v %s: exit %d, stdout %q", tt.args, tt.stdin, code, out)
		}
		if !strings.Contains(errOut, tt.want) || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "willow uri: ") {
			t.Errorf("%v %s: stderr %q, want one line containing %q", tt.args, tt.stdin, errOut, tt.want)
		}
	}
}
