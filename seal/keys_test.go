package seal_test

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/seal"
	"github.com/willow-web/willow-web/seal/agekey"
)

func unhex32(t *testing.T, s string) [32]byte {
	t.Helper()
	var b [32]byte
	if n, err := hex.Decode(b[:], []byte(s)); err != nil || n != 32 {
		t.Fatalf("bad hex %q", s)
	}
	return b
}

// TestLibsodiumVector checks the conversion against libsodium's own test,
// test/default/ed25519_convert.c with its expected output
// ed25519_convert.exp (https://github.com/jedisct1/libsodium, also vendored
// as libsodium-1.0.18/test/default/ed25519_convert_test.h): from the seed
// 421151a4…edee, crypto_sign_ed25519_pk_to_curve25519 gives f1814f0e…ae50 and
// crypto_sign_ed25519_sk_to_curve25519 gives 80520303…e166.
func TestLibsodiumVector(t *testing.T) {
	sk := ids.SecretKey(unhex32(t, "421151a459faeade3d247115f94aedae42318124095afabe4d1451a559faedee"))
	wantPK := unhex32(t, "f1814f0e8ff1043d8a44d25babff3cedcae6c22c3edaa48f857ae70de2baae50")
	wantSK := unhex32(t, "8052030376d47112be7f73ed7a019293dd12ad910b654455798b4667d73de166")
	id := ids.SubspaceID(sk.PublicKey())
	if got := hex.EncodeToString(id[:]); got != "b5076a8474a832daee4dd5b4040983b6623b5f344aca57d4d6ee4baf3f259e6e" {
		t.Fatalf("ed25519 public key of the seed: %s", got)
	}
	pk, err := agekey.X25519PublicKey(id)
	if err != nil || pk != wantPK {
		t.Errorf("X25519PublicKey = %x, %v; want %x", pk, err, wantPK)
	}
	if got := agekey.X25519SecretKey(sk); got != wantSK {
		t.Errorf("X25519SecretKey = %x; want %x", got, wantSK)
	}
	// The age forms carry the same keys: the identity's recipient, computed
	// by age with golang.org/x/crypto/curve25519, is the derived recipient.
	rs, err := agekey.RecipientString(id)
	if err != nil {
		t.Fatal(err)
	}
	i, err := age.ParseX25519Identity(agekey.IdentityString(sk))
	if err != nil {
		t.Fatal(err)
	}
	if i.Recipient().String() != rs {
		t.Errorf("identity's recipient %s, derived recipient %s", i.Recipient(), rs)
	}
}

// TestDerivationBothWays derives many key pairs both ways: the recipient
// from the ed25519 public key (birational map, filippo.io/edwards25519) and
// the identity from the seed (SHA-512, clamping); the X25519 public key of
// the identity, computed by crypto/ecdh (an independent Curve25519
// implementation), must equal the recipient.
func TestDerivationBothWays(t *testing.T) {
	for i := range 300 {
		pub, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		id, sk := ids.SubspaceID(pub), ids.SecretKey(priv.Seed())
		u, err := agekey.X25519PublicKey(id)
		if err != nil {
			t.Fatal(err)
		}
		s := agekey.X25519SecretKey(sk)
		ek, err := ecdh.X25519().NewPrivateKey(s[:])
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(ek.PublicKey().Bytes(), u[:]) {
			t.Fatalf("key %d: X25519(identity, 9) = %x, recipient %x", i, ek.PublicKey().Bytes(), u)
		}
		rs, err := agekey.RecipientString(id)
		if err != nil {
			t.Fatal(err)
		}
		is := agekey.IdentityString(sk)
		if !strings.HasPrefix(rs, "age1") || len(rs) != 62 || !strings.HasPrefix(is, "AGE-SECRET-KEY-1") || len(is) != 74 || is != strings.ToUpper(is) {
			t.Fatalf("key %d: strings %q, %q", i, rs, is)
		}
		ai, err := age.ParseX25519Identity(is)
		if err != nil {
			t.Fatal(err)
		}
		if ai.Recipient().String() != rs {
			t.Fatalf("key %d: age's recipient of the identity %s, derived %s", i, ai.Recipient(), rs)
		}
		if i < 10 {
			r, err := seal.SubspaceRecipient(id)
			if err != nil || r.String() != rs {
				t.Fatalf("SubspaceRecipient: %v, %v", r, err)
			}
		}
	}
}

func TestBadSubspaceIDs(t *testing.T) {
	notPoint := unhex32(t, "0200000000000000000000000000000000000000000000000000000000000000") // y = 2 is not on the curve
	identity := unhex32(t, "0100000000000000000000000000000000000000000000000000000000000000")
	order2 := unhex32(t, "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f") // y = −1
	// A point of order 8 (on libsodium's small-order blocklist; checked:
	// eight times it is the identity).
	order8 := unhex32(t, "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a")
	// A mixed-order point: the base point plus the point of order 2.
	mixed := unhex32(t, "9599999999999999999999999999999999999999999999999999999999999999")
	for _, c := range []struct {
		name string
		id   [32]byte
	}{{"not a point", notPoint}, {"identity", identity}, {"order 2", order2}, {"order 8", order8}, {"mixed order", mixed}} {
		if _, err := agekey.X25519PublicKey(ids.SubspaceID(c.id)); !errors.Is(err, seal.ErrBadKey) {
			t.Errorf("%s: %v, want ErrBadKey", c.name, err)
		}
		if _, err := seal.SubspaceRecipient(ids.SubspaceID(c.id)); !errors.Is(err, seal.ErrBadKey) {
			t.Errorf("%s: SubspaceRecipient: %v, want ErrBadKey", c.name, err)
		}
	}
}

func TestParseRecipient(t *testing.T) {
	x, _ := age.GenerateX25519Identity()
	pq, _ := age.GenerateHybridIdentity()
	for _, s := range []string{x.Recipient().String(), pq.Recipient().String()} {
		r, err := seal.ParseRecipient(s)
		if err != nil {
			t.Fatalf("%.20s…: %v", s, err)
		}
		if r.(interface{ String() string }).String() != s {
			t.Fatal("round trip")
		}
	}
	for _, s := range []string{"", "age1", "AGE-SECRET-KEY-1QQQ", x.String(), x.Recipient().String()[:40]} {
		if _, err := seal.ParseRecipient(s); err == nil {
			t.Errorf("ParseRecipient(%.20q) succeeded", s)
		}
	}
}
