// Package agekey maps Willow subspace keys (ed25519) to age X25519 keys and
// their age1… and AGE-SECRET-KEY-1… strings. It does not import filippo.io/age,
// so a WebAssembly module can derive keys for a JavaScript age implementation
// without linking age's Go code (see ../README.md for the sizes).
package agekey

import (
	"errors"
	"strings"

	"github.com/willow-web/willow-web/internal/sha512"

	"filippo.io/edwards25519"

	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/internal/wrap"
)

// ErrBadKey: a subspace id is not usable as an encryption key (not a point of
// the curve, or not in its prime-order subgroup).
var ErrBadKey = errors.New("agekey: subspace id is not a usable encryption key")

// orderMinusOne returns ℓ−1, ℓ the order of the prime-order subgroup of
// edwards25519, as a canonical little-endian scalar.
func orderMinusOne() []byte {
	return []byte{
		0xec, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
	}
}

// X25519PublicKey returns the X25519 (Montgomery u) public key of a subspace
// id: the birational map u = (1+y)/(1−y) of the ed25519 point, as libsodium's
// crypto_sign_ed25519_pk_to_curve25519. Like libsodium it refuses ids that
// are not a point, or not a point of the prime-order subgroup (which includes
// every small-order point): an honest ed25519 public key is always such a
// point.
func X25519PublicKey(id ids.SubspaceID) ([32]byte, error) {
	var u [32]byte
	p, err := new(edwards25519.Point).SetBytes(id[:])
	if err != nil {
		return u, wrap.Detail(ErrBadKey, "subspace id "+id.String()+": not a curve point")
	}
	lm1, err := edwards25519.NewScalar().SetCanonicalBytes(orderMinusOne())
	if err != nil {
		return u, wrap.Prefix("agekey: internal error", err)
	}
	// ℓ·P = O  ⇔  (ℓ−1)·P = −P; the identity point has order 1 and is caught
	// separately since its Montgomery form is degenerate.
	if new(edwards25519.Point).ScalarMult(lm1, p).Equal(new(edwards25519.Point).Negate(p)) != 1 ||
		p.Equal(edwards25519.NewIdentityPoint()) == 1 {
		return u, wrap.Detail(ErrBadKey, "subspace id "+id.String()+": not in the prime-order subgroup")
	}
	copy(u[:], p.BytesMontgomery())
	return u, nil
}

// X25519SecretKey returns the X25519 secret scalar of a subspace secret (an
// ed25519 seed): the first half of SHA-512(seed), clamped, as libsodium's
// crypto_sign_ed25519_sk_to_curve25519. X25519(scalar, 9) is
// X25519PublicKey of the seed's public key.
func X25519SecretKey(sk ids.SecretKey) [32]byte {
	h := sha512.Sum512(sk[:])
	var s [32]byte
	copy(s[:], h[:32])
	s[0] &= 248
	s[31] &= 127
	s[31] |= 64
	return s
}

// RecipientString returns the age recipient string (age1…) of a subspace id,
// as the stock age command line takes it with -r.
func RecipientString(id ids.SubspaceID) (string, error) {
	u, err := X25519PublicKey(id)
	if err != nil {
		return "", err
	}
	return bech32Encode("age", u[:]), nil
}

// IdentityString returns the age identity string (AGE-SECRET-KEY-1…) of a
// subspace secret, as the stock age command line reads it from an identity
// file (-i).
func IdentityString(sk ids.SecretKey) string {
	s := X25519SecretKey(sk)
	return strings.ToUpper(bech32Encode("age-secret-key-", s[:]))
}

// bech32Charset is the alphabet of BIP 173.
const bech32Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

// bech32Encode encodes data under the lower-case human-readable part hrp as
// BIP 173 Bech32 (without its 90-character limit, as age does).
func bech32Encode(hrp string, data []byte) string {
	var values []byte
	acc, bits := uint32(0), uint(0)
	for _, b := range data {
		acc = acc<<8 | uint32(b)
		bits += 8
		for bits >= 5 {
			bits -= 5
			values = append(values, byte(acc>>bits)&31)
		}
	}
	if bits > 0 {
		values = append(values, byte(acc<<(5-bits))&31)
	}
	check := make([]byte, 0, 2*len(hrp)+1+len(values)+6)
	for i := 0; i < len(hrp); i++ {
		check = append(check, hrp[i]>>5)
	}
	check = append(check, 0)
	for i := 0; i < len(hrp); i++ {
		check = append(check, hrp[i]&31)
	}
	check = append(check, values...)
	check = append(check, 0, 0, 0, 0, 0, 0)
	mod := bech32Polymod(check) ^ 1
	var b strings.Builder
	b.WriteString(hrp)
	b.WriteByte('1')
	for _, v := range values {
		b.WriteByte(bech32Charset[v])
	}
	for i := range 6 {
		b.WriteByte(bech32Charset[(mod>>(5*(5-i)))&31])
	}
	return b.String()
}

func bech32Polymod(values []byte) uint32 {
	gen := [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	chk := uint32(1)
	for _, v := range values {
		top := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ uint32(v)
		for i := range 5 {
			if (top>>i)&1 == 1 {
				chk ^= gen[i]
			}
		}
	}
	return chk
}
