package ids_test

// Semantic tests of the Willow'25 identifiers: communal vs owned namespaces,
// the well-known defaults, key generation and parsing.

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/willow-web/willow-web/core/ids"
)

func TestSemanticsIsCommunalByLastBit(t *testing.T) {
	var n ids.NamespaceID
	for last := 0; last < 256; last++ {
		n[31] = byte(last)
		want := last&1 == 0
		if n.IsCommunal() != want || n.IsOwned() == want {
			t.Errorf("last byte %#02x: IsCommunal = %v, IsOwned = %v; want communal %v", last, n.IsCommunal(), n.IsOwned(), want)
		}
	}
	// Only the last byte's least significant bit counts: every other byte
	// and bit is irrelevant.
	r := rand.New(rand.NewPCG(1, 1))
	for range 1000 {
		var n ids.NamespaceID
		for i := range n {
			n[i] = byte(r.Uint32())
		}
		m := n
		m[31] ^= 1
		if n.IsCommunal() == m.IsCommunal() {
			t.Fatalf("flipping the last bit of %x did not change the kind", n)
		}
		o := n
		o[r.IntN(31)] ^= byte(1 << r.IntN(8))
		o[31] ^= 0xfe
		if n.IsCommunal() != o.IsCommunal() {
			t.Fatalf("flipping bits other than the last changed the kind of %x", n)
		}
	}
	// The default namespace has an odd first byte (0x93) and an even last
	// byte (0x18): communal, which pins down "last byte".
	if d := ids.DefaultNamespaceID(); !d.IsCommunal() || d[0]&1 != 1 {
		t.Errorf("default namespace id %v: want communal with an odd first byte", d)
	}
}

func TestSemanticsDefaults(t *testing.T) {
	ns := ids.DefaultNamespaceID()
	want, _ := hex.DecodeString("934e6021339e1f013ba94900edc25d8d74c0b4e573768910ae0f507d8c817318")
	if !bytes.Equal(ns[:], want) {
		t.Errorf("DefaultNamespaceID = %x, want %x", ns, want)
	}
	if !ns.IsCommunal() {
		t.Error("the default namespace must be communal")
	}
	if ss := ids.DefaultSubspaceID(); !bytes.Equal(ss[:], ns[:]) {
		t.Errorf("DefaultSubspaceID = %v, want the default namespace id's key", ss)
	}
	sk := ids.DefaultSecretKey()
	if pk := sk.PublicKey(); pk != [32]byte(ns) {
		t.Errorf("public key of the default secret = %x, want %x", pk, ns)
	}
	// Cross-check PublicKey against crypto/ed25519 directly.
	if pk := ed25519.NewKeyFromSeed(sk[:]).Public().(ed25519.PublicKey); !bytes.Equal(pk, ns[:]) {
		t.Errorf("crypto/ed25519 public key of the default seed = %x", pk)
	}
	d := ids.DefaultPayloadDigest()
	if got := d.String(); got != "96d34c5478458231e364767952aaea02a31d2203c66f4365692ef91f351068d2" {
		t.Errorf("DefaultPayloadDigest = %s", got)
	}
	// They are functions returning copies: changing one result does not
	// change the next.
	ns[0] ^= 0xff
	sk[0] ^= 0xff
	if ids.DefaultNamespaceID()[0] != 147 || ids.DefaultSecretKey()[0] != 94 {
		t.Error("defaults are mutable")
	}
}

func TestSemanticsGenerate(t *testing.T) {
	check := func(name string, pk [32]byte, sk ids.SecretKey, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if sk.PublicKey() != pk {
			t.Fatalf("%s: public key does not belong to the secret", name)
		}
		msg := []byte("willow " + name)
		sig := sk.Sign(msg)
		if !ed25519.Verify(pk[:], msg, sig[:]) {
			t.Fatalf("%s: signature does not verify", name)
		}
	}
	for seed := range uint64(64) {
		r := rand.NewChaCha8([32]byte{byte(seed), 1})
		cns, csk, err := ids.GenerateCommunalNamespace(r)
		check("communal", cns, csk, err)
		if !cns.IsCommunal() {
			t.Fatalf("seed %d: GenerateCommunalNamespace gave owned %v", seed, cns)
		}
		ons, osk, err := ids.GenerateOwnedNamespace(r)
		check("owned", ons, osk, err)
		if !ons.IsOwned() {
			t.Fatalf("seed %d: GenerateOwnedNamespace gave communal %v", seed, ons)
		}
		ss, ssk, err := ids.GenerateSubspace(r)
		check("subspace", ss, ssk, err)
	}

	// Deterministic: the same randomness gives the same keys.
	a, ask, _ := ids.GenerateOwnedNamespace(rand.NewChaCha8([32]byte{9}))
	b, bsk, _ := ids.GenerateOwnedNamespace(rand.NewChaCha8([32]byte{9}))
	if a != b || ask != bsk {
		t.Error("GenerateOwnedNamespace is not a function of its randomness")
	}
	// Rejection sampling: the secret is one of the drawn 32-byte seeds.
	r := rand.NewChaCha8([32]byte{7})
	var draws [][32]byte
	for range 64 {
		var s [32]byte
		r.Read(s[:])
		draws = append(draws, s)
	}
	_, sk, _ := ids.GenerateOwnedNamespace(rand.NewChaCha8([32]byte{7}))
	found := false
	for i, s := range draws {
		if s == [32]byte(sk) {
			found = true
			// Every earlier draw was rejected, so gave a communal key.
			for _, e := range draws[:i] {
				if !ids.NamespaceID(ids.SecretKey(e).PublicKey()).IsCommunal() {
					t.Errorf("an earlier owned draw was skipped")
				}
			}
			break
		}
	}
	if !found {
		t.Error("the owned secret is not one of the reader's 32-byte draws")
	}
}

func TestSemanticsGenerateBrokenReader(t *testing.T) {
	boom := errors.New("entropy exhausted")
	gens := map[string]func(io.Reader) error{
		"subspace": func(r io.Reader) error { _, _, err := ids.GenerateSubspace(r); return err },
		"communal": func(r io.Reader) error { _, _, err := ids.GenerateCommunalNamespace(r); return err },
		"owned":    func(r io.Reader) error { _, _, err := ids.GenerateOwnedNamespace(r); return err },
	}
	for name, gen := range gens {
		if err := gen(iotest.ErrReader(boom)); !errors.Is(err, boom) {
			t.Errorf("%s with a failing reader: error = %v, want it to wrap the reader's error", name, err)
		}
		if err := gen(strings.NewReader("too short")); err == nil {
			t.Errorf("%s with a reader that ends after 9 bytes: no error", name)
		}
		if err := gen(bytes.NewReader(nil)); err == nil {
			t.Errorf("%s with an empty reader: no error", name)
		}
	}
	// A constant reader yields the same seed forever: exactly one of the
	// namespace kinds can be satisfied; the other must give up with an
	// error rather than loop forever.
	zeroKind := ids.NamespaceID(ids.SecretKey{}.PublicKey()).IsCommunal()
	_, _, errC := ids.GenerateCommunalNamespace(zeroReader{})
	_, _, errO := ids.GenerateOwnedNamespace(zeroReader{})
	if zeroKind && (errC != nil || errO == nil) || !zeroKind && (errC == nil || errO != nil) {
		t.Errorf("constant reader (zero seed communal: %v): communal err %v, owned err %v", zeroKind, errC, errO)
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestSemanticsParseNamespaceID(t *testing.T) {
	communal := ids.DefaultNamespaceID() // last byte 0x18
	owned := communal
	owned[31] |= 1
	lc := hex.EncodeToString(communal[:])
	lo := hex.EncodeToString(owned[:])
	good := []struct {
		in   string
		want ids.NamespaceID
	}{
		{lc, communal},
		{strings.ToUpper(lc), communal},
		{lc[:20] + strings.ToUpper(lc[20:]), communal},
		{"+" + lc, communal},
		{"+" + strings.ToUpper(lc), communal},
		{lo, owned},
		{"-" + lo, owned},
		{"-" + strings.ToUpper(lo), owned},
	}
	for _, g := range good {
		got, err := ids.ParseNamespaceID(g.in)
		if err != nil || got != g.want {
			t.Errorf("ParseNamespaceID(%q) = %v, %v; want %v", g.in, got, err, g.want)
		}
	}
	bad := []string{
		"-" + lc,            // communal key with the owned sign
		"+" + lo,            // owned key with the communal sign
		"",                  // empty
		"+",                 // sign only
		lc[:63],             // 63 digits
		lc + "0",            // 65 digits
		"+" + lc[:63],       // sign and 63 digits
		lc[:62],             // 31 bytes
		lc + "00",           // 33 bytes
		"zz" + lc[2:],       // not hex
		lc[:63] + "g",       // not hex at the end
		" " + lc[1:],        // space
		lc[:63] + "\n",      // newline instead of a digit
		"0x" + lc[2:],       // 0x prefix
		"++" + lc[1:],       // two signs
		"*" + lc[1:],        // other sign characters
		"−" + lo[3:],        // Unicode minus (3 bytes)
		"+" + lc[:62] + "é", // non-ASCII
	}
	for _, b := range bad {
		if got, err := ids.ParseNamespaceID(b); err == nil {
			t.Errorf("ParseNamespaceID(%q) = %v, want an error", b, got)
		}
	}
	// String round-trips and carries the right sign.
	r := rand.New(rand.NewPCG(2, 2))
	for range 500 {
		var n ids.NamespaceID
		for i := range n {
			n[i] = byte(r.Uint32())
		}
		s := n.String()
		if wantSign := map[bool]byte{true: '+', false: '-'}[n.IsCommunal()]; s[0] != wantSign || len(s) != 65 {
			t.Fatalf("String(%x) = %q", n, s)
		}
		if back, err := ids.ParseNamespaceID(s); err != nil || back != n {
			t.Fatalf("ParseNamespaceID(%q) = %v, %v", s, back, err)
		}
		if back, err := ids.ParseNamespaceID(s[1:]); err != nil || back != n {
			t.Fatalf("ParseNamespaceID(%q) without sign = %v, %v", s[1:], back, err)
		}
	}
}

func TestSemanticsParseSubspaceAndDigest(t *testing.T) {
	h := "00ff" + strings.Repeat("a5", 30)
	var want [32]byte
	hex.Decode(want[:], []byte(h))
	for _, in := range []string{h, strings.ToUpper(h)} {
		if ss, err := ids.ParseSubspaceID(in); err != nil || ss != ids.SubspaceID(want) {
			t.Errorf("ParseSubspaceID(%q) = %v, %v", in, ss, err)
		}
		if d, err := ids.ParsePayloadDigest(in); err != nil || d != ids.PayloadDigest(want) {
			t.Errorf("ParsePayloadDigest(%q) = %v, %v", in, d, err)
		}
	}
	for _, in := range []string{"", "+" + h, "-" + h, h[:63], h + "0", h[:62], "x" + h[1:]} {
		if _, err := ids.ParseSubspaceID(in); err == nil {
			t.Errorf("ParseSubspaceID(%q) succeeded", in)
		}
		if _, err := ids.ParsePayloadDigest(in); err == nil {
			t.Errorf("ParsePayloadDigest(%q) succeeded", in)
		}
	}
	if s := ids.SubspaceID(want).String(); s != h {
		t.Errorf("SubspaceID.String = %q, want %q", s, h)
	}
}

func TestSemanticsIDOrder(t *testing.T) {
	// Subspace ids and digests are ordered numerically as big-endian
	// integers: the first byte is the most significant.
	a := ids.SubspaceID{0: 1}
	b := ids.SubspaceID{31: 0xff}
	if a.Compare(b) != 1 || b.Compare(a) != -1 || a.Compare(a) != 0 {
		t.Errorf("SubspaceID order: Compare(%v, %v) = %d", a, b, a.Compare(b))
	}
	c := ids.PayloadDigest{0: 1}
	d := ids.PayloadDigest{1: 0xff}
	if c.Compare(d) != 1 || d.Compare(c) != -1 || c.Compare(c) != 0 {
		t.Errorf("PayloadDigest order: Compare(%v, %v) = %d", c, d, c.Compare(d))
	}
}
