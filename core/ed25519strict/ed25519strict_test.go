package ed25519strict

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"filippo.io/edwards25519"

	"github.com/willow-web/willow-web/internal/testvectors"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// pointKind classifies a point encoding using filippo.io/edwards25519 only:
// "invalid" (not a point), "small" ([8]P = 0), "mixed" (non-zero torsion
// component but not small) or "prime" (in the prime-order subgroup).
func pointKind(b []byte) string {
	p, err := new(edwards25519.Point).SetBytes(b)
	if err != nil {
		return "invalid"
	}
	id := edwards25519.NewIdentityPoint()
	if new(edwards25519.Point).MultByCofactor(p).Equal(id) == 1 {
		return "small"
	}
	// [L]P = [L-1]P + P is the identity exactly when P has no torsion part.
	one, _ := new(edwards25519.Scalar).SetCanonicalBytes(append([]byte{1}, make([]byte, 31)...))
	lMinus1 := new(edwards25519.Scalar).Negate(one)
	lp := new(edwards25519.Point).ScalarMult(lMinus1, p)
	lp.Add(lp, p)
	if lp.Equal(id) == 1 {
		return "prime"
	}
	return "mixed"
}

// isCanonicalRef: b decodes to a point whose canonical encoding is b.
func isCanonicalRef(b []byte) bool {
	p, err := new(edwards25519.Point).SetBytes(b)
	return err == nil && bytes.Equal(p.Bytes(), b)
}

// refStrict is an independent reference for verify_strict built only from
// filippo.io/edwards25519 and SHA-512: decode, re-encode to check canonicity,
// multiply by the cofactor to check the order, and evaluate the cofactorless
// equation itself (not through crypto/ed25519).
func refStrict(pub, msg, sig []byte) bool {
	if len(pub) != 32 || len(sig) != 64 {
		return false
	}
	id := edwards25519.NewIdentityPoint()
	A, err := new(edwards25519.Point).SetBytes(pub)
	if err != nil || !bytes.Equal(A.Bytes(), pub) || new(edwards25519.Point).MultByCofactor(A).Equal(id) == 1 {
		return false
	}
	R, err := new(edwards25519.Point).SetBytes(sig[:32])
	if err != nil || !bytes.Equal(R.Bytes(), sig[:32]) || new(edwards25519.Point).MultByCofactor(R).Equal(id) == 1 {
		return false
	}
	S, err := new(edwards25519.Scalar).SetCanonicalBytes(sig[32:])
	if err != nil {
		return false
	}
	h := sha512.New()
	h.Write(sig[:32])
	h.Write(pub)
	h.Write(msg)
	k, _ := new(edwards25519.Scalar).SetUniformBytes(h.Sum(nil))
	// R' = [S]B - [k]A
	kA := new(edwards25519.Point).ScalarMult(k, A)
	rr := new(edwards25519.Point).ScalarBaseMult(S)
	rr.Subtract(rr, kA)
	return bytes.Equal(rr.Bytes(), sig[:32])
}

// cryptoVerify is crypto/ed25519.Verify made total (it panics on a key of
// the wrong length).
func cryptoVerify(pub, msg, sig []byte) bool {
	return len(pub) == ed25519.PublicKeySize && ed25519.Verify(pub, msg, sig)
}

// checkAll runs Check and Verify and insists they agree with each other and
// with the reference, and that an acceptance is also one by crypto/ed25519.
func checkAll(t testing.TB, pub, msg, sig []byte) error {
	t.Helper()
	err := Check(pub, msg, sig)
	if ok := Verify(pub, msg, sig); ok != (err == nil) {
		t.Fatalf("Verify = %v but Check = %v", ok, err)
	}
	if ref := refStrict(pub, msg, sig); ref != (err == nil) {
		t.Fatalf("reference verify_strict = %v but Check = %v\npub %x\nmsg %x\nsig %x", ref, err, pub, msg, sig)
	}
	if err == nil && !cryptoVerify(pub, msg, sig) {
		t.Fatalf("accepted a signature crypto/ed25519 refuses\npub %x\nmsg %x\nsig %x", pub, msg, sig)
	}
	return err
}

// speccheckVerdicts: for each case of cases.json (the ten vectors of "Taming
// the many EdDSAs", Chalkias, Garillot, Nikolaenko 2020, Table 5, as in
// novifinancial/ed25519-speccheck), the verdict of verify_strict, whether
// plain crypto/ed25519 accepts it, the kinds of A and R, and why.
var speccheckVerdicts = map[int]struct {
	want   error // nil = accept
	crypto bool  // crypto/ed25519.Verify
	a, r   string
	why    string
}{
	0: {ErrSmallOrderPublicKey, true, "small", "small", "S = 0, small-order A and R: both equations hold, but A is a weak key"},
	1: {ErrSmallOrderPublicKey, true, "small", "mixed", "0 < S < L, small-order A, mixed-order R: both equations hold, A is a weak key"},
	2: {ErrSmallOrderR, true, "mixed", "small", "0 < S < L, mixed-order A, small-order R: both equations hold, R has small order"},
	3: {nil, true, "mixed", "mixed", "0 < S < L, mixed-order A and R, canonical: the cofactorless equation holds; accepted by every verifier"},
	4: {ErrBadSignature, false, "mixed", "mixed", "0 < S < L, mixed-order A and R: only the cofactored equation holds"},
	5: {ErrBadSignature, false, "mixed", "prime", "0 < S < L, mixed-order A, prime-order R: only the cofactored equation holds (pre-reduced-k case)"},
	6: {ErrNonCanonicalS, false, "prime", "prime", "S ≥ L (S < 2²⁵³): a valid signature with S+L, refused by the S < L check"},
	7: {ErrNonCanonicalS, false, "prime", "prime", "S ≫ L (bit 253 set): a valid signature with non-reduced S"},
	8: {ErrNonCanonicalR, false, "mixed", "small", "non-canonical R (y = p): verifies only if k hashes the re-encoded R"},
	9: {ErrNonCanonicalR, false, "mixed", "small", "non-canonical R (y = p): verifies only if k hashes R as given and points are compared, not encodings"},
}

func TestSpeccheck(t *testing.T) {
	dir := testvectors.Dir(t, "ed25519-speccheck")
	raw, err := os.ReadFile(filepath.Join(dir, "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Message   string `json:"message"`
		PubKey    string `json:"pub_key"`
		Signature string `json:"signature"`
	}
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) != len(speccheckVerdicts) {
		t.Fatalf("cases.json has %d cases, the verdict table %d", len(cases), len(speccheckVerdicts))
	}
	var gap []int // accepted by crypto/ed25519, refused by us
	for i, c := range cases {
		v, ok := speccheckVerdicts[i]
		if !ok {
			t.Fatalf("case %d has no verdict", i)
		}
		msg, pub, sig := mustHex(t, c.Message), mustHex(t, c.PubKey), mustHex(t, c.Signature)
		if k := pointKind(pub); k != v.a {
			t.Errorf("case %d: A is %s, table says %s", i, k, v.a)
		}
		if k := pointKind(sig[:32]); k != v.r {
			t.Errorf("case %d: R is %s, table says %s", i, k, v.r)
		}
		got := checkAll(t, pub, msg, sig)
		if (v.want == nil) != (got == nil) || (v.want != nil && !errors.Is(got, v.want)) {
			t.Errorf("case %d (%s): Check = %v, want %v", i, v.why, got, v.want)
		}
		cv := ed25519.Verify(pub, msg, sig)
		if cv != v.crypto {
			t.Errorf("case %d: crypto/ed25519.Verify = %v, table says %v", i, cv, v.crypto)
		}
		if cv && got != nil {
			gap = append(gap, i)
		}
		t.Logf("case %d: ours=%v crypto/ed25519=%v  (%s)", i, got == nil, cv, v.why)
	}
	// The gap the strict checks close: weak keys and small-order R.
	if want := []int{0, 1, 2}; !equalInts(gap, want) {
		t.Errorf("cases accepted by crypto/ed25519 but refused by us: %v, want %v", gap, want)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

const (
	willowKey   = "934e6021339e1f013ba94900edc25d8d74c0b4e573768910ae0f507d8c817318"
	willowSeed  = "5e14ace4d2c8028fc89a8f04765b19d2cd752d91bb373c0c9ed476276b5c4541"
	willowSig   = "2ac93ad2c13fedb696345dbac6e71254e99cb444e5e81b916fca0878f0a8a9932bd1a4e846e1ca83377b740a29b8570a85038d50662ba8af66e5683c93521401"
	willowEmpty = "96d34c5478458231e364767952aaea02a31d2203c66f4365692ef91f351068d2"
)

// willowDefault returns the Willow'25 default authorisation token's key,
// signed message (namespace ‖ subspace ‖ empty path ‖ timestamp 0 ‖ payload
// length 0 ‖ WILLIAM3("")) and signature.
func willowDefault(t testing.TB) (pub, msg, sig []byte) {
	pub = mustHex(t, willowKey)
	msg = append(append(append(append([]byte{}, pub...), pub...), 0, 0, 0), mustHex(t, willowEmpty)...)
	if len(msg) != 99 {
		t.Fatalf("message is %d bytes, want 99", len(msg))
	}
	return pub, msg, mustHex(t, willowSig)
}

func TestWillowDefaultAuthorisation(t *testing.T) {
	pub, msg, sig := willowDefault(t)
	if err := checkAll(t, pub, msg, sig); err != nil {
		t.Fatalf("default authorisation signature refused: %v", err)
	}
	priv := ed25519.NewKeyFromSeed(mustHex(t, willowSeed))
	if got := priv.Public().(ed25519.PublicKey); !bytes.Equal(got, pub) {
		t.Fatalf("seed gives public key %x, want %x", got, pub)
	}
	if got := ed25519.Sign(priv, msg); !bytes.Equal(got, sig) {
		t.Fatalf("signing the default entry gives %x, want %x", got, sig)
	}
}

func TestBitFlipsRejected(t *testing.T) {
	pub, msg, sig := willowDefault(t)
	flip := func(name string, b []byte) {
		for i := range len(b) * 8 {
			b[i/8] ^= 1 << (i % 8)
			if err := checkAll(t, pub, msg, sig); err == nil {
				t.Errorf("%s bit %d flipped: still accepted", name, i)
			}
			b[i/8] ^= 1 << (i % 8)
		}
	}
	flip("key", pub)
	flip("message", msg)
	flip("signature", sig)
	if err := Check(pub, msg, sig); err != nil {
		t.Fatalf("restored inputs refused: %v", err)
	}
}

func TestRandomAgreesWithCrypto(t *testing.T) {
	rng := rand.New(rand.NewChaCha8([32]byte{'w', 'i', 'l', 'l', 'o', 'w'}))
	n := 300
	if testing.Short() {
		n = 50
	}
	for i := range n {
		var seed [32]byte
		fillRand(rng, seed[:])
		priv := ed25519.NewKeyFromSeed(seed[:])
		pub := priv.Public().(ed25519.PublicKey)
		msg := make([]byte, rng.IntN(200))
		fillRand(rng, msg)
		sig := ed25519.Sign(priv, msg)
		if !ed25519.Verify(pub, msg, sig) {
			t.Fatalf("%d: crypto/ed25519 refuses its own signature", i)
		}
		if err := checkAll(t, pub, msg, sig); err != nil {
			t.Fatalf("%d: honest signature refused: %v", i, err)
		}
		// A random other message must fail for both.
		other := append([]byte{byte(i)}, msg...)
		if err := checkAll(t, pub, other, sig); !errors.Is(err, ErrBadSignature) {
			t.Fatalf("%d: wrong message: Check = %v, want ErrBadSignature", i, err)
		}
		if ed25519.Verify(pub, other, sig) {
			t.Fatalf("%d: crypto/ed25519 accepts a wrong message", i)
		}
		// S+L: same point equation, non-canonical scalar.
		if err := checkAll(t, pub, msg, addL(sig)); !errors.Is(err, ErrNonCanonicalS) {
			t.Fatalf("%d: S+L: Check = %v, want ErrNonCanonicalS", i, err)
		}
		if ed25519.Verify(pub, msg, addL(sig)) {
			t.Fatalf("%d: crypto/ed25519 accepts S+L", i)
		}
	}
}

func fillRand(rng *rand.Rand, b []byte) {
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
}

// orderL is L = 2²⁵² + 27742317777372353535851937790883648493.
var orderL, _ = new(big.Int).SetString("7237005577332262213973186563042994240857116359379907606001950938285454250989", 10)

// addL returns sig with S replaced by S+L (which still fits: S+L < 2²⁵³).
func addL(sig []byte) []byte {
	s := new(big.Int).SetBytes(reverse(sig[32:]))
	s.Add(s, orderL)
	out := append([]byte{}, sig[:32]...)
	return append(out, reverse(s.FillBytes(make([]byte, 32)))...)
}

func reverse(b []byte) []byte {
	r := make([]byte, len(b))
	for i := range b {
		r[len(b)-1-i] = b[i]
	}
	return r
}

func scalarFromUint(n byte) *edwards25519.Scalar {
	s, _ := new(edwards25519.Scalar).SetCanonicalBytes(append([]byte{n}, make([]byte, 31)...))
	return s
}

func challenge(r, pub, msg []byte) *edwards25519.Scalar {
	h := sha512.New()
	h.Write(r)
	h.Write(pub)
	h.Write(msg)
	k, _ := new(edwards25519.Scalar).SetUniformBytes(h.Sum(nil))
	return k
}

// TestConstructedGap builds signatures that crypto/ed25519 accepts but
// verify_strict must refuse.
func TestConstructedGap(t *testing.T) {
	rng := rand.New(rand.NewChaCha8([32]byte{'g', 'a', 'p'}))
	id := edwards25519.NewIdentityPoint()

	t.Run("weak key of order 8", func(t *testing.T) {
		// A = T of order 8, R = [r]B, S = r: valid whenever [k]T = 0,
		// i.e. for one message in eight, without knowing any secret.
		T, err := new(edwards25519.Point).SetBytes(smallOrderEncodings[1][:])
		if err != nil {
			t.Fatal(err)
		}
		pub := T.Bytes()
		var wide [64]byte
		fillRand(rng, wide[:])
		r, _ := new(edwards25519.Scalar).SetUniformBytes(wide[:])
		R := new(edwards25519.Point).ScalarBaseMult(r).Bytes()
		sig := append(append([]byte{}, R...), r.Bytes()...)
		msg := make([]byte, 16)
		for tries := 0; ; tries++ {
			fillRand(rng, msg)
			if new(edwards25519.Point).ScalarMult(challenge(R, pub, msg), T).Equal(id) == 1 {
				break
			}
			if tries > 1000 {
				t.Fatal("no message found")
			}
		}
		if !ed25519.Verify(pub, msg, sig) {
			t.Fatal("crypto/ed25519 should accept the forged signature")
		}
		if err := checkAll(t, pub, msg, sig); !errors.Is(err, ErrSmallOrderPublicKey) {
			t.Fatalf("Check = %v, want ErrSmallOrderPublicKey", err)
		}
	})

	t.Run("identity key, canonical and not", func(t *testing.T) {
		// A = identity: [S]B = R holds for every message.
		s := scalarFromUint(42)
		sig := append(new(edwards25519.Point).ScalarBaseMult(s).Bytes(), s.Bytes()...)
		msg := []byte("any message at all")
		canonical := id.Bytes()
		nonCanonical := append([]byte{0xee}, bytes.Repeat([]byte{0xff}, 30)...) // y = p+1 ≡ 1
		nonCanonical = append(nonCanonical, 0x7f)
		for _, c := range []struct {
			pub  []byte
			want error
		}{
			{canonical, ErrSmallOrderPublicKey},
			{nonCanonical, ErrNonCanonicalPublicKey},
		} {
			if !ed25519.Verify(c.pub, msg, sig) {
				t.Fatalf("key %x: crypto/ed25519 should accept", c.pub)
			}
			if err := checkAll(t, c.pub, msg, sig); !errors.Is(err, c.want) {
				t.Fatalf("key %x: Check = %v, want %v", c.pub, err, c.want)
			}
		}
	})

	t.Run("identity R with an honest key", func(t *testing.T) {
		// R = identity, S = k·a: [S]B = [k]A = R + [k]A. Valid for
		// crypto/ed25519, and S/k reveals the secret scalar.
		seed := make([]byte, 32)
		fillRand(rng, seed)
		priv := ed25519.NewKeyFromSeed(seed)
		pub := priv.Public().(ed25519.PublicKey)
		h := sha512.Sum512(seed)
		a, _ := new(edwards25519.Scalar).SetBytesWithClamping(h[:32])
		R := id.Bytes()
		msg := []byte("leaky")
		S := new(edwards25519.Scalar).Multiply(challenge(R, pub, msg), a)
		sig := append(append([]byte{}, R...), S.Bytes()...)
		if !ed25519.Verify(pub, msg, sig) {
			t.Fatal("crypto/ed25519 should accept R = identity")
		}
		if err := checkAll(t, pub, msg, sig); !errors.Is(err, ErrSmallOrderR) {
			t.Fatalf("Check = %v, want ErrSmallOrderR", err)
		}
	})
}

// TestSmallOrderTable checks the eight encodings against the group law: they
// are [i]T for i = 0…7, every one is killed by the cofactor, and they are
// distinct, so they are all the small-order points.
func TestSmallOrderTable(t *testing.T) {
	id := edwards25519.NewIdentityPoint()
	T, err := new(edwards25519.Point).SetBytes(smallOrderEncodings[1][:])
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	P := edwards25519.NewIdentityPoint()
	for i := range 8 {
		if !bytes.Equal(P.Bytes(), smallOrderEncodings[i][:]) {
			t.Errorf("[%d]T = %x, table has %x", i, P.Bytes(), smallOrderEncodings[i])
		}
		if (P.Equal(id) == 1) != (i == 0) {
			t.Errorf("[%d]T identity mismatch", i)
		}
		if new(edwards25519.Point).MultByCofactor(P).Equal(id) != 1 {
			t.Errorf("[%d]T is not of small order", i)
		}
		if !isSmallOrder(P.Bytes()) || !isCanonicalPoint(P.Bytes()) {
			t.Errorf("[%d]T not recognised", i)
		}
		seen[string(P.Bytes())] = true
		P.Add(P, T)
	}
	if P.Equal(id) != 1 || len(seen) != 8 {
		t.Fatalf("T does not have order 8 (%d distinct multiples)", len(seen))
	}
	// Each small-order point as key and as R.
	pub, msg, sig := willowDefault(t)
	for i := range smallOrderEncodings {
		e := smallOrderEncodings[i][:]
		if err := checkAll(t, e, msg, sig); !errors.Is(err, ErrSmallOrderPublicKey) {
			t.Errorf("small-order key %d: Check = %v", i, err)
		}
		s := append(append([]byte{}, e...), sig[32:]...)
		if err := checkAll(t, pub, msg, s); !errors.Is(err, ErrSmallOrderR) {
			t.Errorf("small-order R %d: Check = %v", i, err)
		}
	}
}

// TestNonCanonicalEncodings enumerates every non-canonical encoding (y in
// p…2²⁵⁵-1 with either sign bit, and the two "negative zero" encodings) and
// checks that decoders accept those that are points while we refuse them all,
// for A and for R; and that the canonical check agrees with a decode/re-encode
// round trip near the edges of the field.
func TestNonCanonicalEncodings(t *testing.T) {
	p := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19))
	enc := func(y *big.Int, sign bool) []byte {
		b := reverse(y.FillBytes(make([]byte, 32)))
		if sign {
			b[31] |= 0x80
		}
		return b
	}
	pub, msg, sig := willowDefault(t)
	var decodable []string
	kinds := map[string]int{}
	nonCanonical := [][]byte{negativeZeroEncodings[0][:], negativeZeroEncodings[1][:]}
	for d := range int64(19) {
		y := new(big.Int).Add(p, big.NewInt(d))
		nonCanonical = append(nonCanonical, enc(y, false), enc(y, true))
	}
	for _, b := range nonCanonical {
		if isCanonicalPoint(b) {
			t.Errorf("%x reported canonical", b)
		}
		if k := pointKind(b); k != "invalid" {
			decodable = append(decodable, hex.EncodeToString(b)+" ("+k+")")
			kinds[k]++
			if isCanonicalRef(b) {
				t.Errorf("%x: reference says canonical", b)
			}
		}
		if err := checkAll(t, b, msg, sig); !errors.Is(err, ErrNonCanonicalPublicKey) {
			t.Errorf("key %x: Check = %v, want ErrNonCanonicalPublicKey", b, err)
		}
		s := append(append([]byte{}, b...), sig[32:]...)
		if err := checkAll(t, pub, msg, s); !errors.Is(err, ErrNonCanonicalR) {
			t.Errorf("R %x: Check = %v, want ErrNonCanonicalR", b, err)
		}
	}
	// Six of them are small-order points (dalek refuses those too); the
	// twenty others are mixed-order points (y ≡ 3, 4, 5, 6, 9, 10, 14, 15,
	// 16, 18, either sign) that dalek's verify_strict would take as keys.
	if kinds["small"] != 6 || kinds["mixed"] != 20 || len(decodable) != 26 {
		t.Errorf("decodable non-canonical encodings: %v, want 6 small and 20 mixed", kinds)
	}
	t.Logf("non-canonical encodings that filippo.io/edwards25519 (and so crypto/ed25519) decodes: %v", decodable)

	// Canonical check against a decode/re-encode round trip near 0 and p.
	for d := range int64(40) {
		for _, y := range []*big.Int{big.NewInt(d), new(big.Int).Sub(p, big.NewInt(d+1))} {
			for _, sign := range []bool{false, true} {
				b := enc(y, sign)
				if _, err := new(edwards25519.Point).SetBytes(b); err == nil && isCanonicalPoint(b) != isCanonicalRef(b) {
					t.Errorf("%x: isCanonicalPoint = %v, round trip says %v", b, isCanonicalPoint(b), isCanonicalRef(b))
				}
			}
		}
	}
}

func TestNoPanicOnBadLengths(t *testing.T) {
	pub, msg, sig := willowDefault(t)
	for _, n := range []int{-1, 0, 1, 31, 33, 64} {
		var k []byte
		if n >= 0 {
			k = make([]byte, n)
			copy(k, pub)
		}
		if err := checkAll(t, k, msg, sig); !errors.Is(err, ErrPublicKeySize) {
			t.Errorf("key length %d: Check = %v", n, err)
		}
	}
	for _, n := range []int{-1, 0, 32, 63, 65, 128} {
		var s []byte
		if n >= 0 {
			s = make([]byte, n)
			copy(s, sig)
		}
		if err := checkAll(t, pub, msg, s); !errors.Is(err, ErrSignatureSize) {
			t.Errorf("signature length %d: Check = %v", n, err)
		}
	}
	if Verify(nil, nil, nil) {
		t.Error("Verify(nil, nil, nil) = true")
	}
}

func TestInvalidPoints(t *testing.T) {
	pub, msg, sig := willowDefault(t)
	// y = 2 is not on the curve (found by trial; asserted below).
	notPoint := append([]byte{2}, make([]byte, 31)...)
	if pointKind(notPoint) != "invalid" {
		t.Fatal("test assumption: y = 2 is not a point")
	}
	if err := checkAll(t, notPoint, msg, sig); !errors.Is(err, ErrInvalidPublicKey) {
		t.Errorf("key off the curve: Check = %v", err)
	}
	s := append(append([]byte{}, notPoint...), sig[32:]...)
	if err := checkAll(t, pub, msg, s); !errors.Is(err, ErrInvalidR) {
		t.Errorf("R off the curve: Check = %v", err)
	}
}

func FuzzVerify(f *testing.F) {
	pub, msg, sig := willowDefault(f)
	f.Add(pub, msg, sig)
	f.Add(pub, msg, addL(sig))
	f.Add(pub, msg[:98], sig)
	f.Add([]byte{}, []byte{}, []byte{})
	for i := range smallOrderEncodings {
		e := smallOrderEncodings[i][:]
		f.Add(e, msg, sig)
		f.Add(pub, msg, append(append([]byte{}, e...), sig[32:]...))
	}
	// The identity key accepts (R = [S]B, S) for any message under
	// crypto/ed25519.
	s := scalarFromUint(7)
	f.Add(edwards25519.NewIdentityPoint().Bytes(), []byte("m"),
		append(new(edwards25519.Point).ScalarBaseMult(s).Bytes(), s.Bytes()...))
	f.Fuzz(func(t *testing.T, pub, msg, sig []byte) {
		checkAll(t, pub, msg, sig) // no panic; Verify, Check and the reference agree; accept ⇒ crypto accepts
		// Also exercise honest signatures: pub as a seed, when it is one.
		if len(pub) == ed25519.SeedSize {
			priv := ed25519.NewKeyFromSeed(pub)
			good := ed25519.Sign(priv, msg)
			if err := checkAll(t, priv.Public().(ed25519.PublicKey), msg, good); err != nil {
				t.Fatalf("honest signature refused: %v", err)
			}
		}
	})
}

func BenchmarkVerify(b *testing.B) {
	pub, msg, sig := willowDefault(b)
	b.Run("ed25519strict", func(b *testing.B) {
		for b.Loop() {
			if !Verify(pub, msg, sig) {
				b.Fatal("refused")
			}
		}
	})
	b.Run("crypto-ed25519", func(b *testing.B) {
		for b.Loop() {
			if !ed25519.Verify(pub, msg, sig) {
				b.Fatal("refused")
			}
		}
	})
	// Both, interleaved in one loop, so that the ratio is measured under the
	// same conditions.
	b.Run("ratio", func(b *testing.B) {
		var strict, plain time.Duration
		for b.Loop() {
			t0 := time.Now()
			ok1 := Verify(pub, msg, sig)
			t1 := time.Now()
			ok2 := ed25519.Verify(pub, msg, sig)
			t2 := time.Now()
			if !ok1 || !ok2 {
				b.Fatal("refused")
			}
			strict += t1.Sub(t0)
			plain += t2.Sub(t1)
		}
		b.ReportMetric(float64(strict)/float64(plain), "strict/crypto")
	})
}

// countingEquation is an EquationChecker that answers a fixed verdict and
// counts its calls.
type countingEquation struct {
	verdict bool
	calls   int
}

func (c *countingEquation) Equation(publicKey, message, signature []byte) bool {
	c.calls++
	return c.verdict
}

// TestCheckWith checks that the strict checks of the encodings are made
// before, and whatever, the EquationChecker says, and that its verdict
// decides the rest.
func TestCheckWith(t *testing.T) {
	var seed [SeedSize]byte
	pkA := PublicKey(&seed)
	pk := pkA[:]
	msg := []byte("message")
	sigA := Sign(&seed, msg)
	sig := sigA[:]

	yes := &countingEquation{verdict: true}
	if err := CheckWith(yes, pk, msg, sig); err != nil || yes.calls != 1 {
		t.Fatalf("good signature: %v after %d calls", err, yes.calls)
	}
	no := &countingEquation{}
	if err := CheckWith(no, pk, msg, sig); err != ErrBadSignature {
		t.Fatalf("equation refused: %v, want ErrBadSignature", err)
	}
	if !Equation(pk, msg, sig) || Equation(pk, []byte("other"), sig) || Equation(pk[:31], msg, sig) {
		t.Fatal("Equation disagrees with Verify")
	}

	// S + L and a small-order R are refused without asking the checker.
	highS := addL(sig)
	smallR := append(append([]byte{}, smallOrderEncodings[0][:]...), sig[32:]...)
	for name, c := range map[string]struct {
		pk, sig []byte
		want    error
	}{
		"S+L":             {pk, highS, ErrNonCanonicalS},
		"small-order R":   {pk, smallR, ErrSmallOrderR},
		"small-order key": {smallOrderEncodings[1][:], sig, ErrSmallOrderPublicKey},
	} {
		yes := &countingEquation{verdict: true}
		if err := CheckWith(yes, c.pk, msg, c.sig); err != c.want || yes.calls != 0 {
			t.Errorf("%s: %v after %d calls, want %v before any", name, err, yes.calls, c.want)
		}
	}
}
