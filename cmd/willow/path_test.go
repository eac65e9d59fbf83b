package main

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/willow-web/willow-web/internal/testvectors"
)

// encOK runs the command, requires success with nothing on stderr and
// returns stdout.
func encOK(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	out, errOut, code := invoke(t, stdin, args...)
	if code != 0 || errOut != "" {
		t.Fatalf("willow %s: exit %d, stderr %q", strings.Join(args, " "), code, errOut)
	}
	return out
}

// encFails runs the command and requires exit 1, no stdout, and exactly
// one line on stderr naming the command.
func encFails(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	out, errOut, code := invoke(t, stdin, args...)
	name := strings.Join(args, " ")
	if code != 1 {
		t.Errorf("willow %s (stdin %.40q): exit %d, want 1", name, stdin, code)
	}
	if out != "" {
		t.Errorf("willow %s: printed %q on stdout despite failing", name, out)
	}
	if strings.Count(errOut, "\n") != 1 || !strings.HasSuffix(errOut, "\n") || !strings.HasPrefix(errOut, "willow") {
		t.Errorf("willow %s: stderr %q, want exactly one line starting with \"willow\"", name, errOut)
	}
	return errOut
}

type encPathFixture struct {
	Cases []struct {
		Name       string   `json:"name"`
		Components []string `json:"components_hex"`
		Encoded    string   `json:"encoded_hex"`
	} `json:"cases"`
}

func encLoad(t *testing.T, file string, v any) {
	t.Helper()
	dir := testvectors.Dir(t, "rust-reference-fixtures")
	data, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
}

func TestPathFixtures(t *testing.T) {
	n := 0
	// limits.json was made with smaller limits (8/4/16); its paths are valid
	// Willow'25 paths and encode the same way.
	for _, file := range []string{"paths/basic.json", "paths/limits.json"} {
		var fx encPathFixture
		encLoad(t, file, &fx)
		if len(fx.Cases) == 0 {
			t.Fatalf("%s has no cases", file)
		}
		for _, c := range fx.Cases {
			in, _ := json.Marshal(c.Components)
			if got := encOK(t, string(in), "path", "encode"); got != c.Encoded+"\n" {
				t.Errorf("%s %s: path encode printed %q, want %q", file, c.Name, got, c.Encoded)
			}
			// The same with upper-case hex and spaced-out JSON.
			spaced := "[ " + strings.ToUpper(strings.Join(append([]string{}, encQuote(c.Components)...), " ,\n ")) + " ]\n"
			if got := encOK(t, spaced, "path", "encode"); got != c.Encoded+"\n" {
				t.Errorf("%s %s: path encode of %q printed %q", file, c.Name, spaced, got)
			}
			if got := encOK(t, "", "path", "decode", c.Encoded); got != string(in)+"\n" {
				t.Errorf("%s %s: path decode printed %q, want %s", file, c.Name, got, in)
			}
			if got := encOK(t, "", "path", "decode", strings.ToUpper(c.Encoded)); got != string(in)+"\n" {
				t.Errorf("%s %s: path decode of upper-case hex printed %q", file, c.Name, got)
			}
			n++
		}
	}
	t.Logf("%d path fixtures, both directions", n)
}

func encQuote(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = `"` + s + `"`
	}
	return out
}

func TestPathRoundTripAtLimits(t *testing.T) {
	cases := [][]string{
		{},
		{""},
		{strings.Repeat("ff", 4096)},
		append([]string{strings.Repeat("00", 4095)}, "01"),
		make([]string, 4096),
	}
	for _, comps := range cases {
		in, _ := json.Marshal(comps)
		code := strings.TrimSpace(encOK(t, string(in), "path", "encode"))
		if _, err := hex.DecodeString(code); err != nil {
			t.Fatalf("path encode printed non-hex %q", code)
		}
		if got := encOK(t, "", "path", "decode", code); got != string(in)+"\n" {
			t.Errorf("round trip of %d components: got %.80q", len(comps), got)
		}
	}
}

func TestPathErrors(t *testing.T) {
	over := func(n int, comp string) string {
		c := make([]string, n)
		for i := range c {
			c[i] = comp
		}
		b, _ := json.Marshal(c)
		return string(b)
	}
	for _, c := range []struct {
		stdin string
		args  []string
		want  string // a fragment of the message
	}{
		{"", []string{"path"}, "missing subcommand"},
		{"", []string{"path", "frobnicate"}, "unknown subcommand"},
		{"[]", []string{"path", "encode", "extra"}, "no arguments"},
		{"", []string{"path", "encode"}, "empty"},
		{"   \n", []string{"path", "encode"}, "empty"},
		{"null", []string{"path", "encode"}, "null"},
		{"[", []string{"path", "encode"}, "not a JSON array"},
		{"{}", []string{"path", "encode"}, "not a JSON array"},
		{`"6162"`, []string{"path", "encode"}, "not a JSON array"},
		{"[] []", []string{"path", "encode"}, "more after"},
		{`["61"] x`, []string{"path", "encode"}, "more after"},
		{"[null]", []string{"path", "encode"}, "component 0"},
		{"[1]", []string{"path", "encode"}, "component 0"},
		{`["61", ["62"]]`, []string{"path", "encode"}, "component 1"},
		{`["zz"]`, []string{"path", "encode"}, "not hex"},
		{`["abc"]`, []string{"path", "encode"}, "not hex"},
		{`["0x61"]`, []string{"path", "encode"}, "not hex"},
		{over(4097, ""), []string{"path", "encode"}, "limit"},
		{over(1, strings.Repeat("ab", 4097)), []string{"path", "encode"}, "limit"},
		{over(2, strings.Repeat("ab", 2049)), []string{"path", "encode"}, "limit"},
		{"", []string{"path", "decode"}, "exactly one argument"},
		{"", []string{"path", "decode", "00", "00"}, "exactly one argument"},
		{"", []string{"path", "decode", ""}, "truncated"},
		{"", []string{"path", "decode", "zz"}, "not hex"},
		{"", []string{"path", "decode", "123"}, "not hex"},
		{"", []string{"path", "decode", "0x00"}, "not hex"},
		{"", []string{"path", "decode", "4202616263"}, "truncated"},       // one byte short
		{"", []string{"path", "decode", "11"}, "truncated"},               // one byte announced, none given
		{"", []string{"path", "decode", "0000"}, "trailing"},              // the empty path and a stray byte
		{"", []string{"path", "decode", "42026162636465"}, "trailing"},    // a path and a stray byte
		{"", []string{"path", "decode", "d11001" + "00"}, "over a limit"}, // 4097 bytes announced
		{"", []string{"path", "decode", "1d100100"}, "over a limit"},      // 4097 components announced
		{"", []string{"path", "decode", "c10161"}, "non-canonic"},         // length 1 with a 1-byte tag
		{"", []string{"path", "decode", "10"}, "invalid"},                 // bytes but no components
	} {
		msg := encFails(t, c.stdin, c.args...)
		if !strings.Contains(msg, c.want) {
			t.Errorf("willow %s (stdin %.40q): stderr %q does not mention %q", strings.Join(c.args, " "), c.stdin, msg, c.want)
		}
	}
}

func TestUnknownCommandAndHelp(t *testing.T) {
	msg := encFails(t, "", "frobnicate")
	if !strings.Contains(msg, "unknown command") {
		t.Errorf("unknown command: stderr %q", msg)
	}
	help := encOK(t, "", "help")
	for _, want := range []string{"path encode", "path decode HEX", "entry encode", "entry decode HEX", "keygen KIND"} {
		if !strings.Contains(help, want) {
			t.Errorf("help does not mention %q:\n%s", want, help)
		}
	}
}
