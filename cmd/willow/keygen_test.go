package main

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"testing/iotest"
)

func TestKeygen(t *testing.T) {
	for _, kind := range []string{"subspace", "communal", "owned"} {
		seen := map[string]bool{}
		for range 16 {
			out := encOK(t, "", "keygen", kind)
			if strings.Count(out, "\n") != 1 {
				t.Fatalf("keygen %s printed %q, want one line", kind, out)
			}
			var kp map[string]string
			if err := json.Unmarshal([]byte(out), &kp); err != nil || len(kp) != 2 {
				t.Fatalf("keygen %s printed %q, want {\"public\",\"secret\"}: %v", kind, out, err)
			}
			pub, err1 := hex.DecodeString(kp["public"])
			sec, err2 := hex.DecodeString(kp["secret"])
			if err1 != nil || err2 != nil || len(pub) != 32 || len(sec) != 32 {
				t.Fatalf("keygen %s: public %q, secret %q, want 64 hex digits each", kind, kp["public"], kp["secret"])
			}
			if kp["public"] != strings.ToLower(kp["public"]) || kp["secret"] != strings.ToLower(kp["secret"]) {
				t.Errorf("keygen %s: hex is not lower case", kind)
			}
			if want := ed25519.NewKeyFromSeed(sec).Public().(ed25519.PublicKey); !bytes.Equal(pub, want) {
				t.Fatalf("keygen %s: public key does not belong to the secret", kind)
			}
			switch kind {
			case "communal":
				if pub[31]&1 != 0 {
					t.Fatalf("keygen communal gave an owned key %x", pub)
				}
			case "owned":
				if pub[31]&1 != 1 {
					t.Fatalf("keygen owned gave a communal key %x", pub)
				}
			}
			if seen[kp["secret"]] {
				t.Fatalf("keygen %s repeated a secret", kind)
			}
			seen[kp["secret"]] = true
		}
	}
}

func TestKeygenErrors(t *testing.T) {
	for _, args := range [][]string{
		{"keygen"},
		{"keygen", "namespace"},
		{"keygen", "Owned"},
		{"keygen", "owned", "communal"},
	} {
		encFails(t, "", args...)
	}
	broken := iotest.ErrReader(errors.New("no entropy today"))
	for _, kind := range []string{"subspace", "communal", "owned"} {
		var out, errOut strings.Builder
		code := run([]string{"keygen", kind}, env{stdin: strings.NewReader(""), stdout: &out, random: broken}, &errOut)
		if code != 1 || out.Len() != 0 || !strings.Contains(errOut.String(), "no entropy today") || strings.Count(errOut.String(), "\n") != 1 {
			t.Errorf("keygen %s with broken randomness: exit %d, stdout %q, stderr %q", kind, code, out.String(), errOut.String())
		}
	}
}
