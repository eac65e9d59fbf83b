package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/willow-web/willow-web/core/bab"
)

func TestHash(t *testing.T) {
	dir := t.TempDir()
	five := filepath.Join(dir, "five")
	if err := os.WriteFile(five, []byte{0, 1, 2, 3, 4}, 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big")
	data := bytes.Repeat([]byte("willow "), 100000)
	if err := os.WriteFile(big, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := invoke(t, "", "hash")
	if code != 0 || out != "96d34c5478458231e364767952aaea02a31d2203c66f4365692ef91f351068d2  -\n" {
		t.Fatalf("empty stdin: %q %q %d", out, errOut, code)
	}
	out, _, code = invoke(t, "", "hash", five, "-", big)
	want := "79118e7d767ff06599a4f950ff0249596f09da3cb1961f2f7be439415ac261d6  " + five + "\n" +
		"96d34c5478458231e364767952aaea02a31d2203c66f4365692ef91f351068d2  -\n" +
		bab.Sum(data).String() + "  " + big + "\n"
	if code != 0 || out != want {
		t.Fatalf("files: got %q, want %q", out, want)
	}
	var key [bab.KeySize]byte
	for i := range key {
		key[i] = byte(i)
	}
	keyHex := "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	for _, args := range [][]string{{"hash", "--keyed", keyHex, "-"}, {"hash", "--keyed=" + keyHex}} {
		out, _, code = invoke(t, "hello", args...)
		if want := bab.SumKeyed(key, []byte("hello")).String() + "  -\n"; code != 0 || out != want {
			t.Fatalf("%v: got %q, want %q", args, out, want)
		}
	}
	for _, args := range [][]string{
		{"hash", filepath.Join(dir, "missing")},
		{"hash", "--keyed", "abcd"},
		{"hash", "--keyed"},
		{"hash", "--bogus"},
	} {
		out, errOut, code := invoke(t, "", args...)
		if code != 1 || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "willow hash: ") {
			t.Fatalf("%v: want one error line and exit 1, got %q %q %d", args, out, errOut, code)
		}
	}
	out, _, code = invoke(t, "", "hash", "--", "-")
	if code != 0 || !strings.HasSuffix(out, "  -\n") {
		t.Fatalf("-- -: %q %d", out, code)
	}
}
