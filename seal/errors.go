package seal

import (
	"errors"

	"github.com/willow-web/willow-web/seal/agekey"
)

// Errors of sealing and opening; every error returned by this package that is
// about the sealed bytes (rather than an I/O failure) wraps one of them.
var (
	// ErrNotSealed: the input does not begin with an age header, so it is not
	// a sealed drop (it may be a plaintext one).
	ErrNotSealed = errors.New("seal: not a sealed drop")
	// ErrNoIdentity: no given identity matches any recipient of the sealed
	// drop (or none was given).
	ErrNoIdentity = errors.New("seal: no identity matches the sealed drop")
	// ErrWrongPassphrase: the drop is sealed with a passphrase and the given
	// passphrase is not it.
	ErrWrongPassphrase = errors.New("seal: wrong passphrase")
	// ErrTampered: the sealed bytes fail authentication (header MAC, a payload
	// chunk), are malformed, or carry bytes after the final chunk.
	ErrTampered = errors.New("seal: sealed drop is corrupted or tampered with")
	// ErrTruncated: the sealed bytes end where more are required (inside the
	// header, or at a chunk boundary before the final chunk). Every error
	// wrapping ErrTruncated also wraps ErrTampered. A cut inside a chunk is
	// indistinguishable from a tampered final chunk and reported as
	// ErrTampered only.
	ErrTruncated = errors.New("seal: sealed drop is truncated")
	// ErrNotDrop: the plaintext is not a drop (it is empty, or its first byte
	// is neither 0x00 nor an item header 01xxxxxx).
	ErrNotDrop = errors.New("seal: plaintext is not a drop")
	// ErrBadKey: a subspace id is not usable as an encryption key (not a
	// point of the curve, or not in its prime-order subgroup).
	ErrBadKey = agekey.ErrBadKey
)
