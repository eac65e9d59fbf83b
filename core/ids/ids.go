// Package ids holds the Willow'25 identifiers: namespace and subspace ids
// (ed25519 public keys), payload digests (WILLIAM3, 32 bytes), the secret keys
// that sign for them, and the well-known defaults of the Willow'25 page.
package ids

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"

	"github.com/willow-web/willow-web/internal/wrap"
)

// NamespaceID is a Willow'25 namespace id: an ed25519 public key. A namespace
// is communal iff the least significant bit of the key's last byte is 0, and
// owned otherwise.
type NamespaceID [32]byte

// SubspaceID is a Willow'25 subspace id: an ed25519 public key. Subspace ids
// are ordered numerically as big-endian integers (bytewise).
type SubspaceID [32]byte

// PayloadDigest is the WILLIAM3 digest of a payload.
type PayloadDigest [32]byte

// IsCommunal reports whether the namespace is communal (last byte even).
func (n NamespaceID) IsCommunal() bool { return n[31]&1 == 0 }

// IsOwned reports whether the namespace is owned (last byte odd).
func (n NamespaceID) IsOwned() bool { return !n.IsCommunal() }

// String renders the id as the Willow URIs do: '+' (communal) or '-' (owned)
// followed by 64 lowercase hex digits.
func (n NamespaceID) String() string {
	if n.IsCommunal() {
		return "+" + hex.EncodeToString(n[:])
	}
	return "-" + hex.EncodeToString(n[:])
}

// String renders the id as 64 lowercase hex digits.
func (s SubspaceID) String() string { return hex.EncodeToString(s[:]) }

// String renders the digest as 64 lowercase hex digits.
func (d PayloadDigest) String() string { return hex.EncodeToString(d[:]) }

// Compare orders subspace ids bytewise (numerically, big-endian).
func (s SubspaceID) Compare(t SubspaceID) int { return bytes.Compare(s[:], t[:]) }

// Compare orders digests bytewise (numerically, big-endian).
func (d PayloadDigest) Compare(e PayloadDigest) int { return bytes.Compare(d[:], e[:]) }

// ParseNamespaceID parses 64 hex digits (either case), optionally preceded by
// '+' or '-'; a sign that contradicts the key's last bit is an error.
func ParseNamespaceID(s string) (NamespaceID, error) {
	var sign byte
	if s != "" && (s[0] == '+' || s[0] == '-') {
		sign, s = s[0], s[1:]
	}
	b, err := parse32(s)
	if err != nil {
		return NamespaceID{}, wrap.Prefix("namespace id", err)
	}
	n := NamespaceID(b)
	if (sign == '+' && !n.IsCommunal()) || (sign == '-' && n.IsCommunal()) {
		return NamespaceID{}, errors.New("namespace id: sign '" + string(rune(sign)) + "' contradicts the key (last byte 0x" + hex.EncodeToString(n[31:]) + ")")
	}
	return n, nil
}

// ParseSubspaceID parses 64 hex digits (either case).
func ParseSubspaceID(s string) (SubspaceID, error) {
	b, err := parse32(s)
	if err != nil {
		return SubspaceID{}, wrap.Prefix("subspace id", err)
	}
	return SubspaceID(b), nil
}

// ParsePayloadDigest parses 64 hex digits (either case).
func ParsePayloadDigest(s string) (PayloadDigest, error) {
	b, err := parse32(s)
	if err != nil {
		return PayloadDigest{}, wrap.Prefix("payload digest", err)
	}
	return PayloadDigest(b), nil
}

func parse32(s string) ([32]byte, error) {
	var out [32]byte
	if len(s) != 64 {
		return out, wrap.New("want 64 hex digits, got " + wrap.Num(len(s)) + " characters")
	}
	if _, err := hex.Decode(out[:], []byte(strings.ToLower(s))); err != nil {
		return out, wrap.Prefix("bad hex", err)
	}
	return out, nil
}
