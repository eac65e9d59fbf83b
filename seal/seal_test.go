package seal_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"testing"
	"testing/iotest"

	"filippo.io/age"

	"github.com/willow-web/willow-web/core/drop"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/seal"
)

// fastScrypt is a passphrase recipient with a low work factor, for speed.
func fastScrypt(t testing.TB, pass string) *age.ScryptRecipient {
	t.Helper()
	r, err := age.NewScryptRecipient(pass)
	if err != nil {
		t.Fatal(err)
	}
	r.SetWorkFactor(10)
	return r
}

func scryptIdentity(t testing.TB, pass string) *age.ScryptIdentity {
	t.Helper()
	i, err := age.NewScryptIdentity(pass)
	if err != nil {
		t.Fatal(err)
	}
	return i
}

func sealBytes(t testing.TB, plain []byte, recipients ...age.Recipient) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := seal.Seal(&buf, recipients...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(plain); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// openAll opens and reads the whole plaintext.
func openAll(sealed []byte, identities ...age.Identity) ([]byte, error) {
	r, err := seal.Open(bytes.NewReader(sealed), identities...)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

func subspaceKeys(t testing.TB) (ids.SubspaceID, ids.SecretKey, *age.X25519Recipient, *age.X25519Identity) {
	t.Helper()
	id, sk, err := ids.GenerateSubspace(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	r, err := seal.SubspaceRecipient(id)
	if err != nil {
		t.Fatal(err)
	}
	i, err := seal.SubspaceIdentity(sk)
	if err != nil {
		t.Fatal(err)
	}
	return id, sk, r, i
}

func TestRoundTrips(t *testing.T) {
	plain := testDrop(t)
	x1, _ := age.GenerateX25519Identity()
	x2, _ := age.GenerateX25519Identity()
	pq, err := age.GenerateHybridIdentity()
	if err != nil {
		t.Fatal(err)
	}
	_, _, betty, bettyID := subspaceKeys(t)
	_, _, carol, carolID := subspaceKeys(t)
	cases := []struct {
		name       string
		recipients []age.Recipient
		identities [][]age.Identity // each must open it
	}{
		{"x25519", []age.Recipient{x1.Recipient()}, [][]age.Identity{{x1}}},
		{"passphrase", []age.Recipient{fastScrypt(t, "correct horse")}, [][]age.Identity{{scryptIdentity(t, "correct horse")}}},
		{"subspace", []age.Recipient{betty}, [][]age.Identity{{bettyID}}},
		{"hybrid", []age.Recipient{pq.Recipient()}, [][]age.Identity{{pq}}},
		{"several", []age.Recipient{x1.Recipient(), betty, x2.Recipient(), carol},
			[][]age.Identity{{x1}, {x2}, {bettyID}, {carolID}, {x2, bettyID}, {scryptIdentity(t, "x"), carolID}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sealed := sealBytes(t, plain, c.recipients...)
			if !seal.IsSealed(sealed) || !bytes.HasPrefix(sealed, []byte(seal.Magic)) {
				t.Fatalf("sealed drop begins %q", sealed[:min(30, len(sealed))])
			}
			for _, ids := range c.identities {
				got, err := openAll(sealed, ids...)
				if err != nil {
					t.Fatalf("open with %T…: %v", ids[0], err)
				}
				if !bytes.Equal(got, plain) {
					t.Fatal("opened plaintext differs")
				}
			}
			// The opened stream is a valid drop to the drop package.
			r, err := seal.Open(bytes.NewReader(sealed), c.identities[0]...)
			if err != nil {
				t.Fatal(err)
			}
			if sum, err := drop.Verify(r); err != nil || sum.Items != 3 {
				t.Fatalf("verify opened drop: %+v, %v", sum, err)
			}
		})
	}
}

func TestEmptyDropAndSmallWrites(t *testing.T) {
	x, _ := age.GenerateX25519Identity()
	for _, plain := range [][]byte{{0x00}, makeDrop(t, []byte("a"))} {
		var buf bytes.Buffer
		w, err := seal.Seal(&buf, x.Recipient())
		if err != nil {
			t.Fatal(err)
		}
		for i := range plain { // byte by byte
			if _, err := w.Write(plain[i : i+1]); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		r, err := seal.Open(iotest.OneByteReader(&buf), x)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(iotest.OneByteReader(r))
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("got %x, %v; want %x", got, err, plain)
		}
	}
}

func TestSealRefuses(t *testing.T) {
	x, _ := age.GenerateX25519Identity()
	pq, _ := age.GenerateHybridIdentity()
	if _, err := seal.Seal(io.Discard); err == nil {
		t.Error("Seal with no recipients succeeded")
	}
	// age: a passphrase must be the only recipient; classic and
	// post-quantum recipients do not mix.
	if _, err := seal.Seal(io.Discard, fastScrypt(t, "p"), x.Recipient()); err == nil {
		t.Error("Seal to a passphrase and a key succeeded")
	}
	if _, err := seal.Seal(io.Discard, pq.Recipient(), x.Recipient()); err == nil {
		t.Error("Seal to hybrid and X25519 succeeded")
	}
	for _, first := range []byte{0x01, 0x3f, 0x80, 0xff, 'a' - 0x40} {
		w, err := seal.Seal(io.Discard, x.Recipient())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte{first, 0}); !errors.Is(err, seal.ErrNotDrop) {
			t.Errorf("writing first byte %#02x: %v, want ErrNotDrop", first, err)
		}
	}
	w, _ := seal.Seal(io.Discard, x.Recipient())
	if err := w.Close(); !errors.Is(err, seal.ErrNotDrop) {
		t.Errorf("closing an empty seal: %v, want ErrNotDrop", err)
	}
}

func TestOpenErrors(t *testing.T) {
	plain := testDrop(t)
	x, _ := age.GenerateX25519Identity()
	other, _ := age.GenerateX25519Identity()
	_, _, betty, _ := subspaceKeys(t)
	_, _, _, carolID := subspaceKeys(t)
	sealed := sealBytes(t, plain, x.Recipient(), betty)
	byPass := sealBytes(t, plain, fastScrypt(t, "right"))

	check := func(name string, err error, want ...error) {
		t.Helper()
		if err == nil {
			t.Errorf("%s: opened", name)
			return
		}
		for _, w := range want {
			if !errors.Is(err, w) {
				t.Errorf("%s: %v, want %v", name, err, w)
			}
		}
	}
	_, err := openAll(sealed, other, carolID)
	check("wrong keys", err, seal.ErrNoIdentity)
	_, err = openAll(sealed)
	check("no identities", err, seal.ErrNoIdentity)
	_, err = openAll(byPass, scryptIdentity(t, "wrong"))
	check("wrong passphrase", err, seal.ErrWrongPassphrase)
	_, err = openAll(byPass, x)
	check("key for a passphrase drop", err, seal.ErrNoIdentity)
	_, err = openAll(sealed, scryptIdentity(t, "right"))
	check("passphrase for a key drop", err, seal.ErrNoIdentity)
	_, err = openAll(plain, x)
	check("plaintext", err, seal.ErrNotSealed)

	// Plaintexts that are not drops: age encrypts them, Open refuses them.
	for _, bad := range [][]byte{{}, []byte("#!/bin/sh"), {0x80}, {0xc1, 0}} {
		var buf bytes.Buffer
		w, _ := age.Encrypt(&buf, x.Recipient())
		w.Write(bad)
		w.Close()
		_, err = openAll(buf.Bytes(), x)
		check("not a drop inside", err, seal.ErrNotDrop)
	}

	headerEnd := bytes.Index(sealed, []byte("\n---")) + 1
	macLine := bytes.IndexByte(sealed[headerEnd:], '\n') + headerEnd + 1
	// Flip a bit in the header (a stanza), in the MAC, in the nonce, in the
	// first, middle and last chunks.
	for _, at := range []int{40, headerEnd + 10, macLine + 3, macLine + 20, macLine + 16 + 1000, len(sealed) / 2, len(sealed) - 5} {
		bad := bytes.Clone(sealed)
		bad[at] ^= 0x04
		_, err := openAll(bad, x)
		if at == 40 && errors.Is(err, seal.ErrNoIdentity) {
			continue // the flipped bit was in another recipient's stanza
		}
		check("flipped bit", err, seal.ErrTampered)
		if errors.Is(err, seal.ErrTruncated) {
			t.Errorf("flipped bit at %d reported as truncation: %v", at, err)
		}
	}
	// Trailing bytes after the final chunk.
	_, err = openAll(append(bytes.Clone(sealed), 0), x)
	check("trailing byte", err, seal.ErrTampered)

	// Truncations: in the header, at the nonce, at a chunk boundary (a
	// missing final chunk) and inside chunks.
	const chunk = 64<<10 + 16
	body := macLine + 16
	for _, n := range []int{10, headerEnd + 5, macLine, body, body + chunk, body + 2*chunk} {
		_, err := openAll(sealed[:n], x)
		check("truncated at a boundary", err, seal.ErrTruncated, seal.ErrTampered)
	}
	for _, n := range []int{body + 100, body + chunk + 7, len(sealed) - 1} {
		_, err := openAll(sealed[:n], x)
		check("truncated in a chunk", err, seal.ErrTampered)
	}

	// Through the drop package, the typed error survives.
	r, err := seal.Open(bytes.NewReader(sealed[:len(sealed)-100]), x)
	if err != nil {
		t.Fatal(err)
	}
	_, err = drop.Verify(r)
	check("drop.Verify of a truncated sealed drop", err, seal.ErrTampered)
}

func TestDetectAndReader(t *testing.T) {
	plain := testDrop(t)
	x, _ := age.GenerateX25519Identity()
	sealed := sealBytes(t, plain, x.Recipient())
	for _, c := range []struct {
		in     []byte
		sealed bool
	}{{plain, false}, {[]byte{0}, false}, {nil, false}, {sealed, true}, {[]byte("age-encryption.org/v1"), false}} {
		got, all, err := seal.Detect(bytes.NewReader(c.in))
		if err != nil || got != c.sealed {
			t.Errorf("Detect(%.20q) = %v, %v; want %v", c.in, got, err, c.sealed)
			continue
		}
		if b, _ := io.ReadAll(all); !bytes.Equal(b, c.in) {
			t.Errorf("Detect(%.20q) lost bytes", c.in)
		}
	}
	for _, in := range [][]byte{plain, sealed} {
		r, wasSealed, err := seal.Reader(bytes.NewReader(in), x)
		if err != nil || wasSealed != bytes.Equal(in, sealed) {
			t.Fatalf("Reader: %v, %v", wasSealed, err)
		}
		if b, _ := io.ReadAll(r); !bytes.Equal(b, plain) {
			t.Fatal("Reader did not give the plaintext drop")
		}
	}
	if _, _, err := seal.Reader(bytes.NewReader(sealed)); !errors.Is(err, seal.ErrNoIdentity) {
		t.Errorf("Reader of a sealed drop without identities: %v", err)
	}
	// Read errors of the source are reported as such, not as tampering.
	boom := errors.New("disk on fire")
	_, err := seal.Open(io.MultiReader(bytes.NewReader(sealed[:300]), iotest.ErrReader(boom)), x)
	if !errors.Is(err, boom) || errors.Is(err, seal.ErrTampered) {
		t.Errorf("source failure in the header: %v", err)
	}
	r, err := seal.Open(io.MultiReader(bytes.NewReader(sealed[:100000]), iotest.ErrReader(boom)), x)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(r); !errors.Is(err, boom) || errors.Is(err, seal.ErrTampered) {
		t.Errorf("source failure in the payload: %v", err)
	}
}

func TestArmored(t *testing.T) {
	plain := makeDrop(t, []byte("armored"))
	x, _ := age.GenerateX25519Identity()
	sealed := sealBytes(t, plain, x.Recipient())
	var armored bytes.Buffer
	aw := armorWriter(&armored)
	aw.Write(sealed)
	aw.Close()
	got, err := openAll(armored.Bytes(), x)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("armored: %v", err)
	}
}
