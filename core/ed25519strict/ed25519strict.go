// Package ed25519strict verifies ed25519 signatures under the strict rules
// Willow'25 prescribes: those of ed25519_dalek::VerifyingKey::verify_strict.
//
// A signature (R, S) by public key A over message M is accepted only if all
// of the following hold:
//
//   - the key is 32 bytes and the signature 64 bytes;
//   - A is the canonical encoding of a curve point (see below);
//   - A is not of small order (not in the 8-torsion subgroup), so "weak" keys,
//     for which signatures can be forged without a secret, are refused;
//   - S is a canonical scalar, S < L (the order of the base point), which
//     removes the S ↦ S+L malleability;
//   - R is the canonical encoding of a curve point that is not of small order;
//   - the cofactorless equation [S]B = R + [k]A holds, with
//     k = SHA-512(R ‖ A ‖ M) mod L, checked as crypto/ed25519 does it: by
//     recomputing R' = [S]B - [k]A and comparing its canonical encoding with
//     the 32 bytes of R.
//
// The verification equation is evaluated exactly as crypto/ed25519 does it
// (with filippo.io/edwards25519, the code inside crypto/ed25519, and
// internal/sha512: crypto/ed25519 itself would link Go's FIPS module into
// the WebAssembly module); the tests check the two agree. This package adds
// the checks crypto/ed25519 leaves out, and PublicKey and Sign for seeds. On
// honest signatures by honestly generated keys the two agree (barring a nonce ≡ 0 mod L, probability 2⁻²⁵²).
// crypto/ed25519 additionally accepts signatures by small-order keys and
// signatures with a small-order R whenever the cofactorless equation happens
// to hold (cases 0, 1 and 2 of the test vectors of "Taming the many EdDSAs",
// Chalkias, Garillot and Nikolaenko, 2020).
//
// # Non-canonical point encodings
//
// An encoding is non-canonical when its 255-bit y-coordinate is not reduced
// (y ≥ p = 2²⁵⁵-19) or when it sets the sign bit of x although x = 0. Neither
// curve25519-dalek's CompressedEdwardsY::decompress nor filippo.io/edwards25519
// (the decoder inside crypto/ed25519) refuses such encodings; both decode them
// to the point with the reduced coordinate. What that means for verify_strict:
//
//   - R: dalek, like crypto/ed25519, compares the recomputed canonical
//     encoding of R with the bytes of the signature, so a non-canonical R can
//     never verify. Refusing it up front (ErrNonCanonicalR) changes no
//     verdict, only the reported reason.
//   - A: dalek hashes the key bytes as given and checks only that the decoded
//     point is not of small order. The non-canonical encodings of the
//     small-order points (y ≡ 0 or 1, the two "negative zero" encodings) are
//     therefore refused by dalek as small-order keys. Twenty more decode:
//     y + p for y ∈ {3, 4, 5, 6, 9, 10, 14, 15, 16, 18}, with either sign
//     bit, all points of mixed order. dalek (and crypto/ed25519) would accept
//     a signature under such a key if one existed, but nobody knows the
//     discrete logarithm of those points, so no such signature can be
//     produced.
//
// This package refuses every non-canonical A and R (ErrNonCanonicalPublicKey,
// ErrNonCanonicalR), as RFC 8032 §5.1.3 decoding does. That is stricter than
// dalek in letter, but the only keys on which the two could disagree are ones
// for which forging a signature means solving a discrete logarithm, so the
// verdicts coincide on every input anyone can construct, and every key this
// package accepts has exactly one encoding.
//
// All functions are safe for any input, including slices of the wrong length
// and nil; none of them panics. They run in variable time, which is fine for
// verification: all inputs are public.
package ed25519strict

import (
	"errors"

	"filippo.io/edwards25519"
)

const (
	// PublicKeySize is the size in bytes of an encoded ed25519 public key.
	PublicKeySize = 32
	// SignatureSize is the size in bytes of an ed25519 signature (R ‖ S).
	SignatureSize = 64
)

// Errors returned by Check. Every error Check returns is one of these values;
// compare with errors.Is.
var (
	// ErrPublicKeySize: the public key is not PublicKeySize bytes long.
	ErrPublicKeySize = errors.New("ed25519strict: public key is not 32 bytes")
	// ErrSignatureSize: the signature is not SignatureSize bytes long.
	ErrSignatureSize = errors.New("ed25519strict: signature is not 64 bytes")
	// ErrNonCanonicalPublicKey: the public key is a non-canonical point
	// encoding (y ≥ p, or the sign bit set for x = 0).
	ErrNonCanonicalPublicKey = errors.New("ed25519strict: public key is a non-canonical point encoding")
	// ErrSmallOrderPublicKey: the public key is a point of small order (a
	// weak key for which signatures can be forged without a secret).
	ErrSmallOrderPublicKey = errors.New("ed25519strict: public key has small order")
	// ErrInvalidPublicKey: the public key does not encode a curve point.
	ErrInvalidPublicKey = errors.New("ed25519strict: public key is not a curve point")
	// ErrNonCanonicalS: the scalar S of the signature is not below L.
	ErrNonCanonicalS = errors.New("ed25519strict: signature scalar S is not canonical (S ≥ L)")
	// ErrNonCanonicalR: the point R of the signature is a non-canonical
	// point encoding.
	ErrNonCanonicalR = errors.New("ed25519strict: signature point R is a non-canonical encoding")
	// ErrSmallOrderR: the point R of the signature has small order.
	ErrSmallOrderR = errors.New("ed25519strict: signature point R has small order")
	// ErrInvalidR: the point R of the signature does not encode a curve point.
	ErrInvalidR = errors.New("ed25519strict: signature point R is not a curve point")
	// ErrBadSignature: all encodings are acceptable but the verification
	// equation [S]B = R + [k]A does not hold.
	ErrBadSignature = errors.New("ed25519strict: signature does not verify")
)

// Verify reports whether signature is a valid signature of message by
// publicKey under the strict rules described in the package documentation.
// It returns false, and never panics, for inputs of the wrong length.
func Verify(publicKey, message, signature []byte) bool {
	return Check(publicKey, message, signature) == nil
}

// Check is Verify with a reason: it returns nil if signature is a valid
// signature of message by publicKey, and otherwise one of the Err* values of
// this package.
//
// When an input has several defects the first one found is reported, checking
// in this order: key length, signature length, key encoding, key order, S,
// R encoding, R order, and finally the equation. A key or an R that is not a
// curve point at all is detected last (crypto/ed25519 refuses it while
// evaluating the equation) and reported as ErrInvalidPublicKey or ErrInvalidR
// rather than ErrBadSignature.
func Check(publicKey, message, signature []byte) error {
	return CheckWith(nil, publicKey, message, signature)
}

// EquationChecker evaluates the cofactorless verification equation
// [S]B = R + [k]A of a signature whose encodings CheckWith has already
// checked: A and R are canonical encodings that are not of small order
// (either may still fail to decode to a curve point) and S < L. On such
// inputs every RFC 8032 verifier (Go's, BoringSSL's, OpenSSL's, WebCrypto's
// Ed25519) decides exactly what verify_strict decides, so an implementation
// may delegate to one of them. Equation must return false for anything it
// cannot confirm.
type EquationChecker interface {
	Equation(publicKey, message, signature []byte) bool
}

// Equation is the EquationChecker of this package: the equation evaluated in
// Go, as crypto/ed25519 does it. The inputs must have the sizes of a public
// key and a signature.
func Equation(publicKey, message, signature []byte) bool {
	if len(publicKey) != PublicKeySize || len(signature) != SignatureSize {
		return false
	}
	return equation(publicKey, message, signature)
}

// CheckWith is Check with the final equation evaluated by eq (Equation when
// eq is nil). Every strict rule on the encodings is still checked here,
// before eq is asked, so eq sees only the inputs EquationChecker describes
// and the result is Check's whenever eq agrees with Equation.
func CheckWith(eq EquationChecker, publicKey, message, signature []byte) error {
	if len(publicKey) != PublicKeySize {
		return ErrPublicKeySize
	}
	if len(signature) != SignatureSize {
		return ErrSignatureSize
	}
	r, s := signature[:32], signature[32:]

	if !isCanonicalPoint(publicKey) {
		return ErrNonCanonicalPublicKey
	}
	if isSmallOrder(publicKey) {
		return ErrSmallOrderPublicKey
	}
	if _, err := new(edwards25519.Scalar).SetCanonicalBytes(s); err != nil {
		return ErrNonCanonicalS
	}
	if !isCanonicalPoint(r) {
		return ErrNonCanonicalR
	}
	if isSmallOrder(r) {
		return ErrSmallOrderR
	}

	// The cofactorless equation, as crypto/ed25519 evaluates it.
	ok := false
	if eq == nil {
		ok = equation(publicKey, message, signature)
	} else {
		ok = eq.Equation(publicKey, message, signature)
	}
	if ok {
		return nil
	}
	// Failure path only: name the reason more precisely when a point
	// does not decode at all.
	if _, err := new(edwards25519.Point).SetBytes(publicKey); err != nil {
		return ErrInvalidPublicKey
	}
	if _, err := new(edwards25519.Point).SetBytes(r); err != nil {
		return ErrInvalidR
	}
	return ErrBadSignature
}

// isCanonicalPoint reports whether the 32 bytes b are in the canonical form
// of a point encoding: the 255-bit little-endian y-coordinate is below
// p = 2²⁵⁵-19, and the sign bit of x is clear when x = 0. It does not check
// that b encodes a point at all.
//
// The points with x = 0 are (0, 1) and (0, -1); their encodings with the sign
// bit set are 01 00…00 80 and ec ff…ff ff.
func isCanonicalPoint(b []byte) bool {
	if len(b) != 32 {
		return false
	}
	// y ≥ p exactly when bytes 1…30 are ff, the low 7 bits of byte 31 are
	// all set and byte 0 is at least ed (p = 7fff…ffed).
	yNotReduced := b[0] >= 0xed && b[31]&0x7f == 0x7f
	for i := 1; i < 31 && yNotReduced; i++ {
		yNotReduced = b[i] == 0xff
	}
	if yNotReduced {
		return false
	}
	if b[31]&0x80 == 0 {
		return true
	}
	// Sign bit set: refuse it for y = 1 and y = p-1, where x = 0.
	return !equal32(b, &negativeZeroEncodings[0]) && !equal32(b, &negativeZeroEncodings[1])
}

// negativeZeroEncodings are the encodings of (0, 1) and (0, -1) with the sign
// bit of x set, the only non-canonical encodings with a reduced y.
var negativeZeroEncodings = [2][32]byte{
	{0x01, 31: 0x80},
	{0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
}

// smallOrderEncodings are the canonical encodings of the eight points of the
// 8-torsion subgroup, [i]T for a point T of order 8 and i = 0…7 (the same
// list as curve25519-dalek's EIGHT_TORSION). The tests check that they are
// exactly the canonical encodings P with [8]P = identity.
var smallOrderEncodings = [8][32]byte{
	// [0]T: identity (0, 1).
	{0x01},
	// [1]T, order 8.
	{0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f,
		0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a},
	// [2]T, order 4: y = 0, sign bit of x set.
	{31: 0x80},
	// [3]T, order 8.
	{0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98, 0xf0,
		0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05},
	// [4]T, order 2: (0, -1).
	{0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
	// [5]T, order 8.
	{0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98, 0xf0,
		0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x85},
	// [6]T, order 4: y = 0, sign bit of x clear.
	{},
	// [7]T, order 8.
	{0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f,
		0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0xfa},
}

// isSmallOrder reports whether the canonical point encoding b is one of the
// eight points of small order. Every point has exactly one canonical
// encoding, so after isCanonicalPoint a byte comparison is exact; it saves
// decoding the point (a field square root) on the success path.
func isSmallOrder(b []byte) bool {
	for i := range smallOrderEncodings {
		if equal32(b, &smallOrderEncodings[i]) {
			return true
		}
	}
	return false
}

// equal32 reports whether b equals the 32 bytes of a. b must be 32 bytes.
func equal32(b []byte, a *[32]byte) bool {
	return string(b) == string(a[:])
}
