package main

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/path"
)

type encEntryFixture struct {
	Cases []struct {
		Name          string   `json:"name"`
		NamespaceID   string   `json:"namespace_id_hex"`
		SubspaceID    string   `json:"subspace_id_hex"`
		Path          []string `json:"path_components_hex"`
		Timestamp     uint64   `json:"timestamp"`
		PayloadLength uint64   `json:"payload_length"`
		PayloadDigest string   `json:"payload_digest_hex"`
		Encoded       string   `json:"encoded_hex"`
	} `json:"cases"`
}

// encEntryText is the exact JSON entry decode prints.
func encEntryText(ns, ss string, comps []string, ts, length uint64, digest string) string {
	p, _ := json.Marshal(comps)
	return fmt.Sprintf(`{"namespace_id":"%s","subspace_id":"%s","path":%s,"timestamp":%d,"payload_length":%d,"payload_digest":"%s"}`,
		ns, ss, p, ts, length, digest)
}

func TestEntryFixtures(t *testing.T) {
	var fx encEntryFixture
	encLoad(t, "entries/basic.json", &fx)
	if len(fx.Cases) == 0 {
		t.Fatal("entries/basic.json has no cases")
	}
	for _, c := range fx.Cases {
		comps := c.Path
		if comps == nil {
			comps = []string{}
		}
		text := encEntryText(c.NamespaceID, c.SubspaceID, comps, c.Timestamp, c.PayloadLength, c.PayloadDigest)
		if got := encOK(t, text, "entry", "encode"); got != c.Encoded+"\n" {
			t.Errorf("%s: entry encode printed %q, want %q", c.Name, got, c.Encoded)
		}
		// Numbers as decimal strings give the same code.
		quoted := strings.Replace(text, fmt.Sprintf(`"timestamp":%d`, c.Timestamp), fmt.Sprintf(`"timestamp":"%d"`, c.Timestamp), 1)
		quoted = strings.Replace(quoted, fmt.Sprintf(`"payload_length":%d`, c.PayloadLength), fmt.Sprintf(`"payload_length":"%d"`, c.PayloadLength), 1)
		if quoted == text {
			t.Fatal("test bug: nothing quoted")
		}
		if got := encOK(t, quoted, "entry", "encode"); got != c.Encoded+"\n" {
			t.Errorf("%s: entry encode of %s printed %q", c.Name, quoted, got)
		}
		if got := encOK(t, "", "entry", "decode", c.Encoded); got != text+"\n" {
			t.Errorf("%s: entry decode printed\n%s\nwant\n%s", c.Name, got, text)
		}
	}
	t.Logf("%d entry fixtures, both directions", len(fx.Cases))
}

func TestEntryBigNumbersAreExact(t *testing.T) {
	ns := ids.DefaultNamespaceID()
	digest := ids.DefaultPayloadDigest()
	for _, v := range []uint64{0, 1 << 53, 1<<53 + 1, 1<<63 + 12345, 18446744073709551615} {
		e := entry.Entry{NamespaceID: ns, SubspaceID: ids.SubspaceID{31: 9}, Path: path.MustFromStrings("a", ""),
			Timestamp: entry.Timestamp(v), PayloadLength: v ^ 1, PayloadDigest: digest}
		code := hex.EncodeToString(entry.Encode(e))
		want := encEntryText(hex.EncodeToString(ns[:]), hex.EncodeToString(e.SubspaceID[:]), []string{"61", ""}, v, v^1, digest.String())
		if got := encOK(t, "", "entry", "decode", code); got != want+"\n" {
			t.Errorf("decode of timestamp %d:\n got %s\nwant %s", v, got, want)
		}
		if got := encOK(t, want, "entry", "encode"); got != code+"\n" {
			t.Errorf("encode of timestamp %d: got %s, want %s", v, got, code)
		}
		asStrings := fmt.Sprintf(`{"payload_digest":"%s","payload_length":"%d","timestamp":"%d","path":["61",""],"subspace_id":"%x","namespace_id":"+%x"}`,
			strings.ToUpper(digest.String()), v^1, v, e.SubspaceID[:], ns[:])
		if got := encOK(t, asStrings, "entry", "encode"); got != code+"\n" {
			t.Errorf("encode of %s: got %s, want %s", asStrings, got, code)
		}
	}
}

func TestEntryErrors(t *testing.T) {
	z := strings.Repeat("00", 32)
	owned := strings.Repeat("00", 31) + "01"
	good := map[string]string{
		"namespace_id":   `"` + z + `"`,
		"subspace_id":    `"` + z + `"`,
		"path":           `["61"]`,
		"timestamp":      `5`,
		"payload_length": `7`,
		"payload_digest": `"` + z + `"`,
	}
	with := func(k, v string) string {
		var parts []string
		for _, f := range entryFields() {
			val, ok := good[f]
			if f == k {
				val, ok = v, v != "<absent>"
			}
			if ok {
				parts = append(parts, fmt.Sprintf("%q:%s", f, val))
			}
		}
		if k != "" && !strings.Contains(strings.Join(entryFields(), " "), k) {
			parts = append(parts, fmt.Sprintf("%q:%s", k, v))
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	// The base object is fine.
	if got := encOK(t, with("", ""), "entry", "encode"); !strings.HasPrefix(got, z+z+"1161") {
		t.Fatalf("base entry encodes to %s", got)
	}
	for _, c := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"", []string{"entry"}, "missing subcommand"},
		{"", []string{"entry", "encrypt"}, "unknown subcommand"},
		{with("", ""), []string{"entry", "encode", "x"}, "no arguments"},
		{"", []string{"entry", "encode"}, "empty"},
		{"[]", []string{"entry", "encode"}, "not a JSON object"},
		{"{", []string{"entry", "encode"}, "not a JSON object"},
		{with("", "") + "{}", []string{"entry", "encode"}, "more after"},
		{with("timestamp", "<absent>"), []string{"entry", "encode"}, `missing field "timestamp"`},
		{with("path", "null"), []string{"entry", "encode"}, `missing field "path"`},
		{with("Timestamp", "5"), []string{"entry", "encode"}, `unknown field(s) "Timestamp"`},
		{with("namespace_id_hex", `"00"`), []string{"entry", "encode"}, "unknown field"},
		{with("namespace_id", `"`+z[:62]+`"`), []string{"entry", "encode"}, "namespace id"},
		{with("namespace_id", `"-`+z+`"`), []string{"entry", "encode"}, "contradicts"},
		{with("namespace_id", `"+`+owned+`"`), []string{"entry", "encode"}, "contradicts"},
		{with("namespace_id", `7`), []string{"entry", "encode"}, "want a hex string"},
		{with("subspace_id", `"`+z+`00"`), []string{"entry", "encode"}, "subspace id"},
		{with("subspace_id", `"zz`+z[2:]+`"`), []string{"entry", "encode"}, "subspace id"},
		{with("payload_digest", `"`+z[1:]+`"`), []string{"entry", "encode"}, "payload digest"},
		{with("path", `"61"`), []string{"entry", "encode"}, "want an array"},
		{with("path", `["6"]`), []string{"entry", "encode"}, "not hex"},
		{with("path", `[null]`), []string{"entry", "encode"}, "component 0"},
		{with("path", `["`+strings.Repeat("ab", 4097)+`"]`), []string{"entry", "encode"}, "limit"},
		{with("timestamp", `-1`), []string{"entry", "encode"}, "timestamp"},
		{with("timestamp", `1.5`), []string{"entry", "encode"}, "timestamp"},
		{with("timestamp", `1e3`), []string{"entry", "encode"}, "timestamp"},
		{with("timestamp", `18446744073709551616`), []string{"entry", "encode"}, "timestamp"},
		{with("timestamp", `"18446744073709551616"`), []string{"entry", "encode"}, "timestamp"},
		{with("timestamp", `"abc"`), []string{"entry", "encode"}, "timestamp"},
		{with("timestamp", `" 5"`), []string{"entry", "encode"}, "timestamp"},
		{with("timestamp", `"+5"`), []string{"entry", "encode"}, "timestamp"},
		{with("timestamp", `""`), []string{"entry", "encode"}, "timestamp"},
		{with("timestamp", `true`), []string{"entry", "encode"}, "timestamp"},
		{with("payload_length", `-0`), []string{"entry", "encode"}, "payload_length"},
		{with("payload_length", `[1]`), []string{"entry", "encode"}, "payload_length"},
		{"", []string{"entry", "decode"}, "exactly one argument"},
		{"", []string{"entry", "decode", "0g"}, "not hex"},
		{"", []string{"entry", "decode", strings.Repeat("00", 98)}, "truncated"},
		{"", []string{"entry", "decode", strings.Repeat("00", 99) + "00"}, "trailing"},
		{"", []string{"entry", "decode", z + z + "d11001"}, "over a limit"},
		{"", []string{"entry", "decode", z + z + "00" + "fc05" + "00" + z}, "non-canonic"}, // timestamp 5 with a 1-byte tag
	} {
		msg := encFails(t, c.stdin, c.args...)
		if !strings.Contains(msg, c.want) {
			t.Errorf("willow %s (stdin %.60q): stderr %q does not mention %q", strings.Join(c.args, " "), c.stdin, msg, c.want)
		}
	}
}
