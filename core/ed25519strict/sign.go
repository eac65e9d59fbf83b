package ed25519strict

import (
	"filippo.io/edwards25519"

	"github.com/willow-web/willow-web/internal/sha512"
)

// SeedSize is the size in bytes of an ed25519 private key seed.
const SeedSize = 32

// expand derives the secret scalar and the nonce prefix of a seed (RFC 8032
// §5.1.5).
func expand(seed *[SeedSize]byte) (*edwards25519.Scalar, [32]byte) {
	h := sha512.Sum512(seed[:])
	s, err := new(edwards25519.Scalar).SetBytesWithClamping(h[:32])
	if err != nil {
		panic("ed25519strict: clamping 32 bytes failed") // cannot happen: the length is right
	}
	var prefix [32]byte
	copy(prefix[:], h[32:])
	return s, prefix
}

// PublicKey returns the public key of an ed25519 seed, as crypto/ed25519's
// NewKeyFromSeed computes it.
func PublicKey(seed *[SeedSize]byte) [PublicKeySize]byte {
	s, _ := expand(seed)
	var pk [PublicKeySize]byte
	copy(pk[:], new(edwards25519.Point).ScalarBaseMult(s).Bytes())
	return pk
}

// Sign returns the deterministic ed25519 signature (RFC 8032 §5.1.6) of
// message by the key with the given seed: the same bytes as crypto/ed25519's
// Sign, without its FIPS module (see internal/sha512 for why).
func Sign(seed *[SeedSize]byte, message []byte) [SignatureSize]byte {
	s, prefix := expand(seed)
	publicKey := new(edwards25519.Point).ScalarBaseMult(s).Bytes()

	h := sha512.New()
	h.Write(prefix[:])
	h.Write(message)
	digest := h.Sum()
	r, err := new(edwards25519.Scalar).SetUniformBytes(digest[:])
	if err != nil {
		panic("ed25519strict: reducing 64 bytes failed") // cannot happen
	}
	R := new(edwards25519.Point).ScalarBaseMult(r).Bytes()

	k := challengeScalar(R, publicKey, message)
	S := new(edwards25519.Scalar).MultiplyAdd(k, s, r)

	var sig [SignatureSize]byte
	copy(sig[:32], R)
	copy(sig[32:], S.Bytes())
	return sig
}

// challengeScalar returns k = SHA-512(R ‖ A ‖ M) mod L.
func challengeScalar(r, publicKey, message []byte) *edwards25519.Scalar {
	h := sha512.New()
	h.Write(r)
	h.Write(publicKey)
	h.Write(message)
	digest := h.Sum()
	k, err := new(edwards25519.Scalar).SetUniformBytes(digest[:])
	if err != nil {
		panic("ed25519strict: reducing 64 bytes failed") // cannot happen
	}
	return k
}

// equation reports whether [S]B = R + [k]A holds, cofactorless, comparing
// encodings as crypto/ed25519 does: R is checked as the encoding of
// [S]B − [k]A. The caller has checked the lengths and that S is canonical.
func equation(publicKey, message, signature []byte) bool {
	A, err := new(edwards25519.Point).SetBytes(publicKey)
	if err != nil {
		return false
	}
	S, err := new(edwards25519.Scalar).SetCanonicalBytes(signature[32:])
	if err != nil {
		return false
	}
	k := challengeScalar(signature[:32], publicKey, message)
	minusA := new(edwards25519.Point).Negate(A)
	R := new(edwards25519.Point).VarTimeDoubleScalarBaseMult(k, minusA, S)
	return equal32(R.Bytes(), (*[32]byte)(signature[:32]))
}
