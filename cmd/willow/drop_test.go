package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func keygen(t *testing.T, kind string) (public, secret string) {
	t.Helper()
	var k struct{ Public, Secret string }
	if err := json.Unmarshal([]byte(encOK(t, "", "keygen", kind)), &k); err != nil {
		t.Fatal(err)
	}
	return k.Public, k.Secret
}

func TestDropCreateVerifyInspect(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"a.txt": "hello", "sub/b.txt": strings.Repeat("x", 3000), "empty": ""}
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, author := keygen(t, "subspace")
	communal, _ := keygen(t, "communal")
	_, ownerSecret := keygen(t, "owned")
	out := filepath.Join(t.TempDir(), "d.drop")
	for _, nsFlags := range [][]string{{"--namespace", communal}, {"--namespace-secret", ownerSecret}} {
		args := append([]string{"drop", "create", "--subspace-secret", author, "--path-prefix", "/files/2026", "--timestamp", "1000", "-o", out}, nsFlags...)
		encOK(t, "", append(args, dir)...)
		if got := encOK(t, "", "drop", "verify", out); !strings.HasPrefix(got, "valid drop: 3 items, 3005 payload bytes") {
			t.Fatalf("verify: %q", got)
		}
		drop, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(encOK(t, string(drop), "drop", "inspect", "-")), "\n")
		if len(lines) != 3 {
			t.Fatalf("inspect printed %d lines; want 3", len(lines))
		}
		var sawB bool
		for _, l := range lines {
			var it struct {
				Path          []string    `json:"path"`
				Timestamp     uint64      `json:"timestamp"`
				PayloadLength uint64      `json:"payload_length"`
				Authorised    bool        `json:"authorised"`
				Mode          string      `json:"mode"`
				Slices        [][2]uint64 `json:"slices"`
			}
			if err := json.Unmarshal([]byte(l), &it); err != nil {
				t.Fatal(err)
			}
			if !it.Authorised || it.Timestamp != 1000 || it.Mode != "complete" || len(it.Path) < 3 || it.Path[0] != "66696c6573" {
				t.Fatalf("inspect line %s", l)
			}
			if it.PayloadLength == 3000 {
				sawB = true
				if len(it.Slices) != 1 || it.Slices[0] != [2]uint64{0, 3} {
					t.Fatalf("slices of the 3000-byte file: %v", it.Slices)
				}
			}
		}
		if !sawB {
			t.Fatal("sub/b.txt missing from the drop")
		}
		// Corruptions: one line naming the item and the byte offset.
		for at, want := range map[int]string{len(drop) - 1: "at byte", 1: "item 0"} {
			bad := append([]byte(nil), drop...)
			bad[at] ^= 0x55
			if err := os.WriteFile(out+".bad", bad, 0o644); err != nil {
				t.Fatal(err)
			}
			if msg := encFails(t, "", "drop", "verify", out+".bad"); !strings.Contains(msg, want) {
				t.Errorf("verify of a drop corrupted at %d: %q does not mention %q", at, msg, want)
			}
		}
	}
}

func TestDropCreateRefusesBadFlags(t *testing.T) {
	dir := t.TempDir()
	_, author := keygen(t, "subspace")
	owned, _ := keygen(t, "owned")
	encFails(t, "", "drop", "create", "--subspace-secret", author, dir)                           // no namespace
	encFails(t, "", "drop", "create", "--subspace-secret", "zz", "--namespace", owned, dir)       // bad secret
	encFails(t, "", "drop", "create", "--subspace-secret", author, "--namespace", "-"+owned, dir) // owned without its secret
	encFails(t, "", "drop", "verify")
	encFails(t, "", "drop", "verify", filepath.Join(dir, "missing"))
}
